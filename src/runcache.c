/*
 * runcache.c: the report of the last --all run of a folder (runcache.h).
 *
 * File run-<hash of the folder>: a 64-byte header (magic, format, the
 * key, exit status, lengths and checksum), the folder's path (a check
 * against collisions of the file name's hash), the dependencies (each:
 * struct sc_fstat, u32 path length, the path), then the report.
 */
#include "runcache.h"

#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cache.h"
#include "factsid.h"
#include "util.h"
#include "workpool.h"

#define RUN_MAGIC "SCRUN02\n"
#define RUN_HDR 64u
#define RACY_SECONDS 2
#define MAX_REPORT (64u << 20)

struct run_hdr {
	char magic[8];
	unsigned char key[20];
	int32_t rc;
	uint32_t root_len;
	uint32_t n_deps;
	uint64_t deps_len;          /* bytes of the dependencies */
	uint64_t len;               /* bytes of the report */
	uint64_t checksum;          /* of everything after the header */
};
_Static_assert(sizeof(struct run_hdr) == RUN_HDR, "run header size");

struct sc_runkey {
	EVP_MD_CTX *ctx;
	int bad;                    /* the digest failed: no key */
};

struct sc_runkey *sc_runkey_new(void)
{
	struct sc_runkey *k = sc_xcalloc(1, sizeof(*k));
	const EVP_MD *md = sc_sha1_md();

	k->ctx = EVP_MD_CTX_new();
	if (!k->ctx || !md || !EVP_DigestInit_ex(k->ctx, md, NULL))
		k->bad = 1;
	sc_runkey_str(k, "schemacheck run key 1");
	sc_runkey_str(k, SC_BUILD_ID);
	return k;
}

void sc_runkey_bytes(struct sc_runkey *k, const void *p, size_t n)
{
	uint64_t len = n;

	if (k->bad)
		return;
	/* length first: no two sequences of parts give the same stream */
	if (!EVP_DigestUpdate(k->ctx, &len, sizeof(len)) ||
	    (n && !EVP_DigestUpdate(k->ctx, p, n)))
		k->bad = 1;
}

void sc_runkey_str(struct sc_runkey *k, const char *s)
{
	static const unsigned char null_mark = 0xff;

	if (!s) {
		sc_runkey_bytes(k, &null_mark, 1);
		sc_runkey_bytes(k, &null_mark, 1);
		return;
	}
	sc_runkey_bytes(k, s, strlen(s));
}

void sc_runkey_file(struct sc_runkey *k, const char *path)
{
	struct stat st;
	char buf[65536];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	sc_runkey_str(k, path);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		sc_runkey_str(k, NULL);  /* missing or not a file */
		if (fd >= 0)
			close(fd);
		return;
	}
	sc_runkey_str(k, "file");
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sc_runkey_bytes(k, buf, (size_t)n);
	if (n < 0)
		k->bad = 1;
	close(fd);
}

void sc_runkey_snapshot(struct sc_runkey *k, const struct sc_snapshot *s)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t i;

	sc_runkey_str(k, s->root);
	sc_runkey_bytes(k, &s->n, sizeof(s->n));
	/* one update per 64 KB, not three per entry */
	for (i = 0; i < s->n; i++) {
		sc_buf_add(&b, s->entries[i].path,
			   strlen(s->entries[i].path) + 1);
		sc_buf_add(&b, s->entries[i].id, strlen(s->entries[i].id) + 1);
		if (b.len >= 65536) {
			sc_runkey_bytes(k, b.buf, b.len);
			sc_buf_reset(&b);
		}
	}
	sc_runkey_bytes(k, b.buf, b.len);
	sc_buf_release(&b);
}

void sc_runkey_finish(struct sc_runkey *k, unsigned char *key)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	memset(key, 0, 20);
	if (!k->bad && EVP_DigestFinal_ex(k->ctx, md, &len) && len == 20)
		memcpy(key, md, 20);
	EVP_MD_CTX_free(k->ctx);
	free(k);
}

static char *run_file(const char *root)
{
	return sc_xasprintf("run-%016llx", (unsigned long long)
			    sc_cache_checksum(root, strlen(root)));
}

/*
 * Is the file at `full` still the one of stat data `st`? A path ending
 * in '/' is a folder (folder.h: its entries are the same while its stat
 * data is; its size is not compared).
 */
static int unchanged(const char *full, const struct sc_fstat *st,
		     int64_t limit)
{
	struct stat now;
	size_t n = strlen(full);

	if (lstat(full, &now) < 0 || st->mtime_s >= limit ||
	    st->ctime_s >= limit ||
	    (uint64_t)now.st_ino != st->ino ||
	    (uint64_t)now.st_dev != st->dev ||
	    now.st_mtim.tv_sec != st->mtime_s ||
	    (uint32_t)now.st_mtim.tv_nsec != st->mtime_ns ||
	    now.st_ctim.tv_sec != st->ctime_s ||
	    (uint32_t)now.st_ctim.tv_nsec != st->ctime_ns)
		return 0;
	if (n && full[n - 1] == '/')
		return S_ISDIR(now.st_mode);
	return S_ISREG(now.st_mode) && (uint64_t)now.st_size == st->size;
}

/* The dependencies to check, shared by the threads that check them. */
struct check {
	const char *root;
	const char **at;             /* where each one starts */
	size_t n;
	int64_t limit;
	int changed;                 /* set by any thread: no report */
};

/*
 * Check dependencies [i * CHECK_RUN, (i + 1) * CHECK_RUN): runs of
 * neighbours (they are sorted), so that two threads seldom look names up
 * in the same folders at the same time (a warm run of the corpora: 41.5
 * against 39.8 ms with one dependency a task).
 */
#define CHECK_RUN 512

static void check_run(size_t i, void *arg)
{
	struct check *c = arg;
	struct sc_fstat st;
	uint32_t plen;
	char full[PATH_MAX];
	size_t rl = strlen(c->root), j;
	size_t end = (i + 1) * CHECK_RUN < c->n ? (i + 1) * CHECK_RUN : c->n;
	const char *p;

	if (rl + 2 > sizeof(full))
		goto changed;
	memcpy(full, c->root, rl);
	full[rl] = '/';
	for (j = i * CHECK_RUN; j < end; j++) {
		if (__atomic_load_n(&c->changed, __ATOMIC_RELAXED))
			return;
		p = c->at[j];
		memcpy(&st, p, sizeof(st));
		memcpy(&plen, p + sizeof(st), 4);
		if (rl + 1 + plen + 1 > sizeof(full))
			goto changed;
		memcpy(full + rl + 1, p + sizeof(st) + 4, plen);
		full[rl + 1 + plen] = '\0';
		if (!unchanged(full, &st, c->limit))
			goto changed;
	}
	return;
changed:
	__atomic_store_n(&c->changed, 1, __ATOMIC_RELAXED);
}

int sc_runcache_get(const char *cache_dir, const char *root,
		    const unsigned char *key, struct sc_runreport *r)
{
	static const unsigned char zero[20];
	int64_t limit = (int64_t)time(NULL) - RACY_SECONDS;
	struct run_hdr h;
	struct stat st;
	struct check c;
	char *name = run_file(root), *path;
	const char *buf, *p, *end;
	void *map = NULL;
	size_t rl = strlen(root), body, map_len = 0;
	uint32_t i;
	int fd, error = -1;

	memset(&c, 0, sizeof(c));
	memset(r, 0, sizeof(*r));
	path = sc_xasprintf("%s/%s", cache_dir, name);
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || !memcmp(key, zero, 20))
		goto out;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < RUN_HDR + rl ||
	    (uint64_t)st.st_size > RUN_HDR + rl + 2 * (uint64_t)MAX_REPORT)
		goto out;
	/*
	 * Mapped, not read: copying into fresh memory faults every page in
	 * one by one, which costs more than the rest of a warm run. The file
	 * is replaced by a rename, never rewritten in place (cache.h).
	 */
	map_len = (size_t)st.st_size;
	map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
		   0);
	if (map == MAP_FAILED) {
		map = NULL;
		goto out;
	}
	memcpy(&h, map, sizeof(h));
	buf = (const char *)map + RUN_HDR;
	if (memcmp(h.magic, RUN_MAGIC, 8) || memcmp(h.key, key, 20) ||
	    h.root_len != rl || h.len > MAX_REPORT ||
	    h.deps_len > MAX_REPORT ||
	    (uint64_t)map_len != RUN_HDR + rl + h.deps_len + h.len)
		goto out;
	body = rl + (size_t)h.deps_len + (size_t)h.len;
	if (memcmp(buf, root, rl) ||
	    sc_cache_checksum(buf, body) != h.checksum)
		goto out;
	/* every dependency as it was (the stat calls on a few threads) */
	p = buf + rl;
	end = p + h.deps_len;
	c.root = root;
	c.limit = limit;
	c.at = sc_xcalloc(h.n_deps + 1, sizeof(*c.at));
	for (i = 0; i < h.n_deps; i++) {
		uint32_t plen;

		if ((size_t)(end - p) < sizeof(struct sc_fstat) + 4)
			goto out;
		memcpy(&plen, p + sizeof(struct sc_fstat), 4);
		if ((size_t)(end - p) - sizeof(struct sc_fstat) - 4 < plen)
			goto out;
		c.at[c.n++] = p;
		p += sizeof(struct sc_fstat) + 4 + plen;
	}
	if (p != end)
		goto out;
	sc_workpool_run((c.n + CHECK_RUN - 1) / CHECK_RUN,
			sc_workpool_threads((c.n + CHECK_RUN - 1) / CHECK_RUN),
			check_run, &c, NULL);
	if (c.changed)
		goto out;
	r->text = end;
	r->len = (size_t)h.len;
	r->rc = h.rc;
	r->map = map;
	r->map_len = map_len;
	map = NULL;
	error = 0;
out:
	free(c.at);
	if (map)
		munmap(map, map_len);
	if (fd >= 0)
		close(fd);
	free(path);
	free(name);
	return error;
}

void sc_runreport_release(struct sc_runreport *r)
{
	if (r->map)
		munmap(r->map, r->map_len);
	memset(r, 0, sizeof(*r));
}

static int dep_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sc_dep *)a)->path,
		      ((const struct sc_dep *)b)->path);
}

void sc_runcache_put(const char *cache_dir, const char *root,
		     const unsigned char *key, const struct sc_dep *deps,
		     size_t n_deps, const char *out, size_t len, int rc)
{
	static const unsigned char zero[20];
	int64_t limit = (int64_t)time(NULL) - RACY_SECONDS;
	struct sc_buf b = SC_BUF_INIT;
	struct sc_dep *v = NULL;
	struct run_hdr h;
	size_t rl = strlen(root), i, n = 0, deps_start;
	char *name;

	if (!memcmp(key, zero, 20) || len > MAX_REPORT)
		return;
	/* sorted, each path once */
	v = sc_xcalloc(n_deps + 1, sizeof(*v));
	if (n_deps)
		memcpy(v, deps, n_deps * sizeof(*v));
	qsort(v, n_deps, sizeof(*v), dep_cmp);
	memset(&h, 0, sizeof(h));
	sc_buf_add(&b, &h, sizeof(h));
	sc_buf_add(&b, root, rl);
	deps_start = b.len;
	for (i = 0; i < n_deps; i++) {
		uint32_t plen = (uint32_t)strlen(v[i].path);

		if (i && !strcmp(v[i - 1].path, v[i].path))
			continue;
		if (v[i].st.mtime_s >= limit || v[i].st.ctime_s >= limit)
			goto out;  /* may change again unseen */
		sc_buf_add(&b, &v[i].st, sizeof(v[i].st));
		sc_buf_add(&b, &plen, 4);
		sc_buf_add(&b, v[i].path, plen);
		n++;
	}
	memcpy(h.magic, RUN_MAGIC, 8);
	memcpy(h.key, key, 20);
	h.rc = rc;
	h.root_len = (uint32_t)rl;
	h.n_deps = (uint32_t)n;
	h.deps_len = b.len - deps_start;
	h.len = len;
	sc_buf_add(&b, out, len);
	h.checksum = sc_cache_checksum(b.buf + RUN_HDR, b.len - RUN_HDR);
	memcpy(b.buf, &h, sizeof(h));
	name = run_file(root);
	sc_cache_write(cache_dir, name, b.buf, b.len);
	free(name);
out:
	free(v);
	sc_buf_release(&b);
}
