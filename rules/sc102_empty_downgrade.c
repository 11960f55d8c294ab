/*! SC102 empty-downgrade
 * ## What it does
 * Reports a migration whose `downgrade()` is only `pass`, `...`, a
 * docstring or `raise NotImplementedError` while its `upgrade()` changes
 * the schema. Off when the configuration sets `downgrade = "optional"` or
 * `"forbidden"`.
 *
 * ## Why is this bad?
 * An empty downgrade looks reversible but is not: `alembic downgrade`
 * "succeeds", records the older revision, and leaves the schema of the
 * newer one behind, so the next upgrade fails or the old code runs
 * against the wrong tables.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))
 *
 * def downgrade():
 *     pass
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))
 *
 * def downgrade():
 *     op.drop_table("invoices")
 * ```
 */
#include <stdlib.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc102_empty_downgrade.doc.inc"
	;

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i, j;

	if (ctx->cfg->downgrade != SC_DOWNGRADE_REQUIRED)
		return;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		const struct sc_migration *m = u->mig;
		const struct sc_op *first = NULL;
		struct sc_diag *d;
		char *hint = NULL;

		if (u->file->syntax_error || m->downgrade_kind != SC_BODY_EMPTY)
			continue;
		for (j = 0; j < m->n_up && !first; j++)
			if (sc_op_changes_schema(&m->up[j]))
				first = &m->up[j];
		if (!first)
			continue;
		d = sc_diags_add(ctx->out, self, u->file, &m->downgrade_loc,
				 "downgrade() of migration '%s' does nothing, but "
				 "upgrade() changes the schema (%s)",
				 sc_unit_label(u), first->fn);
		sc_diag_set_subject(d, NULL, NULL, m->revision);
		for (j = m->n_up; j-- > 0 && !hint;)
			hint = sc_op_inverse_hint(&m->up[j]);
		if (hint)
			sc_diag_set_help(d, "undo upgrade() in reverse order, starting "
					    "with %s; if this project never downgrades, "
					    "set downgrade = \"forbidden\" in [tool.schemacheck]",
					 hint);
		else
			sc_diag_set_help(d, "undo upgrade() in reverse order; if this "
					    "project never downgrades, set downgrade = "
					    "\"forbidden\" in [tool.schemacheck]");
		free(hint);
	}
}

const struct sc_rule sc_rule_SC102 = {
	.code = "SC102",
	.name = "empty-downgrade",
	.severity = SC_SEV_ERROR,
	.summary = "`downgrade()` is only `pass`, `...`, a docstring, or "
		   "`raise NotImplementedError` while upgrade() changes the schema",
	.doc = doc,
	.check = check,
};
