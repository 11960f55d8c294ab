/*
 * engine.c: one run of the checks over a change set (see engine.h).
 *
 * Units (a file version and its facts) come from a unit set (units.c),
 * which shares them between the snapshots of a run (a file unchanged
 * between "before" and "after" is read and parsed once) and keeps their
 * facts in the persistent cache (cache.c) for the next run. Analyses
 * borrow units from the set.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "discover.h"
#include "err.h"
#include "revgraph.h"
#include "rule.h"
#include "schema.h"
#include "trace.h"
#include "units.h"

struct engine {
	struct sc_repo *repo;
	const struct sc_config *cfg;
	struct sc_unitset *units;  /* every unit of the run, and the cache */
	unsigned char *enabled;  /* indexed like sc_rules[] */
	/* `enabled` as SC002 sees it: in --all, without the rules that
	 * judge a change, whose suppressions cannot be used there */
	unsigned char *unused_enabled;
	/* the newest release reachable from "before" (sc_ctx.release) */
	const struct sc_analysis *release;
	const char *release_name;
};

/* Set up what every run needs: the unit set with the repository's cache. */
static void engine_init(struct engine *en, struct sc_repo *repo,
			const struct sc_config *cfg)
{
	char *dir = sc_cache_dir(repo);

	memset(en, 0, sizeof(*en));
	en->repo = repo;
	en->cfg = cfg;
	en->units = sc_unitset_new(repo, cfg, dir);
	free(dir);
}

static void engine_release(struct engine *en)
{
	sc_unitset_free(en->units);
	free(en->enabled);
	free(en->unused_enabled);
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

/*
 * Analyse `snap`; `more`: other snapshots follow in this run (then the
 * unit set keeps what the first one gave, for them to share).
 */
static int analyze(struct sc_analysis *a, struct engine *en,
		   const struct sc_snapshot *snap, int more)
{
	struct sc_layout lay;
	struct sc_unitlists ul;
	size_t i;
	int error;

	memset(a, 0, sizeof(*a));
	a->snap = snap;
	if ((error = sc_layout_discover(&lay, en->repo, snap, en->cfg)) < 0)
		return error;
	sc_trace("layout discovered");
	a->migrations_found = lay.n_dirs > 0;
	for (i = 0; i < lay.n_dirs; i++)
		sc_strlist_add(&a->script_dirs, &a->n_script_dirs,
			       lay.dirs[i].path);
	if ((error = sc_unitset_load(en->units, snap, &lay, more, &ul)) < 0)
		goto out;
	sc_trace("units loaded: %zu migrations, %zu models, %zu code",
		 ul.n_migrations, ul.n_models, ul.n_code);
	a->migrations = ul.migrations;
	a->n_migrations = ul.n_migrations;
	a->models = ul.models;
	a->n_models = ul.n_models;
	a->code = ul.code;
	a->n_code = ul.n_code;
	sc_revgraph_build(&a->graph, a->migrations, a->n_migrations);
	sc_schema_replay(&a->schema, a->graph);
	sc_trace("graph built, schema replayed");
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
	if ((error = analyze(a, en, *snap, 1)) < 0)
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

	engine_init(&en, repo, cfg);
	memset(&after, 0, sizeof(after));
	memset(&before, 0, sizeof(before));
	memset(&release, 0, sizeof(release));
	en.enabled = sc_xcalloc(sc_n_rules, 1);
	for (i = 0; i < sc_n_rules; i++)
		en.enabled[i] = (unsigned char)sc_config_rule_enabled(cfg, sc_rules[i]);
	if (cs->mode == SC_MODE_ALL)
		en.unused_enabled = enabled_without_change_rules(&en);

	if (cs->before) {
		if ((error = analyze(&before, &en, cs->before, 1)) < 0)
			goto out;
		have_before = 1;
		if ((error = load_release(&en, cs, &release, &release_snap,
					  &release_name)) < 0)
			goto out;
	}
	if ((error = analyze(&after, &en, cs->after, 0)) < 0)
		goto out;
	sc_unitset_save(en.units);
	sc_trace("cache saved");

	run_rules(&en, &d_after, &after, have_before ? &before : NULL, cs);
	sc_trace("rules run");
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

	engine_init(&en, repo, cfg);
	memset(&a, 0, sizeof(a));
	if ((error = analyze(&a, &en, snap, 0)) == 0) {
		sc_unitset_save(en.units);
		error = fn(&a, arg);
	}
	analysis_release(&a);
	engine_release(&en);
	return error;
}
