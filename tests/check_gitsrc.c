/*
 * check_gitsrc.c: tests of src/gitsrc.c against real repositories made
 * with the git CLI in /tmp: staged, diff and all change sets, renames,
 * GIT_INDEX_FILE, symlinks and submodules, plain folders, the size cap,
 * hooks folders, linked work trees and the layouts libgit2 1.5 refuses.
 */
#include "testutil.h"

#include <limits.h>

#include "err.h"
#include "gitsrc.h"

/* The trimmed first line printed by a shell command run in dir (owned). */
static char *sh_out(const char *dir, const char *cmd)
{
	char *full = sc_xasprintf("cd '%s' && %s 2>/dev/null", dir, cmd);
	char line[4096] = "";
	FILE *p = popen(full, "r");
	size_t n;

	ck_assert_ptr_nonnull(p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	free(full);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return sc_xstrdup(line);
}

static char *real(const char *path)
{
	char *r = realpath(path, NULL);

	ck_assert_msg(r != NULL, "realpath %s", path);
	return r;
}

static struct sc_repo *open_ok(const char *dir)
{
	struct sc_repo *repo = NULL;
	int rc = sc_repo_open(&repo, dir, 0);

	ck_assert_msg(rc == 0, "open %s: %s", dir, sc_error_last());
	ck_assert_ptr_nonnull(repo);
	return repo;
}

static struct sc_changeset *load_ok(struct sc_repo *repo, enum sc_mode mode,
				    const char *range)
{
	struct sc_changeset *cs = NULL;
	int rc = sc_changeset_load(&cs, repo, mode, range);

	ck_assert_msg(rc == 0, "load: %s", sc_error_last());
	ck_assert_ptr_nonnull(cs);
	return cs;
}

/* Read path from snapshot s and compare with `want`. */
static void assert_reads(struct sc_repo *repo, const struct sc_snapshot *s,
			 const char *path, const char *want)
{
	const struct sc_entry *e = sc_snapshot_find(s, path);
	char *data = NULL;
	size_t len = 0;
	int rc;

	ck_assert_msg(e != NULL, "no entry %s", path);
	rc = sc_repo_read(repo, s, e, &data, &len);
	ck_assert_msg(rc == 0, "read %s: %s", path, sc_error_last());
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_str_eq(data, want);
	free(data);
}

/* Find the change whose primary path (new, else old) is `path`. */
static const struct sc_change *find_change(const struct sc_changeset *cs,
					   const char *path)
{
	size_t i;

	for (i = 0; i < cs->n_changes; i++) {
		const struct sc_change *c = &cs->changes[i];
		const char *p = c->new_path ? c->new_path : c->old_path;

		if (!strcmp(p, path))
			return c;
	}
	return NULL;
}

static void assert_change(const struct sc_changeset *cs, const char *path,
			  enum sc_change_status st, const char *old_path)
{
	const struct sc_change *c = find_change(cs, path);

	ck_assert_msg(c != NULL, "no change for %s", path);
	ck_assert_int_eq(c->status, st);
	if (old_path)
		ck_assert_str_eq(c->old_path, old_path);
	else
		ck_assert_ptr_null(c->old_path);
	if (st == SC_CHANGE_DELETED)
		ck_assert_ptr_null(c->new_path);
}

static void assert_sorted(const struct sc_snapshot *s)
{
	size_t i;

	for (i = 1; i < s->n; i++)
		ck_assert_msg(strcmp(s->entries[i - 1].path,
				     s->entries[i].path) < 0,
			      "unsorted at %s", s->entries[i].path);
}

static void commit_all(const char *dir, const char *msg)
{
	ck_assert_int_eq(tu_sh(dir, "git add -A && git commit -q -m '%s'",
			       msg), 0);
}

START_TEST(test_unborn_staged)
{
	char *d = tu_mkdtemp();
	struct sc_repo *repo;
	struct sc_changeset *cs;
	size_t i;

	tu_git_init(d);
	tu_write(d, "b/c.py", "c = 1\n");
	tu_write(d, "a.py", "a = 1\n");
	tu_write(d, "a.b", "dot\n");
	ck_assert_int_eq(tu_sh(d, "git add -A"), 0);
	repo = open_ok(d);
	ck_assert(sc_repo_is_git(repo));
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_int_eq(cs->mode, SC_MODE_STAGED);
	ck_assert_uint_eq(cs->before->n, 0);
	ck_assert_ptr_null(cs->before->commit);
	ck_assert_uint_eq(cs->after->n, 3);
	ck_assert_int_eq(cs->after->worktree, 0);
	ck_assert_ptr_null(cs->after->commit);
	assert_sorted(cs->after);
	ck_assert_str_eq(cs->after->entries[0].path, "a.b");
	ck_assert_str_eq(cs->after->entries[1].path, "a.py");
	ck_assert_str_eq(cs->after->entries[2].path, "b/c.py");
	ck_assert_uint_eq(cs->n_changes, 3);
	for (i = 0; i < cs->n_changes; i++) {
		ck_assert_int_eq(cs->changes[i].status, SC_CHANGE_ADDED);
		ck_assert_ptr_null(cs->changes[i].old_path);
	}
	ck_assert_str_eq(cs->changes[2].new_path, "b/c.py");
	assert_reads(repo, cs->after, "b/c.py", "c = 1\n");
	sc_changeset_free(cs);
	sc_repo_free(repo);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_staged_modify_add_delete)
{
	char *d = tu_mkdtemp(), *head, *id;
	struct sc_repo *repo;
	struct sc_changeset *cs;

	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	tu_write(d, "c.py", "c = 1\n");
	tu_write(d, "same.py", "same\n");
	commit_all(d, "one");
	tu_write(d, "a.py", "a = 2\n");
	tu_write(d, "d.py", "d = 1\n");
	ck_assert_int_eq(tu_sh(d, "git rm -q c.py && chmod +x same.py && "
				  "git add -A"), 0);
	/* Unstaged edits are not part of the commit. */
	tu_write(d, "a.py", "a = 3 unstaged\n");
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	head = sh_out(d, "git rev-parse HEAD");
	ck_assert_str_eq(cs->before->commit, head);
	ck_assert_uint_eq(cs->before->n, 3);
	ck_assert_uint_eq(cs->after->n, 3);
	ck_assert_uint_eq(cs->n_changes, 3);  /* the mode change is none */
	assert_change(cs, "a.py", SC_CHANGE_MODIFIED, "a.py");
	assert_change(cs, "c.py", SC_CHANGE_DELETED, "c.py");
	assert_change(cs, "d.py", SC_CHANGE_ADDED, NULL);
	assert_reads(repo, cs->before, "a.py", "a = 1\n");
	assert_reads(repo, cs->after, "a.py", "a = 2\n");
	id = sh_out(d, "git rev-parse :a.py");
	ck_assert_str_eq(sc_snapshot_find(cs->after, "a.py")->id, id);
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "c.py"));
	sc_changeset_free(cs);
	sc_repo_free(repo);
	free(id);
	free(head);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_staged_renames)
{
	char *d = tu_mkdtemp();
	struct sc_repo *repo;
	struct sc_changeset *cs;

	tu_git_init(d);
	tu_write(d, "old.py", "x = 1\n");
	tu_write(d, "edit_old.py", "line 1\nline 2\nline 3\nline 4\n"
				   "line 5\nline 6\nline 7\nline 8\n");
	commit_all(d, "one");
	ck_assert_int_eq(tu_sh(d, "mkdir pkg && git mv old.py pkg/new.py && "
				  "git mv edit_old.py edit_new.py"), 0);
	tu_write(d, "edit_new.py", "line 1\nline 2\nline 3\nline 4\n"
				   "line 5\nline 6\nline 7\nline 8 edited\n");
	ck_assert_int_eq(tu_sh(d, "git add -A"), 0);
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 2);
	assert_change(cs, "pkg/new.py", SC_CHANGE_RENAMED, "old.py");
	assert_change(cs, "edit_new.py", SC_CHANGE_RENAMED, "edit_old.py");
	sc_changeset_free(cs);
	sc_repo_free(repo);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_git_index_file)
{
	char *d = tu_mkdtemp(), *alt, *sub;
	struct sc_repo *repo;
	struct sc_changeset *cs;

	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	commit_all(d, "one");
	tu_write(d, "b.py", "b = 1\n");
	tu_write(d, "sub/keep", "");
	alt = sc_xasprintf("%s/.git/alt-index", d);
	ck_assert_int_eq(tu_sh(d, "cp .git/index .git/alt-index && "
				  "GIT_INDEX_FILE=.git/alt-index git add b.py"),
			 0);
	/* The default index has nothing staged. */
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 0);
	sc_changeset_free(cs);
	sc_repo_free(repo);

	/* An absolute GIT_INDEX_FILE. */
	setenv("GIT_INDEX_FILE", alt, 1);
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 1);
	assert_change(cs, "b.py", SC_CHANGE_ADDED, NULL);
	assert_reads(repo, cs->after, "b.py", "b = 1\n");
	sc_changeset_free(cs);
	sc_repo_free(repo);

	/* Relative, as git commit -a exports it: from the work tree top,
	 * even though our current folder is elsewhere. */
	setenv("GIT_INDEX_FILE", ".git/alt-index", 1);
	sub = sc_xasprintf("%s/sub", d);
	repo = open_ok(sub);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 1);
	assert_change(cs, "b.py", SC_CHANGE_ADDED, NULL);
	sc_changeset_free(cs);
	sc_repo_free(repo);
	unsetenv("GIT_INDEX_FILE");
	free(sub);
	free(alt);
	tu_rmtree(d);
}
END_TEST

/*
 * A pre-commit hook run by `git commit -a` sees a temporary index named by
 * a GIT_INDEX_FILE relative to the work tree top: the hook keeps a copy,
 * and we open it the same way from another folder.
 */
START_TEST(test_commit_a_hook_env)
{
	char *d = tu_mkdtemp(), *idx, *top, *root;
	struct sc_repo *repo;
	struct sc_changeset *cs;

	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	commit_all(d, "one");
	tu_write(d, "a.py", "a = 2\n");
	tu_write(d, ".git/hooks/pre-commit",
		 "#!/bin/sh\necho \"$GIT_INDEX_FILE\" > .git/hook-env\n"
		 "pwd > .git/hook-pwd\n"
		 "cp \"$GIT_INDEX_FILE\" .git/hook-index\nexit 1\n");
	ck_assert_int_eq(tu_sh(d, "chmod +x .git/hooks/pre-commit"), 0);
	/* The hook refuses the commit, so nothing is committed. */
	ck_assert_int_ne(tu_sh(d, "git commit -q -a -m two"), 0);
	idx = sh_out(d, "cat .git/hook-env");
	top = sh_out(d, "cat .git/hook-pwd");
	root = real(d);
	ck_assert_str_ne(idx, "");
	ck_assert_str_eq(top, root);
	setenv("GIT_INDEX_FILE", ".git/hook-index", 1);
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 1);
	assert_change(cs, "a.py", SC_CHANGE_MODIFIED, "a.py");
	assert_reads(repo, cs->after, "a.py", "a = 2\n");
	sc_changeset_free(cs);
	sc_repo_free(repo);
	unsetenv("GIT_INDEX_FILE");
	/* Without it, the real index has nothing staged. */
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 0);
	sc_changeset_free(cs);
	sc_repo_free(repo);
	free(root);
	free(top);
	free(idx);
	tu_rmtree(d);
}
END_TEST

/* main: one -> two(m.py) ; feature (from one): f.py, b.py edited. */
static char *two_branch_repo(void)
{
	char *d = tu_mkdtemp();

	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	tu_write(d, "b.py", "b = 1\n");
	commit_all(d, "one");
	ck_assert_int_eq(tu_sh(d, "git branch feature"), 0);
	tu_write(d, "m.py", "made on main after the branch point\n");
	tu_write(d, "a.py", "a = 2 on main\n");
	commit_all(d, "two");
	ck_assert_int_eq(tu_sh(d, "git checkout -q feature"), 0);
	tu_write(d, "f.py", "f = 1\n");
	tu_write(d, "b.py", "b = 2\n");
	commit_all(d, "feature");
	return d;
}

START_TEST(test_diff_ranges)
{
	static const char *const ranges[] = {
		"main", "main..HEAD", "main...HEAD", "main...", "main..",
		"main...feature",
	};
	char *d = two_branch_repo(), *base, *head;
	struct sc_repo *repo = open_ok(d);
	size_t i;

	base = sh_out(d, "git merge-base main HEAD");
	head = sh_out(d, "git rev-parse HEAD");
	for (i = 0; i < SC_ARRAY_SIZE(ranges); i++) {
		struct sc_changeset *cs = load_ok(repo, SC_MODE_DIFF,
						  ranges[i]);

		ck_assert_int_eq(cs->mode, SC_MODE_DIFF);
		ck_assert_str_eq(cs->before->commit, base);
		ck_assert_str_eq(cs->after->commit, head);
		ck_assert_msg(cs->n_changes == 2, "%s: %zu changes",
			      ranges[i], cs->n_changes);
		assert_change(cs, "b.py", SC_CHANGE_MODIFIED, "b.py");
		assert_change(cs, "f.py", SC_CHANGE_ADDED, NULL);
		ck_assert_ptr_null(find_change(cs, "m.py"));
		ck_assert_ptr_null(find_change(cs, "a.py"));
		ck_assert_ptr_null(sc_snapshot_find(cs->after, "m.py"));
		assert_reads(repo, cs->before, "a.py", "a = 1\n");
		assert_reads(repo, cs->after, "b.py", "b = 2\n");
		sc_changeset_free(cs);
	}
	sc_repo_free(repo);
	free(head);
	free(base);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_diff_errors)
{
	char *d = two_branch_repo();
	struct sc_repo *repo = open_ok(d);
	struct sc_changeset *cs = NULL;

	ck_assert_int_eq(sc_changeset_load(&cs, repo, SC_MODE_DIFF, "nope"),
			 SC_EUSAGE);
	ck_assert_ptr_null(cs);
	ck_assert_str_eq(sc_error_last(), "unknown revision 'nope'");
	ck_assert_int_eq(sc_changeset_load(&cs, repo, SC_MODE_DIFF,
					   "main...nope"), SC_EUSAGE);
	ck_assert_str_eq(sc_error_last(), "unknown revision 'nope'");
	ck_assert_int_eq(tu_sh(d, "git checkout -q --orphan lonely && "
				  "git commit -q -m alone"), 0);
	ck_assert_int_eq(sc_changeset_load(&cs, repo, SC_MODE_DIFF, "main"),
			 SC_EUSAGE);
	ck_assert_str_eq(sc_error_last(),
			 "no merge base between 'main' and 'HEAD'");
	ck_assert_ptr_null(cs);
	sc_repo_free(repo);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_all_reads_worktree)
{
	char *d = tu_mkdtemp(), *id, *root;
	struct sc_repo *repo;
	struct sc_changeset *cs;

	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	tu_write(d, "b.py", "b = 1\n");
	tu_write(d, "pkg/c.py", "c = 1\n");
	commit_all(d, "one");
	tu_write(d, "a.py", "a = 2 modified, not staged\n");
	tu_write(d, "untracked.py", "u\n");
	ck_assert_int_eq(tu_sh(d, "rm b.py"), 0);
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_ALL, NULL);
	root = real(d);
	ck_assert_ptr_null(cs->before);
	ck_assert_uint_eq(cs->n_changes, 0);
	ck_assert_int_eq(cs->after->worktree, 1);
	ck_assert_str_eq(cs->after->root, root);
	ck_assert_uint_eq(cs->after->n, 2);
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "b.py"));
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "untracked.py"));
	assert_reads(repo, cs->after, "a.py", "a = 2 modified, not staged\n");
	assert_reads(NULL, cs->after, "pkg/c.py", "c = 1\n");
	/* Ids describe the contents read: the modified file's is fresh. */
	id = sh_out(d, "git hash-object a.py");
	ck_assert_str_eq(sc_snapshot_find(cs->after, "a.py")->id, id);
	free(id);
	id = sh_out(d, "git rev-parse :pkg/c.py");
	ck_assert_str_eq(sc_snapshot_find(cs->after, "pkg/c.py")->id, id);
	free(id);
	sc_changeset_free(cs);
	sc_repo_free(repo);
	free(root);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_symlink_and_submodule_skipped)
{
	char *d = tu_mkdtemp(), *other = tu_mkdtemp(), *data = NULL;
	struct sc_repo *repo;
	struct sc_changeset *cs;
	struct sc_entry fake = { NULL, "" };
	enum sc_mode modes[] = { SC_MODE_STAGED, SC_MODE_ALL };
	size_t i, len = 0;

	tu_git_init(other);
	tu_write(other, "inner.py", "inner\n");
	commit_all(other, "inner");
	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	commit_all(d, "one");
	ck_assert_int_eq(tu_sh(d, "ln -s /etc/passwd passwd && "
				  "ln -s /etc etc && "
				  "git -c protocol.file.allow=always submodule "
				  "add -q '%s' sub && git add -A", other), 0);
	ck_assert_int_eq(tu_sh(d, "test -f sub/inner.py"), 0);
	repo = open_ok(d);
	for (i = 0; i < SC_ARRAY_SIZE(modes); i++) {
		cs = load_ok(repo, modes[i], NULL);
		ck_assert_ptr_null(sc_snapshot_find(cs->after, "passwd"));
		ck_assert_ptr_null(sc_snapshot_find(cs->after, "etc"));
		ck_assert_ptr_null(sc_snapshot_find(cs->after, "sub"));
		ck_assert_ptr_null(sc_snapshot_find(cs->after,
						    "sub/inner.py"));
		ck_assert_ptr_nonnull(sc_snapshot_find(cs->after,
						       ".gitmodules"));
		ck_assert_ptr_null(find_change(cs, "passwd"));
		ck_assert_ptr_null(find_change(cs, "sub"));
		if (modes[i] == SC_MODE_STAGED)
			ck_assert_uint_eq(cs->n_changes, 1);  /* .gitmodules */
		sc_changeset_free(cs);
	}
	/* Even asked directly, the reader never follows a link. */
	cs = load_ok(repo, SC_MODE_ALL, NULL);
	fake.path = "passwd";
	ck_assert_int_eq(sc_repo_read(repo, cs->after, &fake, &data, &len),
			 SC_ERROR);
	ck_assert_ptr_null(data);
	ck_assert_ptr_nonnull(strstr(sc_error_last(), "symbolic link"));
	fake.path = "etc/passwd";
	ck_assert_int_eq(sc_repo_read(NULL, cs->after, &fake, &data, &len),
			 SC_ERROR);
	ck_assert_ptr_null(data);
	fake.path = "../../etc/passwd";
	ck_assert_int_eq(sc_repo_read(NULL, cs->after, &fake, &data, &len),
			 SC_ERROR);
	ck_assert_ptr_nonnull(strstr(sc_error_last(), "not inside"));
	fake.path = "/etc/passwd";
	ck_assert_int_eq(sc_repo_read(NULL, cs->after, &fake, &data, &len),
			 SC_ERROR);
	fake.path = "pkg/./../a.py";
	ck_assert_int_eq(sc_repo_read(NULL, cs->after, &fake, &data, &len),
			 SC_ERROR);
	fake.path = "sub";  /* a folder */
	ck_assert_int_eq(sc_repo_read(NULL, cs->after, &fake, &data, &len),
			 SC_ERROR);
	ck_assert_ptr_null(data);
	sc_changeset_free(cs);

	/* A committed symlink is not in a tree snapshot either. */
	commit_all(d, "links");
	tu_write(d, "z.py", "z\n");
	commit_all(d, "z");
	cs = load_ok(repo, SC_MODE_DIFF, "HEAD~2");
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "passwd"));
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "sub"));
	ck_assert_uint_eq(cs->n_changes, 2);  /* .gitmodules, z.py */
	sc_changeset_free(cs);
	sc_repo_free(repo);
	tu_rmtree(other);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_plain_folder)
{
	char *d = tu_mkdtemp(), *root, *id, *sub;
	struct sc_repo *repo = NULL;
	struct sc_changeset *cs = NULL;
	struct sc_snapshot *snap = NULL;

	tu_write(d, "migrations/versions/001_init.py", "revision = '001'\n");
	tu_write(d, "models.py", "class A: pass\n");
	tu_write(d, ".hg/store", "hg\n");
	tu_write(d, ".svn/entries", "svn\n");
	tu_write(d, ".git/HEAD", "not a repo\n");  /* broken: skipped */
	ck_assert_int_eq(tu_sh(d, "rm .git/HEAD && rmdir .git && "
				  "ln -s /etc/passwd link.py && "
				  "ln -s /etc etcdir && mkfifo fifo"), 0);
	root = real(d);
	/* Not a repository, no fallback: the error. */
	ck_assert_int_eq(sc_repo_open(&repo, d, 0), SC_ERROR);
	ck_assert_ptr_null(repo);
	ck_assert_ptr_nonnull(strstr(sc_error_last(),
				     "not a git repository (or any parent up "
				     "to mount point): '"));
	ck_assert_ptr_nonnull(strstr(sc_error_last(), d));
	/* With allow_plain: a folder. */
	ck_assert_int_eq(sc_repo_open(&repo, d, 1), 0);
	ck_assert(!sc_repo_is_git(repo));
	ck_assert_str_eq(sc_repo_root(repo), root);
	ck_assert_str_eq(sc_repo_prefix(repo), "");
	ck_assert_ptr_null(sc_repo_gitdir(repo));
	cs = load_ok(repo, SC_MODE_ALL, NULL);
	ck_assert_ptr_null(cs->before);
	ck_assert_int_eq(cs->after->worktree, 1);
	ck_assert_str_eq(cs->after->root, root);
	ck_assert_uint_eq(cs->after->n, 2);
	ck_assert_str_eq(cs->after->entries[0].path,
			 "migrations/versions/001_init.py");
	ck_assert_str_eq(cs->after->entries[1].path, "models.py");
	/* --all reads a folder lazily: no ids */
	ck_assert_str_eq(cs->after->entries[1].id, "");
	ck_assert_int_eq(cs->after->lazy, 1);
	assert_reads(NULL, cs->after, "models.py", "class A: pass\n");
	sc_changeset_free(cs);
	cs = NULL;
	/* sc_snapshot_from_dir computes the ids */
	ck_assert_int_eq(sc_snapshot_from_dir(&snap, d), 0);
	ck_assert_uint_eq(snap->n, 2);
	id = sh_out(d, "git hash-object models.py");
	ck_assert_str_eq(snap->entries[1].id, id);
	ck_assert_int_eq(snap->lazy, 0);
	sc_snapshot_free(snap);
	ck_assert_int_eq(sc_changeset_load(&cs, repo, SC_MODE_STAGED, NULL),
			 SC_ERROR);
	ck_assert_ptr_null(cs);
	sc_repo_free(repo);
	/* Opened from a subfolder, the folder is the subfolder. */
	sub = sc_xasprintf("%s/migrations", d);
	ck_assert_int_eq(sc_repo_open(&repo, sub, 1), 0);
	ck_assert_str_eq(sc_repo_prefix(repo), "");
	ck_assert(sc_ends_with(sc_repo_root(repo), "/migrations"));
	sc_repo_free(repo);
	free(sub);
	free(id);
	free(root);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_deep_folder)
{
	char *d = tu_mkdtemp();
	struct sc_snapshot *s = NULL;

	/* 300 levels: an explicit stack, not recursion. */
	ck_assert_int_eq(tu_sh(d, "p=.; i=0; while [ $i -lt 300 ]; do "
				  "p=$p/d; i=$((i+1)); done; mkdir -p $p && "
				  "echo deep > $p/f.py"), 0);
	ck_assert_int_eq(sc_snapshot_from_dir(&s, d), 0);
	ck_assert_uint_eq(s->n, 1);
	ck_assert(sc_ends_with(s->entries[0].path, "/d/f.py"));
	sc_snapshot_free(s);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_size_cap)
{
	char *d = tu_mkdtemp(), *data = (char *)"x";
	struct sc_repo *repo;
	struct sc_changeset *cs;
	struct sc_snapshot *s = NULL;
	const struct sc_entry *e;
	size_t len = 1;

	tu_git_init(d);
	tu_write(d, "small.py", "s\n");
	ck_assert_int_eq(tu_sh(d, "head -c 9437184 /dev/zero | tr '\\0' x "
				  "> big.txt && git add -A"), 0);
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	e = sc_snapshot_find(cs->after, "big.txt");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(sc_repo_read(repo, cs->after, e, &data, &len),
			 SC_ETOOBIG);
	ck_assert_ptr_null(data);
	ck_assert_uint_eq(len, 0);
	assert_reads(repo, cs->after, "small.py", "s\n");
	sc_changeset_free(cs);
	commit_all(d, "big");
	cs = load_ok(repo, SC_MODE_ALL, NULL);
	e = sc_snapshot_find(cs->after, "big.txt");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(sc_repo_read(repo, cs->after, e, &data, &len),
			 SC_ETOOBIG);
	ck_assert_ptr_null(data);
	sc_changeset_free(cs);
	sc_repo_free(repo);
	/* In a folder, an over-cap file has the unknown (zero) id. */
	ck_assert_int_eq(sc_snapshot_from_dir(&s, d), 0);
	ck_assert_uint_eq(s->n, 2);  /* .git is never entered */
	e = sc_snapshot_find(s, "big.txt");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e->id, "0000000000000000000000000000000000000000");
	ck_assert_int_eq(sc_repo_read(NULL, s, e, &data, &len), SC_ETOOBIG);
	sc_snapshot_free(s);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_hooks_dir)
{
	char *d = tu_mkdtemp(), *hooks = NULL, *want, *root = real(d);
	struct sc_repo *repo;

	tu_git_init(d);
	repo = open_ok(d);
	ck_assert_int_eq(sc_repo_hooks_dir(repo, &hooks), 0);
	want = sc_xasprintf("%s/.git/hooks", root);
	ck_assert_str_eq(hooks, want);
	free(want);
	free(hooks);
	sc_repo_free(repo);

	ck_assert_int_eq(tu_sh(d, "git config core.hooksPath .githooks/"), 0);
	repo = open_ok(d);
	ck_assert_int_eq(sc_repo_hooks_dir(repo, &hooks), 0);
	want = sc_xasprintf("%s/.githooks", root);
	ck_assert_str_eq(hooks, want);
	free(want);
	free(hooks);
	sc_repo_free(repo);

	ck_assert_int_eq(tu_sh(d, "git config core.hooksPath /opt/hooks"), 0);
	repo = open_ok(d);
	ck_assert_int_eq(sc_repo_hooks_dir(repo, &hooks), 0);
	ck_assert_str_eq(hooks, "/opt/hooks");
	free(hooks);
	sc_repo_free(repo);

	if (getenv("HOME")) {
		ck_assert_int_eq(tu_sh(d, "git config core.hooksPath "
					  "'~/my hooks'"), 0);
		repo = open_ok(d);
		ck_assert_int_eq(sc_repo_hooks_dir(repo, &hooks), 0);
		want = sc_xasprintf("%s/my hooks", getenv("HOME"));
		ck_assert_str_eq(hooks, want);
		free(want);
		free(hooks);
		sc_repo_free(repo);
	}
	free(root);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_linked_worktree)
{
	char *d = tu_mkdtemp(), *wt, *hooks = NULL, *want, *root;
	struct sc_repo *repo;
	struct sc_changeset *cs;

	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	commit_all(d, "one");
	ck_assert_int_eq(tu_sh(d, "git worktree add -q wt -b wtbranch"), 0);
	wt = sc_xasprintf("%s/wt", d);
	tu_write(wt, "b.py", "b = 1\n");
	tu_write(wt, "a.py", "a = 2\n");
	ck_assert_int_eq(tu_sh(wt, "git add b.py"), 0);
	repo = open_ok(wt);
	root = real(wt);
	ck_assert_str_eq(sc_repo_root(repo), root);
	ck_assert_str_eq(sc_repo_prefix(repo), "");
	ck_assert_ptr_nonnull(strstr(sc_repo_gitdir(repo),
				     "/.git/worktrees/wt/"));
	ck_assert_int_eq(sc_repo_hooks_dir(repo, &hooks), 0);
	free(root);
	root = real(d);
	want = sc_xasprintf("%s/.git/hooks", root);
	ck_assert_str_eq(hooks, want);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 1);
	assert_change(cs, "b.py", SC_CHANGE_ADDED, NULL);
	sc_changeset_free(cs);
	cs = load_ok(repo, SC_MODE_ALL, NULL);
	assert_reads(repo, cs->after, "a.py", "a = 2\n");
	sc_changeset_free(cs);
	sc_repo_free(repo);
	free(want);
	free(hooks);
	free(root);
	free(wt);
	tu_rmtree(d);
}
END_TEST

static void assert_open_fails(const char *dir, const char *needle)
{
	struct sc_repo *repo = NULL;

	ck_assert_int_eq(sc_repo_open(&repo, dir, 1), SC_ERROR);
	ck_assert_ptr_null(repo);
	ck_assert_msg(strstr(sc_error_last(), needle) != NULL,
		      "message '%s' lacks '%s'", sc_error_last(), needle);
	ck_assert_msg(!sc_ends_with(sc_error_last(), "."), "trailing period");
}

START_TEST(test_unsupported_layouts)
{
	char *d = tu_mkdtemp(), *sp = tu_mkdtemp(), *sha = tu_mkdtemp();
	char *bare = tu_mkdtemp();

	tu_git_init(d);
	tu_write(d, "a.py", "a = 1\n");
	commit_all(d, "one");
	ck_assert_int_eq(tu_sh(d, "git update-index --split-index"), 0);
	assert_open_fails(d, "uses a split index, which libgit2 1.5 cannot "
			     "read; run 'git update-index --no-split-index'");
	ck_assert_int_eq(tu_sh(d, "git update-index --no-split-index"), 0);
	sc_repo_free(open_ok(d));

	tu_git_init(sp);
	tu_write(sp, "a/a.py", "a = 1\n");
	tu_write(sp, "b/b.py", "b = 1\n");
	commit_all(sp, "one");
	ck_assert_int_eq(tu_sh(sp, "git sparse-checkout init --cone "
				   "--sparse-index && "
				   "git sparse-checkout set a"), 0);
	assert_open_fails(sp, "uses a sparse index, which libgit2 1.5 cannot "
			      "read; run 'git sparse-checkout init "
			      "--no-sparse-index'");
	ck_assert_int_eq(tu_sh(sp, "git sparse-checkout init "
				   "--no-sparse-index"), 0);
	sc_repo_free(open_ok(sp));

	ck_assert_int_eq(tu_sh(sha, "git init -q --object-format=sha256 ."),
			 0);
	assert_open_fails(sha, "uses sha256 object ids, which libgit2 1.5 "
			       "cannot read");
	/* Per-worktree configuration is another extension 1.5 refuses. */
	ck_assert_int_eq(tu_sh(d, "git config core.repositoryformatversion 1 "
				  "&& git config extensions.worktreeConfig "
				  "true"), 0);
	assert_open_fails(d, "uses the repository extension "
			     "'worktreeconfig', which libgit2 1.5 cannot "
			     "read");
	ck_assert_int_eq(tu_sh(d, "git config --unset "
				  "extensions.worktreeConfig && git config "
				  "core.repositoryformatversion 0"), 0);
	sc_repo_free(open_ok(d));

	ck_assert_int_eq(tu_sh(bare, "git init -q --bare ."), 0);
	assert_open_fails(bare, "bare repository '");
	assert_open_fails(bare, "' has no work tree");
	tu_rmtree(bare);
	tu_rmtree(sha);
	tu_rmtree(sp);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_owned_by_another_user)
{
	char *d, *want, *root;

	if (geteuid() != 0)
		return;  /* needs chown */
	d = tu_mkdtemp();
	tu_git_init(d);
	ck_assert_int_eq(tu_sh(d, "chown -R nobody ."), 0);
	root = real(d);
	want = sc_xasprintf("is owned by another user; run: git config "
			    "--global --add safe.directory '%s'", root);
	assert_open_fails(d, want);
	free(want);
	free(root);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_prefix_from_subfolder)
{
	char *d = tu_mkdtemp(), *sub, *root;
	struct sc_repo *repo;

	tu_git_init(d);
	tu_write(d, "sub/dir/x.py", "x\n");
	commit_all(d, "one");
	sub = sc_xasprintf("%s/sub/dir", d);
	root = real(d);
	repo = open_ok(sub);
	ck_assert_str_eq(sc_repo_root(repo), root);
	ck_assert_str_eq(sc_repo_prefix(repo), "sub/dir/");
	ck_assert(sc_ends_with(sc_repo_gitdir(repo), "/.git/"));
	sc_repo_free(repo);
	repo = open_ok(d);
	ck_assert_str_eq(sc_repo_prefix(repo), "");
	sc_repo_free(repo);
	free(root);
	free(sub);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_merge_in_progress)
{
	char *d = two_branch_repo(), *head;
	struct sc_repo *repo;
	struct sc_changeset *cs;

	ck_assert_int_eq(tu_sh(d, "git merge -q --no-commit --no-ff main"),
			 0);
	ck_assert_int_eq(tu_sh(d, "test -f .git/MERGE_HEAD"), 0);
	head = sh_out(d, "git rev-parse HEAD");
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_str_eq(cs->before->commit, head);
	ck_assert_uint_eq(cs->n_changes, 2);  /* what main brings */
	assert_change(cs, "m.py", SC_CHANGE_ADDED, NULL);
	assert_change(cs, "a.py", SC_CHANGE_MODIFIED, "a.py");
	sc_changeset_free(cs);
	sc_repo_free(repo);
	free(head);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_changeset_from_snapshots)
{
	char *a = tu_mkdtemp(), *b = tu_mkdtemp();
	struct sc_snapshot *before = NULL, *after = NULL;
	struct sc_changeset *cs;

	tu_write(a, "same.py", "same\n");
	tu_write(a, "mod.py", "v1\n");
	tu_write(a, "gone.py", "gone\n");
	tu_write(a, "moved.py", "moved contents\n");
	tu_write(a, "dup1.py", "dup\n");
	tu_write(b, "same.py", "same\n");
	tu_write(b, "mod.py", "v2\n");
	tu_write(b, "new.py", "new\n");
	tu_write(b, "sub/moved.py", "moved contents\n");
	tu_write(b, "dup2.py", "dup\n");
	tu_write(b, "dup3.py", "dup\n");
	ck_assert_int_eq(sc_snapshot_from_dir(&before, a), 0);
	ck_assert_int_eq(sc_snapshot_from_dir(&after, b), 0);
	ck_assert_ptr_nonnull(sc_snapshot_find(before, "gone.py"));
	ck_assert_ptr_null(sc_snapshot_find(before, "new.py"));
	ck_assert_ptr_null(sc_snapshot_find(before, "zzz"));
	cs = sc_changeset_from_snapshots(SC_MODE_STAGED, before, after);
	ck_assert_ptr_eq(cs->before, before);
	ck_assert_ptr_eq(cs->after, after);
	ck_assert_uint_eq(cs->n_changes, 6);
	assert_change(cs, "mod.py", SC_CHANGE_MODIFIED, "mod.py");
	assert_change(cs, "gone.py", SC_CHANGE_DELETED, "gone.py");
	assert_change(cs, "new.py", SC_CHANGE_ADDED, NULL);
	assert_change(cs, "sub/moved.py", SC_CHANGE_RENAMED, "moved.py");
	assert_change(cs, "dup2.py", SC_CHANGE_RENAMED, "dup1.py");
	assert_change(cs, "dup3.py", SC_CHANGE_ADDED, NULL);
	ck_assert_ptr_null(find_change(cs, "same.py"));
	sc_changeset_free(cs);
	ck_assert_int_eq(sc_snapshot_from_dir(&after, b), 0);
	cs = sc_changeset_from_snapshots(SC_MODE_ALL, NULL, after);
	ck_assert_uint_eq(cs->n_changes, 0);
	sc_changeset_free(cs);
	tu_rmtree(b);
	tu_rmtree(a);
}
END_TEST

/* A file that became a symlink is deleted; intent-to-add is not staged. */
START_TEST(test_typechange_and_intent_to_add)
{
	char *d = tu_mkdtemp();
	struct sc_repo *repo;
	struct sc_changeset *cs;

	tu_git_init(d);
	tu_write(d, "x.py", "x = 1\n");
	tu_write(d, "y.py", "y = 1\n");
	commit_all(d, "one");
	tu_write(d, "later.py", "later = 1\n");
	ck_assert_int_eq(tu_sh(d, "rm x.py && ln -s y.py x.py && "
				  "git add x.py && git add -N later.py"), 0);
	repo = open_ok(d);
	cs = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_uint_eq(cs->n_changes, 1);
	assert_change(cs, "x.py", SC_CHANGE_DELETED, "x.py");
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "later.py"));
	sc_changeset_free(cs);
	cs = load_ok(repo, SC_MODE_ALL, NULL);
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "x.py"));
	assert_reads(repo, cs->after, "later.py", "later = 1\n");
	sc_changeset_free(cs);
	sc_repo_free(repo);
	tu_rmtree(d);
}
END_TEST

/* ---- --staged through the index file and its cache-tree ---- */

static void assert_same_snapshot(const struct sc_snapshot *a,
				 const struct sc_snapshot *b, const char *what)
{
	size_t i;

	ck_assert_msg(a->n == b->n, "%s: %zu entries, libgit2 %zu", what,
		      a->n, b->n);
	for (i = 0; i < a->n; i++) {
		ck_assert_msg(!strcmp(a->entries[i].path, b->entries[i].path),
			      "%s: entry %zu is %s, libgit2 %s", what, i,
			      a->entries[i].path, b->entries[i].path);
		ck_assert_msg(!strcmp(a->entries[i].id, b->entries[i].id),
			      "%s: %s has id %s, libgit2 %s", what,
			      a->entries[i].path, a->entries[i].id,
			      b->entries[i].id);
	}
	ck_assert_msg(!a->commit == !b->commit &&
		      (!a->commit || !strcmp(a->commit, b->commit)),
		      "%s: commit differs", what);
	assert_sorted(a);
}

/*
 * Run `script` in the repository dir, then load --staged both ways
 * (sc_changeset_load, which reads the index itself and trusts its
 * cache-tree, and sc_changeset_load_libgit2) and require the same
 * snapshots and changes. Returns the fast change set (owned).
 */
static struct sc_changeset *same_as_libgit2(const char *dir,
					    const char *script)
{
	struct sc_repo *repo;
	struct sc_changeset *fast, *ref = NULL;
	size_t i;

	ck_assert_msg(tu_sh(dir, "%s", script) == 0, "script: %s", script);
	repo = open_ok(dir);
	fast = load_ok(repo, SC_MODE_STAGED, NULL);
	ck_assert_msg(sc_changeset_load_libgit2(&ref, repo) == 0, "ref: %s",
		      sc_error_last());
	assert_same_snapshot(fast->before, ref->before, "before");
	assert_same_snapshot(fast->after, ref->after, "after");
	ck_assert_msg(fast->n_changes == ref->n_changes,
		      "%s: %zu changes, libgit2 %zu", script, fast->n_changes,
		      ref->n_changes);
	for (i = 0; i < fast->n_changes; i++) {
		const struct sc_change *a = &fast->changes[i];
		const struct sc_change *b = &ref->changes[i];

		ck_assert_int_eq(a->status, b->status);
		ck_assert_msg(!a->old_path == !b->old_path &&
			      (!a->old_path || !strcmp(a->old_path, b->old_path)),
			      "old path of change %zu", i);
		ck_assert_msg(!a->new_path == !b->new_path &&
			      (!a->new_path || !strcmp(a->new_path, b->new_path)),
			      "new path of change %zu", i);
	}
	sc_changeset_free(ref);
	sc_repo_free(repo);
	return fast;
}

START_TEST(test_staged_index_reader)
{
	char *d = tu_mkdtemp();
	struct sc_changeset *cs;
	int v;

	tu_git_init(d);
	/* unborn: everything added, no cache-tree yet */
	tu_write(d, "a.py", "a = 1\n");
	tu_write(d, "pkg/b.py", "b = 1\n");
	tu_write(d, "pkg/sub/c.py", "c = 1\n");
	tu_write(d, "pkg.py", "sorts between pkg and pkg/\n");
	tu_write(d, "pkg-x/d.py", "d = 1\n");
	cs = same_as_libgit2(d, "git add -A");
	ck_assert_uint_eq(cs->before->n, 0);
	ck_assert_uint_eq(cs->n_changes, 5);
	sc_changeset_free(cs);
	/* committed: a full cache-tree, nothing staged */
	cs = same_as_libgit2(d, "git commit -q -m one");
	ck_assert_uint_eq(cs->n_changes, 0);
	ck_assert_uint_eq(cs->before->n, 5);
	sc_changeset_free(cs);
	/* edits deep down, an addition in a new folder, a deletion */
	tu_write(d, "pkg/sub/c.py", "c = 2\n");
	tu_write(d, "new/dir/e.py", "e = 1\n");
	cs = same_as_libgit2(d, "git add pkg/sub/c.py new && git rm -q a.py");
	ck_assert_uint_eq(cs->n_changes, 3);
	assert_change(cs, "pkg/sub/c.py", SC_CHANGE_MODIFIED, "pkg/sub/c.py");
	assert_change(cs, "new/dir/e.py", SC_CHANGE_ADDED, NULL);
	assert_change(cs, "a.py", SC_CHANGE_DELETED, "a.py");
	sc_changeset_free(cs);
	/* a rename with an edit: libgit2 pairs them */
	tu_write(d, "pkg/sub/c2.py", "c = 2\nmore = 1\n");
	cs = same_as_libgit2(d, "git commit -q -m two && git rm -q "
			     "pkg/sub/c.py && git add pkg/sub/c2.py");
	assert_change(cs, "pkg/sub/c2.py", SC_CHANGE_RENAMED, "pkg/sub/c.py");
	sc_changeset_free(cs);
	/* a mode change is no change; a file that became a link is deleted */
	cs = same_as_libgit2(d, "git commit -q -m three && chmod +x pkg/b.py "
			     "&& git add pkg/b.py && rm pkg-x/d.py && ln -s "
			     "../a.py pkg-x/d.py && git add -A pkg-x");
	ck_assert_uint_eq(cs->n_changes, 1);
	assert_change(cs, "pkg-x/d.py", SC_CHANGE_DELETED, "pkg-x/d.py");
	sc_changeset_free(cs);
	/* intent-to-add inside a folder whose tree is otherwise unchanged */
	tu_write(d, "pkg/sub/ita.py", "later\n");
	cs = same_as_libgit2(d, "git commit -q -m four && git add -N "
			     "pkg/sub/ita.py");
	ck_assert_uint_eq(cs->n_changes, 0);
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "pkg/sub/ita.py"));
	sc_changeset_free(cs);
	/* a submodule (gitlink) and a deleted folder */
	cs = same_as_libgit2(d, "git rm -q --cached pkg/sub/ita.py && "
			     "git update-index --add --cacheinfo 160000,"
			     "1111111111111111111111111111111111111111,mod && "
			     "git rm -q -r pkg/sub");
	ck_assert_uint_eq(cs->n_changes, 1);
	assert_change(cs, "pkg/sub/c2.py", SC_CHANGE_DELETED, "pkg/sub/c2.py");
	sc_changeset_free(cs);
	/* conflict stages: a path only at stages 1-3 is not in "after" */
	cs = same_as_libgit2(d, "git reset -q --hard && printf '"
			     "100644 %s 1\\tpkg/b.py\\n100644 %s 2\\tpkg/b.py\\n' "
			     "$(git rev-parse HEAD:pkg/b.py) $(git rev-parse "
			     "HEAD:pkg.py) | git update-index --index-info && "
			     "git update-index --force-remove pkg/b.py; printf "
			     "'100644 %s 1\\tpkg/b.py\\n100644 %s 2\\tpkg/b.py\\n' "
			     "$(git rev-parse HEAD:pkg/b.py) $(git rev-parse "
			     "HEAD:pkg.py) | git update-index --index-info");
	ck_assert_ptr_null(sc_snapshot_find(cs->after, "pkg/b.py"));
	sc_changeset_free(cs);
	/* index versions 2, 3 (extended flags) and 4 (compressed paths) */
	for (v = 2; v <= 4; v++) {
		char *script = sc_xasprintf("git reset -q --hard && "
			"git update-index --index-version %d && "
			"echo x >> pkg/b.py && git add pkg/b.py && "
			"echo y > pkg/sub2.py && git add -N pkg/sub2.py", v);

		cs = same_as_libgit2(d, script);
		assert_change(cs, "pkg/b.py", SC_CHANGE_MODIFIED, "pkg/b.py");
		ck_assert_uint_eq(cs->n_changes, 1);
		sc_changeset_free(cs);
		free(script);
	}
	/* an index with no cache-tree at all (built entry by entry) */
	cs = same_as_libgit2(d, "git reset -q --hard && rm .git/index && "
			     "git ls-tree -r HEAD | git update-index "
			     "--index-info && echo z >> a.py 2>/dev/null; "
			     "echo z > pkg/z.py && git add pkg/z.py");
	assert_change(cs, "pkg/z.py", SC_CHANGE_ADDED, NULL);
	sc_changeset_free(cs);
	tu_rmtree(d);
}
END_TEST

/* Many folders: changes in some, a whole folder deleted, a new file in
 * another; then an index whose cache-tree was rebuilt by a reset. */
START_TEST(test_staged_many_folders)
{
	char *d = tu_mkdtemp();
	struct sc_changeset *cs;
	int i;

	tu_git_init(d);
	for (i = 0; i < 60; i++) {
		char *p = sc_xasprintf("d%02d/s%d/m%02d.py", i % 7, i % 3, i);
		tu_write(d, p, "x = 1\n");
		free(p);
	}
	commit_all(d, "many");
	cs = same_as_libgit2(d, "echo 2 >> d03/s1/m10.py && git add d03 && "
			     "git rm -q -r d05 && echo n > d01/s0/new.py && "
			     "git add d01");
	ck_assert_uint_eq(cs->n_changes, 1 + 8 + 1);
	sc_changeset_free(cs);
	/* the same after a commit and a reset of the index (cache-tree
	 * rebuilt by reset) */
	cs = same_as_libgit2(d, "git commit -q -m two && git reset -q "
			     "HEAD~1 && git add d03");
	sc_changeset_free(cs);
	tu_rmtree(d);
}
END_TEST

/* ---- releases (sc_repo_find_release) ---- */

/* Commit everything with committer (and author) time `t` (seconds). */
static void commit_at(const char *dir, const char *msg, long t)
{
	ck_assert_int_eq(tu_sh(dir, "git add -A && GIT_COMMITTER_DATE='%ld "
			       "+0000' GIT_AUTHOR_DATE='%ld +0000' git commit "
			       "-q --allow-empty -m '%s'", t, t, msg), 0);
}

/*
 * Find the release from `from` (a revision, resolved with git) with glob
 * `glob`; assert its name is `want` (NULL: none), its snapshot is of the
 * commit the tag peels to, and (when want_file) that it holds want_file
 * with contents want_text.
 */
static void assert_release(struct sc_repo *repo, const char *dir,
			   const char *from, const char *glob,
			   const char *want, const char *want_file,
			   const char *want_text)
{
	char *from_id, *tag_id, *cmd, *name = NULL;
	struct sc_snapshot *snap = NULL;
	int rc;

	cmd = sc_xasprintf("git rev-parse '%s^{commit}'", from);
	from_id = sh_out(dir, cmd);
	free(cmd);
	rc = sc_repo_find_release(repo, from_id, glob, &name, &snap);
	ck_assert_msg(rc == 0, "find_release: %s", sc_error_last());
	if (!want) {
		ck_assert_msg(name == NULL, "from %s: want no release, got %s",
			      from, name);
		ck_assert_ptr_null(snap);
		free(from_id);
		return;
	}
	ck_assert_msg(name != NULL, "from %s: want %s, got none", from, want);
	ck_assert_str_eq(name, want);
	ck_assert_ptr_nonnull(snap);
	cmd = sc_xasprintf("git rev-parse 'refs/tags/%s^{commit}'", want);
	tag_id = sh_out(dir, cmd);
	free(cmd);
	ck_assert_str_eq(snap->commit, tag_id);
	ck_assert_int_eq(snap->worktree, 0);
	assert_sorted(snap);
	if (want_file)
		assert_reads(repo, snap, want_file, want_text);
	sc_snapshot_free(snap);
	free(name);
	free(tag_id);
	free(from_id);
}

START_TEST(test_release_none)
{
	char *d = tu_mkdtemp(), *head;
	struct sc_repo *repo;
	struct sc_snapshot *snap = NULL;
	char *name = NULL;

	tu_git_init(d);
	tu_write(d, "m.py", "one\n");
	commit_at(d, "one", 1000000000);
	/* tags that are no release: another glob, a tag of a tree, a blob */
	ck_assert_int_eq(tu_sh(d, "git tag release-1 && "
				  "git tag vtree HEAD^{tree} && "
				  "git tag -a -m blob vblob HEAD:m.py"), 0);
	repo = open_ok(d);
	assert_release(repo, d, "HEAD", "v*", NULL, NULL, NULL);
	assert_release(repo, d, "HEAD", NULL, NULL, NULL, NULL);
	head = sh_out(d, "git rev-parse HEAD");
	ck_assert_int_eq(sc_repo_find_release(repo, "not-an-id", "v*", &name,
					      &snap), -1);
	ck_assert_ptr_null(name);
	ck_assert_ptr_null(snap);
	sc_repo_free(repo);
	/* a plain folder has no releases */
	ck_assert_int_eq(sc_repo_open(&repo, "/tmp", 1), 0);
	ck_assert_int_eq(sc_repo_find_release(repo, head, "v*", &name, &snap),
			 0);
	ck_assert_ptr_null(name);
	ck_assert_ptr_null(snap);
	sc_repo_free(repo);
	free(head);
	tu_rmtree(d);
}
END_TEST

/*
 * main: c1 (v1.0, lightweight) - c2 (v1.1, annotated) - c3 (HEAD);
 * feature from c2: f1 (v9.0, newer than everything, not reachable from
 * main).
 */
START_TEST(test_release_lightweight_annotated_branches)
{
	char *d = tu_mkdtemp();
	struct sc_repo *repo;

	tu_git_init(d);
	tu_write(d, "m.py", "one\n");
	commit_at(d, "c1", 1000000000);
	ck_assert_int_eq(tu_sh(d, "git tag v1.0"), 0);
	tu_write(d, "m.py", "two\n");
	commit_at(d, "c2", 1000000100);
	ck_assert_int_eq(tu_sh(d, "GIT_COMMITTER_DATE='1000000500 +0000' "
				  "git tag -a -m 'release 1.1' v1.1"), 0);
	ck_assert_int_eq(tu_sh(d, "git branch feature"), 0);
	tu_write(d, "m.py", "three\n");
	commit_at(d, "c3", 1000000200);
	ck_assert_int_eq(tu_sh(d, "git checkout -q feature"), 0);
	tu_write(d, "m.py", "feature\n");
	commit_at(d, "f1", 1000000900);
	ck_assert_int_eq(tu_sh(d, "git tag -a -m nine v9.0 && "
				  "git checkout -q main"), 0);
	repo = open_ok(d);
	/* annotated, peeled to its commit; the tag on feature is ignored */
	assert_release(repo, d, "main", "v*", "v1.1", "m.py", "two\n");
	/* the tagged commit itself counts as reachable */
	assert_release(repo, d, "v1.1", "v*", "v1.1", "m.py", "two\n");
	/* lightweight */
	assert_release(repo, d, "v1.0", "v*", "v1.0", "m.py", "one\n");
	/* from feature, its own tag is the newest */
	assert_release(repo, d, "feature", "v*", "v9.0", "m.py", "feature\n");
	/* glob filtering */
	assert_release(repo, d, "main", "v1.0", "v1.0", "m.py", "one\n");
	assert_release(repo, d, "main", "v1.[0-9]", "v1.1", NULL, NULL);
	assert_release(repo, d, "main", "release-*", NULL, NULL, NULL);
	sc_repo_free(repo);
	tu_rmtree(d);
}
END_TEST

/*
 * Newest by committer time of the tagged commit, not by name or by when
 * the tag was made; on equal times a descendant wins, then the later
 * version name.
 */
START_TEST(test_release_newest_of_several)
{
	char *d = tu_mkdtemp();
	struct sc_repo *repo;

	tu_git_init(d);
	tu_write(d, "m.py", "a\n");
	commit_at(d, "a", 1000000000);
	ck_assert_int_eq(tu_sh(d, "git tag v2.0"), 0);  /* old, big name */
	tu_write(d, "m.py", "b\n");
	commit_at(d, "b", 1000000100);
	ck_assert_int_eq(tu_sh(d, "git tag v1.5"), 0);
	tu_write(d, "m.py", "c\n");
	commit_at(d, "c", 1000000200);
	repo = open_ok(d);
	assert_release(repo, d, "HEAD", "v*", "v1.5", "m.py", "b\n");
	/* a tag made now on the old commit a is still older */
	ck_assert_int_eq(tu_sh(d, "git tag -a -m late v3.0 HEAD~2"), 0);
	assert_release(repo, d, "HEAD", "v*", "v1.5", "m.py", "b\n");
	/* two commits with the same time: the descendant is newer */
	tu_write(d, "m.py", "d\n");
	commit_at(d, "d", 1000000300);
	ck_assert_int_eq(tu_sh(d, "git tag v1.6"), 0);
	tu_write(d, "m.py", "e\n");
	commit_at(d, "e", 1000000300);
	ck_assert_int_eq(tu_sh(d, "git tag v1.6.1-a"), 0);
	assert_release(repo, d, "HEAD", "v*", "v1.6.1-a", "m.py", "e\n");
	assert_release(repo, d, "HEAD~1", "v*", "v1.6", "m.py", "d\n");
	/* two tags of one commit: the later version name */
	ck_assert_int_eq(tu_sh(d, "git tag v1.10 HEAD~1 && git tag v1.9 "
				  "HEAD~1"), 0);
	assert_release(repo, d, "HEAD~1", "v*", "v1.10", "m.py", "d\n");
	sc_repo_free(repo);
	tu_rmtree(d);
}
END_TEST

static Suite *gitsrc_suite(void)
{
	Suite *s = suite_create("gitsrc");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_unborn_staged);
	tcase_add_test(tc, test_staged_modify_add_delete);
	tcase_add_test(tc, test_staged_renames);
	tcase_add_test(tc, test_git_index_file);
	tcase_add_test(tc, test_commit_a_hook_env);
	tcase_add_test(tc, test_diff_ranges);
	tcase_add_test(tc, test_diff_errors);
	tcase_add_test(tc, test_all_reads_worktree);
	tcase_add_test(tc, test_symlink_and_submodule_skipped);
	tcase_add_test(tc, test_plain_folder);
	tcase_add_test(tc, test_deep_folder);
	tcase_add_test(tc, test_size_cap);
	tcase_add_test(tc, test_hooks_dir);
	tcase_add_test(tc, test_linked_worktree);
	tcase_add_test(tc, test_unsupported_layouts);
	tcase_add_test(tc, test_owned_by_another_user);
	tcase_add_test(tc, test_prefix_from_subfolder);
	tcase_add_test(tc, test_merge_in_progress);
	tcase_add_test(tc, test_changeset_from_snapshots);
	tcase_add_test(tc, test_typechange_and_intent_to_add);
	tcase_add_test(tc, test_staged_index_reader);
	tcase_add_test(tc, test_staged_many_folders);
	tcase_add_test(tc, test_release_none);
	tcase_add_test(tc, test_release_lightweight_annotated_branches);
	tcase_add_test(tc, test_release_newest_of_several);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	int rc;

	/* Run as a hook or inside another repository: start clean. */
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_COMMON_DIR");
	unsetenv("GIT_CEILING_DIRECTORIES");
	/* plain folders would be cached under $HOME (check_cache tests that) */
	setenv("SCHEMACHECK_NO_CACHE", "1", 1);
	sc_gitsrc_global_init();
	rc = tu_run(gitsrc_suite());
	sc_gitsrc_global_shutdown();
	return rc;
}
