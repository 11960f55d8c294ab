/*! SC211 non-concurrent-index
 * ## What it does
 * Only with `dialect = "postgresql"`: reports `op.create_index()` and
 * `op.drop_index()` (also in `batch_alter_table` blocks, and `CREATE
 * INDEX` / `DROP INDEX` in `op.execute()`) on a table that existed before
 * this migration, unless they run with `postgresql_concurrently=True`
 * (`CONCURRENTLY` in the SQL) inside
 * `with op.get_context().autocommit_block():`. Indexes of a table
 * created earlier in the same migration, and of a table the same
 * migration drops afterwards, are fine.
 *
 * ## Why is this bad?
 * A plain `CREATE INDEX` blocks every write to the table until the index
 * is built, minutes on a large table; `DROP INDEX` takes a lock that
 * blocks reads too and waits behind every running query. `CONCURRENTLY`
 * avoids both, but PostgreSQL refuses it inside a transaction block, and
 * Alembic runs each migration in one: it must run in an
 * `autocommit_block()`.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.create_index("ix_users_email", "users", ["email"])
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     with op.get_context().autocommit_block():
 *         op.create_index(
 *             "ix_users_email", "users", ["email"], postgresql_concurrently=True
 *         )
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc211_non_concurrent_index.doc.inc"
	;

static int created_index_before(const struct sc_xops *x, size_t i,
				const char *name)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (x->v[j].op->kind == SC_OP_CREATE_INDEX &&
		    x->v[j].op->name && name && !strcmp(x->v[j].op->name, name))
			return 1;
	return 0;
}

static int any_table_created_before(const struct sc_xops *x, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (x->v[j].op->kind == SC_OP_CREATE_TABLE)
			return 1;
	return 0;
}

static int dropped_later(const struct sc_xops *x, size_t i, const char *table)
{
	size_t j;

	for (j = i + 1; j < x->n; j++)
		if (x->v[j].op->kind == SC_OP_DROP_TABLE && x->v[j].op->table &&
		    !strcmp(x->v[j].op->table, table))
			return 1;
	return 0;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_xop *x,
		   int concurrently)
{
	const struct sc_op *op = x->op;
	int create = op->kind == SC_OP_CREATE_INDEX;
	const char *verb = create ? "created on" : "dropped from";
	char *call = NULL, *sub;
	struct sc_diag *d;

	if (op->name && op->table)
		sub = sc_xasprintf("index '%s' is %s existing table '%s'",
				   op->name, verb, op->table);
	else if (op->name)
		sub = sc_xasprintf("index '%s' is %s an existing table", op->name,
				   create ? "created on" : "dropped from");
	else
		sub = sc_xasprintf("an index is %s existing table '%s'", verb,
				   op->table);
	if (concurrently)
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "%s CONCURRENTLY but outside autocommit_block(), "
				 "and PostgreSQL refuses CONCURRENTLY inside the "
				 "migration's transaction", sub);
	else
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "%s without CONCURRENTLY, which blocks %s "
				 "while it runs", sub,
				 create ? "writes to the table" : "reads and writes");
	sc_diag_set_subject(d, op->table, NULL, u->mig->revision);
	if (!x->from_sql && !(op->flags & SC_OPF_BATCH))
		call = sc_op_call_with(u->file, op, concurrently ? NULL :
				       "postgresql_concurrently=True");
	else if (!x->from_sql && op->name && op->table && create) {
		char *cols = sc_op_cols_list(op);
		call = sc_xasprintf("op.create_index('%s', '%s', %s, "
				    "postgresql_concurrently=True)", op->name,
				    op->table, cols);
		free(cols);
	}
	else if (!x->from_sql && op->name && op->table)
		call = sc_xasprintf("op.drop_index('%s', table_name='%s', "
				    "postgresql_concurrently=True)", op->name,
				    op->table);
	if (call)
		sc_diag_set_help(d, "run it as `with op.get_context()."
				    "autocommit_block(): %s`", call);
	else if (x->from_sql)
		sc_diag_set_help(d, "use %s INDEX CONCURRENTLY, run by op.execute() "
				    "inside `with op.get_context().autocommit_block():`",
				 create ? "CREATE" : "DROP");
	else
		sc_diag_set_help(d, "pass postgresql_concurrently=True and run it "
				    "inside `with op.get_context().autocommit_block():`");
	free(call);
	free(sub);
}

static void check_migration(struct sc_ctx *ctx, const struct sc_rule *self,
			    const struct sc_unit *u)
{
	const struct sc_migration *m = u->mig;
	struct sc_xops x;
	size_t i;

	sc_xops_init(&x, m->up, m->n_up);
	for (i = 0; i < x.n; i++) {
		const struct sc_op *op = x.v[i].op;
		int concurrently;

		if ((op->kind != SC_OP_CREATE_INDEX && op->kind != SC_OP_DROP_INDEX) ||
		    (op->flags & SC_OPF_UNCERTAIN))
			continue;
		if (x.v[i].from_sql)
			concurrently = sc_sql_has_word(m->up[x.v[i].src].sql,
						       "concurrently");
		else
			concurrently = sc_op_kwarg_true(op, "postgresql_concurrently");
		if (concurrently && (op->flags & SC_OPF_AUTOCOMMIT))
			continue;
		if (op->table) {
			if (sc_xops_created_table_before(&x, i, op->table) ||
			    dropped_later(&x, i, op->table))
				continue;
		} else {
			/* drop_index('ix') without its table: only when no table
			 * of this migration could be the one */
			if (op->kind != SC_OP_DROP_INDEX || !op->name ||
			    any_table_created_before(&x, i))
				continue;
		}
		if (op->kind == SC_OP_DROP_INDEX && created_index_before(&x, i, op->name))
			continue;
		report(ctx, self, u, &x.v[i], concurrently);
	}
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

const struct sc_rule sc_rule_SC211 = {
	.code = "SC211",
	.name = "non-concurrent-index",
	.severity = SC_SEV_WARNING,
	.summary = "dialect postgresql: `create_index`/`drop_index` on an "
		   "existing table without `postgresql_concurrently=True` inside "
		   "`autocommit_block()`",
	.doc = doc,
	.check = check,
};
