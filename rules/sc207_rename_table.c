/*! SC207 rename-table
 * ## What it does
 * Reports `op.rename_table()` (or `ALTER TABLE ... RENAME TO` in
 * `op.execute()`) of a table that existed before this migration.
 * Renaming a table made earlier in the same migration, and swapping a
 * rebuilt copy in under the old name, are fine.
 *
 * ## Why is this bad?
 * Deploys are not atomic: from the moment the migration runs until every
 * server runs the new code, the release still running queries the old
 * name, and every one of those queries fails.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.rename_table("users", "accounts")
 * ```
 *
 * ## Use instead
 * Create the new table and copy the rows; make the code write both and
 * read the new one; drop the old table in a later release:
 * ```python
 * def upgrade():
 *     op.create_table(
 *         "accounts",
 *         sa.Column("id", sa.Integer, primary_key=True),
 *         sa.Column("name", sa.String(50), nullable=False),
 *     )
 *     op.execute("INSERT INTO accounts (id, name) SELECT id, name FROM users")
 * ```
 */
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc207_rename_table.doc.inc"
	;

/* Does an op of v[i+1..] make a table named `table` again? */
static int remade_later(const struct sc_xops *x, size_t i, const char *table)
{
	size_t j;

	for (j = i + 1; j < x->n; j++) {
		const struct sc_op *op = x->v[j].op;
		if ((op->kind == SC_OP_CREATE_TABLE && op->table &&
		     !strcmp(op->table, table)) ||
		    (op->kind == SC_OP_RENAME_TABLE && op->new_name &&
		     !strcmp(op->new_name, table)))
			return 1;
	}
	return 0;
}

static void check_migration(struct sc_ctx *ctx, const struct sc_rule *self,
			    const struct sc_unit *u)
{
	const struct sc_migration *m = u->mig;
	struct sc_xops x;
	size_t i;

	sc_xops_init(&x, m->up, m->n_up);
	for (i = 0; i < x.n; i++) {
		const struct sc_op *op = x.v[i].op;
		struct sc_diag *d;

		if (op->kind != SC_OP_RENAME_TABLE || !op->table || !op->new_name ||
		    (op->flags & SC_OPF_UNCERTAIN) || !strcmp(op->table, op->new_name))
			continue;
		if (sc_xops_created_table_before(&x, i, op->table) ||
		    remade_later(&x, i, op->table))
			continue;
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "table '%s' is renamed to '%s'",
				 op->table, op->new_name);
		sc_diag_set_subject(d, op->table, NULL, m->revision);
		sc_diag_set_help(d, "the release still running queries '%s': create "
				    "'%s' (op.create_table('%s', ...)), copy the rows "
				    "(op.execute(\"INSERT INTO %s SELECT * FROM %s\")), "
				    "make the code write both and read '%s', then drop "
				    "'%s' in a later release",
				 op->table, op->new_name, op->new_name, op->new_name,
				 op->table, op->new_name, op->table);
	}
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

const struct sc_rule sc_rule_SC207 = {
	.code = "SC207",
	.name = "rename-table",
	.severity = SC_SEV_WARNING,
	.summary = "`rename_table`",
	.doc = doc,
	.check = check,
};
