#!/bin/sh
# run-unit.sh BUILD_DIR TEST_BIN...: run each check program; print each
# one's result and a closing "N passed, N failed" line; fail if any failed.
b=$1
shift
pass=0
fail=0
for t in "$@"; do
	name=$(basename "$t")
	if out=$("$t" 2>&1); then
		pass=$((pass + 1))
		printf '%s: %s\n' "$name" "$(echo "$out" | grep -E 'Checks:' | tail -n 1)"
	else
		fail=$((fail + 1))
		printf '%s\n' "$out"
		printf '%s: FAILED\n' "$name"
	fi
done
echo "unit ($b): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
