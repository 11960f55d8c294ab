/*! SC401 model-table-without-migration
 * ## What it does
 * Reports a table that a model declares (a declarative class with
 * `__tablename__`, or a Core `Table(...)`) but that no migration creates,
 * judged on the schema obtained by replaying every migration's
 * `upgrade()` in revision order (including simple `CREATE TABLE` in
 * `op.execute()`). Silent when the replay cannot be sure: when a
 * migration creates a table whose name is not a literal, or when the
 * migrations alter tables that none of them creates (the history then
 * starts from a schema made elsewhere: `create_all()` followed by
 * `alembic stamp`, or tables owned by another project).
 *
 * ## Why is this bad?
 * Every schema change goes through a migration. A model table without
 * one works in tests that call `create_all()`, then fails in production
 * with "relation does not exist" because no deploy ever creates it.
 *
 * ## Example
 * ```python
 * # models.py
 * class Invoice(Base):
 *     __tablename__ = "invoices"
 *     id = sa.Column(sa.Integer, primary_key=True)
 * # ... and no migration calls op.create_table("invoices", ...)
 * ```
 *
 * ## Use instead
 * ```python
 * # migrations/versions/5d1e_create_invoices.py
 * def upgrade():
 *     op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))
 *
 * def downgrade():
 *     op.drop_table("invoices")
 * ```
 */
#include "rule.h"
#include "ruleutil.h"
#include "schema.h"

static const char doc[] =
#include "sc401_model_table_without_migration.doc.inc"
	;

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_analysis *a = ctx->now;
	size_t i, j;

	if (!a->migrations_found || a->schema->uncertain ||
	    a->schema->implied_tables)
		return;
	for (i = 0; i < a->n_models; i++) {
		const struct sc_unit *u = a->models[i];
		for (j = 0; j < u->models->n_tables; j++) {
			const struct sc_model_table *t = &u->models->tables[j];
			struct sc_diag *d;

			if (!t->name || sc_schema_table(a->schema, t->name))
				continue;
			if (t->class_name)
				d = sc_diags_add(ctx->out, self, u->file, &t->loc,
						 "model '%s' declares table '%s', "
						 "which no migration creates",
						 t->class_name, t->name);
			else
				d = sc_diags_add(ctx->out, self, u->file, &t->loc,
						 "table '%s' is declared here, but "
						 "no migration creates it", t->name);
			sc_diag_set_subject(d, t->name, NULL, NULL);
			sc_diag_set_help(d, "add a migration that creates it "
					    "(alembic revision --autogenerate -m "
					    "\"create %s\"), in the same commit",
					 t->name);
		}
	}
}

const struct sc_rule sc_rule_SC401 = {
	.code = "SC401",
	.name = "model-table-without-migration",
	.severity = SC_SEV_ERROR,
	.summary = "a model declares a table that no migration creates "
		   "(replayed schema)",
	.doc = doc,
	.check = check,
};
