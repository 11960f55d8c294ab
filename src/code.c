/*
 * code.c: application code -> struct sc_codefile (SC404).
 *
 * Two walks over the whole tree with a cursor (calls may be anywhere: in
 * functions, classes, `if __name__ == "__main__":` blocks). The first
 * records what names are bound to: a Table(...) or Index(...) call, a
 * MetaData (MetaData(), X.metadata, declarative_base(), Flask's
 * SQLAlchemy()), or anything else; and the __tablename__ of each class.
 * The second finds the calls:
 *   - X.create_all(...) / X.drop_all(...) where X is a metadata: its last
 *     name is `metadata` (Base.metadata, SQLModel.metadata), a name bound
 *     to one in this file, or Flask-SQLAlchemy's `db`;
 *   - X.create(...) / X.drop(...) where X is a Table or Index of this
 *     file (a name only ever bound to Table(...)/Index(...), a direct
 *     Table(...)/Index(...) call), Model.__table__, or
 *     metadata.tables['name']: `.create(` is too common a method name to
 *     accept on anything else (User.objects.create, client.create);
 *   - execute/exec_driver_sql/executescript("literal"), text("literal")
 *     and DDL("literal") whose SQL is CREATE/ALTER/DROP TABLE or
 *     CREATE/DROP INDEX (sqlddl.c reads it; f-strings and variables are
 *     not read).
 */
#include "code.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sqlddl.h"
#include "util.h"

enum bind_kind { B_OTHER = 0, B_TABLE, B_INDEX, B_META };

/* What one name is bound to in the file (all its bindings agree). */
struct bind {
	enum bind_kind kind;
	char *table;            /* B_TABLE: its literal name, or NULL */
};

struct code {
	const struct sc_pyfile *pf;
	struct sc_codefile *out;
	size_t a_calls;
	struct bind *binds;
	size_t n_binds, a_binds;
	struct sc_namemap bind_map;     /* name -> index in binds */
	char **tablenames;              /* class -> __tablename__ (index in classes) */
	size_t n_classes, a_classes;
	struct sc_namemap class_map;    /* class name -> index in tablenames */
};

/* ---- prefilter --------------------------------------------------------- */

/*
 * Case-insensitive, at s[i]: CREATE/ALTER/DROP, blanks, then
 * TABLE/INDEX/UNIQUE.
 */
static int ddl_words_at(const char *s, size_t len, size_t i)
{
	static const char *const verbs[] = { "create", "alter", "drop" };
	static const char *const objs[] = { "table", "index", "unique" };
	size_t k, j;

	for (k = 0; k < SC_ARRAY_SIZE(verbs); k++) {
		size_t n = strlen(verbs[k]), p;

		if (len - i <= n || strncasecmp(s + i, verbs[k], n))
			continue;
		p = i + n;
		if (p >= len || !isspace((unsigned char)s[p]))
			continue;
		while (p < len && isspace((unsigned char)s[p]))
			p++;
		for (j = 0; j < SC_ARRAY_SIZE(objs); j++)
			if (len - p >= strlen(objs[j]) &&
			    !strncasecmp(s + p, objs[j], strlen(objs[j])))
				return 1;
	}
	return 0;
}

static int has(const char *s, size_t len, const char *what)
{
	return memmem(s, len, what, strlen(what)) != NULL;
}

/*
 * Could a `.create(`/`.drop(` be on a Table or Index of this file
 * (is_table below): a Table(...) or Index(...) call, Model.__table__,
 * or metadata.tables[...]?
 */
static int has_table_like(const char *s, size_t len)
{
	return sc_text_has_name(s, len, "Table", '(') ||
	       sc_text_has_name(s, len, "Index", '(') ||
	       has(s, len, "__table__") ||
	       sc_text_has_name(s, len, "tables", '[');
}

/*
 * Could one of the words code_positive looks for start at p: "cre",
 * "alt" or "dro" in either case ((x | 0x20) is the lowercase of an ASCII
 * letter x)? Without branches, so that starts_in stays cheap.
 */
static inline int starts_at(const char *p)
{
	unsigned a = (unsigned char)p[0] | 0x20, b = (unsigned char)p[1] | 0x20,
		 c = (unsigned char)p[2] | 0x20;

	return ((a == 'c') & (b == 'r') & (c == 'e')) |
	       ((a == 'a') & (b == 'l') & (c == 't')) |
	       ((a == 'd') & (b == 'r') & (c == 'o'));
}

/* Does any of the 64 positions at p (66 bytes readable) pass starts_at? */
static int starts_in(const char *p)
{
	int any = 0;
	size_t k;

	for (k = 0; k < 64; k++)
		any |= starts_at(p + k);
	return any;
}

/*
 * What find_calls can report, in one pass over the text (this runs on
 * every application file of a repository): the whole names create_all
 * and drop_all, DDL text, or a .create(/.drop( call when the file has a
 * Table or an Index for it to be on.
 */
static int code_positive(const char *s, size_t len)
{
	int dotcall = 0;
	size_t i;

	for (i = 0; i + 2 < len; i++) {
		const char *w = NULL;
		size_t n = 0;

		/* skip 64 bytes at a time where no word can start */
		if (!(i & 63) && i + 66 <= len && !starts_in(s + i)) {
			i += 63;
			continue;
		}
		if (!starts_at(s + i))
			continue;
		if (s[i] == 'c')
			w = "create", n = 6;
		else if (s[i] == 'd')
			w = "drop", n = 4;
		if (w && len - i > n && !memcmp(s + i, w, n)) {
			const char *after = s + i + n;

			if (len - i - n >= 4 && !memcmp(after, "_all", 4) &&
			    (i == 0 || !sc_is_name_byte((unsigned char)s[i - 1])) &&
			    (len - i - n == 4 || !sc_is_name_byte((unsigned char)after[4])))
				return 1;
			if (i > 0 && s[i - 1] == '.' && *after == '(')
				dotcall = 1;
		}
		if (ddl_words_at(s, len, i))
			return 1;
	}
	return dotcall && has_table_like(s, len);
}

int sc_code_prefilter(const char *data, size_t len)
{
	if (!data || !code_positive(data, len))
		return 0;
	/* a migration (Alembic, or sqlalchemy-migrate's upgrade(migrate_engine))
	 * or an env.py outside the discovered script dirs */
	if (has(data, len, "def upgrade") && (has(data, len, "down_revision") ||
					      has(data, len, "migrate_engine")))
		return 0;
	if (has(data, len, "context.configure") && has(data, len, "alembic"))
		return 0;
	return 1;
}

/* ---- helpers ----------------------------------------------------------- */

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

/*
 * Text of a callee on one line, blanks dropped and the arguments of the
 * calls in it shortened: `sa.Index("ix", t.c.id).create` ->
 * "sa.Index(...).create"; at most about 80 bytes.
 */
static char *compact(const struct sc_pyfile *pf, TSNode n)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t len, i;
	const char *t = sc_node_text(pf, n, &len);
	int depth = 0;
	char q = 0;

	for (i = 0; i < len && b.len < 80; i++) {
		char c = t[i];

		if (q) {                /* inside a string of the arguments */
			if (c == '\\')
				i++;
			else if (c == q)
				q = 0;
			continue;
		}
		if (depth && (c == '\'' || c == '"')) {
			q = c;
			continue;
		}
		if (c == '(') {
			if (!depth++)
				sc_buf_adds(&b, "(...)");
			continue;
		}
		if (c == ')' && depth) {
			depth--;
			continue;
		}
		if (!depth && !isspace((unsigned char)c) && c != '\\')
			sc_buf_addch(&b, c);
	}
	if (i < len)
		sc_buf_adds(&b, "...");
	return sc_buf_detach(&b);
}

static const struct bind *find_bind(const struct code *cd, TSNode id)
{
	size_t len, i;
	const char *s = sc_node_text(cd->pf, id, &len);

	if (!sc_namemap_get(&cd->bind_map, s, len, &i))
		return NULL;
	return &cd->binds[i];
}

/* ---- first walk: names ------------------------------------------------- */

static enum bind_kind kind_of_value(const struct sc_pyfile *pf, TSNode v,
				    char **table)
{
	*table = NULL;
	v = unparen(v);
	if (sc_node_is(v, "attribute"))
		return sc_node_last_name_is(pf, v, "metadata") ? B_META : B_OTHER;
	if (!sc_node_is(v, "call"))
		return B_OTHER;
	if (sc_node_last_name_is(pf, v, "Table") && sc_call_n_positional(v) >= 1) {
		if (!sc_eval_string(pf, sc_call_positional(v, 0), table))
			*table = NULL;
		return B_TABLE;
	}
	if (sc_node_last_name_is(pf, v, "Index"))
		return B_INDEX;
	if (sc_node_last_name_is(pf, v, "MetaData") ||
	    sc_node_last_name_is(pf, v, "declarative_base") ||
	    sc_node_last_name_is(pf, v, "SQLAlchemy"))
		return B_META;
	return B_OTHER;
}

static void bind_name(struct code *cd, TSNode id, enum bind_kind kind,
		      char *table)
{
	size_t len, i;
	const char *s = sc_node_text(cd->pf, id, &len);
	struct bind *b;

	if (sc_namemap_get(&cd->bind_map, s, len, &i)) {
		b = &cd->binds[i];
		if (b->kind != kind) {
			b->kind = B_OTHER;      /* bound to different things */
		} else if (kind == B_TABLE && (!b->table || !table ||
					       strcmp(b->table, table))) {
			free(b->table);
			b->table = NULL;
		}
		free(table);
		return;
	}
	SC_ALLOC_GROW(cd->binds, cd->n_binds + 1, cd->a_binds);
	b = &cd->binds[cd->n_binds];
	b->kind = kind;
	b->table = table;
	sc_namemap_put(&cd->bind_map, s, len, cd->n_binds++);
}

/* Every identifier of a target bound to something we do not follow. */
static void bind_other(struct code *cd, TSNode target)
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
			bind_name(cd, x, B_OTHER, NULL);
		if (!sc_cursor_next(&c, descend))
			break;
	}
	ts_tree_cursor_delete(&c);
}

static void class_tablename(struct code *cd, TSNode def)
{
	const struct sc_pyfile *pf = cd->pf;
	TSNode name = ts_node_child_by_field_name(def, "name", 4);
	TSNode body = ts_node_child_by_field_name(def, "body", 4), stmt;
	struct sc_children it;
	char *table = NULL;
	const char *s;
	size_t len;

	if (ts_node_is_null(name) || ts_node_is_null(body))
		return;
	sc_children_init(&it, body);
	while (sc_children_next(&it, &stmt)) {
		TSNode a = ts_node_named_child(stmt, 0);

		if (!sc_node_is(stmt, "expression_statement") ||
		    !sc_node_is(a, "assignment") ||
		    !sc_node_text_is(pf, ts_node_child_by_field_name(a, "left", 4),
				     "__tablename__"))
			continue;
		free(table);
		if (!sc_eval_string(pf, ts_node_child_by_field_name(a, "right", 5),
				    &table))
			table = NULL;
	}
	sc_children_release(&it);
	s = sc_node_text(pf, name, &len);
	SC_ALLOC_GROW(cd->tablenames, cd->n_classes + 1, cd->a_classes);
	cd->tablenames[cd->n_classes] = table;
	sc_namemap_put(&cd->class_map, s, len, cd->n_classes++);
}

static void collect_names(struct code *cd)
{
	const struct sc_pyfile *pf = cd->pf;
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(pf->tree));

	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);

		if (sc_node_is(x, "assignment")) {
			TSNode left = ts_node_child_by_field_name(x, "left", 4);
			TSNode right = ts_node_child_by_field_name(x, "right", 5);

			if (sc_node_is(left, "identifier")) {
				char *table;
				enum bind_kind k = kind_of_value(pf, right, &table);

				bind_name(cd, left, k, table);
			} else {
				bind_other(cd, left);
			}
		} else if (sc_node_is(x, "for_statement") ||
			   sc_node_is(x, "for_in_clause") ||
			   sc_node_is(x, "augmented_assignment")) {
			bind_other(cd, ts_node_child_by_field_name(x, "left", 4));
		} else if (sc_node_is(x, "as_pattern_target")) {
			bind_other(cd, x);
		} else if (sc_node_is(x, "class_definition")) {
			class_tablename(cd, x);
		}
		if (!sc_cursor_next(&c, 1))
			break;
	}
	ts_tree_cursor_delete(&c);
}

/* ---- second walk: calls ------------------------------------------------ */

static void add_call(struct code *cd, enum sc_code_kind kind, TSNode callee,
		     char *table, char *what)
{
	struct sc_codecall *k;
	struct sc_codefile *out = cd->out;

	SC_ALLOC_GROW(out->calls, out->n_calls + 1, cd->a_calls);
	k = &out->calls[out->n_calls++];
	memset(k, 0, sizeof(*k));
	k->kind = kind;
	k->call = compact(cd->pf, callee);
	k->table = table;
	k->what = what;
	k->loc = sc_node_loc(callee);
}

/* Is `obj` (the receiver of create_all/drop_all) a metadata? */
static int is_metadata(const struct code *cd, TSNode obj, TSNode call)
{
	const struct bind *b;

	obj = unparen(obj);
	if (sc_node_is(obj, "attribute"))
		return sc_node_last_name_is(cd->pf, obj, "metadata");
	if (!sc_node_is(obj, "identifier"))
		return 0;
	if (sc_node_text_is(cd->pf, obj, "metadata"))
		return 1;
	b = find_bind(cd, obj);
	if (b && b->kind == B_META)
		return 1;
	/* Flask-SQLAlchemy: db.create_all() (app= or bind_key= at most) */
	return sc_node_text_is(cd->pf, obj, "db") &&
	       sc_call_n_positional(call) == 0;
}

/*
 * Is `obj` (the receiver of .create/.drop) a Table (1) or an Index (2) of
 * this file, or neither (0)? *table is set to the table's name when known
 * (owned by the caller).
 */
static int is_table(const struct code *cd, TSNode obj, char **table)
{
	const struct sc_pyfile *pf = cd->pf;
	const struct bind *b;
	TSNode o;
	size_t len, i;
	const char *s;

	*table = NULL;
	obj = unparen(obj);
	if (sc_node_is(obj, "call")) {
		if (sc_node_last_name_is(pf, obj, "Index"))
			return 2;
		if (sc_node_last_name_is(pf, obj, "Table") &&
		    sc_call_n_positional(obj) >= 2) {
			if (!sc_eval_string(pf, sc_call_positional(obj, 0), table))
				*table = NULL;
			return 1;
		}
		return 0;
	}
	if (sc_node_is(obj, "identifier")) {
		b = find_bind(cd, obj);
		if (!b || (b->kind != B_TABLE && b->kind != B_INDEX))
			return 0;
		if (b->table)
			*table = sc_xstrdup(b->table);
		return b->kind == B_INDEX ? 2 : 1;
	}
	if (sc_node_is(obj, "attribute") &&
	    sc_node_last_name_is(pf, obj, "__table__")) {
		/* Model.__table__ */
		o = ts_node_child_by_field_name(obj, "object", 6);
		if (sc_node_is(o, "identifier")) {
			s = sc_node_text(pf, o, &len);
			if (sc_namemap_get(&cd->class_map, s, len, &i) &&
			    cd->tablenames[i])
				*table = sc_xstrdup(cd->tablenames[i]);
		}
		return 1;
	}
	if (sc_node_is(obj, "subscript")) {
		/* metadata.tables['users'] */
		o = ts_node_child_by_field_name(obj, "value", 5);
		if (!sc_node_is(o, "attribute") ||
		    !sc_node_last_name_is(pf, o, "tables"))
			return 0;
		o = ts_node_child_by_field_name(obj, "subscript", 9);
		if (!ts_node_is_null(o) && !sc_eval_string(pf, o, table))
			*table = NULL;
		return 1;
	}
	return 0;
}

/* The DDL statement kind of SQL text (owned by the caller), or NULL. */
static char *ddl_kind(const char *sql, char **table)
{
	struct sc_op *ops = NULL;
	size_t n = 0, i;
	int unknown = 0;
	char *utable = NULL, *what = NULL;

	*table = NULL;
	sc_sqlddl_parse(sql, 0, NULL, &ops, &n, &unknown, &utable);
	for (i = 0; i < n && !what; i++) {
		switch (ops[i].kind) {
		case SC_OP_CREATE_TABLE:
			what = "CREATE TABLE";
			break;
		case SC_OP_DROP_TABLE:
			what = "DROP TABLE";
			break;
		case SC_OP_CREATE_INDEX:
			what = "CREATE INDEX";
			break;
		case SC_OP_DROP_INDEX:
			what = "DROP INDEX";
			break;
		case SC_OP_RENAME_TABLE: case SC_OP_ADD_COLUMN:
		case SC_OP_DROP_COLUMN: case SC_OP_ALTER_COLUMN:
		case SC_OP_CREATE_CONSTRAINT: case SC_OP_DROP_CONSTRAINT:
			what = "ALTER TABLE";
			break;
		default:
			break;
		}
		if (what && ops[i].table)
			*table = sc_xstrdup(ops[i].table);
	}
	if (!what && unknown && utable) {
		what = "ALTER TABLE";   /* ALTER TABLE t <something not read> */
		*table = utable;
		utable = NULL;
	}
	for (i = 0; i < n; i++)
		sc_op_release(&ops[i]);
	free(ops);
	free(utable);
	return what ? sc_xstrdup(what) : NULL;
}

static int name_is(const char *s, size_t len, const char *x)
{
	return s && len == strlen(x) && !memcmp(s, x, len);
}

static void handle_call(struct code *cd, TSNode call)
{
	const struct sc_pyfile *pf = cd->pf;
	TSNode fn = sc_call_function(call), obj, arg;
	const char *name;
	size_t len;
	char *table = NULL, *sql = NULL, *what;
	int k;

	name = sc_node_last_name(pf, fn, &len);
	if (!name)
		return;
	obj = sc_node_is(fn, "attribute")
	      ? ts_node_child_by_field_name(fn, "object", 6) : fn;
	if (sc_node_is(fn, "attribute") &&
	    (name_is(name, len, "create_all") || name_is(name, len, "drop_all"))) {
		if (is_metadata(cd, obj, call))
			add_call(cd, name[0] == 'c' ? SC_CODE_CREATE_ALL
					       : SC_CODE_DROP_ALL, fn, NULL, NULL);
		return;
	}
	if (sc_node_is(fn, "attribute") &&
	    (name_is(name, len, "create") || name_is(name, len, "drop"))) {
		if ((k = is_table(cd, obj, &table)))
			add_call(cd, name[0] == 'c' ? SC_CODE_CREATE
					       : SC_CODE_DROP, fn, table,
				 sc_xstrdup(k == 2 ? "index" : "table"));
		return;
	}
	if (name_is(name, len, "text") || name_is(name, len, "DDL")) {
		arg = sc_call_positional(call, 0);
	} else if (sc_node_is(fn, "attribute") &&
		   (name_is(name, len, "execute") ||
		    name_is(name, len, "exec_driver_sql") ||
		    name_is(name, len, "executescript"))) {
		arg = unparen(sc_call_positional(call, 0));
		if (sc_node_is(arg, "call"))
			return;         /* execute(text("...")): the text() call */
	} else {
		return;
	}
	if (ts_node_is_null(arg) || !sc_eval_string(pf, arg, &sql))
		return;
	what = ddl_kind(sql, &table);
	free(sql);
	if (what)
		add_call(cd, SC_CODE_DDL, fn, table, what);
}

static void find_calls(struct code *cd)
{
	TSTreeCursor c = ts_tree_cursor_new(ts_tree_root_node(cd->pf->tree));

	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);

		if (sc_node_is(x, "call"))
			handle_call(cd, x);
		if (!sc_cursor_next(&c, 1))
			break;
	}
	ts_tree_cursor_delete(&c);
}

int sc_code_extract(struct sc_codefile **out, const struct sc_pyfile *pf)
{
	struct code cd;
	size_t i;

	memset(&cd, 0, sizeof(cd));
	cd.pf = pf;
	cd.out = sc_xcalloc(1, sizeof(*cd.out));
	if (!pf->tree)
		goto out;
	collect_names(&cd);
	find_calls(&cd);
out:
	for (i = 0; i < cd.n_binds; i++)
		free(cd.binds[i].table);
	free(cd.binds);
	sc_namemap_release(&cd.bind_map);
	for (i = 0; i < cd.n_classes; i++)
		free(cd.tablenames[i]);
	free(cd.tablenames);
	sc_namemap_release(&cd.class_map);
	*out = cd.out;
	return 0;
}
