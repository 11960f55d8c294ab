/*! SC210 constraint-on-existing-table
 * ## What it does
 * Reports `op.create_unique_constraint()`, `op.create_foreign_key()`,
 * `op.create_check_constraint()` and `op.create_primary_key()` (also in
 * `batch_alter_table` blocks, and `ALTER TABLE ... ADD CONSTRAINT` in
 * `op.execute()`) on a table that existed before this migration. A
 * foreign key or check constraint added with `postgresql_not_valid=True`
 * (or `NOT VALID` in the SQL), and a constraint built `USING INDEX`, are
 * fine, and so is any constraint on a table created earlier in the same
 * migration.
 *
 * ## Why is this bad?
 * The database checks every existing row while it holds a lock: a
 * foreign key blocks writes to both tables during the scan, a check
 * constraint blocks reads and writes, a unique constraint or primary key
 * builds an index that blocks writes. On a large table that is an
 * outage. And one existing row that breaks the constraint makes the
 * migration fail in production although it passed on development data.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.create_foreign_key("fk_orders_user_id", "orders", "users", ["user_id"], ["id"])
 * ```
 *
 * ## Use instead
 * On PostgreSQL, add it without checking the existing rows, then
 * validate it in a later migration (which does not block writes):
 * ```python
 * def upgrade():
 *     op.create_foreign_key(
 *         "fk_orders_user_id", "orders", "users", ["user_id"], ["id"],
 *         postgresql_not_valid=True,
 *     )
 * ```
 * ```python
 * def upgrade():
 *     op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user_id")
 * ```
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc210_constraint_on_existing_table.doc.inc"
	;

enum ckind { CK_NONE, CK_UNIQUE, CK_FOREIGN, CK_CHECK, CK_PRIMARY, CK_SQL };

/* What is added: its kind, its name (NULL when not known). */
struct added {
	enum ckind k;
	int from_sql;
	const char *name;
	char buf[128];
};

static enum ckind kind_of_fn(const char *fn)
{
	if (!fn)
		return CK_NONE;
	if (!strcmp(fn, "create_unique_constraint"))
		return CK_UNIQUE;
	if (!strcmp(fn, "create_foreign_key"))
		return CK_FOREIGN;
	if (!strcmp(fn, "create_check_constraint"))
		return CK_CHECK;
	if (!strcmp(fn, "create_primary_key"))
		return CK_PRIMARY;
	return CK_NONE;
}

/* ADD CONSTRAINT <name> <kind> in SQL holding exactly one of them. */
static void sql_constraint(const char *sql, struct added *a)
{
	const char *p = sql, *hit = NULL, *q;
	size_t n = 0, len;

	a->k = CK_SQL;
	while (p && (p = strcasestr(p, "constraint"))) {
		q = p;
		while (q > sql && isspace((unsigned char)q[-1]))
			q--;
		if (q - sql >= 3 && !strncasecmp(q - 3, "add", 3) &&
		    (q - 3 == sql || !isalnum((unsigned char)q[-4]))) {
			hit = p;
			n++;
		}
		p += 10;
	}
	if (n != 1)
		return;
	p = hit + 10;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '"' || *p == '`')
		p++;
	for (len = 0; isalnum((unsigned char)p[len]) || p[len] == '_'; len++)
		;
	if (!len || len >= sizeof(a->buf))
		return;
	memcpy(a->buf, p, len);
	a->buf[len] = '\0';
	if (!strcasecmp(a->buf, "check") || !strcasecmp(a->buf, "unique") ||
	    !strcasecmp(a->buf, "foreign") || !strcasecmp(a->buf, "primary"))
		return;
	a->name = a->buf;
	p += len;
	if (*p == '"' || *p == '`')
		p++;
	while (isspace((unsigned char)*p))
		p++;
	if (!strncasecmp(p, "check", 5))
		a->k = CK_CHECK;
	else if (!strncasecmp(p, "foreign", 7))
		a->k = CK_FOREIGN;
	else if (!strncasecmp(p, "unique", 6))
		a->k = CK_UNIQUE;
	else if (!strncasecmp(p, "primary", 7))
		a->k = CK_PRIMARY;
}

static const char *const what[] = {
	"", "unique constraint", "foreign key", "check constraint",
	"primary key", "constraint",
};

static void help_postgresql(struct sc_diag *d, const struct sc_unit *u,
			    const struct sc_op *op, const struct added *a,
			    const char *prefix)
{
	const char *name = a->name ? a->name : "<name>";
	char *call = NULL, *cols;

	switch (a->k) {
	case CK_FOREIGN:
	case CK_CHECK:
		if (!a->from_sql)
			call = sc_op_call_with(u->file, op,
					       "postgresql_not_valid=True");
		sc_diag_set_help(d, "%sadd it without checking the existing rows "
				    "(%s), then validate it in a later migration, "
				    "which does not block writes: op.execute(\"ALTER "
				    "TABLE %s VALIDATE CONSTRAINT %s\")", prefix,
				 call ? call : a->from_sql ? "end the statement with NOT VALID"
							   : "postgresql_not_valid=True",
				 op->table, name);
		free(call);
		break;
	case CK_UNIQUE:
	case CK_PRIMARY:
		cols = sc_op_cols_list(op);
		sc_diag_set_help(d, "%sbuild the index first without blocking "
				    "writes, inside `with op.get_context()."
				    "autocommit_block():` op.create_index('%s', '%s', "
				    "%s, unique=True, postgresql_concurrently=True), "
				    "then attach it: op.execute(\"ALTER TABLE %s ADD "
				    "CONSTRAINT %s %s USING INDEX %s\")",
				 prefix, name, op->table, cols, op->table, name,
				 a->k == CK_UNIQUE ? "UNIQUE" : "PRIMARY KEY", name);
		free(cols);
		break;
	default:
		sc_diag_set_help(d, "%sadd a foreign key or check constraint NOT "
				    "VALID and VALIDATE it in a later migration; "
				    "build a unique index CONCURRENTLY and add the "
				    "constraint USING INDEX", prefix);
		break;
	}
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_op *op,
		   const struct added *a)
{
	struct sc_diag *d;

	if (a->name)
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "%s '%s' is added to existing table '%s'",
				 what[a->k], a->name, op->table);
	else
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "a %s is added to existing table '%s'",
				 what[a->k], op->table);
	sc_diag_set_subject(d, op->table, NULL, u->mig->revision);
	switch (ctx->cfg->dialect) {
	case SC_DIALECT_POSTGRESQL:
		help_postgresql(d, u, op, a, "");
		break;
	case SC_DIALECT_MYSQL:
		sc_diag_set_help(d, "MySQL checks every row of '%s' while it "
				    "holds a lock: make sure no row breaks the "
				    "constraint, and run it with an online schema "
				    "change tool (gh-ost, pt-online-schema-change) "
				    "or in a maintenance window", op->table);
		break;
	case SC_DIALECT_SQLITE:
		sc_diag_set_help(d, "every existing row of '%s' must satisfy it: "
				    "check the data first", op->table);
		break;
	default:
		help_postgresql(d, u, op, a, "on PostgreSQL, ");
		break;
	}
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
		struct added a;

		if (op->kind != SC_OP_CREATE_CONSTRAINT || !op->table ||
		    (op->flags & SC_OPF_UNCERTAIN))
			continue;
		memset(&a, 0, sizeof(a));
		a.from_sql = x.v[i].from_sql;
		if (a.from_sql) {
			const char *sql = m->up[x.v[i].src].sql;
			if (sc_sql_has_words(sql, "not", "valid") ||
			    sc_sql_has_words(sql, "using", "index"))
				continue;
			sql_constraint(sql, &a);
		} else {
			a.k = kind_of_fn(op->fn);
			a.name = op->name;
			if (a.k == CK_NONE ||
			    sc_op_kwarg_true(op, "postgresql_not_valid"))
				continue;
		}
		if (sc_xops_created_table_before(&x, i, op->table))
			continue;
		report(ctx, self, u, op, &a);
	}
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

const struct sc_rule sc_rule_SC210 = {
	.code = "SC210",
	.name = "constraint-on-existing-table",
	.severity = SC_SEV_WARNING,
	.summary = "adding a UNIQUE/FOREIGN KEY/CHECK/PRIMARY KEY constraint to a "
		   "table that existed before this migration",
	.doc = doc,
	.check = check,
};
