/*! SC103 downgrade-not-inverse
 * ## What it does
 * Reports an operation of `upgrade()` that `downgrade()` does not undo:
 * `create_table`/`drop_table`, `add_column`/`drop_column`,
 * `create_index`/`drop_index` (by index name), `rename_table` and
 * `alter_column(new_column_name=...)` (renamed back),
 * `create_*_constraint`/`drop_constraint` (by name), and
 * `alter_column(nullable=/type_=/server_default=)` (any `alter_column` of
 * the same column in `downgrade()` counts), inside `batch_alter_table`
 * blocks and in simple SQL run by `op.execute()` too. Dropping a table
 * undoes everything done to it. An operation that `upgrade()` itself
 * undoes (an index dropped and re-made around an `alter_column`) needs
 * no inverse.
 *
 * It stays silent when `downgrade()` is missing or empty (SC101, SC102
 * report those), when either function calls code it cannot see into or
 * runs SQL that is not a literal, when names do not resolve, and when the
 * configuration sets `downgrade = "optional"` or `"forbidden"`.
 *
 * ## Why is this bad?
 * A downgrade that forgets part of the upgrade "succeeds" and records
 * the older revision, but leaves a table, column or index behind: the
 * next `alembic upgrade` then fails on "already exists", or the old
 * release runs against a schema it does not expect.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("phone", sa.String(20)))
 *     op.create_index("ix_users_phone", "users", ["phone"])
 *
 * def downgrade():
 *     op.drop_index("ix_users_phone", table_name="users")
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("phone", sa.String(20)))
 *     op.create_index("ix_users_phone", "users", ["phone"])
 *
 * def downgrade():
 *     op.drop_index("ix_users_phone", table_name="users")
 *     op.drop_column("users", "phone")
 * ```
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc103_downgrade_not_inverse.doc.inc"
	;

/* Names joined by renames in either body: a table renamed a -> b is the
 * same table under both names, and so for columns. */
struct renames {
	const struct sc_op **t;      /* rename_table ops */
	size_t n_t;
	const struct sc_op **c;      /* alter_column ops with new_column_name */
	size_t n_c;
};

/* Names compare without case: unquoted SQL folds it, and a false
 * match only silences. */
static int eq(const char *a, const char *b)
{
	return a && b && !strcasecmp(a, b);
}

static void renames_add(struct renames *r, const struct sc_xops *x)
{
	size_t i;

	for (i = 0; i < x->n; i++) {
		const struct sc_op *op = x->v[i].op;
		if (op->kind == SC_OP_RENAME_TABLE && op->table && op->new_name) {
			r->t = sc_xrealloc(r->t, (r->n_t + 1) * sizeof(*r->t));
			r->t[r->n_t++] = op;
		} else if (op->kind == SC_OP_ALTER_COLUMN && op->table &&
			   op->column && op->new_name) {
			r->c = sc_xrealloc(r->c, (r->n_c + 1) * sizeof(*r->c));
			r->c[r->n_c++] = op;
		}
	}
}

/* Is `b` reachable from `a` through the pairs (x[i], y[i])? */
static int joined(const char *a, const char *b, const char *const *x,
		  const char *const *y, size_t n)
{
	const char **set;
	size_t n_set = 0, i, k;
	int grew = 1, found = 0;

	if (!a || !b)
		return 0;
	if (eq(a, b))
		return 1;
	set = sc_xcalloc(2 * n + 1, sizeof(*set));
	set[n_set++] = a;
	while (grew && !found) {
		grew = 0;
		for (i = 0; i < n; i++) {
			int hx = 0, hy = 0;
			for (k = 0; k < n_set; k++) {
				hx |= eq(set[k], x[i]);
				hy |= eq(set[k], y[i]);
			}
			if (hx != hy) {
				set[n_set++] = hx ? y[i] : x[i];
				grew = 1;
			}
		}
		for (k = 0; k < n_set; k++)
			found |= eq(set[k], b);
	}
	free(set);
	return found;
}

static int same_table(const struct renames *r, const char *a, const char *b)
{
	const char **x, **y;
	size_t i;
	int res;

	if (!a || !b)
		return 0;
	if (eq(a, b) || !r->n_t)
		return eq(a, b);
	x = sc_xcalloc(r->n_t, sizeof(*x));
	y = sc_xcalloc(r->n_t, sizeof(*y));
	for (i = 0; i < r->n_t; i++) {
		x[i] = r->t[i]->table;
		y[i] = r->t[i]->new_name;
	}
	res = joined(a, b, x, y, r->n_t);
	free(x);
	free(y);
	return res;
}

static int same_column(const struct renames *r, const char *ta,
		       const char *ca, const char *tb, const char *cb)
{
	const char **x, **y;
	size_t i, n = 0;
	int res;

	if (!ca || !cb || !same_table(r, ta, tb))
		return 0;
	if (eq(ca, cb))
		return 1;
	x = sc_xcalloc(r->n_c + 1, sizeof(*x));
	y = sc_xcalloc(r->n_c + 1, sizeof(*y));
	for (i = 0; i < r->n_c; i++) {
		if (!same_table(r, r->c[i]->table, ta))
			continue;
		x[n] = r->c[i]->column;
		y[n] = r->c[i]->new_name;
		n++;
	}
	res = joined(ca, cb, x, y, n);
	free(x);
	free(y);
	return res;
}

static int in_cols(const struct sc_op *op, const char *column)
{
	size_t i;
	for (i = 0; i < op->n_index_cols; i++)
		if (eq(op->index_cols[i], column))
			return 1;
	return 0;
}

/* Does an add_column bring back an index or constraint with it? */
static int adds_keyed_column(const struct sc_op *op)
{
	return op->n_cols == 1 &&
	       (op->cols[0].index || op->cols[0].unique ||
		op->cols[0].primary_key || op->cols[0].has_foreign_key);
}

/* Does `b` undo `a` (or could it, as far as names tell)? */
static int undoes(const struct renames *r, const struct sc_op *a,
		  const struct sc_op *b)
{
	switch (a->kind) {
	case SC_OP_CREATE_TABLE:
		return b->kind == SC_OP_DROP_TABLE && same_table(r, a->table, b->table);
	case SC_OP_DROP_TABLE:
		return b->kind == SC_OP_CREATE_TABLE && same_table(r, a->table, b->table);
	case SC_OP_ADD_COLUMN:
		return (b->kind == SC_OP_DROP_COLUMN &&
			same_column(r, a->table, a->column, b->table, b->column)) ||
		       (b->kind == SC_OP_DROP_TABLE && same_table(r, a->table, b->table));
	case SC_OP_DROP_COLUMN:
		return (b->kind == SC_OP_ADD_COLUMN &&
			same_column(r, a->table, a->column, b->table, b->column)) ||
		       (b->kind == SC_OP_CREATE_TABLE && same_table(r, a->table, b->table));
	case SC_OP_CREATE_INDEX:
	case SC_OP_CREATE_CONSTRAINT:
		if (b->kind == (a->kind == SC_OP_CREATE_INDEX ? SC_OP_DROP_INDEX
							      : SC_OP_DROP_CONSTRAINT))
			return eq(a->name, b->name);
		if (b->kind == SC_OP_DROP_TABLE)
			return same_table(r, a->table, b->table);
		return b->kind == SC_OP_DROP_COLUMN &&
		       same_table(r, a->table, b->table) && in_cols(a, b->column);
	case SC_OP_DROP_INDEX:
	case SC_OP_DROP_CONSTRAINT:
		if (b->kind == (a->kind == SC_OP_DROP_INDEX ? SC_OP_CREATE_INDEX
							    : SC_OP_CREATE_CONSTRAINT))
			return eq(a->name, b->name);
		if (b->kind == SC_OP_CREATE_TABLE)
			return same_table(r, a->table, b->table);
		return b->kind == SC_OP_ADD_COLUMN && adds_keyed_column(b) &&
		       same_table(r, a->table, b->table);
	case SC_OP_RENAME_TABLE:
		return b->kind == SC_OP_RENAME_TABLE && same_table(r, a->table, b->table);
	case SC_OP_ALTER_COLUMN:
		if (b->kind == SC_OP_DROP_TABLE)
			return same_table(r, a->table, b->table);
		return (b->kind == SC_OP_ALTER_COLUMN || b->kind == SC_OP_DROP_COLUMN ||
			b->kind == SC_OP_ADD_COLUMN) &&
		       (same_column(r, a->table, a->column, b->table, b->column) ||
			same_column(r, a->table, a->new_name, b->table, b->column));
	default:
		return 0;
	}
}

/* Inside upgrade() itself: is `a` undone by `b` so that the pair has no
 * net effect (an index dropped and re-made, a temporary column)? */
static int cancels(const struct renames *r, const struct sc_op *a,
		   const struct sc_op *b)
{
	if (a->kind == SC_OP_ALTER_COLUMN && b->kind == SC_OP_ALTER_COLUMN)
		return !a->new_name && !b->new_name &&
		       a->nullable != SC_UNKNOWN && b->nullable != SC_UNKNOWN &&
		       a->nullable != b->nullable && !a->has_type &&
		       !b->has_type &&
		       same_column(r, a->table, a->column, b->table, b->column);
	if (a->kind == SC_OP_ALTER_COLUMN || a->kind == SC_OP_RENAME_TABLE)
		return 0;
	return undoes(r, a, b) || undoes(r, b, a);
}

/* Could `b` undo `a` by its kind alone (names aside)? */
static int kinds_pair(enum sc_op_kind a, enum sc_op_kind b)
{
	switch (a) {
	case SC_OP_CREATE_TABLE: return b == SC_OP_DROP_TABLE;
	case SC_OP_DROP_TABLE: return b == SC_OP_CREATE_TABLE;
	case SC_OP_ADD_COLUMN:
		return b == SC_OP_DROP_COLUMN || b == SC_OP_DROP_TABLE;
	case SC_OP_DROP_COLUMN:
		return b == SC_OP_ADD_COLUMN || b == SC_OP_CREATE_TABLE;
	case SC_OP_CREATE_INDEX:
		return b == SC_OP_DROP_INDEX || b == SC_OP_DROP_TABLE ||
		       b == SC_OP_DROP_COLUMN;
	case SC_OP_CREATE_CONSTRAINT:
		return b == SC_OP_DROP_CONSTRAINT || b == SC_OP_DROP_TABLE ||
		       b == SC_OP_DROP_COLUMN;
	case SC_OP_DROP_INDEX:
		return b == SC_OP_CREATE_INDEX || b == SC_OP_CREATE_TABLE ||
		       b == SC_OP_ADD_COLUMN;
	case SC_OP_DROP_CONSTRAINT:
		return b == SC_OP_CREATE_CONSTRAINT || b == SC_OP_CREATE_TABLE ||
		       b == SC_OP_ADD_COLUMN;
	case SC_OP_RENAME_TABLE: return b == SC_OP_RENAME_TABLE;
	case SC_OP_ALTER_COLUMN:
		return b == SC_OP_ALTER_COLUMN || b == SC_OP_DROP_COLUMN ||
		       b == SC_OP_ADD_COLUMN || b == SC_OP_DROP_TABLE;
	default:
		return 0;
	}
}

/* Could `b`, whose names did not resolve, be the inverse of `a`? */
static int maybe_undoes(const struct sc_op *a, const struct sc_op *b)
{
	int unresolved = (b->flags & SC_OPF_UNCERTAIN) != 0;

	if (!kinds_pair(a->kind, b->kind))
		return 0;
	switch (b->kind) {
	case SC_OP_DROP_COLUMN: case SC_OP_ADD_COLUMN: case SC_OP_ALTER_COLUMN:
		return unresolved || !b->table || !b->column;
	case SC_OP_DROP_INDEX: case SC_OP_CREATE_INDEX:
	case SC_OP_DROP_CONSTRAINT: case SC_OP_CREATE_CONSTRAINT:
		/* a nameless constraint (naming conventions) could be it */
		return unresolved || !b->name;
	default:
		return unresolved || !b->table;
	}
}

/* Does upgrade op `a` have what it takes to be judged? */
static int judged(const struct sc_xop *x, const struct sc_op *body)
{
	const struct sc_op *a = x->op;
	const char *sql = body[x->src].sql;

	if (a->flags & SC_OPF_UNCERTAIN)
		return 0;
	switch (a->kind) {
	case SC_OP_CREATE_TABLE:
		/* CREATE TABLE backup AS SELECT ...: a copy kept on purpose */
		return a->table && !(x->from_sql && sc_sql_has_word(sql, "select"));
	case SC_OP_DROP_TABLE:
		return a->table != NULL;
	case SC_OP_ADD_COLUMN: case SC_OP_DROP_COLUMN:
		return a->table && a->column;
	case SC_OP_CREATE_INDEX: case SC_OP_DROP_INDEX:
	case SC_OP_CREATE_CONSTRAINT: case SC_OP_DROP_CONSTRAINT:
		return a->name != NULL;
	case SC_OP_RENAME_TABLE:
		return a->table && a->new_name;
	case SC_OP_ALTER_COLUMN:
		return a->table && a->column &&
		       (a->new_name || a->nullable != SC_UNKNOWN || a->has_type ||
			a->has_server_default);
	default:
		return 0;
	}
}

static const char *alter_what(const struct sc_op *a, char *buf, size_t n)
{
	buf[0] = '\0';
	if (a->nullable != SC_UNKNOWN)
		snprintf(buf + strlen(buf), n - strlen(buf), "nullable");
	if (a->has_type)
		snprintf(buf + strlen(buf), n - strlen(buf), "%stype",
			 buf[0] ? ", " : "");
	if (a->has_server_default)
		snprintf(buf + strlen(buf), n - strlen(buf), "%sserver_default",
			 buf[0] ? ", " : "");
	return buf;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_op *a,
		   const struct sc_schema *before)
{
	struct sc_diag *d;
	const char *col = NULL;
	char *hint, what[64];

	switch (a->kind) {
	case SC_OP_CREATE_TABLE:
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "table '%s' is created by upgrade() but "
				 "downgrade() does not drop it", a->table);
		break;
	case SC_OP_DROP_TABLE:
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "table '%s' is dropped by upgrade() but "
				 "downgrade() does not create it again", a->table);
		break;
	case SC_OP_ADD_COLUMN:
		col = a->column;
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "column '%s.%s' is added by upgrade() but "
				 "downgrade() does not drop it", a->table, a->column);
		break;
	case SC_OP_DROP_COLUMN:
		col = a->column;
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "column '%s.%s' is dropped by upgrade() but "
				 "downgrade() does not add it back", a->table, a->column);
		break;
	case SC_OP_CREATE_INDEX:
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "index '%s' is created by upgrade() but "
				 "downgrade() does not drop it", a->name);
		break;
	case SC_OP_DROP_INDEX:
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "index '%s' is dropped by upgrade() but "
				 "downgrade() does not create it again", a->name);
		break;
	case SC_OP_CREATE_CONSTRAINT:
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "constraint '%s' is created by upgrade() but "
				 "downgrade() does not drop it", a->name);
		break;
	case SC_OP_DROP_CONSTRAINT:
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "constraint '%s' is dropped by upgrade() but "
				 "downgrade() does not create it again", a->name);
		break;
	case SC_OP_RENAME_TABLE:
		d = sc_diags_add(ctx->out, self, u->file, &a->loc,
				 "table '%s' is renamed to '%s' by upgrade() but "
				 "downgrade() does not rename it back",
				 a->table, a->new_name);
		break;
	default: /* SC_OP_ALTER_COLUMN */
		col = a->column;
		if (a->new_name)
			d = sc_diags_add(ctx->out, self, u->file, &a->loc,
					 "column '%s.%s' is renamed to '%s' by upgrade() "
					 "but downgrade() does not rename it back",
					 a->table, a->column, a->new_name);
		else
			d = sc_diags_add(ctx->out, self, u->file, &a->loc,
					 "column '%s.%s' is altered by upgrade() (%s) "
					 "but downgrade() does not alter it back",
					 a->table, a->column,
					 alter_what(a, what, sizeof(what)));
		break;
	}
	sc_diag_set_subject(d, a->table, col, u->mig->revision);
	hint = sc_op_inverse_hint_in(a, before);
	if (hint)
		sc_diag_set_help(d, "add %s to downgrade()", hint);
	else
		sc_diag_set_help(d, "undo it in downgrade()");
	free(hint);
}

static void check_migration(struct sc_ctx *ctx, const struct sc_rule *self,
			    const struct sc_unit *u)
{
	const struct sc_migration *m = u->mig;
	struct sc_xops up, down;
	struct renames r;
	struct sc_schema *before = NULL;
	int have_before = 0;
	size_t i, j;

	if (m->upgrade_kind != SC_BODY_CODE || m->downgrade_kind != SC_BODY_CODE ||
	    !m->n_up)
		return;
	if (sc_body_raises(u, 1) || sc_body_has_unseen_calls(u, 0) ||
	    sc_body_has_unseen_calls(u, 1))
		return;
	sc_xops_init(&up, m->up, m->n_up);
	sc_xops_init(&down, m->down, m->n_down);
	memset(&r, 0, sizeof(r));
	renames_add(&r, &up);
	renames_add(&r, &down);
	if (down.opaque_any)
		goto out;
	for (i = 0; i < up.n; i++) {
		const struct sc_op *a = up.v[i].op;
		int skip = 0;

		if (!judged(&up.v[i], m->up))
			continue;
		/* a copy made in this migration swapped in under the old name:
		 * its creation and the drop of the original are the change */
		if ((a->kind == SC_OP_RENAME_TABLE &&
		     sc_xops_created_table_before(&up, i, a->table)) ||
		    (a->kind == SC_OP_ALTER_COLUMN && a->new_name &&
		     sc_xops_may_have_added_column(&up, i, a->table, a->column)))
			continue;
		for (j = 0; j < up.n && !skip; j++)
			skip = j != i && cancels(&r, a, up.v[j].op);
		for (j = 0; j < down.n && !skip; j++)
			skip = undoes(&r, a, down.v[j].op) ||
			       maybe_undoes(a, down.v[j].op);
		if (skip || sc_xops_opaque_for(&down, a->table))
			continue;
		if (!have_before) {
			before = sc_schema_before(ctx->now, u);
			have_before = 1;
		}
		report(ctx, self, u, a, before);
	}
out:
	sc_schema_free(before);
	free(r.t);
	free(r.c);
	sc_xops_release(&up);
	sc_xops_release(&down);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	if (ctx->cfg->downgrade != SC_DOWNGRADE_REQUIRED)
		return;
	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		if (!u->file->syntax_error)
			check_migration(ctx, self, u);
	}
}

const struct sc_rule sc_rule_SC103 = {
	.code = "SC103",
	.name = "downgrade-not-inverse",
	.severity = SC_SEV_WARNING,
	.summary = "an upgrade operation has no inverse in downgrade "
		   "(create_table/drop_table, add_column/drop_column, "
		   "create_index/drop_index, renames, constraints, alter_column)",
	.doc = doc,
	.check = check,
};
