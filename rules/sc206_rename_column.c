/*! SC206 rename-column
 * ## What it does
 * Reports `op.alter_column(..., new_column_name=...)` (or
 * `batch_op.alter_column`, or `ALTER TABLE ... RENAME COLUMN` in
 * `op.execute()`) on a column of a table that existed before this
 * migration. Renaming a column made earlier in the same migration (the
 * last step of a copy) is fine.
 *
 * ## Why is this bad?
 * Deploys are not atomic: from the moment the migration runs until every
 * server runs the new code, the release still running reads and writes
 * the old name, and every one of those queries fails.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.alter_column("users", "name", new_column_name="full_name")
 * ```
 *
 * ## Use instead
 * Add the new column and copy the data; make the code write both and
 * read the new one; drop the old column in a later release:
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("full_name", sa.String(100)))
 *     op.execute("UPDATE users SET full_name = name")
 * ```
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc206_rename_column.doc.inc"
	;

/* A type's text when it reads as Python (not SQL from op.execute). */
static const char *py_type(const char *type)
{
	if (!type || !*type)
		return NULL;
	if (!strchr(type, '.') && !strchr(type, '(') &&
	    !isupper((unsigned char)type[0]))
		return NULL;
	return type;
}

/* Does an op of v[i+1..] make table.column again (a swap)? */
static int remade_later(const struct sc_xops *x, size_t i, const char *table,
			const char *column)
{
	size_t j;

	for (j = i + 1; j < x->n; j++) {
		const struct sc_op *op = x->v[j].op;
		if (!op->table || strcmp(op->table, table))
			continue;
		if (op->kind == SC_OP_ADD_COLUMN && op->column &&
		    !strcmp(op->column, column))
			return 1;
		if (op->kind == SC_OP_ALTER_COLUMN && op->new_name &&
		    !strcmp(op->new_name, column))
			return 1;
	}
	return 0;
}

static void check_migration(struct sc_ctx *ctx, const struct sc_rule *self,
			    const struct sc_unit *u)
{
	const struct sc_migration *m = u->mig;
	struct sc_xops x;
	struct sc_schema *before = NULL;
	int have_before = 0;
	size_t i;

	sc_xops_init(&x, m->up, m->n_up);
	for (i = 0; i < x.n; i++) {
		const struct sc_op *op = x.v[i].op;
		const struct sc_kwarg *k;
		const struct sc_scolumn *col;
		const char *type = NULL;
		char *type1;
		struct sc_diag *d;

		if (op->kind != SC_OP_ALTER_COLUMN || !op->table || !op->column ||
		    !op->new_name || (op->flags & SC_OPF_UNCERTAIN) ||
		    !strcmp(op->column, op->new_name))
			continue;
		if (sc_xops_created_table_before(&x, i, op->table) ||
		    sc_xops_may_have_added_column(&x, i, op->table, op->column) ||
		    remade_later(&x, i, op->table, op->column))
			continue;
		if (!have_before) {
			before = sc_schema_before(ctx->now, u);
			have_before = 1;
		}
		k = sc_op_kwarg(op, "existing_type");
		if (k)
			type = py_type(k->value);
		col = sc_schema_sure_column(before, op->table, op->column);
		if (!type && col)
			type = py_type(col->type);
		type1 = sc_oneline(type, 80);
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is renamed to '%s'",
				 op->table, op->column, op->new_name);
		sc_diag_set_subject(d, op->table, op->column, m->revision);
		sc_diag_set_help(d, "the release still running uses '%s': add the "
				    "column (op.add_column('%s', sa.Column('%s', %s))), "
				    "copy the data (op.execute(\"UPDATE %s SET %s = %s\")), "
				    "make the code write both and read '%s', then drop "
				    "'%s' in a later release",
				 op->column, op->table, op->new_name,
				 type1 ? type1 : "...", op->table, op->new_name,
				 op->column, op->new_name, op->column);
		free(type1);
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

const struct sc_rule sc_rule_SC206 = {
	.code = "SC206",
	.name = "rename-column",
	.severity = SC_SEV_WARNING,
	.summary = "`alter_column(new_column_name=...)`: use add, copy, switch "
		   "code, drop later",
	.doc = doc,
	.check = check,
};
