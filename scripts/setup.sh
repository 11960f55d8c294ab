#!/bin/sh
# setup.sh: install what schemacheck needs to build and test on Debian, then
# fetch and compile the tree-sitter Python grammar into build/grammar/.
#
# Idempotent and quick when everything is present: it asks dpkg which
# packages are missing and installs only those (as root: apt-get update once,
# then apt-get install; otherwise it prints the exact apt-get line and stops).
# Nothing it downloads or builds lands in the source tree outside build/.
set -eu

here=$(cd "$(dirname "$0")/.." && pwd)

# Build, library and test dependencies (DESIGN.md section 8; libssl-dev for
# libcrypto's SHA-1, which hashes blob ids); postgresql and
# python3-psycopg2 for the database oracle (make oracle-db).
PKGS="gcc make pkg-config git ca-certificates libgit2-dev libtree-sitter-dev
libpcre2-dev libinih-dev libssl-dev check valgrind python3 python3-alembic pre-commit
postgresql python3-psycopg2"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*"install ok installed"*) ;;
	*) missing="$missing $p" ;;
	esac
done

# npm may come from outside Debian (a Node.js install); only ask for
# Debian's package when no npm command exists at all.
command -v npm >/dev/null 2>&1 || missing="$missing npm"

if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup: missing Debian packages:$missing" >&2
		echo "setup: run as root:  apt-get update && apt-get install -y$missing" >&2
		exit 1
	fi
	echo "setup: installing:$missing" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

exec "$here/scripts/fetch-grammar.sh" "$here/build/grammar"
