/*
 * migration.c: an Alembic migration file -> struct sc_migration.
 *
 * Reads the module-level revision variables and the docstring header, then
 * walks upgrade() and downgrade() for schema operations: op.<fn>(...) calls
 * anywhere in their bodies, batch_op.<fn>(...) inside
 * `with op.batch_alter_table(...) as batch_op:`, SQL text run through any
 * .execute(...), and the operations of helper functions of the same file
 * that they call. Names resolve through module-level string constants and
 * through function-local names bound once to a string literal; what does
 * not resolve stays NULL and marks the op SC_OPF_UNCERTAIN.
 *
 * Statements are walked recursively with a depth limit (MAX_DEPTH: beyond
 * it the walk stops and upgrade is marked as having unknown calls);
 * expressions are walked with a tree cursor, so deeply nested expressions
 * cost no stack.
 */
#include "migration.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "util.h"

#define MAX_DEPTH 256   /* nesting of statements and comprehensions */
#define MAX_INLINE 4    /* helper functions inlined into one another */
#define MAX_INLINED 512 /* helper bodies walked for one upgrade/downgrade */

/* A borrowed slice of the file's text. */
struct slice {
	const char *s;
	size_t len;
};

/* `from MODULE import NAME [as ALIAS]`: the bound name and its module. */
struct imported {
	struct slice name;
	struct slice module;
};

/* A module-level def. */
struct func {
	struct slice name;
	TSNode def;
};

/* A name bound inside a function (parameter, assignment, loop target). */
struct local {
	struct slice name;
	unsigned nbind;         /* how many bindings */
	TSNode literal;         /* the value when bound once, at top level, to a
				 * string (or to text('...')) */
	int is_global;          /* declared `global` */
	TSNode def;             /* a nested def bound once: walked when called */
};

/* The names of one function's scope. */
struct scope {
	struct local *v;
	size_t n, alloc;
	struct sc_namemap map;          /* name -> index in v */
};

/* The state of one file's extraction. */
struct mig {
	const struct sc_pyfile *pf;
	struct sc_migration *m;
	struct func *funcs;
	size_t n_funcs, a_funcs;
	struct imported *imps;
	size_t n_imps, a_imps;
	struct slice *op_names;         /* names bound to alembic.op */
	size_t n_op_names, a_op_names;
	struct sc_namemap func_map;     /* def name -> index in funcs (the last) */
	struct sc_namemap class_map;    /* module-level classes and assigned names */
	struct sc_namemap imp_map;      /* imported name -> index in imps */
};

/* The ops of one body being collected. */
struct oplist {
	struct sc_op *v;
	size_t n, alloc;
	const char *top;                /* "upgrade" or "downgrade" */
	int unknown_calls;
	int truncated;
	TSNode stack[MAX_INLINE + 1];   /* the functions being walked */
	int depth;
	unsigned inlined;               /* helper bodies walked so far */
};

/* Where a walk is: flags, the batch block it is in, the function scope. */
struct wctx {
	unsigned flags;
	struct slice alias;             /* batch_op name; len 0 outside a batch */
	const char *batch_table;        /* NULL when unresolved */
	int batch_uncertain;
	const struct scope *scope;
	TSNode stmt_call;               /* the call a statement runs for its effect */
};

static int slice_eq(struct slice a, const char *s, size_t len)
{
	return a.len == len && !memcmp(a.s, s, len);
}

static struct slice node_slice(const struct sc_pyfile *pf, TSNode n)
{
	struct slice s;
	s.s = sc_node_text(pf, n, &s.len);
	return s;
}

static void add_slice(struct slice **v, size_t *n, size_t *alloc,
		      struct slice s)
{
	SC_ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = s;
}

/* Text of n without whitespace and line continuations ("a . b" -> "a.b"). */
static char *compact_text(const struct sc_pyfile *pf, TSNode n)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t len, i;
	const char *t = sc_node_text(pf, n, &len);

	for (i = 0; i < len; i++)
		if (t[i] != ' ' && t[i] != '\t' && t[i] != '\\' &&
		    t[i] != '\n' && t[i] != '\r' && t[i] != '\f')
			sc_buf_addch(&b, t[i]);
	return sc_buf_detach(&b);
}

/* ---- scopes ---------------------------------------------------------- */

static struct local *scope_find(const struct scope *sc, const char *s,
				size_t len)
{
	size_t i;

	if (!sc || !sc_namemap_get(&sc->map, s, len, &i))
		return NULL;
	return &sc->v[i];
}

static struct local *scope_bind(struct scope *sc, struct slice name)
{
	struct local *l = scope_find(sc, name.s, name.len);

	if (!l) {
		SC_ALLOC_GROW(sc->v, sc->n + 1, sc->alloc);
		sc_namemap_put(&sc->map, name.s, name.len, sc->n);
		l = &sc->v[sc->n++];
		memset(l, 0, sizeof(*l));
		l->name = name;
	}
	l->nbind++;
	return l;
}

/* Bind every identifier of an assignment target (not a.b or a[i]). */
static void bind_targets(const struct sc_pyfile *pf, struct scope *sc,
			 TSNode target)
{
	TSTreeCursor c;

	if (ts_node_is_null(target))
		return;
	c = ts_tree_cursor_new(target);
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		int descend = !sc_node_is(x, "attribute") &&
			      !sc_node_is(x, "subscript");

		if (sc_node_is(x, "identifier"))
			scope_bind(sc, node_slice(pf, x));
		if (!sc_cursor_next(&c, descend))
			break;
	}
	ts_tree_cursor_delete(&c);
}

/* A direct statement of the body: `name = "literal"`? Bind it so. */
static int bind_literal_stmt(const struct sc_pyfile *pf, struct scope *sc,
			     TSNode stmt)
{
	TSNode a = sc_node_named_child(stmt, 0), left, right;
	struct local *l;

	if (!sc_node_is(stmt, "expression_statement") ||
	    !sc_node_is(a, "assignment"))
		return 0;
	left = sc_node_field(a, "left");
	right = sc_node_field(a, "right");
	if (sc_node_is(right, "call") && (sc_node_last_name_is(pf, right, "text") ||
					  sc_node_last_name_is(pf, right, "DDL")))
		;       /* q = sa.text('...'): SQL for conn.execute(q) */
	else if (!sc_node_is(right, "string") &&
		 !sc_node_is(right, "concatenated_string"))
		return 0;
	if (!sc_node_is(left, "identifier"))
		return 0;
	l = scope_bind(sc, node_slice(pf, left));
	l->literal = right;
	return 1;
}

/* The names a function binds: parameters, assignments, loop targets... */
static void build_scope(const struct sc_pyfile *pf, struct scope *sc,
			TSNode def)
{
	TSNode params = sc_node_field(def, "parameters");
	TSNode body = sc_node_field(def, "body");
	TSTreeCursor c;
	unsigned depth = 0;
	size_t i;

	bind_targets(pf, sc, params);
	if (ts_node_is_null(body))
		return;
	c = ts_tree_cursor_new(body);
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		const char *type = ts_node_type(x);
		int descend = 1;

		if (depth == 1 && bind_literal_stmt(pf, sc, x)) {
			descend = 0;
		} else if (!strcmp(type, "function_definition") ||
			   !strcmp(type, "class_definition")) {
			TSNode name = sc_node_field(x, "name");
			if (!ts_node_is_null(name)) {
				struct local *l = scope_bind(sc,
							     node_slice(pf, name));
				if (!strcmp(type, "function_definition"))
					l->def = x;
			}
			descend = 0;
		} else if (!strcmp(type, "lambda")) {
			descend = 0;
		} else if (!strcmp(type, "assignment") ||
			   !strcmp(type, "augmented_assignment") ||
			   !strcmp(type, "for_statement") ||
			   !strcmp(type, "for_in_clause")) {
			bind_targets(pf, sc,
				     sc_node_field(x, "left"));
		} else if (!strcmp(type, "as_pattern_target")) {
			bind_targets(pf, sc, x);
		} else if (!strcmp(type, "named_expression")) {
			bind_targets(pf, sc,
				     sc_node_field(x, "name"));
		} else if (!strcmp(type, "except_clause")) {
			bind_targets(pf, sc,
				     sc_node_field(x, "alias"));
		} else if (!strcmp(type, "global_statement") ||
			   !strcmp(type, "nonlocal_statement")) {
			struct sc_children it;
			TSNode id;

			sc_children_init(&it, x);
			while (sc_children_next(&it, &id))
				scope_bind(sc, node_slice(pf, id))->is_global = 1;
			sc_children_release(&it);
			descend = 0;
		} else if (!strcmp(type, "import_statement") ||
			   !strcmp(type, "import_from_statement")) {
			descend = 0;    /* local imports: modules, not strings */
		}
		if (descend && ts_tree_cursor_goto_first_child(&c)) {
			depth++;
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&c)) {
			if (!ts_tree_cursor_goto_parent(&c))
				goto done;
			depth--;
		}
	}
done:
	ts_tree_cursor_delete(&c);
	for (i = 0; i < sc->n; i++) {
		if (sc->v[i].nbind != 1) {
			memset(&sc->v[i].literal, 0, sizeof(TSNode));
			memset(&sc->v[i].def, 0, sizeof(TSNode));
		}
	}
}

/* ---- argument evaluation ------------------------------------------- */

static TSNode unparen(TSNode n)
{
	int i;

	for (i = 0; i < 64 && sc_node_is(n, "parenthesized_expression"); i++) {
		TSNode c = sc_node_named_child(n, 0);
		if (ts_node_is_null(c) || sc_node_is(c, "comment"))
			break;
		n = c;
	}
	return n;
}

/* A string through locals, then module constants; 0 when unresolvable. */
static int eval_str(const struct mig *mg, const struct wctx *w, TSNode n,
		    char **out)
{
	n = unparen(n);
	if (sc_node_is(n, "identifier") && w) {
		size_t len;
		const char *t = sc_node_text(mg->pf, n, &len);
		const struct local *l = scope_find(w->scope, t, len);

		if (l && !l->is_global) {
			if (ts_node_is_null(l->literal))
				return 0;
			return sc_eval_string(mg->pf, l->literal, out);
		}
	}
	return sc_eval_string(mg->pf, n, out);
}

/*
 * A name argument: absent (null node) leaves *out NULL; None leaves it
 * NULL; a value that does not resolve leaves it NULL and marks the op
 * uncertain. op.f('x') and conv('x') are 'x'.
 */
static void name_arg(const struct mig *mg, const struct wctx *w, TSNode n,
		     struct sc_op *op, char **out)
{
	free(*out);
	*out = NULL;
	if (ts_node_is_null(n))
		return;
	n = unparen(n);
	if (sc_is_none(mg->pf, n))
		return;
	if (sc_node_is(n, "call") && sc_call_n_positional(n) == 1 &&
	    (sc_node_last_name_is(mg->pf, n, "f") ||
	     sc_node_last_name_is(mg->pf, n, "conv")))
		n = sc_call_positional(n, 0);
	if (!eval_str(mg, w, n, out))
		op->flags |= SC_OPF_UNCERTAIN;
}

/* An argument by position (when pos >= 0), else by the first keyword. */
static TSNode get_arg(const struct sc_pyfile *pf, TSNode call, int pos,
		      const char *kw1, const char *kw2)
{
	TSNode n;

	memset(&n, 0, sizeof(n));
	if (pos >= 0)
		n = sc_call_positional(call, (unsigned)pos);
	if (ts_node_is_null(n) && kw1)
		n = sc_call_keyword(pf, call, kw1);
	if (ts_node_is_null(n) && kw2)
		n = sc_call_keyword(pf, call, kw2);
	return n;
}

/* A list of column names: ['a', 'b'], ('a',), 'a'. */
static void cols_arg(const struct mig *mg, const struct wctx *w, TSNode n,
		     struct sc_op *op)
{
	size_t alloc = 0;
	char *s;

	if (ts_node_is_null(n))
		return;
	n = unparen(n);
	if (sc_node_is(n, "list") || sc_node_is(n, "tuple")) {
		struct sc_children it;
		TSNode c;

		sc_children_init(&it, n);
		while (sc_children_next(&it, &c)) {
			s = NULL;
			if (!eval_str(mg, w, c, &s))
				op->flags |= SC_OPF_UNCERTAIN;
			SC_ALLOC_GROW(op->index_cols, op->n_index_cols + 1, alloc);
			op->index_cols[op->n_index_cols++] = s;
		}
		sc_children_release(&it);
	} else if (eval_str(mg, w, n, &s)) {
		op->index_cols = sc_xmalloc(sizeof(*op->index_cols));
		op->index_cols[0] = s;
		op->n_index_cols = 1;
	} else {
		op->flags |= SC_OPF_UNCERTAIN;
	}
}

/* Is this callee one that makes a Column? */
static int is_column_call(const struct sc_pyfile *pf, TSNode n)
{
	return sc_node_is(n, "call") && sc_node_last_name_is(pf, n, "Column");
}

/* Parse a Column(...) into *col; marks the op when its name is unknown. */
static void column_arg(const struct mig *mg, const struct wctx *w,
		       TSNode call, struct sc_op *op, struct sc_column *col)
{
	int state = 0;
	TSNode first;

	sc_column_from_call(mg->pf, call, col, &state);
	if (state == 1)
		return;
	/* sa.Column(col_name, ...) with col_name a local bound to a string */
	first = unparen(sc_call_positional(call, 0));
	if (sc_node_is(first, "identifier") && eval_str(mg, w, first, &col->name))
		return;
	op->flags |= SC_OPF_UNCERTAIN;
}

/* SQL text: 'literal', text('literal'), sa.text(...), DDL('...'). */
static int sql_arg(const struct mig *mg, const struct wctx *w, TSNode n,
		   char **out)
{
	n = unparen(n);
	if (sc_node_is(n, "identifier")) {
		size_t len;
		const char *t = sc_node_text(mg->pf, n, &len);
		const struct local *l = scope_find(w->scope, t, len);

		if (l && !l->is_global && !ts_node_is_null(l->literal))
			n = l->literal;
	}
	if (sc_node_is(n, "call") && (sc_node_last_name_is(mg->pf, n, "text") ||
				      sc_node_last_name_is(mg->pf, n, "DDL")))
		n = sc_call_positional(n, 0);
	if (ts_node_is_null(n))
		return 0;
	return eval_str(mg, w, n, out);
}

/* ---- ops --------------------------------------------------------------- */

static void add_kwargs(const struct sc_pyfile *pf, TSNode call,
		       struct sc_op *op)
{
	TSNode args = sc_node_field(call, "arguments"), c;
	struct sc_children it;
	size_t alloc = 0;

	if (!sc_node_is(args, "argument_list"))
		return;
	sc_children_init(&it, args);
	while (sc_children_next(&it, &c)) {
		struct sc_kwarg *k;

		if (!sc_node_is(c, "keyword_argument"))
			continue;
		SC_ALLOC_GROW(op->kwargs, op->n_kwargs + 1, alloc);
		k = &op->kwargs[op->n_kwargs++];
		k->name = sc_node_strdup(pf,
					 sc_node_field(c, "name"));
		k->value = sc_node_strdup(pf,
					  sc_node_field(c, "value"));
	}
	sc_children_release(&it);
}

/* Methods of `op` that are not schema operations. */
static const char *const not_ops[] = {
	"f", "get_bind", "get_context", "inline_literal", "batch_alter_table",
	"implementation_for", "register_operation", "invoke", "run_async",
};

static int fn_is(const char *fn, const char *s)
{
	return !strcmp(fn, s);
}

/*
 * An inline index or constraint of create_table (sa.Index('ix', 'a'),
 * sa.UniqueConstraint('a', 'b', name='uq'), PrimaryKeyConstraint,
 * ForeignKeyConstraint(['a'], [...]), CheckConstraint): appended to
 * op->cons. Returns 0 when `a` is none of these.
 */
static int inline_cons(const struct mig *mg, const struct wctx *w, TSNode a,
		       struct sc_op *op)
{
	static const struct {
		const char *name;
		enum sc_cons_kind kind;
	} kinds[] = {
		{ "Index", SC_CONS_INDEX },
		{ "UniqueConstraint", SC_CONS_UNIQUE },
		{ "PrimaryKeyConstraint", SC_CONS_PRIMARY_KEY },
		{ "ForeignKeyConstraint", SC_CONS_FOREIGN_KEY },
		{ "CheckConstraint", SC_CONS_CHECK },
	};
	struct sc_constraint *c;
	struct sc_children it;
	unsigned i, first = 0, n = sc_call_n_positional(a);
	size_t k;
	TSNode name, list, x;
	int b;

	for (k = 0; k < SC_ARRAY_SIZE(kinds); k++)
		if (sc_node_last_name_is(mg->pf, a, kinds[k].name))
			break;
	if (k == SC_ARRAY_SIZE(kinds))
		return 0;
	op->cons = sc_xrealloc(op->cons, (op->n_cons + 1) * sizeof(*op->cons));
	c = &op->cons[op->n_cons++];
	memset(c, 0, sizeof(*c));
	c->kind = kinds[k].kind;
	c->loc = sc_node_loc(a);
	c->unique = c->kind == SC_CONS_UNIQUE ||
		    (sc_eval_bool(mg->pf, sc_call_keyword(mg->pf, a, "unique"),
				  &b) && b);
	name = sc_call_keyword(mg->pf, a, "name");
	if (c->kind == SC_CONS_INDEX) {
		name = sc_call_positional(a, 0);
		first = 1;
	}
	if (!ts_node_is_null(name) && !sc_is_none(mg->pf, name)) {
		TSNode nn = unparen(name);
		if (sc_node_is(nn, "call") && sc_call_n_positional(nn) == 1 &&
		    (sc_node_last_name_is(mg->pf, nn, "f") ||
		     sc_node_last_name_is(mg->pf, nn, "conv")))
			nn = sc_call_positional(nn, 0);
		if (!eval_str(mg, w, nn, &c->name)) {
			c->name = NULL;
			c->name_unresolved = 1;
		}
	}
	if (c->kind == SC_CONS_CHECK)
		return 1;
	if (c->kind == SC_CONS_FOREIGN_KEY) {
		/* ForeignKeyConstraint(['a', 'b'], ['t.a', 't.b']) */
		list = unparen(sc_call_positional(a, 0));
		if (!sc_node_is(list, "list") && !sc_node_is(list, "tuple")) {
			c->cols_unresolved = 1;
			return 1;
		}
		sc_children_init(&it, list);
		while (sc_children_next(&it, &x)) {
			char *s = NULL;
			if (!eval_str(mg, w, x, &s))
				s = NULL;
			c->cols = sc_xrealloc(c->cols, (c->n_cols + 1) *
					      sizeof(*c->cols));
			c->cols[c->n_cols++] = s;
		}
		sc_children_release(&it);
		return 1;
	}
	if (sc_call_has_splat(a))
		c->cols_unresolved = 1;
	for (i = first; i < n; i++) {
		char *s = NULL;
		if (!eval_str(mg, w, sc_call_positional(a, i), &s))
			s = NULL;
		c->cols = sc_xrealloc(c->cols, (c->n_cols + 1) * sizeof(*c->cols));
		c->cols[c->n_cols++] = s;
	}
	return 1;
}

/* create_table's positional arguments after the name. */
static void create_table_cols(const struct mig *mg, const struct wctx *w,
			      TSNode call, struct sc_op *op)
{
	unsigned i, n = sc_call_n_positional(call);
	size_t alloc = 0, j, k;

	for (i = 1; i < n; i++) {
		TSNode a = unparen(sc_call_positional(call, i));
		char **names = NULL;
		size_t n_names = 0;
		int pk;

		if (is_column_call(mg->pf, a)) {
			SC_ALLOC_GROW(op->cols, op->n_cols + 1, alloc);
			memset(&op->cols[op->n_cols], 0, sizeof(*op->cols));
			column_arg(mg, w, a, op, &op->cols[op->n_cols]);
			op->n_cols++;
			continue;
		}
		if (!sc_node_is(a, "call")) {
			op->flags |= SC_OPF_UNCERTAIN;  /* a variable */
			continue;
		}
		inline_cons(mg, w, a, op);
		pk = sc_node_last_name_is(mg->pf, a, "PrimaryKeyConstraint");
		if (!pk && !sc_node_last_name_is(mg->pf, a, "UniqueConstraint")) {
			if (!sc_node_last_name_is(mg->pf, a, "ForeignKeyConstraint") &&
			    !sc_node_last_name_is(mg->pf, a, "CheckConstraint") &&
			    !sc_node_last_name_is(mg->pf, a, "Index"))
				op->flags |= SC_OPF_UNCERTAIN;
			continue;
		}
		/* the constraint's column names (strings only) */
		for (j = 0; j < sc_call_n_positional(a); j++) {
			char *s;
			if (!eval_str(mg, w, sc_call_positional(a, (unsigned)j), &s))
				continue;
			names = sc_xrealloc(names, (n_names + 1) * sizeof(*names));
			names[n_names++] = s;
		}
		/* a composite UNIQUE makes no single column unique */
		for (j = 0; j < n_names; j++) {
			for (k = 0; k < op->n_cols; k++) {
				struct sc_column *c = &op->cols[k];
				if (!c->name || strcmp(c->name, names[j]))
					continue;
				if (pk)
					c->primary_key = 1;
				else if (n_names == 1)
					c->unique = 1;
			}
			free(names[j]);
		}
		free(names);
	}
}

/*
 * Fill the op's fields from a call. `batch` says whether it is a
 * batch_op.<fn> call (no table argument: the batch's table).
 */
static void fill_op(const struct mig *mg, const struct wctx *w, TSNode call,
		    struct sc_op *op, int batch)
{
	const struct sc_pyfile *pf = mg->pf;
	const char *fn = op->fn;
	int s = batch ? 1 : 0;  /* positions after the table shift by one */
	TSNode n;
	int b;

	if (batch) {
		op->table = w->batch_table ? sc_xstrdup(w->batch_table) : NULL;
		if (w->batch_uncertain)
			op->flags |= SC_OPF_UNCERTAIN;
	}
	if (fn_is(fn, "create_table")) {
		op->kind = SC_OP_CREATE_TABLE;
		name_arg(mg, w, get_arg(pf, call, 0, "table_name", "name"), op,
			 &op->table);
		create_table_cols(mg, w, call, op);
	} else if (fn_is(fn, "drop_table")) {
		op->kind = SC_OP_DROP_TABLE;
		name_arg(mg, w, get_arg(pf, call, 0, "table_name", "name"), op,
			 &op->table);
	} else if (fn_is(fn, "rename_table")) {
		op->kind = SC_OP_RENAME_TABLE;
		name_arg(mg, w, get_arg(pf, call, 0, "old_table_name", NULL), op,
			 &op->table);
		name_arg(mg, w, get_arg(pf, call, 1, "new_table_name", NULL), op,
			 &op->new_name);
	} else if (fn_is(fn, "add_column")) {
		op->kind = SC_OP_ADD_COLUMN;
		if (!batch)
			name_arg(mg, w, get_arg(pf, call, 0, "table_name", NULL),
				 op, &op->table);
		n = unparen(get_arg(pf, call, 1 - s, "column", NULL));
		if (is_column_call(pf, n)) {
			op->cols = sc_xcalloc(1, sizeof(*op->cols));
			op->n_cols = 1;
			column_arg(mg, w, n, op, &op->cols[0]);
			if (op->cols[0].name)
				op->column = sc_xstrdup(op->cols[0].name);
		} else if (!ts_node_is_null(n)) {
			op->flags |= SC_OPF_UNCERTAIN;
		}
	} else if (fn_is(fn, "drop_column") || fn_is(fn, "alter_column")) {
		int alter = fn_is(fn, "alter_column");

		op->kind = alter ? SC_OP_ALTER_COLUMN : SC_OP_DROP_COLUMN;
		if (!batch)
			name_arg(mg, w, get_arg(pf, call, 0, "table_name", NULL),
				 op, &op->table);
		name_arg(mg, w, get_arg(pf, call, 1 - s, "column_name", NULL), op,
			 &op->column);
		if (!alter)
			return;
		if (sc_eval_bool(pf, sc_call_keyword(pf, call, "nullable"), &b))
			op->nullable = b ? SC_YES : SC_NO;
		n = sc_call_keyword(pf, call, "type_");
		if (!ts_node_is_null(n)) {
			op->has_type = 1;
			op->type = sc_node_strdup(pf, n);
		}
		n = sc_call_keyword(pf, call, "server_default");
		if (!ts_node_is_null(n)) {
			op->has_server_default = 1;
			op->server_default_none = sc_is_none(pf, n);
		}
		name_arg(mg, w, sc_call_keyword(pf, call, "new_column_name"), op,
			 &op->new_name);
	} else if (fn_is(fn, "create_index")) {
		op->kind = SC_OP_CREATE_INDEX;
		name_arg(mg, w, get_arg(pf, call, 0, "index_name", "name"), op,
			 &op->name);
		if (!batch)
			name_arg(mg, w, get_arg(pf, call, 1, "table_name", NULL),
				 op, &op->table);
		cols_arg(mg, w, get_arg(pf, call, 2 - s, "columns", NULL), op);
		op->unique = sc_eval_bool(pf, sc_call_keyword(pf, call, "unique"),
					  &b) && b;
	} else if (fn_is(fn, "drop_index")) {
		op->kind = SC_OP_DROP_INDEX;
		name_arg(mg, w, get_arg(pf, call, 0, "index_name", "name"), op,
			 &op->name);
		if (!batch)
			name_arg(mg, w, get_arg(pf, call, 1, "table_name", NULL),
				 op, &op->table);
	} else if (fn_is(fn, "create_unique_constraint") ||
		   fn_is(fn, "create_primary_key") ||
		   fn_is(fn, "create_foreign_key") ||
		   fn_is(fn, "create_check_constraint") ||
		   fn_is(fn, "create_exclude_constraint")) {
		int fk = fn_is(fn, "create_foreign_key");

		op->kind = SC_OP_CREATE_CONSTRAINT;
		name_arg(mg, w, get_arg(pf, call, 0, "constraint_name", "name"),
			 op, &op->name);
		if (!batch)
			name_arg(mg, w, get_arg(pf, call, 1,
						fk ? "source_table" : "table_name",
						"source"),
				 op, &op->table);
		if (fk)
			cols_arg(mg, w, get_arg(pf, call, 3 - s, "local_cols",
						NULL), op);
		else if (fn_is(fn, "create_unique_constraint") ||
			 fn_is(fn, "create_primary_key"))
			cols_arg(mg, w, get_arg(pf, call, 2 - s, "columns",
						"local_cols"), op);
	} else if (fn_is(fn, "drop_constraint")) {
		op->kind = SC_OP_DROP_CONSTRAINT;
		name_arg(mg, w, get_arg(pf, call, 0, "constraint_name", "name"),
			 op, &op->name);
		if (!batch)
			name_arg(mg, w, get_arg(pf, call, 1, "table_name", NULL),
				 op, &op->table);
	} else if (fn_is(fn, "execute")) {
		op->kind = SC_OP_EXECUTE;
		n = get_arg(pf, call, 0, "sqltext", "sql");
		if (!sql_arg(mg, w, n, &op->sql))
			op->sql = NULL;
	} else if (fn_is(fn, "bulk_insert")) {
		op->kind = SC_OP_BULK_INSERT;
		/* op.bulk_insert(sa.table('t', ...), rows) */
		n = unparen(get_arg(pf, call, 0, "table", NULL));
		if (sc_node_is(n, "call") &&
		    (sc_node_last_name_is(pf, n, "table") ||
		     sc_node_last_name_is(pf, n, "Table")))
			name_arg(mg, w, sc_call_positional(n, 0), op, &op->table);
	} else {
		op->kind = SC_OP_OTHER;
	}
}

static struct sc_op *new_op(struct oplist *ol, const struct mig *mg,
			    const struct wctx *w, TSNode call, TSNode callee,
			    const char *fn, size_t fn_len)
{
	struct sc_op *op;

	SC_ALLOC_GROW(ol->v, ol->n + 1, ol->alloc);
	op = &ol->v[ol->n++];
	memset(op, 0, sizeof(*op));
	op->nullable = SC_UNKNOWN;
	op->fn = sc_xstrndup(fn, fn_len);
	op->flags = w->flags;
	op->loc = sc_node_loc(callee);
	op->call_loc = sc_node_loc(call);
	add_kwargs(mg->pf, call, op);
	if (sc_call_has_splat(call))
		op->flags |= SC_OPF_UNCERTAIN;
	return op;
}

/* Is `obj` alembic's op (op, an alias of it, alembic.op)? */
static int is_op_object(const struct mig *mg, TSNode obj)
{
	size_t len, i;
	const char *t;

	if (sc_node_is(obj, "attribute"))
		return sc_node_text_is(mg->pf, obj, "alembic.op");
	if (!sc_node_is(obj, "identifier"))
		return 0;
	t = sc_node_text(mg->pf, obj, &len);
	if (len == 2 && !memcmp(t, "op", 2))
		return 1;
	for (i = 0; i < mg->n_op_names; i++)
		if (slice_eq(mg->op_names[i], t, len))
			return 1;
	return 0;
}

/* ---- known callables --------------------------------------------------- */

static const char *const builtins[] = {
	"print", "len", "range", "list", "dict", "set", "frozenset", "tuple",
	"str", "int", "float", "bool", "bytes", "isinstance", "issubclass",
	"getattr", "setattr", "hasattr", "delattr", "enumerate", "zip",
	"sorted", "reversed", "min", "max", "sum", "any", "all", "map",
	"filter", "open", "format", "repr", "type", "super", "iter", "next",
	"abs", "round", "id", "hash", "vars", "dir", "globals", "locals",
	"callable", "chr", "ord", "divmod", "pow", "object", "slice",
	"property", "staticmethod", "classmethod", "input", "hex", "oct", "bin",
	"NotImplementedError", "Exception", "ValueError", "RuntimeError",
	"TypeError", "KeyError", "AttributeError", "AssertionError",
	"IndexError", "LookupError", "OSError", "IOError", "StopIteration",
	"Warning", "DeprecationWarning", "UserWarning", "ImportError",
	"NameError", "ZeroDivisionError",
};

/* Modules whose functions never run schema changes we would miss. */
static const char *const known_modules[] = {
	"sqlalchemy", "alembic", "sqlmodel", "geoalchemy2", "sqlalchemy_utils",
	"typing", "typing_extensions", "datetime", "uuid", "json", "enum",
	"decimal", "re", "os", "sys", "logging", "collections", "functools",
	"itertools", "textwrap", "time", "random", "string", "hashlib",
	"base64", "warnings", "copy", "math", "operator", "dataclasses",
	"pathlib", "contextlib",
};

static int module_is_known(struct slice mod)
{
	size_t i;

	for (i = 0; i < SC_ARRAY_SIZE(known_modules); i++) {
		size_t k = strlen(known_modules[i]);
		if (mod.len >= k && !memcmp(mod.s, known_modules[i], k) &&
		    (mod.len == k || mod.s[k] == '.'))
			return 1;
	}
	return 0;
}

static const struct func *find_func(const struct mig *mg, const char *s,
				    size_t len)
{
	size_t i;

	if (!sc_namemap_get(&mg->func_map, s, len, &i))
		return NULL;
	return &mg->funcs[i];
}

/* Can a call to this bare name hide schema operations we cannot see? */
static int call_is_unknown(const struct mig *mg, const struct wctx *w,
			   const char *s, size_t len)
{
	size_t i;
	const struct local *l = scope_find(w->scope, s, len);

	if (l && !l->is_global)
		return 1;
	for (i = 0; i < SC_ARRAY_SIZE(builtins); i++)
		if (strlen(builtins[i]) == len && !memcmp(builtins[i], s, len))
			return 0;
	if (sc_namemap_get(&mg->class_map, s, len, &i))
		return 0;
	if (sc_namemap_get(&mg->imp_map, s, len, &i))
		return !module_is_known(mg->imps[i].module);
	return 1;
}

/*
 * Is `obj` (the object of a method call) an imported module that is not
 * known to be harmless, or an attribute of one (`migration` in
 * migration.create_foreign_keys(...), bound by `from neutron.db import
 * migration`)?
 */
static int module_call_is_unknown(const struct mig *mg, const struct wctx *w,
				  TSNode obj)
{
	const struct local *l;
	const char *s;
	size_t len, i;
	int k;

	for (k = 0; k < 16 && sc_node_is(obj, "attribute"); k++)
		obj = sc_node_field(obj, "object");
	if (!sc_node_is(obj, "identifier"))
		return 0;
	s = sc_node_text(mg->pf, obj, &len);
	l = scope_find(w->scope, s, len);
	if (l && !l->is_global)
		return 0;       /* a local value: a connection, a table */
	if (!sc_namemap_get(&mg->imp_map, s, len, &i))
		return 0;
	return !module_is_known(mg->imps[i].module);
}

/* ---- walking ---------------------------------------------------------- */

static void walk_block(const struct mig *mg, struct oplist *ol, TSNode block,
		       const struct wctx *w, int depth);
static void walk_expr(const struct mig *mg, struct oplist *ol, TSNode n,
		      const struct wctx *w, int depth);

/* Walk a helper function's body in place of a call to it. */
static void inline_func(const struct mig *mg, struct oplist *ol,
			TSNode def, const struct wctx *w, unsigned extra,
			int depth)
{
	struct scope sc = { NULL, 0, 0, SC_NAMEMAP_INIT };
	struct wctx inner;
	int i;

	for (i = 0; i < ol->depth; i++)
		if (ts_node_eq(ol->stack[i], def))
			return;         /* recursion: already being walked */
	if (ol->depth > MAX_INLINE || ol->inlined >= MAX_INLINED) {
		ol->unknown_calls = 1;
		return;
	}
	ol->inlined++;
	build_scope(mg->pf, &sc, def);
	memset(&inner, 0, sizeof(inner));
	inner.flags = w->flags | extra;
	inner.scope = &sc;
	ol->stack[ol->depth++] = def;
	walk_block(mg, ol, sc_node_field(def, "body"), &inner,
		   depth + 1);
	ol->depth--;
	free(sc.v);
	sc_namemap_release(&sc.map);
}

/* globals()["upgrade_%s" % name]() (the multidb template). */
static void inline_multidb(const struct mig *mg, struct oplist *ol,
			   const struct wctx *w, int depth)
{
	size_t i, k = strlen(ol->top);

	for (i = 0; i < mg->n_funcs; i++) {
		struct slice nm = mg->funcs[i].name;
		if (nm.len > k + 1 && !memcmp(nm.s, ol->top, k) && nm.s[k] == '_')
			inline_func(mg, ol, mg->funcs[i].def, w,
				    SC_OPF_CONDITIONAL, depth);
	}
}

static void handle_call(const struct mig *mg, struct oplist *ol, TSNode call,
			const struct wctx *w, int depth)
{
	const struct sc_pyfile *pf = mg->pf;
	TSNode fn = sc_call_function(call);

	if (sc_node_is(fn, "attribute")) {
		TSNode obj = sc_node_field(fn, "object");
		TSNode attr = sc_node_field(fn, "attribute");
		size_t len, i;
		const char *name = sc_node_text(pf, attr, &len);
		struct sc_op *op;
		char *sql = NULL;
		int batch = 0;

		if (ts_node_is_null(attr))
			return;
		if (w->alias.len && sc_node_is(obj, "identifier")) {
			struct slice o = node_slice(pf, obj);
			batch = slice_eq(w->alias, o.s, o.len);
		}
		if (batch || is_op_object(mg, obj)) {
			for (i = 0; i < SC_ARRAY_SIZE(not_ops); i++)
				if (strlen(not_ops[i]) == len &&
				    !memcmp(not_ops[i], name, len))
					return;
			op = new_op(ol, mg, w, call, fn, name, len);
			if (batch)
				op->flags |= SC_OPF_BATCH;
			fill_op(mg, w, call, op, batch);
			return;
		}
		/* conn.execute("..."), op.get_bind().execute(text("...")) */
		if (len == 7 && !memcmp(name, "execute", 7) &&
		    sql_arg(mg, w, get_arg(pf, call, 0, "statement", NULL),
			    &sql)) {
			op = new_op(ol, mg, w, call, fn, name, len);
			op->kind = SC_OP_EXECUTE;
			op->sql = sql;
			return;
		}
		/* helpers.transform_table(...), core_init_ops.upgrade(): a
		 * function of an imported project module run for its effect */
		if (ts_node_eq(call, w->stmt_call) &&
		    sc_node_is(ts_node_parent(call), "expression_statement") &&
		    module_call_is_unknown(mg, w, obj))
			ol->unknown_calls = 1;
		return;
	}
	if (sc_node_is(fn, "identifier")) {
		size_t len;
		const char *name = sc_node_text(pf, fn, &len);
		const struct func *f = find_func(mg, name, len);
		const struct local *l = scope_find(w->scope, name, len);

		if (l && !l->is_global && !ts_node_is_null(l->def))
			inline_func(mg, ol, l->def, w, 0, depth);
		else if (f && !(l && !l->is_global))
			inline_func(mg, ol, f->def, w, 0, depth);
		else if (ts_node_eq(call, w->stmt_call) &&
			 !isupper((unsigned char)name[0]) &&
			 call_is_unknown(mg, w, name, len))
			ol->unknown_calls = 1;  /* helper(...) run for its effect */
		return;
	}
	if (sc_node_is(fn, "subscript")) {
		TSNode v = sc_node_field(fn, "value");
		if (sc_node_is(v, "call") &&
		    sc_node_text_is(pf, sc_call_function(v), "globals")) {
			inline_multidb(mg, ol, w, depth);
			return;
		}
	}
	if (ts_node_eq(call, w->stmt_call))
		ol->unknown_calls = 1;
}

static int is_comprehension(const char *type)
{
	return !strcmp(type, "list_comprehension") ||
	       !strcmp(type, "set_comprehension") ||
	       !strcmp(type, "dictionary_comprehension") ||
	       !strcmp(type, "generator_expression");
}

/* Every call in an expression (or a statement not walked structurally). */
static void walk_expr(const struct mig *mg, struct oplist *ol, TSNode n,
		      const struct wctx *w, int depth)
{
	TSTreeCursor c;
	TSNode root = n;

	if (ts_node_is_null(n))
		return;
	if (depth > MAX_DEPTH) {
		ol->truncated = 1;
		return;
	}
	c = ts_tree_cursor_new(n);
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		const char *type = ts_node_type(x);
		int descend = 1;

		if (!strcmp(type, "lambda") ||
		    !strcmp(type, "function_definition") ||
		    !strcmp(type, "class_definition") ||
		    !strcmp(type, "decorated_definition")) {
			descend = 0;
		} else if ((is_comprehension(type) ||
			    !strcmp(type, "conditional_expression")) &&
			   !ts_node_eq(x, root)) {
			/* possibly applied, maybe many times */
			struct wctx inner = *w;
			inner.flags |= SC_OPF_CONDITIONAL;
			if (is_comprehension(type))
				inner.flags |= SC_OPF_LOOP;
			walk_expr(mg, ol, x, &inner, depth + 1);
			descend = 0;
		} else if (!strcmp(type, "call")) {
			handle_call(mg, ol, x, w, depth);
		}
		if (!sc_cursor_next(&c, descend))
			break;
	}
	ts_tree_cursor_delete(&c);
}

/* `with A as a, B:`: a batch, an autocommit block, or something else. */
static void walk_with(const struct mig *mg, struct oplist *ol, TSNode stmt,
		      const struct wctx *w, int depth)
{
	struct wctx inner = *w;
	struct sc_children it, items;
	TSNode c, item, body;
	char *table = NULL;
	int other = 0;

	memset(&body, 0, sizeof(body));
	sc_children_init(&it, stmt);
	while (sc_children_next(&it, &c)) {
		if (sc_node_is(c, "block")) {
			body = c;
			continue;
		}
		if (!sc_node_is(c, "with_clause"))
			continue;
		sc_children_init(&items, c);
		while (sc_children_next(&items, &item)) {
			TSNode v = unparen(sc_node_field(item, "value"));
			TSNode alias;
			TSNode fn;

			memset(&alias, 0, sizeof(alias));
			if (sc_node_is(v, "as_pattern")) {
				alias = sc_node_field(v, "alias");
				if (sc_node_is(alias, "as_pattern_target"))
					alias = sc_node_named_child(alias, 0);
				v = unparen(sc_node_named_child(v, 0));
			}
			fn = sc_call_function(v);
			if (sc_node_is(v, "call") && sc_node_is(fn, "attribute") &&
			    sc_node_last_name_is(mg->pf, fn, "batch_alter_table") &&
			    is_op_object(mg, sc_node_field(fn, "object"))) {
				struct sc_op tmp;

				memset(&tmp, 0, sizeof(tmp));
				free(table);
				table = NULL;
				name_arg(mg, w, get_arg(mg->pf, v, 0, "table_name",
							NULL), &tmp, &table);
				inner.batch_table = table;
				inner.batch_uncertain =
					!!(tmp.flags & SC_OPF_UNCERTAIN);
				if (sc_node_is(alias, "identifier"))
					inner.alias = node_slice(mg->pf, alias);
				else
					inner.alias.len = 0;
				/* the arguments themselves: no ops expected */
				continue;
			}
			if (sc_node_is(v, "call") &&
			    sc_node_last_name_is(mg->pf, v, "autocommit_block")) {
				inner.flags |= SC_OPF_AUTOCOMMIT;
				continue;
			}
			other = 1;
			walk_expr(mg, ol, v, w, depth + 1);
		}
		sc_children_release(&items);
	}
	sc_children_release(&it);
	if (other)
		inner.flags |= SC_OPF_CONDITIONAL;
	walk_block(mg, ol, body, &inner, depth + 1);
	free(table);
}

/* A compound statement's parts: blocks conditional, the rest as is. */
static void walk_parts(const struct mig *mg, struct oplist *ol, TSNode stmt,
		       const struct wctx *w, unsigned block_flags,
		       unsigned expr_flags, int depth)
{
	struct sc_children it;
	TSNode c;
	struct wctx bw = *w, ew = *w;

	bw.flags |= block_flags;
	ew.flags |= expr_flags;
	sc_children_init(&it, stmt);
	while (sc_children_next(&it, &c)) {
		const char *type = ts_node_type(c);

		if (!strcmp(type, "block"))
			walk_block(mg, ol, c, &bw, depth + 1);
		else if (!strcmp(type, "elif_clause") ||
			 !strcmp(type, "else_clause") ||
			 !strcmp(type, "except_clause") ||
			 !strcmp(type, "except_group_clause") ||
			 !strcmp(type, "case_clause"))
			walk_parts(mg, ol, c, &bw, 0, 0, depth + 1);
		else if (!strcmp(type, "finally_clause"))
			walk_parts(mg, ol, c, w, 0, 0, depth + 1);
		else if (strcmp(type, "as_pattern_target"))
			walk_expr(mg, ol, c, &ew, depth + 1);
	}
	sc_children_release(&it);
}

/*
 * `helper(...)` or `x = helper(...)`: a call made for what it does, the
 * only kind of unknown call that may hide schema operations (a call inside
 * an argument, such as a type constructor, returns a value to use).
 */
static void walk_expr_stmt(const struct mig *mg, struct oplist *ol,
			   TSNode stmt, const struct wctx *w, int depth)
{
	struct wctx inner = *w;
	TSNode e = sc_node_named_child(stmt, 0);
	int i;

	for (i = 0; i < 16 && sc_node_is(e, "assignment"); i++)
		e = sc_node_field(e, "right");
	for (i = 0; i < 16 && sc_node_is(e, "await"); i++)
		e = sc_node_named_child(e, 0);
	e = unparen(e);
	if (sc_node_is(e, "call"))
		inner.stmt_call = e;
	walk_expr(mg, ol, stmt, &inner, depth);
}

static void walk_stmt(const struct mig *mg, struct oplist *ol, TSNode stmt,
		      const struct wctx *w, int depth)
{
	const char *type = ts_node_type(stmt);
	unsigned cond = SC_OPF_CONDITIONAL, loop = cond | SC_OPF_LOOP;

	if (depth > MAX_DEPTH) {
		ol->truncated = 1;
		return;
	}
	if (!strcmp(type, "if_statement"))
		walk_parts(mg, ol, stmt, w, cond, 0, depth);
	else if (!strcmp(type, "for_statement"))
		walk_parts(mg, ol, stmt, w, loop, 0, depth);
	else if (!strcmp(type, "while_statement"))
		walk_parts(mg, ol, stmt, w, loop, loop, depth);
	else if (!strcmp(type, "try_statement"))
		walk_parts(mg, ol, stmt, w, cond, 0, depth);
	else if (!strcmp(type, "match_statement"))
		walk_parts(mg, ol, stmt, w, 0, 0, depth);
	else if (!strcmp(type, "case_clause"))
		walk_parts(mg, ol, stmt, w, cond, 0, depth);
	else if (!strcmp(type, "with_statement"))
		walk_with(mg, ol, stmt, w, depth);
	else if (!strcmp(type, "block"))
		walk_block(mg, ol, stmt, w, depth + 1);
	else if (!strcmp(type, "expression_statement"))
		walk_expr_stmt(mg, ol, stmt, w, depth);
	else if (strcmp(type, "function_definition") &&
		 strcmp(type, "class_definition") &&
		 strcmp(type, "decorated_definition"))
		walk_expr(mg, ol, stmt, w, depth);
}

static void walk_block(const struct mig *mg, struct oplist *ol, TSNode block,
		       const struct wctx *w, int depth)
{
	struct sc_children it;
	TSNode c;

	if (ts_node_is_null(block))
		return;
	if (depth > MAX_DEPTH) {
		ol->truncated = 1;
		return;
	}
	sc_children_init(&it, block);
	while (sc_children_next(&it, &c))
		walk_stmt(mg, ol, c, w, depth + 1);
	sc_children_release(&it);
}

/* ---- bodies ---------------------------------------------------------- */

/* pass, ..., a docstring, raise NotImplementedError, bare return. */
static int stmt_is_empty(const struct sc_pyfile *pf, TSNode s)
{
	TSNode e = sc_node_named_child(s, 0);

	if (sc_node_is(s, "pass_statement"))
		return 1;
	if (sc_node_is(s, "expression_statement"))
		return ts_node_named_child_count(s) == 1 &&
		       (sc_node_is(e, "ellipsis") || sc_node_is(e, "string") ||
			sc_node_is(e, "concatenated_string"));
	if (sc_node_is(s, "return_statement"))
		return ts_node_is_null(e) || sc_node_is(e, "none");
	if (sc_node_is(s, "raise_statement")) {
		if (sc_node_is(e, "call"))
			e = sc_call_function(e);
		return sc_node_text_is(pf, e, "NotImplementedError");
	}
	return 0;
}

static enum sc_body_kind body_kind(const struct sc_pyfile *pf, TSNode def)
{
	TSNode body = sc_node_field(def, "body"), s;
	struct sc_children it;
	enum sc_body_kind kind = SC_BODY_EMPTY;

	if (ts_node_is_null(body) || ts_node_has_error(body))
		return SC_BODY_CODE;
	sc_children_init(&it, body);
	while (kind == SC_BODY_EMPTY && sc_children_next(&it, &s))
		if (!stmt_is_empty(pf, s))
			kind = SC_BODY_CODE;
	sc_children_release(&it);
	return kind;
}

/* Collect the ops of upgrade() or downgrade(). */
static void extract_body(struct mig *mg, TSNode def, const char *top,
			 struct sc_op **ops, size_t *n_ops, int *unknown)
{
	struct oplist ol;
	struct wctx w;

	memset(&ol, 0, sizeof(ol));
	memset(&w, 0, sizeof(w));
	ol.top = top;
	inline_func(mg, &ol, def, &w, 0, 0);
	/* the facts of every migration stay in memory for the whole run:
	 * no growth slack (a history of 10,000 kept 60 MB of it) */
	if (ol.n && ol.n < ol.alloc)
		ol.v = sc_xrealloc(ol.v, ol.n * sizeof(*ol.v));
	*ops = ol.v;
	*n_ops = ol.n;
	*unknown = ol.unknown_calls || ol.truncated;
}

/* ---- module level ---------------------------------------------------- */

/* "Revision ID: x" -> "x" (trimmed), or NULL. */
static char *doc_field(const char *doc, const char *key)
{
	const char *p = doc;
	size_t klen = strlen(key);

	while (*p) {
		const char *eol = strchr(p, '\n'), *v, *e;

		if (!eol)
			eol = p + strlen(p);
		v = p;
		while (v < eol && (*v == ' ' || *v == '\t'))
			v++;
		if ((size_t)(eol - v) >= klen && !memcmp(v, key, klen)) {
			v += klen;
			while (v < eol && (*v == ' ' || *v == '\t'))
				v++;
			e = eol;
			while (e > v && (e[-1] == ' ' || e[-1] == '\t' ||
					 e[-1] == '\r'))
				e--;
			return sc_xstrndup(v, (size_t)(e - v));
		}
		p = *eol ? eol + 1 : eol;
	}
	return NULL;
}

/* branch_labels / depends_on: strings; names that do not resolve are
 * kept as written (opaque labels). */
static void eval_labels(const struct sc_pyfile *pf, TSNode n, char ***out,
			size_t *n_out)
{
	struct sc_children it;
	TSNode c;
	size_t alloc = 0;
	char *s;

	if (sc_eval_string_list(pf, n, out, n_out))
		return;
	n = unparen(n);
	if (sc_node_is(n, "tuple") || sc_node_is(n, "list")) {
		sc_children_init(&it, n);
		while (sc_children_next(&it, &c)) {
			if (!sc_eval_string(pf, c, &s))
				s = compact_text(pf, c);
			SC_ALLOC_GROW(*out, *n_out + 1, alloc);
			(*out)[(*n_out)++] = s;
		}
		sc_children_release(&it);
	} else if (sc_node_is(n, "identifier") || sc_node_is(n, "attribute")) {
		*out = sc_xmalloc(sizeof(**out));
		(*out)[0] = compact_text(pf, n);
		*n_out = 1;
	}
}

static void free_strv(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

/* One module-level assignment: the revision variables. */
static void module_assignment(struct mig *mg, TSNode a)
{
	const struct sc_pyfile *pf = mg->pf;
	struct sc_migration *m = mg->m;
	TSNode left = sc_node_field(a, "left");
	TSNode right = sc_node_field(a, "right");

	while (sc_node_is(right, "assignment"))     /* a = b = 'x' */
		right = sc_node_field(right, "right");
	if (ts_node_is_null(right) || !sc_node_is(left, "identifier"))
		return;
	if (sc_node_text_is(pf, left, "revision")) {
		m->has_revision = 1;
		free(m->revision);
		m->revision = NULL;
		if (!sc_eval_string(pf, right, &m->revision))
			m->revision = NULL;
		m->revision_loc = sc_node_loc(a);
	} else if (sc_node_text_is(pf, left, "down_revision")) {
		m->has_down_revision = 1;
		free_strv(m->down_revisions, m->n_down_revisions);
		m->down_revisions = NULL;
		m->n_down_revisions = 0;
		m->down_revision_unresolved =
			!sc_eval_string_list(pf, right, &m->down_revisions,
					     &m->n_down_revisions);
		m->down_revision_loc = sc_node_loc(a);
	} else if (sc_node_text_is(pf, left, "branch_labels")) {
		free_strv(m->branch_labels, m->n_branch_labels);
		m->branch_labels = NULL;
		m->n_branch_labels = 0;
		eval_labels(pf, right, &m->branch_labels, &m->n_branch_labels);
	} else if (sc_node_text_is(pf, left, "depends_on")) {
		free_strv(m->depends_on, m->n_depends_on);
		m->depends_on = NULL;
		m->n_depends_on = 0;
		eval_labels(pf, right, &m->depends_on, &m->n_depends_on);
	}
}

static void add_import(struct mig *mg, size_t *alloc, char *name)
{
	struct sc_migration *m = mg->m;

	SC_ALLOC_GROW(m->imports, m->n_imports + 1, *alloc);
	m->imports[m->n_imports++] = name;
}

/* Every import in the file (functions included), and the names they bind. */
static void scan_imports(struct mig *mg)
{
	const struct sc_pyfile *pf = mg->pf;
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(pf->tree));
	size_t alloc = 0, a_from = 0;

	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		const char *type = ts_node_type(x);
		int descend = 1;

		if (!strcmp(type, "import_statement")) {
			struct sc_children it;
			TSNode n;

			sc_children_init(&it, x);
			while (sc_children_next(&it, &n)) {
				/* the name it binds: the alias, else the first
				 * part (import a.b binds a) */
				TSNode bound = sc_node_named_child(n, 0);
				struct imported *im;

				if (sc_node_is(n, "aliased_import")) {
					bound = sc_node_field(n, "alias");
					n = sc_node_field(n, "name");
				}
				if (!sc_node_is(n, "dotted_name"))
					continue;
				add_import(mg, &alloc, compact_text(pf, n));
				if (!sc_node_is(bound, "identifier"))
					continue;
				SC_ALLOC_GROW(mg->imps, mg->n_imps + 1, mg->a_imps);
				im = &mg->imps[mg->n_imps];
				im->name = node_slice(pf, bound);
				im->module = node_slice(pf, n);
				sc_namemap_put(&mg->imp_map, im->name.s,
					       im->name.len, mg->n_imps++);
			}
			sc_children_release(&it);
			descend = 0;
		} else if (!strcmp(type, "import_from_statement")) {
			TSNode mod = sc_node_field(x, "module_name");
			struct slice ms = node_slice(pf, mod);
			struct sc_children it;
			TSNode n;
			int alembic = sc_node_text_is(pf, mod, "alembic");

			add_import(mg, &alloc, compact_text(pf, mod));
			sc_children_init(&it, x);
			while (sc_children_next(&it, &n)) {
				TSNode bound = n, orig = n;
				struct imported *im;

				if (ts_node_eq(n, mod))
					continue;
				if (sc_node_is(n, "aliased_import")) {
					orig = sc_node_field(n, "name");
					bound = sc_node_field(n, "alias");
				}
				if (!sc_node_is(bound, "identifier") &&
				    !sc_node_is(bound, "dotted_name"))
					continue;
				/* `from app import models` imports app.models
				 * when that is a module (SC405) */
				if (!alembic) {
					struct sc_migration *m = mg->m;
					char *mt = compact_text(pf, mod);
					char *os = compact_text(pf, orig);

					SC_ALLOC_GROW(m->from_imports,
						      m->n_from_imports + 1,
						      a_from);
					m->from_imports[m->n_from_imports++] =
						sc_xasprintf("%s.%s", mt, os);
					free(mt);
					free(os);
				}
				if (alembic && sc_node_text_is(pf, orig, "op"))
					add_slice(&mg->op_names, &mg->n_op_names,
						  &mg->a_op_names,
						  node_slice(pf, bound));
				SC_ALLOC_GROW(mg->imps, mg->n_imps + 1, mg->a_imps);
				im = &mg->imps[mg->n_imps];
				im->name = node_slice(pf, bound);
				im->module = ms;
				sc_namemap_put(&mg->imp_map, im->name.s,
					       im->name.len, mg->n_imps++);
			}
			sc_children_release(&it);
			descend = 0;
		} else if (!strcmp(type, "future_import_statement")) {
			add_import(mg, &alloc, sc_xstrdup("__future__"));
			descend = 0;
		}
		if (!sc_cursor_next(&c, descend))
			break;
	}
	ts_tree_cursor_delete(&c);
}

int sc_migration_extract(struct sc_migration **out, const struct sc_pyfile *pf)
{
	struct sc_migration *m = sc_xcalloc(1, sizeof(*m));
	struct mig mg;
	struct sc_children it;
	TSNode stmt, up, down;
	int first = 1, unknown;
	char *doc = NULL;

	memset(&mg, 0, sizeof(mg));
	memset(&up, 0, sizeof(up));
	memset(&down, 0, sizeof(down));
	mg.pf = pf;
	mg.m = m;
	*out = NULL;
	if (!pf->tree)
		goto out;

	sc_children_init(&it, ts_tree_root_node(pf->tree));
	while (sc_children_next(&it, &stmt)) {
		TSNode e = sc_node_named_child(stmt, 0), def = stmt, name;

		if (first && sc_node_is(stmt, "expression_statement") &&
		    (sc_node_is(e, "string") ||
		     sc_node_is(e, "concatenated_string")) &&
		    sc_eval_string(pf, e, &doc)) {
			m->doc_revision_id = doc_field(doc, "Revision ID:");
			m->doc_revises = doc_field(doc, "Revises:");
			m->doc_loc = sc_node_loc(e);
			free(doc);
			doc = NULL;
		}
		first = 0;
		if (sc_node_is(stmt, "expression_statement") &&
		    sc_node_is(e, "assignment")) {
			module_assignment(&mg, e);
			/* names bound at module level are not unknown helpers */
			name = sc_node_field(e, "left");
			if (sc_node_is(name, "identifier")) {
				struct slice sl = node_slice(pf, name);
				sc_namemap_put(&mg.class_map, sl.s, sl.len, 0);
			}
			continue;
		}
		if (sc_node_is(stmt, "decorated_definition"))
			def = sc_node_field(stmt, "definition");
		name = sc_node_field(def, "name");
		if (sc_node_is(def, "class_definition") && !ts_node_is_null(name)) {
			struct slice sl = node_slice(pf, name);
			sc_namemap_put(&mg.class_map, sl.s, sl.len, 0);
		} else if (sc_node_is(def, "function_definition") &&
			   !ts_node_is_null(name)) {
			struct func *f;

			SC_ALLOC_GROW(mg.funcs, mg.n_funcs + 1, mg.a_funcs);
			f = &mg.funcs[mg.n_funcs];
			f->name = node_slice(pf, name);
			f->def = def;
			sc_namemap_put(&mg.func_map, f->name.s, f->name.len,
				       mg.n_funcs++);
			if (sc_node_text_is(pf, name, "upgrade"))
				up = def;
			else if (sc_node_text_is(pf, name, "downgrade"))
				down = def;
		}
	}
	sc_children_release(&it);

	scan_imports(&mg);

	if (!ts_node_is_null(up)) {
		m->upgrade_kind = body_kind(pf, up);
		m->upgrade_loc = sc_node_loc(sc_node_field(up, "name"));
		extract_body(&mg, up, "upgrade", &m->up, &m->n_up, &unknown);
		m->up_has_unknown_calls = unknown;
	}
	if (!ts_node_is_null(down)) {
		m->downgrade_kind = body_kind(pf, down);
		m->downgrade_loc = sc_node_loc(sc_node_field(down, "name"));
		extract_body(&mg, down, "downgrade", &m->down, &m->n_down,
			     &unknown);
	}
out:
	free(mg.funcs);
	free(mg.imps);
	free(mg.op_names);
	sc_namemap_release(&mg.func_map);
	sc_namemap_release(&mg.class_map);
	sc_namemap_release(&mg.imp_map);
	*out = m;
	return 0;
}
