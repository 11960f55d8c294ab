/*
 * engine.h: one run of the checks. For each snapshot of a change set the
 * engine discovers migrations and models, extracts their facts (once per
 * blob: a file unchanged between "before" and "after" is parsed once, and
 * a file version seen by an earlier run not at all: units.h, cache.h),
 * builds the revision graph and replays the schema; then it runs the
 * enabled rules on "after" (with "before", and the models of the newest
 * release tag reachable from it, as context) and on "before",
 * applies suppressions, and keeps only what the change introduces.
 */
#ifndef SC_ENGINE_H
#define SC_ENGINE_H

#include <stddef.h>

#include "config.h"
#include "diag.h"
#include "facts.h"
#include "gitsrc.h"

struct sc_schema;
struct sc_revgraph;

/*
 * One file version and its facts, owned by the engine's unit set
 * (units.h) for the run; the model and the code unit of one file share
 * its srcfile.
 */
struct sc_unit {
	struct sc_srcfile *file;
	struct sc_migration *mig;      /* when the file is in a versions folder */
	struct sc_modelfile *models;   /* when the file declares models */
	char *script_dir;              /* for migrations: the script location (folder holding versions/) */
	struct sc_codefile *code;      /* application code: its direct schema changes (SC404) */
};

/* The whole-repository view of one snapshot. */
struct sc_analysis {
	const struct sc_snapshot *snap;
	struct sc_unit **migrations;   /* borrowed units, sorted by path */
	size_t n_migrations;
	struct sc_unit **models;       /* borrowed units, sorted by path */
	size_t n_models;
	struct sc_revgraph *graph;     /* owned */
	struct sc_schema *schema;      /* owned: the replay of every migration */
	int migrations_found;          /* a script directory was found */
	char **script_dirs;            /* owned: the script locations found, in
					  discovery order ("" = the root) */
	size_t n_script_dirs;
	struct sc_unit **code;         /* borrowed units of application code
					  (config `code`, else every .py that is
					  not a migration or a test) that change
					  the schema directly, sorted by path */
	size_t n_code;
};

/* What a rule's check function gets. */
struct sc_ctx {
	const struct sc_analysis *now;    /* the snapshot being judged */
	const struct sc_analysis *before; /* "before" when judging "after" in a change mode; else NULL */
	/* The newest release tag reachable from "before" (its models, for
	 * the deprecation period of SC203/SC204) and the tag's name: set
	 * only with `before`, when "before" is a commit and such a tag
	 * exists; else NULL. */
	const struct sc_analysis *release;
	const char *release_name;
	const struct sc_config *cfg;
	enum sc_mode mode;
	const struct sc_changeset *cs;    /* the change set; its changes are empty when judging "before" */
	struct sc_diags *out;
};

/*
 * Run the checks of `cfg` on `cs` read through `repo`, appending the
 * diagnostics to report (suppressed, filtered to what the change adds,
 * per-file-ignores and severities applied, sorted) to *out. Returns 0, or
 * -1 with a message on an internal or environment failure.
 */
int sc_engine_run(struct sc_diags *out, struct sc_repo *repo,
		  const struct sc_changeset *cs, const struct sc_config *cfg);

/*
 * Analyse `snap` alone, running no rule (`schemacheck heads`), and return
 * fn(analysis, arg); the analysis and the units it borrows live only
 * during the call. Returns -1 with a message when a file cannot be read.
 */
int sc_engine_inspect(struct sc_repo *repo, const struct sc_snapshot *snap,
		      const struct sc_config *cfg,
		      int (*fn)(const struct sc_analysis *a, void *arg),
		      void *arg);

#endif
