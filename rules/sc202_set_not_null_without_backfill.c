/*! SC202 set-not-null-without-backfill
 * ## What it does
 * Reports `op.alter_column(..., nullable=False)` (or `batch_op.alter_column`,
 * or `ALTER TABLE ... ALTER COLUMN ... SET NOT NULL` in `op.execute()`) on
 * a column of a table that existed before this migration, when nothing
 * earlier in the same `upgrade()` fills the column: no `op.execute()` of
 * an `UPDATE` or `INSERT`, no `op.bulk_insert()`, no `op.execute()` of a
 * SQLAlchemy statement, no `connection.execute()`. A table created in the
 * same migration, a column just added with a `server_default`, and a
 * column the history already made NOT NULL are fine.
 *
 * ## Why is this bad?
 * If any row still holds NULL, the migration fails in production
 * (PostgreSQL: "column contains null values") although it passed on an
 * empty development database. And the release still running may insert
 * rows without the column until the new code is everywhere.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.alter_column("users", "email", existing_type=sa.String(100), nullable=False)
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.execute("UPDATE users SET email = '' WHERE email IS NULL")
 *     op.alter_column("users", "email", existing_type=sa.String(100), nullable=False)
 * ```
 * once the code running everywhere writes the column.
 */
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc202_set_not_null_without_backfill.doc.inc"
	;

/* Does body op `op` (not one parsed from SQL) fill data? */
static int is_backfill(const struct sc_srcfile *f, const struct sc_op *op)
{
	if (op->kind == SC_OP_BULK_INSERT)
		return 1;
	if (op->kind != SC_OP_EXECUTE)
		return 0;
	if (!op->sql)       /* op.execute(users.update()...) */
		return 1;
	if (!sc_loc_starts_with(f, &op->loc, "op."))
		return 1;       /* connection.execute(...) */
	return sc_sql_has_word(op->sql, "update") ||
	       sc_sql_has_word(op->sql, "insert") ||
	       sc_sql_has_word(op->sql, "merge") ||
	       sc_sql_has_word(op->sql, "copy");
}

static void check_migration(struct sc_ctx *ctx, const struct sc_rule *self,
			    const struct sc_unit *u)
{
	const struct sc_migration *m = u->mig;
	struct sc_xops x;
	struct sc_schema *before = NULL;
	int have_before = 0, unseen = -1;
	size_t i, j;

	sc_xops_init(&x, m->up, m->n_up);
	for (i = 0; i < x.n; i++) {
		const struct sc_op *op = x.v[i].op, *add;
		const struct sc_scolumn *col;
		struct sc_diag *d;
		int filled = 0;

		if (op->kind != SC_OP_ALTER_COLUMN || op->nullable != SC_NO ||
		    !op->table || !op->column || (op->flags & SC_OPF_UNCERTAIN))
			continue;
		if (sc_xops_created_table_before(&x, i, op->table))
			continue;
		add = sc_xops_added_column_before(&x, i, op->table, op->column);
		if (!add && sc_xops_may_have_added_column(&x, i, op->table,
							  op->column))
			continue;       /* an add_column we cannot read */
		if (add && add->n_cols == 1 &&
		    (add->cols[0].has_server_default ||
		     add->cols[0].nullable == SC_NO))
			continue;
		for (j = 0; j < i && !filled; j++)
			filled = !x.v[j].from_sql && is_backfill(u->file, x.v[j].op);
		if (filled)
			continue;
		if (!have_before) {
			before = sc_schema_before(ctx->now, u);
			have_before = 1;
		}
		col = sc_schema_sure_column(before, op->table, op->column);
		if (!add && col && (col->nullable == SC_NO || col->primary_key))
			continue;       /* already NOT NULL: nothing changes */
		/* a history that does not know the column: "id" is taken for
		 * the primary key, which holds no NULLs */
		if (!add && !col && !strcmp(op->column, "id"))
			continue;
		if (unseen < 0)
			unseen = sc_body_has_unseen_calls(u, 0);
		if (unseen)
			break;
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is set NOT NULL with no backfill "
				 "earlier in this migration",
				 op->table, op->column);
		sc_diag_set_subject(d, op->table, op->column, m->revision);
		sc_diag_set_help(d, "rows where '%s' is NULL make this fail: fill "
				    "them first, e.g. op.execute(\"UPDATE %s SET %s "
				    "= ... WHERE %s IS NULL\") before the alter_column, "
				    "once the code running everywhere writes '%s'",
				 op->column, op->table, op->column, op->column,
				 op->column);
	}
	sc_schema_free(before);
	sc_xops_release(&x);
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

const struct sc_rule sc_rule_SC202 = {
	.code = "SC202",
	.name = "set-not-null-without-backfill",
	.severity = SC_SEV_WARNING,
	.summary = "`alter_column(nullable=False)` on an existing column with "
		   "no backfill (UPDATE / op.execute) earlier in the same migration",
	.doc = doc,
	.check = check,
};
