/*
 * models.c: an SQLAlchemy model file -> struct sc_modelfile.
 *
 * Tables come from declarative classes (`__tablename__`, or `__table__ =
 * Table(...)`) and from module-level Core `Table('name', metadata, ...)`
 * calls. A class's columns are its `x = Column(...)`, `x =
 * mapped_column(...)`, `x: Mapped[...] = mapped_column(...)` and `x:
 * Mapped[...]` attributes plus those of the mixins (classes of this file
 * that map no table) it inherits; a class without its own table whose base
 * maps one adds its columns to that table (single-table inheritance).
 * Whatever cannot be seen (a base from another module, a declared_attr
 * column, autoload) marks the table uncertain.
 *
 * Table-level indexes and constraints come from `__table_args__` (a
 * tuple of Index/UniqueConstraint/... calls, with or without a trailing
 * dict; a dict alone), from Index/constraint arguments of Table(...), and
 * from module-level `Index('ix', Model.col)` / `Index('ix', t.c.col)`;
 * what cannot be read marks them uncertain (cons_uncertain).
 *
 * Only module-level statements and class bodies are read: no recursion
 * over the tree.
 */
#include "models.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "util.h"

/* A column with the attribute name it was declared under. */
struct mcol {
	struct sc_column col;
	char *attr;             /* owned; NULL for Core Table columns */
};

/* One class of the file. */
struct mclass {
	const char *name;       /* borrowed from the text */
	size_t name_len;
	int root;               /* a declarative base (DeclarativeBase subclass) */
	int declarative;        /* inherits a declarative base (or may) */
	int abstract;           /* __abstract__ = True */
	int uncertain;          /* columns may be missing */
	int tablename_state;    /* 0 none, 1 literal, 2 not resolvable */
	char *tablename;
	struct mcol *cols;
	size_t n_cols, a_cols;
	struct sc_namemap attrs;        /* attribute -> index in cols */
	long table;             /* index of the table it maps to, or -1 */
	TSNode table_args;      /* the value of __table_args__ (null: none) */
	int table_args_dynamic; /* a declared_attr __table_args__ */
};

/* The state of one file's extraction. */
struct mod {
	const struct sc_pyfile *pf;
	struct sc_modelfile *out;
	size_t a_tables;
	struct mclass *classes;
	size_t n_classes, a_classes;
	struct sc_namemap class_map;    /* class name -> index (the last) */
	TSNode *bases;          /* BASE = declarative_base(): the names */
	size_t n_bases, a_bases;
	struct sc_namemap table_vars;   /* users = Table(...) -> table index */
};

static TSNode unparen(TSNode n)
{
	int i;

	for (i = 0; i < 64 && sc_node_is(n, "parenthesized_expression"); i++) {
		TSNode c = ts_node_named_child(n, 0);
		if (ts_node_is_null(c) || sc_node_is(c, "comment"))
			break;
		n = c;
	}
	return n;
}

static int text_eq(const char *s, size_t len, const char *x)
{
	return len == strlen(x) && !memcmp(s, x, len);
}

static void column_copy(struct sc_column *dst, const struct sc_column *src)
{
	*dst = *src;
	dst->name = src->name ? sc_xstrdup(src->name) : NULL;
	dst->type = src->type ? sc_xstrdup(src->type) : NULL;
	dst->type_name = src->type_name ? sc_xstrdup(src->type_name) : NULL;
	dst->server_default = src->server_default
			      ? sc_xstrdup(src->server_default) : NULL;
}

/* Add a column to a class, replacing one declared under the same attribute. */
static void class_add_col(struct mclass *c, const struct sc_column *col,
			  const char *attr, int copy)
{
	struct mcol *m;
	size_t i;

	if (attr && sc_namemap_get(&c->attrs, attr, strlen(attr), &i)) {
		m = &c->cols[i];        /* keeps its attr: the map's key */
		sc_column_release(&m->col);
	} else {
		SC_ALLOC_GROW(c->cols, c->n_cols + 1, c->a_cols);
		m = &c->cols[c->n_cols];
		m->attr = attr ? sc_xstrdup(attr) : NULL;
		if (attr)
			sc_namemap_put(&c->attrs, m->attr, strlen(attr),
				       c->n_cols);
		c->n_cols++;
	}
	if (copy)
		column_copy(&m->col, col);
	else
		m->col = *col;
}

static struct sc_model_table *new_table(struct mod *md, TSNode loc_node)
{
	struct sc_modelfile *out = md->out;
	struct sc_model_table *t;

	SC_ALLOC_GROW(out->tables, out->n_tables + 1, md->a_tables);
	t = &out->tables[out->n_tables++];
	memset(t, 0, sizeof(*t));
	t->loc = sc_node_loc(loc_node);
	return t;
}

static void table_add_col(struct sc_model_table *t, const struct sc_column *c,
			  size_t *alloc)
{
	SC_ALLOC_GROW(t->cols, t->n_cols + 1, *alloc);
	column_copy(&t->cols[t->n_cols++], c);
}

/* ---- Mapped[...] annotations ----------------------------------------- */

/* Look through `type` wrapper nodes. */
static TSNode untype(TSNode n)
{
	int i;

	for (i = 0; i < 16 && sc_node_is(n, "type"); i++)
		n = ts_node_named_child(n, 0);
	return n;
}

/* The name of a generic: Optional in Optional[int] / typing.Optional[int]. */
static TSNode generic_name(TSNode n)
{
	TSNode none;

	memset(&none, 0, sizeof(none));
	if (sc_node_is(n, "generic_type"))
		return ts_node_named_child(n, 0);
	if (sc_node_is(n, "subscript"))
		return ts_node_child_by_field_name(n, "value", 5);
	return none;
}

/* The parameters of a generic, up to max; returns how many. */
static size_t generic_params(TSNode n, TSNode *out, size_t max)
{
	struct sc_children it;
	TSNode c;
	size_t k = 0;
	int first = 1;

	if (sc_node_is(n, "generic_type")) {
		TSNode tp = ts_node_named_child(n, 1);
		if (!sc_node_is(tp, "type_parameter"))
			return 0;
		sc_children_init(&it, tp);
		while (k < max && sc_children_next(&it, &c))
			out[k++] = untype(c);
		sc_children_release(&it);
	} else if (sc_node_is(n, "subscript")) {
		sc_children_init(&it, n);
		while (k < max && sc_children_next(&it, &c)) {
			if (first) {
				first = 0;      /* the value */
				continue;
			}
			out[k++] = untype(c);
		}
		sc_children_release(&it);
	}
	return k;
}

/*
 * Optional[X], Union[X, None], X | None -> X with *nullable = SC_YES;
 * X -> X with SC_NO. The returned node is null when there is no single X.
 */
static TSNode unwrap_optional(const struct sc_pyfile *pf, TSNode t,
			      enum sc_tri *nullable)
{
	TSNode params[8], none, name;
	size_t n, i, k;
	int round;

	memset(&none, 0, sizeof(none));
	*nullable = SC_NO;
	for (round = 0; round < 8; round++) {
		t = untype(t);
		name = generic_name(t);
		if (sc_node_last_name_is(pf, name, "Optional")) {
			*nullable = SC_YES;
			if (generic_params(t, params, 1) != 1)
				return none;
			t = params[0];
			continue;
		}
		if (sc_node_last_name_is(pf, name, "Union") ||
		    sc_node_is(t, "binary_operator")) {
			TSNode rest = none;

			if (sc_node_is(t, "binary_operator")) {
				/* a | b | None is ((a | b) | None) */
				n = 0;
				while (sc_node_is(t, "binary_operator") && n < 7) {
					params[n++] = untype(
						ts_node_child_by_field_name(t,
								    "right", 5));
					t = untype(ts_node_child_by_field_name(t,
								       "left", 4));
				}
				params[n++] = t;
			} else {
				n = generic_params(t, params, 8);
			}
			for (i = 0, k = 0; i < n; i++) {
				if (sc_node_is(params[i], "none")) {
					*nullable = SC_YES;
				} else {
					rest = params[i];
					k++;
				}
			}
			if (k != 1)
				return none;
			t = rest;
			continue;
		}
		break;
	}
	return t;
}

static const struct {
	const char *py;
	const char *sa;
} py_types[] = {
	{ "int", "Integer" }, { "str", "String" }, { "bool", "Boolean" },
	{ "float", "Float" }, { "Decimal", "Numeric" },
	{ "datetime", "DateTime" }, { "date", "Date" }, { "time", "Time" },
	{ "timedelta", "Interval" }, { "bytes", "LargeBinary" },
	{ "dict", "JSON" }, { "Dict", "JSON" }, { "list", "JSON" },
	{ "List", "JSON" }, { "UUID", "Uuid" },
};

/*
 * The facts an x: Mapped[...] annotation gives: *is_mapped, nullability,
 * and (when the column has no type of its own) the type.
 */
static void mapped_annotation(const struct sc_pyfile *pf, TSNode type,
			      int *is_mapped, enum sc_tri *nullable,
			      struct sc_column *col)
{
	TSNode t = untype(type), params[1], inner, tn;
	const char *s;
	size_t len, i;

	*is_mapped = 0;
	*nullable = SC_UNKNOWN;
	if (sc_node_is(t, "string")) {
		/* x: "Mapped[Optional[int]]" */
		s = sc_node_text(pf, t, &len);
		if (!s || len < 8 || !memmem(s, len, "Mapped[", 7))
			return;
		*is_mapped = 1;
		*nullable = memmem(s, len, "Optional[", 9) ||
			    memmem(s, len, "None", 4) ? SC_YES : SC_NO;
		return;
	}
	if (!sc_node_last_name_is(pf, generic_name(t), "Mapped"))
		return;
	*is_mapped = 1;
	if (generic_params(t, params, 1) != 1)
		return;
	if (sc_node_is(params[0], "string")) {
		s = sc_node_text(pf, params[0], &len);
		if (!s)
			return;
		*nullable = memmem(s, len, "Optional[", 9) ||
			    memmem(s, len, "None", 4) ? SC_YES : SC_NO;
		return;
	}
	inner = unwrap_optional(pf, params[0], nullable);
	if (col->type || ts_node_is_null(inner))
		return;
	tn = generic_name(inner);
	if (ts_node_is_null(tn))
		tn = inner;
	s = sc_node_last_name(pf, tn, &len);
	if (!s)
		return;
	for (i = 0; i < SC_ARRAY_SIZE(py_types); i++) {
		if (!text_eq(s, len, py_types[i].py))
			continue;
		col->type = sc_node_strdup(pf, inner);
		col->type_from_annotation = 1;
		col->type_name = sc_xstrdup(py_types[i].sa);
		col->family = sc_type_family_from_name(py_types[i].sa,
						       strlen(py_types[i].sa));
		return;
	}
}

/* ---- indexes and constraints ---------------------------------------- */

static const struct {
	const char *name;
	enum sc_cons_kind kind;
} cons_kinds[] = {
	{ "Index", SC_CONS_INDEX },
	{ "UniqueConstraint", SC_CONS_UNIQUE },
	{ "PrimaryKeyConstraint", SC_CONS_PRIMARY_KEY },
	{ "ForeignKeyConstraint", SC_CONS_FOREIGN_KEY },
	{ "CheckConstraint", SC_CONS_CHECK },
};

/* The kind of an Index(...)/...Constraint(...) call; -1 for other nodes. */
static int cons_kind(const struct sc_pyfile *pf, TSNode n)
{
	size_t k;

	if (!sc_node_is(n, "call"))
		return -1;
	for (k = 0; k < SC_ARRAY_SIZE(cons_kinds); k++)
		if (sc_node_last_name_is(pf, n, cons_kinds[k].name))
			return (int)cons_kinds[k].kind;
	return -1;
}

/* The column name of attribute `attr` of class c (borrowed), or NULL. */
static const char *class_column(const struct mclass *c, const char *s,
				size_t len)
{
	size_t i;

	if (!c || !sc_namemap_get(&c->attrs, s, len, &i))
		return NULL;
	return c->cols[i].col.name;
}

static long find_class(const struct mod *md, const char *s, size_t len);

/*
 * A column reference in an index or constraint: 'name', attr (a name of
 * the class body being read), Model.attr, Model.__table__.c.name,
 * table_var.c.name. Returns the column name (owned by the caller) or NULL,
 * and in *table the table it belongs to when the reference says (-1 when
 * it does not: a string, an attribute of the class itself).
 */
static char *column_ref(const struct mod *md, const struct mclass *self,
			TSNode n, long *table)
{
	const struct sc_pyfile *pf = md->pf;
	TSNode obj, attr, o2;
	const char *t, *a;
	size_t len, alen, i;
	char *str;
	long k;

	*table = -1;
	n = unparen(n);
	if (sc_node_is(n, "string") || sc_node_is(n, "concatenated_string")) {
		if (sc_eval_string(pf, n, &str))
			return str;
		return NULL;
	}
	if (sc_node_is(n, "identifier")) {
		t = sc_node_text(pf, n, &len);
		a = class_column(self, t, len);
		return a ? sc_xstrdup(a) : NULL;
	}
	if (!sc_node_is(n, "attribute"))
		return NULL;
	obj = ts_node_child_by_field_name(n, "object", 6);
	attr = ts_node_child_by_field_name(n, "attribute", 9);
	a = sc_node_text(pf, attr, &alen);
	if (sc_node_is(obj, "identifier")) {
		/* Model.attr */
		t = sc_node_text(pf, obj, &len);
		k = find_class(md, t, len);
		if (k < 0 || md->classes[k].table < 0)
			return NULL;
		*table = md->classes[k].table;
		t = class_column(&md->classes[k], a, alen);
		return t ? sc_xstrdup(t) : NULL;
	}
	/* X.c.name, X.__table__.c.name */
	if (!sc_node_is(obj, "attribute") ||
	    !sc_node_text_is(pf, ts_node_child_by_field_name(obj, "attribute", 9),
			     "c"))
		return NULL;
	o2 = ts_node_child_by_field_name(obj, "object", 6);
	if (sc_node_is(o2, "attribute") &&
	    sc_node_text_is(pf, ts_node_child_by_field_name(o2, "attribute", 9),
			    "__table__"))
		o2 = ts_node_child_by_field_name(o2, "object", 6);
	if (!sc_node_is(o2, "identifier"))
		return NULL;
	t = sc_node_text(pf, o2, &len);
	k = find_class(md, t, len);
	if (k >= 0 && md->classes[k].table >= 0) {
		*table = md->classes[k].table;
	} else if (sc_namemap_get(&md->table_vars, t, len, &i)) {
		*table = (long)i;
	} else {
		return NULL;
	}
	return sc_xstrndup(a, alen);
}

/*
 * Read an Index/...Constraint call into *out (zeroed here). *table is
 * set to the table its column references name (-1: none says; -2: they
 * disagree).
 */
static void read_constraint(const struct mod *md, const struct mclass *self,
			    TSNode call, int kind, struct sc_constraint *out,
			    long *table)
{
	const struct sc_pyfile *pf = md->pf;
	unsigned i, first = 0, n = sc_call_n_positional(call);
	TSNode name, list, x;
	int b;

	memset(out, 0, sizeof(*out));
	*table = -1;
	out->kind = (enum sc_cons_kind)kind;
	out->loc = sc_node_loc(call);
	out->unique = kind == SC_CONS_UNIQUE || kind == SC_CONS_PRIMARY_KEY ||
		      (sc_eval_bool(pf, sc_call_keyword(pf, call, "unique"),
				    &b) && b);
	name = sc_call_keyword(pf, call, "name");
	if (kind == SC_CONS_INDEX) {
		name = sc_call_positional(call, 0);
		first = 1;
	}
	if (!ts_node_is_null(name) && !sc_is_none(pf, name)) {
		TSNode nn = unparen(name);
		if (sc_node_is(nn, "call") && sc_call_n_positional(nn) == 1 &&
		    (sc_node_last_name_is(pf, nn, "f") ||
		     sc_node_last_name_is(pf, nn, "conv")))
			nn = sc_call_positional(nn, 0);
		if (!sc_eval_string(pf, nn, &out->name)) {
			out->name = NULL;
			out->name_unresolved = 1;
		}
	}
	if (kind == SC_CONS_CHECK)
		return;
	if (sc_call_has_splat(call))
		out->cols_unresolved = 1;
	list = call;
	if (kind == SC_CONS_FOREIGN_KEY) {
		/* ForeignKeyConstraint(['a'], ['t.id']) */
		list = unparen(sc_call_positional(call, 0));
		if (!sc_node_is(list, "list") && !sc_node_is(list, "tuple")) {
			out->cols_unresolved = 1;
			return;
		}
		first = 0;
		n = (unsigned)ts_node_named_child_count(list);
	}
	for (i = first; i < n; i++) {
		long tb;
		char *col;

		x = kind == SC_CONS_FOREIGN_KEY ? ts_node_named_child(list, i)
						: sc_call_positional(call, i);
		if (sc_node_is(x, "comment"))
			continue;
		col = column_ref(md, self, x, &tb);
		if (tb >= 0 && *table != -2)
			*table = *table == -1 || *table == tb ? tb : -2;
		out->cols = sc_xrealloc(out->cols,
					(out->n_cols + 1) * sizeof(*out->cols));
		out->cols[out->n_cols++] = col;
	}
}

static void table_add_cons(struct sc_model_table *t, struct sc_constraint *c)
{
	size_t i, j;

	t->cons = sc_xrealloc(t->cons, (t->n_cons + 1) * sizeof(*t->cons));
	t->cons[t->n_cons++] = *c;
	if ((c->kind == SC_CONS_INDEX || c->kind == SC_CONS_UNIQUE) &&
	    (c->cols_unresolved || !c->n_cols))
		t->cons_uncertain = 1;
	for (i = 0; i < c->n_cols; i++) {
		if (!c->cols[i]) {
			if (c->kind == SC_CONS_INDEX || c->kind == SC_CONS_UNIQUE)
				t->cons_uncertain = 1;
			continue;
		}
		if (c->kind != SC_CONS_PRIMARY_KEY)
			continue;
		/* PrimaryKeyConstraint('a', 'b'): a and b are the key */
		for (j = 0; j < t->n_cols; j++)
			if (t->cols[j].name && !strcmp(t->cols[j].name, c->cols[i]))
				t->cols[j].primary_key = 1;
	}
}

/* __table_args__ = (Index(...), UniqueConstraint(...), {...}) or {...}. */
static void table_args(struct mod *md, const struct mclass *c,
		       struct sc_model_table *t)
{
	const struct sc_pyfile *pf = md->pf;
	TSNode v = unparen(c->table_args), x;
	struct sc_children it;

	if (c->table_args_dynamic) {
		t->cons_uncertain = 1;
		return;
	}
	if (ts_node_is_null(v) || sc_node_is(v, "dictionary") ||
	    sc_is_none(pf, v))
		return;
	if (!sc_node_is(v, "tuple") && !sc_node_is(v, "list")) {
		t->cons_uncertain = 1;  /* a variable, a helper's result */
		return;
	}
	sc_children_init(&it, v);
	while (sc_children_next(&it, &x)) {
		struct sc_constraint k;
		long tb;
		int kind;

		x = unparen(x);
		if (sc_node_is(x, "dictionary"))
			continue;
		kind = cons_kind(pf, x);
		if (kind < 0) {
			t->cons_uncertain = 1;
			continue;
		}
		read_constraint(md, c, x, kind, &k, &tb);
		table_add_cons(t, &k);
	}
	sc_children_release(&it);
}

/* Index('ix', Model.col) / Index('ix', users.c.col) at module level. */
static void module_index(struct mod *md, TSNode call)
{
	struct sc_constraint k;
	long tb;
	size_t i;

	read_constraint(md, NULL, call, SC_CONS_INDEX, &k, &tb);
	if (tb >= 0 && (size_t)tb < md->out->n_tables) {
		table_add_cons(&md->out->tables[tb], &k);
		return;
	}
	/* an index we cannot place: any table's indexes may be incomplete */
	for (i = 0; i < md->out->n_tables; i++)
		md->out->tables[i].cons_uncertain = 1;
	sc_constraint_release(&k);
}

/* ---- Core tables ----------------------------------------------------- */

static int is_table_call(const struct sc_pyfile *pf, TSNode n)
{
	return sc_node_is(n, "call") && sc_node_last_name_is(pf, n, "Table") &&
	       sc_call_n_positional(n) >= 1;
}

/* Table('name', metadata, Column(...), ...) -> a table. */
static void core_table(struct mod *md, TSNode call, const char *class_name,
		       size_t class_len)
{
	const struct sc_pyfile *pf = md->pf;
	struct sc_model_table *t = new_table(md, call);
	unsigned i, n = sc_call_n_positional(call);
	size_t alloc = 0, j, k;
	TSNode kw;
	int b;

	if (class_name)
		t->class_name = sc_xstrndup(class_name, class_len);
	if (!sc_eval_string(pf, sc_call_positional(call, 0), &t->name)) {
		t->name = NULL;
		t->uncertain = 1;
	}
	if (sc_call_has_splat(call))
		t->uncertain = 1;
	kw = sc_call_keyword(pf, call, "autoload_with");
	if (!ts_node_is_null(kw) ||
	    (sc_eval_bool(pf, sc_call_keyword(pf, call, "autoload"), &b) && b))
		t->uncertain = 1;
	/* from 1: Flask's db.Table('name', db.Column(...)) has no metadata */
	for (i = 1; i < n; i++) {
		TSNode a = unparen(sc_call_positional(call, i));
		int state = 0, pk;
		struct sc_column col;

		if (i == 1 && !sc_node_last_name_is(pf, a, "Column"))
			continue;       /* the MetaData */
		if (!sc_node_is(a, "call")) {
			t->uncertain = 1;
			continue;
		}
		if (sc_node_last_name_is(pf, a, "Column")) {
			memset(&col, 0, sizeof(col));
			sc_column_from_call(pf, a, &col, &state);
			if (state != 1)
				t->uncertain = 1;
			SC_ALLOC_GROW(t->cols, t->n_cols + 1, alloc);
			t->cols[t->n_cols++] = col;
			continue;
		}
		if (cons_kind(pf, a) >= 0) {
			struct sc_constraint cons;
			long tb;

			read_constraint(md, NULL, a, cons_kind(pf, a), &cons,
					&tb);
			table_add_cons(t, &cons);
		}
		pk = sc_node_last_name_is(pf, a, "PrimaryKeyConstraint");
		if (!pk && !sc_node_last_name_is(pf, a, "UniqueConstraint"))
			continue;
		/* PrimaryKeyConstraint('a', 'b'), UniqueConstraint('a') */
		for (j = 0; j < sc_call_n_positional(a); j++) {
			char *s;
			if (!sc_eval_string(pf, sc_call_positional(a, (unsigned)j),
					    &s))
				continue;
			for (k = 0; k < t->n_cols; k++) {
				if (!t->cols[k].name || strcmp(t->cols[k].name, s))
					continue;
				if (pk)
					t->cols[k].primary_key = 1;
				else if (sc_call_n_positional(a) == 1)
					t->cols[k].unique = 1;
			}
			free(s);
		}
	}
}

/* ---- classes --------------------------------------------------------- */

static long find_class(const struct mod *md, const char *s, size_t len)
{
	size_t i;

	if (!sc_namemap_get(&md->class_map, s, len, &i))
		return -1;
	return (long)i;
}

/* A name bound at module level to declarative_base() (any spelling)? */
static int is_base_name(const struct mod *md, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < md->n_bases; i++) {
		size_t n;
		const char *t = sc_node_text(md->pf, md->bases[i], &n);

		if (n == len && !memcmp(t, s, len))
			return 1;
	}
	return 0;
}

/* Bases that add no columns. */
static int is_plain_base(const char *s, size_t len)
{
	static const char *const plain[] = {
		"object", "ABC", "MappedAsDataclass", "AsyncAttrs", "Generic",
		"Protocol", "SerializerMixin",
	};
	size_t i;

	for (i = 0; i < SC_ARRAY_SIZE(plain); i++)
		if (text_eq(s, len, plain[i]))
			return 1;
	return 0;
}

/* Has the decorated definition a decorator whose text contains `what`? */
static int has_decorator(const struct sc_pyfile *pf, TSNode deco_def,
			 const char *what)
{
	struct sc_children it;
	TSNode c;
	int found = 0;

	sc_children_init(&it, deco_def);
	while (!found && sc_children_next(&it, &c)) {
		size_t len;
		const char *t;

		if (!sc_node_is(c, "decorator"))
			continue;
		t = sc_node_text(pf, c, &len);
		found = memmem(t, len, what, strlen(what)) != NULL;
	}
	sc_children_release(&it);
	return found;
}

/* A call that declares a column: Column, mapped_column, deferred(Column). */
static TSNode column_call(const struct sc_pyfile *pf, TSNode n)
{
	TSNode none;

	memset(&none, 0, sizeof(none));
	n = unparen(n);
	if (!sc_node_is(n, "call"))
		return none;
	if (sc_node_last_name_is(pf, n, "Column") ||
	    sc_node_last_name_is(pf, n, "mapped_column"))
		return n;
	if (sc_node_last_name_is(pf, n, "deferred")) {
		TSNode a = unparen(sc_call_positional(n, 0));
		if (sc_node_is(a, "call") && sc_node_last_name_is(pf, a, "Column"))
			return a;
	}
	return none;
}

/* The statements of a class body: columns and the table dunders. */
static void class_body(struct mod *md, struct mclass *c, TSNode body,
		       TSNode *tablename_at, TSNode *table_call)
{
	const struct sc_pyfile *pf = md->pf;
	struct sc_children it;
	TSNode stmt;

	sc_children_init(&it, body);
	while (sc_children_next(&it, &stmt)) {
		TSNode a = ts_node_named_child(stmt, 0), left, right, type, call;
		struct sc_column col;
		enum sc_tri mnull = SC_UNKNOWN;
		int mapped = 0, state = 0, b;
		const char *name;
		size_t len;
		char *attr;

		if (sc_node_is(stmt, "decorated_definition")) {
			TSNode def = ts_node_child_by_field_name(stmt,
							 "definition", 10);
			TSNode dn = ts_node_child_by_field_name(def, "name", 4);

			if (!has_decorator(pf, stmt, "declared_attr"))
				continue;
			if (sc_node_text_is(pf, dn, "__table_args__")) {
				c->table_args_dynamic = 1;
				memset(&c->table_args, 0, sizeof(c->table_args));
				continue;
			}
			if (sc_node_text_is(pf, dn, "__tablename__")) {
				c->tablename_state = 2;
				free(c->tablename);
				c->tablename = NULL;
				*tablename_at = stmt;
			} else if (!sc_node_text_is(pf, dn, "__table_args__") &&
				   !sc_node_text_is(pf, dn, "__mapper_args__")) {
				c->uncertain = 1;       /* a dynamic column */
			}
			continue;
		}
		if (!sc_node_is(stmt, "expression_statement") ||
		    !sc_node_is(a, "assignment"))
			continue;
		left = ts_node_child_by_field_name(a, "left", 4);
		right = ts_node_child_by_field_name(a, "right", 5);
		type = ts_node_child_by_field_name(a, "type", 4);
		if (!sc_node_is(left, "identifier"))
			continue;
		name = sc_node_text(pf, left, &len);
		if (text_eq(name, len, "__tablename__")) {
			free(c->tablename);
			c->tablename = NULL;
			if (sc_is_none(pf, right)) {
				c->tablename_state = 0;
			} else if (sc_eval_string(pf, right, &c->tablename)) {
				c->tablename_state = 1;
			} else {
				c->tablename = NULL;
				c->tablename_state = 2;
			}
			*tablename_at = a;
			continue;
		}
		if (text_eq(name, len, "__table_args__")) {
			c->table_args = right;
			c->table_args_dynamic = ts_node_is_null(right);
			continue;
		}
		if (text_eq(name, len, "__abstract__")) {
			c->abstract = sc_eval_bool(pf, right, &b) && b;
			continue;
		}
		if (text_eq(name, len, "__table__")) {
			if (is_table_call(pf, unparen(right)))
				*table_call = unparen(right);
			else
				c->uncertain = 1;
			continue;
		}
		if (len > 4 && name[0] == '_' && name[1] == '_')
			continue;       /* __table_args__, __mapper_args__... */

		memset(&col, 0, sizeof(col));
		if (!ts_node_is_null(type)) {
			col.type_length = -1;
			mapped_annotation(pf, type, &mapped, &mnull, &col);
			sc_column_release(&col);
		}
		call = ts_node_is_null(right) ? right : column_call(pf, right);
		if (ts_node_is_null(call) &&
		    !(mapped && ts_node_is_null(right)))
			continue;       /* relationship(), a constant, ... */
		memset(&col, 0, sizeof(col));
		if (!ts_node_is_null(call)) {
			sc_column_from_call(pf, call, &col, &state);
		} else {
			col.type_length = -1;
			col.nullable = SC_UNKNOWN;
			col.loc = sc_node_loc(a);
		}
		if (state == 2)
			c->uncertain = 1;
		else if (state == 0)
			col.name = sc_xstrndup(name, len);
		if (mapped) {
			enum sc_tri dummy;
			int m2;

			mapped_annotation(pf, type, &m2, &dummy, &col);
			if (ts_node_is_null(call) ||
			    ts_node_is_null(sc_call_keyword(pf, call, "nullable")))
				col.nullable = col.primary_key && mnull == SC_YES
					       ? SC_NO : mnull;
		}
		attr = sc_xstrndup(name, len);
		class_add_col(c, &col, attr, 0);
		free(attr);
	}
	sc_children_release(&it);
}

/* One class (def); `stmt` is its decorated_definition when decorated. */
static void add_class(struct mod *md, TSNode def, TSNode stmt)
{
	const struct sc_pyfile *pf = md->pf;
	TSNode name = ts_node_child_by_field_name(def, "name", 4);
	TSNode supers = ts_node_child_by_field_name(def, "superclasses", 12);
	TSNode body = ts_node_child_by_field_name(def, "body", 4);
	TSNode tablename_at, table_call, base;
	struct mclass *c;
	struct sc_children it;
	long parent = -1, self;
	size_t i, inherited_state = 0;
	char *inherited_name = NULL;

	memset(&tablename_at, 0, sizeof(tablename_at));
	memset(&table_call, 0, sizeof(table_call));
	if (ts_node_is_null(name))
		return;
	SC_ALLOC_GROW(md->classes, md->n_classes + 1, md->a_classes);
	self = (long)md->n_classes;
	c = &md->classes[md->n_classes++];
	memset(c, 0, sizeof(*c));
	c->name = sc_node_text(pf, name, &c->name_len);
	c->table = -1;
	/* @registry.mapped / @mapped_as_dataclass(registry) */
	if (sc_node_is(stmt, "decorated_definition") &&
	    has_decorator(pf, stmt, "mapped"))
		c->declarative = 1;

	/* the bases: mixins of this file, declarative bases, unknowns */
	sc_children_init(&it, supers);
	while (sc_children_next(&it, &base)) {
		size_t len, blen;
		const char *t, *last;
		long k;

		if (!sc_node_is(base, "identifier") &&
		    !sc_node_is(base, "attribute")) {
			if (!sc_node_is(base, "keyword_argument") &&
			    !sc_node_is(base, "subscript"))
				c->uncertain = 1;
			continue;
		}
		t = sc_node_text(pf, base, &blen);
		last = sc_node_last_name(pf, base, &len);
		k = sc_node_is(base, "identifier") ? find_class(md, t, blen) : -1;
		if (k == self)
			k = -1;
		if (k >= 0) {
			struct mclass *b = &md->classes[k];
			c = &md->classes[self];
			if (b->table >= 0) {
				if (parent < 0)
					parent = k;
				c->declarative = 1;
				continue;
			}
			/* a mixin, an abstract class, or the declarative base */
			for (i = 0; i < b->n_cols; i++)
				class_add_col(c, &b->cols[i].col,
					      b->cols[i].attr, 1);
			c->uncertain |= b->uncertain;
			c->declarative |= b->declarative || b->root;
			if (ts_node_is_null(c->table_args) &&
			    !c->table_args_dynamic) {
				c->table_args = b->table_args;
				c->table_args_dynamic = b->table_args_dynamic;
			}
			if (b->tablename_state && !inherited_state) {
				inherited_state = (size_t)b->tablename_state;
				inherited_name = b->tablename;
			}
		} else if (last && (text_eq(last, len, "DeclarativeBase") ||
				    text_eq(last, len, "DeclarativeBaseNoMeta"))) {
			c->root = 1;
			c->declarative = 1;
		} else if (last && ((len >= 4 &&
				     !strncasecmp(last + len - 4, "base", 4)) ||
				    text_eq(last, len, "Model") ||
				    is_base_name(md, t, blen))) {
			c->declarative = 1;
		} else if (!last || !is_plain_base(last, len)) {
			c->uncertain = 1;       /* may add columns we cannot see */
			c->declarative = 1;
		}
	}
	sc_children_release(&it);
	c = &md->classes[self];
	sc_namemap_put(&md->class_map, c->name, c->name_len, (size_t)self);

	class_body(md, c, body, &tablename_at, &table_call);

	if (c->root || c->abstract)
		return;
	if (!ts_node_is_null(table_call)) {
		c->table = (long)md->out->n_tables;
		core_table(md, table_call, c->name, c->name_len);
		return;
	}
	if (!c->tablename_state && inherited_state && parent < 0) {
		/* __tablename__ from a mixin (usually a declared_attr) */
		c->tablename_state = (int)inherited_state;
		c->tablename = inherited_name ? sc_xstrdup(inherited_name) : NULL;
		tablename_at = name;
	}
	if (c->tablename_state && c->declarative) {
		struct sc_model_table *t = new_table(md, tablename_at);
		size_t alloc = 0;

		c->table = (long)md->out->n_tables - 1;
		t->name = c->tablename ? sc_xstrdup(c->tablename) : NULL;
		t->class_name = sc_xstrndup(c->name, c->name_len);
		t->uncertain = c->uncertain || c->tablename_state == 2;
		for (i = 0; i < c->n_cols; i++)
			table_add_col(t, &c->cols[i].col, &alloc);
		/* a base of another module may bring __table_args__ too */
		t->cons_uncertain = c->uncertain;
		table_args(md, c, t);
		return;
	}
	if (parent >= 0) {
		/* single-table inheritance: the columns go to the parent's table */
		struct sc_namemap have = SC_NAMEMAP_INIT;
		struct sc_model_table *t;
		size_t j, alloc;

		c->table = md->classes[parent].table;
		t = &md->out->tables[c->table];
		alloc = t->n_cols;
		t->uncertain |= c->uncertain;
		for (j = 0; j < t->n_cols; j++)
			if (t->cols[j].name)
				sc_namemap_put(&have, t->cols[j].name,
					       strlen(t->cols[j].name), j);
		for (i = 0; i < c->n_cols; i++) {
			const struct sc_column *col = &c->cols[i].col;

			if (col->name && sc_namemap_get(&have, col->name,
							strlen(col->name), &j))
				continue;
			table_add_col(t, col, &alloc);
			if (col->name)
				sc_namemap_put(&have, t->cols[t->n_cols - 1].name,
					       strlen(col->name), t->n_cols - 1);
		}
		sc_namemap_release(&have);
	}
}

int sc_models_extract(struct sc_modelfile **out, const struct sc_pyfile *pf)
{
	struct mod md;
	struct sc_children it;
	TSNode stmt;
	size_t i, j;

	memset(&md, 0, sizeof(md));
	md.pf = pf;
	md.out = sc_xcalloc(1, sizeof(*md.out));
	*out = NULL;
	if (!pf->tree)
		goto out;
	sc_children_init(&it, ts_tree_root_node(pf->tree));
	while (sc_children_next(&it, &stmt)) {
		TSNode def = stmt, e = ts_node_named_child(stmt, 0), var;

		if (sc_node_is(stmt, "decorated_definition"))
			def = ts_node_child_by_field_name(stmt, "definition", 10);
		if (sc_node_is(def, "class_definition")) {
			add_class(&md, def, stmt);
			continue;
		}
		if (!sc_node_is(stmt, "expression_statement"))
			continue;
		/* users = Table('users', metadata, ...), or a bare Table(...) */
		var = ts_node_child_by_field_name(e, "left", 4);
		if (!sc_node_is(e, "assignment") || !sc_node_is(var, "identifier"))
			memset(&var, 0, sizeof(var));
		while (sc_node_is(e, "assignment")) {
			TSNode left = ts_node_child_by_field_name(e, "left", 4);
			TSNode right = unparen(ts_node_child_by_field_name(e,
								   "right", 5));

			if (sc_node_is(left, "identifier") &&
			    sc_node_is(right, "call") &&
			    (sc_node_last_name_is(pf, right, "declarative_base") ||
			     sc_node_last_name_is(pf, right, "generate_base"))) {
				SC_ALLOC_GROW(md.bases, md.n_bases + 1,
					      md.a_bases);
				md.bases[md.n_bases++] = left;
			}
			e = ts_node_child_by_field_name(e, "right", 5);
		}
		e = unparen(e);
		if (is_table_call(pf, e)) {
			if (!ts_node_is_null(var)) {
				size_t vlen;
				const char *vs = sc_node_text(pf, var, &vlen);
				sc_namemap_put(&md.table_vars, vs, vlen,
					       md.out->n_tables);
			}
			core_table(&md, e, NULL, 0);
		} else if (cons_kind(pf, e) == SC_CONS_INDEX) {
			module_index(&md, e);
		}
	}
	sc_children_release(&it);
out:
	for (i = 0; i < md.n_classes; i++) {
		for (j = 0; j < md.classes[i].n_cols; j++) {
			sc_column_release(&md.classes[i].cols[j].col);
			free(md.classes[i].cols[j].attr);
		}
		free(md.classes[i].cols);
		free(md.classes[i].tablename);
		sc_namemap_release(&md.classes[i].attrs);
	}
	free(md.classes);
	free(md.bases);
	sc_namemap_release(&md.class_map);
	sc_namemap_release(&md.table_vars);
	*out = md.out;
	return 0;
}
