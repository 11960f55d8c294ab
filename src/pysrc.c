/*
 * pysrc.c: tree-sitter Python for schemacheck. Parses one file with a
 * per-thread cached parser, records its comments and its first syntax
 * error, builds the table of module-level string constants, and evaluates
 * literals (strings with their escapes, numbers, booleans, None, tuples of
 * strings). Also the helpers that migration.c and models.c share: call
 * arguments, dotted names, and Column(...) facts.
 *
 * Nothing here recurses over the tree: walks use a TSTreeCursor, so inputs
 * nested thousands of levels deep cost time, not stack.
 */
#include "pysrc.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tsguard.h"
#include "util.h"

const TSLanguage *tree_sitter_python(void);

/* How many NAME = OTHER steps a constant may take. */
#define MAX_ALIAS_CHAIN 16
/* How many levels of parentheses literal evaluation looks through. */
#define MAX_PARENS 64

static _Thread_local TSParser *tls_parser;

void sc_pysrc_shutdown(void)
{
	if (tls_parser) {
		ts_parser_delete(tls_parser);
		tls_parser = NULL;
	}
}

/* The thread's parser, created on first use; NULL with the error set. */
static TSParser *get_parser(void)
{
	TSParser *p;
	const TSLanguage *lang;

	if (tls_parser)
		return tls_parser;
	p = ts_parser_new();
	if (!p) {
		sc_error_set("cannot create a tree-sitter parser");
		return NULL;
	}
	lang = tree_sitter_python();
	if (!ts_parser_set_language(p, lang)) {
		sc_error_set("the Python grammar (ABI %u) is not supported by "
			     "this tree-sitter runtime (ABI %u to %u)",
			     ts_language_version(lang),
			     (unsigned)TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
			     (unsigned)TREE_SITTER_LANGUAGE_VERSION);
		ts_parser_delete(p);
		return NULL;
	}
	tls_parser = p;
	return p;
}

/* ---- node helpers ---------------------------------------------------- */

const char *sc_node_text(const struct sc_pyfile *pf, TSNode n, size_t *len)
{
	uint32_t s, e;

	if (ts_node_is_null(n)) {
		*len = 0;
		return "";
	}
	s = ts_node_start_byte(n);
	e = ts_node_end_byte(n);
	if (e > pf->file->len)
		e = (uint32_t)pf->file->len;
	if (s > e)
		s = e;
	*len = e - s;
	return pf->file->data + s;
}

int sc_node_text_is(const struct sc_pyfile *pf, TSNode n, const char *s)
{
	size_t len;
	const char *t = sc_node_text(pf, n, &len);

	return !ts_node_is_null(n) && strlen(s) == len && !memcmp(t, s, len);
}

char *sc_node_strdup(const struct sc_pyfile *pf, TSNode n)
{
	size_t len;
	const char *t = sc_node_text(pf, n, &len);

	return sc_xstrndup(t, len);
}

struct sc_loc sc_node_loc(TSNode n)
{
	struct sc_loc l = { 0, 0, 0, 0 };
	TSPoint s, e;

	if (ts_node_is_null(n))
		return l;
	s = ts_node_start_point(n);
	e = ts_node_end_point(n);
	l.row = s.row;
	l.col = s.column;
	l.end_row = e.row;
	l.end_col = e.column;
	return l;
}

int sc_node_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && !strcmp(ts_node_type(n), type);
}

TSNode sc_node_field(TSNode n, const char *field)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_child_by_field_name(n, field, (uint32_t)strlen(field));
}

TSNode sc_node_named_child(TSNode n, uint32_t index)
{
	if (ts_node_is_null(n))
		return n;
	return ts_node_named_child(n, index);
}

int sc_cursor_next(TSTreeCursor *c, int descend)
{
	if (descend && ts_tree_cursor_goto_first_child(c))
		return 1;
	while (!ts_tree_cursor_goto_next_sibling(c))
		if (!ts_tree_cursor_goto_parent(c))
			return 0;
	return 1;
}

void sc_children_init(struct sc_children *it, TSNode parent)
{
	it->cur = ts_tree_cursor_new(parent);
	it->state = ts_node_is_null(parent) ? 2 : 0;
}

int sc_children_next(struct sc_children *it, TSNode *out)
{
	for (;;) {
		TSNode n;

		if (it->state == 2)
			return 0;
		if (it->state == 0) {
			it->state = 1;
			if (!ts_tree_cursor_goto_first_child(&it->cur)) {
				it->state = 2;
				return 0;
			}
		} else if (!ts_tree_cursor_goto_next_sibling(&it->cur)) {
			it->state = 2;
			return 0;
		}
		n = ts_tree_cursor_current_node(&it->cur);
		if (ts_node_is_named(n) && strcmp(ts_node_type(n), "comment")) {
			*out = n;
			return 1;
		}
	}
}

void sc_children_release(struct sc_children *it)
{
	ts_tree_cursor_delete(&it->cur);
}

/* Look through parentheses: ((x)) -> x. */
static TSNode unparen(TSNode n)
{
	int i;

	for (i = 0; i < MAX_PARENS && sc_node_is(n, "parenthesized_expression");
	     i++) {
		TSNode c = sc_node_named_child(n, 0);
		unsigned k;

		/* skip a leading comment inside the parentheses */
		for (k = 1; sc_node_is(c, "comment") &&
			    k < ts_node_named_child_count(n); k++)
			c = sc_node_named_child(n, k);
		if (ts_node_is_null(c))
			break;
		n = c;
	}
	return n;
}

/* ---- parse ----------------------------------------------------------- */

struct sc_srcfile *sc_srcfile_new(const char *path, const char *data, size_t len)
{
	struct sc_srcfile *f = sc_xcalloc(1, sizeof(*f));

	f->path = sc_xstrdup(path ? path : "");
	f->data = sc_xmalloc(len + 1);
	if (len)
		memcpy(f->data, data, len);
	f->data[len] = '\0';
	f->len = len;
	return f;
}

/* Forget what an earlier parse of `file` recorded. */
static void reset_parse_facts(struct sc_srcfile *file)
{
	size_t i;

	for (i = 0; i < file->n_comments; i++)
		free(file->comments[i].text);
	free(file->comments);
	file->comments = NULL;
	file->n_comments = 0;
	free(file->error_msg);
	file->error_msg = NULL;
	file->syntax_error = 0;
	memset(&file->error_loc, 0, sizeof(file->error_loc));
}

/* Row and byte column of offset `off`. */
static struct sc_loc loc_of_offset(const struct sc_srcfile *f, size_t off)
{
	struct sc_loc l = { 0, 0, 0, 0 };
	size_t i, bol = 0;

	for (i = 0; i < off && i < f->len; i++) {
		if (f->data[i] == '\n') {
			l.row++;
			bol = i + 1;
		}
	}
	l.col = (unsigned)(off - bol);
	l.end_row = l.row;
	l.end_col = l.col + 1;
	return l;
}

/* Only whitespace between the start of the line and `off`? */
static int own_line(const struct sc_srcfile *f, size_t off)
{
	while (off > 0) {
		char c = f->data[off - 1];
		if (c == '\n')
			return 1;
		if (c != ' ' && c != '\t' && c != '\f' && c != '\r')
			return 0;
		off--;
	}
	return 1;
}

/* Quote a token for an error message: its first line, short, ASCII. */
static void add_token(struct sc_buf *b, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len && i < 24; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\r')
			break;
		sc_buf_addch(b, c >= 0x20 && c < 0x7f ? (char)c : '?');
	}
	if (i < len && i == 24)
		sc_buf_adds(b, "...");
}

/*
 * The first bracket inside an ERROR node that is never closed there, like
 * CPython's "'(' was never closed"; a null node when all are balanced.
 */
static TSNode unclosed_bracket(TSNode err)
{
	TSTreeCursor c = ts_tree_cursor_new(err);
	TSNode *stack = NULL, found;
	size_t n = 0, alloc = 0;

	memset(&found, 0, sizeof(found));
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);

		if (!ts_node_is_named(x) && !ts_node_is_missing(x)) {
			const char *t = ts_node_type(x);
			if (!strcmp(t, "(") || !strcmp(t, "[") || !strcmp(t, "{")) {
				SC_ALLOC_GROW(stack, n + 1, alloc);
				stack[n++] = x;
			} else if (n && ((!strcmp(t, ")") &&
					  sc_node_is(stack[n - 1], "(")) ||
					 (!strcmp(t, "]") &&
					  sc_node_is(stack[n - 1], "[")) ||
					 (!strcmp(t, "}") &&
					  sc_node_is(stack[n - 1], "{")))) {
				n--;
			}
		}
		if (!sc_cursor_next(&c, 1))
			break;
	}
	ts_tree_cursor_delete(&c);
	if (n)
		found = stack[0];
	free(stack);
	return found;
}

/* Record the first syntax error: an ERROR or a MISSING node. */
static void record_error(const struct sc_pyfile *pf, struct sc_srcfile *file,
			 TSNode n)
{
	struct sc_buf b = SC_BUF_INIT;
	TSNode br;

	file->syntax_error = 1;
	if (ts_node_is_missing(n)) {
		const char *type = ts_node_type(n);
		if (ts_node_is_named(n))
			sc_buf_addf(&b, "missing %s", type);
		else
			sc_buf_addf(&b, "missing '%s'", type);
		file->error_loc = sc_node_loc(n);
	} else if (!ts_node_is_null(br = unclosed_bracket(n))) {
		sc_buf_addf(&b, "'%s' was never closed", ts_node_type(br));
		file->error_loc = sc_node_loc(br);
	} else {
		TSNode leaf = n;
		size_t len;
		const char *t;

		/* the first token inside the ERROR node (a loop, not recursion) */
		while (ts_node_child_count(leaf) > 0)
			leaf = ts_node_child(leaf, 0);
		t = sc_node_text(pf, leaf, &len);
		file->error_loc = sc_node_loc(n);
		if (!len) {
			t = sc_node_text(pf, n, &len);
		} else {
			struct sc_loc ll = sc_node_loc(leaf);
			file->error_loc.end_row = ll.end_row;
			file->error_loc.end_col = ll.end_col;
		}
		if (!len) {
			sc_buf_adds(&b, ts_node_start_byte(n) >= file->len
				    ? "unexpected end of file"
				    : "invalid syntax");
		} else {
			sc_buf_adds(&b, "unexpected '");
			add_token(&b, t, len);
			sc_buf_addch(&b, '\'');
		}
	}
	file->error_msg = sc_buf_detach(&b);
}

/* One pass over every node: comments, and the first error in order. */
static void scan_tree(const struct sc_pyfile *pf, struct sc_srcfile *file)
{
	TSNode root = ts_tree_root_node(pf->tree);
	TSTreeCursor c = ts_tree_cursor_new(root);
	size_t alloc = 0;
	int want_error = ts_node_has_error(root);

	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&c);
		const char *type = ts_node_type(n);

		if (want_error && (ts_node_is_missing(n) ||
				   !strcmp(type, "ERROR"))) {
			record_error(pf, file, n);
			want_error = 0;
		} else if (!file->syntax_error && !strcmp(type, "block") &&
			   ts_node_child_count(n) == 0) {
			/* `def f():` at the end of the file: Python refuses it */
			file->syntax_error = 1;
			file->error_loc = sc_node_loc(n);
			file->error_msg = sc_xstrdup("expected an indented block");
			want_error = 0;
		}
		if (!strcmp(type, "comment")) {
			struct sc_comment *cm;
			TSPoint p = ts_node_start_point(n);

			SC_ALLOC_GROW(file->comments, file->n_comments + 1, alloc);
			cm = &file->comments[file->n_comments++];
			cm->row = p.row;
			cm->col = p.column;
			cm->own_line = own_line(file, ts_node_start_byte(n));
			cm->text = sc_node_strdup(pf, n);
		}
		if (!sc_cursor_next(&c, 1))
			break;
	}
	ts_tree_cursor_delete(&c);
	if (want_error) {
		/* has_error but no ERROR/MISSING node found: say so anyway */
		file->syntax_error = 1;
		file->error_loc = sc_node_loc(root);
		file->error_loc.end_row = file->error_loc.row;
		file->error_loc.end_col = file->error_loc.col;
		file->error_msg = sc_xstrdup("invalid syntax");
	}
}

/* ---- string literals ------------------------------------------------- */

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
	} else if (cp < 0x110000) {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		sc_buf_add(b, u, 4);
	} else {
		sc_buf_adds(b, "\xef\xbf\xbd");
	}
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the body of a (non-raw) string literal, Python's escapes. */
static void decode_escapes(struct sc_buf *b, const char *s, size_t n,
			   int bytes, int fmt)
{
	size_t i = 0;

	while (i < n) {
		char c = s[i];
		int k, v, digits;
		unsigned long cp;

		if (fmt && (c == '{' || c == '}') && i + 1 < n && s[i + 1] == c) {
			sc_buf_addch(b, c);
			i += 2;
			continue;
		}
		if (c != '\\' || i + 1 >= n) {
			sc_buf_addch(b, c);
			i++;
			continue;
		}
		c = s[i + 1];
		i += 2;
		switch (c) {
		case '\n': break;                        /* line continuation */
		case '\r':
			if (i < n && s[i] == '\n')
				i++;
			break;
		case '\\': sc_buf_addch(b, '\\'); break;
		case '\'': sc_buf_addch(b, '\''); break;
		case '"': sc_buf_addch(b, '"'); break;
		case 'a': sc_buf_addch(b, '\a'); break;
		case 'b': sc_buf_addch(b, '\b'); break;
		case 'f': sc_buf_addch(b, '\f'); break;
		case 'n': sc_buf_addch(b, '\n'); break;
		case 'r': sc_buf_addch(b, '\r'); break;
		case 't': sc_buf_addch(b, '\t'); break;
		case 'v': sc_buf_addch(b, '\v'); break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			v = c - '0';
			for (k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7';
			     k++)
				v = v * 8 + (s[i++] - '0');
			if (bytes)
				sc_buf_addch(b, (char)(v & 0xff));
			else
				add_utf8(b, (unsigned long)v);
			break;
		case 'x':
		case 'u':
		case 'U':
			digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			if (bytes && c != 'x')
				goto literal;
			cp = 0;
			for (k = 0; k < digits; k++) {
				if (i + (size_t)k >= n ||
				    hexval(s[i + (size_t)k]) < 0)
					goto literal;
				cp = cp * 16 + (unsigned long)hexval(s[i + (size_t)k]);
			}
			i += (size_t)digits;
			if (bytes)
				sc_buf_addch(b, (char)cp);
			else
				add_utf8(b, cp);
			break;
		default:
		literal:
			/* unknown escape (or \N{...}): kept as written */
			sc_buf_addch(b, '\\');
			sc_buf_addch(b, c);
			break;
		}
	}
}

/* Append the value of one `string` node; 0 when it has interpolations. */
static int add_string(const struct sc_pyfile *pf, TSNode n, struct sc_buf *b)
{
	TSNode start, end, c;
	TSTreeCursor cur;
	const char *t;
	size_t len, i, plen;
	uint32_t cs, ce;
	int raw = 0, bytes = 0, fmt = 0, interpolated = 0;

	if (ts_node_has_error(n) || ts_node_child_count(n) < 2)
		return 0;
	/* first, last and every child in one pass (ts_node_child(n, k) is
	 * linear in k: a loop over it is quadratic on a string with many
	 * escape sequences) */
	cur = ts_tree_cursor_new(n);
	ts_tree_cursor_goto_first_child(&cur);
	start = end = ts_tree_cursor_current_node(&cur);
	do {
		c = ts_tree_cursor_current_node(&cur);
		if (sc_node_is(c, "interpolation"))
			interpolated = 1;
		end = c;
	} while (!interpolated && ts_tree_cursor_goto_next_sibling(&cur));
	ts_tree_cursor_delete(&cur);
	if (interpolated || !sc_node_is(start, "string_start") ||
	    !sc_node_is(end, "string_end"))
		return 0;
	t = sc_node_text(pf, start, &len);
	for (plen = 0; plen < len && t[plen] != '\'' && t[plen] != '"'; plen++) {
		switch (t[plen]) {
		case 'r': case 'R': raw = 1; break;
		case 'b': case 'B': bytes = 1; break;
		case 'f': case 'F': fmt = 1; break;
		default: break;
		}
	}
	cs = ts_node_end_byte(start);
	ce = ts_node_start_byte(end);
	if (ce < cs || ce > pf->file->len)
		return 0;
	t = pf->file->data + cs;
	len = ce - cs;
	if (raw) {
		if (!fmt) {
			sc_buf_add(b, t, len);
		} else {
			for (i = 0; i < len; i++) {
				if ((t[i] == '{' || t[i] == '}') && i + 1 < len &&
				    t[i + 1] == t[i])
					i++;
				sc_buf_addch(b, t[i]);
			}
		}
	} else {
		decode_escapes(b, t, len, bytes, fmt);
	}
	return 1;
}

/* Value of a string/concatenated_string node (no constants). */
static int literal_string(const struct sc_pyfile *pf, TSNode n, char **out)
{
	struct sc_buf b = SC_BUF_INIT;
	int ok = 0;

	if (sc_node_is(n, "string")) {
		ok = add_string(pf, n, &b);
	} else if (sc_node_is(n, "concatenated_string")) {
		struct sc_children it;
		TSNode c;

		ok = 1;
		sc_children_init(&it, n);
		while (ok && sc_children_next(&it, &c))
			ok = sc_node_is(c, "string") && add_string(pf, c, &b);
		sc_children_release(&it);
	}
	if (ok)
		*out = sc_buf_detach(&b);
	else
		sc_buf_release(&b);
	return ok;
}

/* How deeply 'a' + ('b' + C) may nest. */
#define MAX_CONCAT_DEPTH 8

static int eval_string_depth(const struct sc_pyfile *pf, TSNode n, char **out,
			     int depth)
{
	n = unparen(n);
	if (sc_node_is(n, "identifier")) {
		size_t len;
		const char *t = sc_node_text(pf, n, &len);
		const char *v = sc_pyfile_const(pf, t, len);

		if (!v)
			return 0;
		*out = sc_xstrdup(v);
		return 1;
	}
	if (sc_node_is(n, "binary_operator") && depth < MAX_CONCAT_DEPTH &&
	    sc_node_is(sc_node_field(n, "operator"), "+")) {
		char *l = NULL, *r = NULL;

		if (!eval_string_depth(pf, sc_node_field(n, "left"),
				       &l, depth + 1))
			return 0;
		if (!eval_string_depth(pf, sc_node_field(n, "right"),
				       &r, depth + 1)) {
			free(l);
			return 0;
		}
		*out = sc_xasprintf("%s%s", l, r);
		free(l);
		free(r);
		return 1;
	}
	return literal_string(pf, n, out);
}

int sc_eval_string(const struct sc_pyfile *pf, TSNode n, char **out)
{
	return eval_string_depth(pf, n, out, 0);
}

int sc_eval_bool(const struct sc_pyfile *pf, TSNode n, int *out)
{
	(void)pf;
	n = unparen(n);
	if (sc_node_is(n, "true")) {
		*out = 1;
		return 1;
	}
	if (sc_node_is(n, "false")) {
		*out = 0;
		return 1;
	}
	return 0;
}

int sc_eval_int(const struct sc_pyfile *pf, TSNode n, long *out)
{
	char buf[64];
	const char *t;
	size_t len, i, j = 0;
	int neg = 0, base = 10;
	long v;
	char *end;

	n = unparen(n);
	while (sc_node_is(n, "unary_operator")) {
		TSNode op = sc_node_field(n, "operator");
		if (sc_node_is(op, "-"))
			neg = !neg;
		else if (!sc_node_is(op, "+"))
			return 0;
		n = unparen(sc_node_field(n, "argument"));
	}
	if (!sc_node_is(n, "integer"))
		return 0;
	t = sc_node_text(pf, n, &len);
	i = 0;
	if (len > 2 && t[0] == '0') {
		char p = (char)tolower((unsigned char)t[1]);
		base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 10;
		if (base != 10)
			i = 2;
	}
	for (; i < len; i++) {
		if (t[i] == '_')
			continue;
		if (j + 1 >= sizeof(buf))
			return 0;
		buf[j++] = t[i];
	}
	buf[j] = '\0';
	if (!j)
		return 0;
	errno = 0;
	v = strtol(buf, &end, base);
	if (errno || *end)
		return 0;       /* overflow, or 1j / 10L */
	*out = neg ? -v : v;
	return 1;
}

int sc_is_none(const struct sc_pyfile *pf, TSNode n)
{
	(void)pf;
	return sc_node_is(unparen(n), "none");
}

/* ---- module-level constants ----------------------------------------- */

/* A module-level assignment seen while building the table. */
struct raw_const {
	const char *name;       /* borrowed from the text */
	size_t len;
	char *value;            /* string value, or NULL */
	const char *alias;      /* NAME = OTHER: OTHER (borrowed) */
	size_t alias_len;
	int poisoned;           /* also assigned something else */
};

static int cmp_const(const void *a, const void *b)
{
	const struct sc_pyconst *x = a, *y = b;
	return strcmp(x->name, y->name);
}

static struct raw_const *find_raw(struct raw_const *r, size_t n,
				  const char *name, size_t len)
{
	size_t i;

	for (i = n; i-- > 0;)
		if (r[i].len == len && !memcmp(r[i].name, name, len))
			return &r[i];
	return NULL;
}

/* Record one `name = value` (value NULL and alias NULL: not a constant). */
static void note_assign(struct raw_const **r, size_t *n, size_t *alloc,
			const char *name, size_t len, char *value,
			const char *alias, size_t alias_len)
{
	struct raw_const *e = find_raw(*r, *n, name, len);

	if (e) {
		int same = value && e->value && !strcmp(value, e->value);
		if (!same)
			e->poisoned = 1;
		free(value);
		return;
	}
	SC_ALLOC_GROW(*r, *n + 1, *alloc);
	e = &(*r)[(*n)++];
	e->name = name;
	e->len = len;
	e->value = value;
	e->alias = alias;
	e->alias_len = alias_len;
	e->poisoned = !value && !alias;
}

/* Mark every identifier bound by an assignment target as not constant. */
static void poison_targets(const struct sc_pyfile *pf, TSNode left,
			   struct raw_const **r, size_t *n, size_t *alloc)
{
	TSTreeCursor c;

	if (sc_node_is(left, "identifier")) {
		size_t len;
		const char *t = sc_node_text(pf, left, &len);
		note_assign(r, n, alloc, t, len, NULL, NULL, 0);
		return;
	}
	if (!sc_node_is(left, "pattern_list") && !sc_node_is(left, "tuple_pattern")
	    && !sc_node_is(left, "list_pattern") && !sc_node_is(left, "tuple")
	    && !sc_node_is(left, "list"))
		return;
	/* a, (b, c) = ...: every identifier that is not an attribute part */
	c = ts_tree_cursor_new(left);
	for (;;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		int descend = 1;

		if (sc_node_is(x, "attribute") || sc_node_is(x, "subscript")) {
			descend = 0;
		} else if (sc_node_is(x, "identifier")) {
			size_t len;
			const char *t = sc_node_text(pf, x, &len);
			note_assign(r, n, alloc, t, len, NULL, NULL, 0);
		}
		if (!sc_cursor_next(&c, descend))
			break;
	}
	ts_tree_cursor_delete(&c);
}

/* One module-level statement: NAME = "x", NAME: str = "x", A = B = "x". */
static void scan_const_stmt(const struct sc_pyfile *pf, TSNode stmt,
			    struct raw_const **r, size_t *n, size_t *alloc)
{
	TSNode a, value;
	TSNode targets[16];
	size_t nt = 0, i;

	if (!sc_node_is(stmt, "expression_statement"))
		return;
	a = sc_node_named_child(stmt, 0);
	if (sc_node_is(a, "augmented_assignment")) {
		poison_targets(pf, sc_node_field(a, "left"),
			       r, n, alloc);
		return;
	}
	if (!sc_node_is(a, "assignment"))
		return;
	value = a;
	while (sc_node_is(value, "assignment")) {
		TSNode left = sc_node_field(value, "left");
		if (nt < SC_ARRAY_SIZE(targets))
			targets[nt++] = left;
		else
			poison_targets(pf, left, r, n, alloc);
		value = sc_node_field(value, "right");
	}
	value = unparen(value);
	for (i = 0; i < nt; i++) {
		size_t len;
		const char *t;
		char *s = NULL;

		if (!sc_node_is(targets[i], "identifier")) {
			poison_targets(pf, targets[i], r, n, alloc);
			continue;
		}
		t = sc_node_text(pf, targets[i], &len);
		if (ts_node_is_null(value)) {
			/* NAME: str (annotation only) binds nothing */
			continue;
		} else if (literal_string(pf, value, &s)) {
			note_assign(r, n, alloc, t, len, s, NULL, 0);
		} else if (sc_node_is(value, "identifier")) {
			size_t alen;
			const char *at = sc_node_text(pf, value, &alen);
			note_assign(r, n, alloc, t, len, NULL, at, alen);
		} else {
			note_assign(r, n, alloc, t, len, NULL, NULL, 0);
		}
	}
}

static void build_consts(struct sc_pyfile *pf)
{
	struct raw_const *r = NULL;
	size_t n = 0, alloc = 0, i, round, nc = 0;
	struct sc_children it;
	TSNode stmt;

	sc_children_init(&it, ts_tree_root_node(pf->tree));
	while (sc_children_next(&it, &stmt))
		scan_const_stmt(pf, stmt, &r, &n, &alloc);
	sc_children_release(&it);

	/* resolve NAME = OTHER chains a bounded number of times */
	for (round = 0; round < MAX_ALIAS_CHAIN; round++) {
		int progress = 0;
		for (i = 0; i < n; i++) {
			struct raw_const *t;
			if (r[i].value || !r[i].alias || r[i].poisoned)
				continue;
			t = find_raw(r, n, r[i].alias, r[i].alias_len);
			if (!t || t->poisoned) {
				r[i].poisoned = 1;
				continue;
			}
			if (t->value) {
				r[i].value = sc_xstrdup(t->value);
				progress = 1;
			}
		}
		if (!progress)
			break;
	}

	for (i = 0; i < n; i++)
		if (r[i].value && !r[i].poisoned)
			nc++;
	pf->consts = nc ? sc_xcalloc(nc, sizeof(*pf->consts)) : NULL;
	for (i = 0; i < n; i++) {
		if (r[i].value && !r[i].poisoned) {
			struct sc_pyconst *c = &pf->consts[pf->n_consts++];
			c->name = sc_xstrndup(r[i].name, r[i].len);
			c->value = r[i].value;
			r[i].value = NULL;
		}
		free(r[i].value);
	}
	free(r);
	if (pf->n_consts > 1)
		qsort(pf->consts, pf->n_consts, sizeof(*pf->consts), cmp_const);
}

const char *sc_pyfile_const(const struct sc_pyfile *pf, const char *name, size_t len)
{
	size_t lo = 0, hi = pf->n_consts;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *k = pf->consts[mid].name;
		int c = strncmp(name, k, len);

		if (!c && k[len])
			c = -1;    /* name is a proper prefix of k */
		if (!c)
			return pf->consts[mid].value;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The right side of the last module-level `name = ...`, or a null node. */
static TSNode module_value_of(const struct sc_pyfile *pf, const char *name,
			      size_t len)
{
	struct sc_children it;
	TSNode stmt, found;

	memset(&found, 0, sizeof(found));
	sc_children_init(&it, ts_tree_root_node(pf->tree));
	while (sc_children_next(&it, &stmt)) {
		TSNode a = sc_node_named_child(stmt, 0);
		TSNode left;
		size_t l;
		const char *t;

		if (!sc_node_is(stmt, "expression_statement") ||
		    !sc_node_is(a, "assignment"))
			continue;
		left = sc_node_field(a, "left");
		t = sc_node_text(pf, left, &l);
		if (sc_node_is(left, "identifier") && l == len &&
		    !memcmp(t, name, len))
			found = sc_node_field(a, "right");
	}
	sc_children_release(&it);
	return found;
}

int sc_eval_string_list(const struct sc_pyfile *pf, TSNode n, char ***out, size_t *n_out)
{
	char **v = NULL;
	size_t nv = 0, alloc = 0;
	char *s;
	int hops, ok = 1;

	for (hops = 0; hops < MAX_ALIAS_CHAIN; hops++) {
		size_t len;
		const char *t;

		n = unparen(n);
		if (!sc_node_is(n, "identifier") || !pf->tree)
			break;
		if (sc_eval_string(pf, n, &s)) {
			v = sc_xmalloc(sizeof(*v));
			v[0] = s;
			*out = v;
			*n_out = 1;
			return 1;
		}
		/* NAME = ('a', 'b') at module level */
		t = sc_node_text(pf, n, &len);
		n = module_value_of(pf, t, len);
	}
	if (ts_node_is_null(n))
		return 0;
	if (sc_is_none(pf, n)) {
		*out = NULL;
		*n_out = 0;
		return 1;
	}
	if (literal_string(pf, n, &s)) {
		v = sc_xmalloc(sizeof(*v));
		v[0] = s;
		*out = v;
		*n_out = 1;
		return 1;
	}
	if (sc_node_is(n, "tuple") || sc_node_is(n, "list")) {
		struct sc_children it;
		TSNode c;

		sc_children_init(&it, n);
		while (ok && sc_children_next(&it, &c)) {
			if (!sc_eval_string(pf, c, &s)) {
				ok = 0;
				break;
			}
			SC_ALLOC_GROW(v, nv + 1, alloc);
			v[nv++] = s;
		}
		sc_children_release(&it);
		if (ok) {
			*out = v;
			*n_out = nv;
			return 1;
		}
		while (nv)
			free(v[--nv]);
		free(v);
	}
	return 0;
}

/* ---- calls ----------------------------------------------------------- */

TSNode sc_call_function(TSNode call)
{
	return sc_node_field(call, "function");
}

static int is_positional(TSNode c)
{
	return !sc_node_is(c, "keyword_argument") &&
	       !sc_node_is(c, "list_splat") &&
	       !sc_node_is(c, "dictionary_splat") &&
	       !sc_node_is(c, "parenthesized_list_splat") &&
	       !sc_node_is(c, "ERROR");
}

TSNode sc_call_positional(TSNode call, unsigned index)
{
	TSNode args = sc_node_field(call, "arguments");
	TSNode c, found;
	struct sc_children it;
	unsigned i = 0;

	memset(&found, 0, sizeof(found));
	if (ts_node_is_null(args))
		return found;
	if (!sc_node_is(args, "argument_list"))
		return index == 0 ? args : found;   /* f(x for x in y) */
	sc_children_init(&it, args);
	while (sc_children_next(&it, &c)) {
		if (sc_node_is(c, "list_splat"))
			break;  /* positions past *args are unknown */
		if (!is_positional(c))
			continue;
		if (i++ == index) {
			found = c;
			break;
		}
	}
	sc_children_release(&it);
	return found;
}

unsigned sc_call_n_positional(TSNode call)
{
	TSNode args = sc_node_field(call, "arguments");
	TSNode c;
	struct sc_children it;
	unsigned i = 0;

	if (ts_node_is_null(args))
		return 0;
	if (!sc_node_is(args, "argument_list"))
		return 1;
	sc_children_init(&it, args);
	while (sc_children_next(&it, &c))
		if (is_positional(c))
			i++;
	sc_children_release(&it);
	return i;
}

TSNode sc_call_keyword(const struct sc_pyfile *pf, TSNode call, const char *name)
{
	TSNode args = sc_node_field(call, "arguments");
	TSNode c, found;
	struct sc_children it;

	memset(&found, 0, sizeof(found));
	if (!sc_node_is(args, "argument_list"))
		return found;
	sc_children_init(&it, args);
	while (sc_children_next(&it, &c)) {
		if (sc_node_is(c, "keyword_argument") &&
		    sc_node_text_is(pf, sc_node_field(c, "name"),
				    name))
			found = sc_node_field(c, "value");
	}
	sc_children_release(&it);
	return found;
}

int sc_call_has_splat(TSNode call)
{
	TSNode args = sc_node_field(call, "arguments");
	TSNode c;
	struct sc_children it;
	int found = 0;

	if (!sc_node_is(args, "argument_list"))
		return 0;
	sc_children_init(&it, args);
	while (!found && sc_children_next(&it, &c))
		found = sc_node_is(c, "list_splat") ||
			sc_node_is(c, "dictionary_splat") ||
			sc_node_is(c, "parenthesized_list_splat");
	sc_children_release(&it);
	return found;
}

const char *sc_node_last_name(const struct sc_pyfile *pf, TSNode n, size_t *len)
{
	if (sc_node_is(n, "call"))
		n = sc_call_function(n);
	if (sc_node_is(n, "attribute"))
		n = sc_node_field(n, "attribute");
	if (!sc_node_is(n, "identifier")) {
		*len = 0;
		return NULL;
	}
	return sc_node_text(pf, n, len);
}

int sc_node_last_name_is(const struct sc_pyfile *pf, TSNode n, const char *s)
{
	size_t len;
	const char *t = sc_node_last_name(pf, n, &len);

	return t && len == strlen(s) && !memcmp(t, s, len);
}

/* ---- columns --------------------------------------------------------- */

static const struct {
	const char *name;
	enum sc_type_family family;
} type_families[] = {
	{ "Integer", SC_TYPE_INTEGER }, { "SmallInteger", SC_TYPE_INTEGER },
	{ "BigInteger", SC_TYPE_INTEGER }, { "INTEGER", SC_TYPE_INTEGER },
	{ "INT", SC_TYPE_INTEGER }, { "BIGINT", SC_TYPE_INTEGER },
	{ "SMALLINT", SC_TYPE_INTEGER }, { "TINYINT", SC_TYPE_INTEGER },
	{ "MEDIUMINT", SC_TYPE_INTEGER },
	{ "Float", SC_TYPE_FLOAT }, { "REAL", SC_TYPE_FLOAT },
	{ "DOUBLE", SC_TYPE_FLOAT }, { "DOUBLE_PRECISION", SC_TYPE_FLOAT },
	{ "Double", SC_TYPE_FLOAT }, { "FLOAT", SC_TYPE_FLOAT },
	{ "Numeric", SC_TYPE_NUMERIC }, { "DECIMAL", SC_TYPE_NUMERIC },
	{ "NUMERIC", SC_TYPE_NUMERIC },
	{ "String", SC_TYPE_STRING }, { "VARCHAR", SC_TYPE_STRING },
	{ "CHAR", SC_TYPE_STRING }, { "NVARCHAR", SC_TYPE_STRING },
	{ "NCHAR", SC_TYPE_STRING }, { "Unicode", SC_TYPE_STRING },
	{ "Text", SC_TYPE_TEXT }, { "UnicodeText", SC_TYPE_TEXT },
	{ "TEXT", SC_TYPE_TEXT }, { "CLOB", SC_TYPE_TEXT },
	{ "MEDIUMTEXT", SC_TYPE_TEXT }, { "LONGTEXT", SC_TYPE_TEXT },
	{ "TINYTEXT", SC_TYPE_TEXT },
	{ "Boolean", SC_TYPE_BOOLEAN }, { "BOOLEAN", SC_TYPE_BOOLEAN },
	{ "Date", SC_TYPE_DATE }, { "DATE", SC_TYPE_DATE },
	{ "DateTime", SC_TYPE_DATETIME }, { "TIMESTAMP", SC_TYPE_DATETIME },
	{ "DATETIME", SC_TYPE_DATETIME },
	{ "Time", SC_TYPE_TIME }, { "TIME", SC_TYPE_TIME },
	{ "Interval", SC_TYPE_INTERVAL }, { "INTERVAL", SC_TYPE_INTERVAL },
	{ "LargeBinary", SC_TYPE_BINARY }, { "BLOB", SC_TYPE_BINARY },
	{ "BINARY", SC_TYPE_BINARY }, { "VARBINARY", SC_TYPE_BINARY },
	{ "BYTEA", SC_TYPE_BINARY }, { "LONGBLOB", SC_TYPE_BINARY },
	{ "MEDIUMBLOB", SC_TYPE_BINARY },
	{ "JSON", SC_TYPE_JSON }, { "JSONB", SC_TYPE_JSON },
	{ "Enum", SC_TYPE_ENUM }, { "ENUM", SC_TYPE_ENUM },
	{ "UUID", SC_TYPE_UUID }, { "Uuid", SC_TYPE_UUID },
	{ "ARRAY", SC_TYPE_ARRAY },
};

enum sc_type_family sc_type_family_from_name(const char *name, size_t len)
{
	size_t i;

	if (!name || !len)
		return SC_TYPE_UNKNOWN;
	for (i = 0; i < SC_ARRAY_SIZE(type_families); i++)
		if (strlen(type_families[i].name) == len &&
		    !memcmp(type_families[i].name, name, len))
			return type_families[i].family;
	return SC_TYPE_OTHER;
}

/* Positional arguments of Column() that are not its type. */
static const char *const not_types[] = {
	"ForeignKey", "Sequence", "Computed", "Identity", "CheckConstraint",
	"UniqueConstraint", "PrimaryKeyConstraint", "ForeignKeyConstraint",
	"Index", "DefaultClause", "FetchedValue", "Constraint",
	"ColumnDefault", "DDL", "text", "literal", "func",
};

static int is_type_expr(const struct sc_pyfile *pf, TSNode n)
{
	size_t len, i;
	const char *t;

	if (!sc_node_is(n, "identifier") && !sc_node_is(n, "attribute") &&
	    !sc_node_is(n, "call"))
		return 0;
	t = sc_node_last_name(pf, n, &len);
	if (!t)
		return sc_node_is(n, "call"); /* e.g. a chained call */
	for (i = 0; i < SC_ARRAY_SIZE(not_types); i++)
		if (strlen(not_types[i]) == len && !memcmp(not_types[i], t, len))
			return 0;
	return 1;
}

/* Fill the type fields of col from a type expression. */
static void set_column_type(const struct sc_pyfile *pf, TSNode type,
			    struct sc_column *col)
{
	TSNode base = type, len_node;
	const char *t;
	size_t len;
	long v;
	int i;

	col->type = sc_node_strdup(pf, type);
	/* sa.String(50).with_variant(...) is a String(50) */
	for (i = 0; i < 8 && sc_node_is(base, "call"); i++) {
		TSNode fn = sc_call_function(base);
		TSNode obj = sc_node_field(fn, "object");
		if (!sc_node_is(fn, "attribute") || !sc_node_is(obj, "call"))
			break;
		if (!sc_node_last_name_is(pf, fn, "with_variant") &&
		    !sc_node_last_name_is(pf, fn, "evaluates_none") &&
		    !sc_node_last_name_is(pf, fn, "as_generic"))
			break;
		base = obj;
	}
	t = sc_node_last_name(pf, base, &len);
	if (t) {
		col->type_name = sc_xstrndup(t, len);
		col->family = sc_type_family_from_name(t, len);
	} else {
		col->family = SC_TYPE_OTHER;
	}
	if (sc_node_is(base, "call")) {
		len_node = sc_call_positional(base, 0);
		if (sc_eval_int(pf, len_node, &v) ||
		    sc_eval_int(pf, sc_call_keyword(pf, base, "length"), &v))
			col->type_length = v;
	}
}

/* True when given as a keyword argument whose value is not None. */
static int kw_not_none(const struct sc_pyfile *pf, TSNode call, const char *kw)
{
	TSNode v = sc_call_keyword(pf, call, kw);
	return !ts_node_is_null(v) && !sc_is_none(pf, v);
}

static int kw_true(const struct sc_pyfile *pf, TSNode call, const char *kw)
{
	int b;
	return sc_eval_bool(pf, sc_call_keyword(pf, call, kw), &b) && b;
}

void sc_column_from_call(const struct sc_pyfile *pf, TSNode call,
			 struct sc_column *col, int *name_state)
{
	TSNode first = sc_call_positional(call, 0), kw, type, arg;
	unsigned i, n_pos = sc_call_n_positional(call), start = 0;
	int b, state = 0;

	col->type_length = -1;
	col->nullable = SC_UNKNOWN;
	col->family = SC_TYPE_UNKNOWN;
	col->loc = sc_node_loc(call);

	/* the name: Column('x', ...), Column(NAME_CONST, ...), name='x' */
	if (!ts_node_is_null(first)) {
		TSNode f = unparen(first);
		size_t len;
		const char *t = sc_node_text(pf, f, &len);

		if (sc_eval_string(pf, f, &col->name)) {
			state = 1;
			start = 1;
		} else if (sc_node_is(f, "string") ||
			   sc_node_is(f, "concatenated_string")) {
			state = 2;      /* an f-string */
			start = 1;
		} else if (sc_node_is(f, "identifier") && n_pos > 1 && len &&
			   islower((unsigned char)t[0])) {
			state = 2;      /* Column(name_var, Integer) */
			start = 1;
		}
	}
	kw = sc_call_keyword(pf, call, "name");
	if (!state && !ts_node_is_null(kw))
		state = sc_eval_string(pf, kw, &col->name) ? 1 : 2;

	memset(&type, 0, sizeof(type));
	for (i = start; i < n_pos; i++) {
		arg = unparen(sc_call_positional(call, i));
		if (sc_node_is(arg, "call") &&
		    sc_node_last_name_is(pf, arg, "ForeignKey"))
			col->has_foreign_key = 1;
		else if (ts_node_is_null(type) && is_type_expr(pf, arg))
			type = arg;
	}
	if (ts_node_is_null(type))
		type = sc_call_keyword(pf, call, "type_");
	if (!ts_node_is_null(type))
		set_column_type(pf, type, col);

	if (sc_eval_bool(pf, sc_call_keyword(pf, call, "nullable"), &b))
		col->nullable = b ? SC_YES : SC_NO;
	col->primary_key = kw_true(pf, call, "primary_key");
	col->unique = kw_true(pf, call, "unique");
	col->index = kw_true(pf, call, "index");
	col->has_server_default = kw_not_none(pf, call, "server_default");
	if (col->has_server_default) {
		size_t len;
		const char *t = sc_node_text(pf, sc_call_keyword(pf, call,
					     "server_default"), &len);
		col->server_default = sc_xstrndup(t, len);
	}
	col->has_default = kw_not_none(pf, call, "default");
	if (name_state)
		*name_state = state;
}

/* ---- name maps ------------------------------------------------------- */

static size_t name_hash(const char *s, size_t len)
{
	size_t h = 2166136261u, i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static struct sc_namemap_entry *namemap_slot(const struct sc_namemap *m,
					     const char *name, size_t len)
{
	size_t i = name_hash(name, len) & (m->cap - 1);

	for (;;) {
		struct sc_namemap_entry *e = &m->v[i];
		if (!e->name || (e->len == len && !memcmp(e->name, name, len)))
			return e;
		i = (i + 1) & (m->cap - 1);
	}
}

void sc_namemap_put(struct sc_namemap *m, const char *name, size_t len,
		    size_t value)
{
	struct sc_namemap_entry *e;

	if ((m->n + 1) * 2 > m->cap) {
		struct sc_namemap bigger = { NULL, 0, 0 };
		size_t i;

		bigger.cap = m->cap ? m->cap * 2 : 16;
		bigger.v = sc_xcalloc(bigger.cap, sizeof(*bigger.v));
		for (i = 0; i < m->cap; i++) {
			if (!m->v[i].name)
				continue;
			*namemap_slot(&bigger, m->v[i].name, m->v[i].len) =
				m->v[i];
			bigger.n++;
		}
		free(m->v);
		*m = bigger;
	}
	e = namemap_slot(m, name ? name : "", len);
	if (!e->name) {
		e->name = name ? name : "";
		e->len = len;
		m->n++;
	}
	e->value = value;
}

int sc_namemap_get(const struct sc_namemap *m, const char *name, size_t len,
		   size_t *value)
{
	const struct sc_namemap_entry *e;

	if (!m->cap)
		return 0;
	e = namemap_slot(m, name ? name : "", len);
	if (!e->name)
		return 0;
	*value = e->value;
	return 1;
}

void sc_namemap_release(struct sc_namemap *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}

/* ---- the file -------------------------------------------------------- */

int sc_pyfile_parse(struct sc_pyfile **out, struct sc_srcfile *file)
{
	struct sc_pyfile *pf = sc_xcalloc(1, sizeof(*pf));
	TSParser *parser;
	const char *nul;
	size_t guard_at = 0;
	int rc = 0;

	*out = NULL;
	reset_parse_facts(file);
	pf->file = file;
	if (file->len > SC_MAX_PARSE_SIZE) {
		file->syntax_error = 1;
		file->error_msg = sc_xstrdup("file is larger than 8 MiB");
		goto out;
	}
	nul = memchr(file->data, '\0', file->len);
	if (nul) {
		file->syntax_error = 1;
		file->error_loc = loc_of_offset(file, (size_t)(nul - file->data));
		file->error_msg = sc_xstrdup("file contains NUL bytes");
		goto out;
	}
	/* what Debian's tree-sitter would corrupt its heap on (tsguard.h) */
	if (sc_tsguard_python(file->data, file->len, &guard_at,
			      &file->error_msg) < 0) {
		file->syntax_error = 1;
		file->error_loc = loc_of_offset(file, guard_at);
		goto out;
	}
	parser = get_parser();
	if (!parser) {
		rc = -1;
		goto out;
	}
	pf->tree = ts_parser_parse_string(parser, NULL, file->data,
					  (uint32_t)file->len);
	if (!pf->tree) {
		rc = sc_error_set("%s: tree-sitter could not parse the file",
				  file->path);
		goto out;
	}
	scan_tree(pf, file);
	build_consts(pf);
out:
	if (rc < 0) {
		sc_pyfile_free(pf);
		pf = NULL;
	}
	*out = pf;
	return rc;
}

void sc_pyfile_free(struct sc_pyfile *pf)
{
	size_t i;

	if (!pf)
		return;
	if (pf->tree)
		ts_tree_delete(pf->tree);
	for (i = 0; i < pf->n_consts; i++) {
		free(pf->consts[i].name);
		free(pf->consts[i].value);
	}
	free(pf->consts);
	free(pf);
}
