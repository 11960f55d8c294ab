#!/bin/sh
# mkseeds.sh OUTDIR: the seed corpora of the fuzz targets, made from the
# test data (never committed; rebuilt each time, so they follow testdata/):
#   OUTDIR/migration, OUTDIR/models, OUTDIR/suppress: every testdata .py
#   OUTDIR/sqlddl: every string literal of those files that holds DDL
#       (read with Python's ast module, which parses and never runs the
#       code), plus tests/fuzz/seeds/sqlddl/*.sql
#   OUTDIR/config: every .toml under testdata/ and tests/fuzz/seeds/config/
# Files are named by the sha1 of their content, so duplicates collapse.
set -eu
out=${1:?usage: mkseeds.sh OUTDIR}
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rm -rf "$out"
mkdir -p "$out/migration" "$out/models" "$out/suppress" "$out/sqlddl" "$out/config"

# put DIR... < LIST: copy each file named in LIST (one a line) into each
# DIR under the hash of its content: in one Python process when there is
# one (a process per file made this take a minute), else with cp.
put() {
	if command -v python3 >/dev/null 2>&1; then
		python3 -c '
import hashlib, os, sys
for path in sys.stdin.read().split("\n"):
    if path:
        data = open(path, "rb").read()
        name = hashlib.sha1(data).hexdigest()
        for d in sys.argv[1:]:
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
' "$@"
		return
	fi
	tr '\n' '\0' | xargs -0 -r sha1sum | while read -r h f; do
		for d in "$@"; do cp "$f" "$d/$h"; done
	done
}

find testdata -type f -name '*.py' | sort > "$out/.py-list"
put "$out/migration" "$out/models" "$out/suppress" < "$out/.py-list"
{ find testdata -type f -name '*.toml'; find tests/fuzz/seeds/config -type f; } | sort |
	put "$out/config"
find tests/fuzz/seeds/sqlddl -type f | sort | put "$out/sqlddl"
if command -v python3 >/dev/null 2>&1; then
	python3 - "$out/sqlddl" "$out/.py-list" <<'PYEOF'
import ast, hashlib, os, re, sys
outdir, listing = sys.argv[1], sys.argv[2]
ddl = re.compile(r"\b(create|alter|drop|rename|truncate|insert|update|comment)\b", re.I)
seen = 0
for path in open(listing).read().split("\n"):
    if not path:
        continue
    try:
        tree = ast.parse(open(path, "rb").read(), path)
    except (SyntaxError, ValueError):
        continue
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and ddl.search(node.value):
            data = node.value.encode("utf-8", "surrogatepass")
            name = hashlib.sha1(data).hexdigest()
            with open(os.path.join(outdir, name), "wb") as f:
                f.write(data)
            seen += 1
PYEOF
fi
rm -f "$out/.py-list"
for t in migration models suppress sqlddl config; do
	printf '%s: %s seeds\n' "$t" "$(ls "$out/$t" | wc -l)"
done | paste -sd' ' | sed 's/^/mkseeds: /'
