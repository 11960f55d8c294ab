#!/bin/sh
# bench/run.sh SCHEMACHECK: the benchmarks of `make bench` (issue 6).
#
# Each scenario runs schemacheck and its baselines alternately through
# bench/timeit.c (warm-up rounds first, then measured rounds; medians of
# wall time, CPU time and peak RSS from wait4), prints medians and ratios,
# and ends with the issue's targets next to the measured ratios, each PASS
# or FAIL as measured. Everything goes to build/bench/:
#   results.txt    what this prints (the README quotes its table)
#   results.tsv    one row per command and scenario: scenario, label, runs,
#                  median_ms, min_ms, max_ms, cpu_ms, maxrss_kb, status
#   samples.tsv    one row per measured run
#   verdicts.tsv   the final table: target, measured, limit, verdict
#   repos/         the generated repositories (bench/gen.c), made once and
#                  reused until gen.c or the recipe below changes
#
# schemacheck keeps a cache (src/cache.c: extracted facts by blob id; for
# --all also the last report, src/runcache.c, reused while nothing it
# depends on changed): in a git repository under .git/schemacheck/, for
# the corpora (a plain folder) in $BENCH_OUT/cache-s3
# (SCHEMACHECK_CACHE_DIR). Warm-up rounds fill it, so the measured runs of
# 1, 2 and 3-warm are runs with a cache (4 runs without it); 1 and 2 also
# measure a first run (cache deleted before each run), 3 a warm run with
# the report cache off, for reference, and 3-cold (s3-first) is a first
# run.
#
# Scenarios:
#   1  hook (--staged), ~1,000-file repository, one staged migration, against
#      /usr/bin/python3 ast.parse of the staged .py files (bench/pyparse.py)
#      and against `git diff --cached --name-only`
#   2  hook (--staged), 100,000-file repository, 3 staged files, against
#      `git diff --cached --name-only`
#   3  --all over the Debian corpora (CORPORA: build/corpora, else
#      /tmp/corpora; skipped when neither has SCRIPT_DIRS.tsv) against one
#      /usr/bin/python3 that ast.parses every .py under the script
#      directories and every .py that contains __tablename__; warm (page
#      cache warm, schemacheck's cache filled by the warm-up run) and cold
#      (schemacheck's cache deleted before each run: a first run); for
#      reference also a first run with the corpora's file data dropped
#      from the page cache before each run of either command
#   4  --all on linear histories of 10, 100, 1,000 and 10,000 migrations,
#      schemacheck without its cache: time per migration (python3
#      ast.parse of the same files alongside); for reference 10,000 with
#      the cache
#   5  peak RSS of 3 (cold and warm) and 4 against the Python baseline's
#
# Environment: BENCH_OUT (default build/bench), CORPORA, CC, BENCH_SCENARIOS
# (default "1 2 3 4"; 5 comes from 3 and 4), BENCH_STRICT=1 (exit 1 when a
# target fails; by default only a broken run fails).
set -eu

SC=${1:?usage: bench/run.sh SCHEMACHECK}
case "$SC" in /*) ;; *) SC=$(pwd)/$SC ;; esac
[ -x "$SC" ] || { echo "bench: $SC is not executable" >&2; exit 2; }
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${BENCH_OUT:-$ROOT/build/bench}
case "$OUT" in /*) ;; *) OUT=$(pwd)/$OUT ;; esac
CC=${CC:-cc}
SCENARIOS=${BENCH_SCENARIOS:-1 2 3 4}
PY=/usr/bin/python3
PYPARSE=$ROOT/bench/pyparse.py
# Bump when the way repositories are made from gen.c's output changes.
RECIPE=1

mkdir -p "$OUT/bin" "$OUT/repos" "$OUT/home"
# The same configuration for git and libgit2 whoever runs this.
export HOME="$OUT/home" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C
unset GIT_DIR GIT_INDEX_FILE GIT_WORK_TREE XDG_CONFIG_HOME 2>/dev/null || true

for tool in timeit gen; do
	if [ ! -x "$OUT/bin/$tool" ] ||
	   [ -n "$(find "$ROOT/bench/$tool.c" -newer "$OUT/bin/$tool")" ]; then
		$CC -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -o "$OUT/bin/$tool" \
			"$ROOT/bench/$tool.c"
	fi
done
TIMEIT=$OUT/bin/timeit
GEN=$OUT/bin/gen
GEN_ID=$( (cat "$ROOT/bench/gen.c"; echo "recipe $RECIPE") | sha1sum | cut -c1-16)

LOG=$OUT/results.txt.tmp
TSV=$OUT/results.tsv.tmp
RAW=$OUT/samples.tsv.tmp
: > "$LOG"
printf 'scenario\tlabel\truns\tmedian_ms\tmin_ms\tmax_ms\tcpu_ms\tmaxrss_kb\tstatus\n' > "$TSV"
printf 'scenario\tlabel\trun\twall_ms\tcpu_ms\tmaxrss_kb\n' > "$RAW"
BROKEN=0

say() { printf '%s\n' "$*" | tee -a "$LOG"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# bench SCENARIO TIMEIT-OPTIONS... -- LABEL CMD... ::: ...
bench() {
	scen=$1
	shift
	if "$TIMEIT" -S "$scen" -o "$TSV" -r "$RAW" "$@" > "$OUT/.out" 2>&1; then
		:
	else
		BROKEN=1
	fi
	tee -a "$LOG" < "$OUT/.out"
	say "  (load average after: $(load))"
}

# repo NAME KIND: the repository NAME made by gen, reused while its stamp
# (gen.c, recipe, kind, commit and staged paths) still holds.
repo() {
	name=$1 kind=$2 dir=$OUT/repos/$1
	stamp=$OUT/repos/$1.stamp
	if [ -s "$stamp" ] && [ -d "$dir/.git" ]; then
		read -r s_id s_kind s_commit < "$stamp" || true
		if [ "$s_id" = "$GEN_ID" ] && [ "$s_kind" = "$kind" ] &&
		   [ "$(git -C "$dir" rev-parse -q --verify HEAD 2>/dev/null)" = "$s_commit" ] &&
		   git -C "$dir" diff --cached --name-only | cmp -s - "$dir.staged"; then
			return 0
		fi
	fi
	say "  generating $name ($kind) under $dir ..."
	t0=$(date +%s)
	rm -rf "$dir" "$stamp" "$dir.staged"
	git init -q -b main "$dir"
	git -C "$dir" config gc.auto 0
	# git 2.39's fast-import grows and shrinks the heap for each inline
	# blob (brk storms: minutes for 100,000 files); a top pad avoids it.
	"$GEN" import "$kind" |
		MALLOC_TOP_PAD_=268435456 MALLOC_TRIM_THRESHOLD_=268435456 \
		git -C "$dir" fast-import --quiet
	git -C "$dir" reset -q --hard
	"$GEN" stage "$kind" "$dir" > "$dir.staged"
	if [ -s "$dir.staged" ]; then
		git -C "$dir" add --pathspec-from-file="$dir.staged"
	fi
	git -C "$dir" diff --cached --name-only > "$dir.staged"
	echo "$GEN_ID $kind $(git -C "$dir" rev-parse HEAD)" > "$stamp"
	say "  generated $name in $(( $(date +%s) - t0 )) s: $(git -C "$dir" ls-files | wc -l) files, $(wc -l < "$dir.staged") staged"
}

wants() { case " $SCENARIOS " in *" $1 "*) return 0 ;; esac; return 1; }

say "schemacheck benchmarks ($(date -u '+%Y-%m-%d %H:%M UTC'))"
say "  binary:  $SC ($("$SC" --version 2>&1 | head -n 1))"
say "  tree:    $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo ' + uncommitted changes')"
say "  machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1), $(uname -sr)"
say "  tools:   $($PY --version 2>&1), $(git --version)"
say "  load average at start: $(load) (other processes' load makes every number noisy)"
say "  each cell: median wall time of the measured runs; commands alternate round by round"

# ---- 1: hook on a small repository ----------------------------------------
if wants 1; then
	say ""
	say "== 1. hook (--staged), ~1,000-file repository, one staged migration"
	repo small small
	d=$OUT/repos/small
	set --
	while IFS= read -r f; do
		case $f in *.py) set -- "$@" "$f" ;; esac
	done < "$d.staged"
	bench s1 -d "$d" -w 3 -n 21 -m 5 -b 30 -T 60 -- \
		schemacheck "$SC" --staged ::: \
		python3-ast-floor "$PY" "$PYPARSE" "$@" ::: \
		git-diff-cached git diff --cached --name-only
	say "  -- for reference: a first run (schemacheck's cache deleted before each run)"
	bench s1-first -d "$d" -R "$d/.git/schemacheck" -w 0 -n 5 -m 3 \
		-b 30 -T 60 -- schemacheck-first-run "$SC" --staged
fi

# ---- 2: hook on a 100,000-file repository ----------------------------------
if wants 2; then
	say ""
	say "== 2. hook (--staged), 100,000-file repository, 3 staged files"
	repo big big
	bench s2 -d "$OUT/repos/big" -w 1 -n 11 -m 3 -b 45 -T 120 -- \
		schemacheck "$SC" --staged ::: \
		git-diff-cached git diff --cached --name-only
	say "  -- for reference: a first run (schemacheck's cache deleted before each run)"
	bench s2-first -d "$OUT/repos/big" -R "$OUT/repos/big/.git/schemacheck" \
		-w 0 -n 3 -m 3 -b 60 -T 300 -- \
		schemacheck-first-run "$SC" --staged
fi

# ---- 3: --all over the real corpora -----------------------------------------
if wants 3; then
	say ""
	say "== 3. --all over the Debian corpora"
	C=${CORPORA:-}
	if [ -z "$C" ]; then
		for c in "$ROOT/build/corpora" /tmp/corpora; do
			[ -s "$c/SCRIPT_DIRS.tsv" ] && { C=$c; break; }
		done
	fi
	if [ -z "$C" ] || [ ! -s "$C/SCRIPT_DIRS.tsv" ]; then
		say "  SKIPPED: no corpora (run scripts/fetch-corpora.sh build/corpora)"
	else
		C=$(cd "$C" && pwd)
		# What schemacheck reads, approximately: every .py under the
		# script directories, and every .py that declares a table.
		(cd "$C/x" && {
			while IFS='	' read -r pkg dir _; do
				[ -d "$pkg/$dir" ] && find "$pkg/$dir" -name '*.py' -type f
			done < "$C/SCRIPT_DIRS.tsv"
			grep -rl --include='*.py' '__tablename__' . | sed 's|^\./||'
		} | sort -u > "$OUT/corpora-py.list")
		find "$C/x" -type f > "$OUT/corpora-all.list"
		say "  corpora: $C/x ($(wc -l < "$OUT/corpora-all.list") files);" \
			"python3 parses $(wc -l < "$OUT/corpora-py.list") files," \
			"$(cd "$C/x" && tr '\n' '\0' < "$OUT/corpora-py.list" | xargs -0 cat | wc -c) bytes"
		say "  schemacheck runs once over $C/x with GIT_CEILING_DIRECTORIES=$C (not inside a git repository: it reads the folder) and SCHEMACHECK_CACHE_DIR=$OUT/cache-s3"
		say "  -- warm: the second and later runs: corpora in the OS page cache, schemacheck's cache filled by the warm-up run"
		bench s3-warm -d "$C/x" -e "GIT_CEILING_DIRECTORIES=$C" \
			-e "SCHEMACHECK_CACHE_DIR=$OUT/cache-s3" \
			-w 1 -n 5 -m 3 -b 90 -T 300 -- \
			schemacheck "$SC" --all ::: \
			python3-ast "$PY" "$PYPARSE" -l "$OUT/corpora-py.list"
		say "  -- for reference: warm, with the report cache off (SCHEMACHECK_NO_REPORT_CACHE=1: facts from the cache, graph, replay and rules run)"
		bench s3-facts -d "$C/x" -e "GIT_CEILING_DIRECTORIES=$C" \
			-e "SCHEMACHECK_CACHE_DIR=$OUT/cache-s3" \
			-e "SCHEMACHECK_NO_REPORT_CACHE=1" \
			-w 1 -n 5 -m 3 -b 60 -T 300 -- \
			schemacheck-facts-cache-only "$SC" --all
		say "  -- cold: a first run: schemacheck's cache is deleted before each run (the files are in the page cache for both commands, as after a checkout)"
		bench s3-first -d "$C/x" -e "GIT_CEILING_DIRECTORIES=$C" \
			-e "SCHEMACHECK_CACHE_DIR=$OUT/cache-s3" -R "$OUT/cache-s3" \
			-w 1 -n 5 -m 3 -b 90 -T 300 -- \
			schemacheck "$SC" --all ::: \
			python3-ast "$PY" "$PYPARSE" -l "$OUT/corpora-py.list"
		say "  -- for reference: colder still: a first run with the corpora's file data also dropped from the page cache before each run of either command (posix_fadvise DONTNEED; directory entries and inodes stay cached): schemacheck reads every application file, Python only the files it is handed"
		bench s3-cold -d "$C/x" -e "GIT_CEILING_DIRECTORIES=$C" \
			-e "SCHEMACHECK_CACHE_DIR=$OUT/cache-s3" -R "$OUT/cache-s3" \
			-E "$OUT/corpora-all.list" -w 0 -n 3 -m 3 -b 90 -T 300 -- \
			schemacheck "$SC" --all ::: \
			python3-ast "$PY" "$PYPARSE" -l "$OUT/corpora-py.list"
		say "  -- for reference: the corpora's file data dropped, schemacheck's cache kept (a CI job that restores its cache)"
		bench s3-coldpc -d "$C/x" -e "GIT_CEILING_DIRECTORIES=$C" \
			-e "SCHEMACHECK_CACHE_DIR=$OUT/cache-s3" \
			-E "$OUT/corpora-all.list" -w 1 -n 3 -m 3 -b 90 -T 300 -- \
			schemacheck-cache-kept "$SC" --all
	fi
fi

# ---- 4: --all on generated histories ----------------------------------------
if wants 4; then
	say ""
	say "== 4. --all on linear histories of N migrations (one model file), schemacheck without its cache (SCHEMACHECK_NO_CACHE=1: every run reads, parses and replays everything)"
	for n in 10 100 1000 10000; do
		repo "hist-$n" "hist:$n"
		d=$OUT/repos/hist-$n
		git -C "$d" ls-files '*.py' > "$OUT/hist-$n.list"
		case $n in
		10|100) opts="-w 2 -n 11 -m 5 -b 30" ;;
		1000) opts="-w 1 -n 5 -m 3 -b 40" ;;
		*) opts="-w 1 -n 3 -m 3 -b 60" ;;
		esac
		say "  -- N = $n"
		# shellcheck disable=SC2086
		bench "s4-$n" -d "$d" $opts -T 300 -e SCHEMACHECK_NO_CACHE=1 -- \
			schemacheck "$SC" --all ::: \
			python3-ast "$PY" "$PYPARSE" -l "$OUT/hist-$n.list"
	done
	say "  -- for reference: N = 10000 with schemacheck's cache (filled by the warm-up run)"
	bench s4w-10000 -d "$OUT/repos/hist-10000" -w 1 -n 3 -m 3 -b 60 -T 300 -- \
		schemacheck-cache "$SC" --all
fi

# ---- summary ----------------------------------------------------------------
say ""
say "load average at the end: $(load)"
say ""
say "== targets (issue 6) against this run"
awk -F'\t' -v scens=" $SCENARIOS " -v vout="$OUT/verdicts.tsv.tmp" '
NR == 1 { next }
{ key = $1 SUBSEP $2; ok[key] = ($9 == "ok"); med[key] = $4; rss[key] = $8 }
function has(s, l) { return ((s SUBSEP l) in ok) && ok[s SUBSEP l] && med[s SUBSEP l] > 0 }
function row(id, what, measured, limit, verdict) {
	printf "%-3s %-52s %-30s %-12s %s\n", id, what, measured, limit, verdict
	printf "%s\t%s\t%s\t%s\t%s\n", id, what, measured, limit, verdict > vout
}
function judge(cond) { return cond ? "PASS" : "FAIL" }
END {
	printf "%s\t%s\t%s\t%s\t%s\n", "id", "target", "measured", "limit", "verdict" > vout
	printf "%-3s %-52s %-30s %-12s %s\n", "", "target", "measured", "limit", "verdict"
	if (index(scens, " 1 ")) {
		if (has("s1", "schemacheck") && has("s1", "python3-ast-floor")) {
			r = med["s1", "schemacheck"] / med["s1", "python3-ast-floor"]
			row("1", "hook, 1,000 files: schemacheck / Python floor", sprintf("%.2fx (%.1f / %.1f ms)", r, med["s1", "schemacheck"], med["s1", "python3-ast-floor"]), "<= 0.5x", judge(r <= 0.5))
		} else row("1", "hook, 1,000 files: schemacheck / Python floor", "no measurement", "<= 0.5x", "FAIL")
		if (has("s1", "schemacheck") && has("s1", "git-diff-cached"))
			row("", "  (for reference) schemacheck / git diff --cached", sprintf("%.1fx (%.1f / %.1f ms)", med["s1", "schemacheck"] / med["s1", "git-diff-cached"], med["s1", "schemacheck"], med["s1", "git-diff-cached"]), "-", "-")
		if (has("s1-first", "schemacheck-first-run") && has("s1", "python3-ast-floor"))
			row("", "  (for reference) first run, no cache / Python floor", sprintf("%.2fx (%.1f / %.1f ms)", med["s1-first", "schemacheck-first-run"] / med["s1", "python3-ast-floor"], med["s1-first", "schemacheck-first-run"], med["s1", "python3-ast-floor"]), "-", "-")
	}
	if (index(scens, " 2 ")) {
		if (has("s2", "schemacheck") && has("s2", "git-diff-cached")) {
			r = med["s2", "schemacheck"] / med["s2", "git-diff-cached"]
			row("2", "hook, 100,000 files: schemacheck / git diff", sprintf("%.1fx (%.0f / %.1f ms)", r, med["s2", "schemacheck"], med["s2", "git-diff-cached"]), "<= 3x", judge(r <= 3))
		} else row("2", "hook, 100,000 files: schemacheck / git diff", "no measurement", "<= 3x", "FAIL")
		if (has("s2-first", "schemacheck-first-run") && has("s2", "git-diff-cached"))
			row("", "  (for reference) first run, no cache / git diff", sprintf("%.1fx (%.0f / %.1f ms)", med["s2-first", "schemacheck-first-run"] / med["s2", "git-diff-cached"], med["s2-first", "schemacheck-first-run"], med["s2", "git-diff-cached"]), "-", "-")
	}
	if (index(scens, " 3 ")) {
		split("cold warm", kinds, " ")
		split("first warm", ids, " ")
		split("2 20", need, " ")
		for (i = 1; i <= 2; i++) {
			s = "s3-" ids[i]
			what = "--all corpora, " kinds[i] ": speedup, Python / schemacheck"
			if (has(s, "schemacheck") && has(s, "python3-ast")) {
				r = med[s, "python3-ast"] / med[s, "schemacheck"]
				row("3", what, sprintf("%.2fx (%.0f / %.0f ms)", r, med[s, "python3-ast"], med[s, "schemacheck"]), ">= " need[i] "x", judge(r >= need[i]))
			} else row("3", what, "not measured", ">= " need[i] "x", (s SUBSEP "schemacheck") in ok ? "FAIL" : "SKIP")
		}
		if (has("s3-facts", "schemacheck-facts-cache-only") && has("s3-warm", "python3-ast"))
			row("", "  (for reference) warm, report cache off", sprintf("%.2fx (%.0f / %.0f ms)", med["s3-warm", "python3-ast"] / med["s3-facts", "schemacheck-facts-cache-only"], med["s3-warm", "python3-ast"], med["s3-facts", "schemacheck-facts-cache-only"]), "-", "-")
		if (has("s3-cold", "schemacheck") && has("s3-cold", "python3-ast"))
			row("", "  (for reference) cold page cache too, no cache", sprintf("%.2fx (%.0f / %.0f ms)", med["s3-cold", "python3-ast"] / med["s3-cold", "schemacheck"], med["s3-cold", "python3-ast"], med["s3-cold", "schemacheck"]), "-", "-")
		if (has("s3-coldpc", "schemacheck-cache-kept") && has("s3-cold", "python3-ast"))
			row("", "  (for reference) cold page cache, cache kept", sprintf("%.2fx (%.0f / %.0f ms)", med["s3-cold", "python3-ast"] / med["s3-coldpc", "schemacheck-cache-kept"], med["s3-cold", "python3-ast"], med["s3-coldpc", "schemacheck-cache-kept"]), "-", "-")
	}
	if (index(scens, " 4 ")) {
		if (has("s4-100", "schemacheck") && has("s4-10000", "schemacheck")) {
			p100 = med["s4-100", "schemacheck"] / 100
			p10k = med["s4-10000", "schemacheck"] / 10000
			r = p10k / p100
			row("4", "--all history: per migration at 10,000 / at 100", sprintf("%.2fx (%.3f / %.3f ms)", r, p10k, p100), "<= 1.5x", judge(r <= 1.5))
			if (has("s4w-10000", "schemacheck-cache"))
				row("", "  (for reference) 10,000 with the cache, per migration", sprintf("%.4f ms", med["s4w-10000", "schemacheck-cache"] / 10000), "-", "-")
			if (has("s4-1000", "schemacheck"))
				row("", "  (for reference) marginal, 1,000 to 10,000", sprintf("%.3f ms per migration", (med["s4-10000", "schemacheck"] - med["s4-1000", "schemacheck"]) / 9000), "-", "-")
		} else row("4", "--all history: per migration at 10,000 / at 100", "no measurement", "<= 1.5x", "FAIL")
	}
	n5 = 0
	if (index(scens, " 3 ")) { m5[++n5] = "s3-first"; w5[n5] = "corpora (cold)" }
	if (index(scens, " 3 ")) { m5[++n5] = "s3-warm"; w5[n5] = "corpora (warm)" }
	if (index(scens, " 4 ")) { m5[++n5] = "s4-10000"; w5[n5] = "10,000 migrations (no cache)" }
	for (i = 1; i <= n5; i++) {
		s = m5[i]
		what = "peak RSS, " w5[i] ": schemacheck / Python"
		if (has(s, "schemacheck") && has(s, "python3-ast")) {
			r = rss[s, "schemacheck"] / rss[s, "python3-ast"]
			row("5", what, sprintf("%.2fx (%.1f / %.1f MB)", r, rss[s, "schemacheck"] / 1024, rss[s, "python3-ast"] / 1024), "<= 0.5x", judge(r <= 0.5))
		} else row("5", what, "not measured", "<= 0.5x", s == "s3-warm" && !((s SUBSEP "schemacheck") in ok) ? "SKIP" : "FAIL")
	}
}' "$TSV" | tee -a "$LOG"

if wants 4; then
	say ""
	say "scenario 4 in detail (wall median, per migration, peak RSS):"
	awk -F'\t' '$1 ~ /^s4-/ && $9 == "ok" {
		n = substr($1, 4)
		printf "  N = %-6s %-12s %9.1f ms  %8.4f ms/migration  %7.1f MB\n", n, $2, $4, $4 / n, $8 / 1024
	}' "$TSV" | tee -a "$LOG"
fi

[ "$BROKEN" = 0 ] || say "bench: some commands failed or timed out (see above); their targets are FAIL"
say ""
say "command: make bench   (bench/run.sh $SC)"
mv "$LOG" "$OUT/results.txt"
mv "$TSV" "$OUT/results.tsv"
mv "$RAW" "$OUT/samples.tsv"
mv "$OUT/verdicts.tsv.tmp" "$OUT/verdicts.tsv"
rm -f "$OUT/.out"
echo "bench: results in $OUT/results.txt and $OUT/results.tsv"
[ "$BROKEN" = 0 ] || exit 1
if [ "${BENCH_STRICT:-0}" = 1 ] && grep -q 'FAIL$' "$OUT/verdicts.tsv"; then
	exit 1
fi
exit 0
