/*! SC101 missing-downgrade
 * ## What it does
 * Reports a migration whose `upgrade()` performs operations but that has
 * no `downgrade()` function at all. Off when the configuration sets
 * `downgrade = "optional"` or `"forbidden"`.
 *
 * ## Why is this bad?
 * Without a `downgrade()`, `alembic downgrade` fails with an error at
 * this revision, so a bad release cannot be rolled back: the team's
 * policy is that every migration can be undone.
 *
 * ## Example
 * ```python
 * revision = "3f2a"
 * down_revision = "1c9e"
 *
 * def upgrade():
 *     op.add_column("users", sa.Column("email", sa.String(100)))
 * ```
 *
 * ## Use instead
 * ```python
 * revision = "3f2a"
 * down_revision = "1c9e"
 *
 * def upgrade():
 *     op.add_column("users", sa.Column("email", sa.String(100)))
 *
 * def downgrade():
 *     op.drop_column("users", "email")
 * ```
 */
#include <stdlib.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc101_missing_downgrade.doc.inc"
	;

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	if (ctx->cfg->downgrade != SC_DOWNGRADE_REQUIRED)
		return;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		const struct sc_migration *m = u->mig;
		struct sc_diag *d;
		char *hint = NULL;
		size_t j;

		if (u->file->syntax_error || m->upgrade_kind != SC_BODY_CODE ||
		    m->downgrade_kind != SC_BODY_ABSENT || !m->n_up)
			continue;
		d = sc_diags_add(ctx->out, self, u->file, &m->upgrade_loc,
				 "migration '%s' has upgrade operations but no downgrade()",
				 sc_unit_label(u));
		sc_diag_set_subject(d, NULL, NULL, m->revision);
		for (j = m->n_up; j-- > 0 && !hint;)
			hint = sc_op_inverse_hint(&m->up[j]);
		if (hint)
			sc_diag_set_help(d, "add a downgrade() that undoes upgrade() "
					    "in reverse order, starting with %s", hint);
		else
			sc_diag_set_help(d, "add a downgrade() that undoes upgrade() "
					    "in reverse order");
		free(hint);
	}
}

const struct sc_rule sc_rule_SC101 = {
	.code = "SC101",
	.name = "missing-downgrade",
	.severity = SC_SEV_ERROR,
	.summary = "a migration with upgrade operations has no `downgrade()`",
	.doc = doc,
	.check = check,
};
