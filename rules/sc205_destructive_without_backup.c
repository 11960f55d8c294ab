/*! SC205 destructive-without-backup
 * ## What it does
 * Reports `op.drop_column()` and `op.drop_table()` in `upgrade()` (also
 * in `batch_alter_table` blocks and as `DROP TABLE` / `DROP COLUMN` in
 * `op.execute()`) when the migration keeps no copy of the data: no
 * earlier `CREATE TABLE ... AS SELECT`, `INSERT INTO ... SELECT` or
 * `SELECT ... INTO` in `op.execute()`, and no note in the file that says
 * where a backup is kept:
 * ```python
 * # schemacheck: backup=nightly pg_dump, kept 90 days
 * ```
 * Dropping a table or column made earlier in the same migration, and
 * the last step of a copy (the data moved to a column or table that is
 * then renamed to the old name), are fine.
 *
 * ## Why is this bad?
 * A dropped column or table cannot be brought back by `downgrade()`: the
 * schema comes back, the data does not. When the drop turns out to be a
 * mistake, a copy made by the migration itself (or a known backup) is
 * the only way back.
 *
 * ## Example
 * ```python
 * def upgrade():
 *     op.drop_column("users", "nickname")
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.execute("CREATE TABLE users_nickname_backup AS SELECT id, nickname FROM users")
 *     op.drop_column("users", "nickname")
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc205_destructive_without_backup.doc.inc"
	;

/* SQL that copies data somewhere. */
static int copies(const char *sql)
{
	return (sc_sql_has_words(sql, "create", "table") &&
		sc_sql_has_words(sql, "as", "select")) ||
	       sc_sql_has_words(sql, "insert", "select") ||
	       sc_sql_has_words(sql, "select", "into");
}

/* Does an op of v[0..j) read rows (a SELECT, or SQL that is no literal)? */
static int read_before(const struct sc_xops *x, size_t j)
{
	size_t k;

	for (k = 0; k < j; k++) {
		const struct sc_op *op = x->v[k].op;
		if (!x->v[k].from_sql && op->kind == SC_OP_EXECUTE &&
		    (!op->sql || sc_sql_has_word(op->sql, "select")))
			return 1;
	}
	return 0;
}

/* A later op renames another table (table.column NULL) or column to the
 * dropped one's name: the data was copied there first. */
static int replaced_later(const struct sc_xops *x, size_t i, const char *table,
			  const char *column)
{
	size_t j;

	for (j = i + 1; j < x->n; j++) {
		const struct sc_op *op = x->v[j].op;
		if (!column && op->kind == SC_OP_RENAME_TABLE && op->new_name &&
		    !strcmp(op->new_name, table))
			return 1;
		if (column && op->kind == SC_OP_ALTER_COLUMN && op->table &&
		    !strcmp(op->table, table) && op->new_name &&
		    !strcmp(op->new_name, column))
			return 1;
	}
	return 0;
}

/* "id, " when the replay knows the primary key of `table`, else NULL. */
static char *key_columns(const struct sc_schema *s, const char *table)
{
	const struct sc_stable *t = s ? sc_schema_table(s, table) : NULL;
	struct sc_buf b = SC_BUF_INIT;
	size_t i;

	if (!t || t->uncertain)
		return NULL;
	for (i = 0; i < t->n_cols; i++)
		if (t->cols[i].primary_key)
			sc_buf_addf(&b, "%s, ", t->cols[i].name);
	if (!b.len)
		return NULL;
	return sc_buf_detach(&b);
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_op *op,
		   const struct sc_schema *before)
{
	struct sc_diag *d;

	if (op->kind == SC_OP_DROP_TABLE) {
		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "table '%s' is dropped with no backup of its data "
				 "in this migration", op->table);
		sc_diag_set_help(d, "copy it first: op.execute(\"CREATE TABLE "
				    "%s_backup AS SELECT * FROM %s\"), or say where a "
				    "backup is kept with a `# schemacheck: "
				    "backup=<where>` comment",
				 op->table, op->table);
	} else {
		char *keys = key_columns(before, op->table);

		d = sc_diags_add(ctx->out, self, u->file, &op->loc,
				 "column '%s.%s' is dropped with no backup of its "
				 "data in this migration", op->table, op->column);
		if (keys)
			sc_diag_set_help(d, "copy it first: op.execute(\"CREATE TABLE "
					    "%s_%s_backup AS SELECT %s%s FROM %s\"), or "
					    "say where a backup is kept with a `# "
					    "schemacheck: backup=<where>` comment",
					 op->table, op->column, keys, op->column,
					 op->table);
		else
			sc_diag_set_help(d, "copy it first: op.execute(\"CREATE TABLE "
					    "%s_%s_backup AS SELECT * FROM %s\"), or "
					    "say where a backup is kept with a `# "
					    "schemacheck: backup=<where>` comment",
					 op->table, op->column, op->table);
		free(keys);
	}
	sc_diag_set_subject(d, op->table,
			    op->kind == SC_OP_DROP_TABLE ? NULL : op->column,
			    u->mig->revision);
}

static void check_migration(struct sc_ctx *ctx, const struct sc_rule *self,
			    const struct sc_unit *u)
{
	const struct sc_migration *m = u->mig;
	struct sc_xops x;
	struct sc_schema *before = NULL;
	int have_before = 0, unseen = -1;
	size_t i, j;

	if (sc_file_has_note(u->file, "backup"))
		return;
	sc_xops_init(&x, m->up, m->n_up);
	for (i = 0; i < x.n; i++) {
		const struct sc_op *op = x.v[i].op;
		int backup = 0;

		if ((op->kind != SC_OP_DROP_TABLE && op->kind != SC_OP_DROP_COLUMN) ||
		    !op->table || (op->flags & SC_OPF_UNCERTAIN) ||
		    (op->kind == SC_OP_DROP_COLUMN && !op->column))
			continue;
		if (sc_xops_created_table_before(&x, i, op->table))
			continue;
		if (op->kind == SC_OP_DROP_COLUMN &&
		    sc_xops_may_have_added_column(&x, i, op->table, op->column))
			continue;
		if (replaced_later(&x, i, op->table,
				   op->kind == SC_OP_DROP_COLUMN ? op->column : NULL))
			continue;
		for (j = 0; j < i && !backup; j++) {
			const struct sc_op *b = x.v[j].op;

			if (x.v[j].from_sql)
				continue;
			/* SQL that is not a literal may be the copy */
			if (b->kind == SC_OP_EXECUTE && (!b->sql || copies(b->sql)))
				backup = 1;
			/* UPDATE ... SET other = <the column>: moved elsewhere */
			else if (b->kind == SC_OP_EXECUTE && op->column &&
				 sc_sql_has_word(b->sql, "update") &&
				 sc_sql_has_word(b->sql, op->column))
				backup = 1;
			/* rows read, then written elsewhere (bulk_insert) */
			else if ((b->kind == SC_OP_BULK_INSERT ||
				  (b->kind == SC_OP_EXECUTE &&
				   (sc_sql_has_word(b->sql, "insert") ||
				    sc_sql_has_word(b->sql, "update")))) &&
				 read_before(&x, j))
				backup = 1;
		}
		if (backup)
			continue;
		if (unseen < 0)
			unseen = sc_body_has_unseen_calls(u, 0);
		if (unseen)
			break;
		if (!have_before) {
			before = sc_schema_before(ctx->now, u);
			have_before = 1;
		}
		report(ctx, self, u, op, before);
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

const struct sc_rule sc_rule_SC205 = {
	.code = "SC205",
	.name = "destructive-without-backup",
	.severity = SC_SEV_WARNING,
	.summary = "`drop_column`/`drop_table` with no backup step in the "
		   "migration and no `# schemacheck: backup=WHERE` note",
	.doc = doc,
	.check = check,
};
