#!/bin/sh
# t50-heads.sh: `schemacheck heads`: text and json output (DESIGN.md
# section 2), script directories in and outside git, branch labels,
# merges, nested expand/contract folders, -C, and exit statuses.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK

# jq_ok FILTER TITLE: jq -e FILTER on $OUT.
jq_ok() {
	if printf '%s' "$OUT" | jq -e "$1" >/dev/null 2>"$TMP/jqerr"; then
		ok "$2"
	else
		not_ok "$2" "jq -e '$1' failed: $(cat "$TMP/jqerr")" "$OUT"
	fi
}

# rev DIR FILE REV DOWN [EXTRA]: a revision file (DOWN is Python: None,
# 'a' or ('a', 'b')).
rev() {
	mkdir -p "$(dirname "$1/$2")"
	cat > "$1/$2" <<PYEOF
"""revision $3

Revision ID: $3
"""
from alembic import op

EXPAND_BRANCH = "expand"
revision = '$3'
down_revision = $4
${5:-}


def upgrade():
    pass


def downgrade():
    pass
PYEOF
}

env_py() {
	mkdir -p "$1"
	echo 'from alembic import context' > "$1/env.py"
}

# A plain folder (no git): one chain --------------------------------------
p="$TMP/plain"
env_py "$p/migrations"
rev "$p" migrations/versions/0001_a.py 0001 None
rev "$p" migrations/versions/0002_b.py 0002 "'0001'"
expect_status 0 "heads in a plain folder exits 0" "$SC" heads -C "$p"
expect_contains "0002 migrations" "text: one line '<head> <script dir>'"
expect_not_contains "0001" "text: a revision with a child is no head"
expect_status 0 "heads --format json exits 0" "$SC" heads --format json -C "$p"
jq_ok '.version == 1' "json: version 1"
jq_ok '.script_dirs == [{"path": "migrations", "heads": ["0002"], "branch_labels": []}]' \
	"json: path relative to the folder, heads, branch_labels"
expect_status 0 "-C before the command works too" "$SC" -C "$p" heads --format=json
jq_ok '.script_dirs[0].heads == ["0002"]' "json with -C before heads"

# Two heads, then a merge --------------------------------------------------
rev "$p" migrations/versions/0003_c.py v2.4.0.a "'0001'"
expect_status 0 "two heads: still exit 0 (heads only reports)" "$SC" heads --format json -C "$p"
jq_ok '.script_dirs[0].heads == ["0002", "v2.4.0.a"]' "json: two heads, sorted by id"
rev "$p" migrations/versions/0004_merge.py liberty "('0002', 'v2.4.0.a')"
expect_status 0 "after the merge revision" "$SC" heads --format json -C "$p"
jq_ok '.script_dirs[0].heads == ["liberty"]' "json: the merge revision is the one head"

# expand/contract: nested folders, labels from module constants, depends_on
ec="$TMP/ec"
env_py "$ec/db/alembic"
rev "$ec" db/alembic/versions/start.py start None
rev "$ec" db/alembic/versions/liberty/expand/1a.py 1a "'start'" "branch_labels = (EXPAND_BRANCH,)"
rev "$ec" db/alembic/versions/liberty/contract/2b.py 2b "'start'" "branch_labels = ('contract',)"
rev "$ec" db/alembic/versions/mitaka/expand/3c.py 3c "'1a'"
rev "$ec" db/alembic/versions/mitaka/contract/4d.py 4d "'2b'" "depends_on = ('3c',)"
: > "$ec/db/alembic/versions/__init__.py"
expect_status 0 "expand/contract heads" "$SC" heads -C "$ec"
expect_contains "3c (expand) db/alembic" "text: the expand head with its label"
expect_contains "4d (contract) db/alembic" "text: the contract head with its label (depends_on does not hide 3c)"
expect_status 0 "expand/contract json" "$SC" heads --format json -C "$ec"
jq_ok '.script_dirs[0] == {"path": "db/alembic", "heads": ["3c", "4d"], "branch_labels": ["contract", "expand"]}' \
	"json: both heads and the labels of the directory"

# Several script directories, in a git repository --------------------------
g=$(new_repo heads-git)
env_py "$g/svc/a/migrations"
env_py "$g/svc/b/migrations"
rev "$g" svc/a/migrations/versions/1.py a1 None
rev "$g" svc/b/migrations/versions/1.py b1 None
rev "$g" svc/b/migrations/versions/2.py b2 "'b1'"
git -C "$g" add -A
expect_status 0 "heads in a git repository (nothing committed yet)" "$SC" heads --format json -C "$g"
jq_ok '[.script_dirs[].path] == ["svc/a/migrations", "svc/b/migrations"]' "json: one entry per script directory, sorted"
jq_ok '.script_dirs[1].heads == ["b2"]' "json: heads of the second directory"
commit_all "$g" "two services"
mkdir -p "$g/svc/b/sub"
expect_status 0 "heads from a subfolder (-C)" "$SC" heads --format json -C "$g/svc/b/sub"
jq_ok '[.script_dirs[].path] == ["svc/a/migrations", "svc/b/migrations"]' \
	"json: paths stay relative to the repository root"
rev "$g" svc/b/migrations/versions/3.py b3 "'b2'"
expect_status 0 "an untracked revision" "$SC" heads --format json -C "$g"
jq_ok '.script_dirs[1].heads == ["b2"]' "untracked files are not read (like --all)"
git -C "$g" add -N svc/b/migrations/versions/3.py
expect_status 0 "after git add -N" "$SC" heads --format json -C "$g"
jq_ok '.script_dirs[1].heads == ["b3"]' "an intent-to-add file is read from the work tree"

# No script directory, usage and environment errors -----------------------
e="$TMP/empty"
mkdir -p "$e"
echo "print(1)" > "$e/app.py"
expect_status 0 "no script directory: exit 0" "$SC" heads --format json -C "$e"
jq_ok '.script_dirs == []' "json: an empty list"
expect_status 0 "no script directory, text" "$SC" heads -C "$e"
if [ -z "$OUT" ]; then ok "text: nothing printed"; else not_ok "text: nothing printed" "$OUT"; fi
expect_status 2 "an unknown format exits 2" "$SC" heads --format sarif -C "$p"
expect_contains "sarif" "the unknown format is named"
expect_status 2 "an unknown option exits 2" "$SC" heads --staged -C "$p"
expect_status 2 "-C to a missing folder exits 2" "$SC" heads -C "$TMP/nowhere"
git init -q --bare "$TMP/bare.git"
expect_status 3 "a bare repository exits 3" "$SC" heads -C "$TMP/bare.git"

# SC304 in a real commit: a commit adding a second head is refused; once
# the history has two heads, an unrelated commit is not blocked -----------
r=$(new_repo heads-commit)
env_py "$r/migrations"
rev "$r" migrations/versions/1.py 0001 None
rev "$r" migrations/versions/2.py 0002 "'0001'"
commit_all "$r" base
rev "$r" migrations/versions/3.py 0003 "'0001'"
git -C "$r" add -A
expect_status 1 "--staged: a second head is refused" in_dir "$r" "$SC" --staged --select SC3
expect_diag SC304 "--staged: SC304 is reported"
expect_contains "revision '0003' makes 2 heads in 'migrations' (also '0002')" "SC304 names the new head and the other one"
git -C "$r" commit -q --no-verify -m "second head"
echo "notes" > "$r/NOTES.txt"
git -C "$r" add -A
expect_status 0 "--staged: an unrelated commit on a two-head history passes" in_dir "$r" "$SC" --staged --select SC3
expect_no_diag SC304 "--staged: old heads are not reported"
expect_status 1 "--all still reports the two heads" in_dir "$r" "$SC" --all --select SC3
expect_diag SC304 "--all: SC304"
expect_status 0 "heads lists both" "$SC" heads -C "$r"
expect_contains "0002 migrations" "heads: 0002"
expect_contains "0003 migrations" "heads: 0003"
