#!/bin/sh
# fetch-grammar.sh OUTDIR: fetch tree-sitter-python@0.23.6 from the npm
# registry with `npm pack`, verify its sha256 and compile src/parser.c and
# src/scanner.c into OUTDIR/libtree-sitter-python.a (ABI 14, accepted by
# Debian's libtree-sitter 0.20.7; 0.25 is ABI 15 and silently refused).
set -eu

VERSION=0.23.6
SHA256=aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a
out=${1:?usage: fetch-grammar.sh OUTDIR}
lib="$out/libtree-sitter-python.a"

[ -f "$lib" ] && [ "$(cat "$out/.version" 2>/dev/null)" = "$VERSION" ] && exit 0

mkdir -p "$out"
cd "$out"
tgz="tree-sitter-python-$VERSION.tgz"
if [ ! -f "$tgz" ]; then
	echo "fetch-grammar: npm pack tree-sitter-python@$VERSION" >&2
	npm pack --silent "tree-sitter-python@$VERSION" >/dev/null
fi
got=$(sha256sum "$tgz" | cut -d' ' -f1)
if [ "$got" != "$SHA256" ]; then
	echo "fetch-grammar: sha256 mismatch for $tgz: got $got, want $SHA256" >&2
	rm -f "$tgz"
	exit 1
fi
rm -rf package
tar xzf "$tgz" package/src
cc=${CC:-cc}
$cc -O2 -fPIC -std=c11 -w -Ipackage/src -c package/src/parser.c -o parser.o
$cc -O2 -fPIC -std=c11 -w -Ipackage/src -c package/src/scanner.c -o scanner.o
rm -f "$lib"
ar rcs "$lib" parser.o scanner.o
rm -f parser.o scanner.o
echo "$VERSION" > .version
echo "fetch-grammar: built $lib" >&2
