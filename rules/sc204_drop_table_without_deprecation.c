/*! SC204 drop-table-without-deprecation
 * ## What it does
 * Reports `op.drop_table()` (or `DROP TABLE` in `op.execute()` SQL) in
 * `upgrade()` of a table that a model still declares, or whose model left
 * the code only in this same change. A table may be dropped once the code
 * stopped using it at least one release earlier: the models at the newest
 * release tag (`release-tags`, default `v*`) reachable from the change's
 * "before" already lack it, or, in a repository without release tags, the
 * models before this change already lack it. In `--all` only the first
 * condition is checked. The message names the release (or the commit)
 * whose models still declared the table. The release condition judges
 * only drops the change adds; a table made again later in the same
 * `upgrade()` (rebuilt under the same name) is not a removal.
 *
 * ## Why is this bad?
 * Deploys are not atomic. While the migration runs and until every server
 * runs the new code, the release still running reads and writes the
 * table: dropping it breaks those requests, and the data is gone. If a
 * model still declares it, even the new release breaks.
 *
 * ## Example
 * ```python
 * # models.py still declares class AuditLog: __tablename__ = "audit_log"
 * def upgrade():
 *     op.drop_table("audit_log")
 * ```
 *
 * ## Use instead
 * Remove the `AuditLog` model (and every use of it) and ship that release
 * first; drop the table in a migration of a later release, after backing
 * up its data:
 * ```python
 * def upgrade():
 *     op.execute("CREATE TABLE audit_log_backup AS SELECT * FROM audit_log")
 *     op.drop_table("audit_log")
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"
#include "schema.h"
#include "sqlddl.h"

static const char doc[] =
#include "sc204_drop_table_without_deprecation.doc.inc"
	;

/* Does `op` make table `table` (create it, or rename another to it)? */
static int op_makes_table(const struct sc_op *op, const char *table)
{
	if (op->kind == SC_OP_CREATE_TABLE)
		return op->table && !strcmp(op->table, table);
	if (op->kind == SC_OP_RENAME_TABLE)
		return op->new_name && !strcmp(op->new_name, table);
	return 0;
}

/* Parse the SQL of an execute op (the caller frees with free_ops). */
static void parse_sql(const struct sc_op *op, struct sc_op **ops, size_t *n)
{
	int unknown = 0;
	char *table = NULL;

	*ops = NULL;
	*n = 0;
	if (op->kind == SC_OP_EXECUTE && op->sql)
		sc_sqlddl_parse(op->sql, op->flags, &op->loc, ops, n, &unknown,
				&table);
	free(table);
}

static void free_ops(struct sc_op *ops, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sc_op_release(&ops[i]);
	free(ops);
}

/*
 * Is table `table` made again after the drop (statement j of the SQL
 * `sql` of n statements, op i of m's upgrade), so the drop is a rebuild
 * under the same name rather than a removal?
 */
static int made_again_later(const struct sc_migration *m, size_t i,
			    const struct sc_op *sql, size_t n, size_t j,
			    const char *table)
{
	struct sc_op *ops;
	size_t k, l, nops;
	int found = 0;

	for (k = j + 1; k < n; k++)
		if (op_makes_table(&sql[k], table))
			return 1;
	for (k = i + 1; k < m->n_up && !found; k++) {
		if (op_makes_table(&m->up[k], table))
			return 1;
		parse_sql(&m->up[k], &ops, &nops);
		for (l = 0; l < nops; l++)
			found = found || op_makes_table(&ops[l], table);
		free_ops(ops, nops);
	}
	return found;
}

/* The drop of `table` by op i of u's upgrade (at `loc`). */
static void check_drop(struct sc_ctx *ctx, const struct sc_rule *self,
		       const struct sc_unit *u, size_t i,
		       const struct sc_op *sql, size_t n, size_t j,
		       const char *table, const struct sc_loc *loc)
{
	const struct sc_migration *m = u->mig;
	const struct sc_model_table *t;
	const struct sc_analysis *ref;
	const struct sc_unit *mu = NULL;
	const char *name;
	char *where = NULL;
	struct sc_diag *d;

	/* a table this upgrade made itself, or makes again, is no removal */
	if (sc_ops_created_table_before(m->up, i, table) ||
	    (sql && sc_ops_created_table_before(sql, j, table)) ||
	    made_again_later(m, i, sql, n, j, table))
		return;
	/* (a) a model still declares the table after the change, and the
	 * replayed schema lacks it (no later migration makes it again) */
	t = sc_models_find_table(ctx->now, table, &mu);
	if (t && !sc_schema_table(ctx->now->schema, table)) {
		d = sc_diags_add(ctx->out, self, u->file, loc,
				 "table '%s' is dropped but model '%s' (%s:%u) "
				 "still declares it", table,
				 t->class_name ? t->class_name : t->name,
				 mu->file->path, t->loc.row + 1);
		sc_diag_set_subject(d, table, NULL, m->revision);
		sc_diag_set_help(d, "remove the model of '%s' and release that "
				    "first; drop the table in a migration of a "
				    "later release", table);
		return;
	}
	if (t)
		return;
	/* (b) the deprecation period */
	ref = sc_deprecation_models(ctx, &where);
	if (!ref || !sc_drop_is_new(ctx, u, table, NULL))
		goto out;
	t = sc_models_find_table(ref, table, &mu);
	if (!t)
		goto out;
	name = t->class_name ? t->class_name : t->name;
	if (ctx->release)
		d = sc_diags_add(ctx->out, self, u->file, loc,
				 "table '%s' is dropped, but model '%s' still "
				 "declared it at %s (%s:%u)", table, name,
				 where, mu->file->path, t->loc.row + 1);
	else if (where)
		d = sc_diags_add(ctx->out, self, u->file, loc,
				 "table '%s' is dropped in the same change that "
				 "removes model '%s', which declared it at %s "
				 "(%s:%u)", table, name, where, mu->file->path,
				 t->loc.row + 1);
	else
		d = sc_diags_add(ctx->out, self, u->file, loc,
				 "table '%s' is dropped in the same change that "
				 "removes model '%s' (%s:%u)", table, name,
				 mu->file->path, t->loc.row + 1);
	sc_diag_set_subject(d, table, NULL, m->revision);
	if (ctx->release)
		sc_diag_set_help(d, "%s is still running and uses table '%s': "
				    "release the model removal first, then drop "
				    "the table in a migration of a later release",
				 where, table);
	else
		sc_diag_set_help(d, "the release still running uses table '%s': "
				    "commit and release the model removal alone, "
				    "then drop the table in a later release",
				 table);
out:
	free(where);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i, j, k, n;
	struct sc_op *ops;

	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];

		if (u->file->syntax_error || !u->mig)
			continue;
		for (j = 0; j < u->mig->n_up; j++) {
			const struct sc_op *op = &u->mig->up[j];

			if (op->kind == SC_OP_DROP_TABLE && op->table) {
				check_drop(ctx, self, u, j, NULL, 0, 0,
					   op->table, &op->loc);
				continue;
			}
			parse_sql(op, &ops, &n);
			for (k = 0; k < n; k++)
				if (ops[k].kind == SC_OP_DROP_TABLE &&
				    ops[k].table)
					check_drop(ctx, self, u, j, ops, n, k,
						   ops[k].table, &op->loc);
			free_ops(ops, n);
		}
	}
}

const struct sc_rule sc_rule_SC204 = {
	.code = "SC204",
	.name = "drop-table-without-deprecation",
	.severity = SC_SEV_ERROR,
	.summary = "`drop_table` of a table that a model still declares, or "
		   "whose model's removal is not at least one release old",
	.doc = doc,
	.check = check,
};
