#!/bin/sh
# t97-hostile.sh: hostile repositories (issue 7; DESIGN.md sections 1 and 5
# "Security"). Each input ends with exit 0, 1 or 3 (2 where the user's
# configuration or revision is at fault) and a clear message: never a
# signal, a hang (every run is under `timeout`), or a sanitizer report
# (stderr is searched for AddressSanitizer/LeakSanitizer/UBSan reports,
# so the same script checks build/asan/schemacheck). And the tool never
# reads through a symlink out of the repository, skips submodules, and
# never runs the repository's code.
#
# HOSTILE_TIMEOUT overrides the limit per run: 20 s, or 90 s for a
# sanitizer build (which is 5-8 times slower here: 15 s of CPU for the
# 10,000-revision chain that the plain build reads in 2 s).
#
# The inputs whose point is their number (10,000 diagnostics on a line,
# 10,000 revisions) have BIG of them: 10,000 with the plain build, which
# checks time and memory at that scale; 2,000 with a sanitizer build,
# which checks memory safety (HOSTILE_BIG overrides). `make check` runs
# this script with both builds.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK

if grep -q __asan_init "$SC" 2>/dev/null; then
	LIMIT=90
	BIG=2000
else
	LIMIT=20
	BIG=10000
fi
LIMIT=${HOSTILE_TIMEOUT:-$LIMIT}
BIG=${HOSTILE_BIG:-$BIG}
HAVE_PY=0
command -v python3 >/dev/null 2>&1 && HAVE_PY=1
SANRE='ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|SUMMARY: (AddressSanitizer|UndefinedBehaviorSanitizer|LeakSanitizer)'

# run_h TITLE WANT CMD...: one check: CMD, under `timeout $LIMIT`, exits
# with one of WANT ("0 1 3") without a signal, a timeout or a sanitizer
# report. Sets RC, SECS, OUT (stdout then stderr); stdout stays in
# $TMP/out and stderr in $TMP/err.
run_h() {
	h_title=$1 h_want=$2
	shift 2
	h_t0=$(date +%s)
	timeout -k 5 "$LIMIT" "$@" > "$TMP/out" 2> "$TMP/err"
	RC=$?
	SECS=$(($(date +%s) - h_t0))
	OUT=$(cat "$TMP/out" "$TMP/err")
	if grep -qE "$SANRE" "$TMP/err"; then
		not_ok "$h_title" "sanitizer report (exit $RC):" "$(grep -m 8 -E "$SANRE|^    #[0-9] " "$TMP/err")"
	elif [ "$RC" -eq 124 ] || [ "$RC" -eq 137 ]; then
		not_ok "$h_title" "no answer within ${LIMIT}s: stopped by timeout" "$(head -c 2000 "$TMP/err" | head -n 10)"
	elif [ "$RC" -gt 128 ]; then
		not_ok "$h_title" "killed by signal $((RC - 128))" "$(head -n 10 "$TMP/err")"
	else
		case " $h_want " in
		*" $RC "*) ok "$h_title: exit $RC in ${SECS}s" ;;
		*) not_ok "$h_title" "exit $RC, want one of: $h_want" "$(head -c 3000 "$TMP/err" | head -n 15)" "$(head -c 3000 "$TMP/out" | head -n 15)" ;;
		esac
	fi
}

# in_modes TITLE WANT REPO [ARGS...]: run_h for --staged and --all.
# $OUT_STAGED and $OUT_ALL keep both outputs.
in_modes() {
	m_title=$1 m_want=$2 m_repo=$3
	shift 3
	run_h "$m_title (--staged)" "$m_want" "$SC" -C "$m_repo" --staged "$@"
	OUT_STAGED=$OUT
	run_h "$m_title (--all)" "$m_want" "$SC" -C "$m_repo" --all "$@"
	OUT_ALL=$OUT
	OUT="$OUT_STAGED
$OUT_ALL"
}

# lacks TEXT TITLE: $OUT does not contain TEXT (what was never to be read).
lacks() { expect_not_contains "$1" "$2"; }

# staged_repo NAME: the base project, committed; prints its path.
staged_repo() {
	s_r=$(new_repo "$1")
	base_project "$s_r" > /dev/null
	echo "$s_r"
}

# ---- file contents ---------------------------------------------------------

# A binary file named .py in a versions folder: the first 64 KiB of an ELF
# executable (NUL bytes, every byte value).
r=$(staged_repo binary)
head -c 65536 "$SC" > "$r/migrations/versions/0002_binary.py"
git -C "$r" add -A
in_modes "binary .py in versions/" "0 1" "$r"
expect_diag SC001 "binary .py: reported as SC001"
expect_contains "NUL bytes" "binary .py: the message says why (NUL bytes)"

# Bytes 0x80-0xff that are not UTF-8, without NUL: in a comment, in a
# string, as a column and a revision name, and a whole line of them.
r=$(staged_repo badutf8)
hi=$(i=128; while [ $i -lt 256 ]; do printf "\\$(printf %o $i)"; i=$((i + 1)); done)
{
	printf '"""invalid \377\376 UTF-8\n\nRevision ID: 0002\nRevises: 0001\n"""\n'
	printf 'from alembic import op\nimport sqlalchemy as sa\n\n'
	printf "revision = '0002'\ndown_revision = '0001'\n# \300\300 \355\240\200 %s\n\n" "$hi"
	printf 'def upgrade():\n'
	printf "    op.add_column('users', sa.Column('em\300\257il', sa.String(100), nullable=False))\n\n"
	printf "def downgrade():\n    op.drop_column('users', 'em\300\257il')\n"
} > "$r/migrations/versions/0002_badutf8.py"
printf '%s\n' "$hi" > "$r/migrations/versions/0003_highbytes.py"
git -C "$r" add -A
in_modes "invalid UTF-8" "0 1" "$r"
expect_diag SC201 "invalid UTF-8: the migration is still checked (SC201)"
if [ "$HAVE_PY" = 1 ]; then
	run_h "invalid UTF-8: --format json" "1" "$SC" -C "$r" --all --format json
	if python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$TMP/out" 2> "$TMP/pyerr"; then
		ok "invalid UTF-8: the JSON output is valid UTF-8 JSON"
	else
		not_ok "invalid UTF-8: the JSON output is valid UTF-8 JSON" "$(cat "$TMP/pyerr")"
	fi
	run_h "invalid UTF-8: --format sarif" "1" "$SC" -C "$r" --all --format sarif
	if python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$TMP/out" 2> "$TMP/pyerr"; then
		ok "invalid UTF-8: the SARIF output is valid UTF-8 JSON"
	else
		not_ok "invalid UTF-8: the SARIF output is valid UTF-8 JSON" "$(cat "$TMP/pyerr")"
	fi
	run_h "invalid UTF-8: --format junit" "1" "$SC" -C "$r" --all --format junit
	if python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$TMP/out" 2> "$TMP/pyerr"; then
		ok "invalid UTF-8: the JUnit output is well-formed XML"
	else
		not_ok "invalid UTF-8: the JUnit output is well-formed XML" "$(tail -n 3 "$TMP/pyerr")"
	fi
else
	echo "ok $((N + 1)) # skip invalid UTF-8 output formats: no python3 to validate JSON/XML"
	N=$((N + 1))
fi

# NUL bytes inside a valid migration (a comment and a string).
r=$(staged_repo nul)
mig_sc201_bad "$r"
printf "# a \000 in a comment\nX = 'a\000b'\n" >> "$r/migrations/versions/0002_email.py"
git -C "$r" add -A
in_modes "NUL bytes" "0 1" "$r"
expect_diag SC001 "NUL bytes: reported as SC001"
expect_contains "NUL bytes" "NUL bytes: the message says so"

# The inputs the fuzz targets crashed on (tests/fuzz/regress/), as a
# migration and as a model file of a real repository.
top=$(cd "$(dirname "$0")/../.." && pwd)
for f in "$top"/tests/fuzz/regress/migration/* "$top"/tests/fuzz/regress/models/*; do
	[ -f "$f" ] || continue
	r=$(staged_repo "regress-$(basename "$f")")
	case $f in
	*/regress/migration/*) cp "$f" "$r/migrations/versions/0002_fuzz.py" ;;
	*) cp "$f" "$r/app/fuzz_models.py" ;;
	esac
	git -C "$r" add -A
	in_modes "fuzz reproducer ${f#"$top"/tests/fuzz/}" "0 1" "$r"
done
for f in "$top"/tests/fuzz/regress/config/*; do
	[ -f "$f" ] || continue
	r=$(staged_repo "regress-$(basename "$f")")
	cp "$f" "$r/.schemacheck.toml"
	in_modes "fuzz reproducer ${f#"$top"/tests/fuzz/} as .schemacheck.toml" "0 1 2" "$r"
done

# CRLF, a BOM and tabs: the same finding at the same place as with LF.
for kind in crlf bom tabs; do
	r=$(staged_repo "$kind")
	mig_sc201_bad "$r"
	f="$r/migrations/versions/0002_email.py"
	case $kind in
	crlf) sed 's/$/\r/' "$f" > "$f.new" ;;
	bom) { printf '\357\273\277'; cat "$f"; } > "$f.new" ;;
	tabs) sed 's/^    /\t/' "$f" > "$f.new" ;;
	esac
	mv "$f.new" "$f"
	git -C "$r" add -A
	in_modes "$kind" "1" "$r"
	want="0002_email.py:16:5: error[SC201]"
	[ "$kind" = tabs ] && want="0002_email.py:16:2: error[SC201]"
	expect_contains "$want" "$kind: SC201 at the same line (and character column)"
	expect_no_diag SC001 "$kind: no syntax error"
done

# A 50 MB migration and a 50 MB model file: SC001 "larger than 8 MiB",
# without reading them into the parser.
r=$(staged_repo big)
mig_sc201_bad "$r"
yes '# padding padding padding padding padding padding padding padding padding' |
	head -c 52428800 >> "$r/migrations/versions/0002_email.py"
{ cat "$r/app/models.py"; yes '# padding padding padding padding padding padding' | head -c 52428800; } > "$r/app/big_models.py"
git -C "$r" add -A
in_modes "50 MB files" "0 1" "$r"
expect_diag SC001 "50 MB files: SC001"
expect_contains "larger than 8 MiB" "50 MB files: the message says 'larger than 8 MiB'"

# One line (700 KB when BIG is 10,000) holding BIG operations: BIG
# diagnostics on one line must not copy the line BIG times (time and
# memory), and the text output shows a window of the line, not all of it.
r=$(staged_repo longline)
{
	printf "revision = '0002'\ndown_revision = '0001'\n\n\ndef upgrade():\n    "
	awk -v n="$BIG" 'BEGIN { for (i = 0; i < n; i++) printf "op.add_column(\"users\", sa.Column(\"c%d\", sa.Integer, nullable=False)); ", i; print "" }'
	printf '\n\ndef downgrade():\n    pass\n'
} > "$r/migrations/versions/0002_long.py"
git -C "$r" add -A
run_h "$BIG diagnostics on one long line (text)" "1" "$SC" -C "$r" --all
if [ "$(wc -c < "$TMP/out")" -lt $((BIG * 2000)) ]; then
	ok "$BIG diagnostics on one long line: the text output shows a window of the line"
else
	not_ok "$BIG diagnostics on one long line: the text output shows a window of the line" "$(wc -c < "$TMP/out") bytes of output"
fi
run_h "$BIG diagnostics on one long line (json)" "1" "$SC" -C "$r" --all --format json

# ---- nesting 10,000 deep -----------------------------------------------------

# deep_mig REPO NAME < BODY-GENERATOR-OUTPUT: a migration 0002 whose
# upgrade() and module level are the text on stdin.
deep_mig() {
	{ printf "revision = '0002'\ndown_revision = '0001'\n\n"; cat; } > "$1/migrations/versions/0002_$2.py"
}
nest() { # nest OPEN INNER CLOSE: OPEN x10000, INNER, CLOSE x10000
	awk -v o="$1" -v m="$2" -v c="$3" 'BEGIN { for (i = 0; i < 10000; i++) printf "%s", o; printf "%s", m; for (i = 0; i < 10000; i++) printf "%s", c; print "" }'
}
r=$(staged_repo deep)
{ printf 'T = '; nest '(' '"users"' ')'; printf 'def upgrade():\n    op.drop_table(T)\n'; } | deep_mig "$r" parens
{ printf 'def upgrade():\n    op.add_column('; nest '(' '"users"' ')' | tr -d '\n'; printf ', sa.Column("x", sa.Integer, nullable=False))\n'; } | deep_mig "$r" parens_arg
sed -i "s/'0002'/'0003'/; s/'0001'/'0002'/" "$r/migrations/versions/0002_parens_arg.py"
{ printf 'X = '; nest '[' '' ']'; printf 'Y = '; nest '{"a": ' '1' '}'; printf 'def upgrade():\n    op.execute('; nest 'f(' '1' ')' | tr -d '\n'; printf ')\n'; } | deep_mig "$r" brackets
sed -i "s/'0002'/'0004'/; s/'0001'/'0003'/" "$r/migrations/versions/0002_brackets.py"
{ printf 'def upgrade():\n    op.add_column("users", sa.Column("y", sa.Integer, nullable='; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "not "; print "True))" }'; printf '    op.drop_table("u"'; awk 'BEGIN { for (i = 0; i < 10000; i++) printf " + \"s\""; print ")" }'; printf '    op.drop_table(x'; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "[0].a"; print ")" }'; printf '    op.execute('; awk 'BEGIN { for (i = 0; i < 10000; i++) printf "lambda: "; print "1)" }'; printf '    op.drop_table('; nest '"a" if x else (' '"b"' ')' | tr -d '\n'; printf ')\n'; } | deep_mig "$r" exprs
sed -i "s/'0002'/'0005'/; s/'0001'/'0004'/" "$r/migrations/versions/0002_exprs.py"
{ printf 'def upgrade():\n    op.execute("CREATE TABLE t (a int DEFAULT '; nest '(' '1' ')' | tr -d '\n'; printf ', b int NOT NULL)")\n'; } | deep_mig "$r" sql
sed -i "s/'0002'/'0006'/; s/'0001'/'0005'/" "$r/migrations/versions/0002_sql.py"
git -C "$r" add -A
in_modes "nesting 10,000 deep: parentheses, brackets, calls, not, +, lambda, if-else, SQL" "0 1" "$r"
expect_no_diag SC001 "nesting 10,000 deep: the expressions parse"

# Unclosed brackets 65,533 deep (64 KB): Debian's tree-sitter 0.20.7
# keeps a node's child count in 16 bits, and error recovery flushes such
# a stack into one node: it was freed from a wrong address (glibc aborted
# with "munmap_chunk(): invalid pointer"). src/tsguard.c refuses the text
# before the parse: SC001.
r=$(staged_repo unclosed)
{ printf "revision = '0002'\ndown_revision = '0001'\nx = "; head -c 65533 /dev/zero | tr '\0' '('; echo; } > "$r/migrations/versions/0002_parens.py"
{ printf 'import sqlalchemy as sa\n\n\nclass B(Base):\n    __tablename__ = "b"\n    id = sa.Column(sa.Integer, primary_key=True)\n\n\nx = '; head -c 70000 /dev/zero | tr '\0' '['; echo; } > "$r/app/brackets_models.py"
git -C "$r" add -A
in_modes "65,533 unclosed ( in a migration, 70,000 unclosed [ in a model file" "0 1" "$r"
expect_diag SC001 "unclosed brackets: SC001"
expect_contains "0002_parens.py:3:5: warning[SC001]" "unclosed brackets: SC001 at the first '(' left open"

# The same node width from other stacks the parser would flush: 65,534
# comment lines in a row, 70,000 unary minus signs, an unterminated
# string of 70,000 escape sequences.
r=$(staged_repo widenodes)
{ printf "revision = '0002'\ndown_revision = '0001'\n"; yes '# comment' | head -n 65534; printf 'x = 1\n'; } > "$r/migrations/versions/0002_comments.py"
{ printf "revision = '0003'\ndown_revision = '0002'\nx = "; head -c 70000 /dev/zero | tr '\0' '-'; echo; } > "$r/migrations/versions/0003_minus.py"
{ printf "revision = '0004'\ndown_revision = '0003'\nx = '"; awk 'BEGIN { for (i = 0; i < 70000; i++) printf "\\n"; print "" }'; } > "$r/migrations/versions/0004_escapes.py"
git -C "$r" add -A
in_modes "65,534 comment lines, 70,000 '-', an unterminated string of 70,000 escapes" "0 1" "$r"
expect_contains "0002_comments.py" "65,534 comment lines: SC001"
expect_contains "0003_minus.py" "70,000 '-': SC001"
expect_contains "0004_escapes.py" "70,000 escapes: SC001"

# Nested if blocks: 10,000 levels need 50 MB of indentation (SC001, size);
# 4,000 levels (8 MB) exceed what the grammar's indent stack holds (SC001);
# 250 levels parse and are walked (to MAX_DEPTH, then given up silently).
r=$(staged_repo deepif)
ifs() { # ifs N: upgrade() with N nested ifs (one space per level)
	printf "revision = '0002'\ndown_revision = '0001'\n\n\ndef upgrade():\n"
	awk -v n="$1" 'BEGIN { s = " "; for (i = 0; i < n; i++) { printf "%sif x:\n", s; s = s " " } printf "%sop.add_column(\"users\", sa.Column(\"y\", sa.Integer, nullable=False))\n", s }'
}
ifs 10000 > "$r/migrations/versions/0002_if10000.py"
ifs 4000 | sed "s/'0002'/'0003'/; s/'0001'/'0002'/" > "$r/migrations/versions/0003_if4000.py"
ifs 250 | sed "s/'0002'/'0004'/; s/'0001'/'0003'/" > "$r/migrations/versions/0004_if250.py"
{
	printf 'import sqlalchemy as sa\n'
	awk 'BEGIN { s = ""; for (i = 0; i < 250; i++) { printf "%sclass C%d(Base):\n", s, i; s = s " " } printf "%s__tablename__ = \"deep\"\n%sid = sa.Column(sa.Integer, primary_key=True)\n", s, s }'
} > "$r/app/deep_models.py"
git -C "$r" add -A
in_modes "nested if blocks 10,000 / 4,000 / 250 deep, classes 250 deep" "0 1" "$r"
expect_contains "0002_if10000.py:1:1: warning[SC001]" "nested ifs 10,000 deep: SC001 (larger than 8 MiB)"
expect_contains "0003_if4000.py:1:1: warning[SC001]" "nested ifs 4,000 deep: SC001"

# Nesting in the configuration: arrays and inline tables 10,000 deep
# (a configuration error, exit 2, is a fine answer).
r=$(staged_repo deeptoml)
{ printf 'exclude = '; nest '[' '' ']'; } > "$r/.schemacheck.toml"
run_h "TOML arrays 10,000 deep" "0 1 2" "$SC" -C "$r" --staged
{ printf 'severity = '; nest '{a = ' '1' '}'; } > "$r/.schemacheck.toml"
run_h "TOML inline tables 10,000 deep" "0 1 2" "$SC" -C "$r" --staged
{ printf 'severity = '; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{a = "; printf "1"; for (i = 0; i < 100000; i++) printf "}"; print "" }'; } > "$r/.schemacheck.toml"
run_h "TOML inline tables 100,000 deep (600 KB)" "0 1 2" "$SC" -C "$r" --staged
{ printf 'x = '; head -c 65533 /dev/zero | tr '\0' '['; echo; } > "$r/.schemacheck.toml"
run_h "TOML: 65,533 unclosed [" "2" "$SC" -C "$r" --staged
awk 'BEGIN { printf "["; for (i = 0; i < 10000; i++) printf "a."; print "b]" }' > "$r/.schemacheck.toml"
run_h "TOML dotted table name 10,000 parts" "0 1 2" "$SC" -C "$r" --staged

# A configuration file larger than the 4 MiB the loader reads: its tail
# (an invalid line) must not be dropped silently.
{ printf 'ignore = ["SC2"]\n'; yes '# padding padding padding padding padding padding padding padding' | head -c 52428800; printf '\nselect = [1, 2\n'; } > "$r/.schemacheck.toml"
run_h "50 MB .schemacheck.toml ending in invalid TOML: exit 2" "2" "$SC" -C "$r" --staged
rm -f "$r/.schemacheck.toml"

# ---- symlinks (never read through) --------------------------------------------

out=$TMP/outside
mkdir -p "$out/mig/versions"
cat > "$out/evil.py" <<'PYEOF'
revision = '0666'
down_revision = '0001'


def upgrade():
    op.add_column('users', sa.Column('evil0666', sa.Integer, nullable=False))
PYEOF
sed 's/0666/0667/g' "$out/evil.py" > "$out/mig/versions/0667_evil.py"
printf 'ignore = ["SC2"]\n' > "$out/conf.toml"
printf '[tool.schemacheck]\nignore = ["SC2"]\n' > "$out/pyproject.toml"
printf '[alembic]\nscript_location = %s/mig\n' "$out" > "$out/alembic.ini"

r=$(staged_repo symlinks)
ln -s /etc/passwd "$r/migrations/versions/passwd.py"
ln -s "$out/evil.py" "$r/migrations/versions/evil.py"
ln -s "$out/mig/versions" "$r/migrations/versions/linked"
ln -s "$out/evil.py" "$r/app/evil_models.py"
ln -s "$out" "$r/app/linkdir"
git -C "$r" add -A
in_modes "tracked symlinks out of the repository" "0" "$r"
lacks "0666" "symlinked file: never read"
lacks "0667" "symlinked folder: never read"
lacks "root:" "symlink to /etc/passwd: never read"
run_h "symlinks: heads" "0" "$SC" -C "$r" heads
lacks "0667" "symlinks: heads does not read the symlinked folder"
cp -R "$r" "$TMP/symlinks-plain"
rm -rf "$TMP/symlinks-plain/.git"
run_h "symlinks outside git: --all" "0" "$SC" -C "$TMP/symlinks-plain" --all
lacks "066" "symlinks outside git: never read"
run_h "symlinks outside git: heads" "0" "$SC" -C "$TMP/symlinks-plain" heads
lacks "066" "symlinks outside git: heads never reads them"

# alembic.ini naming a folder outside (absolute, and through %(here)s/..),
# and alembic.ini itself a symlink out: the outside migrations are not read.
r=$(staged_repo outini)
mig_sc201_bad "$r"
printf '[alembic]\nscript_location = %s/mig\n' "$out" > "$r/alembic.ini"
git -C "$r" add -A
in_modes "alembic.ini script_location outside the repository (absolute)" "0 1 3" "$r"
lacks "0667" "alembic.ini absolute outside: never read"
printf '[alembic]\nscript_location = %%(here)s/../outside/mig\n' > "$r/alembic.ini"
git -C "$r" add -A
in_modes "alembic.ini script_location outside the repository (../)" "0 1 3" "$r"
lacks "0667" "alembic.ini ../ outside: never read"
rm "$r/alembic.ini"
ln -s "$out/alembic.ini" "$r/alembic.ini"
git -C "$r" add -A
in_modes "alembic.ini a symlink out of the repository" "0 1 3" "$r"
lacks "0667" "alembic.ini symlink: never read"
rm "$r/alembic.ini"
printf 'migrations = ["../outside/mig/versions", "%s/mig/versions"]\n' "$out" > "$r/.schemacheck.toml"
git -C "$r" add -A
in_modes "configured migrations folders outside the repository" "0 1 2 3" "$r"
lacks "0667" "configured outside folders: never read"
rm "$r/.schemacheck.toml"

# The configuration files as symlinks out of the repository: the outside
# file (which would ignore SC2) is not applied, /etc/passwd is not read,
# and /dev/stdin (a pipe that never ends, as a CI runner may give) does
# not block the run.
r=$(staged_repo cfglink)
mig_sc201_bad "$r"
ln -s "$out/conf.toml" "$r/.schemacheck.toml"
git -C "$r" add -A
in_modes ".schemacheck.toml a symlink out of the repository" "1 2 3" "$r"
expect_diag SC201 ".schemacheck.toml symlink: the outside configuration is not applied"
rm "$r/.schemacheck.toml"
ln -s "$out/pyproject.toml" "$r/pyproject.toml"
git -C "$r" add -A
in_modes "pyproject.toml a symlink out of the repository" "1 2 3" "$r"
expect_diag SC201 "pyproject.toml symlink: the outside configuration is not applied"
rm "$r/pyproject.toml"
ln -s /etc/passwd "$r/pyproject.toml"
git -C "$r" add -A
in_modes "pyproject.toml -> /etc/passwd" "1 2 3" "$r"
lacks "invalid TOML" "pyproject.toml -> /etc/passwd: not read (no TOML error about it)"
rm "$r/pyproject.toml"
ln -s /dev/stdin "$r/.schemacheck.toml"
git -C "$r" add -A
# stdin: a pipe whose writer (a background sleep) stays open longer than
# the limit; the shell itself does not wait for it
run_h ".schemacheck.toml -> /dev/stdin, stdin an open pipe" "1 2 3" \
	sh -c '{ sleep '"$((LIMIT + 10))"' & } | "$0" -C "$1" --staged' "$SC" "$r"
rm "$r/.schemacheck.toml"
git -C "$r" add -A
# --config naming a FIFO that no one writes to: refused, not waited on
mkfifo "$TMP/config-fifo"
run_h "--config naming a FIFO" "2" "$SC" -C "$r" --config "$TMP/config-fifo" --staged
expect_contains "not a regular file" "--config naming a FIFO: says it is not a regular file"

# ---- submodules -------------------------------------------------------------

s=$(staged_repo subsrc)
mig_sc201_bad "$s"
mig_sc101_bad "$s"
commit_all "$s" bad
r=$(staged_repo submodule)
git -C "$r" -c protocol.file.allow=always submodule add -q "$s" migrations/versions/vendored > /dev/null 2>&1
git -C "$r" -c protocol.file.allow=always submodule add -q "$s" vendor/sub > /dev/null 2>&1
if [ "$(git -C "$r" ls-files -s | grep -c '^160000')" -eq 2 ]; then ok "submodules: set up"; else not_ok "submodules: set up" "$(git -C "$r" ls-files -s)"; fi
in_modes "submodules (one inside versions/)" "0" "$r"
lacks "vendored" "submodules: skipped (--staged, --all)"
commit_all "$r" submodules
run_h "submodules: --diff HEAD~1" "0" "$SC" -C "$r" --diff HEAD~1
lacks "vendored" "submodules: skipped (--diff)"
run_h "submodules: heads" "0" "$SC" -C "$r" heads
lacks "vendored" "submodules: skipped (heads)"

# ---- HEAD states, bare repositories, worktrees ----------------------------------

u=$(new_repo unborn)
run_h "unborn HEAD, empty index: --staged" "0" "$SC" -C "$u" --staged
run_h "unborn HEAD, empty index: --all" "0" "$SC" -C "$u" --all
run_h "unborn HEAD, empty index: heads" "0" "$SC" -C "$u" heads
run_h "unborn HEAD: --diff main" "2 3" "$SC" -C "$u" --diff main
expect_contains "main" "unborn HEAD: --diff names the revision it cannot find"
cp -R "$s/migrations" "$s/app" "$u/"
git -C "$u" add -A
run_h "unborn HEAD, staged files: --staged" "1" "$SC" -C "$u" --staged
expect_diag SC201 "unborn HEAD: everything staged is new (SC201)"
run_h "unborn HEAD, staged files: --all" "1" "$SC" -C "$u" --all

d=$(staged_repo detached)
echo more >> "$d/README.txt"
commit_all "$d" two
git -C "$d" checkout -q --detach HEAD~1
mig_sc201_bad "$d"
git -C "$d" add -A
in_modes "detached HEAD" "1" "$d"
expect_diag SC201 "detached HEAD: the staged migration is checked"
run_h "detached HEAD: --diff main" "0 1" "$SC" -C "$d" --diff main

git clone -q --bare "$s" "$TMP/bare.git" 2> /dev/null
for m in --staged --all heads "--diff HEAD~1"; do
	# shellcheck disable=SC2086 # $m is a mode and its argument
	run_h "bare repository: $m" "3" "$SC" -C "$TMP/bare.git" $m
	expect_contains "bare repository" "bare repository: $m says 'bare repository'"
done
mkdir -p "$TMP/elsewhere"
run_h "bare repository through GIT_DIR" "3" env GIT_DIR="$TMP/bare.git" "$SC" -C "$TMP/elsewhere" --staged
expect_contains "bare" "bare repository through GIT_DIR: says it is bare (not 'not a git repository')"

git -C "$s" branch -q wtbranch
git -C "$s" worktree add -q "$TMP/linked wt" wtbranch 2> /dev/null
migration "$TMP/linked wt" 0003_age.py 0003 0002 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('age', sa.Integer, nullable=False))


def downgrade():
    op.drop_column('users', 'age')
PYEOF
git -C "$TMP/linked wt" add -A
run_h "linked worktree: --staged" "1" "$SC" -C "$TMP/linked wt" --staged
expect_contains "0003_age.py:16:5: error[SC201]" "linked worktree: --staged checks the worktree's index"
expect_not_contains "0002_email.py" "linked worktree: --staged reports only the change"
run_h "linked worktree: --all" "1" "$SC" -C "$TMP/linked wt" --all
expect_contains "0003_age.py" "linked worktree: --all reads the worktree's files"
run_h "linked worktree: heads" "0 1" "$SC" -C "$TMP/linked wt" heads
commit_all "$TMP/linked wt" age
run_h "linked worktree: --diff main" "1" "$SC" -C "$TMP/linked wt" --diff main
expect_contains "0003_age.py:16:5: error[SC201]" "linked worktree: --diff main checks the worktree's branch"

# ---- index formats libgit2 1.5 cannot read -------------------------------------

r=$(staged_repo sparse)
mkdir -p "$r/other"
echo x > "$r/other/f"
commit_all "$r" other
git -C "$r" sparse-checkout init --cone --sparse-index 2> /dev/null
git -C "$r" sparse-checkout set migrations app 2> /dev/null
mig_sc201_bad "$r"
git -C "$r" add -A
for m in --staged --all heads "--diff HEAD"; do
	# shellcheck disable=SC2086
	run_h "sparse index: $m" "3" "$SC" -C "$r" $m
	expect_contains "sparse index" "sparse index: $m names the limitation"
done
git -C "$r" sparse-checkout init --cone --no-sparse-index 2> /dev/null
run_h "sparse checkout without a sparse index: --staged" "1" "$SC" -C "$r" --staged
expect_diag SC201 "sparse checkout without a sparse index: checked as usual"

r=$(staged_repo split)
git -C "$r" update-index --split-index
mig_sc201_bad "$r"
git -C "$r" add -A
for m in --staged --all heads "--diff HEAD"; do
	# shellcheck disable=SC2086
	run_h "split index: $m" "3" "$SC" -C "$r" $m
	expect_contains "split index" "split index: $m names the limitation"
done

# ---- a repository owned by another user ------------------------------------------

if [ "$(id -u)" -eq 0 ] && id nobody > /dev/null 2>&1; then
	r=$(staged_repo owner)
	mig_sc201_bad "$r"
	git -C "$r" add -A
	chown -R nobody "$r"
	for m in --staged --all heads; do
		run_h "repository owned by another user: $m" "3" "$SC" -C "$r" $m
		expect_contains "safe.directory" "repository owned by another user: $m gives the safe.directory hint"
	done
	git config --global --add safe.directory "$r"
	run_h "repository owned by another user, listed in safe.directory" "1" "$SC" -C "$r" --staged
	expect_diag SC201 "repository owned by another user, listed in safe.directory: checked"
	git config --global --unset-all safe.directory
	chown -R "$(id -u)" "$r"
else
	N=$((N + 1))
	echo "ok $N # skip repository owned by another user: needs root to chown (uid $(id -u))"
fi

# ---- file names -----------------------------------------------------------

r=$(staged_repo names)
mig_sc201_bad "$r"
mv "$r/migrations/versions/0002_email.py" "$r/migrations/versions/0002 add email.py"
mig_sc101_bad "$r"
sed "s/'0002'/'0003'/; s/'0001'/'0002'/" "$r/migrations/versions/0002_invoices.py" > "$r/migrations/versions/0003_ünïcødé_日本.py"
rm "$r/migrations/versions/0002_invoices.py"
migration "$r" x.py 0004 0003 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('age', sa.Integer, nullable=False))


def downgrade():
    op.drop_column('users', 'age')
PYEOF
mv "$r/migrations/versions/x.py" "$r/migrations/versions/0004_new
line.py"
sed "s/'0004'/'0005'/; s/'0003'/'0004'/; s/'age'/'esc'/g" "$r/migrations/versions/0004_new
line.py" > "$r/migrations/versions/0005_$(printf '\033')[31mred.py"
git -C "$r" add -A
in_modes "file names with spaces, unicode, a newline and an escape" "1" "$r"
expect_contains "0002 add email.py:16:5: error[SC201]" "file names: spaces"
expect_contains "0003_ünïcødé_日本.py:15:5: error[SC101]" "file names: unicode"
expect_contains "line.py:16:5: error[SC201]" "file names: a newline"
if [ "$HAVE_PY" = 1 ]; then
	run_h "file names: --format json" "1" "$SC" -C "$r" --all --format json
	got=$(python3 -c 'import json,sys; print(sorted({d["path"] for d in json.load(open(sys.argv[1]))["diagnostics"]}))' "$TMP/out" 2>&1)
	want="['migrations/versions/0002 add email.py', 'migrations/versions/0003_ünïcødé_日本.py', 'migrations/versions/0004_new\\nline.py', 'migrations/versions/0005_\\x1b[31mred.py']"
	if [ "$got" = "$want" ]; then ok "file names: JSON paths are exact"; else not_ok "file names: JSON paths are exact" "got:  $got" "want: $want"; fi
fi
run_h "file names: --format github" "1" "$SC" -C "$r" --all --format github
if [ "$(grep -c '^::' "$TMP/out")" -eq "$(wc -l < "$TMP/out")" ]; then ok "file names: github output has one command per line (newline escaped)"; else not_ok "file names: github output has one command per line (newline escaped)" "$(cat "$TMP/out")"; fi
run_h "file names: a PATH argument with a space" "1" "$SC" -C "$r" --all "migrations/versions/0002 add email.py"
expect_not_contains "0003_" "file names: the PATH argument limits the report"
run_h "file names: text output" "1" "$SC" -C "$r" --all --color never
esc=$(printf '\033')
if grep -q "$esc" "$TMP/out"; then
	not_ok "file names: text output carries no raw escape character from the repository" "$(grep -n "$esc" "$TMP/out" | head -n 3 | od -c | head -n 6)"
else
	ok "file names: text output carries no raw escape character from the repository"
fi

# ---- 10,000 revisions (BIG) --------------------------------------------------

r=$(staged_repo cycle)
awk -v d="$r/migrations/versions" -v n="$BIG" 'BEGIN { for (i = 1; i <= n; i++) { f = sprintf("%s/c%05d.py", d, i); printf "revision = \"c%05d\"\ndown_revision = \"c%05d\"\n\n\ndef upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n", i, (i == 1 ? n : i - 1) > f; close(f) } }'
git -C "$r" add -A
in_modes "a revision cycle of $BIG revisions" "1" "$r"
expect_diag SC305 "a cycle of $BIG: SC305"
run_h "a cycle of $BIG: heads" "0 1" "$SC" -C "$r" heads

r=$(staged_repo chain)
awk -v d="$r/migrations/versions" -v n="$BIG" 'BEGIN { for (i = 1; i <= n; i++) { f = sprintf("%s/c%05d.py", d, i); p = (i == 1 ? "0001" : sprintf("c%05d", i - 1)); printf "revision = \"c%05d\"\ndown_revision = \"%s\"\n\n\ndef upgrade():\n    op.add_column(\"users\", sa.Column(\"c%d\", sa.Integer))\n\n\ndef downgrade():\n    op.drop_column(\"users\", \"c%d\")\n", i, p, i, i > f; close(f) } }'
git -C "$r" add -A
run_h "a chain of $BIG revisions: --all" "0" "$SC" -C "$r" --all
run_h "a chain of $BIG revisions: heads" "0" "$SC" -C "$r" heads
expect_contains "$(printf 'c%05d' "$BIG")" "a chain of $BIG: heads is the last one"

# ---- patterns that backtrack -------------------------------------------------

r=$(staged_repo globs)
deep=$(awk 'BEGIN { for (i = 0; i < 40; i++) printf "a/" }')
long=$(awk 'BEGIN { for (i = 0; i < 200; i++) printf "a" }')
stars=$(awk 'BEGIN { for (i = 0; i < 16; i++) printf "**/"; printf "x" }')
stara=$(awk 'BEGIN { for (i = 0; i < 12; i++) printf "*a"; printf "b" }')
mkdir -p "$r/$deep" "$r/app/$long" "$r/migrations/versions/$deep"
printf 'x = 1\n' > "$r/${deep}y.py"
printf 'x = 1\n' > "$r/app/$long/$long.py"
mig_sc201_bad "$r"
mv "$r/migrations/versions/0002_email.py" "$r/migrations/versions/${deep}0002_email.py"
git -C "$r" add -A
printf 'exclude = ["%s"]\n' "$stars" > "$r/.schemacheck.toml"
in_modes "exclude = [\"**/\" x16 + \"x\"] against 40-deep paths" "0 1" "$r"
printf 'exclude = ["app/*/%s"]\n' "$stara" > "$r/.schemacheck.toml"
in_modes "exclude = [\"*a\" x12 + \"b\"] against a 200-character name" "0 1" "$r"
printf 'models = ["%s", "app/*/%s"]\n' "$stars" "$stara" > "$r/.schemacheck.toml"
in_modes "models globs that backtrack" "0 1" "$r"
printf '[per-file-ignores]\n"%s" = ["SC201"]\n"migrations/%s" = ["SC1"]\n' "$stars" "$stara" > "$r/.schemacheck.toml"
in_modes "per-file-ignores globs that backtrack, a diagnostic 40 folders deep" "0 1" "$r"
printf 'code = ["%s"]\n' "$stars" > "$r/.schemacheck.toml"
in_modes "code globs that backtrack" "0 1" "$r"
sel=$(awk 'BEGIN { for (i = 0; i < 100000; i++) printf "S" }')
printf 'select = ["%s"]\n' "$sel" > "$r/.schemacheck.toml"
run_h "select with a 100,000-character selector" "2" "$SC" -C "$r" --staged
printf '[per-file-ignores]\n"%s%s" = ["%s"]\n' "$stars" "$sel" "SC2" > "$r/.schemacheck.toml"
run_h "per-file-ignores with a 100,000-character pattern" "0 1" "$SC" -C "$r" --staged
run_h "--select with 10,000 selectors" "0 1 2" "$SC" -C "$r" --no-config --staged --select "$(awk 'BEGIN { for (i = 0; i < 10000; i++) printf "SC2,"; printf "SC1" }')"
rm -f "$r/.schemacheck.toml"
git -C "$r" add -A
commit_all "$r" globs
git -C "$r" tag "v$long"
models_users "$r" no
migration "$r" 0003_drop.py 0003 0002 <<'PYEOF'

def upgrade():
    op.drop_column('users', 'nickname')


def downgrade():
    op.add_column('users', sa.Column('nickname', sa.String(50)))
PYEOF
printf 'release-tags = "%s"\n' "$stara" > "$r/.schemacheck.toml"
git -C "$r" add -A
run_h "release-tags glob that backtracks against a 200-character tag" "0 1" "$SC" -C "$r" --staged

# ---- code that would run if imported ----------------------------------------------

r=$(staged_repo pwned)
p1=$TMP/pwned-module-$$
p2=$TMP/pwned-upgrade-$$
p3=$TMP/pwned-env-$$
p4=$TMP/pwned-models-$$
migration "$r" 0002_pwn.py 0002 0001 <<PYEOF
open('$p1', 'w').write('x')
__import__('os').system('touch $p1')


def upgrade():
    open('$p2', 'w').write('x')
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    __import__('os').system('touch $p2')
PYEOF
printf "open('%s', 'w').write('x')\n" "$p3" >> "$r/migrations/env.py"
printf "open('%s', 'w').write('x')\n" "$p4" >> "$r/app/models.py"
printf "import os\nos.system('touch %s')\n" "$p4" > "$r/app/__init__.py"
printf '[alembic]\nscript_location = migrations\n' > "$r/alembic.ini"
printf 'from setuptools import setup\nopen("%s", "w").write("x")\nsetup()\n' "$p1" > "$r/setup.py"
printf 'import os\nos.system("touch %s")\n' "$p1" > "$r/conftest.py"
git -C "$r" add -A
in_modes "code that writes files at import and in upgrade()" "1" "$r"
run_h "code that writes files: heads" "0" "$SC" -C "$r" heads
expect_status 0 "code that writes files: schemacheck install" in_dir "$r" "$SC" install
git_real -C "$r" commit -q -m pwn > /dev/null 2>&1
commit_all "$r" pwn
run_h "code that writes files: --diff HEAD~1" "1" "$SC" -C "$r" --diff HEAD~1
written=""
for f in "$p1" "$p2" "$p3" "$p4"; do [ -e "$f" ] && written="$written $f"; done
if [ -z "$written" ]; then ok "nothing the repository's code would write was written"; else not_ok "nothing the repository's code would write was written" "written:$written"; fi

exit 0
