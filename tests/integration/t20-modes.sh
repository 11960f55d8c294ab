#!/bin/sh
# t20-modes.sh: the change modes (--staged, --diff BASE[..|...]HEAD), the
# audit (--all, also outside git), old debt, -C, subfolders and PATH.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK

# --diff on two branches --------------------------------------------------
r=$(new_repo diff)
base_project "$r"
git -C "$r" checkout -q -b feature
mig_sc201_bad "$r"
commit_all "$r" "feature: email (bad)"
git -C "$r" checkout -q main
# main goes on after the branch point with a bad migration of its own.
migration "$r" 0003_audit.py 0003 0001 <<'PYEOF'

def upgrade():
    op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))
PYEOF
commit_all "$r" "main: audit (bad, no downgrade)"
expect_status 1 "--all on main exits 1 (main has its own bad migration)" \
	"$SC" -C "$r" --all
expect_contains "[SC101]" "--all on main reports main's SC101 (so the next checks can fail)"
git -C "$r" checkout -q feature
for spec in main main..HEAD main...HEAD; do
	expect_status 1 "--diff $spec on the feature branch exits 1" in_dir "$r" "$SC" --diff "$spec"
	expect_contains "[SC201]" "--diff $spec reports the feature's SC201"
	expect_contains "migrations/versions/0002_email.py" "--diff $spec names the feature's migration"
	expect_no_diag SC101 "--diff $spec does not report main's SC101 made after the branch point"
	expect_not_contains "0003_audit.py" "--diff $spec does not name main's migration"
done
expect_status 2 "--diff nosuchbranch exits 2" in_dir "$r" "$SC" --diff nosuchbranch
expect_contains "nosuchbranch" "--diff nosuchbranch names the revision"
# The feature branch with the fix on top: the branch as a whole is fine.
mig_sc201_fix "$r"
commit_all "$r" "feature: fix email"
expect_status 0 "--diff main after the fix on the branch exits 0" in_dir "$r" "$SC" --diff main
expect_no_diag SC201 "--diff main after the fix reports no SC201"
# Nothing staged on the feature branch: --staged is clean although the
# branch's history is not.
expect_status 0 "--staged with nothing staged exits 0" in_dir "$r" "$SC" --staged
expect_contains "All checks passed." "--staged with nothing staged says All checks passed."

# --all and old debt ------------------------------------------------------
r=$(new_repo debt)
base_project "$r"
mig_sc101_bad "$r"
commit_all "$r" "long ago: invoices without downgrade"
echo "more" >> "$r/README.txt"
commit_all "$r" "later 1"
echo "more" >> "$r/README.txt"
commit_all "$r" "later 2"
expect_status 1 "--all reports old debt (exit 1)" in_dir "$r" "$SC" --all
expect_contains "[SC101]" "--all names the old SC101"
expect_contains "migrations/versions/0002_invoices.py" "--all names the old migration"
expect_status 0 "--staged with nothing staged in a repository with debt exits 0" in_dir "$r" "$SC" --staged
expect_contains "All checks passed." "--staged with nothing staged prints All checks passed."
expect_no_diag SC101 "--staged with nothing staged does not report old debt"
expect_status 0 "the default mode (--staged) with nothing staged exits 0" in_dir "$r" "$SC"
expect_no_diag SC101 "the default mode does not report old debt"

# --all outside a git repository (a plain copy of the files).
plain="$TMP/plain"
mkdir -p "$plain"
(cd "$r" && git ls-files | while IFS= read -r f; do
	mkdir -p "$plain/$(dirname "$f")"
	cp "$f" "$plain/$f"
done)
if git -C "$plain" rev-parse --git-dir >/dev/null 2>&1; then
	not_ok "the plain copy is outside any git repository"
else
	ok "the plain copy is outside any git repository"
fi
expect_status 1 "--all outside a git repository exits 1 on the debt" in_dir "$plain" "$SC" --all
expect_contains "[SC101]" "--all outside a git repository reports SC101"
expect_contains "migrations/versions/0002_invoices.py" "--all outside a git repository names the path relative to the folder"
expect_status 1 "-C PLAIN --all outside a git repository exits 1" "$SC" -C "$plain" --all
expect_contains "[SC101]" "-C PLAIN --all outside a git repository reports SC101"
expect_status 3 "--staged outside a git repository exits 3" in_dir "$plain" "$SC" --staged
expect_contains "not a git repository" "--staged outside a git repository says so"
expect_not_contains "All checks passed." "--staged outside a git repository does not claim success"
expect_status 3 "--diff outside a git repository exits 3" in_dir "$plain" "$SC" --diff main

# Old debt (SC201 in history) does not block a new, unrelated good commit.
r=$(new_repo olddebt)
base_project "$r"
mig_sc201_bad "$r"
commit_all "$r" "long ago: bad email"
"$SC" -C "$r" install >/dev/null 2>&1
expect_status 1 "old debt: --all reports the SC201 in history" in_dir "$r" "$SC" --all
expect_contains "[SC201]" "old debt: --all names SC201"
migration "$r" 0003_invoices.py 0003 0002 <<'PYEOF'

def upgrade():
    op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("invoices")
PYEOF
git -C "$r" add -A
h=$(head_of "$r")
expect_status 0 "old debt: a commit of a new good migration is allowed" \
	git_real -C "$r" commit -m "invoices"
expect_no_diag SC201 "old debt: the commit does not report the old SC201"
expect_head_moved "$r" "$h" "old debt: the commit was made"
# Old debt in a model (SC401) whose line moves: matched by rule, file and
# subject, never by line, so it is still old debt.
r=$(new_repo movedline)
base_project "$r"
models_users "$r" yes '

class Invoice(Base):
    __tablename__ = "invoices"
    id = sa.Column(sa.Integer, primary_key=True)'
commit_all "$r" "long ago: invoices model without migration"
expect_status 1 "moved line: --all reports the old SC401" in_dir "$r" "$SC" --all
expect_contains "[SC401]" "moved line: --all names SC401"
{ printf '"""The application models."""\n# (a second line)\n'; cat "$r/app/models.py"; } > "$TMP/models.py"
cp "$TMP/models.py" "$r/app/models.py"
git -C "$r" add -A
expect_status 0 "moved line: --staged does not block on old SC401 whose line moved" in_dir "$r" "$SC" --staged
expect_no_diag SC401 "moved line: the old SC401 is not reported"
"$SC" -C "$r" install >/dev/null 2>&1
expect_status 0 "moved line: a real commit through the hook is allowed" git_real -C "$r" commit -q -m "docstring"

# Subfolders, -C and PATH -------------------------------------------------
r=$(new_repo paths)
base_project "$r"
mig_sc101_bad "$r"
migration "$r" 0003_email.py 0003 0002 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
git -C "$r" add -A
mkdir -p "$r/app/sub"
expect_status 1 "--staged from a subfolder exits 1" in_dir "$r/app/sub" "$SC" --staged
expect_contains "[SC101]" "--staged from a subfolder reports SC101"
expect_contains "[SC201]" "--staged from a subfolder reports SC201"
expect_contains "migrations/versions/0003_email.py" "--staged from a subfolder prints paths relative to the repository root"
expect_status 1 "--all from a subfolder exits 1" in_dir "$r/migrations/versions" "$SC" --all
expect_contains "migrations/versions/0002_invoices.py" "--all from a subfolder checks the whole repository"
expect_status 1 "-C DIR --staged exits 1" "$SC" -C "$r" --staged
expect_contains "[SC201]" "-C DIR --staged reports SC201"
expect_status 1 "-C SUBDIR --all exits 1" "$SC" -C "$r/app" --all
expect_contains "[SC101]" "-C SUBDIR --all reports SC101"
expect_status 1 "PATH (one migration) exits 1" in_dir "$r" "$SC" --staged migrations/versions/0002_invoices.py
expect_contains "[SC101]" "PATH (one migration) reports that file's SC101"
expect_no_diag SC201 "PATH (one migration) does not report another file's SC201"
expect_status 1 "--all PATH (the other migration) exits 1" in_dir "$r" "$SC" --all migrations/versions/0003_email.py
expect_contains "[SC201]" "--all PATH reports that file's SC201"
expect_no_diag SC101 "--all PATH does not report another file's SC101"
expect_status 0 "PATH (a folder without findings) exits 0" in_dir "$r" "$SC" --all app
expect_not_contains "[SC1" "PATH (a folder without findings) reports no SC1xx"
expect_not_contains "[SC2" "PATH (a folder without findings) reports no SC2xx"
expect_status 1 "PATH (a folder with findings) exits 1" in_dir "$r" "$SC" --all migrations
expect_contains "[SC101]" "PATH (a folder) reports SC101"
expect_contains "[SC201]" "PATH (a folder) reports SC201"
expect_status 1 "PATH relative to the current subfolder" in_dir "$r/migrations" "$SC" --all versions/0003_email.py
expect_contains "[SC201]" "PATH relative to the current subfolder reports SC201"
expect_no_diag SC101 "PATH relative to the current subfolder limits reporting"
expect_status 1 "-C DIR with PATH relative to DIR" "$SC" -C "$r/migrations" --all versions/0002_invoices.py
expect_contains "[SC101]" "-C DIR with PATH relative to DIR reports SC101"
expect_no_diag SC201 "-C DIR with PATH relative to DIR limits reporting"
