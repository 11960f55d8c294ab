/*
 * cache.h: what schemacheck keeps between runs, so that a file version it
 * has already read is never parsed again.
 *
 * The facts cache is content-addressed: the facts of a file version
 * depend only on its text (DESIGN.md section 6), so they are stored under
 * its git blob id and a role (what the engine extracted: migration,
 * models, application code), together with the id of the extraction code
 * that made them (a hash of the sources, fixed at build time). A role can
 * also be recorded as giving nothing (a module that declares no table).
 *
 * The stat cache serves plain folders, which have no git index: for each
 * file it remembers the stat data seen when the file was hashed and the
 * blob id, so an unchanged file is not read to learn its id.
 *
 * Files: <dir>/facts and <dir>/tree-<hash of the folder>. Each has a
 * header with a magic, a format version, the extractor id and a checksum
 * of the rest; a file that does not match (corrupt, truncated, from
 * another build) is ignored and rebuilt. Saving writes a temporary file
 * and renames it over the old one, so two overlapping runs never see a
 * half-written cache (the last to finish wins; the other's additions are
 * simply lost). Every failure to read or write the cache is silent: the
 * cache only ever saves work.
 *
 * A NULL cache is valid everywhere and caches nothing. Lookups may run in
 * several threads at once, and so may additions.
 */
#ifndef SC_CACHE_H
#define SC_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "gitsrc.h"

/* Roles under which facts are stored (the engine's unit roles). */
enum sc_cache_role {
	SC_CACHE_MIGRATION = 0,
	SC_CACHE_MODELS = 1,
	SC_CACHE_CODE = 2,
};

/* What a lookup found. */
enum sc_cache_hit {
	SC_CACHE_MISS = 0,   /* never extracted */
	SC_CACHE_NOTHING,    /* extracted, and the role gave no unit */
	SC_CACHE_FACTS,      /* extracted: the facts are there to read */
};

struct sc_cache;
struct sc_statcache;

/*
 * The cache folder for `repo` (owned by the caller), or NULL for none:
 * $SCHEMACHECK_CACHE_DIR when set; nothing when $SCHEMACHECK_NO_CACHE is
 * set (to anything but "" or "0"); else <common git folder>/schemacheck
 * in a git repository, and $XDG_CACHE_HOME/schemacheck (or
 * ~/.cache/schemacheck) for a plain folder. `repo` may be NULL: then only
 * $SCHEMACHECK_CACHE_DIR counts.
 */
char *sc_cache_dir(const struct sc_repo *repo);

/* Open the facts cache in `dir` (created when missing); NULL for none. */
struct sc_cache *sc_cache_open(const char *dir);

/* What the cache knows of `role` of blob `oid` (20 bytes). */
enum sc_cache_hit sc_cache_get(struct sc_cache *c, const unsigned char *oid,
			       enum sc_cache_role role);

/*
 * The same in two steps, to look several roles of one blob up with one
 * probe: the blob's slot (-1 when the cache knows nothing of it), then a
 * role of that slot.
 */
long sc_cache_find(struct sc_cache *c, const unsigned char *oid);
/* A hint that sc_cache_find(c, oid) comes soon (loads its memory early). */
void sc_cache_prefetch(const struct sc_cache *c, const unsigned char *oid);
enum sc_cache_hit sc_cache_get_slot(struct sc_cache *c, long slot,
				    enum sc_cache_role role);

/*
 * The encoded facts (factser.h) of `role` of the blob in `slot`, when
 * sc_cache_get_slot said SC_CACHE_FACTS: 0 and *data (owned by the
 * caller), *len; -1 when the stored record is damaged (then extract
 * again).
 */
int sc_cache_read(struct sc_cache *c, long slot, enum sc_cache_role role,
		  void **data, size_t *len);

/*
 * Record what `role` of blob `oid` gave: the encoded facts (copied), or
 * nothing (data NULL, len 0).
 */
void sc_cache_put(struct sc_cache *c, const unsigned char *oid,
		  enum sc_cache_role role, const void *data, size_t len);

/* Write the additions, if any (best effort). */
void sc_cache_save(struct sc_cache *c);
void sc_cache_free(struct sc_cache *c);

/*
 * The stat cache of folder `root` (absolute) kept in `dir`; NULL for
 * none.
 */
struct sc_statcache *sc_statcache_open(const char *dir, const char *root);

/*
 * The blob id of `path` when its stat data is still `st`: 1 and oid (20
 * bytes) filled, or 0.
 */
int sc_statcache_get(struct sc_statcache *s, const char *path,
		     const struct sc_fstat *st, unsigned char *oid);

/*
 * Remember that `path` with stat data `st` has blob id `oid`. Files
 * changed in the last seconds are not remembered (a later change within
 * the same timestamp tick could go unseen).
 */
void sc_statcache_put(struct sc_statcache *s, const char *path,
		      const struct sc_fstat *st, const unsigned char *oid);

/* Write it when anything changed (best effort); files not looked up or
 * added in this run are forgotten. */
void sc_statcache_save(struct sc_statcache *s);
void sc_statcache_free(struct sc_statcache *s);

/*
 * Write `len` bytes to dir/name (dir created when missing) through a
 * temporary file renamed over it: readers see the old file or the new
 * one, never a part. 0, or -1 (silently: the caller's cache is only an
 * optimisation).
 */
int sc_cache_write(const char *dir, const char *name, const void *buf,
		   size_t len);

/* A 64-bit checksum of `n` bytes (corruption detection, not security). */
uint64_t sc_cache_checksum(const void *data, size_t n);

#endif
