#!/bin/sh
# t60-history.sh: the rules that read git history, on real histories with
# tags, branches and several commits: the deprecation period of SC203
# (drop column) and SC204 (drop table) measured against the newest release
# tag reachable from "before" (or "before" itself without tags), and the
# edited (SC307) and deleted (SC308) committed migrations; in --staged
# (through the installed hook and a real `git commit`), --diff and --all.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK

# hooked NAME: a repository with the base project (users with nickname,
# migration 0001) committed and the hook installed; prints its path.
hooked() {
	r=$(new_repo "$1")
	base_project "$r"
	"$SC" -C "$r" install >/dev/null 2>&1 || echo "# install failed in $r" >&2
	echo "$r"
}

# git_commit_hooked TITLE_PREFIX REPO WANT MSG: `git commit` through the
# hook (everything staged); WANT is the exit status expected; checks that
# HEAD moved (0) or not (1).
git_commit_hooked() {
	h=$(head_of "$2")
	git -C "$2" add -A
	expect_status "$3" "$1: git commit exits $3" git_real -C "$2" commit -q -m "$4"
	if [ "$3" -eq 0 ]; then
		expect_head_moved "$2" "$h" "$1: the commit was made"
	else
		expect_head_same "$2" "$h" "$1: no commit was made"
	fi
}

drop_nickname() {
	migration "$1" 0002_drop_nickname.py 0002 0001 <<'PYEOF'

def upgrade():
    op.drop_column("users", "nickname")


def downgrade():
    op.add_column("users", sa.Column("nickname", sa.String(50)))
PYEOF
}

# The audit_log table (for SC204): its model, created by migration 0002.
AUDIT_MODEL='

class AuditLog(Base):
    __tablename__ = "audit_log"
    id = sa.Column(sa.Integer, primary_key=True)
    message = sa.Column(sa.Text)'
with_audit() {
	models_users "$1" yes "$AUDIT_MODEL"
	migration "$1" 0002_audit_log.py 0002 0001 <<'PYEOF'

def upgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message", sa.Text),
    )


def downgrade():
    op.drop_table("audit_log")
PYEOF
}
drop_audit() {
	migration "$1" 0003_drop_audit_log.py 0003 0002 <<'PYEOF'

def upgrade():
    op.drop_table("audit_log")


def downgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message", sa.Text),
    )
PYEOF
}

# ==== SC203 through the hook: the issue's demonstration ==================

# (i) the column leaves the model in the same commit as the drop: refused.
r=$(hooked sc203-same)
models_users "$r" no
drop_nickname "$r"
git_commit_hooked "SC203 (i) same commit" "$r" 1 "remove nickname and drop it"
expect_diag SC203 "SC203 (i): the refusal names SC203"
expect_contains "'users.nickname' is dropped in the same change that removes it from model 'User'" \
	"SC203 (i): the message says the model lost it in the same change"
expect_contains "at commit $(git -C "$r" rev-parse --short=12 HEAD)" \
	"SC203 (i): without release tags the message names the commit that still had it"

# (ii) the model change is released first (v1.1 lacks the column); the
# drop afterwards is allowed.
r=$(hooked sc203-released)
models_users "$r" no
git_commit_hooked "SC203 (ii) model change alone" "$r" 0 "remove nickname from the model"
git -C "$r" tag v1.1
drop_nickname "$r"
git_commit_hooked "SC203 (ii) drop after release v1.1" "$r" 0 "drop nickname"
expect_no_diag SC203 "SC203 (ii): the drop after v1.1 is not reported"

# (iii) the newest release still had the column: refused although the
# model lost it in an earlier commit; the message names the release.
r=$(hooked sc203-tag-had-it)
git -C "$r" tag -a -m "release 1.0" v1.0
models_users "$r" no
git_commit_hooked "SC203 (iii) model change after v1.0" "$r" 0 "remove nickname from the model"
drop_nickname "$r"
git_commit_hooked "SC203 (iii) drop before the model change is released" "$r" 1 "drop nickname"
expect_diag SC203 "SC203 (iii): the refusal names SC203"
expect_contains "model 'User' still declared it at release v1.0 (app/models.py:" \
	"SC203 (iii): the message names release v1.0 and the model's line"
expect_contains "release v1.0 is still running" "SC203 (iii): the help names the release"
# release the model change, then the same drop is accepted
git -C "$r" tag v1.1
git_commit_hooked "SC203 (iii) the same drop after v1.1" "$r" 0 "drop nickname"

# Tags that do not match release-tags are no releases.
r=$(hooked sc203-glob)
git -C "$r" tag v1.0
models_users "$r" no
commit_all "$r" "remove nickname from the model"
git -C "$r" tag build-42
drop_nickname "$r"
git -C "$r" add -A
expect_status 1 "SC203 --staged: a tag outside release-tags (build-42) is no release" in_dir "$r" "$SC" --staged
expect_contains "at release v1.0" "SC203 --staged: v1.0 is still the newest release"
printf '[tool.schemacheck]\nrelease-tags = "build-*"\n' > "$r/pyproject.toml"
git -C "$r" add -A
expect_status 0 "SC203 --staged: with release-tags = \"build-*\" build-42 is the release and lacks the column" \
	in_dir "$r" "$SC" --staged
expect_no_diag SC203 "SC203 --staged: no SC203 with release-tags = \"build-*\""

# The old drop is not judged again on later commits (its release still
# had the column, but the commit that added it is history).
r=$(hooked sc203-old)
git -C "$r" tag v1.0
models_users "$r" no
drop_nickname "$r"
commit_all "$r" "remove and drop nickname (skipping the hook)"
echo "more" >> "$r/README.txt"
git_commit_hooked "SC203 old drop, unrelated later commit" "$r" 0 "readme"
expect_no_diag SC203 "SC203: an old drop is not reported on an unrelated commit"

# ==== SC203 --diff ========================================================
# main: base (v1.0 has nickname) -> model change -> v1.1.
# early: branched at v1.0, removes the model column and drops it.
# late: branched at v1.1, drops it.
# other: a branch whose newer tag v2.0 lacks the column, not reachable.
r=$(new_repo sc203-diff)
base_project "$r"
git -C "$r" tag v1.0
git -C "$r" checkout -q -b early
models_users "$r" no
commit_all "$r" "early: model change"
drop_nickname "$r"
commit_all "$r" "early: drop"
git -C "$r" checkout -q main
models_users "$r" no
commit_all "$r" "main: model change"
git -C "$r" tag v1.1
git -C "$r" checkout -q -b late
drop_nickname "$r"
commit_all "$r" "late: drop"
git -C "$r" checkout -q -b other v1.0
models_users "$r" no
commit_all "$r" "other: model change"
sleep 1
echo "newer" >> "$r/README.txt"
commit_all "$r" "other: newer"
git -C "$r" tag v2.0
git -C "$r" checkout -q early
expect_status 1 "SC203 --diff main on a branch from v1.0 that removes and drops exits 1" in_dir "$r" "$SC" --diff main
expect_contains "at release v1.0" "SC203 --diff: the merge base's newest release is v1.0 (v1.1 and v2.0 are not reachable)"
git -C "$r" checkout -q late
expect_status 0 "SC203 --diff main on a branch from v1.1 (model already released) exits 0" in_dir "$r" "$SC" --diff main
expect_no_diag SC203 "SC203 --diff main from v1.1: no SC203"
expect_status 1 "SC203 --diff v1.0...late: the merge base v1.0 still had the column" in_dir "$r" "$SC" --diff v1.0...late
expect_contains "at release v1.0" "SC203 --diff v1.0...late names v1.0"

# ==== SC203 --all: only "no model declares it" ============================
r=$(new_repo sc203-all)
base_project "$r"
git -C "$r" tag v1.0
models_users "$r" no
drop_nickname "$r"
commit_all "$r" "remove and drop"
expect_status 0 "SC203 --all: model gone, drop present: exit 0 (no history in --all)" in_dir "$r" "$SC" --all
expect_no_diag SC203 "SC203 --all: the deprecation period is not checked"
models_users "$r" yes
expect_status 1 "SC203 --all: a model still declares the dropped column: exit 1" in_dir "$r" "$SC" --all
expect_contains "still declares it" "SC203 --all: the message says the model still declares it"

# ==== SC204 through the hook, --diff and --all ============================
# hooked_audit NAME: hooked base project plus audit_log (model and 0002).
hooked_audit() {
	r=$(hooked "$1")
	with_audit "$r"
	commit_all "$r" "audit_log"
	echo "$r"
}
r=$(hooked_audit sc204-same)
models_users "$r" yes
drop_audit "$r"
git_commit_hooked "SC204 same commit" "$r" 1 "remove AuditLog and drop audit_log"
expect_diag SC204 "SC204: the refusal names SC204"
expect_contains "table 'audit_log' is dropped in the same change that removes model 'AuditLog'" \
	"SC204: the message says the model left in the same change"

r=$(hooked_audit sc204-released)
models_users "$r" yes
git_commit_hooked "SC204 model removal alone" "$r" 0 "remove AuditLog"
git -C "$r" tag v1.1
drop_audit "$r"
git_commit_hooked "SC204 drop after release v1.1" "$r" 0 "drop audit_log"

r=$(hooked_audit sc204-tag-had-it)
git -C "$r" tag v1.0
models_users "$r" yes
git_commit_hooked "SC204 model removal after v1.0" "$r" 0 "remove AuditLog"
drop_audit "$r"
git_commit_hooked "SC204 drop while v1.0 still has the model" "$r" 1 "drop audit_log"
expect_contains "table 'audit_log' is dropped, but model 'AuditLog' still declared it at release v1.0" \
	"SC204: the message names release v1.0"

r=$(hooked_audit sc204-still)
drop_audit "$r"
git_commit_hooked "SC204 drop while the model still declares it" "$r" 1 "drop audit_log"
expect_contains "model 'AuditLog' (app/models.py:" "SC204: the message names the model that still declares it"

# SQL: DROP TABLE in op.execute
r=$(hooked_audit sc204-sql)
models_users "$r" yes
migration "$r" 0003_drop_audit_log.py 0003 0002 <<'PYEOF'

def upgrade():
    op.execute("DROP TABLE audit_log")


def downgrade():
    op.execute("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, message TEXT)")
PYEOF
git_commit_hooked "SC204 DROP TABLE in op.execute, same commit" "$r" 1 "drop audit_log in SQL"
expect_diag SC204 "SC204: DROP TABLE in SQL is reported"

r=$(new_repo sc204-diff)
base_project "$r"
with_audit "$r"
commit_all "$r" "audit_log"
git -C "$r" tag v1.0
git -C "$r" checkout -q -b feature
models_users "$r" yes
commit_all "$r" "feature: remove AuditLog"
drop_audit "$r"
commit_all "$r" "feature: drop audit_log"
expect_status 1 "SC204 --diff main: the branch removes the model and drops the table" in_dir "$r" "$SC" --diff main
expect_contains "at release v1.0" "SC204 --diff main names release v1.0"
git -C "$r" checkout -q main
models_users "$r" yes
commit_all "$r" "main: remove AuditLog"
git -C "$r" tag v1.1
git -C "$r" checkout -q -b feature2
drop_audit "$r"
commit_all "$r" "feature2: drop audit_log"
expect_status 0 "SC204 --diff main: the drop after v1.1 lacked the model exits 0" in_dir "$r" "$SC" --diff main
expect_no_diag SC204 "SC204 --diff main after v1.1: no SC204"
expect_status 0 "SC204 --all: no model declares audit_log: exit 0" in_dir "$r" "$SC" --all
expect_no_diag SC204 "SC204 --all: no SC204 when no model declares the table"
with_audit "$r"
drop_audit "$r"
expect_status 1 "SC204 --all: a model still declares the dropped table: exit 1" in_dir "$r" "$SC" --all
expect_diag SC204 "SC204 --all reports the model that still declares the table"

# ==== SC307 modified migration ============================================
r=$(hooked sc307)
sed -i 's/^def upgrade():/# users of the application\ndef upgrade():/' "$r/migrations/versions/0001_create_users.py"
git_commit_hooked "SC307 comment-only edit of a committed migration" "$r" 1 "edit 0001"
expect_diag SC307 "SC307: the refusal names SC307"
expect_contains "migrations/versions/0001_create_users.py:9:1: error[SC307]" \
	"SC307: the diagnostic points at the revision line of the edited file"
expect_contains "migration '0001' is modified after it was committed in $(git -C "$r" rev-parse --short=12 HEAD)" \
	"SC307: the message names the revision and the commit"
sed -i "s/^revision = '0001'\$/revision = '0001'  # schemacheck: ignore[SC307] -- comment only/" \
	"$r/migrations/versions/0001_create_users.py"
git_commit_hooked "SC307 the same edit with a reason suppression" "$r" 0 "edit 0001 (comment only)"
echo "more" >> "$r/README.txt"
git_commit_hooked "SC307 a later unrelated commit (the suppression stays)" "$r" 0 "readme"
expect_no_diag SC002 "SC307: the kept suppression is not reported unused on later commits"
expect_status 0 "SC307 --all: never reported, and its suppression is not unused" in_dir "$r" "$SC" --all
expect_no_diag SC307 "SC307 --all: no SC307"
expect_no_diag SC002 "SC307 --all: no SC002 for the SC307 suppression"
# a pure rename is not a modification
git -C "$r" mv migrations/versions/0001_create_users.py migrations/versions/0001_users.py
git_commit_hooked "SC307 pure rename of a committed migration" "$r" 0 "rename 0001"
expect_no_diag SC307 "SC307: a pure rename is not reported"
# the suppression stays with the file: a later edit is allowed as well
sed -i 's/sa.String(50), nullable=False/sa.String(80), nullable=False/' "$r/migrations/versions/0001_users.py"
git_commit_hooked "SC307 a later edit of the migration that carries the suppression" "$r" 0 "edit 0001 again"
# a rename that also edits is a modification
r=$(hooked sc307-rename)
git -C "$r" mv migrations/versions/0001_create_users.py migrations/versions/0001_init.py
sed -i 's/sa.String(50), nullable=False/sa.String(80), nullable=False/' "$r/migrations/versions/0001_init.py"
git_commit_hooked "SC307 rename and edit" "$r" 1 "rename and edit 0001"
expect_contains "migration '0001' is renamed from 'migrations/versions/0001_create_users.py' and modified" \
	"SC307: a rename with an edit names the old path"

r=$(new_repo sc307-diff)
base_project "$r"
mig_sc201_fix "$r"
commit_all "$r" "email"
git -C "$r" checkout -q -b feature
sed -i "s/server_default=''/server_default='none'/" "$r/migrations/versions/0002_email.py"
commit_all "$r" "feature: edit 0002"
migration "$r" 0003_more.py 0003 0002 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('age', sa.Integer))


def downgrade():
    op.drop_column('users', 'age')
PYEOF
commit_all "$r" "feature: new migration"
expect_status 1 "SC307 --diff main: the branch edits a migration of the merge base" in_dir "$r" "$SC" --diff main
expect_contains "migrations/versions/0002_email.py:9:1: error[SC307]" "SC307 --diff: names the edited migration"
expect_not_contains "0003_more.py" "SC307 --diff: the branch's new migration is no modification"
# a migration added and then edited on the same branch is new to main
git -C "$r" checkout -q main
git -C "$r" checkout -q -b feature2
migration "$r" 0003_more.py 0003 0002 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('age', sa.Integer))


def downgrade():
    op.drop_column('users', 'age')
PYEOF
commit_all "$r" "feature2: new migration"
sed -i 's/sa.Integer)/sa.Integer, nullable=True)/' "$r/migrations/versions/0003_more.py"
commit_all "$r" "feature2: edit the new migration"
expect_status 0 "SC307 --diff main: editing the branch's own new migration is fine" in_dir "$r" "$SC" --diff main
expect_no_diag SC307 "SC307 --diff main: no SC307 for a migration main lacks"

# ==== SC308 deleted migration =============================================
r=$(hooked sc308)
mig_sc201_fix "$r"
commit_all "$r" "email"
git -C "$r" rm -q migrations/versions/0002_email.py
git_commit_hooked "SC308 deleting a committed migration" "$r" 1 "delete 0002"
expect_diag SC308 "SC308: the refusal names SC308"
expect_contains "migrations/versions/0002_email.py:1:1: error[SC308] deleted-migration: migration '0002' is deleted after it was committed" \
	"SC308: the diagnostic names the deleted file at line 1"
expect_contains "--ignore SC308" "SC308: the help says how to allow an intended deletion"
expect_status 0 "SC308 --staged --ignore SC308 allows an intended deletion" in_dir "$r" "$SC" --staged --ignore SC308
printf '[tool.schemacheck.per-file-ignores]\n"migrations/versions/0002_*" = ["SC308"]\n' > "$r/pyproject.toml"
git_commit_hooked "SC308 deletion listed in per-file-ignores" "$r" 0 "squash: delete 0002"
expect_status 0 "SC308 --all: never reported" in_dir "$r" "$SC" --all

r=$(new_repo sc308-diff)
base_project "$r"
mig_sc201_fix "$r"
commit_all "$r" "email"
git -C "$r" checkout -q -b feature
git -C "$r" rm -q migrations/versions/0002_email.py
commit_all "$r" "feature: delete 0002"
expect_status 1 "SC308 --diff main: the branch deletes a migration of the merge base" in_dir "$r" "$SC" --diff main
expect_contains "migrations/versions/0002_email.py:1:1: error[SC308]" "SC308 --diff names the deleted file"
git -C "$r" checkout -q main
git -C "$r" checkout -q -b feature2
mkdir -p "$r/migrations/versions/2024"
git -C "$r" mv migrations/versions/0002_email.py migrations/versions/2024/0002_email.py
commit_all "$r" "feature2: move 0002 into a subfolder"
expect_status 0 "SC308 --diff main: moving a migration within the versions folder is fine" in_dir "$r" "$SC" --diff main
expect_no_diag SC308 "SC308 --diff: a move is no deletion"
expect_no_diag SC307 "SC308 --diff: a move is no modification"
