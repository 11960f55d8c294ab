/*
 * schema.c: replaying migration ops into a schema. Every op kind that
 * changes tables, columns, indexes or constraints is applied; op.execute()
 * SQL goes through sqlddl.c first. Unresolved names make the affected
 * table (or its indexes), or the whole schema, uncertain instead of being
 * guessed.
 */
#include "schema.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pysrc.h"
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

static void sindex_release(struct sc_sindex *x)
{
	size_t i;
	for (i = 0; i < x->n_cols; i++)
		free(x->cols[i]);
	free(x->cols);
	free(x->name);
}

static void table_release(struct sc_stable *t)
{
	size_t i;
	for (i = 0; i < t->n_cols; i++)
		column_release(&t->cols[i]);
	free(t->cols);
	for (i = 0; i < t->n_indexes; i++)
		sindex_release(&t->indexes[i]);
	free(t->indexes);
	free(t->name);
}

enum sc_type_family sc_type_family_of_text(const char *type)
{
	const char *p, *start = NULL, *end;
	char buf[64];
	size_t len, i;
	enum sc_type_family f;

	if (!type)
		return SC_TYPE_UNKNOWN;
	/* the last dotted name before the first '(' */
	end = strchr(type, '(');
	if (!end)
		end = type + strlen(type);
	while (end > type && isspace((unsigned char)end[-1]))
		end--;
	for (p = end; p > type && (isalnum((unsigned char)p[-1]) ||
				   p[-1] == '_'); p--)
		;
	start = p;
	len = (size_t)(end - start);
	if (!len)
		return SC_TYPE_OTHER;
	f = sc_type_family_from_name(start, len);
	if (f != SC_TYPE_OTHER || len >= sizeof(buf) || strchr(type, '.'))
		return f;
	/* SQL spells types in lower case: varchar, bigint (a Python name
	 * with a module, sa.text, is not one) */
	for (i = 0; i < len; i++)
		buf[i] = (char)toupper((unsigned char)start[i]);
	buf[len] = '\0';
	return sc_type_family_from_name(buf, len);
}

/* ---- indexes and constraints ----------------------------------------- */

static struct sc_sindex *add_index(struct sc_stable *t, enum sc_cons_kind kind,
				   int unique, const char *name,
				   char *const *cols, size_t n_cols,
				   const struct sc_unit *unit)
{
	struct sc_sindex *x;
	size_t i;

	t->indexes = sc_xrealloc(t->indexes, (t->n_indexes + 1) * sizeof(*x));
	x = &t->indexes[t->n_indexes++];
	memset(x, 0, sizeof(*x));
	x->kind = kind;
	x->unique = unique || kind == SC_CONS_UNIQUE ||
		    kind == SC_CONS_PRIMARY_KEY;
	x->name = name ? sc_xstrdup(name) : NULL;
	x->created_by = unit;
	if (n_cols)
		x->cols = sc_xcalloc(n_cols, sizeof(*x->cols));
	for (i = 0; i < n_cols; i++)
		x->cols[i] = cols[i] ? sc_xstrdup(cols[i]) : NULL;
	x->n_cols = n_cols;
	/* an index or UNIQUE whose columns we cannot name may be on any */
	if ((kind == SC_CONS_INDEX || kind == SC_CONS_UNIQUE) && !n_cols)
		t->indexes_uncertain = 1;
	for (i = 0; i < n_cols; i++)
		if (!cols[i] && (kind == SC_CONS_INDEX || kind == SC_CONS_UNIQUE))
			t->indexes_uncertain = 1;
	return x;
}

static void remove_index(struct sc_stable *t, struct sc_sindex *x)
{
	size_t i = (size_t)(x - t->indexes);
	sindex_release(x);
	memmove(&t->indexes[i], &t->indexes[i + 1],
		(t->n_indexes - i - 1) * sizeof(*x));
	t->n_indexes--;
}

static struct sc_sindex *find_index(const struct sc_stable *t, const char *name)
{
	size_t i;
	if (!name)
		return NULL;
	for (i = 0; i < t->n_indexes; i++)
		if (t->indexes[i].name && !strcmp(t->indexes[i].name, name))
			return &t->indexes[i];
	return NULL;
}

int sc_stable_indexed(const struct sc_stable *t, const char *col)
{
	size_t i;
	int r = 0;

	if (!t || !col)
		return 0;
	for (i = 0; i < t->n_indexes; i++) {
		const struct sc_sindex *x = &t->indexes[i];

		if (x->n_cols != 1 || !x->cols[0] || strcmp(x->cols[0], col))
			continue;
		if (x->kind == SC_CONS_INDEX)
			r |= SC_IDX_INDEX | (x->unique ? SC_IDX_UNIQUE : 0);
		else if (x->kind == SC_CONS_UNIQUE)
			r |= SC_IDX_UNIQUE;
	}
	return r;
}

/* The indexes Column(index=True) / Column(unique=True) make. */
static void column_indexes(struct sc_stable *t, const struct sc_column *c,
			   const struct sc_op *op, const struct sc_unit *unit)
{
	char *name;
	char *cols[1];
	size_t i;

	if (!c->name)
		return;
	cols[0] = c->name;
	if (c->index) {
		/* SQLAlchemy's default convention "ix_%(column_0_label)s" */
		name = sc_xasprintf("ix_%s_%s", t->name, c->name);
		add_index(t, SC_CONS_INDEX, c->unique, name, cols, 1, unit);
		free(name);
		return;
	}
	if (!c->unique)
		return;
	/* migration.c marks UniqueConstraint('x') of create_table on the
	 * column too: that one is in op->cons */
	for (i = 0; op && i < op->n_cons; i++) {
		const struct sc_constraint *k = &op->cons[i];
		if (k->kind == SC_CONS_UNIQUE && k->n_cols == 1 && k->cols[0] &&
		    !strcmp(k->cols[0], c->name))
			return;
	}
	add_index(t, SC_CONS_UNIQUE, 1, NULL, cols, 1, unit);
}

/* Columns of table t named in names[0..n): mark them primary key, NOT NULL. */
static void set_primary_key(struct sc_stable *t, char *const *names, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct sc_scolumn *c = sc_schema_column(t, names[i]);
		if (c) {
			c->primary_key = 1;
			c->nullable = SC_NO;
		}
	}
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

/*
 * `t`'s columns may be incomplete or wrong from here on: none of those it
 * has now is stated any more (a later add_column states its column again).
 */
static void unsure(struct sc_stable *t)
{
	size_t i;

	t->uncertain = 1;
	for (i = 0; i < t->n_cols; i++)
		t->cols[i].stated = 0;
}

/* The table an op works on; an op on an unknown table implies it. */
static struct sc_stable *target(struct sc_schema *s, const char *name)
{
	struct sc_stable *t = sc_schema_table(s, name);
	if (!t) {
		t = add_table(s, name);
		unsure(t);
		s->implied_tables = 1;
	}
	return t;
}

/*
 * An op we cannot pin to one table (a helper we cannot see into, opaque
 * SQL, a table name that does not resolve) may have changed any table
 * that exists at this point of the history: their indexes, and with
 * `columns` their columns, are no longer known. Tables created later
 * are not affected: a create_table states the whole table.
 */
static void taint_tables(struct sc_schema *s, int columns)
{
	size_t i;

	for (i = 0; i < s->n_tables; i++) {
		s->tables[i].indexes_uncertain = 1;
		if (columns)
			unsure(&s->tables[i]);
	}
}

static void set_column(struct sc_scolumn *dst, const struct sc_column *src)
{
	free(dst->type);
	dst->type = src->type ? sc_xstrdup(src->type) : NULL;
	dst->family = src->family;
	if (dst->family == SC_TYPE_UNKNOWN && src->type)
		dst->family = sc_type_family_of_text(src->type); /* SQL */
	dst->type_length = src->type_length;
	if (src->nullable != SC_UNKNOWN)
		dst->nullable = src->nullable;
	else
		dst->nullable = src->primary_key ? SC_NO : SC_YES;
	dst->has_server_default = src->has_server_default;
	dst->primary_key = src->primary_key;
	dst->unique = src->unique;
	dst->stated = 1;
}

static void add_column(struct sc_stable *t, const struct sc_column *c)
{
	struct sc_scolumn *col;
	if (!c->name) {
		unsure(t);
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
	size_t i, j;
	if (!c)
		return;
	i = (size_t)(c - t->cols);
	column_release(c);
	memmove(&t->cols[i], &t->cols[i + 1], (t->n_cols - i - 1) * sizeof(*c));
	t->n_cols--;
	/*
	 * Indexes and constraints on the column go with it. PostgreSQL drops
	 * a multi-column one whole; MySQL drops the column from it, which
	 * may leave an index on exactly one column: not known.
	 */
	for (i = t->n_indexes; i-- > 0;) {
		struct sc_sindex *x = &t->indexes[i];
		int on = 0;

		for (j = 0; j < x->n_cols; j++)
			if (x->cols[j] && !strcmp(x->cols[j], name))
				on = 1;
		if (!on)
			continue;
		if (x->n_cols > 1 && (x->kind == SC_CONS_INDEX ||
				      x->kind == SC_CONS_UNIQUE))
			t->indexes_uncertain = 1;
		remove_index(t, x);
	}
}

static void alter_column(struct sc_stable *t, const struct sc_op *op)
{
	struct sc_scolumn *c = sc_schema_column(t, op->column);
	if (!c) {
		unsure(t);
		return;
	}
	if (op->nullable != SC_UNKNOWN)
		c->nullable = op->nullable;
	if (op->has_server_default)
		c->has_server_default = !op->server_default_none;
	if (op->has_type) {
		free(c->type);
		c->type = op->type ? sc_xstrdup(op->type) : NULL;
		c->family = sc_type_family_of_text(op->type);
	}
	if (op->new_name) {
		size_t i, j;

		if (sc_schema_column(t, op->new_name)) {
			unsure(t);
			return;
		}
		for (i = 0; i < t->n_indexes; i++) {
			struct sc_sindex *x = &t->indexes[i];
			for (j = 0; j < x->n_cols; j++) {
				if (x->cols[j] && !strcmp(x->cols[j], c->name)) {
					free(x->cols[j]);
					x->cols[j] = sc_xstrdup(op->new_name);
				}
			}
		}
		free(c->name);
		c->name = sc_xstrdup(op->new_name);
	}
}

/* The kind of constraint a create_*_constraint op (or ADD CONSTRAINT) makes. */
static enum sc_cons_kind constraint_kind(const struct sc_op *op)
{
	if (!op->fn)
		return SC_CONS_OTHER;
	if (!strcmp(op->fn, "create_unique_constraint"))
		return SC_CONS_UNIQUE;
	if (!strcmp(op->fn, "create_primary_key"))
		return SC_CONS_PRIMARY_KEY;
	if (!strcmp(op->fn, "create_foreign_key"))
		return SC_CONS_FOREIGN_KEY;
	if (!strcmp(op->fn, "create_check_constraint"))
		return SC_CONS_CHECK;
	if (op->n_cons == 1)         /* ALTER TABLE ... ADD CONSTRAINT (SQL) */
		return op->cons[0].kind;
	return SC_CONS_OTHER;
}

static void create_constraint(struct sc_schema *s, const struct sc_op *op,
			      const struct sc_unit *unit)
{
	enum sc_cons_kind kind = constraint_kind(op);
	struct sc_stable *t;
	char *const *cols = op->index_cols;
	size_t n_cols = op->n_index_cols;

	if (!op->table) {
		if (kind != SC_CONS_FOREIGN_KEY && kind != SC_CONS_CHECK)
			taint_tables(s, 0);
		return;
	}
	t = target(s, op->table);
	if (!n_cols && op->n_cons == 1 && !op->cons[0].cols_unresolved) {
		cols = op->cons[0].cols;
		n_cols = op->cons[0].n_cols;
	}
	if (op->flags & SC_OPF_CONDITIONAL) {
		if (kind != SC_CONS_FOREIGN_KEY && kind != SC_CONS_CHECK)
			t->indexes_uncertain = 1;
		return;
	}
	if (kind == SC_CONS_OTHER && !op->name && op->n_cons != 1) {
		t->indexes_uncertain = 1;   /* ADD CONSTRAINT not read */
		return;
	}
	if (kind == SC_CONS_FOREIGN_KEY || kind == SC_CONS_CHECK ||
	    kind == SC_CONS_OTHER)
		n_cols = 0;     /* only the name matters (for drops) */
	if (kind == SC_CONS_PRIMARY_KEY)
		set_primary_key(t, cols, n_cols);
	add_index(t, kind, 0, op->name, cols, n_cols, unit);
}

/*
 * Is the drop_constraint's type_= one that cannot be an index or a UNIQUE
 * the rules compare (a primary key is not compared: it is unique anyway)?
 */
static int drops_fk_or_check(const struct sc_op *op)
{
	const struct sc_kwarg *k = sc_op_kwarg(op, "type_");
	const char *v;

	if (!k || !k->value)
		return 0;
	v = k->value;
	return strstr(v, "foreignkey") || strstr(v, "check") ||
	       strstr(v, "primary");
}

static void drop_index_or_constraint(struct sc_schema *s,
				     const struct sc_op *op)
{
	int maybe = (op->flags & SC_OPF_CONDITIONAL) != 0;
	int harmless = op->kind == SC_OP_DROP_CONSTRAINT && drops_fk_or_check(op);
	struct sc_stable *t = NULL;
	struct sc_sindex *x = NULL;
	size_t i;

	if (op->table) {
		t = sc_schema_table(s, op->table);
		if (t)
			x = find_index(t, op->name);
	} else {
		for (i = 0; i < s->n_tables && !x; i++) {
			x = find_index(&s->tables[i], op->name);
			if (x)
				t = &s->tables[i];
		}
	}
	if (!x) {
		/* an index or constraint the replay does not know (unnamed,
		 * made by SQL we did not read, a name that does not resolve) */
		if (harmless)
			return;
		if (t)
			t->indexes_uncertain = 1;
		else if (op->table)
			target(s, op->table)->indexes_uncertain = 1;
		else
			taint_tables(s, 0);
		return;
	}
	if (maybe) {
		t->indexes_uncertain = 1;
		return;
	}
	if (x->kind == SC_CONS_PRIMARY_KEY) {
		for (i = 0; i < x->n_cols; i++) {
			struct sc_scolumn *c = sc_schema_column(t, x->cols[i]);
			if (c)
				c->primary_key = 0;
		}
	}
	remove_index(t, x);
}

static void create_index(struct sc_schema *s, const struct sc_op *op,
			 const struct sc_unit *unit)
{
	struct sc_stable *t;

	if (!op->table) {
		taint_tables(s, 0);
		return;
	}
	t = target(s, op->table);
	if (op->flags & SC_OPF_CONDITIONAL) {
		t->indexes_uncertain = 1;
		return;
	}
	add_index(t, SC_CONS_INDEX, op->unique, op->name, op->index_cols,
		  op->n_index_cols, unit);
}

/* Replace *name by the existing table it names ignoring case, if any. */
static void sql_table_name(const struct sc_schema *s, char **name)
{
	size_t i;

	if (!*name || sc_schema_table(s, *name))
		return;
	for (i = 0; i < s->n_tables; i++) {
		if (!strcasecmp(s->tables[i].name, *name)) {
			free(*name);
			*name = sc_xstrdup(s->tables[i].name);
			return;
		}
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
		/* SQL folds unquoted names to lower case: ALTER TABLE Flavors
		 * is the table a migration created as "Flavors" */
		sql_table_name(s, &ops[i].table);
		sc_schema_apply(s, &ops[i], unit);
		sc_op_release(&ops[i]);
	}
	free(ops);
	if (unknown) {
		struct sc_stable *t;

		sql_table_name(s, &table);
		t = table ? sc_schema_table(s, table) : NULL;
		if (t) {
			unsure(t);
		} else {
			s->uncertain = 1;       /* it may create a table */
			taint_tables(s, 1);
		}
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
		for (i = 0; i < op->n_cols; i++)
			column_indexes(t, &op->cols[i], op, unit);
		for (i = 0; i < op->n_cons; i++) {
			const struct sc_constraint *k = &op->cons[i];
			if (k->kind == SC_CONS_PRIMARY_KEY)
				set_primary_key(t, k->cols, k->n_cols);
			if ((k->kind == SC_CONS_INDEX ||
			     k->kind == SC_CONS_UNIQUE) && k->cols_unresolved)
				t->indexes_uncertain = 1;
			add_index(t, k->kind, k->unique, k->name,
				  k->kind == SC_CONS_FOREIGN_KEY ? NULL : k->cols,
				  k->kind == SC_CONS_FOREIGN_KEY ? 0 : k->n_cols,
				  unit);
		}
		if (op->flags & SC_OPF_UNCERTAIN)
			unsure(t);
		return;
	case SC_OP_DROP_TABLE:
		if (!op->table) {
			s->uncertain = 1;
			taint_tables(s, 1);
			return;
		}
		t = sc_schema_table(s, op->table);
		if (t && maybe)
			unsure(t);
		else if (t)
			remove_table(s, t);
		return;
	case SC_OP_RENAME_TABLE:
		if (!op->table || !op->new_name) {
			s->uncertain = 1;
			taint_tables(s, 1);
			return;
		}
		t = sc_schema_table(s, op->table);
		if (!t || maybe || sc_schema_table(s, op->new_name)) {
			if (t)
				unsure(t);
			t = target(s, op->new_name);
			unsure(t);
			return;
		}
		free(t->name);
		t->name = sc_xstrdup(op->new_name);
		return;
	case SC_OP_ADD_COLUMN:
		if (!op->table) {
			taint_tables(s, 1);
			return;
		}
		t = target(s, op->table);
		for (i = 0; i < op->n_cols; i++) {
			add_column(t, &op->cols[i]);
			if (maybe && op->cols[i].name)  /* it may not exist */
				sc_schema_column(t, op->cols[i].name)->stated = 0;
			if (maybe && (op->cols[i].index || op->cols[i].unique))
				t->indexes_uncertain = 1;
			else
				column_indexes(t, &op->cols[i], NULL, unit);
		}
		if (!op->n_cols || (op->flags & SC_OPF_UNCERTAIN))
			unsure(t);
		return;
	case SC_OP_DROP_COLUMN:
		if (!op->table) {
			taint_tables(s, 1);
			return;
		}
		t = target(s, op->table);
		if (!op->column || maybe)
			unsure(t);
		else
			drop_column(t, op->column);
		return;
	case SC_OP_ALTER_COLUMN:
		if (!op->table) {
			taint_tables(s, 1);
			return;
		}
		t = target(s, op->table);
		if (!op->column || maybe)
			unsure(t);
		else
			alter_column(t, op);
		return;
	case SC_OP_CREATE_INDEX:
		create_index(s, op, unit);
		return;
	case SC_OP_DROP_INDEX:
	case SC_OP_DROP_CONSTRAINT:
		drop_index_or_constraint(s, op);
		return;
	case SC_OP_CREATE_CONSTRAINT:
		create_constraint(s, op, unit);
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
		/* a helper we cannot see into may change any table */
		if (u->mig->up_has_unknown_calls) {
			s->uncertain = 1;
			taint_tables(s, 1);
		}
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
