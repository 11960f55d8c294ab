#!/bin/sh
# update-readme.sh SCHEMACHECK [README]: replace the rule table between
# <!-- rules:begin --> and <!-- rules:end --> with `schemacheck rules
# --format md` (the rules' own metadata is the one source).
set -eu
bin=$1
readme=${2:-$(dirname "$0")/../README.md}
table=$(mktemp)
"$bin" rules --format md > "$table"
awk -v table="$table" '
	/<!-- rules:begin -->/ { print; while ((getline l < table) > 0) print l; skip = 1; next }
	/<!-- rules:end -->/ { skip = 0 }
	!skip { print }
' "$readme" > "$readme.tmp"
mv "$readme.tmp" "$readme"
rm -f "$table"
