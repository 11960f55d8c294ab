/*! SC201 not-null-without-default
 * ## What it does
 * Reports `op.add_column()` (or `batch_op.add_column()`, or
 * `ALTER TABLE ... ADD COLUMN ... NOT NULL` in `op.execute()`) of a NOT
 * NULL column without a `server_default`, on a table that existed before
 * this migration. A Python-side `default=` does not count: the database
 * never sees it. A column added to a table created earlier in the same
 * migration is fine.
 *
 * ## Why is this bad?
 * The database must give every existing row a value for the new column.
 * With no server default, adding the column fails on any table that has
 * rows (PostgreSQL: "column contains null values"), so the deploy breaks
 * in production although it passed on an empty development database. And
 * the release still running does not write the column, so its INSERTs
 * fail too.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("email", sa.String(100), nullable=False))
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.add_column(
 *         "users",
 *         sa.Column("email", sa.String(100), nullable=False, server_default=""),
 *     )
 * ```
 * or add the column nullable, backfill it, and set NOT NULL in a later
 * migration once every row has a value.
 */
#include <stdlib.h>

#include "rule.h"
#include "ruleutil.h"
#include "sqlddl.h"

static const char doc[] =
#include "sc201_not_null_without_default.doc.inc"
	;

static int not_null(const struct sc_column *c)
{
	return c->nullable == SC_NO ||
	       (c->nullable == SC_UNKNOWN && c->primary_key);
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_op *op,
		   const char *table, const struct sc_column *c)
{
	struct sc_diag *d;

	d = sc_diags_add(ctx->out, self, u->file, &op->loc,
			 "column '%s.%s' is added as NOT NULL without a server_default",
			 table, c->name);
	sc_diag_set_subject(d, table, c->name, u->mig->revision);
	sc_diag_set_help(d, "add server_default=... to the column, or add '%s.%s' "
			    "as nullable, backfill it, then set NOT NULL "
			    "(op.alter_column('%s', '%s', nullable=False)) in a "
			    "later migration",
			 table, c->name, table, c->name);
}

static void check_migration(struct sc_ctx *ctx, const struct sc_rule *self,
			    const struct sc_unit *u)
{
	const struct sc_migration *m = u->mig;
	size_t i, j;

	for (i = 0; i < m->n_up; i++) {
		const struct sc_op *op = &m->up[i];

		if (op->kind == SC_OP_ADD_COLUMN && op->table && op->n_cols == 1) {
			const struct sc_column *c = &op->cols[0];
			if (!c->name || !not_null(c) || c->has_server_default)
				continue;
			if (sc_ops_created_table_before(m->up, i, op->table))
				continue;
			report(ctx, self, u, op, op->table, c);
		} else if (op->kind == SC_OP_EXECUTE && op->sql) {
			struct sc_op *ops = NULL;
			size_t n = 0;
			int unknown;
			char *table;

			sc_sqlddl_parse(op->sql, op->flags, &op->loc, &ops, &n,
					&unknown, &table);
			for (j = 0; j < n; j++) {
				const struct sc_op *s = &ops[j];
				if (s->kind != SC_OP_ADD_COLUMN || !s->table ||
				    s->n_cols != 1 || !s->cols[0].name ||
				    s->cols[0].nullable != SC_NO ||
				    s->cols[0].has_server_default)
					continue;
				if (sc_ops_created_table_before(m->up, i, s->table) ||
				    sc_ops_created_table_before(ops, j, s->table))
					continue;
				report(ctx, self, u, op, s->table, &s->cols[0]);
			}
			for (j = 0; j < n; j++)
				sc_op_release(&ops[j]);
			free(ops);
			free(table);
		}
	}
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		if (!u->file->syntax_error)
			check_migration(ctx, self, u);
	}
}

const struct sc_rule sc_rule_SC201 = {
	.code = "SC201",
	.name = "not-null-without-default",
	.severity = SC_SEV_ERROR,
	.summary = "`add_column` of a NOT NULL column without `server_default` "
		   "to a table that existed before this migration",
	.doc = doc,
	.check = check,
};
