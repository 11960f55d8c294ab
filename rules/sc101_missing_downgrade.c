/*! SC101 missing-downgrade
 * ## What it does
 * Reports a migration that has an `upgrade()` but no `downgrade()`
 * function at all: one whose `upgrade()` performs operations, and also
 * one whose `upgrade()` does nothing (a placeholder or release marker),
 * because Alembic calls `downgrade()` of every revision it passes. Off
 * when the configuration sets `downgrade = "optional"` or `"forbidden"`.
 *
 * ## Why is this bad?
 * Without a `downgrade()`, `alembic downgrade` fails with an error at
 * this revision (`AttributeError: module ... has no attribute
 * 'downgrade'`, checked on PostgreSQL and SQLite by the oracle tests),
 * so a bad release cannot be rolled back past it: the team's policy is
 * that every migration can be undone.
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

		if (u->file->syntax_error || !m->has_revision ||
		    m->upgrade_kind == SC_BODY_ABSENT ||
		    m->downgrade_kind != SC_BODY_ABSENT)
			continue;
		if (m->upgrade_kind == SC_BODY_EMPTY || !m->n_up) {
			d = sc_diags_add(ctx->out, self, u->file, &m->upgrade_loc,
					 "migration '%s' has no downgrade(); `alembic "
					 "downgrade` cannot pass through it",
					 sc_unit_label(u));
			sc_diag_set_subject(d, NULL, NULL, m->revision);
			sc_diag_set_help(d, "add a downgrade() that undoes upgrade(); "
					    "for a migration that changes nothing, "
					    "`def downgrade(): pass`");
			continue;
		}
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
	.summary = "a migration with upgrade operations has no `downgrade()` "
		   "(also one whose upgrade() does nothing: Alembic still calls it)",
	.doc = doc,
	.check = check,
};
