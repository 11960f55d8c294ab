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

# put DIR FILE: copy FILE into DIR under the hash of its content.
put() {
	h=$(sha1sum < "$2" | cut -c1-40)
	cp "$2" "$1/$h"
}

find testdata -type f -name '*.py' | sort > "$out/.py-list"
while IFS= read -r f; do
	for t in migration models suppress; do put "$out/$t" "$f"; done
done < "$out/.py-list"

{ find testdata -type f -name '*.toml'; find tests/fuzz/seeds/config -type f; } | sort |
while IFS= read -r f; do put "$out/config" "$f"; done

for f in tests/fuzz/seeds/sqlddl/*; do [ -f "$f" ] && put "$out/sqlddl" "$f"; done
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
