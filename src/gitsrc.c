/*
 * gitsrc.c: where schemacheck's files come from, and the only file that
 * touches libgit2 (1.5.1, as Debian ships it). It opens the repository the
 * way git would (GIT_REPOSITORY_OPEN_FROM_ENV, so the index a hook sees is
 * the one `git commit -a` or `git commit PATH` really uses), turns trees,
 * the index and the work tree into snapshots (sorted lists of regular
 * files), computes the changes between two snapshots, and reads file
 * contents with a size cap and without ever following a symbolic link.
 *
 * The index is read by gitindex.c (mapped, not hashed, as git does;
 * libgit2 only for what that reader refuses). --staged takes HEAD's tree
 * only where the index's cache-tree does not vouch for a folder, and
 * asks libgit2's diff only to pair renames (files both deleted and
 * added); sc_changeset_load_libgit2 is the all-libgit2 reference the
 * tests compare it with. A plain folder's --all snapshot is made by
 * folder.c without reading any file.
 *
 * Ids: tree and index entries carry their blob id. Work-tree entries carry
 * the index's id when the file's stat data says it is unchanged, otherwise
 * the blob id of the file's current contents. A file over SC_MAX_FILE_SIZE
 * whose id has to be computed from its contents gets the all-zero id, which
 * means "unknown": such an entry never compares equal to anything.
 */
#include "gitsrc.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <pwd.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <git2.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <git2/sys/repository.h>

#include "cache.h"
#include "err.h"
#include "folder.h"
#include "gitindex.h"
#include "util.h"
#include "workpool.h"

struct sc_repo {
	git_repository *git;  /* NULL for a plain folder */
	git_odb *odb;         /* loaded on the first blob read */
	char *root;           /* absolute, no trailing '/' */
	char *prefix;         /* "" or "sub/dir/" */
	char *gitdir;         /* absolute, trailing '/'; NULL for a folder */
	char *commondir;      /* absolute, trailing '/'; NULL for a folder */
	/* the index as gitindex.c reads it (libgit2's when it cannot) */
	struct sc_gitindex *index;
	int index_fixed;      /* fix_relative_index was done */
	/* libgit2 objects are not thread-safe: blob reads take this lock */
	pthread_mutex_t lock;
	/* the work-tree files this run depended on (sc_repo_record_deps) */
	int deps_on;
	struct sc_dep *deps;
	size_t n_deps, a_deps;
};

static const char zero_id[41] = "0000000000000000000000000000000000000000";

/* Folders sc_snapshot_from_dir never enters. */
static const char *const vcs_dirs[] = { ".git", ".hg", ".svn", ".bzr" };

/* ---- errors ---------------------------------------------------------- */

static const char *git_msg(void)
{
	const git_error *e = git_error_last();

	return e && e->message && *e->message ? e->message
					      : "unknown libgit2 error";
}

/*
 * Record the message for a libgit2 failure that just happened in the
 * repository at `path`: the failures users can fix get a message saying
 * how, the others "<what>: <libgit2's message>". Returns SC_ERROR.
 */
static int git_fail(const char *path, const char *fmt, ...) SC_PRINTF(2, 3);
static int git_fail(const char *path, const char *fmt, ...)
{
	const char *msg = git_msg();
	va_list ap;
	char *what;
	int error;

	if (strstr(msg, "extension: 'link'"))
		return sc_error_set("repository '%s' uses a split index, "
				    "which libgit2 1.5 cannot read; run "
				    "'git update-index --no-split-index'",
				    path);
	if (strstr(msg, "extension: 'sdir'"))
		return sc_error_set("repository '%s' uses a sparse index, "
				    "which libgit2 1.5 cannot read; run "
				    "'git sparse-checkout init "
				    "--no-sparse-index'", path);
	if (strstr(msg, "objectformat"))
		return sc_error_set("repository '%s' uses sha256 object ids, "
				    "which libgit2 1.5 cannot read", path);
	if (strstr(msg, "safe.directory"))
		return sc_error_set("repository '%s' is owned by another "
				    "user; run: git config --global --add "
				    "safe.directory '%s'", path, path);
	va_start(ap, fmt);
	what = sc_xvasprintf(fmt, ap);
	va_end(ap);
	error = sc_error_set("%s: %s", what, msg);
	free(what);
	return error;
}

/* *out = realpath(path) (owned), or -1 with a message. */
static int real_path(char **out, const char *path)
{
	*out = realpath(path, NULL);
	if (!*out) {
		if (errno == ENOMEM)
			sc_die_oom();
		return sc_error_set("cannot access '%s': %s", path,
				    strerror(errno));
	}
	return 0;
}

/* ---- snapshots ------------------------------------------------------- */

static void snapshot_add(struct sc_snapshot *s, size_t *alloc, char *path,
			 const char *id)
{
	struct sc_entry *e;

	SC_ALLOC_GROW(s->entries, s->n + 1, *alloc);
	e = &s->entries[s->n++];
	e->path = path;
	memcpy(e->id, id, sizeof(e->id) - 1);
	e->id[sizeof(e->id) - 1] = '\0';
}

static void snapshot_add_oid(struct sc_snapshot *s, size_t *alloc,
			     char *path, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), oid);
	snapshot_add(s, alloc, path, hex);
}

static int entry_cmp(const void *a, const void *b)
{
	const struct sc_entry *x = a, *y = b;

	return strcmp(x->path, y->path);
}

static void snapshot_sort(struct sc_snapshot *s)
{
	if (s->n > 1)
		qsort(s->entries, s->n, sizeof(*s->entries), entry_cmp);
}

void sc_snapshot_free(struct sc_snapshot *s)
{
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->n && !s->pool && !s->borrows_paths; i++)
		free(s->entries[i].path);
	sc_pathpool_free(s->pool);
	free(s->entries);
	free(s->root);
	free(s->commit);
	free(s);
}

const struct sc_entry *sc_snapshot_find(const struct sc_snapshot *s,
					const char *path)
{
	size_t lo = 0, hi;

	if (!s || !path)
		return NULL;
	hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, s->entries[mid].path);

		if (!c)
			return &s->entries[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static int is_regular_mode(uint32_t mode)
{
	return mode == GIT_FILEMODE_BLOB ||
	       mode == GIT_FILEMODE_BLOB_EXECUTABLE;
}

struct tree_walk {
	struct sc_snapshot *s;
	size_t alloc;
};

static int tree_walk_cb(const char *root, const git_tree_entry *te,
			void *payload)
{
	struct tree_walk *w = payload;

	/* Trees are walked into; symlinks and submodules are skipped. */
	if (!is_regular_mode(git_tree_entry_filemode(te)))
		return 0;
	snapshot_add_oid(w->s, &w->alloc,
			 sc_xasprintf("%s%s", root, git_tree_entry_name(te)),
			 git_tree_entry_id(te));
	return 0;
}

/* The snapshot of `commit`'s tree (commit set to its id). */
static int snapshot_from_commit(struct sc_snapshot **out, struct sc_repo *repo,
				git_commit *commit)
{
	struct tree_walk w = { NULL, 0 };
	git_tree *tree = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int error;

	*out = NULL;
	w.s = sc_xcalloc(1, sizeof(*w.s));
	git_oid_tostr(hex, sizeof(hex), git_commit_id(commit));
	w.s->commit = sc_xstrdup(hex);
	if ((error = git_commit_tree(&tree, commit)) < 0) {
		error = git_fail(repo->root, "cannot read the tree of %s", hex);
		goto out;
	}
	if ((error = git_tree_walk(tree, GIT_TREEWALK_PRE, tree_walk_cb,
				   &w)) < 0) {
		error = git_fail(repo->root, "cannot read the tree of %s", hex);
		goto out;
	}
	snapshot_sort(w.s);
	*out = w.s;
	w.s = NULL;
out:
	git_tree_free(tree);
	sc_snapshot_free(w.s);
	return error;
}

/* ---- reading files without following symbolic links ------------------ */

/* Is `seg` (length n) a usable path segment (not "", ".", "..")? */
static int good_segment(const char *seg, size_t n)
{
	if (n == 0 || n > NAME_MAX)
		return 0;
	if (seg[0] == '.' && (n == 1 || (n == 2 && seg[1] == '.')))
		return 0;
	return 1;
}

/*
 * Open root/rel for reading, refusing a symbolic link at any component and
 * any path that is absolute or has an empty, "." or ".." segment (EINVAL),
 * so the file opened is always inside root. Returns the fd, or -1 with
 * errno set.
 */
/* 0: openat2(2) is not available (an old kernel, a seccomp filter). */
static int have_openat2 = 1;

/*
 * openat2 with RESOLVE_NO_SYMLINKS on root/rel (root has no symbolic
 * link: it is a realpath), the segments of rel already checked: one
 * system call instead of one per folder. -1 with errno ENOSYS when the
 * kernel cannot.
 */
static int open_nofollow_path(const char *root, const char *rel)
{
	struct open_how how;
	char buf[PATH_MAX];
	int n, fd;

	if (!__atomic_load_n(&have_openat2, __ATOMIC_RELAXED)) {
		errno = ENOSYS;
		return -1;
	}
	n = snprintf(buf, sizeof(buf), "%s/%s", root, rel);
	if (n < 0 || (size_t)n >= sizeof(buf)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memset(&how, 0, sizeof(how));
	/* O_NONBLOCK: a FIFO swapped in after the check must not hang us. */
	how.flags = O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC;
	how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, AT_FDCWD, buf, &how, sizeof(how));
	if (fd < 0 && (errno == ENOSYS || errno == EPERM || errno == E2BIG)) {
		__atomic_store_n(&have_openat2, 0, __ATOMIC_RELAXED);
		errno = ENOSYS;
	}
	return fd;
}

static int open_beneath(const char *root, const char *rel)
{
	const char *p = rel, *slash;
	char seg[NAME_MAX + 1];
	int dfd, fd, saved;

	if (!*rel || *rel == '/') {
		errno = EINVAL;
		return -1;
	}
	for (p = rel;; p = slash + 1) {
		slash = strchr(p, '/');
		if (!good_segment(p, slash ? (size_t)(slash - p) : strlen(p))) {
			errno = EINVAL;
			return -1;
		}
		if (!slash)
			break;
	}
	fd = open_nofollow_path(root, rel);
	if (fd >= 0 || errno != ENOSYS)
		return fd;
	p = rel;
	dfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	for (;;) {
		size_t n;

		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (!good_segment(p, n)) {
			close(dfd);
			errno = EINVAL;
			return -1;
		}
		memcpy(seg, p, n);
		seg[n] = '\0';
		if (!slash)
			break;
		fd = openat(dfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
				      O_CLOEXEC);
		saved = errno;
		close(dfd);
		errno = saved;
		if (fd < 0)
			return -1;
		dfd = fd;
		p = slash + 1;
	}
	/* O_NONBLOCK: a FIFO swapped in after the check must not hang us. */
	fd = openat(dfd, seg, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	saved = errno;
	close(dfd);
	errno = saved;
	return fd;
}

/*
 * Read the regular file open as fd (closed here) into *data (owned,
 * NUL-terminated). SC_ETOOBIG when over the cap (no message recorded:
 * only the caller knows whether that is a failure); -1 with a message
 * naming `name` otherwise.
 */
static int read_fd(int fd, const char *name, char **data, size_t *len,
		   struct stat *st_out)
{
	struct stat st;
	char *buf = NULL;
	size_t size, got = 0;
	int error = 0;

	*data = NULL;
	*len = 0;
	if (fstat(fd, &st) < 0) {
		error = sc_error_set("cannot read '%s': %s", name,
				     strerror(errno));
		goto out;
	}
	if (st_out)
		*st_out = st;
	if (!S_ISREG(st.st_mode)) {
		error = sc_error_set("refusing to read '%s': not a regular "
				     "file", name);
		goto out;
	}
	if ((uintmax_t)st.st_size > SC_MAX_FILE_SIZE) {
		error = SC_ETOOBIG;
		goto out;
	}
	size = (size_t)st.st_size;
	buf = sc_xmalloc(size + 1);
	while (got < size) {
		ssize_t r = read(fd, buf + got, size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			error = sc_error_set("cannot read '%s': %s", name,
					     strerror(errno));
			goto out;
		}
		if (r == 0)
			break;  /* the file shrank: what we have is it */
		got += (size_t)r;
	}
	buf[got] = '\0';
	*data = buf;
	*len = got;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return error;
}

/*
 * Read work-tree file root/rel with the rules of sc_repo_read; *st gets
 * the stat data of the file read (when it was opened).
 */
static int read_worktree(const char *root, const char *rel, char **data,
			 size_t *len, struct stat *st)
{
	int fd, error;

	fd = open_beneath(root, rel);
	if (fd < 0) {
		if (errno == EINVAL)
			return sc_error_set("refusing to read '%s': the path "
					    "is not inside '%s'", rel, root);
		if (errno == ELOOP || errno == ENOTDIR)
			return sc_error_set("refusing to read '%s': the path "
					    "goes through a symbolic link or "
					    "a non-folder", rel);
		return sc_error_set("cannot read '%s': %s", rel,
				    strerror(errno));
	}
	error = read_fd(fd, rel, data, len, st);
	if (error == SC_ETOOBIG)
		sc_error_set("'%s' is larger than %u MiB", rel,
			     SC_MAX_FILE_SIZE >> 20);
	return error;
}

/* *hex = the blob id of `data` (or the zero id for NULL data). */
static int hash_blob(char hex[41], const char *data, size_t len,
		     const char *name)
{
	git_oid oid;

	(void)name;
	if (!data) {
		memcpy(hex, zero_id, sizeof(zero_id));
		return 0;
	}
	sc_blob_hash(data, len, oid.id);
	git_oid_tostr(hex, 41, &oid);
	return 0;
}

/*
 * The id of the file open as fd, per the file's header comment: its blob
 * id, the zero id when over the cap. Closes fd.
 */
static int hash_fd(char hex[41], int fd, const char *name)
{
	char *data = NULL;
	size_t len = 0;
	int error;

	error = read_fd(fd, name, &data, &len, NULL);
	if (error == SC_ETOOBIG)
		error = 0;
	if (error == 0)
		error = hash_blob(hex, data, len, name);
	free(data);
	return error;
}

/* ---- the index, as staged or as in the work tree --------------------- */

/*
 * Is every folder of `path` (relative to root) a real folder, not a
 * symbolic link? `ok` remembers the last folder found good (the index is
 * sorted, so neighbours share folders and each is checked about once).
 */
static int dirs_are_real(const char *root, const char *path,
			 struct sc_buf *ok)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	size_t e;
	struct stat st;
	char *full;

	for (e = 0; e < dlen; e++) {
		int good;

		while (e < dlen && path[e] != '/')
			e++;
		/* path[0..e) is a folder prefix */
		if (e <= ok->len && (e == ok->len || ok->buf[e] == '/') &&
		    !memcmp(ok->buf, path, e))
			continue;
		full = sc_xasprintf("%s/%.*s", root, (int)e, path);
		good = !lstat(full, &st) && S_ISDIR(st.st_mode);
		free(full);
		if (!good) {
			sc_buf_reset(ok);
			return 0;
		}
	}
	sc_buf_reset(ok);
	sc_buf_add(ok, path, dlen);
	return 1;
}

/* Does the index entry's stat data say the work-tree file is unchanged? */
static int stat_unchanged(const struct sc_ientry *ie, const struct stat *st,
			  const struct sc_gitindex *ix)
{
	if ((uint32_t)st->st_size != ie->size ||
	    (uint32_t)st->st_mtim.tv_sec != ie->mtime_s)
		return 0;
	if (ie->mtime_ns && (uint32_t)st->st_mtim.tv_nsec != ie->mtime_ns)
		return 0;
	if (ie->ino && (uint32_t)st->st_ino != ie->ino)
		return 0;
	/* Racily clean: changed in the same instant the index was written. */
	if (st->st_mtim.tv_sec > ix->mtime_s ||
	    (st->st_mtim.tv_sec == ix->mtime_s &&
	     (uint32_t)st->st_mtim.tv_nsec >= ix->mtime_ns))
		return 0;
	return 1;
}

static const char hex_digits[] = "0123456789abcdef";

static void hex_of(char hex[41], const unsigned char *oid)
{
	size_t i;

	for (i = 0; i < 20; i++) {
		hex[2 * i] = hex_digits[oid[i] >> 4];
		hex[2 * i + 1] = hex_digits[oid[i] & 15];
	}
	hex[40] = '\0';
}

/* Add an entry whose path goes into the snapshot's pool. */
static void snapshot_add_pooled(struct sc_snapshot *s, size_t *alloc,
				const char *path, size_t len,
				const unsigned char *oid)
{
	struct sc_entry *e;

	SC_ALLOC_GROW(s->entries, s->n + 1, *alloc);
	e = &s->entries[s->n++];
	e->path = sc_pathpool_add(&s->pool, path, len);
	hex_of(e->id, oid);
}

/* Sort s unless it already is (index and tree order are path order). */
static void snapshot_sort_if_needed(struct sc_snapshot *s)
{
	size_t i;

	for (i = 1; i < s->n; i++)
		if (strcmp(s->entries[i - 1].path, s->entries[i].path) >= 0)
			break;
	if (i < s->n)
		snapshot_sort(s);
}

/*
 * The index's regular files at stage 0: as staged (worktree 0; entries
 * only marked intent-to-add are not staged content and are left out), or
 * as they are now in the work tree (worktree 1; files deleted from it or
 * no longer regular files there are left out).
 */
static int snapshot_from_index(struct sc_snapshot **out, struct sc_repo *repo,
			       const struct sc_gitindex *ix, int worktree,
			       size_t *pos)
{
	struct sc_snapshot *s = sc_xcalloc(1, sizeof(*s));
	struct sc_buf ok = SC_BUF_INIT;
	int error = 0;
	size_t i, alloc = 0;
	char *full = NULL;
	size_t root_len = strlen(repo->root);

	*out = NULL;
	s->entries = sc_xmalloc((ix->n + 1) * sizeof(*s->entries));
	sc_prefault(s->entries, (ix->n + 1) * sizeof(*s->entries));
	alloc = ix->n + 1;
	if (worktree) {
		s->worktree = 1;
		s->root = sc_xstrdup(repo->root);
		full = sc_xmalloc(root_len + 2 + PATH_MAX);
		memcpy(full, repo->root, root_len);
		full[root_len] = '/';
	}
	for (i = 0; i < ix->n; i++) {
		const struct sc_ientry *ie = &ix->entries[i];
		char hex[41];
		struct stat st;
		int fd;

		if (pos)
			pos[i] = SIZE_MAX;
		if (SC_IENTRY_STAGE(ie) != 0 || !is_regular_mode(ie->mode))
			continue;
		if (!worktree) {
			if (ie->flags_ext & SC_IENTRY_INTENT_TO_ADD)
				continue;
			if (pos)
				pos[i] = s->n;
			snapshot_add_pooled(s, &alloc, ie->path, ie->path_len,
					    ie->oid);
			continue;
		}
		if (ie->path_len >= PATH_MAX ||
		    !dirs_are_real(s->root, ie->path, &ok))
			continue;
		memcpy(full + root_len + 1, ie->path, ie->path_len + 1);
		if (lstat(full, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (stat_unchanged(ie, &st, ix)) {
			snapshot_add_pooled(s, &alloc, ie->path, ie->path_len,
					    ie->oid);
			continue;
		}
		fd = open_beneath(s->root, ie->path);
		if (fd < 0) {
			if (errno == ENOENT || errno == ELOOP ||
			    errno == ENOTDIR || errno == EINVAL)
				continue;  /* changed under us: as deleted */
			error = sc_error_set("cannot read '%s': %s", ie->path,
					     strerror(errno));
			goto out;
		}
		if ((error = hash_fd(hex, fd, ie->path)) < 0)
			goto out;
		SC_ALLOC_GROW(s->entries, s->n + 1, alloc);
		s->entries[s->n].path = sc_pathpool_add(&s->pool, ie->path,
							ie->path_len);
		memcpy(s->entries[s->n].id, hex, sizeof(hex));
		s->n++;
	}
	for (i = 1; i < s->n; i++)
		if (strcmp(s->entries[i - 1].path, s->entries[i].path) >= 0)
			break;
	if (i < s->n) {
		/* a corrupt index, out of order: sorted, and no pos (the
		 * caller then reads every tree of HEAD) */
		snapshot_sort(s);
		if (pos)
			pos[0] = SIZE_MAX - 1;
	}
	*out = s;
	s = NULL;
out:
	free(full);
	sc_buf_release(&ok);
	sc_snapshot_free(s);
	return error;
}

/*
 * libgit2's reading of the index as a struct sc_gitindex (without a
 * cache-tree), for the rare index gitindex.c leaves to libgit2.
 */
static struct sc_gitindex *gitindex_from_libgit2(git_index *index,
						 const char *path)
{
	struct sc_gitindex *ix = sc_xcalloc(1, sizeof(*ix));
	struct sc_buf paths = SC_BUF_INIT;
	size_t i, n = git_index_entrycount(index), *off;
	struct stat st;

	ix->entries = sc_xcalloc(n + 1, sizeof(*ix->entries));
	off = sc_xcalloc(n + 1, sizeof(*off));
	for (i = 0; i < n; i++) {
		const git_index_entry *ie = git_index_get_byindex(index, i);
		struct sc_ientry *e = &ix->entries[ix->n];

		if (!ie)
			continue;
		off[ix->n] = paths.len;
		sc_buf_add(&paths, ie->path, strlen(ie->path) + 1);
		e->path_len = (uint32_t)strlen(ie->path);
		e->mtime_s = (uint32_t)ie->mtime.seconds;
		e->mtime_ns = ie->mtime.nanoseconds;
		e->ino = ie->ino;
		e->mode = ie->mode;
		e->size = ie->file_size;
		memcpy(e->oid, ie->id.id, 20);
		e->flags = ie->flags;
		e->flags_ext = ie->flags_extended;
		ix->n++;
	}
	ix->paths = sc_buf_detach(&paths);
	for (i = 0; i < ix->n; i++)
		ix->entries[i].path = ix->paths + off[i];
	free(off);
	if (path && !stat(path, &st)) {
		ix->mtime_s = st.st_mtim.tv_sec;
		ix->mtime_ns = (uint32_t)st.st_mtim.tv_nsec;
	}
	return ix;
}

/* ---- plain folders --------------------------------------------------- */

static int is_vcs_dir(const char *name)
{
	size_t i;

	for (i = 0; i < SC_ARRAY_SIZE(vcs_dirs); i++)
		if (!strcmp(name, vcs_dirs[i]))
			return 1;
	return 0;
}

/* Add the regular files of folder root/rel to s; push its sub-folders. */
static int scan_dir(struct sc_snapshot *s, size_t *alloc, const char *rel,
		    char ***stack, size_t *nstack, size_t *astack)
{
	char *full = *rel ? sc_xasprintf("%s/%s", s->root, rel)
			  : sc_xstrdup(s->root);
	DIR *d = NULL;
	struct dirent *de;
	int dfd, error = 0;

	dfd = open(full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)
			goto out;  /* replaced while we walked */
		error = sc_error_set("cannot read folder '%s': %s", full,
				     strerror(errno));
		goto out;
	}
	if (!(d = fdopendir(dfd))) {
		error = sc_error_set("cannot read folder '%s': %s", full,
				     strerror(errno));
		close(dfd);
		goto out;
	}
	while ((errno = 0, de = readdir(d))) {
		const char *name = de->d_name;
		char *child, hex[41];
		struct stat st;
		int fd;

		if (!strcmp(name, ".") || !strcmp(name, "..") ||
		    !strcmp(name, ".git"))
			continue;
		if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;  /* vanished */
		if (S_ISDIR(st.st_mode)) {
			if (is_vcs_dir(name))
				continue;
			SC_ALLOC_GROW(*stack, *nstack + 1, *astack);
			(*stack)[(*nstack)++] = *rel
				? sc_xasprintf("%s/%s", rel, name)
				: sc_xstrdup(name);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;  /* symlinks, sockets, devices, FIFOs */
		child = *rel ? sc_xasprintf("%s/%s", rel, name)
			     : sc_xstrdup(name);
		fd = openat(dirfd(d), name, O_RDONLY | O_NOFOLLOW |
					    O_NONBLOCK | O_CLOEXEC);
		if (fd < 0) {
			if (errno == ENOENT || errno == ELOOP) {
				free(child);
				continue;
			}
			error = sc_error_set("cannot read '%s': %s", child,
					     strerror(errno));
			free(child);
			goto out;
		}
		if ((error = hash_fd(hex, fd, child)) < 0) {
			free(child);
			goto out;
		}
		snapshot_add(s, alloc, child, hex);
	}
	if (errno)
		error = sc_error_set("cannot read folder '%s': %s", full,
				     strerror(errno));
out:
	if (d)
		closedir(d);
	free(full);
	return error;
}

int sc_snapshot_from_dir(struct sc_snapshot **out, const char *dir)
{
	struct sc_snapshot *s = sc_xcalloc(1, sizeof(*s));
	char **stack = NULL, *rel = NULL;
	size_t nstack = 0, astack = 0, alloc = 0;
	int error;

	*out = NULL;
	s->worktree = 1;
	if ((error = real_path(&s->root, dir)) < 0)
		goto out;
	/* An explicit stack, so a deep tree cannot overflow ours. */
	SC_ALLOC_GROW(stack, 1, astack);
	stack[nstack++] = sc_xstrdup("");
	while (nstack) {
		rel = stack[--nstack];
		if ((error = scan_dir(s, &alloc, rel, &stack, &nstack,
				      &astack)) < 0)
			goto out;
		free(rel);
		rel = NULL;
	}
	snapshot_sort(s);
	*out = s;
	s = NULL;
out:
	free(rel);
	while (nstack)
		free(stack[--nstack]);
	free(stack);
	sc_snapshot_free(s);
	return error;
}

/* ---- change sets ----------------------------------------------------- */

static void add_change(struct sc_changeset *cs, size_t *alloc,
		       enum sc_change_status status, const char *old_path,
		       const char *new_path)
{
	struct sc_change *c;

	SC_ALLOC_GROW(cs->changes, cs->n_changes + 1, *alloc);
	c = &cs->changes[cs->n_changes++];
	c->status = status;
	c->old_path = old_path ? sc_xstrdup(old_path) : NULL;
	c->new_path = new_path ? sc_xstrdup(new_path) : NULL;
}

static const char *change_path(const struct sc_change *c)
{
	return c->new_path ? c->new_path : c->old_path;
}

static int change_cmp(const void *a, const void *b)
{
	const struct sc_change *x = a, *y = b;
	int c = strcmp(change_path(x), change_path(y));

	if (c)
		return c;
	if (!x->old_path || !y->old_path)
		return !x->old_path ? (y->old_path ? -1 : 0) : 1;
	return strcmp(x->old_path, y->old_path);
}

/* Changes are sorted by their new path (the old one for deletions). */
static void sort_changes(struct sc_changeset *cs)
{
	if (cs->n_changes > 1)
		qsort(cs->changes, cs->n_changes, sizeof(*cs->changes),
		      change_cmp);
}

/* An id that says nothing about the contents ("" or all zeros). */
static int id_unknown(const char *id)
{
	return !*id || !strcmp(id, zero_id);
}

void sc_changeset_free(struct sc_changeset *cs)
{
	size_t i;

	if (!cs)
		return;
	for (i = 0; i < cs->n_changes; i++) {
		free(cs->changes[i].old_path);
		free(cs->changes[i].new_path);
	}
	free(cs->changes);
	sc_snapshot_free(cs->before);
	sc_snapshot_free(cs->after);
	free(cs);
}

static int idx_id_cmp(const void *a, const void *b)
{
	const struct sc_entry *x = *(const struct sc_entry *const *)a;
	const struct sc_entry *y = *(const struct sc_entry *const *)b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->path, y->path);
}

struct sc_changeset *sc_changeset_from_snapshots(enum sc_mode mode,
		struct sc_snapshot *before, struct sc_snapshot *after)
{
	struct sc_changeset *cs = sc_xcalloc(1, sizeof(*cs));
	const struct sc_entry **added = NULL, **deleted = NULL;
	size_t nadd = 0, ndel = 0, i = 0, j = 0, k, alloc = 0;
	unsigned char *used = NULL;

	cs->mode = mode;
	cs->before = before;
	cs->after = after;
	if (!before || !after)
		return cs;
	added = sc_xcalloc(after->n + 1, sizeof(*added));
	deleted = sc_xcalloc(before->n + 1, sizeof(*deleted));
	/* Both are sorted by path: one merge pass. */
	while (i < before->n || j < after->n) {
		const struct sc_entry *b = i < before->n ? &before->entries[i]
							  : NULL;
		const struct sc_entry *a = j < after->n ? &after->entries[j]
							 : NULL;
		int c = !b ? 1 : !a ? -1 : strcmp(b->path, a->path);

		if (c < 0) {
			deleted[ndel++] = b;
			i++;
		} else if (c > 0) {
			added[nadd++] = a;
			j++;
		} else {
			if (id_unknown(b->id) || strcmp(b->id, a->id))
				add_change(cs, &alloc, SC_CHANGE_MODIFIED,
					   b->path, a->path);
			i++;
			j++;
		}
	}
	/* Exact renames: a deleted and an added entry with the same id. */
	qsort(added, nadd, sizeof(*added), idx_id_cmp);
	used = sc_xcalloc(nadd + 1, 1);
	for (k = 0; k < ndel; k++) {
		const struct sc_entry *d = deleted[k];
		size_t lo = 0, hi = nadd;

		if (!id_unknown(d->id)) {
			while (lo < hi) {  /* first added with id >= d's */
				size_t mid = lo + (hi - lo) / 2;

				if (strcmp(added[mid]->id, d->id) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			while (lo < nadd && used[lo] &&
			       !strcmp(added[lo]->id, d->id))
				lo++;
		} else {
			lo = nadd;
		}
		if (lo < nadd && !strcmp(added[lo]->id, d->id)) {
			used[lo] = 1;
			add_change(cs, &alloc, SC_CHANGE_RENAMED, d->path,
				   added[lo]->path);
		} else {
			add_change(cs, &alloc, SC_CHANGE_DELETED, d->path,
				   NULL);
		}
	}
	for (k = 0; k < nadd; k++)
		if (!used[k])
			add_change(cs, &alloc, SC_CHANGE_ADDED, NULL,
				   added[k]->path);
	sort_changes(cs);
	free(used);
	free(added);
	free(deleted);
	return cs;
}

/*
 * The changes of a libgit2 diff between cs->before and cs->after, renames
 * found. A side counts only when it is a regular file of its snapshot, so
 * a file that became a symlink is DELETED, and a mode-only change (same
 * blob, same path) is no change at all.
 */
static int changes_from_diff(struct sc_changeset *cs, struct sc_repo *repo,
			     git_diff *diff)
{
	git_diff_find_options fopts;
	size_t i, n, alloc = 0;
	int error;

	if ((error = git_diff_find_options_init(&fopts,
			GIT_DIFF_FIND_OPTIONS_VERSION)) < 0)
		return git_fail(repo->root, "cannot compare trees");
	fopts.flags = GIT_DIFF_FIND_RENAMES;
	if ((error = git_diff_find_similar(diff, &fopts)) < 0)
		return git_fail(repo->root, "cannot detect renames");
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const struct sc_entry *o = NULL, *a = NULL;

		if (d->status != GIT_DELTA_ADDED)
			o = sc_snapshot_find(cs->before, d->old_file.path);
		if (d->status != GIT_DELTA_DELETED)
			a = sc_snapshot_find(cs->after, d->new_file.path);
		if (o && a) {
			if (strcmp(o->path, a->path))
				add_change(cs, &alloc, SC_CHANGE_RENAMED,
					   o->path, a->path);
			else if (strcmp(o->id, a->id))
				add_change(cs, &alloc, SC_CHANGE_MODIFIED,
					   o->path, a->path);
		} else if (o) {
			add_change(cs, &alloc, SC_CHANGE_DELETED, o->path,
				   NULL);
		} else if (a) {
			add_change(cs, &alloc, SC_CHANGE_ADDED, NULL, a->path);
		}
	}
	sort_changes(cs);
	return 0;
}

static int diff_options(git_diff_options *opts, struct sc_repo *repo)
{
	if (git_diff_options_init(opts, GIT_DIFF_OPTIONS_VERSION) < 0)
		return git_fail(repo->root, "cannot compare trees");
	opts->flags |= GIT_DIFF_INCLUDE_TYPECHANGE;
	opts->ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
	return 0;
}

static int fix_relative_index(struct sc_repo *repo);

/* libgit2's index (after fix_relative_index): for its diff. */
static int libgit2_index(git_index **out, struct sc_repo *repo)
{
	int error;

	*out = NULL;
	if (!repo->index_fixed) {
		if ((error = fix_relative_index(repo)) < 0)
			return error;
		repo->index_fixed = 1;
	}
	if (git_repository_index(out, repo->git) < 0)
		return git_fail(repo->root, "cannot read the index");
	return 0;
}

/*
 * The changes of --staged by libgit2's diff of HEAD's tree (NULL when
 * unborn) and the index, with its rename detection.
 */
static int staged_changes_libgit2(struct sc_changeset *cs,
				  struct sc_repo *repo, git_tree *tree)
{
	git_index *index = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	int error;

	if ((error = libgit2_index(&index, repo)) < 0 ||
	    (error = diff_options(&opts, repo)) < 0)
		goto out;
	if ((error = git_diff_tree_to_index(&diff, repo->git, tree, index,
					    &opts)) < 0) {
		error = git_fail(repo->root, "cannot compare HEAD and the "
				 "index");
		goto out;
	}
	error = changes_from_diff(cs, repo, diff);
out:
	git_diff_free(diff);
	git_index_free(index);
	return error;
}

struct head_walk {
	struct sc_repo *repo;
	struct sc_snapshot *s;
	size_t alloc;
	struct sc_buf path;         /* the folder being walked, with '/' */
	const struct sc_snapshot *after;
	const size_t *pos;          /* index entry -> its entry in after */
};

/*
 * Add the regular files of HEAD's tree `id` (at folder w->path) to w->s.
 * Where the index's cache-tree `node` says that the index has exactly
 * this tree under that folder, its entries [lo, hi) are taken instead of
 * reading the tree: a folder untouched by the commit costs nothing but a
 * copy, as in git's diff-index.
 */
static int head_walk(struct head_walk *w, const git_oid *id,
		     const struct sc_itree *node, size_t lo, size_t hi)
{
	const struct sc_gitindex *ix = w->repo->index;
	size_t i, n, base = w->path.len;
	git_tree *t = NULL;
	int error = 0;

	if (node && w->pos && node->entry_count >= 0 &&
	    (size_t)node->entry_count == hi - lo &&
	    !memcmp(node->oid, id->id, 20)) {
		/* the same entries as "after": shared, path and all */
		for (i = lo; i < hi; i++) {
			if (w->pos[i] == SIZE_MAX)
				continue;
			SC_ALLOC_GROW(w->s->entries, w->s->n + 1, w->alloc);
			w->s->entries[w->s->n++] = w->after->entries[w->pos[i]];
		}
		w->s->borrows_paths = 1;
		return 0;
	}
	if (git_tree_lookup(&t, w->repo->git, id) < 0)
		return git_fail(w->repo->root, "cannot read the tree of '%s' "
				"in HEAD", base ? w->path.buf : ".");
	n = git_tree_entrycount(t);
	for (i = 0; i < n && !error; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(te);
		size_t nlen = strlen(name), k, sub_lo, sub_hi;
		const struct sc_itree *sub = NULL;

		w->path.len = base;
		sc_buf_add(&w->path, name, nlen);
		if (is_regular_mode(git_tree_entry_filemode(te))) {
			snapshot_add_pooled(w->s, &w->alloc, w->path.buf,
					    w->path.len,
					    git_tree_entry_id(te)->id);
			continue;
		}
		if (git_tree_entry_filemode(te) != GIT_FILEMODE_TREE)
			continue;  /* symbolic links and submodules */
		for (k = 0; node && k < node->n_subs; k++)
			if (node->subs[k].name_len == nlen &&
			    !memcmp(node->subs[k].name, name, nlen)) {
				sub = &node->subs[k];
				break;
			}
		sc_gitindex_range(ix, w->path.buf, w->path.len, &sub_lo,
				  &sub_hi);
		sc_buf_addch(&w->path, '/');
		error = head_walk(w, git_tree_entry_id(te), sub, sub_lo,
				  sub_hi);
	}
	git_tree_free(t);
	w->path.len = base;
	if (w->path.buf)
		w->path.buf[base] = '\0';
	return error;
}

/*
 * The changes between two snapshots sorted by path, when there is no
 * rename to find: 1 and cs->changes set, or 0 when files were both
 * deleted and added (libgit2 must pair renames, exact or similar).
 */
static int simple_changes(struct sc_changeset *cs)
{
	const struct sc_snapshot *b = cs->before, *a = cs->after;
	size_t i = 0, j = 0, alloc = 0, n_del = 0, n_add = 0;

	while (i < b->n || j < a->n) {
		int c = i >= b->n ? 1 : j >= a->n ? -1
			: strcmp(b->entries[i].path, a->entries[j].path);

		if (c < 0) {
			n_del++;
			i++;
		} else if (c > 0) {
			n_add++;
			j++;
		} else {
			i++;
			j++;
		}
	}
	if (n_del && n_add)
		return 0;
	for (i = 0, j = 0; i < b->n || j < a->n;) {
		int c = i >= b->n ? 1 : j >= a->n ? -1
			: strcmp(b->entries[i].path, a->entries[j].path);

		if (c < 0) {
			add_change(cs, &alloc, SC_CHANGE_DELETED,
				   b->entries[i++].path, NULL);
		} else if (c > 0) {
			add_change(cs, &alloc, SC_CHANGE_ADDED, NULL,
				   a->entries[j++].path);
		} else {
			if (strcmp(b->entries[i].id, a->entries[j].id))
				add_change(cs, &alloc, SC_CHANGE_MODIFIED,
					   b->entries[i].path,
					   a->entries[j].path);
			i++;
			j++;
		}
	}
	sort_changes(cs);
	return 1;
}

/* HEAD's commit and its tree into *obj and *tree (owned by the caller). */
static int head_commit_tree(struct sc_repo *repo, git_object **obj,
			    git_tree **tree)
{
	if (git_revparse_single(obj, repo->git, "HEAD^{commit}") < 0)
		return git_fail(repo->root, "cannot read HEAD");
	if (git_commit_tree(tree, (git_commit *)*obj) < 0)
		return git_fail(repo->root, "cannot read HEAD's tree");
	return 0;
}

/*
 * --staged: HEAD's tree (empty when unborn) against the index. The index
 * is ours (gitindex.c); HEAD's tree is read only where the index's
 * cache-tree does not vouch for it; libgit2's diff runs only when files
 * were both deleted and added, to pair renames as it always has.
 */
static int load_staged(struct sc_changeset *cs, struct sc_repo *repo)
{
	git_object *obj = NULL;
	git_tree *tree = NULL;
	struct head_walk w;
	char hex[GIT_OID_HEXSZ + 1];
	size_t *pos = NULL;
	int unborn, error;

	memset(&w, 0, sizeof(w));
	if ((unborn = git_repository_head_unborn(repo->git)) < 0) {
		error = git_fail(repo->root, "cannot read HEAD");
		goto out;
	}
	pos = sc_xmalloc((repo->index->n + 1) * sizeof(*pos));
	if ((error = snapshot_from_index(&cs->after, repo, repo->index, 0,
					 pos)) < 0)
		goto out;
	if (unborn) {
		cs->before = sc_xcalloc(1, sizeof(*cs->before));
	} else {
		if ((error = head_commit_tree(repo, &obj, &tree)) < 0)
			goto out;
		w.repo = repo;
		w.after = cs->after;
		w.pos = repo->index->n && pos[0] == SIZE_MAX - 1 ? NULL : pos;
		w.s = cs->before = sc_xcalloc(1, sizeof(*cs->before));
		w.alloc = cs->after->n + 1;
		w.s->entries = sc_xmalloc(w.alloc * sizeof(*w.s->entries));
		sc_prefault(w.s->entries, w.alloc * sizeof(*w.s->entries));
		git_oid_tostr(hex, sizeof(hex), git_commit_id((git_commit *)obj));
		w.s->commit = sc_xstrdup(hex);
		sc_buf_adds(&w.path, "");
		if ((error = head_walk(&w, git_tree_id(tree), repo->index->tree,
				       0, repo->index->n)) < 0)
			goto out;
		snapshot_sort_if_needed(w.s);
	}
	if (!simple_changes(cs))
		error = staged_changes_libgit2(cs, repo, tree);
out:
	free(pos);
	sc_buf_release(&w.path);
	git_tree_free(tree);
	git_object_free(obj);
	return error;
}

int sc_changeset_load_libgit2(struct sc_changeset **out, struct sc_repo *repo)
{
	struct sc_changeset *cs = sc_xcalloc(1, sizeof(*cs));
	struct sc_gitindex *ix = NULL;
	git_object *obj = NULL;
	git_tree *tree = NULL;
	git_index *index = NULL;
	int unborn, error;

	*out = NULL;
	cs->mode = SC_MODE_STAGED;
	if (!repo->git) {
		error = sc_error_set("not a git repository");
		goto out;
	}
	if ((unborn = git_repository_head_unborn(repo->git)) < 0) {
		error = git_fail(repo->root, "cannot read HEAD");
		goto out;
	}
	if (unborn) {
		cs->before = sc_xcalloc(1, sizeof(*cs->before));
	} else if ((error = head_commit_tree(repo, &obj, &tree)) < 0 ||
		   (error = snapshot_from_commit(&cs->before, repo,
						 (git_commit *)obj)) < 0) {
		goto out;
	}
	if ((error = libgit2_index(&index, repo)) < 0)
		goto out;
	ix = gitindex_from_libgit2(index, NULL);
	if ((error = snapshot_from_index(&cs->after, repo, ix, 0, NULL)) < 0 ||
	    (error = staged_changes_libgit2(cs, repo, tree)) < 0)
		goto out;
	*out = cs;
	cs = NULL;
out:
	sc_gitindex_free(ix);
	git_index_free(index);
	git_tree_free(tree);
	git_object_free(obj);
	sc_changeset_free(cs);
	return error;
}

/* Resolve `spec` to a commit; SC_EUSAGE when it names none. */
static int resolve_commit(git_commit **out, struct sc_repo *repo,
			  const char *spec)
{
	git_object *obj = NULL;
	int error;

	*out = NULL;
	error = git_revparse_single(&obj, repo->git, spec);
	if (error == GIT_ENOTFOUND || error == GIT_EINVALIDSPEC ||
	    error == GIT_EUNBORNBRANCH)
		return sc_error_usage("unknown revision '%s'", spec);
	if (error == GIT_EAMBIGUOUS)
		return sc_error_usage("ambiguous revision '%s'", spec);
	if (error < 0)
		return git_fail(repo->root, "cannot resolve '%s'", spec);
	error = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (error < 0)
		return sc_error_usage("revision '%s' is not a commit", spec);
	return 0;
}

/*
 * --diff RANGE: "BASE", "BASE..HEAD" or "BASE...HEAD" (either side may be
 * empty, meaning HEAD). before = the merge base of the two, after = the
 * right side's tree.
 */
static int load_diff(struct sc_changeset *cs, struct sc_repo *repo,
		     const char *range)
{
	char *left = NULL, *right = NULL;
	const char *dots;
	git_commit *lc = NULL, *rc = NULL, *base = NULL;
	git_tree *btree = NULL, *rtree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	git_oid oid;
	int error;

	if (!range || !*range) {
		error = sc_error_usage("--diff needs a revision, such as "
				       "'origin/main'");
		goto out;
	}
	if ((dots = strstr(range, "..."))) {
		left = sc_xstrndup(range, (size_t)(dots - range));
		right = sc_xstrdup(dots + 3);
	} else if ((dots = strstr(range, ".."))) {
		left = sc_xstrndup(range, (size_t)(dots - range));
		right = sc_xstrdup(dots + 2);
	} else {
		left = sc_xstrdup(range);
		right = sc_xstrdup("HEAD");
	}
	if (!*left) {
		free(left);
		left = sc_xstrdup("HEAD");
	}
	if (!*right) {
		free(right);
		right = sc_xstrdup("HEAD");
	}
	if ((error = resolve_commit(&lc, repo, left)) < 0 ||
	    (error = resolve_commit(&rc, repo, right)) < 0)
		goto out;
	error = git_merge_base(&oid, repo->git, git_commit_id(lc),
			       git_commit_id(rc));
	if (error == GIT_ENOTFOUND) {
		error = sc_error_usage("no merge base between '%s' and '%s'",
				       left, right);
		goto out;
	}
	if (error < 0) {
		error = git_fail(repo->root, "cannot find the merge base of "
				 "'%s' and '%s'", left, right);
		goto out;
	}
	if ((error = git_commit_lookup(&base, repo->git, &oid)) < 0) {
		error = git_fail(repo->root, "cannot read the merge base");
		goto out;
	}
	if ((error = snapshot_from_commit(&cs->before, repo, base)) < 0 ||
	    (error = snapshot_from_commit(&cs->after, repo, rc)) < 0)
		goto out;
	if ((error = git_commit_tree(&btree, base)) < 0 ||
	    (error = git_commit_tree(&rtree, rc)) < 0) {
		error = git_fail(repo->root, "cannot read a commit's tree");
		goto out;
	}
	if ((error = diff_options(&opts, repo)) < 0)
		goto out;
	if ((error = git_diff_tree_to_tree(&diff, repo->git, btree, rtree,
					   &opts)) < 0) {
		error = git_fail(repo->root, "cannot compare '%s' and '%s'",
				 left, right);
		goto out;
	}
	error = changes_from_diff(cs, repo, diff);
out:
	git_diff_free(diff);
	git_tree_free(rtree);
	git_tree_free(btree);
	git_commit_free(base);
	git_commit_free(rc);
	git_commit_free(lc);
	free(right);
	free(left);
	return error;
}

/* --all: the tracked files as in the work tree, or a whole folder. */
static int load_all(struct sc_changeset *cs, struct sc_repo *repo)
{
	if (!repo->git) {
		char *dir = sc_cache_dir(repo);
		struct sc_dep *dirs = NULL;
		size_t n_dirs = 0, i;
		int error;

		/* recording: the folders are dependencies too (folder.h) */
		error = sc_folder_snapshot(&cs->after, repo->root, dir,
					   repo->deps_on ? &dirs : NULL,
					   &n_dirs);
		for (i = 0; i < n_dirs; i++) {
			sc_repo_note_dep(repo, dirs[i].path, &dirs[i].st);
			free(dirs[i].path);
		}
		free(dirs);
		free(dir);
		return error;
	}
	return snapshot_from_index(&cs->after, repo, repo->index, 1, NULL);
}

int sc_changeset_load(struct sc_changeset **out, struct sc_repo *repo,
		      enum sc_mode mode, const char *range)
{
	struct sc_changeset *cs = sc_xcalloc(1, sizeof(*cs));
	int error;

	*out = NULL;
	cs->mode = mode;
	if (mode != SC_MODE_ALL && !repo->git) {
		error = sc_error_set("not a git repository: '%s' (only --all "
				     "can check a plain folder)", repo->root);
		goto out;
	}
	switch (mode) {
	case SC_MODE_STAGED:
		error = load_staged(cs, repo);
		break;
	case SC_MODE_DIFF:
		error = load_diff(cs, repo, range);
		break;
	case SC_MODE_ALL:
		error = load_all(cs, repo);
		break;
	default:
		error = sc_error_set("unknown mode %d", (int)mode);
		break;
	}
	if (error < 0)
		goto out;
	*out = cs;
	cs = NULL;
out:
	sc_changeset_free(cs);
	return error;
}

/* ---- releases -------------------------------------------------------- */

/* A tag that matched the release glob, peeled to its commit. */
struct release_cand {
	char *name;       /* without "refs/tags/"; owned */
	git_oid commit;
	git_time_t time;  /* committer time of the commit */
};

struct tag_scan {
	struct sc_repo *repo;
	const char *glob;
	struct release_cand *v;
	size_t n, alloc;
};

static int tag_scan_cb(const char *refname, git_oid *oid, void *payload)
{
	struct tag_scan *ts = payload;
	const char *name = refname;
	git_object *obj = NULL;
	git_commit *commit = NULL;
	struct release_cand *c;

	if (!strncmp(name, "refs/tags/", 10))
		name += 10;
	if (fnmatch(ts->glob, name, 0))
		return 0;
	/*
	 * A tag of a tree or a blob is no release, and neither is one whose
	 * object is missing (a shallow clone): skip them, do not fail.
	 */
	if (git_object_lookup(&obj, ts->repo->git, oid, GIT_OBJECT_ANY) < 0 ||
	    git_object_peel((git_object **)&commit, obj,
			    GIT_OBJECT_COMMIT) < 0)
		goto out;
	SC_ALLOC_GROW(ts->v, ts->n + 1, ts->alloc);
	c = &ts->v[ts->n++];
	c->name = sc_xstrdup(name);
	git_oid_cpy(&c->commit, git_commit_id(commit));
	c->time = git_commit_time(commit);
out:
	git_error_clear();
	git_commit_free(commit);
	git_object_free(obj);
	return 0;
}

/* Newest first: later committer time, then the later version name. */
static int release_cand_cmp(const void *a, const void *b)
{
	const struct release_cand *x = a, *y = b;

	if (x->time != y->time)
		return x->time > y->time ? -1 : 1;
	return -strverscmp(x->name, y->name);
}

/*
 * Is commit `anc` the commit `of` or one of its ancestors? 1 or 0; a
 * history that cannot be walked (missing objects) counts as 0.
 */
static int is_ancestor(struct sc_repo *repo, const git_oid *anc,
		       const git_oid *of)
{
	int rc;

	if (git_oid_equal(anc, of))
		return 1;
	rc = git_graph_descendant_of(repo->git, of, anc);
	if (rc < 0) {
		git_error_clear();
		return 0;
	}
	return rc;
}

int sc_repo_find_release(struct sc_repo *repo, const char *from,
			 const char *glob, char **name,
			 struct sc_snapshot **snap)
{
	struct tag_scan ts;
	const struct release_cand *best = NULL;
	git_commit *commit = NULL;
	git_oid from_oid;
	size_t i;
	int error = 0;

	*name = NULL;
	*snap = NULL;
	memset(&ts, 0, sizeof(ts));
	ts.repo = repo;
	ts.glob = glob && *glob ? glob : "v*";
	if (!repo || !repo->git || !from)
		return 0;
	if (git_oid_fromstr(&from_oid, from) < 0)
		return sc_error_set("cannot find releases: '%s' is not a "
				    "commit id", from);
	if ((error = git_tag_foreach(repo->git, tag_scan_cb, &ts)) < 0) {
		error = git_fail(repo->root, "cannot list the tags");
		goto out;
	}
	if (ts.n > 1)
		qsort(ts.v, ts.n, sizeof(*ts.v), release_cand_cmp);
	for (i = 0; i < ts.n; i++) {
		const struct release_cand *c = &ts.v[i];

		if (best && c->time != best->time)
			break;
		if (best && git_oid_equal(&c->commit, &best->commit))
			continue;
		if (!is_ancestor(repo, &c->commit, &from_oid))
			continue;
		/* same time: only a descendant of the best so far is newer */
		if (!best || is_ancestor(repo, &best->commit, &c->commit))
			best = c;
	}
	if (!best)
		goto out;
	if ((error = git_commit_lookup(&commit, repo->git,
				       &best->commit)) < 0) {
		error = git_fail(repo->root, "cannot read the commit of tag "
				 "'%s'", best->name);
		goto out;
	}
	if ((error = snapshot_from_commit(snap, repo, commit)) < 0)
		goto out;
	*name = sc_xstrdup(best->name);
out:
	git_commit_free(commit);
	for (i = 0; i < ts.n; i++)
		free(ts.v[i].name);
	free(ts.v);
	return error;
}

/* ---- reading --------------------------------------------------------- */

static int read_blob(struct sc_repo *repo, const struct sc_entry *e,
		     char **data, size_t *len)
{
	git_blob *blob = NULL;
	git_object_t type;
	git_oid oid;
	size_t size;
	int error;

	if (id_unknown(e->id) || git_oid_fromstr(&oid, e->id) < 0)
		return sc_error_set("cannot read '%s': no blob id", e->path);
	if (!repo->odb && (error = git_repository_odb(&repo->odb,
						      repo->git)) < 0)
		return git_fail(repo->root, "cannot open the object database");
	/* The header only: a 50 MB blob is never loaded to learn its size. */
	if ((error = git_odb_read_header(&size, &type, repo->odb, &oid)) < 0)
		return git_fail(repo->root, "cannot read '%s' (%s)", e->path,
				e->id);
	if (type != GIT_OBJECT_BLOB)
		return sc_error_set("cannot read '%s': %s is not a blob",
				    e->path, e->id);
	if (size > SC_MAX_FILE_SIZE) {
		sc_error_set("'%s' is larger than %u MiB", e->path,
			     SC_MAX_FILE_SIZE >> 20);
		return SC_ETOOBIG;
	}
	if ((error = git_blob_lookup(&blob, repo->git, &oid)) < 0)
		return git_fail(repo->root, "cannot read '%s' (%s)", e->path,
				e->id);
	size = (size_t)git_blob_rawsize(blob);
	*data = sc_xmalloc(size + 1);
	memcpy(*data, git_blob_rawcontent(blob), size);
	(*data)[size] = '\0';
	*len = size;
	git_blob_free(blob);
	return 0;
}

int sc_repo_read(struct sc_repo *repo, const struct sc_snapshot *snap,
		 const struct sc_entry *e, char **data, size_t *len)
{
	int error;

	*data = NULL;
	*len = 0;
	if (snap->worktree) {
		struct stat st;
		struct sc_fstat fst;

		st.st_mode = 0;
		error = read_worktree(snap->root, e->path, data, len, &st);
		if (repo && repo->deps_on) {
			/* a file that could not be read is a dependency
			 * that never matches (all zeros): no report cache */
			if (S_ISREG(st.st_mode))
				sc_fstat_from(&fst, &st);
			else
				memset(&fst, 0, sizeof(fst));
			sc_repo_note_dep(repo, e->path, &fst);
		}
		return error;
	}
	if (!repo || !repo->git)
		return sc_error_set("cannot read '%s': no git repository",
				    e->path);
	pthread_mutex_lock(&repo->lock);
	error = read_blob(repo, e, data, len);
	pthread_mutex_unlock(&repo->lock);
	return error;
}

void sc_fstat_from(struct sc_fstat *f, const struct stat *st)
{
	memset(f, 0, sizeof(*f));
	f->mtime_s = st->st_mtim.tv_sec;
	f->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
	f->ctime_s = st->st_ctim.tv_sec;
	f->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
	f->size = (uint64_t)st->st_size;
	f->ino = (uint64_t)st->st_ino;
	f->dev = (uint64_t)st->st_dev;
}

/* ---- blob ids -------------------------------------------------------- */

static EVP_MD *sha1_md;
static pthread_once_t sha1_once = PTHREAD_ONCE_INIT;

/*
 * libcrypto set up on first use, without reading openssl.cnf (a few
 * milliseconds of a warm run; nothing in it matters for SHA-1), and
 * SHA-1 fetched once, not looked up again by every digest.
 */
static void sha1_fetch(void)
{
	OPENSSL_init_crypto(OPENSSL_INIT_NO_LOAD_CONFIG, NULL);
	sha1_md = EVP_MD_fetch(NULL, "SHA1", NULL);
}

const EVP_MD *sc_sha1_md(void)
{
	pthread_once(&sha1_once, sha1_fetch);
	return sha1_md;
}

void sc_blob_hash(const void *data, size_t len, unsigned char *oid)
{
	char hdr[32];
	int n = snprintf(hdr, sizeof(hdr), "blob %zu", len);
	const EVP_MD *md = sc_sha1_md();
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || !md || !EVP_DigestInit_ex(ctx, md, NULL) ||
	    !EVP_DigestUpdate(ctx, hdr, (size_t)n + 1) ||
	    !EVP_DigestUpdate(ctx, data, len) ||
	    !EVP_DigestFinal_ex(ctx, oid, NULL)) {
		/* libcrypto without SHA-1: libgit2's own hash */
		git_oid id;

		if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) < 0)
			sc_die_oom();
		memcpy(oid, id.id, 20);
	}
	EVP_MD_CTX_free(ctx);
}

/* 0-15 for a lowercase hex digit, 16 for anything else */
static unsigned char hexval[256];
static pthread_once_t hexval_once = PTHREAD_ONCE_INIT;

static void hexval_init(void)
{
	int c;

	memset(hexval, 16, sizeof(hexval));
	for (c = 0; c < 16; c++)
		hexval[(unsigned char)hex_digits[c]] = (unsigned char)c;
}

int sc_oid_fromhex(unsigned char *oid, const char *hex)
{
	const unsigned char *h = (const unsigned char *)hex;
	size_t i;

	pthread_once(&hexval_once, hexval_init);
	for (i = 0; i < 20; i++) {
		unsigned hi = hexval[h[2 * i]], lo;

		if (hi == 16)
			return -1;  /* also stops at the NUL of a short id */
		lo = hexval[h[2 * i + 1]];
		if (lo == 16)
			return -1;
		oid[i] = (unsigned char)(hi << 4 | lo);
	}
	return hex[40] ? -1 : 0;
}

/* ---- the repository -------------------------------------------------- */

/*
 * Git resolves a relative GIT_INDEX_FILE (git commit -a exports
 * ".git/index.lock") against the top of the work tree, where it runs
 * hooks; libgit2 resolves it against our current folder. When the two
 * differ, load the index git meant.
 */
static int fix_relative_index(struct sc_repo *repo)
{
	const char *env = getenv("GIT_INDEX_FILE");
	git_index *index = NULL;
	char *cwd = NULL, *path = NULL;
	int error = 0;

	if (!env || !*env || *env == '/')
		return 0;
	cwd = realpath(".", NULL);
	if (cwd && !strcmp(cwd, repo->root))
		goto out;
	path = sc_xasprintf("%s/%s", repo->root, env);
	if ((error = git_index_open(&index, path)) < 0) {
		error = git_fail(repo->root, "cannot read the index '%s'",
				 path);
		goto out;
	}
	if ((error = git_repository_set_index(repo->git, index)) < 0)
		error = git_fail(repo->root, "cannot use the index '%s'", path);
out:
	git_index_free(index);
	free(path);
	free(cwd);
	return error;
}

/*
 * The git folder that GIT_REPOSITORY_OPEN_FROM_ENV would use for realdir
 * (GIT_DIR, or discovered upwards), without opening it, or NULL. Owned.
 */
static char *find_gitdir(const char *realdir)
{
	const char *env = getenv("GIT_DIR"), *across;
	git_buf buf = GIT_BUF_INIT;
	char *out = NULL;

	if (env && *env)
		return realpath(env, NULL);
	across = getenv("GIT_DISCOVERY_ACROSS_FILESYSTEM");
	if (!git_repository_discover(&buf, realdir,
				     across && !strcmp(across, "true"),
				     getenv("GIT_CEILING_DIRECTORIES")))
		out = sc_xstrdup(buf.ptr);
	git_buf_dispose(&buf);
	return out;
}

/* How to name a repository from its git folder: "/w" for "/w/.git/". */
static char *repo_name(const char *gitdir)
{
	size_t n = strlen(gitdir);

	while (n > 1 && gitdir[n - 1] == '/')
		n--;
	if (n > 5 && !strncmp(gitdir + n - 5, "/.git", 5))
		n -= 5;
	return sc_xstrndup(gitdir, n);
}

/*
 * libgit2 1.5 refuses a repository (format version 1) with an extension it
 * does not know, and leaks memory while it finds out (its pcre2 matcher
 * drops its match data on a mismatch). Look at the configuration first
 * and refuse with a message that says which extension. 0 when nothing is
 * wrong or the repository cannot be found here (open will tell).
 */
static int check_extensions(const char *gitdir)
{
	const char *env = getenv("GIT_COMMON_DIR");
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *entry;
	struct sc_buf common = SC_BUF_INIT;
	char *path = NULL, *name = NULL, *link;
	int32_t version = 0;
	FILE *f;
	int error = 0;

	if (env && *env) {
		sc_buf_adds(&common, env);
	} else {
		link = sc_xasprintf("%s/commondir", gitdir);
		if ((f = fopen(link, "r"))) {
			char line[PATH_MAX];

			if (fgets(line, sizeof(line), f)) {
				line[strcspn(line, "\r\n")] = '\0';
				if (*line != '/')
					sc_buf_addf(&common, "%s/", gitdir);
				sc_buf_adds(&common, line);
			}
			fclose(f);
		}
		free(link);
		if (!common.len)
			sc_buf_adds(&common, gitdir);
	}
	path = sc_xasprintf("%s/config", common.buf);
	if (access(path, F_OK) < 0 || git_config_open_ondisk(&cfg, path) < 0 ||
	    git_config_get_int32(&version, cfg, "core.repositoryformatversion")
	    < 0 || version < 1 || git_config_iterator_new(&it, cfg) < 0)
		goto out;
	while (!error && !git_config_next(&entry, it)) {
		const char *ext = entry->name + 11;

		if (strncasecmp(entry->name, "extensions.", 11) ||
		    !strcasecmp(ext, "noop"))
			continue;
		name = repo_name(gitdir);
		if (!strcasecmp(ext, "objectformat"))
			error = sc_error_set("repository '%s' uses %s object "
					     "ids, which libgit2 1.5 cannot "
					     "read", name, entry->value);
		else
			error = sc_error_set("repository '%s' uses the "
					     "repository extension '%s', which "
					     "libgit2 1.5 cannot read", name,
					     ext);
	}
out:
	git_config_iterator_free(it);
	git_config_free(cfg);
	sc_buf_release(&common);
	free(name);
	free(path);
	return error;
}

/*
 * The index git uses: $GIT_INDEX_FILE (a relative one from the top of
 * the work tree, where git runs hooks: see fix_relative_index), else
 * <git dir>/index. Owned by the caller.
 */
static char *index_path(const struct sc_repo *repo)
{
	const char *env = getenv("GIT_INDEX_FILE");

	if (env && *env)
		return *env == '/' ? sc_xstrdup(env)
				   : sc_xasprintf("%s/%s", repo->root, env);
	return sc_xasprintf("%sindex", repo->gitdir);
}

int sc_repo_open(struct sc_repo **out, const char *dir, int allow_plain)
{
	struct sc_repo *repo = sc_xcalloc(1, sizeof(*repo));
	git_index *index = NULL;
	char *realdir = NULL, *found = NULL, *ipath = NULL;
	const char *common;
	const char *gitdir_env = getenv("GIT_DIR"), *path;
	size_t rlen;
	int error;

	*out = NULL;
	pthread_mutex_init(&repo->lock, NULL);
	if ((error = real_path(&realdir, dir)) < 0)
		goto out;
	if ((found = find_gitdir(realdir)) &&
	    (error = check_extensions(found)) < 0)
		goto out;
	error = git_repository_open_ext(&repo->git, realdir,
					GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	if (error == GIT_ENOTFOUND && strstr(git_msg(), "safe.directory")) {
		/* libgit2 1.5's way of saying "dubious ownership" */
		char *name = repo_name(found ? found : realdir);

		error = git_fail(name, "cannot open '%s'", name);
		free(name);
		goto out;
	}
	if (error == GIT_ENOTFOUND && gitdir_env && *gitdir_env) {
		error = sc_error_set("not a git repository: '%s' (from "
				     "GIT_DIR)", gitdir_env);
		goto out;
	}
	if (error == GIT_ENOTFOUND) {
		if (!allow_plain) {
			error = sc_error_set("not a git repository (or any "
					     "parent up to mount point): '%s'",
					     dir);
			goto out;
		}
		repo->root = realdir;
		realdir = NULL;
		repo->prefix = sc_xstrdup("");
		error = 0;
		goto done;
	}
	if (error < 0) {
		error = git_fail(realdir, "cannot open the repository at '%s'",
				 realdir);
		goto out;
	}
	path = git_repository_path(repo->git);
	if (git_repository_is_bare(repo->git) ||
	    !git_repository_workdir(repo->git)) {
		char *name = repo_name(path);

		error = sc_error_set("bare repository '%s' has no work tree",
				     name);
		free(name);
		goto out;
	}
	repo->gitdir = sc_ends_with(path, "/") ? sc_xstrdup(path)
					       : sc_xasprintf("%s/", path);
	common = git_repository_commondir(repo->git);
	if (!common)
		common = path;
	repo->commondir = sc_ends_with(common, "/") ? sc_xstrdup(common)
						    : sc_xasprintf("%s/", common);
	if ((error = real_path(&repo->root,
			       git_repository_workdir(repo->git))) < 0)
		goto out;
	rlen = strlen(repo->root);
	if (!strcmp(repo->root, "/"))
		repo->prefix = sc_xasprintf("%s/", realdir + 1);
	else if (!strncmp(realdir, repo->root, rlen) && realdir[rlen] == '/')
		repo->prefix = sc_xasprintf("%s/", realdir + rlen + 1);
	else
		repo->prefix = sc_xstrdup("");  /* the root, or outside it */
	if (!strcmp(repo->prefix, "/") || sc_starts_with(repo->prefix, ".git/"))
		repo->prefix[0] = '\0';
	/* Read the index now: an unreadable layout fails here, clearly. */
	ipath = index_path(repo);
	error = sc_gitindex_read(&repo->index, ipath);
	if (error == SC_GITINDEX_UNSUPPORTED) {
		/* libgit2 says what is wrong, or reads it after all */
		if ((error = libgit2_index(&index, repo)) < 0)
			goto out;
		repo->index = gitindex_from_libgit2(index, ipath);
	} else if (error < 0) {
		goto out;
	}
done:
	*out = repo;
	repo = NULL;
out:
	git_index_free(index);
	free(ipath);
	free(found);
	free(realdir);
	sc_repo_free(repo);
	return error;
}

void sc_repo_free(struct sc_repo *repo)
{
	if (!repo)
		return;
	git_odb_free(repo->odb);
	git_repository_free(repo->git);
	free(repo->root);
	free(repo->prefix);
	free(repo->gitdir);
	free(repo->commondir);
	sc_gitindex_free(repo->index);
	while (repo->n_deps)
		free(repo->deps[--repo->n_deps].path);
	free(repo->deps);
	pthread_mutex_destroy(&repo->lock);
	free(repo);
}

int sc_repo_is_git(const struct sc_repo *repo)
{
	return repo && repo->git != NULL;
}

const char *sc_repo_root(const struct sc_repo *repo)
{
	return repo->root;
}

const char *sc_repo_prefix(const struct sc_repo *repo)
{
	return repo->prefix;
}

const char *sc_repo_gitdir(const struct sc_repo *repo)
{
	return repo->gitdir;
}

const char *sc_repo_commondir(const struct sc_repo *repo)
{
	return repo->commondir;
}

void sc_repo_record_deps(struct sc_repo *repo)
{
	repo->deps_on = 1;
}

void sc_repo_note_dep(struct sc_repo *repo, const char *path,
		      const struct sc_fstat *st)
{
	struct sc_dep *d;

	if (!repo || !repo->deps_on)
		return;
	pthread_mutex_lock(&repo->lock);
	SC_ALLOC_GROW(repo->deps, repo->n_deps + 1, repo->a_deps);
	d = &repo->deps[repo->n_deps++];
	d->path = sc_xstrdup(path);
	d->st = *st;
	pthread_mutex_unlock(&repo->lock);
}

const struct sc_dep *sc_repo_deps(const struct sc_repo *repo, size_t *n)
{
	*n = repo->n_deps;
	return repo->deps;
}

/* Expand a leading "~" or "~user" the way git does for path values. */
static int expand_home(char **out, const char *value)
{
	const char *slash, *home = NULL;
	struct passwd *pw;
	char *user;

	*out = NULL;
	if (value[0] != '~') {
		*out = sc_xstrdup(value);
		return 0;
	}
	slash = strchr(value, '/');
	if (!slash)
		slash = value + strlen(value);
	if (slash == value + 1) {
		home = getenv("HOME");
		if ((!home || !*home) && (pw = getpwuid(getuid())))
			home = pw->pw_dir;
	} else {
		user = sc_xstrndup(value + 1, (size_t)(slash - value - 1));
		pw = getpwnam(user);
		free(user);
		if (pw)
			home = pw->pw_dir;
	}
	if (!home || !*home)
		return sc_error_set("cannot expand '%s' in core.hooksPath",
				    value);
	*out = sc_xasprintf("%s%s", home, slash);
	return 0;
}

int sc_repo_hooks_dir(struct sc_repo *repo, char **out)
{
	git_config *cfg = NULL;
	const char *value = NULL, *common;
	char *path = NULL;
	size_t n;
	int error;

	*out = NULL;
	if (!repo->git)
		return sc_error_set("not a git repository: '%s'", repo->root);
	if ((error = git_repository_config_snapshot(&cfg, repo->git)) < 0) {
		error = git_fail(repo->root, "cannot read the configuration");
		goto out;
	}
	error = git_config_get_string(&value, cfg, "core.hooksPath");
	if (error < 0 && error != GIT_ENOTFOUND) {
		error = git_fail(repo->root, "cannot read core.hooksPath");
		goto out;
	}
	if (error == GIT_ENOTFOUND || !value || !*value) {
		/* Linked work trees share the common dir's hooks. */
		common = git_repository_commondir(repo->git);
		path = sc_xasprintf("%s%shooks", common,
				    sc_ends_with(common, "/") ? "" : "/");
		error = 0;
	} else {
		char *expanded = NULL;

		if ((error = expand_home(&expanded, value)) < 0)
			goto out;
		if (*expanded == '/') {
			path = expanded;
		} else {
			/* Relative to where hooks run: the work tree top. */
			path = sc_xasprintf("%s/%s", repo->root,
					    sc_starts_with(expanded, "./")
					    ? expanded + 2 : expanded);
			free(expanded);
		}
	}
	n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	*out = path;
	path = NULL;
out:
	free(path);
	git_config_free(cfg);
	return error;
}

void sc_gitsrc_global_init(void)
{
	git_libgit2_init();
}

void sc_gitsrc_global_shutdown(void)
{
	git_libgit2_shutdown();
	if (sha1_md) {
		EVP_MD_free(sha1_md);
		sha1_md = NULL;
	}
}
