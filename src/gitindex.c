/*
 * gitindex.c: git's index file, read directly (see gitindex.h).
 *
 * The file is mapped read-only; entries of versions 2 and 3 point at
 * their paths inside the mapping (each is NUL-terminated there), those of
 * version 4 (paths prefix-compressed) at a buffer of expanded paths.
 * Every length is checked against the end of the file; anything out of
 * place makes the whole file "unsupported", and the caller falls back to
 * libgit2. The trailing checksum is not verified (git does not either).
 */
#include "gitindex.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "util.h"
#include "workpool.h"

#define HASH_LEN 20
#define ENTRY_FIXED 62          /* stat data, id and flags */
#define FLAG_EXTENDED 0x4000
#define NAME_MASK 0x0fff

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

void sc_gitindex_free(struct sc_gitindex *ix)
{
	if (!ix)
		return;
	free(ix->entries);
	free(ix->paths);
	/* the cache-tree's nodes are one array */
	free(ix->tree);
	if (ix->map)
		munmap(ix->map, ix->map_len);
	free(ix);
}

/* ---- the cache-tree ("TREE") -------------------------------------------- */

/*
 * The TREE extension: nodes in pre-order, each "name NUL count SP
 * subtrees LF [id]" (count -1: invalid, no id). The nodes go into one
 * array laid out so that each node's children are contiguous (a second
 * pass places them; pre-order does not).
 */
struct raw_node {
	const char *name;
	size_t name_len;
	int32_t count;
	size_t n_subs;
	const unsigned char *oid;
};

/* A decimal number ending at `stop`; -1 when malformed. */
static long parse_num(const unsigned char **p, const unsigned char *end,
		      char stop, int allow_neg)
{
	const unsigned char *q = *p;
	long v = 0;
	int neg = 0, digits = 0;

	if (q < end && *q == '-' && allow_neg) {
		neg = 1;
		q++;
	}
	while (q < end && *q >= '0' && *q <= '9') {
		v = v * 10 + (*q - '0');
		if (v > 100000000L)
			return -2;
		q++;
		digits++;
	}
	if (!digits || q >= end || *q != (unsigned char)stop)
		return -2;
	*p = q + 1;
	return neg ? -v : v;
}

static int read_tree_ext(struct sc_gitindex *ix, const unsigned char *p,
			 const unsigned char *end)
{
	struct raw_node *raw = NULL;
	size_t n = 0, alloc = 0;
	struct sc_itree *nodes;
	size_t *stack = NULL, *next_child = NULL, sp = 0;

	while (p < end) {
		struct raw_node *r;
		const unsigned char *nul = memchr(p, '\0', (size_t)(end - p));
		long count, subs;

		if (!nul)
			goto bad;
		SC_ALLOC_GROW(raw, n + 1, alloc);
		r = &raw[n++];
		r->name = (const char *)p;
		r->name_len = (size_t)(nul - p);
		p = nul + 1;
		if ((count = parse_num(&p, end, ' ', 1)) < -1 ||
		    (subs = parse_num(&p, end, '\n', 0)) < 0)
			goto bad;
		r->count = (int32_t)count;
		r->n_subs = (size_t)subs;
		r->oid = NULL;
		if (count >= 0) {
			if (end - p < HASH_LEN)
				goto bad;
			r->oid = p;
			p += HASH_LEN;
		}
	}
	if (!n)
		goto out;
	/*
	 * Lay the nodes out so that each node's children are contiguous:
	 * walk the pre-order list with a stack of (parent, next slot).
	 */
	nodes = sc_xcalloc(n, sizeof(*nodes));
	stack = sc_xcalloc(n + 1, sizeof(*stack));
	next_child = sc_xcalloc(n + 1, sizeof(*next_child));
	{
		size_t used = 1, k;
		/* raw index -> node index */
		size_t *where = sc_xcalloc(n, sizeof(*where));

		where[0] = 0;
		stack[sp++] = 0;
		next_child[0] = 0;
		for (k = 1; k < n; k++) {
			size_t parent_raw, parent;

			/* pop parents whose children are all placed */
			while (sp && next_child[sp - 1] >=
				     raw[stack[sp - 1]].n_subs)
				sp--;
			if (!sp) {
				free(where);
				goto bad_nodes;
			}
			parent_raw = stack[sp - 1];
			parent = where[parent_raw];
			if (!nodes[parent].subs) {
				if (used + raw[parent_raw].n_subs > n) {
					free(where);
					goto bad_nodes;
				}
				nodes[parent].subs = &nodes[used];
				nodes[parent].n_subs = raw[parent_raw].n_subs;
				used += raw[parent_raw].n_subs;
			}
			where[k] = (size_t)(nodes[parent].subs - nodes) +
				   next_child[sp - 1]++;
			stack[sp] = k;
			next_child[sp] = 0;
			sp++;
		}
		for (k = 0; k < n; k++) {
			struct sc_itree *t = &nodes[where[k]];

			t->name = raw[k].name;
			t->name_len = raw[k].name_len;
			t->entry_count = raw[k].count;
			if (raw[k].oid)
				memcpy(t->oid, raw[k].oid, HASH_LEN);
		}
		/* every declared child must exist */
		for (; sp; sp--)
			if (next_child[sp - 1] != raw[stack[sp - 1]].n_subs) {
				free(where);
				goto bad_nodes;
			}
		if (used != n) {
			free(where);
			goto bad_nodes;
		}
		free(where);
	}
	ix->tree = nodes;
	goto out;
bad_nodes:
	free(nodes);
bad:
	free(raw);
	free(stack);
	free(next_child);
	return -1;
out:
	free(raw);
	free(stack);
	free(next_child);
	return 0;
}

/* ---- the file ------------------------------------------------------------ */

int sc_gitindex_read(struct sc_gitindex **out, const char *path)
{
	struct sc_gitindex *ix = sc_xcalloc(1, sizeof(*ix));
	const unsigned char *base, *p, *end;
	struct sc_buf v4 = SC_BUF_INIT;
	size_t *v4_off = NULL;
	struct stat st;
	uint32_t count, i;
	int fd = -1, error = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		*out = ix;               /* no index yet: empty */
		return 0;
	}
	if (fd < 0 || fstat(fd, &st) < 0) {
		error = sc_error_set("cannot read the index '%s': %s", path,
				     strerror(errno));
		goto out;
	}
	ix->mtime_s = st.st_mtim.tv_sec;
	ix->mtime_ns = (uint32_t)st.st_mtim.tv_nsec;
	if (st.st_size < 12 + HASH_LEN || st.st_size > (off_t)(2u << 30)) {
		error = SC_GITINDEX_UNSUPPORTED;
		goto out;
	}
	ix->map_len = (size_t)st.st_size;
	ix->map = mmap(NULL, ix->map_len, PROT_READ, MAP_PRIVATE | MAP_POPULATE,
		       fd, 0);
	if (ix->map == MAP_FAILED) {
		ix->map = NULL;
		error = sc_error_set("cannot read the index '%s': %s", path,
				     strerror(errno));
		goto out;
	}
	base = ix->map;
	end = base + ix->map_len - HASH_LEN;
	if (memcmp(base, "DIRC", 4)) {
		error = SC_GITINDEX_UNSUPPORTED;
		goto out;
	}
	ix->version = be32(base + 4);
	count = be32(base + 8);
	if (ix->version < 2 || ix->version > 4 ||
	    count > (ix->map_len - 12) / 24) {
		error = SC_GITINDEX_UNSUPPORTED;
		goto out;
	}
	ix->entries = sc_xmalloc(((size_t)count + 1) * sizeof(*ix->entries));
	sc_prefault(ix->entries, ((size_t)count + 1) * sizeof(*ix->entries));
	if (ix->version == 4)
		v4_off = sc_xcalloc((size_t)count + 1, sizeof(*v4_off));
	p = base + 12;
	for (i = 0; i < count; i++) {
		struct sc_ientry *e = &ix->entries[i];
		const unsigned char *name;
		size_t hdr = ENTRY_FIXED, nlen;

		e->flags_ext = 0;
		if (end - p < ENTRY_FIXED)
			goto unsupported;
		/* ctime, dev, uid and gid are not used */
		e->mtime_s = be32(p + 8);
		e->mtime_ns = be32(p + 12);
		e->ino = be32(p + 20);
		e->mode = be32(p + 24);
		e->size = be32(p + 36);
		memcpy(e->oid, p + 40, HASH_LEN);
		e->flags = be16(p + 60);
		if (e->flags & FLAG_EXTENDED) {
			if (ix->version < 3 || end - p < ENTRY_FIXED + 2)
				goto unsupported;
			e->flags_ext = be16(p + 62);
			hdr += 2;
		}
		name = p + hdr;
		if (ix->version == 4) {
			/* varint: bytes to drop from the previous path */
			uint64_t strip = 0;
			const unsigned char *q = name, *nul;
			size_t prev_len = i ? ix->entries[i - 1].path_len : 0;
			size_t prev_off = i ? v4_off[i - 1] : 0;

			if (q >= end)
				goto unsupported;
			strip = *q & 0x7f;
			while (*q++ & 0x80) {
				if (q >= end || strip > (1u << 20))
					goto unsupported;
				strip = ((strip + 1) << 7) | (*q & 0x7f);
			}
			if (strip > prev_len)
				goto unsupported;
			nul = memchr(q, '\0', (size_t)(end - q));
			if (!nul)
				goto unsupported;
			nlen = prev_len - (size_t)strip + (size_t)(nul - q);
			v4_off[i] = v4.len;
			/* the kept prefix of the previous path, then the rest */
			if (prev_len - strip) {
				sc_buf_grow(&v4, prev_len - strip);
				memmove(v4.buf + v4.len, v4.buf + prev_off,
					prev_len - (size_t)strip);
				v4.len += prev_len - (size_t)strip;
			}
			sc_buf_add(&v4, q, (size_t)(nul - q));
			sc_buf_addch(&v4, '\0');
			e->path_len = (uint32_t)nlen;
			p = nul + 1;
		} else {
			const unsigned char *nul;

			nlen = e->flags & NAME_MASK;
			if (nlen < NAME_MASK) {
				if ((size_t)(end - name) < nlen + 1 ||
				    name[nlen] != '\0')
					goto unsupported;
			} else {
				nul = memchr(name, '\0', (size_t)(end - name));
				if (!nul)
					goto unsupported;
				nlen = (size_t)(nul - name);
			}
			e->path = (const char *)name;
			e->path_len = (uint32_t)nlen;
			/* 1 to 8 NULs pad the entry to a multiple of 8 */
			p += (hdr + nlen + 8) & ~(size_t)7;
			if (p > end)
				goto unsupported;
		}
		if (!e->path_len)
			goto unsupported;
	}
	if (ix->version == 4) {
		ix->paths = sc_buf_detach(&v4);
		for (i = 0; i < count; i++)
			ix->entries[i].path = ix->paths + v4_off[i];
	}
	ix->n = count;
	/* extensions */
	while (end - p >= 8) {
		uint32_t size = be32(p + 4);
		const unsigned char *data = p + 8;

		if ((size_t)(end - data) < size)
			goto unsupported;
		if (!memcmp(p, "TREE", 4)) {
			if (read_tree_ext(ix, data, data + size) < 0) {
				/* a cache-tree we cannot read is no cache-tree */
				ix->tree = NULL;
			}
		} else if (p[0] < 'A' || p[0] > 'Z') {
			goto unsupported;  /* required: link, sdir, ... */
		}
		p = data + size;
	}
	if (p != end)
		goto unsupported;
	*out = ix;
	ix = NULL;
	goto out;
unsupported:
	error = SC_GITINDEX_UNSUPPORTED;
out:
	if (fd >= 0)
		close(fd);
	sc_buf_release(&v4);
	free(v4_off);
	sc_gitindex_free(ix);
	return error;
}

/* strcmp of entry e's path against dir + `tail` ('/' or '0'). */
static int cmp_dir(const struct sc_ientry *e, const char *dir, size_t n,
		   char tail)
{
	size_t m = e->path_len < n ? e->path_len : n;
	int d = memcmp(e->path, dir, m);

	if (d)
		return d;
	if (e->path_len < n)
		return -1;
	if (e->path_len == n)
		return -1;  /* "dir" itself sorts before "dir/..." */
	return (unsigned char)e->path[n] - (unsigned char)tail;
}

void sc_gitindex_range(const struct sc_gitindex *ix, const char *dir,
		       size_t n, size_t *lo, size_t *hi)
{
	size_t a, b;

	if (!n) {
		*lo = 0;
		*hi = ix->n;
		return;
	}
	/* first entry >= "dir/" */
	a = 0;
	b = ix->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (cmp_dir(&ix->entries[mid], dir, n, '/') < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*lo = a;
	/* first entry >= "dir0" ('/' + 1) */
	b = ix->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;

		if (cmp_dir(&ix->entries[mid], dir, n, '0') < 0)
			a = mid + 1;
		else
			b = mid;
	}
	*hi = a;
}
