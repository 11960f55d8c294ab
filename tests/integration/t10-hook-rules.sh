#!/bin/sh
# t10-hook-rules.sh: the installed pre-commit hook refuses a real
# `git commit` that introduces SC101, SC102, SC201, SC203, SC401 or SC402, and
# accepts the corrected change; the same with `git commit -a` (the hook
# must read the temporary index named by GIT_INDEX_FILE) and with
# `git commit PATH` (a partial commit).
. "$(dirname "$0")/lib.sh"

# setup NAME: a fresh repository with the base project committed and
# the hook installed; prints its path.
setup() {
	r=$(new_repo "$1")
	base_project "$r"
	"$SCHEMACHECK" -C "$r" install >/dev/null 2>&1 || echo "# install failed in $r" >&2
	echo "$r"
}

# The bad and the corrected change of each case, written into the
# working tree. SC401: a model table without a migration.
sc401_bad() {
	models_users "$1" yes '

class Invoice(Base):
    __tablename__ = "invoices"
    id = sa.Column(sa.Integer, primary_key=True)'
}
sc401_fix() {
	sc401_bad "$1"
	mig_sc101_fix "$1"
}
# SC402: a model column without a migration; the fix adds the migration
# in the same commit.
sc402_bad() {
	models_users "$1" yes '    email = sa.Column(sa.String(255), nullable=True)'
}
sc402_fix() {
	sc402_bad "$1"
	migration "$1" 0002_users_email.py 0002 0001 <<'PYEOF'

def upgrade():
    op.add_column("users", sa.Column("email", sa.String(255), nullable=True))


def downgrade():
    op.drop_column("users", "email")
PYEOF
}
# SC203a: drop_column of a column the model still declares. The fix is
# the model change alone first (the column leaves the code); the drop is
# a later commit.
sc203a_bad() {
	migration "$1" 0002_drop_nickname.py 0002 0001 <<'PYEOF'

def upgrade():
    op.drop_column("users", "nickname")


def downgrade():
    op.add_column("users", sa.Column("nickname", sa.String(50)))
PYEOF
}
sc203a_fix() { models_users "$1" no; }
# SC203b: the column leaves the model in the same commit as the drop.
sc203b_bad() {
	models_users "$1" no
	sc203a_bad "$1"
}
sc203b_fix() { models_users "$1" no; }

# staged_case LABEL CODE BAD FIX [LATER]: git add + git commit. With
# LATER, the fix is FIX alone and LATER is the next commit.
staged_case() {
	label=$1 code=$2 bad=$3 fix=$4 later=${5:-}
	r=$(setup "staged-$N")
	h=$(head_of "$r")
	$bad "$r"
	git -C "$r" add -A
	expect_status 1 "$label: git commit of the staged bad change is refused" \
		git_real -C "$r" commit -m "bad $code"
	expect_contains "[$code]" "$label: the refused commit names [$code]"
	expect_head_same "$r" "$h" "$label: no commit was made"
	if [ -n "$later" ]; then
		# The fix comes first, the bad migration is set aside.
		rm -f "$r/migrations/versions/0002_drop_nickname.py"
	fi
	$fix "$r"
	git -C "$r" add -A
	expect_status 0 "$label: git commit of the corrected change is accepted" \
		git_real -C "$r" commit -m "fix $code"
	expect_head_moved "$r" "$h" "$label: the corrected commit was made"
	if [ -n "$later" ]; then
		h=$(head_of "$r")
		$later "$r"
		git -C "$r" add -A
		expect_status 0 "$label: the drop in a later commit is accepted" \
			git_real -C "$r" commit -m "drop later $code"
		expect_no_diag "$code" "$label: the later drop is not reported"
		expect_head_moved "$r" "$h" "$label: the later drop was committed"
	fi
}

# all_case LABEL CODE BAD FIX [LATER]: the same with `git commit -a`; new
# files are only intent-to-add (git add -N), everything else is modified
# in the working tree without `git add`.
all_case() {
	label=$1 code=$2 bad=$3 fix=$4 later=${5:-}
	r=$(setup "all-$N")
	h=$(head_of "$r")
	$bad "$r"
	git -C "$r" add -N .
	expect_status 1 "$label: git commit -a of the bad change is refused" \
		git_real -C "$r" commit -a -m "bad $code"
	expect_contains "[$code]" "$label: the refused commit -a names [$code]"
	expect_head_same "$r" "$h" "$label: no commit -a was made"
	if [ -n "$later" ]; then
		git -C "$r" rm -q --cached migrations/versions/0002_drop_nickname.py
		rm -f "$r/migrations/versions/0002_drop_nickname.py"
	fi
	$fix "$r"
	git -C "$r" add -N .
	expect_status 0 "$label: git commit -a of the corrected change is accepted" \
		git_real -C "$r" commit -a -m "fix $code"
	expect_head_moved "$r" "$h" "$label: the corrected commit -a was made"
	if [ -n "$later" ]; then
		h=$(head_of "$r")
		$later "$r"
		git -C "$r" add -N .
		expect_status 0 "$label: the drop in a later commit -a is accepted" \
			git_real -C "$r" commit -a -m "drop later $code"
		expect_head_moved "$r" "$h" "$label: the later drop was committed with -a"
	fi
}

staged_case SC101 SC101 mig_sc101_bad mig_sc101_fix
staged_case SC102 SC102 mig_sc102_bad mig_sc102_fix
staged_case SC201 SC201 mig_sc201_bad mig_sc201_fix
staged_case SC401 SC401 sc401_bad sc401_fix
staged_case SC402 SC402 sc402_bad sc402_fix
staged_case "SC203 (model still declares)" SC203 sc203a_bad sc203a_fix sc203a_bad
staged_case "SC203 (removed in the same commit)" SC203 sc203b_bad sc203b_fix sc203a_bad
all_case SC101 SC101 mig_sc101_bad mig_sc101_fix
all_case SC102 SC102 mig_sc102_bad mig_sc102_fix
all_case SC201 SC201 mig_sc201_bad mig_sc201_fix
all_case SC401 SC401 sc401_bad sc401_fix
all_case SC402 SC402 sc402_bad sc402_fix
all_case "SC203 (model still declares)" SC203 sc203a_bad sc203a_fix sc203a_bad
all_case "SC203 (removed in the same commit)" SC203 sc203b_bad sc203b_fix sc203a_bad

# commit -a must read the temporary index, not .git/index: the index
# holds the corrected migration, the working tree the bad one (refused);
# then the index holds the bad one and the working tree the fix (accepted).
r=$(setup all-index)
h=$(head_of "$r")
mig_sc201_fix "$r"
git -C "$r" add -A
mig_sc201_bad "$r"
expect_status 1 "commit -a: bad working tree over a good index is refused" \
	git_real -C "$r" commit -a -m "bad over good"
expect_contains "[SC201]" "commit -a: bad working tree over a good index names [SC201]"
expect_head_same "$r" "$h" "commit -a: bad working tree over a good index made no commit"
git -C "$r" add -A
mig_sc201_fix "$r"
expect_status 0 "commit -a: good working tree over a bad index is accepted" \
	git_real -C "$r" commit -a -m "good over bad"
expect_head_moved "$r" "$h" "commit -a: good working tree over a bad index was committed"

# git commit PATH: a bad migration is staged but not part of the commit.
r=$(setup partial)
mig_sc201_bad "$r"
git -C "$r" add -A
echo "more words" >> "$r/README.txt"
h=$(head_of "$r")
expect_status 0 "commit PATH: a commit of README.txt only is not blocked by a staged bad migration" \
	git_real -C "$r" commit -m "readme only" README.txt
expect_head_moved "$r" "$h" "commit PATH: README.txt was committed"
if git -C "$r" cat-file -e HEAD:migrations/versions/0002_email.py 2>/dev/null; then
	not_ok "commit PATH: the bad migration stayed out of the commit"
else
	ok "commit PATH: the bad migration stayed out of the commit"
fi
h=$(head_of "$r")
expect_status 1 "commit PATH: git commit of the bad migration is refused" \
	git_real -C "$r" commit -m "bad migration" migrations/versions/0002_email.py
expect_contains "[SC201]" "commit PATH: the refused partial commit names [SC201]"
expect_head_same "$r" "$h" "commit PATH: the bad migration was not committed"
# The index holds the bad version; the working tree the fix: commit PATH
# takes the working tree version.
mig_sc201_fix "$r"
expect_status 0 "commit PATH: git commit of the corrected migration (unstaged) is accepted" \
	git_real -C "$r" commit -m "good migration" migrations/versions/0002_email.py
expect_head_moved "$r" "$h" "commit PATH: the corrected migration was committed"
