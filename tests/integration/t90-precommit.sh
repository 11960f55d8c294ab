#!/bin/sh
# t90-precommit.sh: the pre-commit framework (https://pre-commit.com, the
# Debian package) on a real repository, offline: a `repo: local` entry
# made from this project's .pre-commit-hooks.yaml (language: system, the
# binary under test on PATH), `pre-commit install`, `pre-commit run`
# refusing a bad staged migration, a real `git commit` refused then
# accepted after the fix. Then `schemacheck install` next to the hook
# that pre-commit wrote, and next to a team hook that chains schemacheck.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK
top=$(cd "$(dirname "$0")/../.." && pwd)

if ! command -v pre-commit > /dev/null 2>&1; then
	not_ok "pre-commit is installed (Debian package pre-commit)" "$(command -v pre-commit)"
	exit 1
fi
expect_status 0 "pre-commit --version" pre-commit --version
expect_contains "pre-commit " "pre-commit --version prints its version"

# The binary under test as `schemacheck` on PATH; pre-commit's cache in
# the test's folder; no network needed (repo: local clones nothing).
mkdir -p "$TMP/bin"
ln -s "$SC" "$TMP/bin/schemacheck"
export PATH="$TMP/bin:$PATH"
export PRE_COMMIT_HOME="$TMP/pre-commit-home"
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
export HTTP_PROXY=$http_proxy HTTPS_PROXY=$https_proxy
if [ "$(command -v schemacheck)" = "$TMP/bin/schemacheck" ]; then ok "schemacheck on PATH is the binary under test"; else not_ok "schemacheck on PATH is the binary under test" "$(command -v schemacheck)"; fi

hooks_yaml="$top/.pre-commit-hooks.yaml"
if [ -f "$hooks_yaml" ]; then ok "the project has .pre-commit-hooks.yaml"; else not_ok "the project has .pre-commit-hooks.yaml"; exit 1; fi
expect_status 0 "pre-commit validate-manifest accepts .pre-commit-hooks.yaml" pre-commit validate-manifest "$hooks_yaml"
if grep -q '^- id: schemacheck$' "$hooks_yaml" && grep -q 'entry: schemacheck --staged' "$hooks_yaml" &&
	grep -q 'language: system' "$hooks_yaml" && grep -q 'pass_filenames: false' "$hooks_yaml"; then
	ok ".pre-commit-hooks.yaml: id schemacheck, entry schemacheck --staged, language system, pass_filenames false"
else
	not_ok ".pre-commit-hooks.yaml: id schemacheck, entry schemacheck --staged, language system, pass_filenames false" "$(cat "$hooks_yaml")"
fi

# precommit_config REPO [EXTRA-HOOK-YAML]: .pre-commit-config.yaml with a
# `repo: local` whose hooks are this project's hook definitions (copied
# from .pre-commit-hooks.yaml), committed.
precommit_config() {
	{
		echo "repos:"
		echo "  - repo: local"
		echo "    hooks:"
		sed 's/^/      /' "$hooks_yaml"
	} > "$1/.pre-commit-config.yaml"
	git -C "$1" add .pre-commit-config.yaml
	git -C "$1" commit -q --no-verify -m "pre-commit configuration"
}

r=$(new_repo precommit)
base_project "$r"
precommit_config "$r"
expect_status 0 "pre-commit validate-config" in_dir "$r" pre-commit validate-config
expect_status 0 "pre-commit install" in_dir "$r" pre-commit install
if grep -q "pre-commit" "$r/.git/hooks/pre-commit" 2>/dev/null && [ -x "$r/.git/hooks/pre-commit" ]; then
	ok "pre-commit install wrote its executable .git/hooks/pre-commit"
else
	not_ok "pre-commit install wrote its executable .git/hooks/pre-commit" "$(ls -l "$r/.git/hooks" 2>&1)"
fi

# pre-commit run on a bad staged migration
mig_sc201_bad "$r"
git -C "$r" add -A
expect_status 1 "pre-commit run refuses a staged migration adding a NOT NULL column" in_dir "$r" pre-commit run
expect_contains "[SC201]" "pre-commit run shows the SC201 diagnostic"
expect_contains "migrations/versions/0002_email.py" "pre-commit run names the migration"
expect_contains "Failed" "pre-commit run reports the schemacheck hook as Failed"
expect_contains "exit code: 1" "pre-commit run shows schemacheck's exit code 1"
expect_status 1 "pre-commit run schemacheck (the hook by id)" in_dir "$r" pre-commit run schemacheck
expect_contains "[SC201]" "pre-commit run schemacheck shows SC201"

# a real git commit through pre-commit's hook
h=$(head_of "$r")
expect_status 1 "git commit through pre-commit's hook is refused" git_real -C "$r" commit -m "bad email"
expect_contains "[SC201]" "the refused commit shows SC201"
expect_contains "schemacheck" "the refused commit names the schemacheck hook"
expect_head_same "$r" "$h" "no commit was made"
if git -C "$r" diff --cached --quiet -- migrations/versions/0002_email.py; then
	not_ok "the bad migration is still staged after the refusal"
else
	ok "the bad migration is still staged after the refusal"
fi
# an unstaged fix is not what is committed: pre-commit stashes it, the
# staged (bad) version is checked
mig_sc201_fix "$r"
expect_status 1 "with the fix unstaged, pre-commit still checks the staged bad version" in_dir "$r" pre-commit run
expect_contains "[SC201]" "the staged bad version: SC201"
if grep -q "server_default=''" "$r/migrations/versions/0002_email.py"; then ok "pre-commit put the unstaged fix back"; else not_ok "pre-commit put the unstaged fix back" "$(cat "$r/migrations/versions/0002_email.py")"; fi
git -C "$r" add -A
expect_status 0 "pre-commit run passes once the fix is staged" in_dir "$r" pre-commit run
expect_contains "Passed" "pre-commit run reports Passed"
expect_status 0 "git commit of the fix through pre-commit's hook is accepted" git_real -C "$r" commit -m "email with a server default"
expect_head_moved "$r" "$h" "the fix was committed"
# files: \.(py|ini|toml)$ -- a commit of other files skips the hook
h=$(head_of "$r")
echo "more" >> "$r/README.txt"
git -C "$r" add README.txt
expect_status 0 "a commit of README.txt only is accepted" git_real -C "$r" commit -m "readme"
expect_contains "Skipped" "the schemacheck hook is skipped when no .py/.ini/.toml file is staged"
expect_head_moved "$r" "$h" "the README commit was made"
# a bad model change (SC401) through the framework
models_users "$r" yes '

class Invoice(Base):
    __tablename__ = "invoices"
    id = sa.Column(sa.Integer, primary_key=True)'
git -C "$r" add -A
h=$(head_of "$r")
expect_status 1 "git commit of a model without migration is refused through pre-commit" git_real -C "$r" commit -m "invoices model"
expect_contains "[SC401]" "the refusal shows SC401"
expect_head_same "$r" "$h" "the model commit was not made"
mig_sc101_fix "$r"
sed -e 's/0002/0003/g' -e "s/down_revision = '0001'/down_revision = '0002'/" -e 's/^Revises: 0001$/Revises: 0002/' \
	"$r/migrations/versions/0002_invoices.py" > "$r/migrations/versions/0003_invoices.py"
rm -f "$r/migrations/versions/0002_invoices.py"
git -C "$r" add -A
expect_status 0 "the model with its migration is accepted through pre-commit" git_real -C "$r" commit -m "invoices with migration"
expect_head_moved "$r" "$h" "the model with its migration was committed"
# the configuration is read under pre-commit too
mig_email_bad() {
	migration "$r" 0004_phone.py 0004 0003 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('phone', sa.String(20), nullable=False))


def downgrade():
    op.drop_column('users', 'phone')
PYEOF
}
mig_email_bad
printf '[tool.schemacheck]\nseverity = {SC201 = "warning"}\n' > "$r/pyproject.toml"
git -C "$r" add -A
expect_status 0 "pre-commit run with severity SC201 = warning in pyproject.toml passes" in_dir "$r" pre-commit run
expect_status 0 "pre-commit run --verbose shows the warning" in_dir "$r" pre-commit run --verbose
expect_contains "warning[SC201]" "pre-commit run --verbose: warning[SC201]"
git -C "$r" rm -q --cached pyproject.toml
rm -f "$r/pyproject.toml"
expect_status 1 "without the configuration the same change is refused" in_dir "$r" pre-commit run
git -C "$r" reset -q --hard

# schemacheck not on PATH: pre-commit says so, the commit is refused
(
	PATH=$(printf '%s' "$PATH" | sed "s|$TMP/bin:||")
	export PATH
	if command -v schemacheck > /dev/null 2>&1; then
		echo "ok - (schemacheck is installed system-wide; the missing-binary case is not tested)"
	else
		mig_email_bad
		git -C "$r" add -A
		OUT=$(cd "$r" && pre-commit run 2>&1)
		rc=$?
		if [ $rc -ne 0 ]; then echo "ok - without schemacheck on PATH pre-commit run fails"; else echo "not ok - without schemacheck on PATH pre-commit run fails"; fi
		case "$OUT" in *"schemacheck"*"not found"*) echo "ok - pre-commit says schemacheck was not found" ;; *) echo "not ok - pre-commit says schemacheck was not found"; echo "#   $OUT" ;; esac
		git -C "$r" reset -q --hard
	fi
) > "$TMP/nopath" 2>&1
while IFS= read -r line; do
	case "$line" in
	"ok - "*) ok "${line#ok - }" ;;
	"not ok - "*) not_ok "${line#not ok - }" ;;
	*) echo "$line" ;;
	esac
done < "$TMP/nopath"

# schemacheck install next to pre-commit's hook -------------------------------
cp "$r/.git/hooks/pre-commit" "$TMP/pc-hook.copy"
expect_status 2 "schemacheck install refuses to replace pre-commit's hook" in_dir "$r" "$SC" install
expect_contains "$r/.git/hooks/pre-commit" "the refusal names the existing hook"
expect_contains "not replacing it" "the refusal says it does not replace it"
expect_contains "--force" "the refusal mentions --force"
expect_contains ".pre-commit-config.yaml" "the refusal explains how to chain: the hook in .pre-commit-config.yaml"
expect_contains "schemacheck --staged" "the refusal gives the command to chain"
if cmp -s "$r/.git/hooks/pre-commit" "$TMP/pc-hook.copy"; then ok "pre-commit's hook is unchanged"; else not_ok "pre-commit's hook is unchanged"; fi
# the refusal's advice works: the schemacheck hook in the config refused
# the bad commits above; --force replaces pre-commit's hook
expect_status 0 "schemacheck install --force replaces pre-commit's hook" in_dir "$r" "$SC" install --force
if grep -q "Installed by \`schemacheck install\`" "$r/.git/hooks/pre-commit"; then ok "the forced hook is schemacheck's"; else not_ok "the forced hook is schemacheck's" "$(cat "$r/.git/hooks/pre-commit")"; fi
mig_email_bad
git -C "$r" add -A
h=$(head_of "$r")
expect_status 1 "after install --force, schemacheck's own hook refuses the bad commit" git_real -C "$r" commit -m "phone"
expect_contains "[SC201]" "schemacheck's own hook shows SC201"
expect_head_same "$r" "$h" "no commit after install --force"
git -C "$r" reset -q --hard
expect_status 0 "pre-commit install --overwrite takes the hook back" in_dir "$r" pre-commit install --overwrite
expect_status 2 "schemacheck install refuses again" in_dir "$r" "$SC" install

# a team hook that follows the advice for plain hooks --------------------------
t=$(new_repo teamhook)
base_project "$t"
printf '#!/bin/sh\necho "team checks ran"\n' > "$t/.git/hooks/pre-commit"
chmod +x "$t/.git/hooks/pre-commit"
expect_status 2 "schemacheck install refuses to replace a team hook" in_dir "$t" "$SC" install
expect_contains "schemacheck --staged || exit 1" "the refusal gives the line to add"
# follow it (the hook runs schemacheck from PATH, as the line says)
echo 'schemacheck --staged || exit 1' >> "$t/.git/hooks/pre-commit"
cp "$t/.git/hooks/pre-commit" "$TMP/team-hook.copy"
mig_sc201_bad "$t"
git -C "$t" add -A
h=$(head_of "$t")
expect_status 1 "the team hook with the added line refuses the bad commit" git -C "$t" commit -m "bad"
expect_contains "team checks ran" "the team's own checks still ran"
expect_contains "[SC201]" "the chained schemacheck shows SC201"
expect_head_same "$t" "$h" "no commit through the chained team hook"
# install again: the team hook mentions schemacheck but is not
# schemacheck's shim; it must not be taken for an old shim to --force over
expect_status 2 "schemacheck install still refuses to replace the chained team hook" in_dir "$t" "$SC" install
expect_not_contains "older schemacheck hook" "the chained team hook is not called an older schemacheck hook"
if cmp -s "$t/.git/hooks/pre-commit" "$TMP/team-hook.copy"; then ok "the chained team hook is unchanged"; else not_ok "the chained team hook is unchanged"; fi
mig_sc201_fix "$t"
git -C "$t" add -A
expect_status 0 "the team hook with the added line accepts the fix" git -C "$t" commit -m "good"
expect_head_moved "$t" "$h" "the fix was committed through the chained team hook"
