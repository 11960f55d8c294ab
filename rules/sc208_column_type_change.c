/*! SC208 column-type-change
 * ## What it does
 * Reports `op.alter_column(..., type_=...)` (or `batch_op.alter_column`,
 * or `ALTER TABLE ... ALTER COLUMN ... TYPE` in `op.execute()`) on a
 * column of a table that existed before this migration. The old type is
 * the `existing_type=` argument, or else the type the migration history
 * gave the column. The finding is an **error** when the change narrows
 * the column and can lose data: Float/Numeric to an integer type, a
 * larger integer type to a smaller one (BigInteger to Integer or
 * SmallInteger), String(n) to String(m) with m < n, Text to String(n),
 * DateTime to Date or Time. When the old type is not known it stays a
 * warning.
 *
 * Not reported: a "change" to the same type, a String made longer or
 * turned into Text (old code cannot notice, and PostgreSQL does it
 * without rewriting the table; with `dialect = "mysql"` these are still
 * reported), and columns made earlier in the same migration.
 *
 * ## Why is this bad?
 * Most type changes rewrite the whole table while holding a lock that
 * blocks reads and writes, and the release still running keeps writing
 * values of the old type. A narrowing change fails on the first value
 * that does not fit, or silently truncates and rounds it.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.alter_column("users", "name", existing_type=sa.String(100), type_=sa.String(50))
 * ```
 *
 * ## Use instead
 * Add a column of the new type and copy the data; make the code write
 * both and read the new one; drop the old column in a later release:
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("short_name", sa.String(50)))
 *     op.execute("UPDATE users SET short_name = LEFT(name, 50)")
 * ```
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc208_column_type_change.doc.inc"
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

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_op *op,
		   const char *old_text, int narrows)
{
	char *type = sc_oneline(py_type(op->type), 80);
	char *old = sc_oneline(old_text, 60), *new = sc_oneline(op->type, 60);
	struct sc_diag *d;

	if (narrows)
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is narrowed from %s to %s, which "
				 "can lose data", op->table, op->column, old, new);
	else if (old)
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' changes type from %s to %s",
				 op->table, op->column, old, new);
	else
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' changes type to %s",
				 op->table, op->column, new);
	if (narrows)
		d->severity = SC_SEV_ERROR;
	sc_diag_set_subject(d, op->table, op->column, u->mig->revision);
	sc_diag_set_help(d, "%sadd a column of the new type "
			    "(op.add_column('%s', sa.Column('%s_new', %s))), copy "
			    "the data, make the code write both and read the new "
			    "column, then drop '%s' in a later release",
			 narrows ? "check that every value fits, then " : "",
			 op->table, op->column, type ? type : "...", op->column);
	free(type);
	free(old);
	free(new);
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
		struct sc_type from, to;
		const char *old;

		if (op->kind != SC_OP_ALTER_COLUMN || !op->has_type || !op->type ||
		    !op->table || !op->column || (op->flags & SC_OPF_UNCERTAIN))
			continue;
		if (sc_xops_created_table_before(&x, i, op->table) ||
		    sc_xops_may_have_added_column(&x, i, op->table, op->column))
			continue;
		if (!have_before) {
			before = sc_schema_before(ctx->now, u);
			have_before = 1;
		}
		old = sc_xops_type_before(&x, i, before);
		sc_type_parse(&from, old);
		sc_type_parse(&to, op->type);
		if (old && sc_type_same(&from, old, &to, op->type))
			continue;
		if (old && ctx->cfg->dialect != SC_DIALECT_MYSQL &&
		    sc_type_widens_safely(&from, &to))
			continue;
		report(ctx, self, u, op, old,
		       old && from.family != SC_TYPE_OTHER &&
		       sc_type_narrows(&from, &to));
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

const struct sc_rule sc_rule_SC208 = {
	.code = "SC208",
	.name = "column-type-change",
	.severity = SC_SEV_WARNING,
	.summary = "`alter_column(type_=...)`; an error when the change narrows "
		   "and can lose data (Float/Numeric to Integer, BigInteger to "
		   "Integer/SmallInteger, String(n) to String(m<n), Text to "
		   "String(n), DateTime to Date)",
	.doc = doc,
	.check = check,
};
