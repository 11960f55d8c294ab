/*! SC209 type-change-without-using
 * ## What it does
 * Only with `dialect = "postgresql"`: reports `op.alter_column(...,
 * type_=...)` (or `batch_op.alter_column`, or `ALTER TABLE ... ALTER
 * COLUMN ... TYPE` in `op.execute()`) that changes a column to a type of
 * another family which PostgreSQL cannot convert by itself, without
 * `postgresql_using=` (or `USING` in the SQL). The old type is the
 * `existing_type=` argument, or else the type the migration history gave
 * the column; when it is not known, nothing is reported. Conversions
 * PostgreSQL makes on its own are fine: anything to a string type,
 * between Integer, Float and Numeric, between Date and DateTime.
 *
 * ## Why is this bad?
 * PostgreSQL refuses the statement ("column cannot be cast automatically
 * to type integer"), even on an empty table, so the migration fails on
 * every database, and `alembic upgrade` stops half-way where DDL is not
 * transactional.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.alter_column("users", "age", existing_type=sa.String(10), type_=sa.Integer())
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.alter_column(
 *         "users", "age", existing_type=sa.String(10), type_=sa.Integer(),
 *         postgresql_using="age::integer",
 *     )
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc209_type_change_without_using.doc.inc"
	;

/* The name= of an Enum(...) type's text, into buf; NULL when absent. */
static const char *enum_name(const char *type, char *buf, size_t n)
{
	const char *p = type ? strstr(type, "name=") : NULL;
	size_t len = 0;
	char q;

	if (!p || (p > type && p[-1] != ' ' && p[-1] != ',' && p[-1] != '('))
		return NULL;
	p += 5;
	q = *p;
	if (q != '\'' && q != '"')
		return NULL;
	p++;
	while (p[len] && p[len] != q && len + 1 < n)
		len++;
	if (p[len] != q || !len)
		return NULL;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_op *op,
		   const char *old, const struct sc_type *from,
		   const struct sc_type *to, int from_sql)
{
	char fbuf[64], tbuf[64], *using, *call = NULL;
	const char *fname = sc_type_pg_name(from, fbuf, sizeof(fbuf));
	const char *tname = sc_type_pg_name(to, tbuf, sizeof(tbuf));
	struct sc_diag *d;

	char *old1 = sc_oneline(old, 60), *new1 = sc_oneline(op->type, 60);

	d = sc_diags_add(ctx->out, self, u->file, &op->loc,
			 "column '%s.%s' changes type from %s to %s without "
			 "postgresql_using; PostgreSQL has no automatic cast "
			 "from %s to %s", op->table, op->column, old1, new1,
			 fname ? fname : from->name, tname ? tname : to->name);
	free(old1);
	free(new1);
	sc_diag_set_subject(d, op->table, op->column, u->mig->revision);
	if (!tname && to->family == SC_TYPE_ENUM)
		tname = enum_name(op->type, tbuf, sizeof(tbuf));
	using = sc_xasprintf("postgresql_using='%s::%s'", op->column,
			     tname ? tname : "<new type>");
	if (from_sql) {
		sc_diag_set_help(d, "say how to convert the values: ALTER TABLE %s "
				    "ALTER COLUMN %s TYPE %s USING %s::%s",
				 op->table, op->column, op->type, op->column,
				 tname ? tname : op->type);
		free(using);
		return;
	}
	call = sc_op_call_with(u->file, op, using);
	if (call)
		sc_diag_set_help(d, "say how to convert the values: %s", call);
	else
		sc_diag_set_help(d, "say how to convert the values: pass %s to "
				    "alter_column()", using);
	free(call);
	free(using);
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
		if (x.v[i].from_sql ? sc_sql_has_word(m->up[x.v[i].src].sql, "using")
				    : sc_op_kwarg(op, "postgresql_using") != NULL)
			continue;
		if (!have_before) {
			before = sc_schema_before(ctx->now, u);
			have_before = 1;
		}
		old = sc_xops_type_before(&x, i, before);
		if (!old)
			continue;
		sc_type_parse(&from, old);
		sc_type_parse(&to, op->type);
		if (from.family == SC_TYPE_UNKNOWN || from.family == SC_TYPE_OTHER ||
		    to.family == SC_TYPE_UNKNOWN || to.family == SC_TYPE_OTHER ||
		    sc_pg_casts_automatically(from.family, to.family))
			continue;
		report(ctx, self, u, op, old, &from, &to, x.v[i].from_sql);
	}
	sc_schema_free(before);
	sc_xops_release(&x);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	if (ctx->cfg->dialect != SC_DIALECT_POSTGRESQL)
		return;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		if (!u->file->syntax_error)
			check_migration(ctx, self, u);
	}
}

const struct sc_rule sc_rule_SC209 = {
	.code = "SC209",
	.name = "type-change-without-using",
	.severity = SC_SEV_ERROR,
	.summary = "dialect postgresql: a type change across families without "
		   "`postgresql_using`",
	.doc = doc,
	.check = check,
};
