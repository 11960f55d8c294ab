/*
 * schema.c: replaying migration ops into a schema. Every op kind that
 * changes tables or columns is applied; op.execute() SQL goes through
 * sqlddl.c first. Unresolved names make the affected table, or the whole
 * schema, uncertain instead of being guessed.
 */
#include "schema.h"

#include <stdlib.h>
#include <string.h>

#include "sqlddl.h"

struct sc_stable *sc_schema_table(const struct sc_schema *s, const char *name)
{
	size_t i;
	if (!name)
		return NULL;
	for (i = 0; i < s->n_tables; i++)
		if (!strcmp(s->tables[i].name, name))
			return &s->tables[i];
	return NULL;
}

struct sc_scolumn *sc_schema_column(const struct sc_stable *t, const char *name)
{
	size_t i;
	if (!t || !name)
		return NULL;
	for (i = 0; i < t->n_cols; i++)
		if (!strcmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

static void column_release(struct sc_scolumn *c)
{
	free(c->name);
	free(c->type);
}

static void table_release(struct sc_stable *t)
{
	size_t i;
	for (i = 0; i < t->n_cols; i++)
		column_release(&t->cols[i]);
	free(t->cols);
	free(t->name);
}

static struct sc_stable *add_table(struct sc_schema *s, const char *name)
{
	struct sc_stable *t;
	s->tables = sc_xrealloc(s->tables, (s->n_tables + 1) * sizeof(*t));
	t = &s->tables[s->n_tables++];
	memset(t, 0, sizeof(*t));
	t->name = sc_xstrdup(name);
	return t;
}

static void remove_table(struct sc_schema *s, struct sc_stable *t)
{
	size_t i = (size_t)(t - s->tables);
	table_release(t);
	memmove(&s->tables[i], &s->tables[i + 1],
		(s->n_tables - i - 1) * sizeof(*t));
	s->n_tables--;
}

/* The table an op works on; an op on an unknown table implies it. */
static struct sc_stable *target(struct sc_schema *s, const char *name)
{
	struct sc_stable *t = sc_schema_table(s, name);
	if (!t) {
		t = add_table(s, name);
		t->uncertain = 1;
		s->implied_tables = 1;
	}
	return t;
}

static void set_column(struct sc_scolumn *dst, const struct sc_column *src)
{
	free(dst->type);
	dst->type = src->type ? sc_xstrdup(src->type) : NULL;
	dst->family = src->family;
	dst->type_length = src->type_length;
	if (src->nullable != SC_UNKNOWN)
		dst->nullable = src->nullable;
	else
		dst->nullable = src->primary_key ? SC_NO : SC_YES;
	dst->has_server_default = src->has_server_default;
	dst->primary_key = src->primary_key;
	dst->unique = src->unique;
}

static void add_column(struct sc_stable *t, const struct sc_column *c)
{
	struct sc_scolumn *col;
	if (!c->name) {
		t->uncertain = 1;
		return;
	}
	col = sc_schema_column(t, c->name);
	if (!col) {
		t->cols = sc_xrealloc(t->cols, (t->n_cols + 1) * sizeof(*col));
		col = &t->cols[t->n_cols++];
		memset(col, 0, sizeof(*col));
		col->name = sc_xstrdup(c->name);
	}
	set_column(col, c);
}

static void drop_column(struct sc_stable *t, const char *name)
{
	struct sc_scolumn *c = sc_schema_column(t, name);
	size_t i;
	if (!c)
		return;
	i = (size_t)(c - t->cols);
	column_release(c);
	memmove(&t->cols[i], &t->cols[i + 1], (t->n_cols - i - 1) * sizeof(*c));
	t->n_cols--;
}

static void alter_column(struct sc_stable *t, const struct sc_op *op)
{
	struct sc_scolumn *c = sc_schema_column(t, op->column);
	if (!c) {
		t->uncertain = 1;
		return;
	}
	if (op->nullable != SC_UNKNOWN)
		c->nullable = op->nullable;
	if (op->has_server_default)
		c->has_server_default = !op->server_default_none;
	if (op->has_type) {
		free(c->type);
		c->type = op->type ? sc_xstrdup(op->type) : NULL;
		c->family = SC_TYPE_UNKNOWN;
	}
	if (op->new_name) {
		if (sc_schema_column(t, op->new_name)) {
			t->uncertain = 1;
			return;
		}
		free(c->name);
		c->name = sc_xstrdup(op->new_name);
	}
}

static void apply_sql(struct sc_schema *s, const struct sc_op *op,
		      const struct sc_unit *unit)
{
	struct sc_op *ops = NULL;
	size_t n = 0, i;
	int unknown = 0;
	char *table = NULL;

	sc_sqlddl_parse(op->sql, op->flags, &op->loc, &ops, &n, &unknown, &table);
	for (i = 0; i < n; i++) {
		sc_schema_apply(s, &ops[i], unit);
		sc_op_release(&ops[i]);
	}
	free(ops);
	if (unknown) {
		struct sc_stable *t = table ? sc_schema_table(s, table) : NULL;
		if (t)
			t->uncertain = 1;
		else
			s->uncertain = 1;
	}
	free(table);
}

void sc_schema_apply(struct sc_schema *s, const struct sc_op *op,
		     const struct sc_unit *unit)
{
	struct sc_stable *t;
	size_t i;
	int maybe = (op->flags & SC_OPF_CONDITIONAL) != 0;

	switch (op->kind) {
	case SC_OP_CREATE_TABLE:
		if (!op->table) {
			s->uncertain = 1;
			return;
		}
		t = sc_schema_table(s, op->table);
		if (t && !maybe)
			remove_table(s, t);
		else if (t)
			return;
		t = add_table(s, op->table);
		t->created_by = unit;
		t->conditional = maybe;
		for (i = 0; i < op->n_cols; i++)
			add_column(t, &op->cols[i]);
		if (op->flags & SC_OPF_UNCERTAIN)
			t->uncertain = 1;
		return;
	case SC_OP_DROP_TABLE:
		if (!op->table) {
			s->uncertain = 1;
			return;
		}
		t = sc_schema_table(s, op->table);
		if (t && maybe)
			t->uncertain = 1;
		else if (t)
			remove_table(s, t);
		return;
	case SC_OP_RENAME_TABLE:
		if (!op->table || !op->new_name) {
			s->uncertain = 1;
			return;
		}
		t = sc_schema_table(s, op->table);
		if (!t || maybe || sc_schema_table(s, op->new_name)) {
			if (t)
				t->uncertain = 1;
			t = target(s, op->new_name);
			t->uncertain = 1;
			return;
		}
		free(t->name);
		t->name = sc_xstrdup(op->new_name);
		return;
	case SC_OP_ADD_COLUMN:
		if (!op->table) {
			s->uncertain = 1;
			return;
		}
		t = target(s, op->table);
		for (i = 0; i < op->n_cols; i++)
			add_column(t, &op->cols[i]);
		if (!op->n_cols || (op->flags & SC_OPF_UNCERTAIN))
			t->uncertain = 1;
		return;
	case SC_OP_DROP_COLUMN:
		if (!op->table)
			return;
		t = target(s, op->table);
		if (!op->column || maybe)
			t->uncertain = 1;
		else
			drop_column(t, op->column);
		return;
	case SC_OP_ALTER_COLUMN:
		if (!op->table)
			return;
		t = target(s, op->table);
		if (!op->column || maybe)
			t->uncertain = 1;
		else
			alter_column(t, op);
		return;
	case SC_OP_EXECUTE:
		if (op->sql)
			apply_sql(s, op, unit);
		return;
	default:
		return;
	}
}

void sc_schema_replay(struct sc_schema **out, const struct sc_revgraph *g)
{
	struct sc_schema *s = sc_xcalloc(1, sizeof(*s));
	size_t i, j;

	for (i = 0; i < g->n_order; i++) {
		const struct sc_unit *u = g->nodes[g->order[i]].unit;
		for (j = 0; j < u->mig->n_up; j++)
			sc_schema_apply(s, &u->mig->up[j], u);
	}
	*out = s;
}

void sc_schema_free(struct sc_schema *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->n_tables; i++)
		table_release(&s->tables[i]);
	free(s->tables);
	free(s);
}
