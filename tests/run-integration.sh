#!/bin/sh
# run-integration.sh SCHEMACHECK: run every tests/integration/t*.sh with
# the binary under test in $SCHEMACHECK; each script builds real git
# repositories in a temporary folder and prints "ok"/"not ok" lines.
# Prints a closing "N passed, N failed" line; fails if any check failed.
SCHEMACHECK=${1:?usage: run-integration.sh /abs/path/to/schemacheck}
export SCHEMACHECK
here=$(cd "$(dirname "$0")" && pwd)
pass=0
fail=0
for t in "$here"/integration/t*.sh; do
	[ -f "$t" ] || continue
	out=$(sh "$t" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		out="$out
not ok - $(basename "$t") exited with status $rc"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -gt 0 ] || [ -n "${VERBOSE:-}" ]; then
		printf '%s\n' "$out"
	fi
	echo "$(basename "$t"): $p passed, $f failed"
done
echo "integration: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
