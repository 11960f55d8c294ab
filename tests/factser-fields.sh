#!/bin/sh
# factser-fields.sh SRCDIR: every field of the structs of src/facts.h must
# be named in src/factser.c (the facts cache encodes all of them), but
# the srcfile's path, data and len (the cache does not hold the text).
# Prints the missing ones; exit status 1 when there are any.
src=${1:?usage: factser-fields.sh SRCDIR}/src
awk '
/^struct sc_[a-z_]+ \{/ { name = $2; inside = 1; next }
inside && /^\};/ { inside = 0; next }
inside {
	line = $0
	sub(/\/\*.*\*\//, "", line); sub(/\/\*.*/, "", line)
	if (line ~ /^[ \t]*\*/ || line !~ /;/) next
	sub(/;.*/, "", line)
	n = split(line, parts, ",")
	for (i = 1; i <= n; i++) {
		f = parts[i]
		sub(/\[[0-9]*\][ \t]*$/, "", f)
		gsub(/[ \t]+$/, "", f)
		sub(/.*[ \t*]/, "", f)
		if (f != "") print name, f
	}
}' "$src/facts.h" | while read -r st field; do
	case "$st.$field" in
	sc_srcfile.path|sc_srcfile.data|sc_srcfile.len) continue ;;
	esac
	if ! grep -Eq "(->|\\.)$field([^A-Za-z0-9_]|\$)" "$src/factser.c"; then
		echo "src/factser.c does not encode $st.$field"
		echo missing > "${TMPDIR:-/tmp}/factser-fields.$$"
	fi
done
if [ -e "${TMPDIR:-/tmp}/factser-fields.$$" ]; then
	rm -f "${TMPDIR:-/tmp}/factser-fields.$$"
	exit 1
fi
exit 0
