#!/bin/sh
# run-regress.sh [BUILD]: the fuzz targets without libFuzzer. Builds each
# tests/fuzz/fuzz_*.c with standalone_driver.c, gcc and ASan/UBSan against
# the sanitizer build of the sources (BUILD/libsc.a, default build/asan,
# made with `make B=BUILD SAN=1` when missing or stale), then replays
# tests/fuzz/regress/<target>/ (every input a fuzz run ever crashed on) and
# the seed corpora made from testdata/ (tests/fuzz/mkseeds.sh). Prints one
# "ok"/"not ok" line per target and fails on any crash, sanitizer report,
# leak or hang (each replay is limited to FUZZ_REGRESS_TIMEOUT seconds,
# default 600). `make fuzz-regress`, part of `make asan` and so of
# `make check`.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
B=${1:-build/asan}
CC=${CC:-cc}
OUT=$B/fuzz-regress
LIMIT=${FUZZ_REGRESS_TIMEOUT:-600}
# the libraries the Makefile links (libcrypto and -pthread for the facts
# cache and the worker threads)
PKGS="libgit2 tree-sitter libpcre2-8 inih libcrypto"
GRAMMAR="build/grammar/libtree-sitter-python.a build/grammar/libtree-sitter-toml.a"

(unset MAKEFLAGS MFLAGS MAKELEVEL
 make --no-print-directory B="$B" SAN=1 "$B/libsc.a") > "$OUT.make.log" 2>&1 || {
	mkdir -p "$OUT"
	cat "$OUT.make.log" >&2
	echo "fuzz-regress: cannot build $B/libsc.a with sanitizers" >&2
	exit 1
}
mkdir -p "$OUT"
mv "$OUT.make.log" "$OUT/make.log"
tests/fuzz/mkseeds.sh "$OUT/seed" > "$OUT/seed.log" 2>&1 || {
	cat "$OUT/seed.log" >&2
	exit 1
}

CFLAGS="-std=c11 -D_GNU_SOURCE -O1 -g -fno-omit-frame-pointer -Wall -Wextra \
-Wno-missing-field-initializers -fsanitize=address,undefined \
-fno-sanitize-recover=all -Isrc -Irules -I$B/gen -Itests/fuzz \
$(pkg-config --cflags $PKGS 2>/dev/null)"
# shellcheck disable=SC2086 # word lists
LIBS="$GRAMMAR $(pkg-config --libs $PKGS 2>/dev/null) -pthread"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
pass=0
fail=0
for src in tests/fuzz/fuzz_*.c; do
	t=${src#tests/fuzz/fuzz_}
	t=${t%.c}
	bin=$OUT/fuzz_$t-replay
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS -o "$bin" "$src" tests/fuzz/standalone_driver.c \
		"$B/libsc.a" $LIBS > "$OUT/$t.build.log" 2>&1; then
		echo "not ok - fuzz-regress $t: does not build"
		sed 's/^/#   /' "$OUT/$t.build.log" | head -n 30
		fail=$((fail + 1))
		continue
	fi
	set -- "$OUT/seed/$t"
	[ -d "tests/fuzz/regress/$t" ] && set -- "tests/fuzz/regress/$t" "$@"
	timeout -k 10 "$LIMIT" "$bin" "$@" > "$OUT/$t.log" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$OUT/$t.log"; then
		echo "ok - fuzz-regress $t: $(tail -n 1 "$OUT/$t.log")"
		pass=$((pass + 1))
	else
		[ "$rc" -eq 124 ] && echo "#   no answer within ${LIMIT}s" >> "$OUT/$t.log"
		echo "not ok - fuzz-regress $t: exit $rc"
		grep -E 'ERROR: |runtime error|SUMMARY|failing input|^    #[0-9] |no answer' "$OUT/$t.log" | head -n 25 | sed 's/^/#   /'
		fail=$((fail + 1))
	fi
done
echo "fuzz-regress: $pass passed, $fail failed (logs in $OUT)"
[ "$fail" -eq 0 ]
