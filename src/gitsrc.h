/*
 * gitsrc.h: where schemacheck's files come from. A repository is a git
 * work tree (opened with GIT_REPOSITORY_OPEN_FROM_ENV, so a pre-commit
 * hook sees the index git commit is really using) or, for --all and heads
 * outside git, a plain folder. A change set is a "before" and an "after"
 * snapshot (lists of files) plus the changes between them:
 *   --staged  before = HEAD's tree (empty when unborn), after = the index
 *   --diff    before = merge base of BASE and HEAD, after = HEAD's tree
 *   --all     no before; after = tracked files as in the work tree
 * Nothing outside gitsrc.c touches libgit2.
 */
#ifndef SC_GITSRC_H
#define SC_GITSRC_H

#include <stddef.h>

enum sc_mode { SC_MODE_STAGED = 0, SC_MODE_DIFF, SC_MODE_ALL };

/* Files larger than this are not read; the reader returns SC_ETOOBIG. */
#define SC_MAX_FILE_SIZE (8u << 20)

/* One regular file of a snapshot (symlinks and submodules are skipped). */
struct sc_entry {
	char *path;      /* repo-relative, '/'-separated; owned */
	char id[41];     /* blob id in hex (of the work-tree contents for a
			    folder); all zeros (unknown) for a file over
			    SC_MAX_FILE_SIZE whose id had to be computed */
};

struct sc_snapshot {
	struct sc_entry *entries;  /* sorted by path (strcmp order) */
	size_t n;
	int worktree;              /* 1: contents come from the work tree / folder */
	char *root;                /* worktree: absolute folder the paths are relative to */
	char *commit;              /* commit id (hex) this snapshot is the tree of, or NULL */
};

enum sc_change_status {
	SC_CHANGE_ADDED, SC_CHANGE_DELETED, SC_CHANGE_MODIFIED, SC_CHANGE_RENAMED,
};

struct sc_change {
	enum sc_change_status status;
	char *old_path;  /* NULL for ADDED */
	char *new_path;  /* NULL for DELETED */
};

struct sc_changeset {
	enum sc_mode mode;
	struct sc_snapshot *before;   /* NULL for --all */
	struct sc_snapshot *after;
	struct sc_change *changes;    /* empty for --all */
	size_t n_changes;
};

struct sc_repo;

/*
 * Open the repository containing `dir` (discovering upwards, honouring
 * GIT_DIR/GIT_WORK_TREE/GIT_INDEX_FILE). With allow_plain, a folder that
 * is not in a repository is opened as a plain folder rooted at `dir`.
 * Returns 0 and *out (owned; sc_repo_free), or -1 with a message (not a
 * git repository; bare repository; unsupported layout: split or sparse
 * index, sha256 objects).
 */
int sc_repo_open(struct sc_repo **out, const char *dir, int allow_plain);
void sc_repo_free(struct sc_repo *repo);

int sc_repo_is_git(const struct sc_repo *repo);
/* Absolute path of the work tree (or folder), without a trailing '/'. */
const char *sc_repo_root(const struct sc_repo *repo);
/* Where `dir` given to sc_repo_open lies in the root: "" or "sub/dir/". */
const char *sc_repo_prefix(const struct sc_repo *repo);
/* The git folder (absolute, with trailing '/'), or NULL for a plain folder. */
const char *sc_repo_gitdir(const struct sc_repo *repo);

/*
 * The hooks folder git really uses (core.hooksPath, relative to the work
 * tree, or <common git dir>/hooks). *out is owned by the caller.
 */
int sc_repo_hooks_dir(struct sc_repo *repo, char **out);

/*
 * Build the change set for `mode`; `range` is the --diff argument
 * ("BASE", "BASE..HEAD" or "BASE...HEAD"; NULL otherwise). *out is owned
 * by the caller (sc_changeset_free). Returns 0, SC_EUSAGE for a range that
 * does not resolve, -1 for other failures.
 */
int sc_changeset_load(struct sc_changeset **out, struct sc_repo *repo,
		      enum sc_mode mode, const char *range);
void sc_changeset_free(struct sc_changeset *cs);

/*
 * A snapshot of every regular file under `dir` (a plain folder, read as
 * --all reads a folder outside git: symlinks, .git and other VCS folders
 * skipped). Entry ids are the files' git blob ids, so two such snapshots
 * can be compared. *out is owned by the caller (sc_snapshot_free).
 */
int sc_snapshot_from_dir(struct sc_snapshot **out, const char *dir);
void sc_snapshot_free(struct sc_snapshot *s);

/*
 * A change set of two snapshots made by sc_snapshot_from_dir (for tests
 * and fixtures): changes are computed by path and id (exact renames
 * detected). Takes ownership of both snapshots.
 */
struct sc_changeset *sc_changeset_from_snapshots(enum sc_mode mode,
		struct sc_snapshot *before, struct sc_snapshot *after);

/* Find an entry by path in a snapshot (borrowed), or NULL. */
const struct sc_entry *sc_snapshot_find(const struct sc_snapshot *s, const char *path);

/*
 * Read an entry's contents: 0 and *data, *len (owned by the caller,
 * NUL-terminated), SC_ETOOBIG when over SC_MAX_FILE_SIZE (*data NULL), or
 * -1 with a message. `repo` may be NULL for worktree snapshots.
 */
int sc_repo_read(struct sc_repo *repo, const struct sc_snapshot *snap,
		 const struct sc_entry *e, char **data, size_t *len);

/*
 * The newest release reachable from commit `from` (hex id): among the tags
 * under refs/tags/ whose name (without "refs/tags/") matches the fnmatch
 * glob `glob` (lightweight or annotated, peeled to a commit; tags of trees
 * and blobs are no releases), those whose commit is `from` or one of its
 * ancestors. The newest is the one whose commit has the latest committer
 * time; on a tie, a commit that descends from the other wins, then the
 * name that sorts last as a version ("v1.10" after "v1.9"). A tag whose
 * commit or ancestry cannot be read (a shallow clone) is not a release.
 * Returns 0 with *name (the tag's name, "v1.4") and *snap (the snapshot of
 * its commit's tree, commit set), both owned by the caller, or with both
 * NULL when no tag qualifies or `repo` is a plain folder; -1 with a
 * message on failure.
 */
int sc_repo_find_release(struct sc_repo *repo, const char *from,
			 const char *glob, char **name,
			 struct sc_snapshot **snap);

/* Initialise / shut down libgit2 (once, from main). */
void sc_gitsrc_global_init(void);
void sc_gitsrc_global_shutdown(void);

#endif
