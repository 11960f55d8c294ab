/*
 * ruleutil.c: helpers shared by rules (see ruleutil.h).
 */
#include "ruleutil.h"

#include <string.h>
#include <strings.h>

const char *sc_unit_label(const struct sc_unit *u)
{
	const char *base;
	if (u->mig && u->mig->revision)
		return u->mig->revision;
	base = strrchr(u->file->path, '/');
	return base ? base + 1 : u->file->path;
}

static int sql_is_ddl(const char *sql)
{
	static const char *const words[] = { "create", "alter", "drop",
					     "rename", "truncate", NULL };
	const char *p = sql;
	size_t i;
	/* any statement starting with a DDL keyword */
	while (p && *p) {
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' ||
		       *p == ';' || *p == '(')
			p++;
		for (i = 0; words[i]; i++)
			if (!strncasecmp(p, words[i], strlen(words[i])))
				return 1;
		p = strchr(p, ';');
	}
	return 0;
}

int sc_op_changes_schema(const struct sc_op *op)
{
	switch (op->kind) {
	case SC_OP_CREATE_TABLE: case SC_OP_DROP_TABLE: case SC_OP_RENAME_TABLE:
	case SC_OP_ADD_COLUMN: case SC_OP_DROP_COLUMN: case SC_OP_ALTER_COLUMN:
	case SC_OP_CREATE_INDEX: case SC_OP_DROP_INDEX:
	case SC_OP_CREATE_CONSTRAINT: case SC_OP_DROP_CONSTRAINT:
		return 1;
	case SC_OP_EXECUTE:
		return op->sql && sql_is_ddl(op->sql);
	case SC_OP_OTHER:
		return op->fn && (sc_starts_with(op->fn, "create_") ||
				  sc_starts_with(op->fn, "drop_") ||
				  sc_starts_with(op->fn, "alter_") ||
				  sc_starts_with(op->fn, "rename_"));
	default:
		return 0;
	}
}

int sc_ops_created_table_before(const struct sc_op *ops, size_t i,
				const char *table)
{
	size_t j;
	for (j = 0; j < i; j++) {
		const struct sc_op *op = &ops[j];
		if (op->kind == SC_OP_CREATE_TABLE && op->table &&
		    !strcmp(op->table, table))
			return 1;
		if (op->kind == SC_OP_RENAME_TABLE && op->new_name &&
		    !strcmp(op->new_name, table))
			return 1;
		if (op->kind == SC_OP_EXECUTE && op->sql) {
			/* CREATE TABLE <name> in raw SQL: a plain text search for
			 * the name after CREATE TABLE is enough to stay silent */
			const char *p = op->sql;
			while ((p = strcasestr(p, "create table"))) {
				p += 12;
				if (strstr(p, table))
					return 1;
			}
		}
	}
	return 0;
}

const struct sc_model_table *sc_models_find_table(const struct sc_analysis *a,
		const char *table, const struct sc_unit **unit_out)
{
	size_t i, j;
	for (i = 0; i < a->n_models; i++) {
		const struct sc_modelfile *m = a->models[i]->models;
		for (j = 0; j < m->n_tables; j++) {
			if (m->tables[j].name && !strcmp(m->tables[j].name, table)) {
				if (unit_out)
					*unit_out = a->models[i];
				return &m->tables[j];
			}
		}
	}
	return NULL;
}

const struct sc_column *sc_model_find_column(const struct sc_model_table *t,
					     const char *column)
{
	size_t i;
	for (i = 0; i < t->n_cols; i++)
		if (t->cols[i].name && !strcmp(t->cols[i].name, column))
			return &t->cols[i];
	return NULL;
}

char *sc_op_inverse_hint(const struct sc_op *op)
{
	switch (op->kind) {
	case SC_OP_CREATE_TABLE:
		if (op->table)
			return sc_xasprintf("op.drop_table('%s')", op->table);
		break;
	case SC_OP_ADD_COLUMN:
		if (op->table && op->column)
			return sc_xasprintf("op.drop_column('%s', '%s')",
					    op->table, op->column);
		break;
	case SC_OP_RENAME_TABLE:
		if (op->table && op->new_name)
			return sc_xasprintf("op.rename_table('%s', '%s')",
					    op->new_name, op->table);
		break;
	case SC_OP_CREATE_INDEX:
		if (op->name && op->table)
			return sc_xasprintf("op.drop_index('%s', table_name='%s')",
					    op->name, op->table);
		break;
	case SC_OP_CREATE_CONSTRAINT:
		if (op->name && op->table)
			return sc_xasprintf("op.drop_constraint('%s', '%s')",
					    op->name, op->table);
		break;
	case SC_OP_DROP_COLUMN:
		if (op->table && op->column)
			return sc_xasprintf("op.add_column('%s', sa.Column('%s', ...))",
					    op->table, op->column);
		break;
	case SC_OP_DROP_TABLE:
		if (op->table)
			return sc_xasprintf("op.create_table('%s', ...)", op->table);
		break;
	default:
		break;
	}
	return NULL;
}
