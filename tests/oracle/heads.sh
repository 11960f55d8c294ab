#!/bin/sh
# heads.sh SCHEMACHECK CORPORA: the Alembic oracle for `schemacheck heads`.
#
# For every script directory of CORPORA/SCRIPT_DIRS.tsv (written by
# scripts/fetch-corpora.sh: package, script dir, revision files), compute
# the heads with real Alembic (Debian's /usr/bin/python3 and
# python3-alembic, through alembic_heads.py) and compare them with
# `schemacheck heads --format json -C CORPORA/x/<package>`.
#
# A script directory whose revision files import modules that are not
# installed cannot be loaded by Alembic; it must then be listed in
# heads-known-unloadable.txt with the import error and its hand-checked
# heads, which schemacheck's must equal (and which Alembic run with
# stand-ins for the missing modules must not contradict). Prints one line
# per script directory and a closing "oracle heads: N passed, N failed"
# line; fails on any mismatch or unlisted unloadable directory. Alembic
# runs in parallel (one Python per directory); the comparison is in order.
set -u
SC=${1:?usage: heads.sh SCHEMACHECK CORPORA}
CORPORA=$(cd "${2:?usage: heads.sh SCHEMACHECK CORPORA}" && pwd) || exit 3
here=$(cd "$(dirname "$0")" && pwd)
PY=/usr/bin/python3
known="$here/heads-known-unloadable.txt"
tsv="$CORPORA/SCRIPT_DIRS.tsv"
[ -s "$tsv" ] || { echo "heads.sh: no $tsv (run scripts/fetch-corpora.sh)" >&2; exit 3; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# line number, package, script dir
awk -F'\t' 'NF >= 2 { print NR "\t" $1 "\t" $2 }' "$tsv" > "$tmp/list"
# The other extracted packages go last on sys.path (neutron's
# sub-projects import neutron).
for d in "$CORPORA"/x/*/usr/lib/python3/dist-packages; do
	[ -d "$d" ] && printf '%s\n' "$d"
done > "$tmp/paths"

# Alembic for line $1: $tmp/$1.plain (heads) or $tmp/$1.err (why not), and
# then $tmp/$1.stub (heads with stand-ins) when it can be had.
worker='
n=$1
line=$(awk -F "\t" -v n="$n" "\$1 == n" "$tmp/list")
pkg=$(printf "%s\n" "$line" | cut -f2)
dir=$(printf "%s\n" "$line" | cut -f3)
set --
while IFS= read -r d; do set -- "$@" --path "$d"; done < "$tmp/paths"
if ! "$PY" "$here/alembic_heads.py" "$@" "$CORPORA/x/$pkg" "$dir" \
	> "$tmp/$n.plain" 2> "$tmp/$n.err"; then
	rm -f "$tmp/$n.plain"
	"$PY" "$here/alembic_heads.py" --stub-missing "$@" "$CORPORA/x/$pkg" \
		"$dir" > "$tmp/$n.stub" 2>/dev/null || rm -f "$tmp/$n.stub"
fi
'
export tmp PY here CORPORA
jobs=$(nproc 2>/dev/null || echo 2)
cut -f1 "$tmp/list" | xargs -P "$jobs" -n 1 sh -c "$worker" sh

# ["a", "b"] -> a,b
csv() { tr -d '[]" \n' < "$1"; }

pass=0
fail=0
while IFS='	' read -r n pkg dir; do
	root="$CORPORA/x/$pkg"
	if [ -f "$tmp/$n.plain" ]; then
		src=alembic
		want=$(csv "$tmp/$n.plain")
	else
		src=hand-checked
		line=$(awk -F'\t' -v p="$pkg" -v d="$dir" '$1 == p && $2 == d' "$known" 2>/dev/null | head -n 1)
		if [ -z "$line" ]; then
			fail=$((fail + 1))
			echo "FAIL $pkg $dir: Alembic cannot load it and it is not in heads-known-unloadable.txt: $(tail -n 1 "$tmp/$n.err")"
			continue
		fi
		want=$(printf '%s\n' "$line" | cut -f3)
		# the list must still agree with Alembic run on stand-ins
		if [ -f "$tmp/$n.stub" ]; then
			stub=$(csv "$tmp/$n.stub")
			if [ "$stub" != "$want" ]; then
				fail=$((fail + 1))
				echo "FAIL $pkg $dir: heads-known-unloadable.txt says $want, Alembic with stand-ins $stub"
				continue
			fi
			src="hand-checked, Alembic with stand-ins agrees"
		fi
	fi
	# build/corpora lies inside this repository's work tree: stop git's
	# discovery at x/ so that each package is read as a plain folder
	if ! GIT_CEILING_DIRECTORIES="$CORPORA/x" "$SC" heads --format json -C "$root" >"$tmp/out" 2>"$tmp/scerr"; then
		fail=$((fail + 1))
		echo "FAIL $pkg $dir: schemacheck heads failed: $(head -n 1 "$tmp/scerr")"
		continue
	fi
	got=$("$PY" - "$dir" "$tmp/out" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[2]))
for d in doc["script_dirs"]:
    if d["path"] == sys.argv[1]:
        print(",".join(sorted(d["heads"])))
        break
else:
    print("(script directory not found)")
PYEOF
)
	n_heads=$(printf '%s' "$want" | awk -F, '{print NF}')
	if [ "$got" = "$want" ]; then
		pass=$((pass + 1))
		echo "ok   $pkg $dir: $n_heads head(s) [$src] $want"
	else
		fail=$((fail + 1))
		echo "FAIL $pkg $dir: [$src] $want, schemacheck: $got"
	fi
done < "$tmp/list"
echo "oracle heads: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
