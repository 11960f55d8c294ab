/*! SC001 syntax-error
 * ## What it does
 * Reports a migration or model file that tree-sitter cannot parse as
 * Python, or that is too large to parse (over 8 MiB). The run goes on:
 * the other files are still checked, and nothing is concluded from the
 * broken file.
 *
 * ## Why is this bad?
 * A migration that does not parse will fail when Alembic imports it, and
 * schemacheck cannot check what it cannot read: its schema changes are
 * unknown to every other rule.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.add_column('users', sa.Column('email', sa.String(100))
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.add_column('users', sa.Column('email', sa.String(100)))
 * ```
 */
#include "rule.h"

static const char doc[] =
#include "sc001_syntax_error.doc.inc"
	;

/* Reported by the engine when it parses a file (engine.c). */
const struct sc_rule sc_rule_SC001 = {
	.code = "SC001",
	.name = "syntax-error",
	.severity = SC_SEV_WARNING,
	.summary = "a migration or model file in scope does not parse (the run goes on)",
	.doc = doc,
	.check = NULL,
};
