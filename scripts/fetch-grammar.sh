#!/bin/sh
# fetch-grammar.sh OUTDIR: fetch the tree-sitter grammars schemacheck
# compiles in, from the npm registry with `npm pack`, verify each
# tarball's sha256 and compile its src/parser.c and src/scanner.c into
# OUTDIR/libtree-sitter-<name>.a. Both grammars are ABI 14, which
# Debian's libtree-sitter 0.20.7 accepts (0.25-era grammars are ABI 15
# and are silently refused).
#   tree-sitter-python@0.23.6                      Python (models, migrations)
#   @tree-sitter-grammars/tree-sitter-toml@0.7.0   TOML (configuration)
set -eu

out=${1:?usage: fetch-grammar.sh OUTDIR}
mkdir -p "$out"
cd "$out"
cc=${CC:-cc}

# build NAME NPM-SPEC TARBALL SHA256
build() {
	name=$1 spec=$2 tgz=$3 sha=$4
	lib="libtree-sitter-$name.a"
	[ -f "$lib" ] && [ "$(cat ".$name.version" 2>/dev/null)" = "$spec" ] && return 0
	if [ ! -f "$tgz" ]; then
		echo "fetch-grammar: npm pack $spec" >&2
		npm pack --silent "$spec" >/dev/null
	fi
	got=$(sha256sum "$tgz" | cut -d' ' -f1)
	if [ "$got" != "$sha" ]; then
		echo "fetch-grammar: sha256 mismatch for $tgz: got $got, want $sha" >&2
		rm -f "$tgz"
		exit 1
	fi
	rm -rf "$name-src"
	mkdir "$name-src"
	tar xzf "$tgz" -C "$name-src" package/src
	s="$name-src/package/src"
	$cc -O2 -fPIC -std=c11 -w -I"$s" -c "$s/parser.c" -o "$name-parser.o"
	$cc -O2 -fPIC -std=c11 -w -I"$s" -c "$s/scanner.c" -o "$name-scanner.o"
	rm -f "$lib"
	ar rcs "$lib" "$name-parser.o" "$name-scanner.o"
	rm -f "$name-parser.o" "$name-scanner.o"
	echo "$spec" > ".$name.version"
	echo "fetch-grammar: built $out/$lib" >&2
}

build python tree-sitter-python@0.23.6 tree-sitter-python-0.23.6.tgz \
	aab5b860d93dbf84b37fed532f7dacc0468ede5387d0c74911d68f964287662a
build toml @tree-sitter-grammars/tree-sitter-toml@0.7.0 \
	tree-sitter-grammars-tree-sitter-toml-0.7.0.tgz \
	b3a7834caf2e5266d09fc5df0b166a665412b9688b86ac02ab172c48bdab7e13
