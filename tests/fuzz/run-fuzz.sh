#!/bin/sh
# run-fuzz.sh DIR SECONDS JOBS FLAGS TARGET...: run each libFuzzer target
# DIR/fuzz_TARGET for SECONDS seconds (JOBS of them at once; empty: the
# number of CPUs), on its working corpus DIR/corpus/TARGET (kept between
# runs) seeded from DIR/seed/TARGET, with the dictionary of its input
# language. FLAGS are more libFuzzer options (e.g. "-fork=1
# -ignore_crashes=1" to keep going after a crash). Logs go to
# DIR/logs/TARGET.log and crashing inputs to DIR/artifacts/TARGET/ (those
# of an earlier run are moved to DIR/artifacts-old/).
# Prints one line per target (executions, executions per second, coverage,
# corpus size, crashes) and fails when any target found a crash, a leak, a
# timeout or an out-of-memory.
# FUZZ_REPORT_ONLY=1 prints the lines of the last run from its logs.
set -u
dir=${1:?usage: run-fuzz.sh DIR SECONDS JOBS FLAGS TARGET...}
secs=${2:?}
jobs=${3:-}
flags=${4:-}
shift 4
[ -n "$jobs" ] || jobs=$(nproc 2>/dev/null || echo 1)
here=$(cd "$(dirname "$0")" && pwd)

dict_of() {
	case $1 in
	migration | models | suppress) echo "$here/dict/python.dict" ;;
	sqlddl) echo "$here/dict/sql.dict" ;;
	config) echo "$here/dict/toml.dict" ;;
	esac
}
maxlen_of() {
	case $1 in
	sqlddl | config) echo 4096 ;;
	*) echo 16384 ;;
	esac
}

run_one() {
	t=$1
	# the findings of an earlier run are kept aside, not counted again
	if [ -n "$(ls -A "$dir/artifacts/$t" 2>/dev/null)" ]; then
		old=$dir/artifacts-old/$t-$(date +%Y%m%d-%H%M%S)
		mkdir -p "$old"
		mv "$dir/artifacts/$t"/* "$old"/
	fi
	mkdir -p "$dir/corpus/$t" "$dir/artifacts/$t" "$dir/logs" "$dir/seed/$t"
	# shellcheck disable=SC2086 # FLAGS is a list of options
	"$dir/fuzz_$t" -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 \
		-max_len="$(maxlen_of "$t")" -dict="$(dict_of "$t")" \
		-artifact_prefix="$dir/artifacts/$t/" -print_final_stats=1 \
		$flags "$dir/corpus/$t" "$dir/seed/$t" > "$dir/logs/$t.log" 2>&1
	echo $? > "$dir/logs/$t.rc"
}

report() {
	t=$1
	log=$dir/logs/$t.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(printf '%s\n' "$last" | sed -n 's/.* corp: \([0-9]*\).*/\1/p')
	if [ -z "$execs" ]; then  # fork mode: the last status line counts
		execs=$(printf '%s\n' "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
	fi
	found=$(find "$dir/artifacts/$t" -type f \( -name 'crash-*' -o -name 'leak-*' \
		-o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) | wc -l)
	rc=$(cat "$dir/logs/$t.rc" 2>/dev/null || echo '?')
	ran=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
	if [ -z "$ran" ] && [ -n "$execs" ] && [ -n "$rate" ] && [ "$rate" -gt 0 ] 2>/dev/null; then
		ran="~$((execs / rate))"  # stopped early (a finding)
	fi
	printf 'fuzz %-9s %ss: %s execs (%s/s), cov %s, ft %s, corpus %s, findings %s, exit %s\n' \
		"$t" "${ran:-?}" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$found" "$rc"
	if [ "$found" -gt 0 ] || [ "$rc" != 0 ]; then
		find "$dir/artifacts/$t" -type f | sed 's/^/fuzz   finding: /'
		grep -m 3 -E 'ERROR: |runtime error|SUMMARY' "$log" | sed 's/^/fuzz   /'
		return 1
	fi
	return 0
}

# Run the targets JOBS at a time (FUZZ_REPORT_ONLY=1: only report the
# last run from its logs).
pending="$*"
[ "${FUZZ_REPORT_ONLY:-0}" = 1 ] && pending=""
while [ -n "$pending" ]; do
	batch=""
	i=0
	for t in $pending; do
		[ "$i" -lt "$jobs" ] || break
		batch="$batch $t"
		i=$((i + 1))
	done
	rest=""
	for t in $pending; do
		case " $batch " in *" $t "*) ;; *) rest="$rest $t" ;; esac
	done
	for t in $batch; do run_one "$t" & done
	wait
	pending=$(echo $rest)
done

fail=0
for t in "$@"; do report "$t" || fail=1; done
[ "$fail" -eq 0 ] && echo "fuzz: no findings" || echo "fuzz: findings above (reproducers in $dir/artifacts/)"
exit "$fail"
