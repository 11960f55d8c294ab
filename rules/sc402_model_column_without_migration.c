/*! SC402 model-column-without-migration
 * ## What it does
 * Reports a column that a model declares on a table the migrations
 * create, but that no migration adds: the schema obtained by replaying
 * every migration's `upgrade()` in revision order (`create_table`,
 * `add_column`, renames, `batch_alter_table`, simple DDL in
 * `op.execute()`) lacks it. Silent when the replay cannot be sure of the
 * table's columns: a column or table name that is not a literal, DDL it
 * does not understand, an operation that may or may not run.
 *
 * ## Why is this bad?
 * Every schema change goes through a migration. A model column without
 * one works in tests that build the schema with `create_all()`, then
 * fails in production with "column does not exist" on the first query
 * that selects the model.
 *
 * ## Example
 * ```python
 * # models.py
 * class User(Base):
 *     __tablename__ = "users"
 *     id = sa.Column(sa.Integer, primary_key=True)
 *     email = sa.Column(sa.String(255))   # new, and no migration adds it
 * ```
 *
 * ## Use instead
 * ```python
 * # migrations/versions/7b2c_add_users_email.py
 * def upgrade():
 *     op.add_column("users", sa.Column("email", sa.String(255)))
 *
 * def downgrade():
 *     op.drop_column("users", "email")
 * ```
 */
#include <stdlib.h>
#include <strings.h>

#include "rule.h"
#include "ruleutil.h"
#include "schema.h"

static const char doc[] =
#include "sc402_model_column_without_migration.doc.inc"
	;

/* The replayed column of `t` named `name`, ignoring case (SQL folds it). */
static const struct sc_scolumn *find_column(const struct sc_stable *t,
					    const char *name)
{
	size_t i;

	for (i = 0; i < t->n_cols; i++)
		if (!strcasecmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_model_table *t,
		   const struct sc_column *c)
{
	struct sc_diag *d;
	char *call = sc_add_column_hint(t->name, c);

	if (t->class_name)
		d = sc_diags_add(ctx->out, self, u->file, &c->loc,
				 "model '%s' declares column '%s.%s', which no "
				 "migration adds", t->class_name, t->name,
				 c->name);
	else
		d = sc_diags_add(ctx->out, self, u->file, &c->loc,
				 "column '%s.%s' is declared here, but no "
				 "migration adds it", t->name, c->name);
	sc_diag_set_subject(d, t->name, c->name, NULL);
	sc_diag_set_help(d, "add it in a new migration, in the same commit: %s%s",
			 call, sc_column_is_nullable(c) || c->has_server_default
			 ? "" : " (a NOT NULL column needs a server_default "
				"when the table has rows)");
	free(call);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_analysis *a = ctx->now;
	size_t i, j, k;

	/* an add_column on a table that does not resolve (or a helper we
	 * cannot see into) made every table it may have changed uncertain */
	if (!a->migrations_found)
		return;
	for (i = 0; i < a->n_models; i++) {
		const struct sc_unit *u = a->models[i];

		for (j = 0; j < u->models->n_tables; j++) {
			const struct sc_model_table *t = &u->models->tables[j];
			const struct sc_stable *st;

			if (!t->name)
				continue;
			st = sc_schema_table(a->schema, t->name);
			if (!st || st->uncertain)
				continue;
			for (k = 0; k < t->n_cols; k++) {
				const struct sc_column *c = &t->cols[k];

				if (c->name && !find_column(st, c->name))
					report(ctx, self, u, t, c);
			}
		}
	}
}

const struct sc_rule sc_rule_SC402 = {
	.code = "SC402",
	.name = "model-column-without-migration",
	.severity = SC_SEV_ERROR,
	.summary = "a model column that the replayed schema lacks",
	.doc = doc,
	.check = check,
};
