#!/bin/sh
# t40-install.sh: `schemacheck install`: the hook file, idempotence,
# core.hooksPath, an existing foreign hook (--force), linked worktrees,
# and outside a repository. Commits run with SCHEMACHECK unset so the
# hook uses the binary path written into it.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK

# bad_then_good REPO TITLE [GITDIR-ARGS]: a bad migration is refused by a
# real commit (naming SC201), the fixed one is accepted.
bad_then_good() {
	b_r=$1 b_t=$2
	h=$(head_of "$b_r")
	mig_sc201_bad "$b_r"
	git -C "$b_r" add -A
	expect_status 1 "$b_t: a real commit of a bad migration is refused by the hook" \
		git_real -C "$b_r" commit -m bad
	expect_contains "[SC201]" "$b_t: the refusal names [SC201]"
	expect_head_same "$b_r" "$h" "$b_t: no commit was made"
	mig_sc201_fix "$b_r"
	git -C "$b_r" add -A
	expect_status 0 "$b_t: the fixed commit is accepted" git_real -C "$b_r" commit -m good
	expect_head_moved "$b_r" "$h" "$b_t: the fixed commit was made"
}

# A fresh repository --------------------------------------------------------
r=$(new_repo fresh)
base_project "$r"
expect_status 0 "install in a fresh repository exits 0" in_dir "$r" "$SC" install
hook="$r/.git/hooks/pre-commit"
if [ -f "$hook" ] && [ -x "$hook" ]; then ok "install writes an executable .git/hooks/pre-commit"; else not_ok "install writes an executable .git/hooks/pre-commit" "$(ls -l "$r/.git/hooks" 2>&1)"; fi
if grep -qF "$SC" "$hook" 2>/dev/null; then ok "the hook names the absolute binary path"; else not_ok "the hook names the absolute binary path" "$(cat "$hook" 2>&1)"; fi
if grep -q -- "--staged" "$hook" 2>/dev/null; then ok "the hook runs --staged"; else not_ok "the hook runs --staged" "$(cat "$hook" 2>&1)"; fi
cp "$hook" "$TMP/hook1" 2>/dev/null
expect_status 0 "install a second time exits 0" in_dir "$r" "$SC" install
if cmp -s "$hook" "$TMP/hook1" && [ -x "$hook" ]; then ok "install a second time leaves the same executable hook"; else not_ok "install a second time leaves the same executable hook"; fi
expect_status 0 "install from a subfolder exits 0" in_dir "$r/app" "$SC" install
if cmp -s "$hook" "$TMP/hook1"; then ok "install from a subfolder leaves the same hook"; else not_ok "install from a subfolder leaves the same hook"; fi
if [ -e "$r/app/.git" ]; then not_ok "install from a subfolder writes nothing there"; else ok "install from a subfolder writes nothing there"; fi
bad_then_good "$r" "fresh"
# The hook also works without PATH lookup of schemacheck and from -C.
expect_status 0 "-C REPO install exits 0" "$SC" -C "$r" install

# core.hooksPath (relative) -------------------------------------------------
r=$(new_repo hookspath)
base_project "$r"
git -C "$r" config core.hooksPath .githooks
expect_status 0 "install with core.hooksPath=.githooks exits 0" in_dir "$r" "$SC" install
if [ -x "$r/.githooks/pre-commit" ]; then ok "the hook is written to .githooks/pre-commit"; else not_ok "the hook is written to .githooks/pre-commit" "$(ls -la "$r" "$r/.githooks" 2>&1)"; fi
if [ -e "$r/.git/hooks/pre-commit" ]; then not_ok "no hook is written to .git/hooks"; else ok "no hook is written to .git/hooks"; fi
mkdir -p "$r/app/deep"
git -C "$r" config core.hooksPath .githooks
expect_status 0 "install with core.hooksPath from a subfolder exits 0" in_dir "$r/app/deep" "$SC" install
if [ -e "$r/app/deep/.githooks" ]; then not_ok "core.hooksPath is relative to the work tree root, not the current folder"; else ok "core.hooksPath is relative to the work tree root, not the current folder"; fi
# Don't commit the hook itself in the test commits.
echo ".githooks/" > "$r/.git/info/exclude"
bad_then_good "$r" "core.hooksPath"
# An absolute core.hooksPath.
r=$(new_repo hookspath-abs)
base_project "$r"
git -C "$r" config core.hooksPath "$TMP/shared-hooks"
expect_status 0 "install with an absolute core.hooksPath exits 0" in_dir "$r" "$SC" install
if [ -x "$TMP/shared-hooks/pre-commit" ]; then ok "the hook is written to the absolute core.hooksPath"; else not_ok "the hook is written to the absolute core.hooksPath"; fi
bad_then_good "$r" "absolute core.hooksPath"

# An existing different hook ----------------------------------------------
r=$(new_repo foreign)
base_project "$r"
mkdir -p "$r/.git/hooks"
printf '#!/bin/sh\necho "the team hook ran"\nexit 0\n' > "$r/.git/hooks/pre-commit"
chmod +x "$r/.git/hooks/pre-commit"
cp "$r/.git/hooks/pre-commit" "$TMP/foreign-hook.copy"
expect_status 2 "install over a different pre-commit hook exits 2" in_dir "$r" "$SC" install
expect_contains "pre-commit" "the refusal names the pre-commit hook"
expect_contains "--force" "the refusal mentions --force"
if cmp -s "$r/.git/hooks/pre-commit" "$TMP/foreign-hook.copy"; then ok "the existing hook is unchanged"; else not_ok "the existing hook is unchanged" "$(cat "$r/.git/hooks/pre-commit")"; fi
mig_sc201_bad "$r"
git -C "$r" add -A
expect_status 0 "the team hook is still the one that runs" git_real -C "$r" commit -m "team hook"
expect_contains "the team hook ran" "the team hook's output is seen"
expect_status 0 "install --force exits 0" in_dir "$r" "$SC" install --force
if cmp -s "$r/.git/hooks/pre-commit" "$TMP/foreign-hook.copy"; then not_ok "install --force replaces the hook"; else ok "install --force replaces the hook"; fi
if [ -x "$r/.git/hooks/pre-commit" ] && grep -q -- "--staged" "$r/.git/hooks/pre-commit"; then ok "the forced hook is schemacheck's, executable"; else not_ok "the forced hook is schemacheck's, executable"; fi
git -C "$r" reset -q --hard HEAD~1
bad_then_good "$r" "after install --force"
expect_status 2 "--force without install is a usage error" in_dir "$r" "$SC" --force

# A linked worktree ---------------------------------------------------------
r=$(new_repo wtmain)
base_project "$r"
wt="$TMP/wt"
git -C "$r" worktree add -q -b topic "$wt" >/dev/null 2>&1
expect_status 0 "install in a linked worktree exits 0" in_dir "$wt" "$SC" install
if [ -x "$r/.git/hooks/pre-commit" ]; then ok "the hook goes to the common hooks folder"; else not_ok "the hook goes to the common hooks folder" "$(find "$r/.git" -name pre-commit 2>&1)"; fi
if [ -e "$r/.git/worktrees/wt/hooks/pre-commit" ]; then not_ok "no hook in the worktree's private git dir"; else ok "no hook in the worktree's private git dir"; fi
if [ -e "$wt/.git" ] && [ -f "$wt/.git" ]; then ok "the worktree's .git file is left a file"; else not_ok "the worktree's .git file is left a file"; fi
bad_then_good "$wt" "linked worktree"
if [ "$(git -C "$r" rev-parse main)" = "$(git -C "$r" rev-parse topic~1)" ]; then ok "the worktree commit went to its own branch"; else not_ok "the worktree commit went to its own branch"; fi
# A commit in the main worktree runs the same hook.
bad_then_good "$r" "main worktree after install from the linked one"

# Outside a repository ------------------------------------------------------
mkdir -p "$TMP/norepo"
expect_status 3 "install outside a repository exits 3" in_dir "$TMP/norepo" "$SC" install
expect_contains "not a git repository" "install outside a repository says so"
if [ -e "$TMP/norepo/.git" ]; then not_ok "install outside a repository creates nothing"; else ok "install outside a repository creates nothing"; fi
