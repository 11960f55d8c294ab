/*
 * check_revgraph.c: the revision graph (src/revgraph.c) against Alembic's
 * semantics: heads and bases, merges, depends_on (no effect on heads),
 * branch labels and the labels of each head, cycles, dangling parents,
 * duplicates, unreadable ids, script directories; 10,000-revision chains
 * and cycles (no recursion, fast); and, through the real extraction and
 * the engine, nested expand/contract folders, labels from module
 * constants and the `heads` setting of SC304.
 */
#include <time.h>

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#endif
#endif
#ifndef RUNNING_ON_VALGRIND
#define RUNNING_ON_VALGRIND 0
#endif

#include "testutil.h"

#include "config.h"
#include "engine.h"
#include "err.h"
#include "gitsrc.h"
#include "pysrc.h"
#include "revgraph.h"
#include "rule.h"

/* ---- units built by hand ------------------------------------------- */

struct fx {
	struct sc_unit **v;
	size_t n, alloc;
};

/* "a,b" -> list (NULL or "" -> empty). */
static void split(const char *s, char ***out, size_t *n)
{
	char *copy, *tok, *save = NULL;

	*out = NULL;
	*n = 0;
	if (!s || !*s)
		return;
	copy = sc_xstrdup(s);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		sc_strlist_add(out, n, tok);
	free(copy);
}

/*
 * Add a migration of script directory `dir` at `path`: revision `rev`
 * (NULL: not a literal), down_revision `down` ("a,b"; NULL: None), labels
 * and depends_on ("a,b" or NULL). Names starting with '!' are written
 * unquoted in the source (imported names we cannot resolve).
 */
static void add(struct fx *f, const char *dir, const char *path,
		const char *rev, const char *down, const char *labels,
		const char *deps)
{
	struct sc_unit *u = sc_xcalloc(1, sizeof(*u));
	struct sc_migration *m = sc_xcalloc(1, sizeof(*m));
	struct sc_buf src = SC_BUF_INIT;
	size_t i;

	m->has_revision = 1;
	m->revision = rev ? sc_xstrdup(rev) : NULL;
	m->has_down_revision = 1;
	split(down, &m->down_revisions, &m->n_down_revisions);
	split(labels, &m->branch_labels, &m->n_branch_labels);
	split(deps, &m->depends_on, &m->n_depends_on);
	sc_buf_addf(&src, "revision = '%s'\n", rev ? rev : "?");
	for (i = 0; i < m->n_branch_labels; i++) {
		char *l = m->branch_labels[i];
		if (l[0] == '!')
			memmove(l, l + 1, strlen(l));
		else
			sc_buf_addf(&src, "L%zu = '%s'\n", i, l);
	}
	for (i = 0; i < m->n_depends_on; i++) {
		char *l = m->depends_on[i];
		if (l[0] == '!')
			memmove(l, l + 1, strlen(l));
		else
			sc_buf_addf(&src, "D%zu = '%s'\n", i, l);
	}
	u->file = sc_srcfile_new(path, sc_buf_str(&src), src.len);
	u->mig = m;
	u->script_dir = sc_xstrdup(dir);
	sc_buf_release(&src);
	SC_ALLOC_GROW(f->v, f->n + 1, f->alloc);
	f->v[f->n++] = u;
}

static void fx_release(struct fx *f)
{
	size_t i;
	for (i = 0; i < f->n; i++) {
		sc_migration_free(f->v[i]->mig);
		sc_srcfile_free(f->v[i]->file);
		free(f->v[i]->script_dir);
		free(f->v[i]);
	}
	free(f->v);
}

static struct sc_revgraph *build(struct fx *f)
{
	struct sc_revgraph *g;
	sc_revgraph_build(&g, f->v, f->n);
	return g;
}

/* The heads of `dir` as "a (l1, l2) b", for comparisons. */
static char *heads_str(const struct sc_revgraph *g, const char *dir)
{
	const struct sc_revdir *d = sc_revgraph_dir(g, dir);
	struct sc_buf b = SC_BUF_INIT;
	size_t i, j;

	for (i = 0; d && i < d->n_heads; i++) {
		const struct sc_revnode *h = &g->nodes[d->heads[i]];
		sc_buf_addf(&b, "%s%s", i ? " " : "", h->id);
		for (j = 0; j < h->n_labels; j++)
			sc_buf_addf(&b, "%s%s", j ? ", " : " (", h->labels[j]);
		if (h->n_labels)
			sc_buf_addch(&b, ')');
	}
	return sc_buf_detach(&b);
}

static char *bases_str(const struct sc_revgraph *g, const char *dir)
{
	const struct sc_revdir *d = sc_revgraph_dir(g, dir);
	struct sc_buf b = SC_BUF_INIT;
	size_t i;

	for (i = 0; d && i < d->n_bases; i++)
		sc_buf_addf(&b, "%s%s", i ? " " : "", g->nodes[d->bases[i]].id);
	return sc_buf_detach(&b);
}

/* The replay position of revision `id` (dir "m"). */
static long pos(const struct sc_revgraph *g, const char *id)
{
	long k = sc_revgraph_find(g, "m", id);
	size_t i;

	for (i = 0; k >= 0 && i < g->n_order; i++)
		if (g->order[i] == (size_t)k)
			return (long)i;
	return -1;
}

#define CHECK_STR(got, want)                                              \
	do {                                                              \
		char *got_ = (got);                                       \
		ck_assert_str_eq(got_, want);                             \
		free(got_);                                               \
	} while (0)

START_TEST(test_linear_chain)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;

	add(&f, "m", "m/versions/b.py", "0002", "0001", NULL, NULL);
	add(&f, "m", "m/versions/c.py", "0003", "0002", NULL, NULL);
	add(&f, "m", "m/versions/a.py", "0001", NULL, NULL, NULL);
	g = build(&f);
	CHECK_STR(heads_str(g, "m"), "0003");
	CHECK_STR(bases_str(g, "m"), "0001");
	ck_assert_int_eq(g->n_order, 3);
	ck_assert(pos(g, "0001") < pos(g, "0002"));
	ck_assert(pos(g, "0002") < pos(g, "0003"));
	ck_assert_int_eq(g->has_cycle, 0);
	ck_assert_int_eq(g->dirs[0].n_unknown, 0);
	ck_assert_int_eq(g->dirs[0].n_dangling, 0);
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

START_TEST(test_merge_and_two_heads)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;

	add(&f, "m", "m/versions/1.py", "base", NULL, NULL, NULL);
	add(&f, "m", "m/versions/2.py", "v2.4.0.a", "base", NULL, NULL);
	add(&f, "m", "m/versions/3.py", "001", "base", NULL, NULL);
	g = build(&f);
	CHECK_STR(heads_str(g, "m"), "001 v2.4.0.a");   /* sorted by id */
	sc_revgraph_free(g);
	add(&f, "m", "m/versions/4.py", "liberty", "v2.4.0.a,001", NULL, NULL);
	g = build(&f);
	CHECK_STR(heads_str(g, "m"), "liberty");
	ck_assert_int_eq(g->nodes[3].n_parents, 2);
	ck_assert(pos(g, "001") < pos(g, "liberty"));
	ck_assert(pos(g, "v2.4.0.a") < pos(g, "liberty"));
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

/* Alembic's `heads` ignores depends_on: its target can be a head. */
START_TEST(test_depends_on_keeps_head)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;

	add(&f, "m", "m/versions/a.py", "a", NULL, NULL, NULL);
	add(&f, "m", "m/versions/b.py", "b", "a", NULL, "c");
	add(&f, "m", "m/versions/c.py", "c", NULL, NULL, NULL);
	g = build(&f);
	CHECK_STR(heads_str(g, "m"), "b c");
	CHECK_STR(bases_str(g, "m"), "a c");
	ck_assert_int_eq(g->nodes[1].n_deps, 1);
	ck_assert(pos(g, "c") < pos(g, "b"));  /* replayed after what it needs */
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

START_TEST(test_branch_labels)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;
	const struct sc_revdir *d;

	add(&f, "m", "m/versions/0.py", "liberty", NULL, NULL, NULL);
	add(&f, "m", "m/versions/1.py", "e1", "liberty", "expand,liberty_expand", NULL);
	add(&f, "m", "m/versions/2.py", "c1", "liberty", "contract", NULL);
	add(&f, "m", "m/versions/3.py", "e2", "e1", "mitaka_expand", NULL);
	add(&f, "m", "m/versions/4.py", "c2", "c1", NULL, "expand");
	g = build(&f);
	CHECK_STR(heads_str(g, "m"),
		  "c2 (contract) e2 (expand, liberty_expand, mitaka_expand)");
	d = sc_revgraph_dir(g, "m");
	ck_assert_int_eq(d->n_labels, 4);
	ck_assert_str_eq(d->labels[0], "contract");
	/* a label names its revision; depends_on may use it */
	ck_assert_int_eq(sc_revgraph_resolve(g, 0, "expand"), 1);
	ck_assert_int_eq(sc_revgraph_resolve(g, 0, "mitaka_expand"), 3);
	ck_assert_int_eq(sc_revgraph_resolve(g, 0, "e2"), 3);
	ck_assert_int_eq(sc_revgraph_resolve(g, 0, "nothing"), -1);
	ck_assert_int_eq(g->nodes[4].n_deps, 1);
	ck_assert_int_eq(g->nodes[4].deps[0], 1);
	ck_assert_int_eq(d->n_opaque, 0);
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

START_TEST(test_opaque_labels)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;

	add(&f, "m", "m/versions/0.py", "a", NULL, "!cli.EXPAND_BRANCH", NULL);
	add(&f, "m", "m/versions/1.py", "b", "a", NULL, "!migration.HEAD");
	g = build(&f);
	ck_assert_int_eq(g->dirs[0].n_opaque, 2);
	ck_assert(sc_revgraph_name_is_opaque(f.v[0], "cli.EXPAND_BRANCH"));
	ck_assert(!sc_revgraph_name_is_opaque(f.v[0], "a"));
	CHECK_STR(heads_str(g, "m"), "b (cli.EXPAND_BRANCH)");
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

START_TEST(test_cycles)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;

	add(&f, "m", "m/versions/0.py", "base", NULL, NULL, NULL);
	add(&f, "m", "m/versions/1.py", "x", "z", NULL, NULL);
	add(&f, "m", "m/versions/2.py", "y", "x", NULL, NULL);
	add(&f, "m", "m/versions/3.py", "z", "y", NULL, NULL);
	add(&f, "m", "m/versions/4.py", "after", "z", NULL, NULL);
	add(&f, "m", "m/versions/5.py", "self", "self", NULL, NULL);
	g = build(&f);
	ck_assert(g->has_cycle);
	ck_assert(g->dirs[0].has_cycle);
	ck_assert_int_eq(g->n_cycles, 2);
	/* x -> z -> y -> x, starting at the first file */
	ck_assert_int_eq(g->cycles[0].n, 3);
	ck_assert_int_eq(g->cycles[0].nodes[0], 1);
	ck_assert_int_eq(g->cycles[0].nodes[1], 3);
	ck_assert_int_eq(g->cycles[0].nodes[2], 2);
	ck_assert_int_eq(g->cycles[1].n, 1);
	ck_assert_int_eq(g->cycles[1].nodes[0], 5);
	ck_assert(g->nodes[1].on_cycle && g->nodes[2].on_cycle &&
		  g->nodes[3].on_cycle && g->nodes[5].on_cycle);
	ck_assert(!g->nodes[4].on_cycle && g->nodes[4].in_cycle);
	ck_assert(!g->nodes[0].on_cycle && !g->nodes[0].in_cycle);
	ck_assert_int_eq(g->n_order, 6);   /* everything replayed once */
	/* nothing names "self" but itself: a leaf, as in the file list */
	CHECK_STR(heads_str(g, "m"), "after base self");
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

START_TEST(test_dangling_duplicates_unknown)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;
	const struct sc_revdir *d;

	add(&f, "m", "m/versions/0.py", "a", NULL, NULL, NULL);
	add(&f, "m", "m/versions/1.py", "b", "a", NULL, NULL);
	add(&f, "m", "m/versions/2.py", "b", "a", NULL, NULL);      /* copy */
	add(&f, "m", "m/versions/3.py", "c", "nosuch", NULL, NULL);  /* dangling */
	add(&f, "m", "m/versions/4.py", NULL, "b", NULL, NULL);      /* unknown id */
	g = build(&f);
	d = sc_revgraph_dir(g, "m");
	ck_assert_int_eq(g->nodes[2].dup_of, 1);
	ck_assert_int_eq(g->nodes[1].dup_of, -1);
	ck_assert(d->has_dup);
	ck_assert_int_eq(g->nodes[3].n_dangling, 1);
	ck_assert_int_eq(d->n_dangling, 1);
	ck_assert_int_eq(g->nodes[3].n_parents, 0);
	ck_assert(g->nodes[4].unknown);
	ck_assert_int_eq(d->n_unknown, 1);
	/* b has a child of unknown id; c hangs from nothing */
	CHECK_STR(heads_str(g, "m"), "c");
	ck_assert_int_eq(sc_revgraph_find(g, "m", "b"), 1);
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

START_TEST(test_legacy_id_and_dirs)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;

	add(&f, "db/a", "db/a/versions/1.py", "001", NULL, NULL, NULL);
	add(&f, "db/b", "db/b/versions/1.py", "001", NULL, NULL, NULL);
	add(&f, "db/b", "db/b/versions/2.py", "002", "001", NULL, NULL);
	add(&f, "db/b", "db/b/versions/3f2a9c.py", "x", "002", NULL, NULL);
	/* no `revision` at all: Alembic takes a hexadecimal file name */
	f.v[3]->mig->has_revision = 0;
	free(f.v[3]->mig->revision);
	f.v[3]->mig->revision = NULL;
	g = build(&f);
	ck_assert_int_eq(g->n_dirs, 2);
	ck_assert_str_eq(g->dirs[0].path, "db/a");
	CHECK_STR(heads_str(g, "db/a"), "001");
	CHECK_STR(heads_str(g, "db/b"), "3f2a9c");
	ck_assert(!g->dirs[0].has_dup && !g->dirs[1].has_dup);
	ck_assert_ptr_null(sc_revgraph_dir(g, "db"));
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

static double seconds_since(clock_t t0)
{
	return (double)(clock() - t0) / CLOCKS_PER_SEC;
}

/* The time a 10,000-revision build may take (valgrind is ~50x slower). */
static double time_limit(void)
{
	return RUNNING_ON_VALGRIND ? 60.0 : 1.0;
}

#define BIG 10000

START_TEST(test_long_chain)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;
	char id[32], down[32], path[64];
	clock_t t0;
	size_t i;

	for (i = 0; i < BIG; i++) {
		snprintf(id, sizeof(id), "r%05zu", i);
		snprintf(down, sizeof(down), "r%05zu", i - 1);
		snprintf(path, sizeof(path), "m/versions/%05zu.py", i);
		add(&f, "m", path, id, i ? down : NULL, i == 0 ? "main" : NULL,
		    NULL);
	}
	t0 = clock();
	g = build(&f);
	ck_assert_msg(seconds_since(t0) < time_limit(),
		      "10,000-revision chain took %.2fs", seconds_since(t0));
	CHECK_STR(heads_str(g, "m"), "r09999 (main)");
	CHECK_STR(bases_str(g, "m"), "r00000");
	ck_assert_int_eq(g->n_order, BIG);
	for (i = 0; i < BIG; i++)
		ck_assert_int_eq(g->order[i], i);
	ck_assert(!g->has_cycle);
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

START_TEST(test_long_cycle)
{
	struct fx f = { 0 };
	struct sc_revgraph *g;
	char id[32], down[32], path[64];
	clock_t t0;
	size_t i;

	for (i = 0; i < BIG; i++) {
		snprintf(id, sizeof(id), "r%05zu", i);
		snprintf(down, sizeof(down), "r%05zu", (i + BIG - 1) % BIG);
		snprintf(path, sizeof(path), "m/versions/%05zu.py", i);
		add(&f, "m", path, id, down, NULL, NULL);
	}
	t0 = clock();
	g = build(&f);
	ck_assert_msg(seconds_since(t0) < time_limit(),
		      "10,000-revision cycle took %.2fs", seconds_since(t0));
	ck_assert(g->has_cycle);
	ck_assert_int_eq(g->n_cycles, 1);
	ck_assert_int_eq(g->cycles[0].n, BIG);
	ck_assert_int_eq(g->cycles[0].nodes[0], 0);
	ck_assert_int_eq(g->cycles[0].nodes[1], BIG - 1);  /* r0 revises r9999 */
	ck_assert_int_eq(g->dirs[0].n_heads, 0);
	ck_assert_int_eq(g->dirs[0].n_bases, 0);
	ck_assert_int_eq(g->n_order, BIG);
	sc_revgraph_free(g);
	fx_release(&f);
}
END_TEST

/* ---- through the real extraction ----------------------------------- */

static const char env_py[] = "from alembic import context\n";

static void write_mig(const char *root, const char *rel, const char *rev,
		      const char *down, const char *extra)
{
	char *text = sc_xasprintf(
		"\"\"\"m\n\nRevision ID: %s\n\"\"\"\n"
		"EXPAND_BRANCH = 'expand'\nCONTRACT_BRANCH = 'contract'\n"
		"revision = '%s'\ndown_revision = %s\n%s\n\n"
		"def upgrade():\n    pass\n\n\ndef downgrade():\n    pass\n",
		rev, rev, down, extra ? extra : "");
	tu_write(root, rel, text);
	free(text);
}

static int heads_cb(const struct sc_analysis *a, void *arg)
{
	struct sc_buf *b = arg;
	size_t i;

	for (i = 0; i < a->n_script_dirs; i++) {
		char *h = heads_str(a->graph, a->script_dirs[i]);
		sc_buf_addf(b, "%s: %s\n", a->script_dirs[i], h);
		free(h);
	}
	return 0;
}

START_TEST(test_extracted_expand_contract)
{
	char *dir = tu_mkdtemp();
	struct sc_snapshot *snap = NULL;
	struct sc_config cfg;
	struct sc_buf b = SC_BUF_INIT;

	tu_write(dir, "db/env.py", env_py);
	write_mig(dir, "db/versions/liberty_initial.py", "liberty", "None", NULL);
	write_mig(dir, "db/versions/liberty/expand/1a.py", "1a", "'liberty'",
		  "branch_labels = (EXPAND_BRANCH,)");
	write_mig(dir, "db/versions/liberty/contract/2b.py", "2b", "'liberty'",
		  "branch_labels = (CONTRACT_BRANCH,)");
	write_mig(dir, "db/versions/mitaka/expand/3c.py", "3c", "'1a'", NULL);
	write_mig(dir, "db/versions/mitaka/contract/4d.py", "4d", "'2b'",
		  "depends_on = ('3c',)");
	write_mig(dir, "db/versions/newton/5e.py", "v2.4.0.a", "('3c', '4d')",
		  NULL);
	tu_write(dir, "db/versions/__init__.py", "");
	sc_config_init(&cfg);
	ck_assert_int_eq(sc_snapshot_from_dir(&snap, dir), 0);
	ck_assert_int_eq(sc_engine_inspect(NULL, snap, &cfg, heads_cb, &b), 0);
	ck_assert_str_eq(sc_buf_str(&b), "db: v2.4.0.a (contract, expand)\n");
	sc_buf_release(&b);
	sc_snapshot_free(snap);
	sc_config_release(&cfg);
	tu_rmtree(dir);
}
END_TEST

/* The text report of the SC304 run on `dir` with `heads` set to `heads`. */
static char *sc304(const char *dir, long heads)
{
	struct sc_snapshot *after = NULL;
	struct sc_changeset *cs;
	struct sc_config cfg;
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_buf b = SC_BUF_INIT;
	size_t i;

	sc_config_init(&cfg);
	cfg.heads = heads;
	sc_strlist_add(&cfg.select, &cfg.n_select, "SC304");
	ck_assert_int_eq(sc_snapshot_from_dir(&after, dir), 0);
	cs = sc_changeset_from_snapshots(SC_MODE_ALL, NULL, after);
	ck_assert_msg(sc_engine_run(&ds, NULL, cs, &cfg) == 0, "%s",
		      sc_error_last());
	for (i = 0; i < ds.n; i++)
		sc_buf_addf(&b, "%s:%u %s\n", ds.v[i].path, ds.v[i].line,
			    ds.v[i].message);
	sc_diags_release(&ds);
	sc_changeset_free(cs);
	sc_config_release(&cfg);
	return sc_buf_detach(&b);
}

START_TEST(test_heads_setting)
{
	char *dir = tu_mkdtemp(), *out;

	tu_write(dir, "migrations/env.py", env_py);
	write_mig(dir, "migrations/versions/a.py", "a", "None", NULL);
	write_mig(dir, "migrations/versions/b.py", "b", "'a'", NULL);
	write_mig(dir, "migrations/versions/c.py", "c", "'a'", NULL);
	out = sc304(dir, 1);
	ck_assert_str_eq(out, "migrations/versions/c.py:7 revision 'c' makes 2 "
			      "heads in 'migrations' (also 'b'); 1 allowed\n");
	free(out);
	out = sc304(dir, 2);
	ck_assert_str_eq(out, "");
	free(out);
	write_mig(dir, "migrations/versions/d.py", "d", "'a'", NULL);
	out = sc304(dir, 2);
	ck_assert_str_eq(out, "migrations/versions/d.py:7 revision 'd' makes 3 "
			      "heads in 'migrations' (also 'b', 'c'); 2 allowed\n");
	free(out);
	tu_rmtree(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("revgraph");
	TCase *tc = tcase_create("graph");
	int rc;

	sc_gitsrc_global_init();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_linear_chain);
	tcase_add_test(tc, test_merge_and_two_heads);
	tcase_add_test(tc, test_depends_on_keeps_head);
	tcase_add_test(tc, test_branch_labels);
	tcase_add_test(tc, test_opaque_labels);
	tcase_add_test(tc, test_cycles);
	tcase_add_test(tc, test_dangling_duplicates_unknown);
	tcase_add_test(tc, test_legacy_id_and_dirs);
	tcase_add_test(tc, test_long_chain);
	tcase_add_test(tc, test_long_cycle);
	tcase_add_test(tc, test_extracted_expand_contract);
	tcase_add_test(tc, test_heads_setting);
	suite_add_tcase(s, tc);
	rc = tu_run(s);
	sc_pysrc_shutdown();
	sc_gitsrc_global_shutdown();
	return rc;
}
