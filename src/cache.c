/*
 * cache.c: the persistent facts cache and the stat cache of plain folders
 * (see cache.h for what they hold and their guarantees).
 *
 * facts: a 64-byte header, then an open-addressing hash table of 32-byte
 * slots keyed by blob id (the id's first bytes are already uniformly
 * spread: they are the hash), then the data area. A slot says which roles
 * are known and which of them have facts; the facts of a slot are one
 * record at its offset: a 64-bit checksum of the rest, then for each such
 * role in order a 32-bit length and the bytes. The header's checksum
 * covers the table, each record's its own bytes: the table is mapped and
 * checked when the cache is opened, a record is read (pread, into memory
 * of the caller's) and checked only when its facts are used, so a run
 * touches only the facts it needs. Additions are kept in memory and
 * merged into a new file by sc_cache_save.
 *
 * tree-*: a 64-byte header, then records sorted by a hash of the path
 * (stat data, blob id), then the folder's own path (a check against
 * collisions of the file name's hash).
 *
 * Both are in the machine's byte order: they never leave the machine.
 */
#include "cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util.h"
#include "factsid.h"

#define FACTS_MAGIC "SCFACTS\n"
#define STAT_MAGIC "SCSTAT\n"
#define CACHE_VERSION 1u
#define STAT_VERSION 2u
#define HDR_SIZE 64u
/* Beyond this many blobs, or this much data, a save keeps only what this
 * run used: the cache cannot grow without bound. */
#define MAX_SLOTS_USED (1u << 20)
#define MAX_DATA (256u << 20)
/* Files changed this recently are not remembered by the stat cache. */
#define RACY_SECONDS 2

struct facts_hdr {
	char magic[8];
	uint32_t version;
	uint32_t hdr_size;
	unsigned char extractor[20];
	uint32_t nslots;            /* a power of two */
	uint32_t nused;
	uint32_t pad;
	uint64_t data_size;
	uint64_t checksum;          /* of the slots */
};
_Static_assert(sizeof(struct facts_hdr) == HDR_SIZE, "facts header size");

struct facts_slot {
	unsigned char oid[20];
	uint8_t known;              /* bit r: role r recorded; 0: empty slot */
	uint8_t some;               /* bit r: role r has facts */
	uint16_t pad;
	uint32_t off;               /* of the slot's facts in the data area */
	uint32_t size;
};
_Static_assert(sizeof(struct facts_slot) == 32, "facts slot size");

struct addition {
	unsigned char oid[20];
	enum sc_cache_role role;
	unsigned char *data;        /* owned; NULL for "nothing" */
	size_t len;
};

struct sc_cache {
	char *dir;
	unsigned char extractor[20];
	int fd;                     /* the file, for the records; -1 */
	void *map;                  /* its header and table, or NULL */
	size_t map_len;
	const struct facts_slot *slots;
	uint32_t nslots, nused;
	uint64_t data_off;          /* where the data area starts */
	uint64_t data_size;
	unsigned char *used;        /* per slot: looked up in this run */
	pthread_mutex_t lock;       /* guards the additions */
	struct addition *add;
	size_t n_add, a_add;
};

struct stat_hdr {
	char magic[8];
	uint32_t version;
	uint32_t hdr_size;
	uint32_t n;
	uint32_t root_len;
	uint64_t pool_size;         /* the folder's path after the records */
	uint64_t checksum;          /* of the records and the folder's path */
	unsigned char reserved[24];
};
_Static_assert(sizeof(struct stat_hdr) == HDR_SIZE, "stat header size");

struct stat_rec {
	uint64_t path_hash;
	uint64_t size, ino, dev;
	int64_t mtime_s, ctime_s;
	uint32_t mtime_ns, ctime_ns;
	unsigned char oid[20];
	uint32_t pad;
};
_Static_assert(sizeof(struct stat_rec) == 80, "stat record size");

struct stat_put {
	struct stat_rec rec;
};

struct sc_statcache {
	char *file;                 /* <dir>/tree-<hash> */
	char *root;
	void *map;
	size_t map_len;
	const struct stat_rec *recs;   /* sorted by path hash */
	uint32_t n;
	unsigned char *seen;        /* per record: still valid in this run */
	pthread_mutex_t lock;       /* guards the puts */
	struct stat_put *puts;
	size_t n_puts, a_puts;
};

/* ---- helpers --------------------------------------------------------- */

uint64_t sc_cache_checksum(const void *data, size_t n)
{
	const unsigned char *p = data;
	uint64_t h = 0x243f6a8885a308d3ULL ^ n, w;

	while (n >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 32;
		p += 8;
		n -= 8;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w ^ ((uint64_t)n << 56)) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/* The extraction sources' id (factsid.h, 40 hex digits) as 20 bytes. */
static void extractor_id(unsigned char out[20])
{
	if (sc_oid_fromhex(out, SC_EXTRACTOR_ID) < 0)
		memset(out, 0, 20);
}

/* mkdir -p for the last two levels at most (the cache folder itself). */
static int ensure_dir(const char *dir)
{
	char *parent, *slash;
	int rc;

	if (!mkdir(dir, 0777) || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	parent = sc_xstrdup(dir);
	slash = strrchr(parent, '/');
	rc = -1;
	if (slash && slash != parent) {
		*slash = '\0';
		if ((!mkdir(parent, 0700) || errno == EEXIST) &&
		    (!mkdir(dir, 0777) || errno == EEXIST))
			rc = 0;
	}
	free(parent);
	return rc;
}

/* Map `path` read-only: 0 and *map, *len, or -1 (missing, empty, error). */
static int map_file(const char *path, void **map, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	void *p;

	*map = NULL;
	*len = 0;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)HDR_SIZE || st.st_size > (off_t)(1u << 30)) {
		close(fd);
		return -1;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		 fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	*map = p;
	*len = (size_t)st.st_size;
	return 0;
}

int sc_cache_write(const char *dir, const char *name, const void *buf,
		   size_t len)
{
	char *tmp = NULL, *dst = NULL;
	const char *p = buf;
	size_t done = 0;
	int fd = -1, rc = -1;

	if (ensure_dir(dir) < 0)
		goto out;
	tmp = sc_xasprintf("%s/.%s.%ld.%ld.tmp", dir, name, (long)getpid(),
			   (long)time(NULL));
	dst = sc_xasprintf("%s/%s", dir, name);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0)
		goto out;
	while (done < len) {
		ssize_t w = write(fd, p + done, len - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto out;
		done += (size_t)w;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto out;
	}
	fd = -1;
	if (rename(tmp, dst) < 0)
		goto out;
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc < 0 && tmp)
		unlink(tmp);
	free(tmp);
	free(dst);
	return rc;
}

/* ---- where ----------------------------------------------------------- */

char *sc_cache_dir(const struct sc_repo *repo)
{
	const char *env = getenv("SCHEMACHECK_CACHE_DIR");
	const char *off = getenv("SCHEMACHECK_NO_CACHE");
	const char *base;

	if (off && *off && strcmp(off, "0"))
		return NULL;
	if (env && *env)
		return sc_xstrdup(env);
	if (!repo)
		return NULL;
	if (sc_repo_is_git(repo))
		return sc_xasprintf("%sschemacheck", sc_repo_commondir(repo));
	base = getenv("XDG_CACHE_HOME");
	if (base && *base == '/')
		return sc_xasprintf("%s/schemacheck", base);
	base = getenv("HOME");
	if (base && *base == '/')
		return sc_xasprintf("%s/.cache/schemacheck", base);
	return NULL;
}

/* ---- the facts cache ------------------------------------------------- */

static int header_valid(const struct sc_cache *c, const struct facts_hdr *h,
			uint64_t file_len)
{
	if (memcmp(h->magic, FACTS_MAGIC, 8) || h->version != CACHE_VERSION ||
	    h->hdr_size != HDR_SIZE || memcmp(h->extractor, c->extractor, 20) ||
	    !h->nslots || (h->nslots & (h->nslots - 1)) ||
	    h->nslots > (1u << 24) || h->nused > h->nslots - h->nslots / 4 ||
	    h->data_size > MAX_DATA * 2ULL)
		return 0;
	return HDR_SIZE + (uint64_t)h->nslots * sizeof(struct facts_slot) +
	       h->data_size == file_len;
}

struct sc_cache *sc_cache_open(const char *dir)
{
	struct sc_cache *c;
	struct facts_hdr h;
	struct stat st;
	char *path;
	size_t table;

	if (!dir)
		return NULL;
	c = sc_xcalloc(1, sizeof(*c));
	c->dir = sc_xstrdup(dir);
	c->fd = -1;
	extractor_id(c->extractor);
	pthread_mutex_init(&c->lock, NULL);
	path = sc_xasprintf("%s/facts", dir);
	c->fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	free(path);
	if (c->fd < 0)
		return c;
	if (fstat(c->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    pread(c->fd, &h, sizeof(h), 0) != (ssize_t)sizeof(h) ||
	    !header_valid(c, &h, (uint64_t)st.st_size))
		goto ignore;
	table = (size_t)h.nslots * sizeof(struct facts_slot);
	c->map_len = HDR_SIZE + table;
	c->map = mmap(NULL, c->map_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		      c->fd, 0);
	if (c->map == MAP_FAILED) {
		c->map = NULL;
		goto ignore;
	}
	if (sc_cache_checksum((const char *)c->map + HDR_SIZE, table) !=
	    h.checksum)
		goto ignore;
	c->nslots = h.nslots;
	c->nused = h.nused;
	c->slots = (const struct facts_slot *)((const char *)c->map + HDR_SIZE);
	c->data_off = HDR_SIZE + table;
	c->data_size = h.data_size;
	c->used = sc_xcalloc(c->nslots, 1);
	return c;
ignore:
	/* corrupt, truncated or another build's: ignored, rebuilt on save */
	if (c->map)
		munmap(c->map, c->map_len);
	c->map = NULL;
	c->map_len = 0;
	close(c->fd);
	c->fd = -1;
	return c;
}

static uint32_t slot_of(const unsigned char *oid, uint32_t nslots)
{
	uint32_t h;

	memcpy(&h, oid, 4);
	return h & (nslots - 1);
}

/* The slot of `oid` in the mapped table, or -1. */
static long find_slot(const struct sc_cache *c, const unsigned char *oid)
{
	uint32_t i, k;

	if (!c->nslots)
		return -1;
	i = slot_of(oid, c->nslots);
	for (k = 0; k < c->nslots; k++, i = (i + 1) & (c->nslots - 1)) {
		const struct facts_slot *s = &c->slots[i];

		if (!s->known)
			return -1;
		if (!memcmp(s->oid, oid, 20))
			return (long)i;
	}
	return -1;
}

/*
 * Read slot s's record into *buf (owned by the caller) and check it:
 * 0, or -1 when it is not what the table says.
 */
static int read_record(const struct sc_cache *c, const struct facts_slot *s,
		       unsigned char **buf)
{
	uint64_t sum;
	unsigned char *b;

	*buf = NULL;
	if (s->size < 8 || (uint64_t)s->off + s->size > c->data_size ||
	    c->fd < 0)
		return -1;
	b = sc_xmalloc(s->size);
	if (pread(c->fd, b, s->size, (off_t)(c->data_off + s->off)) !=
	    (ssize_t)s->size)
		goto bad;
	memcpy(&sum, b, 8);
	if (sc_cache_checksum(b + 8, s->size - 8) != sum)
		goto bad;
	*buf = b;
	return 0;
bad:
	free(b);
	return -1;
}

/*
 * Where role `role`'s facts are in a record (size bytes): 0 and *at,
 * *len, or -1 when the record is malformed.
 */
static int record_role(const unsigned char *rec, uint32_t size, uint8_t some,
		       unsigned role, size_t *at, size_t *len)
{
	size_t p = 8;
	unsigned r;

	for (r = 0; r < 8; r++) {
		uint32_t n;

		if (!(some & (1u << r)))
			continue;
		if (size - p < 4)
			return -1;
		memcpy(&n, rec + p, 4);
		p += 4;
		if (size - p < n)
			return -1;
		if (r == role) {
			*at = p;
			*len = n;
			return 0;
		}
		p += n;
	}
	return -1;
}

void sc_cache_prefetch(const struct sc_cache *c, const unsigned char *oid)
{
	if (c && c->nslots)
		__builtin_prefetch(&c->slots[slot_of(oid, c->nslots)]);
}

long sc_cache_find(struct sc_cache *c, const unsigned char *oid)
{
	return c ? find_slot(c, oid) : -1;
}

enum sc_cache_hit sc_cache_get_slot(struct sc_cache *c, long i,
				    enum sc_cache_role role)
{
	const struct facts_slot *s;

	if (!c || i < 0 || (uint32_t)i >= c->nslots)
		return SC_CACHE_MISS;
	s = &c->slots[i];
	if (!(s->known & (1u << role)))
		return SC_CACHE_MISS;
	__atomic_store_n(&c->used[i], 1, __ATOMIC_RELAXED);
	return (s->some & (1u << role)) ? SC_CACHE_FACTS : SC_CACHE_NOTHING;
}

int sc_cache_read(struct sc_cache *c, long i, enum sc_cache_role role,
		  void **data, size_t *len)
{
	const struct facts_slot *s;
	unsigned char *rec;
	size_t at, n;

	*data = NULL;
	*len = 0;
	if (!c || i < 0 || (uint32_t)i >= c->nslots)
		return -1;
	s = &c->slots[i];
	if (!(s->some & (1u << role)) || read_record(c, s, &rec) < 0)
		return -1;
	if (record_role(rec, s->size, s->some, role, &at, &n) < 0 || !n) {
		free(rec);
		return -1;
	}
	memmove(rec, rec + at, n);
	*data = rec;
	*len = n;
	return 0;
}

enum sc_cache_hit sc_cache_get(struct sc_cache *c, const unsigned char *oid,
			       enum sc_cache_role role)
{
	return sc_cache_get_slot(c, sc_cache_find(c, oid), role);
}

void sc_cache_put(struct sc_cache *c, const unsigned char *oid,
		  enum sc_cache_role role, const void *data, size_t len)
{
	struct addition *a;

	if (!c || len > MAX_DATA / 4)
		return;
	pthread_mutex_lock(&c->lock);
	SC_ALLOC_GROW(c->add, c->n_add + 1, c->a_add);
	a = &c->add[c->n_add++];
	memcpy(a->oid, oid, 20);
	a->role = role;
	a->len = data ? len : 0;
	a->data = NULL;
	if (data && len) {
		a->data = sc_xmalloc(len);
		memcpy(a->data, data, len);
	}
	pthread_mutex_unlock(&c->lock);
}

static int addition_cmp(const void *x, const void *y)
{
	const struct addition *a = x, *b = y;
	int d = memcmp(a->oid, b->oid, 20);

	if (d)
		return d;
	return (int)a->role - (int)b->role;
}

/* One blob's roles while a new table is built. */
struct pending {
	unsigned char oid[20];
	uint8_t known, some;
	const void *facts[8];
	uint32_t len[8];
	unsigned char *rec;         /* an old record the facts point into */
};

static void pending_add_slot(struct pending *p, const struct sc_cache *c,
			     const struct facts_slot *s)
{
	unsigned r;

	memcpy(p->oid, s->oid, 20);
	p->known = s->known;
	p->some = 0;
	p->rec = NULL;
	if (s->some && read_record(c, s, &p->rec) < 0) {
		p->known &= (uint8_t)~s->some;  /* drop what is damaged */
		return;
	}
	for (r = 0; r < 8; r++) {
		size_t at, n;

		if (!(s->some & (1u << r)))
			continue;
		if (record_role(p->rec, s->size, s->some, r, &at, &n) < 0) {
			p->known &= (uint8_t)~(1u << r);  /* drop a bad one */
			continue;
		}
		p->some |= (uint8_t)(1u << r);
		p->facts[r] = p->rec + at;
		p->len[r] = (uint32_t)n;
	}
}

static void pending_add(struct pending *p, const struct addition *a)
{
	uint8_t bit = (uint8_t)(1u << a->role);

	p->known |= bit;
	if (a->data) {
		p->some |= bit;
		p->facts[a->role] = a->data;
		p->len[a->role] = (uint32_t)a->len;
	} else {
		p->some &= (uint8_t)~bit;
	}
}

static int pending_cmp(const void *x, const void *y)
{
	return memcmp(((const struct pending *)x)->oid,
		      ((const struct pending *)y)->oid, 20);
}

void sc_cache_save(struct sc_cache *c)
{
	struct pending *pv = NULL;
	size_t np = 0, i, j, k, n_old = 0;
	uint64_t data_size = 0;
	uint32_t nslots = 64;
	unsigned char *buf = NULL, *data;
	struct facts_slot *slots;
	struct facts_hdr *h;
	int keep_all = 1;

	if (!c || !c->n_add)
		return;
	qsort(c->add, c->n_add, sizeof(*c->add), addition_cmp);
	for (i = 0; i < c->nslots; i++)
		n_old += c->slots[i].known != 0;
	if (n_old + c->n_add > MAX_SLOTS_USED || c->data_size > MAX_DATA)
		keep_all = 0;
	pv = sc_xcalloc(n_old + c->n_add + 1, sizeof(*pv));
	for (i = 0; i < c->nslots; i++) {
		if (!c->slots[i].known || (!keep_all && !c->used[i]))
			continue;
		pending_add_slot(&pv[np], c, &c->slots[i]);
		if (pv[np].known)
			np++;
	}
	qsort(pv, np, sizeof(*pv), pending_cmp);
	/* merge the additions (sorted by id) into the old blobs (sorted) */
	k = np;
	for (i = 0, j = 0; i < c->n_add; i++) {
		const struct addition *a = &c->add[i];

		while (j < np && memcmp(pv[j].oid, a->oid, 20) < 0)
			j++;
		if (j < np && !memcmp(pv[j].oid, a->oid, 20)) {
			pending_add(&pv[j], a);
		} else if (k > np && !memcmp(pv[k - 1].oid, a->oid, 20)) {
			pending_add(&pv[k - 1], a);
		} else {
			memset(&pv[k], 0, sizeof(pv[k]));
			memcpy(pv[k].oid, a->oid, 20);
			pending_add(&pv[k++], a);
		}
	}
	np = k;
	while (nslots < np + np / 3 + 1)
		nslots *= 2;
	for (i = 0; i < np; i++)
		for (k = 0; k < 8; k++)
			if (pv[i].some & (1u << k))
				data_size += 4 + pv[i].len[k];
	for (i = 0; i < np; i++)
		if (pv[i].some)
			data_size += 8;  /* each record's checksum */
	if (data_size > MAX_DATA * 2ULL || nslots > (1u << 24))
		goto out;
	buf = sc_xcalloc(1, HDR_SIZE + (size_t)nslots * sizeof(*slots) +
			    (size_t)data_size);
	h = (struct facts_hdr *)buf;
	slots = (struct facts_slot *)(buf + HDR_SIZE);
	data = (unsigned char *)(slots + nslots);
	data_size = 0;
	for (i = 0; i < np; i++) {
		uint32_t s = slot_of(pv[i].oid, nslots);
		struct facts_slot *sl;

		while (slots[s].known)
			s = (s + 1) & (nslots - 1);
		sl = &slots[s];
		memcpy(sl->oid, pv[i].oid, 20);
		sl->known = pv[i].known;
		sl->some = pv[i].some;
		sl->off = (uint32_t)data_size;
		sl->size = 0;
		if (!pv[i].some)
			continue;
		data_size += 8;
		for (k = 0; k < 8; k++) {
			if (!(pv[i].some & (1u << k)))
				continue;
			memcpy(data + data_size, &pv[i].len[k], 4);
			memcpy(data + data_size + 4, pv[i].facts[k], pv[i].len[k]);
			data_size += 4 + pv[i].len[k];
		}
		sl->size = (uint32_t)(data_size - sl->off);
		{
			uint64_t sum = sc_cache_checksum(data + sl->off + 8,
							 sl->size - 8);

			memcpy(data + sl->off, &sum, 8);
		}
	}
	memcpy(h->magic, FACTS_MAGIC, 8);
	h->version = CACHE_VERSION;
	h->hdr_size = HDR_SIZE;
	memcpy(h->extractor, c->extractor, 20);
	h->nslots = nslots;
	h->nused = (uint32_t)np;
	h->data_size = data_size;
	h->checksum = sc_cache_checksum(buf + HDR_SIZE, (size_t)nslots *
					sizeof(*slots));
	sc_cache_write(c->dir, "facts", buf, HDR_SIZE + (size_t)nslots *
		     sizeof(*slots) + (size_t)data_size);
out:
	for (i = 0; i < np; i++)
		free(pv[i].rec);
	free(buf);
	free(pv);
}

void sc_cache_free(struct sc_cache *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_add; i++)
		free(c->add[i].data);
	free(c->add);
	if (c->map)
		munmap(c->map, c->map_len);
	if (c->fd >= 0)
		close(c->fd);
	free(c->used);
	pthread_mutex_destroy(&c->lock);
	free(c->dir);
	free(c);
}

/* ---- the stat cache of a plain folder -------------------------------- */

/*
 * Records are keyed by a 64-bit hash of the path, not the path: a run
 * looks every file up, so the file is read whole, and paths would double
 * it. A collision cannot give a wrong id: a record matches only when
 * device, inode, size and both times match too, and two paths with the
 * same device and inode are the same file.
 */
static uint64_t path_hash(const char *path)
{
	return sc_cache_checksum(path, strlen(path));
}

static int stat_valid(const struct sc_statcache *s, const void *map,
		      size_t len)
{
	const struct stat_hdr *h = map;
	const struct stat_rec *r;
	uint64_t body;
	size_t rl = strlen(s->root);

	if (len < HDR_SIZE || memcmp(h->magic, STAT_MAGIC, 8) ||
	    h->version != STAT_VERSION || h->hdr_size != HDR_SIZE ||
	    h->n > (1u << 24) || h->root_len != rl || h->pool_size != rl)
		return 0;
	body = (uint64_t)h->n * sizeof(struct stat_rec) + h->pool_size;
	if (HDR_SIZE + body != len ||
	    sc_cache_checksum((const char *)map + HDR_SIZE, (size_t)body) !=
	    h->checksum)
		return 0;
	r = (const struct stat_rec *)((const char *)map + HDR_SIZE);
	return !memcmp((const char *)(r + h->n), s->root, rl);
}

struct sc_statcache *sc_statcache_open(const char *dir, const char *root)
{
	struct sc_statcache *s;
	char name[40];

	if (!dir || !root)
		return NULL;
	s = sc_xcalloc(1, sizeof(*s));
	s->root = sc_xstrdup(root);
	snprintf(name, sizeof(name), "tree-%016llx",
		 (unsigned long long)sc_cache_checksum(root, strlen(root)));
	s->file = sc_xasprintf("%s/%s", dir, name);
	pthread_mutex_init(&s->lock, NULL);
	if (!map_file(s->file, &s->map, &s->map_len)) {
		if (stat_valid(s, s->map, s->map_len)) {
			const struct stat_hdr *h = s->map;

			s->n = h->n;
			s->recs = (const struct stat_rec *)
				((const char *)s->map + HDR_SIZE);
			s->seen = sc_xcalloc(s->n + 1, 1);
		} else {
			munmap(s->map, s->map_len);
			s->map = NULL;
			s->map_len = 0;
		}
	}
	return s;
}

static int same_stat(const struct stat_rec *r, const struct sc_fstat *st)
{
	return r->size == st->size && r->ino == st->ino && r->dev == st->dev &&
	       r->mtime_s == st->mtime_s && r->mtime_ns == st->mtime_ns &&
	       r->ctime_s == st->ctime_s && r->ctime_ns == st->ctime_ns;
}

int sc_statcache_get(struct sc_statcache *s, const char *path,
		     const struct sc_fstat *st, unsigned char *oid)
{
	uint64_t h;
	size_t lo = 0, hi;

	if (!s)
		return 0;
	h = path_hash(path);
	hi = s->n;
	while (lo < hi) {  /* the first record with hash >= h */
		size_t mid = lo + (hi - lo) / 2;

		if (s->recs[mid].path_hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->n && s->recs[lo].path_hash == h; lo++) {
		if (!same_stat(&s->recs[lo], st))
			continue;
		__atomic_store_n(&s->seen[lo], 1, __ATOMIC_RELAXED);
		memcpy(oid, s->recs[lo].oid, 20);
		return 1;
	}
	return 0;
}

void sc_statcache_put(struct sc_statcache *s, const char *path,
		      const struct sc_fstat *st, const unsigned char *oid)
{
	struct stat_put *p;
	time_t now = time(NULL);

	if (!s || st->mtime_s >= (int64_t)now - RACY_SECONDS ||
	    st->ctime_s >= (int64_t)now - RACY_SECONDS)
		return;
	pthread_mutex_lock(&s->lock);
	SC_ALLOC_GROW(s->puts, s->n_puts + 1, s->a_puts);
	p = &s->puts[s->n_puts++];
	memset(&p->rec, 0, sizeof(p->rec));
	p->rec.path_hash = path_hash(path);
	p->rec.size = st->size;
	p->rec.ino = st->ino;
	p->rec.dev = st->dev;
	p->rec.mtime_s = st->mtime_s;
	p->rec.mtime_ns = st->mtime_ns;
	p->rec.ctime_s = st->ctime_s;
	p->rec.ctime_ns = st->ctime_ns;
	memcpy(p->rec.oid, oid, 20);
	pthread_mutex_unlock(&s->lock);
}

static int stat_rec_cmp(const void *x, const void *y)
{
	const struct stat_rec *a = x, *b = y;

	if (a->path_hash != b->path_hash)
		return a->path_hash < b->path_hash ? -1 : 1;
	return memcmp(a, b, sizeof(*a));
}

void sc_statcache_save(struct sc_statcache *s)
{
	struct stat_rec *v = NULL;
	size_t n = 0, i, w, n_seen = 0, rl, len;
	unsigned char *buf = NULL;
	struct stat_hdr *h;
	const char *slash;

	if (!s)
		return;
	for (i = 0; i < s->n; i++)
		n_seen += s->seen[i];
	if (!s->n_puts && n_seen == s->n)
		return;
	rl = strlen(s->root);
	len = HDR_SIZE + (s->n_puts + n_seen) * sizeof(*v) + rl;
	buf = sc_xcalloc(1, len);
	h = (struct stat_hdr *)buf;
	v = (struct stat_rec *)(buf + HDR_SIZE);
	for (i = 0; i < s->n_puts; i++)
		v[n++] = s->puts[i].rec;
	for (i = 0; i < s->n; i++)
		if (s->seen[i])
			v[n++] = s->recs[i];
	qsort(v, n, sizeof(*v), stat_rec_cmp);
	for (i = 0, w = 0; i < n; i++) {  /* the same record twice: once */
		if (w && !stat_rec_cmp(&v[w - 1], &v[i]))
			continue;
		v[w++] = v[i];
	}
	n = w;
	memcpy((char *)(v + n), s->root, rl);
	len = HDR_SIZE + n * sizeof(*v) + rl;
	memcpy(h->magic, STAT_MAGIC, 8);
	h->version = STAT_VERSION;
	h->hdr_size = HDR_SIZE;
	h->n = (uint32_t)n;
	h->root_len = (uint32_t)rl;
	h->pool_size = rl;
	h->checksum = sc_cache_checksum(buf + HDR_SIZE, len - HDR_SIZE);
	slash = strrchr(s->file, '/');
	if (slash) {
		char *dir = sc_xstrndup(s->file, (size_t)(slash - s->file));

		sc_cache_write(dir, slash + 1, buf, len);
		free(dir);
	}
	free(buf);
}

void sc_statcache_free(struct sc_statcache *s)
{
	if (!s)
		return;
	free(s->puts);
	if (s->map)
		munmap(s->map, s->map_len);
	free(s->seen);
	pthread_mutex_destroy(&s->lock);
	free(s->file);
	free(s->root);
	free(s);
}
