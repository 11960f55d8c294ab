/*
 * discover.h: which files of a snapshot are migrations and which are
 * models (DESIGN.md section 4, keys `migrations` and `models`).
 * Script directories come from alembic.ini (script_location,
 * version_locations, %(here)s), else from every versions/ folder next to
 * an env.py; configured `migrations` folders replace discovery.
 */
#ifndef SC_DISCOVER_H
#define SC_DISCOVER_H

#include <stddef.h>

#include "config.h"
#include "gitsrc.h"

struct sc_scriptdir {
	char *path;          /* the script location ("" for the root), repo-relative */
	char **versions;     /* versions folders (repo-relative, no trailing '/') */
	size_t n_versions;
};

struct sc_layout {
	struct sc_scriptdir *dirs;
	size_t n_dirs;
};

/*
 * Discover the script directories of `snap`, reading alembic.ini files
 * through `repo`. *out is owned by the caller (sc_layout_release).
 */
int sc_layout_discover(struct sc_layout *out, struct sc_repo *repo,
		       const struct sc_snapshot *snap,
		       const struct sc_config *cfg);
void sc_layout_release(struct sc_layout *l);

/*
 * The script directory whose versions folders contain `path` (a .py file,
 * not __init__.py), or NULL (borrowed).
 */
const struct sc_scriptdir *sc_layout_migration_dir(const struct sc_layout *l,
						   const char *path);

/* Is `path` a test file (test_*.py, *_test.py, conftest.py, tests/)? */
int sc_is_test_path(const char *path);

/* Does any glob of the list match `path`? */
int sc_globs_match(char *const *globs, size_t n, const char *path);

#endif
