/*
 * toml.c: the TOML tree from a tree-sitter parse (see toml.h). Tables
 * from `[a.b]` headers and dotted keys are created as needed; a key
 * defined twice is an error, as TOML requires.
 */
#include "toml.h"

#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "err.h"
#include "util.h"

const TSLanguage *tree_sitter_toml(void);

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

void sc_toml_free(struct sc_toml *t)
{
	size_t i;
	if (!t)
		return;
	for (i = 0; i < t->n; i++)
		sc_toml_free(t->kids[i]);
	free(t->kids);
	free(t->key);
	free(t->str);
	free(t);
}

static void add_kid(struct sc_toml *parent, struct sc_toml *kid)
{
	parent->kids = sc_xrealloc(parent->kids,
				   (parent->n + 1) * sizeof(*parent->kids));
	parent->kids[parent->n++] = kid;
}

const struct sc_toml *sc_toml_get(const struct sc_toml *table, const char *key)
{
	size_t i;
	if (!table || table->type != SC_TOML_TABLE)
		return NULL;
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

/* The parts of a key node (bare, quoted or dotted), appended to *parts. */
static void key_parts(struct walk *w, TSNode k, char ***parts, size_t *n)
{
	const char *type = ts_node_type(k);
	uint32_t i;

	if (!strcmp(type, "dotted_key")) {
		for (i = 0; i < ts_node_named_child_count(k); i++)
			key_parts(w, ts_node_named_child(k, i), parts, n);
		return;
	}
	*parts = sc_xrealloc(*parts, (*n + 1) * sizeof(**parts));
	if (!strcmp(type, "quoted_key"))
		(*parts)[(*n)++] = unquote(w->src + ts_node_start_byte(k),
					   ts_node_end_byte(k) - ts_node_start_byte(k));
	else
		(*parts)[(*n)++] = sc_xstrndup(w->src + ts_node_start_byte(k),
					       ts_node_end_byte(k) - ts_node_start_byte(k));
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

static struct sc_toml *value(struct walk *w, TSNode v, const char *key);

static void pairs_into(struct walk *w, struct sc_toml *table, TSNode parent,
		       uint32_t first)
{
	uint32_t i;
	for (i = first; i < ts_node_named_child_count(parent) && !w->error; i++) {
		TSNode p = ts_node_named_child(parent, i);
		TSNode k, v;
		char **parts = NULL;
		size_t n = 0;
		struct sc_toml *t;

		if (strcmp(ts_node_type(p), "pair"))
			continue;
		k = ts_node_named_child(p, 0);
		v = ts_node_named_child(p, 1);
		if (ts_node_is_null(k) || ts_node_is_null(v))
			continue;
		key_parts(w, k, &parts, &n);
		t = descend(w, table, parts, n - 1, line_of(p));
		if (t && sc_toml_get(t, parts[n - 1])) {
			sc_error_set("line %u: key '%s' is defined twice",
				     line_of(p), parts[n - 1]);
			w->error = 1;
		} else if (t) {
			add_kid(t, value(w, v, parts[n - 1]));
		}
		free_parts(parts, n);
	}
}

static struct sc_toml *value(struct walk *w, TSNode v, const char *key)
{
	const char *type = ts_node_type(v);
	const char *s = w->src + ts_node_start_byte(v);
	size_t n = ts_node_end_byte(v) - ts_node_start_byte(v);
	struct sc_toml *t;
	uint32_t i;

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
		for (i = 0; i < ts_node_named_child_count(v); i++) {
			TSNode item = ts_node_named_child(v, i);
			if (!strcmp(ts_node_type(item), "comment"))
				continue;
			add_kid(t, value(w, item, NULL));
		}
	} else if (!strcmp(type, "inline_table")) {
		t = new_node(SC_TOML_TABLE, key, line_of(v));
		pairs_into(w, t, v, 0);
	} else {
		t = new_node(SC_TOML_OTHER, key, line_of(v));
	}
	return t;
}

static TSNode first_error(TSNode n)
{
	uint32_t i;
	TSNode none = { { 0 }, NULL, NULL };
	if (!ts_node_has_error(n))
		return none;
	if (!strcmp(ts_node_type(n), "ERROR") || ts_node_is_missing(n))
		return n;
	for (i = 0; i < ts_node_child_count(n); i++) {
		TSNode e = first_error(ts_node_child(n, i));
		if (!ts_node_is_null(e))
			return e;
	}
	return n;
}

int sc_toml_parse(struct sc_toml **out, const char *text, size_t len)
{
	TSParser *parser = ts_parser_new();
	TSTree *tree = NULL;
	struct sc_toml *root = new_node(SC_TOML_TABLE, "", 1);
	struct walk w = { text, 0 };
	TSNode doc;
	uint32_t i;
	int error = 0;

	*out = NULL;
	if (memchr(text, '\0', len)) {
		error = sc_error_set("line 1: the file contains NUL bytes");
		goto out;
	}
	if (!ts_parser_set_language(parser, tree_sitter_toml()) ||
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
	pairs_into(&w, root, doc, 0);
	for (i = 0; i < ts_node_named_child_count(doc) && !w.error; i++) {
		TSNode t = ts_node_named_child(doc, i);
		const char *type = ts_node_type(t);
		char **parts = NULL;
		size_t n = 0;
		struct sc_toml *table;

		if (strcmp(type, "table") && strcmp(type, "table_array_element"))
			continue;
		key_parts(&w, ts_node_named_child(t, 0), &parts, &n);
		if (!strcmp(type, "table")) {
			table = descend(&w, root, parts, n, line_of(t));
		} else {
			/* [[a.b]]: append a new table to array a.b */
			struct sc_toml *parent = descend(&w, root, parts, n - 1,
							 line_of(t));
			struct sc_toml *arr = parent ?
				(struct sc_toml *)sc_toml_get(parent, parts[n - 1]) : NULL;
			table = NULL;
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
				w.error = 1;
			}
		}
		if (table)
			pairs_into(&w, table, t, 1);
		free_parts(parts, n);
	}
	if (w.error) {
		error = -1;
		goto out;
	}
	*out = root;
	root = NULL;
out:
	sc_toml_free(root);
	if (tree)
		ts_tree_delete(tree);
	ts_parser_delete(parser);
	return error;
}
