/*
 * folder.c: the snapshot of a plain folder (see folder.h).
 *
 * A few threads share a stack of folders still to read. A thread takes a
 * folder, lists it, pushes the sub-folders and appends its regular files
 * with their stat data to a shared array; the array is sorted by path at
 * the end, so the snapshot is the same whatever the threads did first.
 * Paths live in per-thread pools of large blocks instead of one
 * allocation each.
 *
 * Listing a folder costs more than asking for its stat data, so the
 * listings are cached (dirs-<hash of the folder> in the cache folder,
 * like the stat cache): a folder whose stat data (device, inode, mtime,
 * ctime) is what it was when it was listed has the same entries, since
 * creating, deleting or renaming an entry changes its folder's mtime and
 * ctime. Folders changed in the last seconds are not cached (a change in
 * the same timestamp tick could go unseen). Files are not stat'ed here
 * (readdir gives their type): a change of contents does not touch the
 * folder, so whoever needs to know stats the files it depends on (the
 * stat cache of units.c, the report cache of runcache.c).
 *
 * The cache file: a 64-byte header, the folder's own path, then one
 * record per folder sorted by path: its relative path, its stat data and
 * its entries (type and name); then the records' offsets, for a binary
 * search. A checksum covers everything after the header.
 */
#include "folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "err.h"
#include "util.h"
#include "workpool.h"

#define POOL_BLOCK (64u << 10)
#define DIRS_MAGIC "SCDIRS1\n"
#define DIRS_VERSION 1u
#define DIRS_HDR 64u
#define RACY_SECONDS 2

/* Blocks of NUL-terminated paths; the snapshot owns the chain. */
struct sc_pathpool {
	struct sc_pathpool *next;
	size_t used, size;
	char data[];
};

void sc_pathpool_free(struct sc_pathpool *p)
{
	while (p) {
		struct sc_pathpool *next = p->next;

		free(p);
		p = next;
	}
}

/* A copy of "dir/name" (or "name" when dir is "") in *pool. */
static char *pool_path(struct sc_pathpool **pool, const char *dir,
		       size_t dlen, const char *name, size_t nlen)
{
	size_t need = dlen + (dlen ? 1 : 0) + nlen + 1;
	struct sc_pathpool *p = *pool;
	char *s;

	if (!p || p->size - p->used < need) {
		size_t size = need > POOL_BLOCK ? need : POOL_BLOCK;

		p = sc_xmalloc(sizeof(*p) + size);
		p->next = *pool;
		p->used = 0;
		p->size = size;
		*pool = p;
	}
	s = p->data + p->used;
	p->used += need;
	if (dlen) {
		memcpy(s, dir, dlen);
		s[dlen] = '/';
		memcpy(s + dlen + 1, name, nlen);
	} else {
		memcpy(s, name, nlen);
	}
	s[need - 1] = '\0';
	return s;
}

char *sc_pathpool_add(struct sc_pathpool **pool, const char *s, size_t n)
{
	return pool_path(pool, "", 0, s, n);
}

/* An entry of a folder: a regular file or a sub-folder. */
struct dent {
	const char *path;           /* rel path, in a pool */
	uint32_t name_off;          /* where its name starts in path */
	uint16_t name_len;
	uint8_t is_dir;
};

/* A folder read: its entries (sorted at the end, then walked in order). */
struct dnode {
	const char *rel;            /* in a pool */
	size_t rlen;
	struct dent *ents;          /* owned */
	size_t n;
};

/* ---- the listing cache ------------------------------------------------- */

struct dirs_hdr {
	char magic[8];
	uint32_t version;
	uint32_t hdr_size;
	uint32_t n;                 /* folders */
	uint32_t root_len;
	uint64_t body_size;
	uint64_t checksum;          /* of the body */
	unsigned char reserved[24];
};
_Static_assert(sizeof(struct dirs_hdr) == DIRS_HDR, "dirs header size");

/* A folder's stat data as stored (and compared). */
struct dstat {
	int64_t mtime_s, ctime_s;
	uint32_t mtime_ns, ctime_ns;
	uint64_t ino, dev;
};

struct dirs_cache {
	void *map;
	size_t len;
	const unsigned char *body;
	uint64_t body_size;
	const uint32_t *offs;       /* of the records, sorted by path */
	uint32_t n;
};

/*
 * A record: u32 path length, the path, struct dstat, u32 entries, then
 * per entry u8 type (DT_REG or DT_DIR), u16 name length, the name.
 */
static const unsigned char *rec_path(const struct dirs_cache *dc, uint32_t i,
				     uint32_t *len)
{
	const unsigned char *p = dc->body + dc->offs[i];

	memcpy(len, p, 4);
	return p + 4;
}

static int dirs_load(struct dirs_cache *dc, const char *file,
		     const char *root)
{
	const struct dirs_hdr *h;
	struct stat st;
	size_t rl = strlen(root);
	uint64_t table, i;
	int fd;

	memset(dc, 0, sizeof(*dc));
	fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)DIRS_HDR || st.st_size > (off_t)(256u << 20)) {
		close(fd);
		return -1;
	}
	dc->len = (size_t)st.st_size;
	dc->map = mmap(NULL, dc->len, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		       fd, 0);
	close(fd);
	if (dc->map == MAP_FAILED) {
		dc->map = NULL;
		return -1;
	}
	h = dc->map;
	table = (uint64_t)h->n * 4;
	if (memcmp(h->magic, DIRS_MAGIC, 8) || h->version != DIRS_VERSION ||
	    h->hdr_size != DIRS_HDR || h->root_len != rl ||
	    DIRS_HDR + h->body_size != dc->len || h->body_size < rl + table ||
	    sc_cache_checksum((const char *)dc->map + DIRS_HDR,
			      (size_t)h->body_size) != h->checksum ||
	    memcmp((const char *)dc->map + DIRS_HDR, root, rl))
		goto bad;
	dc->body = (const unsigned char *)dc->map + DIRS_HDR;
	dc->body_size = h->body_size;
	dc->n = h->n;
	dc->offs = (const uint32_t *)(dc->body + dc->body_size - table);
	if ((uintptr_t)dc->offs % 4)
		goto bad;
	for (i = 0; i < dc->n; i++) {
		uint64_t o = dc->offs[i];
		uint32_t plen;

		if (o < rl || o + 4 > dc->body_size - table)
			goto bad;
		memcpy(&plen, dc->body + o, 4);
		if (o + 4 + plen + sizeof(struct dstat) + 4 >
		    dc->body_size - table)
			goto bad;
	}
	return 0;
bad:
	munmap(dc->map, dc->len);
	memset(dc, 0, sizeof(*dc));
	return -1;
}

static void dirs_unload(struct dirs_cache *dc)
{
	if (dc->map)
		munmap(dc->map, dc->len);
	memset(dc, 0, sizeof(*dc));
}

/* The record of folder `rel`, or -1. */
static long dirs_find(const struct dirs_cache *dc, const char *rel,
		      size_t rlen)
{
	size_t lo = 0, hi = dc->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		uint32_t plen;
		const unsigned char *p = rec_path(dc, (uint32_t)mid, &plen);
		int d = memcmp(p, rel, plen < rlen ? plen : rlen);

		if (!d)
			d = plen < rlen ? -1 : plen > rlen;
		if (!d)
			return (long)mid;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- the walk ------------------------------------------------------------ */

/* One thread's findings in the folder it reads, and its paths. */
struct local {
	struct dent *v;             /* the folder being read */
	size_t n, alloc;
	struct sc_pathpool *pool;
	struct sc_buf rec;          /* the folder's listing as a record */
};

/* A listing for the new cache: a record of the old one, or a new one. */
struct listing {
	const char *path;           /* rel path (in the record) */
	size_t path_len;
	const unsigned char *rec;   /* the record */
	size_t rec_len;
	unsigned char *owned;       /* when new */
};

struct walk {
	const char *root;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char **stack;               /* folders to read (rel paths, owned) */
	size_t n_stack, a_stack;
	unsigned busy;              /* threads reading a folder */
	int error;
	char *errmsg;
	struct local *locals;
	struct dnode *nodes;        /* every folder read, under the lock */
	size_t n_nodes, a_nodes;
	struct dirs_cache old;      /* the cached listings (may be empty) */
	struct listing *lists;      /* this walk's, for the new cache */
	size_t n_lists, a_lists;
	int changed;                /* the new cache differs from the old */
	time_t now;
	struct sc_dep *dirs;        /* every folder walked, when wanted */
	size_t n_dirs, a_dirs;
	int want_dirs;
};

static int is_vcs_dir(const char *name)
{
	return !strcmp(name, ".git") || !strcmp(name, ".hg") ||
	       !strcmp(name, ".svn") || !strcmp(name, ".bzr");
}

/* Open folder `full` for reading without following symbolic links. */
static int open_dir(const char *full)
{
	static int have_openat2 = 1;
	int fd = -1;

	if (__atomic_load_n(&have_openat2, __ATOMIC_RELAXED)) {
		struct open_how how;

		memset(&how, 0, sizeof(how));
		how.flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
		how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
		fd = (int)syscall(SYS_openat2, AT_FDCWD, full, &how,
				  sizeof(how));
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM &&
				errno != E2BIG))
			return fd;
		__atomic_store_n(&have_openat2, 0, __ATOMIC_RELAXED);
	}
	return open(full, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

static void dstat_from(struct dstat *d, const struct stat *st)
{
	memset(d, 0, sizeof(*d));
	d->mtime_s = st->st_mtim.tv_sec;
	d->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
	d->ctime_s = st->st_ctim.tv_sec;
	d->ctime_ns = (uint32_t)st->st_ctim.tv_nsec;
	d->ino = (uint64_t)st->st_ino;
	d->dev = (uint64_t)st->st_dev;
}

/* What getdents64(2) returns. */
struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/*
 * Take entry `name` (type DT_REG, DT_DIR, or DT_UNKNOWN, which is
 * stat'ed through dfd) of folder rel: both go to lo->v, a sub-folder
 * also to *subs. Returns the type it was (DT_REG, DT_DIR, or 0 when
 * skipped).
 */
static unsigned char take(struct local *lo, const char *rel, size_t rlen,
			  int dfd, const char *name, size_t nlen,
			  unsigned char type, char ***subs, size_t *n_subs,
			  size_t *a_subs)
{
	struct dent *f;
	struct stat st;

	if (type == DT_DIR) {
		if (is_vcs_dir(name))
			return 0;
		SC_ALLOC_GROW(*subs, *n_subs + 1, *a_subs);
		(*subs)[(*n_subs)++] = rlen ? sc_xasprintf("%s/%s", rel, name)
					    : sc_xstrdup(name);
		SC_ALLOC_GROW(lo->v, lo->n + 1, lo->alloc);
		f = &lo->v[lo->n++];
		f->path = pool_path(&lo->pool, rel, rlen, name, nlen);
		f->name_off = (uint32_t)(rlen ? rlen + 1 : 0);
		f->name_len = (uint16_t)nlen;
		f->is_dir = 1;
		return DT_DIR;
	}
	if (!strcmp(name, ".git"))
		return 0;
	if (type == DT_UNKNOWN) {
		if (dfd < 0 || fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			return 0;  /* vanished */
		if (S_ISDIR(st.st_mode))
			return take(lo, rel, rlen, dfd, name, nlen, DT_DIR, subs,
				    n_subs, a_subs);
		if (!S_ISREG(st.st_mode))
			return 0;  /* symlinks, sockets, devices, FIFOs */
	} else if (type != DT_REG) {
		return 0;
	}
	SC_ALLOC_GROW(lo->v, lo->n + 1, lo->alloc);
	f = &lo->v[lo->n++];
	f->path = pool_path(&lo->pool, rel, rlen, name, nlen);
	f->name_off = (uint32_t)(rlen ? rlen + 1 : 0);
	f->name_len = (uint16_t)nlen;
	f->is_dir = 0;
	return DT_REG;
}

/* Append an entry to the listing record being built. */
static void rec_entry(struct sc_buf *rec, unsigned char type,
		      const char *name, size_t nlen)
{
	uint16_t n = (uint16_t)nlen;

	sc_buf_addch(rec, (char)type);
	sc_buf_add(rec, &n, 2);
	sc_buf_add(rec, name, nlen);
}

/*
 * List folder `rel`: files into `lo`, sub-folders into *subs, from the
 * cached listing when the folder is unchanged. Returns 0, or -1 with
 * *msg (owned) set.
 */
static int scan(struct walk *w, struct local *lo, const char *rel,
		char ***subs, size_t *n_subs, size_t *a_subs, char **msg)
{
	size_t rlen = strlen(rel), root_len = strlen(w->root), flen;
	char buf[32768] __attribute__((aligned(8)));
	struct listing l;
	struct stat st;
	struct dstat ds;
	long got, k;
	char *full;
	int lfd = -1, error = 0, racy;
	uint32_t count = 0;

	memset(&l, 0, sizeof(l));
	/* root/rel */
	full = sc_xmalloc(root_len + rlen + 2);
	memcpy(full, w->root, root_len);
	flen = root_len;
	if (rlen) {
		full[flen++] = '/';
		memcpy(full + flen, rel, rlen);
		flen += rlen;
	}
	full[flen] = '\0';
	if (lstat(full, &st) < 0 || !S_ISDIR(st.st_mode))
		goto out;  /* replaced while we walked */
	dstat_from(&ds, &st);
	if (w->want_dirs) {
		struct sc_dep *d;

		pthread_mutex_lock(&w->lock);
		SC_ALLOC_GROW(w->dirs, w->n_dirs + 1, w->a_dirs);
		d = &w->dirs[w->n_dirs++];
		d->path = sc_xasprintf("%s/", rel);
		memset(&d->st, 0, sizeof(d->st));
		d->st.mtime_s = ds.mtime_s;
		d->st.mtime_ns = ds.mtime_ns;
		d->st.ctime_s = ds.ctime_s;
		d->st.ctime_ns = ds.ctime_ns;
		d->st.ino = ds.ino;
		d->st.dev = ds.dev;
		pthread_mutex_unlock(&w->lock);
	}
	racy = st.st_mtim.tv_sec >= w->now - RACY_SECONDS ||
	       st.st_ctim.tv_sec >= w->now - RACY_SECONDS;
	k = racy ? -1 : dirs_find(&w->old, rel, rlen);
	if (k >= 0) {
		uint32_t plen, n, i;
		const unsigned char *p = rec_path(&w->old, (uint32_t)k, &plen);
		const unsigned char *end = w->old.body + w->old.body_size;
		struct dstat cached;

		memcpy(&cached, p + plen, sizeof(cached));
		if (!memcmp(&cached, &ds, sizeof(ds))) {
			/* unchanged: the cached entries, no listing */
			const unsigned char *q = p + plen + sizeof(cached);

			memcpy(&n, q, 4);
			q += 4;
			for (i = 0; i < n; i++) {
				uint16_t nlen;
				char name[NAME_MAX + 1];

				if (end - q < 3)
					break;
				memcpy(&nlen, q + 1, 2);
				if (nlen > NAME_MAX || end - q < 3 + nlen ||
				    (q[0] != DT_REG && q[0] != DT_DIR))
					break;
				memcpy(name, q + 3, nlen);
				name[nlen] = '\0';
				take(lo, rel, rlen, -1, name, nlen, q[0], subs,
				     n_subs, a_subs);
				q += 3 + nlen;
			}
			if (i == n) {
				l.path = (const char *)p;
				l.path_len = plen;
				l.rec = p - 4;
				l.rec_len = (size_t)(q - (p - 4));
				goto keep;
			}
			/* a damaged record: list the folder after all */
			lo->n = 0;
			while (*n_subs)
				free((*subs)[--*n_subs]);
		}
	}
	lfd = open_dir(full);
	if (lfd < 0) {
		if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR)
			goto out;  /* replaced while we walked */
		*msg = sc_xasprintf("cannot read folder '%s': %s", full,
				    strerror(errno));
		error = -1;
		goto out;
	}
	/* the record: path, stat data, entry count (filled in below) */
	sc_buf_reset(&lo->rec);
	{
		uint32_t pl = (uint32_t)rlen;

		sc_buf_add(&lo->rec, &pl, 4);
		sc_buf_add(&lo->rec, rel, rlen);
		sc_buf_add(&lo->rec, &ds, sizeof(ds));
		sc_buf_add(&lo->rec, &count, 4);
	}
	while ((got = syscall(SYS_getdents64, lfd, buf, sizeof(buf))) > 0) {
		long off;

		for (off = 0; off < got;) {
			struct linux_dirent64 *de = (void *)(buf + off);
			const char *name = de->d_name;
			size_t nlen = strlen(name);
			unsigned char type = de->d_type, kept;

			off += de->d_reclen;
			if (!strcmp(name, ".") || !strcmp(name, ".."))
				continue;
			if (type != DT_REG && type != DT_DIR &&
			    type != DT_UNKNOWN)
				continue;  /* symlinks, sockets, FIFOs... */
			kept = take(lo, rel, rlen, lfd, name, nlen, type, subs,
				    n_subs, a_subs);
			if (kept) {
				rec_entry(&lo->rec, kept, name, nlen);
				count++;
			}
		}
	}
	if (got < 0) {
		*msg = sc_xasprintf("cannot read folder '%s%s%s': %s", w->root,
				    *rel ? "/" : "", rel, strerror(errno));
		error = -1;
		goto out;
	}
	if (racy) {
		pthread_mutex_lock(&w->lock);
		w->changed = 1;  /* not cached: it may change unseen */
		pthread_mutex_unlock(&w->lock);
		goto out;
	}
	memcpy(lo->rec.buf + 4 + rlen + sizeof(ds), &count, 4);
	l.owned = sc_xmalloc(lo->rec.len);
	memcpy(l.owned, lo->rec.buf, lo->rec.len);
	l.rec = l.owned;
	l.rec_len = lo->rec.len;
	l.path = (const char *)l.owned + 4;
	l.path_len = rlen;
keep:
	pthread_mutex_lock(&w->lock);
	if (l.owned)
		w->changed = 1;
	SC_ALLOC_GROW(w->lists, w->n_lists + 1, w->a_lists);
	w->lists[w->n_lists++] = l;
	pthread_mutex_unlock(&w->lock);
	l.owned = NULL;
out:
	free(l.owned);
	if (lfd >= 0)
		close(lfd);
	free(full);
	return error;
}

static void walker(size_t t, void *arg)
{
	struct walk *w = arg;
	struct local *lo = &w->locals[t];
	char **subs = NULL, *dir;
	size_t n_subs = 0, a_subs = 0, i;

	for (;;) {
		char *msg = NULL, *rel_copy;
		int rc;

		pthread_mutex_lock(&w->lock);
		while (!w->n_stack && w->busy && !w->error)
			pthread_cond_wait(&w->cond, &w->lock);
		if (!w->n_stack || w->error) {
			pthread_cond_broadcast(&w->cond);
			pthread_mutex_unlock(&w->lock);
			break;
		}
		dir = w->stack[--w->n_stack];
		w->busy++;
		pthread_mutex_unlock(&w->lock);

		n_subs = 0;
		lo->n = 0;
		rel_copy = pool_path(&lo->pool, "", 0, dir, strlen(dir));
		rc = scan(w, lo, dir, &subs, &n_subs, &a_subs, &msg);
		free(dir);

		pthread_mutex_lock(&w->lock);
		w->busy--;
		if (rc == 0) {
			struct dnode *nd;

			SC_ALLOC_GROW(w->nodes, w->n_nodes + 1, w->a_nodes);
			nd = &w->nodes[w->n_nodes++];
			nd->rel = rel_copy;
			nd->rlen = strlen(rel_copy);
			nd->n = lo->n;
			nd->ents = lo->n ? sc_xmalloc(lo->n * sizeof(*lo->v))
					 : NULL;
			if (lo->n)
				memcpy(nd->ents, lo->v, lo->n * sizeof(*lo->v));
		}
		if (rc < 0 && !w->error) {
			w->error = 1;
			w->errmsg = msg;
			msg = NULL;
		}
		for (i = 0; i < n_subs; i++) {
			SC_ALLOC_GROW(w->stack, w->n_stack + 1, w->a_stack);
			w->stack[w->n_stack++] = subs[i];
		}
		pthread_cond_broadcast(&w->cond);
		pthread_mutex_unlock(&w->lock);
		free(msg);
	}
	free(subs);
}

static int dnode_cmp(const void *a, const void *b)
{
	return strcmp(((const struct dnode *)a)->rel,
		      ((const struct dnode *)b)->rel);
}

/*
 * Entries of one folder in the order of their full paths: names compared
 * byte by byte, a sub-folder's name as if it ended with '/' (its files'
 * paths continue with a '/'), so that a depth-first walk in this order
 * lists paths in strcmp order.
 */
static int dent_cmp(const void *a, const void *b)
{
	const struct dent *x = a, *y = b;
	const unsigned char *p = (const unsigned char *)x->path + x->name_off;
	const unsigned char *q = (const unsigned char *)y->path + y->name_off;
	size_t i, n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int cx, cy;

	for (i = 0; i < n; i++)
		if (p[i] != q[i])
			return (int)p[i] - (int)q[i];
	cx = i < x->name_len ? p[i] : x->is_dir ? '/' : -1;
	cy = i < y->name_len ? q[i] : y->is_dir ? '/' : -1;
	if (cx == cy)  /* same name: a file and a folder cannot be */
		return (int)x->is_dir - (int)y->is_dir;
	return cx - cy;
}

/* The node of folder rel (length n) among the sorted nodes, or NULL. */
static const struct dnode *find_node(const struct walk *w, const char *rel)
{
	size_t lo = 0, hi = w->n_nodes;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(w->nodes[mid].rel, rel);

		if (!d)
			return &w->nodes[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * The files of the walk in path order into s->entries: a depth-first
 * walk of the folders, each folder's entries sorted (an explicit stack:
 * a deep tree cannot overflow ours).
 */
static void order_files(struct walk *w, struct sc_snapshot *s)
{
	struct frame {
		const struct dnode *nd;
		size_t i;
	} *stack = NULL;
	size_t n_stack = 0, a_stack = 0, total = 0, i;
	const struct dnode *root;

	if (w->n_nodes > 1)
		qsort(w->nodes, w->n_nodes, sizeof(*w->nodes), dnode_cmp);
	for (i = 0; i < w->n_nodes; i++) {
		struct dnode *nd = &w->nodes[i];

		if (nd->n > 1)
			qsort(nd->ents, nd->n, sizeof(*nd->ents), dent_cmp);
		total += nd->n;
	}
	s->entries = sc_xcalloc(total + 1, sizeof(*s->entries));
	if (!(root = find_node(w, "")))
		return;
	SC_ALLOC_GROW(stack, 1, a_stack);
	stack[n_stack].nd = root;
	stack[n_stack++].i = 0;
	while (n_stack) {
		struct frame *f = &stack[n_stack - 1];
		const struct dent *e;

		if (f->i >= f->nd->n) {
			n_stack--;
			continue;
		}
		e = &f->nd->ents[f->i++];
		if (!e->is_dir) {
			s->entries[s->n++].path = (char *)e->path;  /* ids "" */
			continue;
		}
		{
			const struct dnode *sub = find_node(w, e->path);

			if (!sub)
				continue;  /* vanished while we walked */
			SC_ALLOC_GROW(stack, n_stack + 1, a_stack);
			stack[n_stack].nd = sub;
			stack[n_stack++].i = 0;
		}
	}
	free(stack);
}

static int listing_cmp(const void *a, const void *b)
{
	const struct listing *x = a, *y = b;
	size_t n = x->path_len < y->path_len ? x->path_len : y->path_len;
	int d = memcmp(x->path, y->path, n);

	if (d)
		return d;
	return x->path_len < y->path_len ? -1 : x->path_len > y->path_len;
}

/* Write the listings of this walk as the new cache (best effort). */
static void dirs_save(struct walk *w, const char *dir, const char *name)
{
	struct sc_buf b = SC_BUF_INIT;
	struct dirs_hdr h;
	uint32_t *offs;
	size_t i, rl = strlen(w->root);

	if (w->n_lists > 1)
		qsort(w->lists, w->n_lists, sizeof(*w->lists), listing_cmp);
	memset(&h, 0, sizeof(h));
	sc_buf_add(&b, &h, sizeof(h));
	sc_buf_add(&b, w->root, rl);
	offs = sc_xcalloc(w->n_lists + 1, sizeof(*offs));
	for (i = 0; i < w->n_lists; i++) {
		offs[i] = (uint32_t)(b.len - DIRS_HDR);
		sc_buf_add(&b, w->lists[i].rec, w->lists[i].rec_len);
	}
	while ((b.len - DIRS_HDR) % 4)
		sc_buf_addch(&b, '\0');
	sc_buf_add(&b, offs, w->n_lists * sizeof(*offs));
	memcpy(h.magic, DIRS_MAGIC, 8);
	h.version = DIRS_VERSION;
	h.hdr_size = DIRS_HDR;
	h.n = (uint32_t)w->n_lists;
	h.root_len = (uint32_t)rl;
	h.body_size = b.len - DIRS_HDR;
	h.checksum = sc_cache_checksum(b.buf + DIRS_HDR, (size_t)h.body_size);
	memcpy(b.buf, &h, sizeof(h));
	sc_cache_write(dir, name, b.buf, b.len);
	free(offs);
	sc_buf_release(&b);
}

int sc_folder_snapshot(struct sc_snapshot **out, const char *root,
		       const char *cache_dir, struct sc_dep **dirs,
		       size_t *n_dirs)
{
	struct walk w;
	struct sc_snapshot *s = sc_xcalloc(1, sizeof(*s));
	unsigned threads = sc_workpool_threads(64), t;
	char name[40], *file = NULL;
	size_t i;
	int error = 0;

	*out = NULL;
	memset(&w, 0, sizeof(w));
	w.root = root;
	w.now = time(NULL);
	w.want_dirs = dirs != NULL;
	if (dirs) {
		*dirs = NULL;
		*n_dirs = 0;
	}
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.cond, NULL);
	snprintf(name, sizeof(name), "dirs-%016llx",
		 (unsigned long long)sc_cache_checksum(root, strlen(root)));
	if (cache_dir) {
		file = sc_xasprintf("%s/%s", cache_dir, name);
		dirs_load(&w.old, file, root);
	}
	w.locals = sc_xcalloc(threads, sizeof(*w.locals));
	SC_ALLOC_GROW(w.stack, 1, w.a_stack);
	w.stack[w.n_stack++] = sc_xstrdup("");
	/* every thread runs one walker until the stack is empty */
	sc_workpool_run(threads, threads, walker, &w, NULL);
	if (w.error) {
		error = sc_error_set("%s", w.errmsg);
		goto out;
	}
	if (cache_dir && (w.changed || w.n_lists != w.old.n))
		dirs_save(&w, cache_dir, name);
	for (t = 0; t < threads; t++) {
		struct sc_pathpool *p = w.locals[t].pool;

		free(w.locals[t].v);
		w.locals[t].v = NULL;
		/* chain the pools into the snapshot's */
		while (p) {
			struct sc_pathpool *next = p->next;

			p->next = s->pool;
			s->pool = p;
			p = next;
		}
		w.locals[t].pool = NULL;
	}
	s->worktree = 1;
	s->lazy = 1;
	s->root = sc_xstrdup(root);
	order_files(&w, s);
	*out = s;
	s = NULL;
	if (dirs) {
		*dirs = w.dirs;
		*n_dirs = w.n_dirs;
		w.dirs = NULL;
		w.n_dirs = 0;
	}
out:
	for (i = 0; i < w.n_dirs; i++)
		free(w.dirs[i].path);
	free(w.dirs);
	for (t = 0; t < threads; t++) {
		free(w.locals[t].v);
		sc_pathpool_free(w.locals[t].pool);
		sc_buf_release(&w.locals[t].rec);
	}
	free(w.locals);
	for (i = 0; i < w.n_lists; i++)
		free(w.lists[i].owned);
	free(w.lists);
	dirs_unload(&w.old);
	while (w.n_stack)
		free(w.stack[--w.n_stack]);
	free(w.stack);
	free(w.errmsg);
	for (i = 0; i < w.n_nodes; i++)
		free(w.nodes[i].ents);
	free(w.nodes);
	free(file);
	pthread_mutex_destroy(&w.lock);
	pthread_cond_destroy(&w.cond);
	sc_snapshot_free(s);
	return error;
}
