/*
 * runcache.h: the report of an --all run, kept for the next run whose
 * inputs are all the same (the whole-folder analysis, replay and rules
 * depend on nothing else, so the report is the same too).
 *
 * What the report depends on is, first, the key: a SHA-1 over this
 * build (a hash of every source file, SC_BUILD_ID), the command line,
 * the repository's root and the folder run from, the configuration
 * files' bytes, whether the report is coloured, and in a git work tree
 * every file of the snapshot (its path and its blob id, which is of the
 * contents); and second, where a file has no id (a plain folder, or a
 * file too large to hash), the dependencies (gitsrc.h, struct sc_dep:
 * the files the run read, those whose cached facts it used, and for a
 * plain folder every folder walked, whose entries are the same while its
 * stat data is), kept with their stat data (device, inode, size, mtime,
 * ctime) and checked again by the next run; a plain folder's key has no
 * snapshot, so its report is found before the folder is walked. A run
 * reads and uses the same files when the paths, the configuration and
 * the contents of what it read are the same (it is deterministic), so
 * the report is the same. A dependency changed in the last seconds keeps
 * the report out of the cache: a change within the same timestamp tick
 * could go unseen.
 *
 * One report per folder is kept (the last), in the cache folder
 * (cache.h), written as the other caches are: through a temporary file
 * and a rename, checked by a checksum when read.
 */
#ifndef SC_RUNCACHE_H
#define SC_RUNCACHE_H

#include <stddef.h>

#include "gitsrc.h"

struct sc_runkey;

/* A key being built (owned by the caller; sc_runkey_finish frees it). */
struct sc_runkey *sc_runkey_new(void);
/* Add a string (NULL is distinct from ""), or bytes. */
void sc_runkey_str(struct sc_runkey *k, const char *s);
void sc_runkey_bytes(struct sc_runkey *k, const void *p, size_t n);
/* Add the bytes of the file at `path` (or that it is missing or not a
 * regular file; symbolic links are not followed). */
void sc_runkey_file(struct sc_runkey *k, const char *path);
/* Add every entry of `s` (path and id). */
void sc_runkey_snapshot(struct sc_runkey *k, const struct sc_snapshot *s);
/* The key (20 bytes); frees k. */
void sc_runkey_finish(struct sc_runkey *k, unsigned char *key);

/*
 * A report found in the cache: `len` bytes at `text` (not terminated),
 * and the exit status `rc`. The text lies in a read-only mapping of the
 * cache file (owned by the struct; sc_runreport_release unmaps it): a
 * large report is neither copied nor faulted in page by page.
 */
struct sc_runreport {
	const char *text;
	size_t len;
	int rc;
	void *map;
	size_t map_len;
};

/*
 * The report kept for folder `root` under `key`, if every dependency
 * kept with it (paths relative to root) is unchanged: 0 with *r filled
 * in; -1 (and *r empty) when there is none.
 */
int sc_runcache_get(const char *cache_dir, const char *root,
		    const unsigned char *key, struct sc_runreport *r);
/* Unmap r's report (an empty r too); r is empty afterwards. */
void sc_runreport_release(struct sc_runreport *r);
/* Keep the report and its dependencies (best effort; nothing when one
 * changed too recently). */
void sc_runcache_put(const char *cache_dir, const char *root,
		     const unsigned char *key, const struct sc_dep *deps,
		     size_t n_deps, const char *out, size_t len, int rc);

#endif
