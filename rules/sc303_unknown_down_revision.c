/*! SC303 unknown-down-revision
 * ## What it does
 * Reports a `down_revision` or `depends_on` entry that names no revision
 * of the migration's script directory. `depends_on` may also name a
 * branch label. The rule stays silent when it cannot be sure: when some
 * migration of the directory has a revision id that is not a literal,
 * when a label or dependency is an imported name it cannot resolve, or
 * when the id exists in another script directory.
 *
 * ## Why is this bad?
 * Alembic cannot build the history: every command fails with
 * "Revision ... referenced from ... is not present" (a KeyError). It
 * usually means the parent migration was renamed, deleted, not committed
 * yet, or its id was mistyped.
 *
 * ## Example
 * ```python
 * revision = "7b1d"
 * down_revision = "3f2b"   # the parent is "3f2a"
 * ```
 *
 * ## Use instead
 * ```python
 * revision = "7b1d"
 * down_revision = "3f2a"
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "revgraph.h"
#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc303_unknown_down_revision.doc.inc"
	;

/* Does any script directory other than `dir` declare `name` (id or label)? */
static int elsewhere(const struct sc_revgraph *g, size_t dir, const char *name)
{
	size_t i;

	for (i = 0; i < g->n_dirs; i++)
		if (i != dir && sc_revgraph_resolve(g, i, name) >= 0)
			return 1;
	return 0;
}

/* Levenshtein distance of a and b, capped at 3 (they are short ids). */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, *row, best;

	if (la > 64 || lb > 64)
		return 3;
	row = sc_xcalloc(lb + 1, sizeof(size_t));
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j], v = diag + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < v)
				v = row[j] + 1;
			if (row[j - 1] + 1 < v)
				v = row[j - 1] + 1;
			row[j] = v;
			diag = up;
		}
	}
	best = row[lb];
	free(row);
	return best < 3 ? best : 3;
}

/*
 * The revision of the directory that `name` was most likely meant to be:
 * the only id it is a prefix of (or that is a prefix of it), else the only
 * id within two edits; NULL otherwise.
 */
static const char *meant(const struct sc_revgraph *g, size_t dir,
			 const char *name)
{
	const struct sc_revdir *d = &g->dirs[dir];
	const char *prefix = NULL, *near = NULL;
	size_t i, n_prefix = 0, n_near = 0, len = strlen(name);

	for (i = 0; i < d->n_nodes; i++) {
		const char *id = g->nodes[d->nodes[i]].id;
		size_t il;

		if (!id || g->nodes[d->nodes[i]].dup_of >= 0)
			continue;
		il = strlen(id);
		if (len >= 4 && il >= 4 &&
		    !strncmp(id, name, len < il ? len : il)) {
			prefix = id;
			n_prefix++;
		} else if (distance(id, name) <= 2) {
			near = id;
			n_near++;
		}
	}
	if (n_prefix == 1)
		return prefix;
	return !n_prefix && n_near == 1 ? near : NULL;
}

/* The line of the module-level `depends_on` assignment, as a loc. */
static struct sc_loc depends_on_loc(const struct sc_srcfile *f)
{
	struct sc_loc loc = { 0, 0, 0, 0 };
	const char *p = f->data;
	unsigned row = 0;

	while (p && *p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (!strncmp(p, "depends_on", 10) &&
		    (p[10] == ' ' || p[10] == '=' || p[10] == ':')) {
			loc.row = loc.end_row = row;
			loc.end_col = (unsigned)n;
			return loc;
		}
		if (!eol)
			break;
		p = eol + 1;
		row++;
	}
	return loc;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_revnode *nd, const char *what,
		   const char *name, const struct sc_loc *loc)
{
	const struct sc_revgraph *g = ctx->now->graph;
	const struct sc_revdir *dir = &g->dirs[nd->dir];
	const char *fix = meant(g, nd->dir, name);
	struct sc_diag *d;

	d = sc_diags_add(ctx->out, self, nd->unit->file, loc,
			 "%s of revision '%s' names '%s', which no migration "
			 "in '%s' declares", what, sc_unit_label(nd->unit),
			 name, *dir->path ? dir->path : ".");
	sc_diag_set_subject(d, NULL, NULL, nd->id);
	if (fix)
		sc_diag_set_help(d, "did you mean '%s'?", fix);
	else if (dir->n_heads == 1 && g->nodes[dir->heads[0]].unit != nd->unit)
		sc_diag_set_help(d, "point it at an existing revision; the "
				 "current head is '%s'",
				 g->nodes[dir->heads[0]].id);
	else
		sc_diag_set_help(d, "point it at an existing revision "
				 "(`alembic heads` lists the heads), or commit "
				 "the migration it names");
}

/* Does directory `d` hold a migration whose revision id we cannot read? */
static int unreadable_id(const struct sc_revgraph *g, const struct sc_revdir *d)
{
	size_t i;

	for (i = 0; i < d->n_nodes; i++) {
		const struct sc_revnode *nd = &g->nodes[d->nodes[i]];
		if (!nd->id || nd->unit->file->syntax_error)
			return 1;
	}
	return 0;
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_revgraph *g = ctx->now->graph;
	unsigned char *silent = sc_xcalloc(g->n_dirs ? g->n_dirs : 1, 1);
	size_t i, j;

	for (i = 0; i < g->n_dirs; i++)
		silent[i] = (unsigned char)unreadable_id(g, &g->dirs[i]);

	for (i = 0; i < g->n; i++) {
		const struct sc_revnode *nd = &g->nodes[i];
		const struct sc_migration *m = nd->unit->mig;
		const struct sc_revdir *dir = &g->dirs[nd->dir];
		struct sc_loc loc;

		/* an id we cannot read could be the one that is named */
		if (silent[nd->dir])
			continue;
		for (j = 0; j < m->n_down_revisions; j++) {
			const char *name = m->down_revisions[j];
			if (!name || (nd->id && !strcmp(name, nd->id)) ||
			    sc_revgraph_resolve(g, nd->dir, name) >= 0 ||
			    elsewhere(g, nd->dir, name))
				continue;
			report(ctx, self, nd, "down_revision", name,
			       &m->down_revision_loc);
		}
		if (dir->n_opaque)
			continue;   /* an unresolved label could be the target */
		loc = depends_on_loc(nd->unit->file);
		for (j = 0; j < m->n_depends_on; j++) {
			const char *name = m->depends_on[j];
			if (!name || (nd->id && !strcmp(name, nd->id)) ||
			    sc_revgraph_resolve(g, nd->dir, name) >= 0 ||
			    elsewhere(g, nd->dir, name))
				continue;
			report(ctx, self, nd, "depends_on", name, &loc);
		}
	}
	free(silent);
}

const struct sc_rule sc_rule_SC303 = {
	.code = "SC303",
	.name = "unknown-down-revision",
	.severity = SC_SEV_ERROR,
	.summary = "`down_revision` or `depends_on` names a revision that does "
		   "not exist",
	.doc = doc,
	.check = check,
};
