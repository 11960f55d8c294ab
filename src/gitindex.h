/*
 * gitindex.h: a reader of git's index file (versions 2 to 4, with the
 * cache-tree extension) that maps the file and parses it without hashing
 * it, as git itself does: libgit2 1.5 always verifies the index's SHA-1
 * and builds a path map, which costs several times what git spends on a
 * large index. Used by gitsrc.c only; libgit2 remains the fallback and
 * the authority on what it refuses.
 *
 * Format: git's Documentation/gitformat-index.txt.
 */
#ifndef SC_GITINDEX_H
#define SC_GITINDEX_H

#include <stddef.h>
#include <stdint.h>

/*
 * One index entry (the stat data schemacheck uses: whether a work-tree
 * file changed); the path is NUL-terminated and owned by the index.
 */
struct sc_ientry {
	const char *path;
	uint32_t path_len;
	uint32_t mtime_s, mtime_ns;
	uint32_t ino, mode, size;
	unsigned char oid[20];
	uint16_t flags;          /* stage in bits 12-13 */
	uint16_t flags_ext;      /* intent-to-add 0x2000, skip-worktree 0x4000 */
};

#define SC_IENTRY_STAGE(e) (((e)->flags >> 12) & 3)
#define SC_IENTRY_INTENT_TO_ADD 0x2000

/* A node of the cache-tree: the tree a folder of the index would make. */
struct sc_itree {
	const char *name;        /* the folder's name ("" for the root); not
				    NUL-terminated: name_len */
	size_t name_len;
	int32_t entry_count;     /* index entries it covers; -1: invalid */
	unsigned char oid[20];   /* the tree's id, when valid */
	struct sc_itree *subs;   /* sub-folders, in index order */
	size_t n_subs;
};

struct sc_gitindex {
	struct sc_ientry *entries;   /* in index order (by path, then stage) */
	size_t n;
	struct sc_itree *tree;       /* NULL when the index has none */
	uint32_t version;
	int64_t mtime_s;             /* of the index file (racy entries) */
	uint32_t mtime_ns;
	/* private */
	void *map;
	size_t map_len;
	char *paths;                 /* version 4: the expanded paths */
};

/* Reading an index that this reader does not support. */
#define SC_GITINDEX_UNSUPPORTED (-5)

/*
 * Read the index at `path` into *out (owned by the caller;
 * sc_gitindex_free). A missing file is an empty index. Returns 0;
 * SC_GITINDEX_UNSUPPORTED for a version or a required extension this
 * reader does not know (a split or sparse index), or a file it cannot
 * make sense of (the caller then asks libgit2, which says what is
 * wrong); -1 with a message when the file cannot be read.
 */
int sc_gitindex_read(struct sc_gitindex **out, const char *path);
void sc_gitindex_free(struct sc_gitindex *ix);

/*
 * The entries under folder `dir` (length n, no trailing '/'; "" for all)
 * as [*lo, *hi) (index entries are sorted by path).
 */
void sc_gitindex_range(const struct sc_gitindex *ix, const char *dir,
		       size_t n, size_t *lo, size_t *hi);

#endif
