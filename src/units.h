/*
 * units.h: the units of a snapshot (engine.h's struct sc_unit: a file
 * version and its facts): which files are migrations, model files and
 * application code, and their facts, taken from the persistent cache
 * (cache.h) or read and parsed, on several threads.
 *
 * A unit set owns every unit it makes during one engine run. Snapshots
 * loaded one after the other share the units of the files they have in
 * common (same path, same blob id, same classification): a file
 * unchanged between "before" and "after" is loaded once.
 */
#ifndef SC_UNITS_H
#define SC_UNITS_H

#include <stddef.h>

#include "config.h"
#include "discover.h"
#include "gitsrc.h"

struct sc_unit;
struct sc_unitset;

/* The units of one snapshot: borrowed from the set, sorted by path. */
struct sc_unitlists {
	struct sc_unit **migrations;   /* the array is owned by the caller */
	size_t n_migrations;
	struct sc_unit **models;       /* owned by the caller */
	size_t n_models;
	struct sc_unit **code;         /* owned by the caller; only files
					  with a direct schema change */
	size_t n_code;
};

/*
 * A unit set reading through `repo` (may be NULL for worktree snapshots)
 * with the cache folder `cache_dir` (NULL: no cache). Owned by the
 * caller (sc_unitset_free).
 */
struct sc_unitset *sc_unitset_new(struct sc_repo *repo,
				  const struct sc_config *cfg,
				  const char *cache_dir);

/*
 * The units of `snap` whose script directories are `lay`, into *out
 * (whose arrays the caller frees). With `keep`, and when no snapshot was
 * kept yet, what this snapshot's files gave is kept for the snapshots
 * loaded later to share (`snap` must then outlive the set). Returns 0,
 * or -1 with a message when a file cannot be read.
 */
int sc_unitset_load(struct sc_unitset *us, const struct sc_snapshot *snap,
		    const struct sc_layout *lay, int keep,
		    struct sc_unitlists *out);

/* Write what this run added to the cache (best effort). */
void sc_unitset_save(struct sc_unitset *us);

/* Free every unit of the set (NULL is fine). */
void sc_unitset_free(struct sc_unitset *us);

/* Is `path` a model file candidate / application code (SC404) under
 * `cfg` and `lay` (DESIGN.md section 4, `models` and `code`)? */
int sc_is_model_candidate(const struct sc_config *cfg,
			  const struct sc_layout *lay, const char *path);
int sc_is_code_candidate(const struct sc_config *cfg,
			 const struct sc_layout *lay, const char *path);

#endif
