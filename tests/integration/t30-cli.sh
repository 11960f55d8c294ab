#!/bin/sh
# t30-cli.sh: the command line: --version/--help, usage errors, rules,
# explain, output formats, --select/--ignore/--strict/--quiet,
# suppressions, and the README's rules table.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK
top=$(cd "$(dirname "$0")/../.." && pwd)

# capture CMD...: stdout in $STDOUT, stderr in $STDERR, status in $RC.
capture() {
	"$@" > "$TMP/stdout" 2> "$TMP/stderr"
	RC=$?
	STDOUT=$(cat "$TMP/stdout")
	STDERR=$(cat "$TMP/stderr")
}

# jq_ok FILTER TITLE: jq -e FILTER on $TMP/stdout.
jq_ok() {
	if jq -e "$1" "$TMP/stdout" >/dev/null 2>"$TMP/jqerr"; then
		ok "$2"
	else
		not_ok "$2" "jq -e '$1' failed: $(cat "$TMP/jqerr")" "$(head -n 40 "$TMP/stdout")"
	fi
}

# Version and help --------------------------------------------------------
expect_status 0 "--version exits 0" "$SC" --version
if [ -f "$top/VERSION" ]; then
	expect_contains "$(cat "$top/VERSION")" "--version prints the VERSION"
fi
expect_status 0 "--help exits 0" "$SC" --help
expect_contains "--staged" "--help describes --staged"
expect_contains "--diff" "--help describes --diff"
expect_contains "--all" "--help describes --all"

# Usage errors ------------------------------------------------------------
expect_status 2 "an unknown option exits 2" "$SC" --bogus-option
expect_contains "--bogus-option" "the unknown option is named in the message"
expect_status 2 "an unknown --select code exits 2" "$SC" --all --select SC999
expect_contains "SC999" "the unknown --select code is named"
expect_contains "--select" "the message about the unknown code names --select"
expect_status 2 "an unknown --ignore code exits 2" "$SC" --all --ignore SC998
expect_contains "SC998" "the unknown --ignore code is named"
expect_contains "--ignore" "the message about the unknown code names --ignore"
expect_status 2 "an unknown --format exits 2" "$SC" --all --format yaml
expect_contains "yaml" "the unknown format is named"
capture "$SC" --bogus-option
if [ -z "$STDOUT" ] && [ -n "$STDERR" ]; then ok "a usage error goes to stderr, not stdout"; else not_ok "a usage error goes to stderr, not stdout" "stdout: $STDOUT" "stderr: $STDERR"; fi

# rules -------------------------------------------------------------------
expect_status 0 "rules exits 0" "$SC" rules
rules_out=$OUT
codes="SC001 SC002 SC101 SC102 SC201 SC203 SC401"
if [ -f "$top/rules/rules.def" ]; then
	codes="$codes $(sed -n 's/^SC_RULE(\(SC[0-9]*\)).*/\1/p' "$top/rules/rules.def")"
fi
# shellcheck disable=SC2086 # split the list on purpose
codes=$(printf '%s\n' $codes | sort -u)
for c in $codes; do
	OUT=$rules_out
	expect_contains "$c" "rules lists $c"
done
capture "$SC" rules --format json
[ "$RC" -eq 0 ] && ok "rules --format json exits 0" || not_ok "rules --format json exits 0" "got $RC"
jq_ok 'type == "array" and length >= 7' "rules --format json parses as an array"
jq_ok '[.[].code] == ([.[].code] | sort)' "rules --format json is sorted by code"
jq_ok 'all(.[]; (.code|type)=="string" and (.name|type)=="string" and (.severity=="error" or .severity=="warning") and (.summary|type)=="string")' \
	"rules --format json has code, name, severity, summary"
jq_ok '[.[].code] | unique | length == (. | length)' "rules --format json has no duplicate code"
for c in $codes; do
	jq_ok "any(.[]; .code == \"$c\")" "rules --format json lists $c"
done
jq_ok 'any(.[]; .code=="SC201" and .name=="not-null-without-default" and .severity=="error")' \
	"rules --format json: SC201 is not-null-without-default, error"
jq_ok 'any(.[]; .code=="SC002" and .name=="unused-suppression" and .severity=="warning")' \
	"rules --format json: SC002 is unused-suppression, warning"

# explain -----------------------------------------------------------------
for what in SC201 not-null-without-default; do
	expect_status 0 "explain $what exits 0" "$SC" explain "$what"
	expect_contains "SC201" "explain $what names SC201"
	for sec in "## What it does" "## Why is this bad?" "## Example" "## Use instead"; do
		expect_contains "$sec" "explain $what has '$sec'"
	done
done
for c in $codes; do
	OUT=$("$SC" explain "$c" 2>&1)
	rc=$?
	missing=
	for sec in "## What it does" "## Why is this bad?" "## Example" "## Use instead"; do
		case "$OUT" in *"$sec"*) ;; *) missing="$missing '$sec'" ;; esac
	done
	if [ $rc -eq 0 ] && [ -z "$missing" ]; then ok "explain $c: exit 0 and the four sections"; else not_ok "explain $c: exit 0 and the four sections" "exit $rc, missing:$missing"; fi
done
expect_status 2 "explain SC999 exits 2" "$SC" explain SC999
expect_contains "SC999" "explain SC999 names the code"
expect_status 2 "explain of an unknown name exits 2" "$SC" explain no-such-rule

# A repository with problems ----------------------------------------------
r=$(new_repo cli)
base_project "$r"
mig_sc101_bad "$r"
migration "$r" 0003_email.py 0003 0002 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
git -C "$r" add -A
email_line=$(grep -n "op.add_column" "$r/migrations/versions/0003_email.py" | head -n 1 | cut -d: -f1)

# text
expect_status 1 "text: a failing check exits 1" "$SC" -C "$r"
expect_contains "migrations/versions/0003_email.py:$email_line:5: error[SC201] not-null-without-default: column 'users.email'" \
	"text: PATH:LINE:COL: error[SC201] name: message"
expect_contains "= help: " "text: a help line"
expect_contains "Found 2 errors and 0 warnings in 2 files." "text: the summary line"
capture "$SC" -C "$r" --color never
case "$STDOUT" in *"[SC201]"*) ok "text: diagnostics go to stdout" ;; *) not_ok "text: diagnostics go to stdout" "stdout: $STDOUT" ;; esac
case "$STDOUT" in *"$(printf '\033')"*) not_ok "text: no colour when not a terminal" ;; *) ok "text: no colour when not a terminal" ;; esac

# json
capture "$SC" -C "$r" --format json
[ "$RC" -eq 1 ] && ok "json: a failing check exits 1" || not_ok "json: a failing check exits 1" "got $RC" "$STDERR"
jq_ok '.version == 1 and .mode == "staged"' "json: version 1, mode staged"
jq_ok '(.diagnostics | type) == "array" and (.diagnostics | length) == 2' "json: two diagnostics"
jq_ok 'all(.diagnostics[]; has("code") and has("name") and has("severity") and has("path") and has("line") and has("column") and has("end_line") and has("end_column") and has("message") and has("help") and has("subject"))' \
	"json: every diagnostic has code/name/severity/path/line/column/end_line/end_column/message/help/subject"
jq_ok 'all(.diagnostics[]; (.line|type)=="number" and (.column|type)=="number" and (.end_line|type)=="number" and (.end_column|type)=="number" and .line >= 1 and .column >= 1)' \
	"json: positions are 1-based numbers"
jq_ok ".diagnostics[] | select(.code==\"SC201\") | .name==\"not-null-without-default\" and .severity==\"error\" and .path==\"migrations/versions/0003_email.py\" and .line==$email_line and .column==5 and .end_line==$email_line and .end_column > .column" \
	"json: the SC201 diagnostic's name, severity, path and position"
jq_ok '.diagnostics[] | select(.code=="SC201") | .subject.table=="users" and .subject.column=="email" and .subject.revision=="0003"' \
	"json: the SC201 subject is users.email at revision 0003"
jq_ok '.diagnostics[] | select(.code=="SC201") | (.message|test("users.email")) and (.help|length) > 0' \
	"json: the SC201 message and help"
jq_ok '.diagnostics[] | select(.code=="SC101") | .path=="migrations/versions/0002_invoices.py" and .severity=="error"' \
	"json: the SC101 diagnostic"
jq_ok '[.diagnostics[].path] == ([.diagnostics[].path] | sort)' "json: diagnostics sorted by path"
jq_ok '.summary.errors == 2 and .summary.warnings == 0 and .summary.files == 2' "json: summary errors/warnings/files"
capture "$SC" -C "$r" --all --format json
jq_ok '.mode == "all"' "json: mode all"
git -C "$r" stash -q
git -C "$r" checkout -q -b feature
git -C "$r" stash pop -q
commit_all "$r" "feature"
capture "$SC" -C "$r" --diff main --format json
jq_ok '.mode == "diff" and (.diagnostics|length) == 2' "json: mode diff"
git -C "$r" reset -q --soft main
git -C "$r" checkout -q main
capture "$SC" -C "$r" --format json --select SC001
[ "$RC" -eq 0 ] && ok "json: a passing check exits 0" || not_ok "json: a passing check exits 0" "got $RC"
jq_ok '.diagnostics == [] and .summary.errors == 0' "json: a passing check has no diagnostics"

# github
expect_status 1 "github: a failing check exits 1" "$SC" -C "$r" --format github
expect_contains "::error file=migrations/versions/0003_email.py,line=$email_line,col=5," "github: ::error file=,line=,col="
expect_contains "title=SC201 not-null-without-default::" "github: title=CODE name::"

# --select / --ignore -----------------------------------------------------
sel() { # sel WANT-STATUS HAS NOT TITLE ARGS...
	s_want=$1 s_has=$2 s_not=$3 s_title=$4
	shift 4
	expect_status "$s_want" "$s_title: exit $s_want" "$SC" -C "$r" "$@"
	for c in $s_has; do expect_diag "$c" "$s_title: reports $c"; done
	for c in $s_not; do expect_no_diag "$c" "$s_title: does not report $c"; done
}
sel 1 "SC101 SC201" "" "no selection" --staged
sel 1 SC201 SC101 "--select SC201" --select SC201
sel 1 SC101 SC201 "--ignore SC201" --ignore SC201
sel 1 SC201 SC101 "--select SC2 (prefix)" --select SC2
sel 1 SC201 SC101 "--ignore SC1 (prefix)" --ignore SC1
sel 1 SC101 SC201 "--select missing-downgrade (name)" --select missing-downgrade
sel 1 SC101 SC201 "--ignore not-null-without-default (name)" --ignore not-null-without-default
sel 1 "SC101 SC201" "" "--select SC101,SC201" --select SC101,SC201
sel 0 "" "SC101 SC201" "--ignore SC101,SC201" --ignore SC101,SC201
sel 1 SC201 SC101 "--select SC1,SC2 --ignore SC101" --select SC1,SC2 --ignore SC101

# --quiet
expect_status 1 "--quiet: a failing check exits 1" "$SC" -C "$r" --quiet
expect_contains "[SC201]" "--quiet: diagnostics are printed"
expect_not_contains "Found " "--quiet: no summary line"
expect_status 0 "--quiet: a passing check exits 0" "$SC" -C "$r" --quiet --ignore SC101,SC201
expect_not_contains "All checks passed" "--quiet: no 'All checks passed.'"
expect_status 0 "without --quiet a passing check says so" "$SC" -C "$r" --ignore SC101,SC201
expect_contains "All checks passed." "without --quiet: 'All checks passed.'"

# Suppressions ------------------------------------------------------------
s=$(new_repo supp)
base_project "$s"
# supp TITLE WANT HAS NOT [ARGS...] < body of 0002_email.py
supp() {
	p_title=$1 p_want=$2 p_has=$3 p_not=$4
	shift 4
	migration "$s" 0002_email.py 0002 0001
	git -C "$s" add -A
	expect_status "$p_want" "$p_title: exit $p_want" "$SC" -C "$s" "$@"
	for c in $p_has; do expect_diag "$c" "$p_title: reports $c"; done
	for c in $p_not; do expect_no_diag "$c" "$p_title: does not report $c"; done
}
supp "unsuppressed" 1 SC201 SC002 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "ignore[SC201] on the same line" 0 "" "SC201 SC002" <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))  # schemacheck: ignore[SC201] -- the table is empty


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "ignore[SC201] alone on the line before" 0 "" "SC201 SC002" <<'PYEOF'

def upgrade():
    # schemacheck: ignore[SC201] -- the table is empty
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "# noqa: SC201" 0 "" "SC201 SC002" <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))  # noqa: SC201


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "ignore-file[SC201]" 0 "" "SC201 SC002" <<'PYEOF'
# schemacheck: ignore-file[SC201] -- every table here is empty

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "ignore[SC201] two lines above does not suppress" 1 SC201 "" <<'PYEOF'

def upgrade():
    # schemacheck: ignore[SC201] -- too far away
    x = 1
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "ignore of another code on the line does not suppress SC201" 1 "SC201 SC002" "" <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))  # schemacheck: ignore[SC203] -- wrong code


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "an unused ignore[SC201] is SC002 (a warning)" 0 SC002 SC201 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False, server_default=''))  # schemacheck: ignore[SC201] -- not needed


def downgrade():
    op.drop_column('users', 'email')
PYEOF
expect_contains "warning[SC002]" "an unused suppression is a warning"
expect_contains "Found 0 errors and 1 warnings in 1 files." "an unused suppression: the summary counts one warning"
supp "an unused noqa is SC002" 0 SC002 SC201 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=True))  # noqa: SC201


def downgrade():
    op.drop_column('users', 'email')
PYEOF
supp "an unused ignore-file is SC002" 0 SC002 SC201 <<'PYEOF'
# schemacheck: ignore-file[SC201] -- nothing to ignore

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=True))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
# --strict: the warning fails.
supp "--strict: an SC002 warning fails" 1 SC002 SC201 --strict <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False, server_default=''))  # schemacheck: ignore[SC201] -- not needed


def downgrade():
    op.drop_column('users', 'email')
PYEOF
expect_status 0 "--strict with no warning exits 0" "$SC" -C "$s" --strict --ignore SC002
expect_status 0 "--strict --all with no finding exits 0" "$SC" -C "$s" --strict --all --ignore SC002

# The README's rules table ------------------------------------------------
readme="$(dirname "$0")/../../README.md"
if [ -f "$readme" ]; then
	sed -n '/<!-- rules:begin -->/,/<!-- rules:end -->/p' "$readme" | sed '1d;$d' > "$TMP/readme-table"
	"$SC" rules --format md > "$TMP/rules-md" 2>&1
	if cmp -s "$TMP/readme-table" "$TMP/rules-md"; then
		ok "README.md's rules table equals 'schemacheck rules --format md'"
	else
		not_ok "README.md's rules table equals 'schemacheck rules --format md'" \
			"$(diff "$TMP/readme-table" "$TMP/rules-md" | head -n 20)"
	fi
else
	not_ok "README.md's rules table equals 'schemacheck rules --format md'" "no $readme"
fi
