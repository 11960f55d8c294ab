/*
 * toml.c: the TOML tree from a tree-sitter parse (see toml.h). Tables
 * from `[a.b]` headers and dotted keys are created as needed; a key
 * defined twice is an error, as TOML requires.
 *
 * Hostile files: the text is first checked by sc_tsguard_toml (nesting
 * that would corrupt tree-sitter's heap); children are visited with tree
 * cursors (linear on wide nodes); keys with any number of parts are read
 * without recursion; only the nesting of values recurses, bounded.
 */
#include "toml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "err.h"
#include "pysrc.h"
#include "tsguard.h"
#include "util.h"

const TSLanguage *tree_sitter_toml(void);

/* Deeper than the pre-scan allows (tsguard.h), with room for the keys
 * of tables: never reached, but the walk below recurses per level. */
#define MAX_DEPTH (SC_TSGUARD_MAX_TOML_DEPTH + 16)
/* Tables with more members than this get a hash index of their keys. */
#define INDEX_AFTER 8

struct walk {
	const char *src;
	int error;
};

static struct sc_toml *new_node(enum sc_toml_type type, const char *key,
				unsigned line)
{
	struct sc_toml *t = sc_xcalloc(1, sizeof(*t));
	t->type = type;
	t->key = key ? sc_xstrdup(key) : NULL;
	t->line = line;
	return t;
}

/* Iterative: a tree from `[a.b.c...]` or dotted keys is as deep as the
 * key has parts. */
void sc_toml_free(struct sc_toml *t)
{
	struct sc_toml **stack = NULL;
	size_t n = 0, alloc = 0, i;

	if (!t)
		return;
	SC_ALLOC_GROW(stack, 1, alloc);
	stack[n++] = t;
	while (n) {
		t = stack[--n];
		SC_ALLOC_GROW(stack, n + t->n, alloc);
		for (i = 0; i < t->n; i++)
			stack[n++] = t->kids[i];
		if (t->index) {
			sc_namemap_release(t->index);
			free(t->index);
		}
		free(t->kids);
		free(t->key);
		free(t->str);
		free(t);
	}
	free(stack);
}

static void add_kid(struct sc_toml *parent, struct sc_toml *kid)
{
	SC_ALLOC_GROW(parent->kids, parent->n + 1, parent->alloc);
	parent->kids[parent->n++] = kid;
	if (parent->type != SC_TOML_TABLE || !kid->key)
		return;
	if (!parent->index && parent->n > INDEX_AFTER) {
		size_t i;
		parent->index = sc_xcalloc(1, sizeof(*parent->index));
		for (i = 0; i < parent->n; i++)
			sc_namemap_put(parent->index, parent->kids[i]->key,
				       strlen(parent->kids[i]->key), i);
	} else if (parent->index) {
		sc_namemap_put(parent->index, kid->key, strlen(kid->key),
			       parent->n - 1);
	}
}

const struct sc_toml *sc_toml_get(const struct sc_toml *table, const char *key)
{
	size_t i;
	if (!table || table->type != SC_TOML_TABLE)
		return NULL;
	if (table->index)
		return sc_namemap_get(table->index, key, strlen(key), &i) ?
			table->kids[i] : NULL;
	for (i = 0; i < table->n; i++)
		if (!strcmp(table->kids[i]->key, key))
			return table->kids[i];
	return NULL;
}

const struct sc_toml *sc_toml_path(const struct sc_toml *root, const char *path)
{
	char *copy = sc_xstrdup(path), *part, *save = NULL;
	const struct sc_toml *t = root;
	for (part = strtok_r(copy, ".", &save); part && t;
	     part = strtok_r(NULL, ".", &save))
		t = sc_toml_get(t, part);
	free(copy);
	return t;
}

const char *sc_toml_type_name(enum sc_toml_type t)
{
	switch (t) {
	case SC_TOML_TABLE: return "a table";
	case SC_TOML_ARRAY: return "an array";
	case SC_TOML_STRING: return "a string";
	case SC_TOML_INTEGER: return "an integer";
	case SC_TOML_BOOLEAN: return "a boolean";
	default: return "a float or date";
	}
}

static unsigned line_of(TSNode n)
{
	return ts_node_start_point(n).row + 1;
}

static void add_utf8(struct sc_buf *b, unsigned long cp)
{
	char u[4];
	if (cp < 0x80) {
		sc_buf_addch(b, (char)cp);
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		sc_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		sc_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		sc_buf_add(b, u, 4);
	}
}

/* The value of a string token (with its quotes), unescaped. */
static char *unquote(const char *s, size_t n)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t q = 1, i;
	int literal = s[0] == '\'';

	if (n >= 6 && (!strncmp(s, "\"\"\"", 3) || !strncmp(s, "'''", 3)))
		q = 3;
	if (n < 2 * q)
		return sc_xstrdup("");
	s += q;
	n -= 2 * q;
	/* a newline right after the opening of a multi-line string is dropped */
	if (q == 3 && n && s[0] == '\n') {
		s++;
		n--;
	} else if (q == 3 && n > 1 && s[0] == '\r' && s[1] == '\n') {
		s += 2;
		n -= 2;
	}
	for (i = 0; i < n; i++) {
		if (literal || s[i] != '\\' || i + 1 >= n) {
			sc_buf_addch(&b, s[i]);
			continue;
		}
		i++;
		switch (s[i]) {
		case 'n': sc_buf_addch(&b, '\n'); break;
		case 't': sc_buf_addch(&b, '\t'); break;
		case 'r': sc_buf_addch(&b, '\r'); break;
		case 'b': sc_buf_addch(&b, '\b'); break;
		case 'f': sc_buf_addch(&b, '\f'); break;
		case 'u': case 'U': {
			size_t len = s[i] == 'u' ? 4 : 8, k;
			unsigned long cp = 0;
			for (k = 1; k <= len && i + k < n; k++) {
				char c = s[i + k];
				cp = cp * 16 + (unsigned long)(c >= 'a' ? c - 'a' + 10 :
							       c >= 'A' ? c - 'A' + 10 : c - '0');
			}
			add_utf8(&b, cp);
			i += len;
			break;
		}
		case '\n': case ' ': case '\t': case '\r':
			/* line-ending backslash: skip the newline and indentation */
			while (i + 1 < n && (s[i + 1] == ' ' || s[i + 1] == '\t' ||
					     s[i + 1] == '\n' || s[i + 1] == '\r'))
				i++;
			break;
		default: sc_buf_addch(&b, s[i]); break;
		}
	}
	return sc_buf_detach(&b);
}

/*
 * The parts of a key node (bare, quoted or dotted) into *parts (*n of
 * them; the caller frees them with free_parts). A dotted key is a
 * left-deep tree as deep as it has parts: walked with a cursor, in order.
 */
static void key_parts(struct walk *w, TSNode k, char ***parts, size_t *n)
{
	TSTreeCursor c = ts_tree_cursor_new(k);
	size_t alloc = 0;

	*parts = NULL;
	*n = 0;
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		const char *type = ts_node_type(x);
		const char *s = w->src + ts_node_start_byte(x);
		size_t len = ts_node_end_byte(x) - ts_node_start_byte(x);

		if (!strcmp(type, "quoted_key") || !strcmp(type, "bare_key")) {
			SC_ALLOC_GROW(*parts, *n + 1, alloc);
			(*parts)[(*n)++] = !strcmp(type, "quoted_key") ?
				unquote(s, len) : sc_xstrndup(s, len);
		}
		if (!sc_cursor_next(&c, !strcmp(type, "dotted_key")))
			break;
	}
	ts_tree_cursor_delete(&c);
	if (!*n) {  /* not a key at all (an error the parser let through) */
		SC_ALLOC_GROW(*parts, 1, alloc);
		(*parts)[(*n)++] = sc_xstrdup("");
	}
}

static void free_parts(char **parts, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
}

/* The table at `parts` below `t`, created as needed; NULL (error) when a
 * non-table is in the way. */
static struct sc_toml *descend(struct walk *w, struct sc_toml *t, char **parts,
			       size_t n, unsigned line)
{
	size_t i;
	for (i = 0; i < n; i++) {
		struct sc_toml *next = (struct sc_toml *)sc_toml_get(t, parts[i]);
		if (!next) {
			next = new_node(SC_TOML_TABLE, parts[i], line);
			add_kid(t, next);
		} else if (next->type == SC_TOML_ARRAY && next->n &&
			   next->kids[next->n - 1]->type == SC_TOML_TABLE) {
			next = next->kids[next->n - 1]; /* [[array of tables]] */
		} else if (next->type != SC_TOML_TABLE) {
			sc_error_set("line %u: '%s' is already defined as %s", line,
				     parts[i], sc_toml_type_name(next->type));
			w->error = 1;
			return NULL;
		}
		t = next;
	}
	return t;
}

static struct sc_toml *value(struct walk *w, TSNode v, const char *key,
			     unsigned depth);

/*
 * The named children of `parent` from the `first`-th on, with a cursor
 * (ts_node_named_child is linear in the index on 0.20.7: a loop over it
 * is quadratic on an array of many items). Calls fn for each one that is
 * not a comment; stops early when w->error is set.
 */
static void each_named(struct walk *w, TSNode parent, uint32_t first,
		       void (*fn)(struct walk *, TSNode, void *, unsigned),
		       void *arg, unsigned depth)
{
	TSTreeCursor c = ts_tree_cursor_new(parent);
	uint32_t i = 0;

	if (ts_tree_cursor_goto_first_child(&c)) {
		do {
			TSNode x = ts_tree_cursor_current_node(&c);
			if (!ts_node_is_named(x))
				continue;
			if (i++ < first || !strcmp(ts_node_type(x), "comment"))
				continue;
			fn(w, x, arg, depth);
		} while (!w->error && ts_tree_cursor_goto_next_sibling(&c));
	}
	ts_tree_cursor_delete(&c);
}

/* One `pair` of a table or an inline table (each_named callback). */
static void pair_into(struct walk *w, TSNode p, void *arg, unsigned depth)
{
	struct sc_toml *table = arg, *t;
	TSNode k, v;
	char **parts;
	size_t n;

	if (strcmp(ts_node_type(p), "pair"))
		return;
	k = ts_node_named_child(p, 0);
	v = ts_node_named_child(p, 1);
	if (ts_node_is_null(k) || ts_node_is_null(v))
		return;
	key_parts(w, k, &parts, &n);
	t = descend(w, table, parts, n - 1, line_of(p));
	if (t && sc_toml_get(t, parts[n - 1])) {
		sc_error_set("line %u: key '%s' is defined twice", line_of(p),
			     parts[n - 1]);
		w->error = 1;
	} else if (t) {
		struct sc_toml *val = value(w, v, parts[n - 1], depth + 1);
		if (val)
			add_kid(t, val);
	}
	free_parts(parts, n);
}

static void pairs_into(struct walk *w, struct sc_toml *table, TSNode parent,
		       uint32_t first, unsigned depth)
{
	each_named(w, parent, first, pair_into, table, depth);
}

/* One item of an array (each_named callback). */
static void item_into(struct walk *w, TSNode item, void *arg, unsigned depth)
{
	struct sc_toml *val = value(w, item, NULL, depth + 1);

	if (val)
		add_kid(arg, val);
}

/*
 * A value node as a new sc_toml (owned by the caller), or NULL with
 * w->error set. Recursion follows the nesting of arrays and inline
 * tables, which the pre-scan limits; `depth` checks it again.
 */
static struct sc_toml *value(struct walk *w, TSNode v, const char *key,
			     unsigned depth)
{
	const char *type = ts_node_type(v);
	const char *s = w->src + ts_node_start_byte(v);
	size_t n = ts_node_end_byte(v) - ts_node_start_byte(v);
	struct sc_toml *t;

	if (depth > MAX_DEPTH) {
		sc_error_set("line %u: arrays and inline tables nested more "
			     "than %u deep", line_of(v), MAX_DEPTH);
		w->error = 1;
		return NULL;
	}
	if (!strcmp(type, "string")) {
		t = new_node(SC_TOML_STRING, key, line_of(v));
		t->str = unquote(s, n);
	} else if (!strcmp(type, "integer")) {
		char *tmp = sc_xstrndup(s, n), *p, *q;
		for (p = q = tmp; *p; p++)
			if (*p != '_')
				*q++ = *p;
		*q = '\0';
		t = new_node(SC_TOML_INTEGER, key, line_of(v));
		t->num = strtoll(tmp, NULL, 0);
		free(tmp);
	} else if (!strcmp(type, "boolean")) {
		t = new_node(SC_TOML_BOOLEAN, key, line_of(v));
		t->boolean = n == 4 && !strncmp(s, "true", 4);
	} else if (!strcmp(type, "array")) {
		t = new_node(SC_TOML_ARRAY, key, line_of(v));
		each_named(w, v, 0, item_into, t, depth);
	} else if (!strcmp(type, "inline_table")) {
		t = new_node(SC_TOML_TABLE, key, line_of(v));
		pairs_into(w, t, v, 0, depth);
	} else {
		t = new_node(SC_TOML_OTHER, key, line_of(v));
	}
	return t;
}

/* The first ERROR or MISSING node in document order (the node where the
 * error flag stops, when there is none); walked with a cursor. */
static TSNode first_error(TSNode root)
{
	TSTreeCursor c = ts_tree_cursor_new(root);
	TSNode found = root;

	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		int descend = 0;

		if (ts_node_has_error(n) || ts_node_is_missing(n)) {
			found = n;
			if (ts_node_is_missing(n) || !strcmp(ts_node_type(n), "ERROR"))
				break;
			descend = 1;
		}
		if (!sc_cursor_next(&c, descend))
			break;
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/* A [table] or [[array of tables]] header and its pairs (each_named
 * callback on the document). */
static void table_into(struct walk *w, TSNode t, void *arg, unsigned depth)
{
	struct sc_toml *root = arg, *table = NULL;
	const char *type = ts_node_type(t);
	char **parts;
	size_t n;

	if (strcmp(type, "table") && strcmp(type, "table_array_element"))
		return;
	key_parts(w, ts_node_named_child(t, 0), &parts, &n);
	if (!strcmp(type, "table")) {
		table = descend(w, root, parts, n, line_of(t));
	} else {
		/* [[a.b]]: append a new table to array a.b */
		struct sc_toml *parent = descend(w, root, parts, n - 1,
						 line_of(t));
		struct sc_toml *arr = parent ?
			(struct sc_toml *)sc_toml_get(parent, parts[n - 1]) : NULL;
		if (parent && !arr) {
			arr = new_node(SC_TOML_ARRAY, parts[n - 1], line_of(t));
			add_kid(parent, arr);
		}
		if (arr && arr->type == SC_TOML_ARRAY) {
			table = new_node(SC_TOML_TABLE, NULL, line_of(t));
			add_kid(arr, table);
		} else if (parent) {
			sc_error_set("line %u: '%s' is not an array of tables",
				     line_of(t), parts[n - 1]);
			w->error = 1;
		}
	}
	if (table)
		pairs_into(w, table, t, 1, depth);
	free_parts(parts, n);
}

int sc_toml_parse(struct sc_toml **out, const char *text, size_t len)
{
	TSParser *parser = ts_parser_new();
	TSTree *tree = NULL;
	struct sc_toml *root = new_node(SC_TOML_TABLE, "", 1);
	struct walk w = { text, 0 };
	char *msg = NULL;
	size_t at = 0, i;
	unsigned line = 1;
	TSNode doc;
	int error = 0;

	*out = NULL;
	if (memchr(text, '\0', len)) {
		error = sc_error_set("line 1: the file contains NUL bytes");
		goto out;
	}
	/* what Debian's tree-sitter would corrupt its heap on (tsguard.h) */
	if (sc_tsguard_toml(text, len, &at, &msg) < 0) {
		for (i = 0; i < at; i++)
			line += text[i] == '\n';
		error = sc_error_set("line %u: %s", line, msg);
		goto out;
	}
	if (len > UINT32_MAX || !ts_parser_set_language(parser, tree_sitter_toml()) ||
	    !(tree = ts_parser_parse_string(parser, NULL, text, (uint32_t)len))) {
		error = sc_error_set("cannot set up the TOML parser");
		goto out;
	}
	doc = ts_tree_root_node(tree);
	if (ts_node_has_error(doc)) {
		TSNode e = first_error(doc);
		error = sc_error_set("line %u: invalid TOML", line_of(e));
		goto out;
	}
	pairs_into(&w, root, doc, 0, 0);
	if (!w.error)
		each_named(&w, doc, 0, table_into, root, 0);
	if (w.error) {
		error = -1;
		goto out;
	}
	*out = root;
	root = NULL;
out:
	free(msg);
	sc_toml_free(root);
	if (tree)
		ts_tree_delete(tree);
	ts_parser_delete(parser);
	return error;
}
