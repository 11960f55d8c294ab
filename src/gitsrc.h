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
#include <stdint.h>

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

/* What stat(2) says about a file: enough to tell that it changed. */
struct sc_fstat {
	int64_t mtime_s, ctime_s;
	uint32_t mtime_ns, ctime_ns;
	uint64_t size, ino, dev;
};

struct stat;
/* *f = the fields of *st that struct sc_fstat keeps. */
void sc_fstat_from(struct sc_fstat *f, const struct stat *st);

struct sc_pathpool;

struct sc_snapshot {
	struct sc_entry *entries;  /* sorted by path (strcmp order) */
	size_t n;
	int worktree;              /* 1: contents come from the work tree / folder */
	char *root;                /* worktree: absolute folder the paths are relative to */
	char *commit;              /* commit id (hex) this snapshot is the tree of, or NULL */
	/*
	 * 1: a plain folder read for --all (folder.h): entry ids are not
	 * computed (""); whoever needs a file's id stats and hashes it.
	 */
	int lazy;
	/* when set, the entries' paths live in this pool (owned), not in
	 * allocations of their own */
	struct sc_pathpool *pool;
	/* 1: some paths belong to the "after" snapshot of the same change
	 * set (--staged shares what HEAD and the index have in common);
	 * sc_changeset_free frees "before" first */
	int borrows_paths;
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
/* The common git folder (linked work trees share it; absolute, trailing
 * '/'), or NULL for a plain folder. */
const char *sc_repo_commondir(const struct sc_repo *repo);

/*
 * A work-tree file this run depended on (its contents), with its stat
 * data at the time: for the report cache (runcache.h). Once recording
 * is on, every work-tree file sc_repo_read reads is noted, and so is
 * every file whose facts came from its stat data (units.c).
 */
struct sc_dep {
	char *path;
	struct sc_fstat st;
};

void sc_repo_record_deps(struct sc_repo *repo);
/* Note a dependency (thread-safe; nothing unless recording). */
void sc_repo_note_dep(struct sc_repo *repo, const char *path,
		      const struct sc_fstat *st);
/* The dependencies noted so far (borrowed; duplicates possible). */
const struct sc_dep *sc_repo_deps(const struct sc_repo *repo, size_t *n);

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
 * --staged as libgit2 alone computes it (all of HEAD's tree, libgit2's
 * reading of the index, its diff and rename detection): the reference
 * the tests hold sc_changeset_load to. Same contract.
 */
int sc_changeset_load_libgit2(struct sc_changeset **out, struct sc_repo *repo);

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
 * -1 with a message. `repo` may be NULL for worktree snapshots. Safe to
 * call from several threads at once.
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

/* The git blob id (20 bytes) of `len` bytes of `data`. */
void sc_blob_hash(const void *data, size_t len, unsigned char *oid);
/* libcrypto's SHA-1 (an EVP_MD), set up on first use without reading
 * openssl.cnf; NULL if libcrypto has none. Not freed by the caller. */
const struct evp_md_st *sc_sha1_md(void);

/* Hex (40 characters and a NUL) to 20 bytes: 0, or -1 if not an id. */
int sc_oid_fromhex(unsigned char *oid, const char *hex);

/* Initialise / shut down libgit2 (once, from main). */
void sc_gitsrc_global_init(void);
void sc_gitsrc_global_shutdown(void);

#endif
