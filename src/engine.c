/*
 * engine.c: one run of the checks over a change set (see engine.h).
 *
 * Units (a file version and its facts) live in a cache keyed by path,
 * blob id and script directory, so a file unchanged between "before" and
 * "after" is read and parsed once. Analyses borrow units from the cache.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "discover.h"
#include "err.h"
#include "migration.h"
#include "models.h"
#include "pysrc.h"
#include "revgraph.h"
#include "rule.h"
#include "schema.h"

struct cache_slot {
	char *key;
	struct sc_unit *unit;
	struct cache_slot *next;
};

#define CACHE_BUCKETS 4096

struct engine {
	struct sc_repo *repo;
	const struct sc_config *cfg;
	struct cache_slot *buckets[CACHE_BUCKETS];
	unsigned char *enabled;  /* indexed like sc_rules[] */
	/* `enabled` as SC002 sees it: in --all, without the rules that
	 * judge a change, whose suppressions cannot be used there */
	unsigned char *unused_enabled;
	/* the newest release reachable from "before" (sc_ctx.release) */
	const struct sc_analysis *release;
	const char *release_name;
};

static unsigned long hash_str(const char *s)
{
	unsigned long h = 1469598103934665603UL;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211UL;
	return h;
}

static void unit_free(struct sc_unit *u)
{
	if (!u)
		return;
	sc_migration_free(u->mig);
	sc_modelfile_free(u->models);
	sc_codefile_free(u->code);
	sc_srcfile_free(u->file);
	free(u->script_dir);
	free(u);
}

static void engine_release(struct engine *en)
{
	size_t i;
	for (i = 0; i < CACHE_BUCKETS; i++) {
		struct cache_slot *s = en->buckets[i], *next;
		for (; s; s = next) {
			next = s->next;
			unit_free(s->unit);
			free(s->key);
			free(s);
		}
	}
	free(en->enabled);
	free(en->unused_enabled);
}

enum unit_role { ROLE_MIGRATION, ROLE_MODEL, ROLE_CODE };

/* Quick text test: could this file declare models? */
static int looks_like_models(const char *data, size_t len)
{
	return memmem(data, len, "__tablename__", 13) ||
	       memmem(data, len, "__table__", 9) ||
	       memmem(data, len, "Table(", 6);
}

/*
 * The unit for entry `e` of `snap` in `role` (NULL when a model candidate
 * turns out to declare no table). Returns 0 or -1.
 */
static int load_unit(struct sc_unit **out, struct engine *en,
		     const struct sc_snapshot *snap, const struct sc_entry *e,
		     enum unit_role role, const char *script_dir)
{
	char *key = NULL, *data = NULL;
	struct cache_slot *slot;
	struct sc_unit *u = NULL;
	struct sc_pyfile *pf = NULL;
	unsigned long h;
	size_t len = 0;
	int error = 0, rc;

	*out = NULL;
	key = sc_xasprintf("%d\n%s\n%s\n%s", (int)role, e->path,
			   e->id[0] ? e->id : (snap->root ? snap->root : ""),
			   script_dir ? script_dir : "");
	h = hash_str(key) % CACHE_BUCKETS;
	for (slot = en->buckets[h]; slot; slot = slot->next) {
		if (!strcmp(slot->key, key)) {
			*out = slot->unit;
			goto out;
		}
	}

	rc = sc_repo_read(en->repo, snap, e, &data, &len);
	if (role == ROLE_CODE && (rc == SC_ETOOBIG ||
				  (rc >= 0 && !sc_code_prefilter(data, len)))) {
		u = NULL;       /* no direct schema change: nothing to keep */
	} else if (rc == SC_ETOOBIG) {
		u = sc_xcalloc(1, sizeof(*u));
		u->file = sc_srcfile_new(e->path, "", 0);
		u->file->syntax_error = 1;
		u->file->error_msg = sc_xstrdup("file is larger than 8 MiB; not parsed");
	} else if (rc < 0) {
		error = -1;
		goto out;
	} else if (role == ROLE_MODEL && !looks_like_models(data, len)) {
		u = NULL;
	} else {
		u = sc_xcalloc(1, sizeof(*u));
		u->file = sc_srcfile_new(e->path, data, len);
		if ((error = sc_pyfile_parse(&pf, u->file)) < 0)
			goto out;
		if (role == ROLE_MIGRATION) {
			if ((error = sc_migration_extract(&u->mig, pf)) < 0)
				goto out;
		} else if (role == ROLE_CODE) {
			if ((error = sc_code_extract(&u->code, pf)) < 0)
				goto out;
			if (!u->code->n_calls) {
				unit_free(u);
				u = NULL;
			}
		} else {
			if ((error = sc_models_extract(&u->models, pf)) < 0)
				goto out;
			if (!u->models->n_tables && !u->file->syntax_error) {
				unit_free(u);
				u = NULL;
			}
		}
	}
	if (u && role == ROLE_MIGRATION && !u->mig)
		u->mig = sc_xcalloc(1, sizeof(*u->mig));
	if (u && role == ROLE_MODEL && !u->models)
		u->models = sc_xcalloc(1, sizeof(*u->models));
	if (u && script_dir)
		u->script_dir = sc_xstrdup(script_dir);

	slot = sc_xcalloc(1, sizeof(*slot));
	slot->key = key;
	key = NULL;
	slot->unit = u;
	slot->next = en->buckets[h];
	en->buckets[h] = slot;
	*out = u;
	u = NULL;
out:
	sc_pyfile_free(pf);
	unit_free(u);
	free(data);
	free(key);
	return error;
}

static void push_unit(struct sc_unit ***v, size_t *n, struct sc_unit *u)
{
	*v = sc_xrealloc(*v, (*n + 1) * sizeof(**v));
	(*v)[(*n)++] = u;
}

static void analysis_release(struct sc_analysis *a)
{
	sc_strlist_free(a->script_dirs, a->n_script_dirs);
	free(a->migrations);
	free(a->models);
	free(a->code);
	sc_revgraph_free(a->graph);
	sc_schema_free(a->schema);
	memset(a, 0, sizeof(*a));
}

static int is_model_candidate(const struct sc_config *cfg,
			      const struct sc_layout *lay, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	if (!sc_ends_with(path, ".py"))
		return 0;
	if (cfg->n_models)
		return sc_globs_match(cfg->models, cfg->n_models, path);
	if (sc_is_test_path(path) || !strcmp(base, "setup.py"))
		return 0;
	/* the script directory itself (env.py, script.py.mako helpers) */
	for (i = 0; i < lay->n_dirs; i++) {
		size_t n = strlen(lay->dirs[i].path);
		if (n && !strncmp(path, lay->dirs[i].path, n) && path[n] == '/')
			return 0;
		if (!n && !strcmp(path, "env.py"))
			return 0;
	}
	return 1;
}

/* Is `path` application code that SC404 reads (DESIGN.md section 4, `code`)? */
static int is_code_candidate(const struct sc_config *cfg,
			     const struct sc_layout *lay, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t i;

	base = base ? base + 1 : path;
	if (!sc_ends_with(path, ".py"))
		return 0;
	if (cfg->n_code)
		return sc_globs_match(cfg->code, cfg->n_code, path);
	/* tests, and test support modules (test.py, tests.py) */
	if (sc_is_test_path(path) || !strcmp(base, "env.py") ||
	    !strcmp(base, "test.py") || !strcmp(base, "tests.py"))
		return 0;
	for (i = 0; i < lay->n_dirs; i++) {
		size_t n = strlen(lay->dirs[i].path);
		if (n && !strncmp(path, lay->dirs[i].path, n) && path[n] == '/')
			return 0;
	}
	return 1;
}

static int analyze(struct sc_analysis *a, struct engine *en,
		   const struct sc_snapshot *snap)
{
	struct sc_layout lay;
	size_t i;
	int error;

	memset(a, 0, sizeof(*a));
	a->snap = snap;
	if ((error = sc_layout_discover(&lay, en->repo, snap, en->cfg)) < 0)
		return error;
	a->migrations_found = lay.n_dirs > 0;
	for (i = 0; i < lay.n_dirs; i++)
		sc_strlist_add(&a->script_dirs, &a->n_script_dirs,
			       lay.dirs[i].path);
	for (i = 0; i < snap->n; i++) {
		const struct sc_entry *e = &snap->entries[i];
		const struct sc_scriptdir *d;
		struct sc_unit *u;

		if (en->cfg->n_exclude &&
		    sc_globs_match(en->cfg->exclude, en->cfg->n_exclude, e->path))
			continue;
		d = sc_layout_migration_dir(&lay, e->path);
		if (d) {
			if ((error = load_unit(&u, en, snap, e, ROLE_MIGRATION,
					       d->path)) < 0)
				goto out;
			if (u)
				push_unit(&a->migrations, &a->n_migrations, u);
		} else if (is_model_candidate(en->cfg, &lay, e->path)) {
			if ((error = load_unit(&u, en, snap, e, ROLE_MODEL,
					       NULL)) < 0)
				goto out;
			if (u)
				push_unit(&a->models, &a->n_models, u);
		}
		if (!d && is_code_candidate(en->cfg, &lay, e->path)) {
			if ((error = load_unit(&u, en, snap, e, ROLE_CODE,
					       NULL)) < 0)
				goto out;
			if (u)
				push_unit(&a->code, &a->n_code, u);
		}
	}
	sc_revgraph_build(&a->graph, a->migrations, a->n_migrations);
	sc_schema_replay(&a->schema, a->graph);
out:
	sc_layout_release(&lay);
	return error;
}

static void report_syntax_errors(struct sc_ctx *ctx, struct sc_unit **units,
				 size_t n)
{
	const struct sc_rule *r = sc_rule_find("SC001");
	size_t i;
	for (i = 0; i < n; i++) {
		const struct sc_srcfile *f = units[i]->file;
		struct sc_diag *d;
		if (!f->syntax_error)
			continue;
		d = sc_diags_add(ctx->out, r, f, &f->error_loc,
				 "cannot parse '%s': %s", f->path,
				 f->error_msg ? f->error_msg : "syntax error");
		sc_diag_set_help(d, "fix the syntax error; nothing else in this "
				    "file was checked");
	}
}

static void run_rules(struct engine *en, struct sc_diags *out,
		      const struct sc_analysis *now,
		      const struct sc_analysis *before,
		      const struct sc_changeset *cs)
{
	static const struct sc_changeset no_changes;
	struct sc_ctx ctx;
	struct sc_srcfile **files;
	size_t i, n_files = 0;
	const struct sc_rule *sc002 = sc_rule_find("SC002");

	ctx.now = now;
	ctx.before = before;
	ctx.release = before ? en->release : NULL;
	ctx.release_name = before ? en->release_name : NULL;
	ctx.cfg = en->cfg;
	ctx.mode = cs ? cs->mode : SC_MODE_ALL;
	ctx.cs = cs ? cs : &no_changes;
	ctx.out = out;

	report_syntax_errors(&ctx, now->migrations, now->n_migrations);
	report_syntax_errors(&ctx, now->models, now->n_models);
	for (i = 0; i < sc_n_rules; i++)
		if (en->enabled[i] && sc_rules[i]->check)
			sc_rules[i]->check(&ctx, sc_rules[i]);

	files = sc_xcalloc(now->n_migrations + now->n_models + now->n_code + 1,
			   sizeof(*files));
	for (i = 0; i < now->n_migrations; i++)
		files[n_files++] = now->migrations[i]->file;
	for (i = 0; i < now->n_models; i++)
		files[n_files++] = now->models[i]->file;
	for (i = 0; i < now->n_code; i++)     /* a model file listed twice is read once */
		files[n_files++] = now->code[i]->file;
	sc_diags_suppress(out, files, n_files,
			  sc002 && sc_config_rule_enabled(en->cfg, sc002),
			  en->unused_enabled ? en->unused_enabled : en->enabled);
	free(files);
}

/* Drop diagnostics of disabled rules and per-file-ignores; set severities. */
static void apply_config(struct engine *en, struct sc_diags *ds)
{
	const struct sc_config *cfg = en->cfg;
	size_t i, j, k, w = 0;

	for (i = 0; i < ds->n; i++) {
		struct sc_diag *d = &ds->v[i];
		int keep = sc_config_rule_enabled(cfg, d->rule);
		for (j = 0; keep && j < cfg->n_per_file_ignores; j++) {
			const struct sc_per_file_ignore *p = &cfg->per_file_ignores[j];
			if (!sc_globs_match(&p->glob, 1, d->path))
				continue;
			for (k = 0; k < p->n_selectors; k++)
				if (sc_rule_matches(d->rule, p->selectors[k]))
					keep = 0;
		}
		if (!keep) {
			sc_diag_release(d);
			continue;
		}
		/* a configured severity wins; otherwise the rule's choice for
		 * this diagnostic stands (SC208 raises narrowing to error) */
		sc_config_severity_override(cfg, d->rule, &d->severity);
		if (w != i)
			ds->v[w] = *d;
		w++;
	}
	ds->n = w;
}

/*
 * `since`: the migration with that revision and all its ancestors are
 * accepted history; their diagnostics are dropped, except SC307/SC308
 * (a change that edits or deletes accepted history is still refused). Returns SC_EUSAGE when
 * no migration has that revision.
 */
static int apply_since(const struct sc_analysis *a,
		       const struct sc_config *cfg, struct sc_diags *ds)
{
	const char *since = cfg->since;
	const struct sc_revgraph *g = a->graph;
	unsigned char *accepted;
	size_t *stack, n_stack = 0, i, j, w = 0;
	int found = 0;

	accepted = sc_xcalloc(g->n + 1, 1);
	stack = sc_xcalloc(g->n + 1, sizeof(*stack));
	for (i = 0; i < g->n; i++) {
		if (g->nodes[i].id && !strcmp(g->nodes[i].id, since)) {
			found = 1;
			accepted[i] = 1;
			stack[n_stack++] = i;
		}
	}
	while (n_stack) {
		const struct sc_revnode *nd = &g->nodes[stack[--n_stack]];
		for (j = 0; j < nd->n_parents; j++) {
			if (!accepted[nd->parents[j]]) {
				accepted[nd->parents[j]] = 1;
				stack[n_stack++] = nd->parents[j];
			}
		}
	}
	for (i = 0; found && i < ds->n; i++) {
		/* editing or deleting accepted history is still a finding */
		int drop = 0, history_edit = !strcmp(ds->v[i].rule->code, "SC307") ||
					    !strcmp(ds->v[i].rule->code, "SC308");
		for (j = 0; j < g->n && !drop && !history_edit; j++)
			drop = accepted[j] &&
			       !strcmp(g->nodes[j].unit->file->path, ds->v[i].path);
		if (drop)
			sc_diag_release(&ds->v[i]);
		else
			ds->v[w++] = ds->v[i];
	}
	if (found)
		ds->n = w;
	free(stack);
	free(accepted);
	if (!found && cfg->path && cfg->since_line)
		return sc_error_usage("%s:%u: 'since': no migration has the "
				      "revision '%s'", cfg->path, cfg->since_line,
				      since);
	if (!found)
		return sc_error_usage("--since: no migration has the revision '%s'",
				      since);
	return 0;
}

/*
 * Rules that judge a change: SC307 and SC308 report nothing in --all, and
 * SC203/SC204 check only part of their condition there (DESIGN.md
 * section 5), so in --all a suppression of theirs is not unused.
 */
static const char *const change_rules[] = { "SC203", "SC204", "SC307",
					    "SC308" };

/* en->enabled without the change rules (owned by the caller). */
static unsigned char *enabled_without_change_rules(const struct engine *en)
{
	unsigned char *v = sc_xmalloc(sc_n_rules ? sc_n_rules : 1);
	size_t i, j;

	memcpy(v, en->enabled, sc_n_rules);
	for (i = 0; i < sc_n_rules; i++)
		for (j = 0; j < SC_ARRAY_SIZE(change_rules); j++)
			if (!strcmp(sc_rules[i]->code, change_rules[j]))
				v[i] = 0;
	return v;
}

/* Does an enabled rule read the release (SC203, SC204)? */
static int wants_release(const struct sc_config *cfg)
{
	const struct sc_rule *r203 = sc_rule_find("SC203");
	const struct sc_rule *r204 = sc_rule_find("SC204");

	return (r203 && sc_config_rule_enabled(cfg, r203)) ||
	       (r204 && sc_config_rule_enabled(cfg, r204));
}

/*
 * The newest release reachable from "before" when "before" is a commit
 * (--staged: HEAD; --diff: the merge base): *snap and *name (owned by the
 * caller) and its analysis in *a, with en->release pointing at it; or
 * nothing when there is no such tag.
 */
static int load_release(struct engine *en, const struct sc_changeset *cs,
			struct sc_analysis *a, struct sc_snapshot **snap,
			char **name)
{
	int error;

	if (cs->mode == SC_MODE_ALL || !cs->before || !cs->before->commit ||
	    !en->repo || !sc_repo_is_git(en->repo) || !wants_release(en->cfg))
		return 0;
	if ((error = sc_repo_find_release(en->repo, cs->before->commit,
					  en->cfg->release_tags, name,
					  snap)) < 0 || !*snap)
		return error;
	if ((error = analyze(a, en, *snap)) < 0)
		return error;
	en->release = a;
	en->release_name = *name;
	return 0;
}

int sc_engine_run(struct sc_diags *out, struct sc_repo *repo,
		  const struct sc_changeset *cs, const struct sc_config *cfg)
{
	struct sc_analysis release;
	struct sc_snapshot *release_snap = NULL;
	char *release_name = NULL;
	struct engine en;
	struct sc_analysis after, before;
	struct sc_diags d_after = SC_DIAGS_INIT, d_before = SC_DIAGS_INIT;
	int error = 0, have_before = 0;
	size_t i;

	memset(&en, 0, sizeof(en));
	memset(&after, 0, sizeof(after));
	memset(&before, 0, sizeof(before));
	memset(&release, 0, sizeof(release));
	en.repo = repo;
	en.cfg = cfg;
	en.enabled = sc_xcalloc(sc_n_rules, 1);
	for (i = 0; i < sc_n_rules; i++)
		en.enabled[i] = (unsigned char)sc_config_rule_enabled(cfg, sc_rules[i]);
	if (cs->mode == SC_MODE_ALL)
		en.unused_enabled = enabled_without_change_rules(&en);

	if (cs->before) {
		if ((error = analyze(&before, &en, cs->before)) < 0)
			goto out;
		have_before = 1;
		if ((error = load_release(&en, cs, &release, &release_snap,
					  &release_name)) < 0)
			goto out;
	}
	if ((error = analyze(&after, &en, cs->after)) < 0)
		goto out;

	run_rules(&en, &d_after, &after, have_before ? &before : NULL, cs);
	if (have_before) {
		run_rules(&en, &d_before, &before, NULL, NULL);
		sc_diags_filter_new(&d_after, &d_before, cs->changes,
				    cs->n_changes);
	}
	if (cfg->since && (error = apply_since(&after, cfg, &d_after)) < 0)
		goto out;
	apply_config(&en, &d_after);
	sc_diags_sort(&d_after);
	sc_diags_take(out, &d_after);
out:
	sc_diags_release(&d_after);
	sc_diags_release(&d_before);
	analysis_release(&after);
	analysis_release(&before);
	analysis_release(&release);
	sc_snapshot_free(release_snap);
	free(release_name);
	engine_release(&en);
	return error;
}

int sc_engine_inspect(struct sc_repo *repo, const struct sc_snapshot *snap,
		      const struct sc_config *cfg,
		      int (*fn)(const struct sc_analysis *a, void *arg),
		      void *arg)
{
	struct engine en;
	struct sc_analysis a;
	int error;

	memset(&en, 0, sizeof(en));
	memset(&a, 0, sizeof(a));
	en.repo = repo;
	en.cfg = cfg;
	if ((error = analyze(&a, &en, snap)) == 0)
		error = fn(&a, arg);
	analysis_release(&a);
	engine_release(&en);
	return error;
}
