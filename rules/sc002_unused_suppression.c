/*! SC002 unused-suppression
 * ## What it does
 * Reports a `# schemacheck: ignore[...]`, `# schemacheck: ignore-file[...]`
 * or `# noqa: SC...` comment that suppresses no diagnostic.
 *
 * ## Why is this bad?
 * A suppression that no longer matches anything hides the next real
 * problem on that line, and tells readers a risk exists where there is
 * none. Remove it, or fix the code it names.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     # schemacheck: ignore[SC201] -- the column is nullable anyway
 *     op.add_column('users', sa.Column('nickname', sa.String(50), nullable=True))
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.add_column('users', sa.Column('nickname', sa.String(50), nullable=True))
 * ```
 */
#include "rule.h"

static const char doc[] =
#include "sc002_unused_suppression.doc.inc"
	;

/* Reported by sc_diags_suppress() (diag.c). */
const struct sc_rule sc_rule_SC002 = {
	.code = "SC002",
	.name = "unused-suppression",
	.severity = SC_SEV_WARNING,
	.summary = "a `schemacheck: ignore[...]` comment suppresses nothing",
	.doc = doc,
	.check = NULL,
};
