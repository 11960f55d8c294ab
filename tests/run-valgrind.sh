#!/bin/sh
# run-valgrind.sh BUILD_DIR TEST_BIN...: each check program under valgrind
# (CK_FORK=no so the tests run in the process valgrind watches); any
# error or leak fails.
b=$1
shift
pass=0
fail=0
log=$(mktemp)
for t in "$@"; do
	name=$(basename "$t")
	if CK_FORK=no valgrind -q --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--show-leak-kinds=definite,indirect,possible \
		"$t" >"$log" 2>&1; then
		pass=$((pass + 1))
		echo "valgrind $name: clean"
	else
		fail=$((fail + 1))
		cat "$log"
		echo "valgrind $name: FAILED"
	fi
done
rm -f "$log"
echo "valgrind ($b): $pass passed, $fail failed"
[ "$fail" -eq 0 ]
