/*! SC203 drop-column-without-deprecation
 * ## What it does
 * Reports `op.drop_column()` (or `batch_op.drop_column()`) in `upgrade()`
 * of a column that a model still declares, or that left the models only
 * in this same change. A column may be dropped once the code stopped
 * using it at least one release earlier: the models at the newest
 * release tag (`release-tags`, default `v*`) already lack it, or, in a
 * repository without release tags, the models before this change already
 * lack it. In `--all` only the first condition is checked. The message
 * names the release (or the commit) whose models still declared the
 * column. The release condition judges only drops the change adds: an
 * older migration is not reported again on every commit.
 *
 * ## Why is this bad?
 * Deploys are not atomic. While the migration runs and until every
 * server runs the new code, the release still running selects and
 * inserts the column: dropping it breaks those queries. If a model still
 * declares it, even the new release breaks.
 *
 * ## Example
 * ```python
 * # models.py still declares User.nickname
 * def upgrade():
 *     op.drop_column("users", "nickname")
 * ```
 *
 * ## Use instead
 * Remove `nickname` from the `User` model and ship that release first;
 * drop the column in a migration of a later release:
 * ```python
 * def upgrade():
 *     op.drop_column("users", "nickname")
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"
#include "schema.h"

static const char doc[] =
#include "sc203_drop_column_without_deprecation.doc.inc"
	;

static unsigned line_of(const struct sc_model_table *t)
{
	return t->loc.row + 1;
}

/* Does an op after ops[i] in the same body make column table.column
 * again (add it, or rename another column to it)? */
static int recreated_later(const struct sc_migration *m, size_t i,
			   const char *table, const char *column)
{
	size_t j;
	for (j = i + 1; j < m->n_up; j++) {
		const struct sc_op *op = &m->up[j];
		if (!op->table || strcmp(op->table, table))
			continue;
		if (op->kind == SC_OP_ADD_COLUMN &&
		    (!op->column || !strcmp(op->column, column)))
			return 1;
		if (op->kind == SC_OP_ALTER_COLUMN && op->new_name &&
		    !strcmp(op->new_name, column))
			return 1;
	}
	return 0;
}

static void check_op(struct sc_ctx *ctx, const struct sc_rule *self,
		     const struct sc_unit *u, size_t i)
{
	const struct sc_op *op = &u->mig->up[i];
	const struct sc_model_table *t;
	const struct sc_column *c;
	const struct sc_stable *st;
	const struct sc_analysis *ref;
	const struct sc_unit *mu = NULL;
	const char *name;
	char *where = NULL;
	struct sc_diag *d;

	/* a column made again under the same name (type change by copy,
	 * add/copy/drop/rename) is not a removal */
	if (recreated_later(u->mig, i, op->table, op->column))
		return;
	/* (a) a model still declares the column after the change, and the
	 * replayed schema (if it is sure of this table) lacks it */
	t = sc_models_find_table(ctx->now, op->table, &mu);
	st = sc_schema_table(ctx->now->schema, op->table);
	if (t && sc_model_find_column(t, op->column) &&
	    !(st && st->uncertain) && !sc_schema_column(st, op->column)) {
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is dropped but model '%s' "
				 "(%s:%u) still declares it",
				 op->table, op->column,
				 t->class_name ? t->class_name : t->name,
				 mu->file->path, line_of(t));
		sc_diag_set_subject(d, op->table, op->column, u->mig->revision);
		sc_diag_set_help(d, "remove '%s' from the model and release that "
				    "first; drop the column in a migration of a "
				    "later release",
				 op->column);
		return;
	}
	/* (b) the deprecation period: the models at the newest release
	 * (or, without release tags, before the change) already lack it;
	 * only a drop this change makes is judged */
	ref = sc_deprecation_models(ctx, &where);
	if (!ref || !sc_drop_is_new(ctx, u, op->table, op->column))
		goto out;
	t = sc_models_find_table(ref, op->table, &mu);
	c = t ? sc_model_find_column(t, op->column) : NULL;
	if (!c)
		goto out;
	name = t->class_name ? t->class_name : t->name;
	if (ctx->release)
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is dropped, but model '%s' "
				 "still declared it at %s (%s:%u)",
				 op->table, op->column, name, where,
				 mu->file->path, c->loc.row + 1);
	else if (where)
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is dropped in the same change "
				 "that removes it from model '%s', which "
				 "declared it at %s (%s:%u)",
				 op->table, op->column, name, where,
				 mu->file->path, c->loc.row + 1);
	else
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is dropped in the same change "
				 "that removes it from model '%s' (%s:%u)",
				 op->table, op->column, name,
				 mu->file->path, c->loc.row + 1);
	sc_diag_set_subject(d, op->table, op->column, u->mig->revision);
	if (ctx->release)
		sc_diag_set_help(d, "%s is still running and reads '%s.%s': "
				    "release the model change first, then drop "
				    "the column in a migration of a later release",
				 where, op->table, op->column);
	else
		sc_diag_set_help(d, "the release still running reads '%s.%s': "
				    "commit and release the model change alone, "
				    "then drop the column in a later release",
				 op->table, op->column);
out:
	free(where);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i, j;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		if (u->file->syntax_error)
			continue;
		for (j = 0; j < u->mig->n_up; j++) {
			const struct sc_op *op = &u->mig->up[j];
			if (op->kind == SC_OP_DROP_COLUMN && op->table &&
			    op->column)
				check_op(ctx, self, u, j);
		}
	}
}

const struct sc_rule sc_rule_SC203 = {
	.code = "SC203",
	.name = "drop-column-without-deprecation",
	.severity = SC_SEV_ERROR,
	.summary = "`drop_column` of a column that a model still declares, or "
		   "whose removal from the models is not at least one release old",
	.doc = doc,
	.check = check,
};
