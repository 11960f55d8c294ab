#!/bin/sh
# t95-install.sh: `make install PREFIX=...` (the binary, the manual page
# schemacheck(1) made from the binary's own texts, the hook copy), the
# installed binary and hook at work in a real repository, the manual page
# rendered by man-db, and `make docs-check`. The binary under test is
# never rebuilt (make -o); its manual page is regenerated from it (-W).
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK
top=$(cd "$(dirname "$0")/../.." && pwd)
bdir=$(cd "$(dirname "$SC")" && pwd)

# mk ARGS...: make in the source tree for the build folder of the binary
# under test, without rebuilding that binary.
mk() {
	(unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
	 make --no-print-directory -C "$top" B="$bdir" -o "$bdir/schemacheck" -W "$bdir/schemacheck" "$@")
}

P="$TMP/prefix"
expect_status 0 "make install PREFIX=$P" mk install PREFIX="$P"
for f in bin/schemacheck share/man/man1/schemacheck.1 share/schemacheck/hooks/pre-commit; do
	if [ -f "$P/$f" ]; then ok "make install: $f"; else not_ok "make install: $f" "$(find "$P" 2>&1)"; fi
done
if [ -x "$P/bin/schemacheck" ] && [ -x "$P/share/schemacheck/hooks/pre-commit" ]; then ok "make install: the binary and the hook are executable"; else not_ok "make install: the binary and the hook are executable" "$(ls -lR "$P")"; fi
if cmp -s "$P/bin/schemacheck" "$SC"; then ok "make install: bin/schemacheck is the binary under test"; else not_ok "make install: bin/schemacheck is the binary under test"; fi

# The installed binary ----------------------------------------------------------
I="$P/bin/schemacheck"
expect_status 0 "installed: --version" "$I" --version
expect_contains "$("$SC" --version)" "installed: --version is the built one's"
"$I" rules > "$TMP/rules.installed" 2>&1
"$SC" rules > "$TMP/rules" 2>&1
if cmp -s "$TMP/rules" "$TMP/rules.installed" && [ -s "$TMP/rules" ]; then ok "installed: rules"; else not_ok "installed: rules"; fi
r=$(new_repo installed)
base_project "$r"
expect_status 0 "installed: schemacheck install" in_dir "$r" "$I" install
if grep -qF "$I" "$r/.git/hooks/pre-commit"; then ok "installed: the hook runs the installed binary"; else not_ok "installed: the hook runs the installed binary" "$(cat "$r/.git/hooks/pre-commit")"; fi
mig_sc201_bad "$r"
git -C "$r" add -A
h=$(head_of "$r")
expect_status 1 "installed: a real commit of a bad migration is refused" git_real -C "$r" commit -m bad
expect_diag SC201 "installed: the refusal is SC201"
expect_head_same "$r" "$h" "installed: no commit"
mig_sc201_fix "$r"
git -C "$r" add -A
expect_status 0 "installed: the fixed commit is accepted" git_real -C "$r" commit -m good
expect_head_moved "$r" "$h" "installed: the fixed commit was made"

# The installed hook copy, used by hand (no schemacheck on PATH) -------------------
hook="$P/share/schemacheck/hooks/pre-commit"
if grep -q "@SCHEMACHECK@" "$hook"; then not_ok "the installed hook has no @SCHEMACHECK@ placeholder" "$(cat "$hook")"; else ok "the installed hook has no @SCHEMACHECK@ placeholder"; fi
if grep -qF "'$I'" "$hook"; then ok "the installed hook names PREFIX/bin/schemacheck"; else not_ok "the installed hook names PREFIX/bin/schemacheck" "$(cat "$hook")"; fi
expect_status 0 "the installed hook is valid sh" sh -n "$hook"
r=$(new_repo hookcopy)
base_project "$r"
cp "$hook" "$r/.git/hooks/pre-commit"
mig_sc201_bad "$r"
git -C "$r" add -A
h=$(head_of "$r")
expect_status 1 "the hook copy refuses a bad commit with only /usr/bin:/bin on PATH" \
	env -u SCHEMACHECK PATH=/usr/bin:/bin git -C "$r" commit -m bad
expect_diag SC201 "the hook copy: SC201"
expect_head_same "$r" "$h" "the hook copy: no commit"
# an installed copy of `schemacheck install`'s hook is recognised as schemacheck's
cp "$hook" "$r/.git/hooks/pre-commit"
expect_status 2 "install over the hook copy asks for --force (a schemacheck hook of another path)" in_dir "$r" "$SC" install
expect_contains "schemacheck install --force" "install over the hook copy: the message says --force updates it"

# DESTDIR: staged install, the hook names the final path
expect_status 0 "make install DESTDIR=... PREFIX=/usr" mk install DESTDIR="$TMP/stage" PREFIX=/usr
if [ -x "$TMP/stage/usr/bin/schemacheck" ] && [ -f "$TMP/stage/usr/share/man/man1/schemacheck.1" ]; then ok "DESTDIR: files under DESTDIR/usr"; else not_ok "DESTDIR: files under DESTDIR/usr" "$(find "$TMP/stage" 2>&1)"; fi
if grep -qF "'/usr/bin/schemacheck'" "$TMP/stage/usr/share/schemacheck/hooks/pre-commit" && ! grep -qF "$TMP/stage" "$TMP/stage/usr/share/schemacheck/hooks/pre-commit"; then
	ok "DESTDIR: the hook names /usr/bin/schemacheck, not the staging folder"
else
	not_ok "DESTDIR: the hook names /usr/bin/schemacheck, not the staging folder" "$(cat "$TMP/stage/usr/share/schemacheck/hooks/pre-commit")"
fi

# The manual page ---------------------------------------------------------------
page="$P/share/man/man1/schemacheck.1"
"$top/scripts/mkman.sh" "$SC" > "$TMP/fresh.1" 2> "$TMP/mkman.err"
if [ $? -eq 0 ] && [ -s "$TMP/fresh.1" ] && [ ! -s "$TMP/mkman.err" ]; then ok "scripts/mkman.sh runs"; else not_ok "scripts/mkman.sh runs" "$(cat "$TMP/mkman.err")"; fi
if cmp -s "$page" "$TMP/fresh.1"; then ok "the installed page is the binary's (build/schemacheck.1 = mkman.sh output)"; else not_ok "the installed page is the binary's (build/schemacheck.1 = mkman.sh output)" "$(diff "$TMP/fresh.1" "$page" | head -n 20)"; fi
if cmp -s "$bdir/schemacheck.1" "$page"; then ok "the build folder's schemacheck.1 is the installed one"; else not_ok "the build folder's schemacheck.1 is the installed one"; fi
for m in '^\.TH SCHEMACHECK 1 ' '^\.SH NAME$' '^\.SH SYNOPSIS$' '^\.SH DESCRIPTION$' '^\.SH OPTIONS$' '^\.SH RULES$' '^\.SH "EXIT STATUS"$' '^\.SH FILES$'; do
	if grep -q "$m" "$page"; then ok "schemacheck.1 has $m"; else not_ok "schemacheck.1 has $m"; fi
done
if grep -q "^\.TH SCHEMACHECK 1 .*schemacheck $("$SC" --version | sed 's/^schemacheck //')" "$page"; then ok "schemacheck.1: .TH carries the version"; else not_ok "schemacheck.1: .TH carries the version" "$(grep '^\.TH' "$page")"; fi
# man-db renders it without a warning
export MANWIDTH=80 MANPAGER=cat PAGER=cat
man --warnings -l "$page" > "$TMP/man.txt" 2> "$TMP/man.err"
rc=$?
if [ $rc -eq 0 ] && [ -s "$TMP/man.txt" ]; then ok "man -l renders schemacheck.1"; else not_ok "man -l renders schemacheck.1" "exit $rc" "$(cat "$TMP/man.err")"; fi
if [ -s "$TMP/man.err" ]; then not_ok "man --warnings -l: no troff warning" "$(head -n 10 "$TMP/man.err")"; else ok "man --warnings -l: no troff warning"; fi
man -l "$bdir/schemacheck.1" > /dev/null 2>&1 && ok "man -l build/schemacheck.1 renders" || not_ok "man -l build/schemacheck.1 renders"
# the warning check can fail: a page with an undefined macro
printf '.TH X 1\n.SH NAME\nx \\- y\n.NOSUCHMACRO\n' > "$TMP/broken.1"
man --warnings -l "$TMP/broken.1" > /dev/null 2> "$TMP/broken.err"
if [ -s "$TMP/broken.err" ]; then ok "man --warnings reports a broken page (the check above can fail)"; else not_ok "man --warnings reports a broken page (the check above can fail)"; fi
# MANPATH lookup of the installed page
man -M "$P/share/man" schemacheck > "$TMP/man2.txt" 2>&1
if [ $? -eq 0 ] && grep -q "SCHEMACHECK(1)" "$TMP/man2.txt"; then ok "man -M PREFIX/share/man schemacheck finds the page"; else not_ok "man -M PREFIX/share/man schemacheck finds the page" "$(head -n 5 "$TMP/man2.txt")"; fi
# plain text, blanks squeezed (man justifies the lines)
OUT=$(col -bx < "$TMP/man.txt" | tr -s ' ')
for s in NAME SYNOPSIS DESCRIPTION OPTIONS RULES "EXIT STATUS" FILES; do
	case "$OUT" in *"
$s
"*) ok "rendered: section $s" ;; *) not_ok "rendered: section $s" ;; esac
done
expect_contains "schemacheck - check SQLAlchemy models and Alembic migrations" "rendered: NAME line"
# every option of --help, every rule with its explain sections
for o in $("$SC" --help | sed -n 's/^  \(-[-a-zA-Z]*\).*/\1/p' | sed 's/,$//'); do
	expect_contains "$o" "rendered: option $o"
done
n_rules=0
while read -r code name sev rest; do
	n_rules=$((n_rules + 1))
	expect_contains "$code $name ($sev)" "rendered: rule $code $name ($sev)"
done < "$TMP/rules"
n_what=$(grep -c "^ *What it does$" "$TMP/man.txt" | tr -d ' ')
n_use=$(grep -c "^ *Use instead$" "$TMP/man.txt" | tr -d ' ')
if [ "$n_rules" -gt 0 ] && [ "$n_what" -eq "$n_rules" ] && [ "$n_use" -eq "$n_rules" ]; then ok "rendered: What it does / Use instead for each of the $n_rules rules"; else not_ok "rendered: What it does / Use instead for each of the $n_rules rules" "what: $n_what, use: $n_use"; fi
ex=$("$SC" explain SC201 | awk '/^```/ { f = !f; next } f && /op\./ { print; exit }' | tr -s ' ' | sed 's/^ //')
if [ -n "$ex" ]; then expect_contains "$ex" "rendered: SC201's example code, verbatim ($ex)"; else not_ok "explain SC201 has an example code block"; fi
for x in "0 No errors" "1 Errors found" "2 Usage or configuration error" "3 Environment or internal failure"; do
	expect_contains "$x" "rendered: exit status '$x'"
done
expect_contains "--strict" "rendered: options keep their ASCII hyphens"

# make docs-check -----------------------------------------------------------------
expect_status 0 "make docs-check passes on README.md" mk docs-check
d="$TMP/docs"
mkdir -p "$d"
cp "$top/Makefile" "$top/README.md" "$d/"
sed -i 's/^| SC201 | not-null-without-default | error |/| SC201 | not-null-without-default | warning |/' "$d/README.md"
if cmp -s "$top/README.md" "$d/README.md"; then not_ok "a README.md with a changed table row for the docs-check test"; fi
(unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
 make --no-print-directory -C "$d" B="$bdir" -o "$bdir/schemacheck" docs-check) > "$TMP/docs.out" 2>&1
rc=$?
OUT=$(cat "$TMP/docs.out")
if [ $rc -ne 0 ]; then ok "make docs-check fails when README.md's table differs"; else not_ok "make docs-check fails when README.md's table differs" "$OUT"; fi
expect_contains "make docs" "make docs-check says to run make docs"
expect_contains "SC201" "make docs-check shows the differing row"
