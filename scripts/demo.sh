#!/bin/sh
# demo.sh SCHEMACHECK: the main job on the bundled example. Builds a
# throwaway git repository from testdata/example/repo, installs the
# pre-commit hook, stages a bad change (testdata/example/change: a model
# gains a table and a column without migrations, and a migration adds a
# NOT NULL column without a server default and has an empty downgrade),
# and shows the real `git commit` being refused; then stages the fix and
# shows the commit going through.
set -eu
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$(dirname "$0")/.." && pwd)/testdata/example
demo=$(mktemp -d /tmp/schemacheck-demo-XXXXXX)
trap 'rm -rf "$demo"' EXIT

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

cp -R "$src/repo/." "$demo/"
cd "$demo"
git init -q -b main .
git config user.email demo@example.com
git config user.name "Demo"
git config commit.gpgsign false
git add -A
git commit -q -m "shop: customers"
say "schemacheck install"
"$bin" install

say "a change: model Order and Customer.email, a migration adding customers.email NOT NULL"
cp -R "$src/change/." "$demo/"
git add -A
git status --short

say "git commit (the hook runs schemacheck --staged)"
if git commit -m "orders and customer email"; then
	echo "demo: the commit was NOT refused; this is a bug" >&2
	exit 1
fi
echo "(exit status of git commit: refused)"

say "the fix: a server default, the orders table in the migration, a real downgrade()"
cp -R "$src/fix/." "$demo/"
git add -A
git commit -q -m "orders and customer email"
git log --oneline
say "demo: the bad commit was refused and the fixed one accepted"
