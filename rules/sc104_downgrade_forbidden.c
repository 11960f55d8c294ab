/*! SC104 downgrade-forbidden
 * ## What it does
 * Only when the configuration sets `downgrade = "forbidden"` (projects
 * that never downgrade, and roll forward instead): reports a migration
 * whose `downgrade()` does work. A `downgrade()` that is only `pass`,
 * `...`, a docstring, or `raise NotImplementedError`, or that only logs,
 * is fine, and so is a migration without one.
 *
 * ## Why is this bad?
 * In a project that never runs `alembic downgrade`, downgrade code is
 * never tested. It rots as the schema moves on, and the one day someone
 * runs it, it drops data or fails half-way. Making it fail loudly is
 * safer than keeping code that looks like a way back.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("phone", sa.String(20)))
 *
 * def downgrade():
 *     op.drop_column("users", "phone")
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("phone", sa.String(20)))
 *
 * def downgrade():
 *     raise NotImplementedError("roll forward only")
 * ```
 */
#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc104_downgrade_forbidden.doc.inc"
	;

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	if (ctx->cfg->downgrade != SC_DOWNGRADE_FORBIDDEN)
		return;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		const struct sc_migration *m = u->mig;
		struct sc_diag *d;

		if (u->file->syntax_error || m->downgrade_kind != SC_BODY_CODE)
			continue;
		/* work: schema operations, or calls that may do some */
		if (!m->n_down && !sc_body_has_unseen_calls(u, 1))
			continue;
		d = sc_diags_add(ctx->out, self, u->file, &m->downgrade_loc,
				 "migration '%s' has a downgrade() that does work, but "
				 "this project forbids downgrades (downgrade = \"forbidden\")",
				 sc_unit_label(u));
		sc_diag_set_subject(d, NULL, NULL, m->revision);
		sc_diag_set_help(d, "make its body `raise NotImplementedError("
				    "\"roll forward instead\")`, or delete downgrade()");
	}
}

const struct sc_rule sc_rule_SC104 = {
	.code = "SC104",
	.name = "downgrade-forbidden",
	.severity = SC_SEV_ERROR,
	.summary = "only with `downgrade = \"forbidden\"`: a migration defines "
		   "a downgrade that does work",
	.doc = doc,
	.check = check,
};
