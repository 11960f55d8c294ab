/*
 * check_pysrc.c: unit tests of src/pysrc.c: parsing, comments, syntax
 * errors, hostile inputs (NUL bytes, huge, deep nesting, odd encodings),
 * module constants, literal evaluation, call helpers and Column facts.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "pysrc.h"
#include "testutil.h"
#include "tsguard.h"
#include "util.h"

static struct sc_srcfile *sf;
static struct sc_pyfile *pf;

static void setup(void)
{
	sf = NULL;
	pf = NULL;
}

static void teardown(void)
{
	sc_pyfile_free(pf);
	sc_srcfile_free(sf);
	pf = NULL;
	sf = NULL;
	sc_pysrc_shutdown();
}

static void load_n(const char *src, size_t len)
{
	sf = sc_srcfile_new("t.py", src, len);
	ck_assert_int_eq(sc_pyfile_parse(&pf, sf), 0);
	ck_assert_ptr_nonnull(pf);
}

static void load(const char *src)
{
	load_n(src, strlen(src));
}

/* The right side of the module-level assignment to `name`. */
static TSNode value_of(const char *name)
{
	TSNode root = ts_tree_root_node(pf->tree), found;
	uint32_t i;

	memset(&found, 0, sizeof(found));
	for (i = 0; i < ts_node_named_child_count(root); i++) {
		TSNode s = ts_node_named_child(root, i);
		TSNode a = ts_node_named_child(s, 0);
		if (sc_node_is(a, "assignment") &&
		    sc_node_text_is(pf, ts_node_child_by_field_name(a, "left", 4),
				    name))
			found = ts_node_child_by_field_name(a, "right", 5);
	}
	ck_assert_msg(!ts_node_is_null(found), "no assignment to %s", name);
	return found;
}

static char *str_of(const char *name)
{
	char *s = NULL;
	if (!sc_eval_string(pf, value_of(name), &s))
		return NULL;
	return s;
}

static void assert_str(const char *name, const char *want)
{
	char *s = str_of(name);
	ck_assert_msg(s != NULL, "%s did not evaluate", name);
	ck_assert_str_eq(s, want);
	free(s);
}

static void assert_not_str(const char *name)
{
	char *s = str_of(name);
	ck_assert_msg(s == NULL, "%s evaluated to '%s'", name, s ? s : "");
}

START_TEST(test_parse_ok_and_comments)
{
	load("# top comment\n"
	     "x = 1  # trailing\n"
	     "def f():\n"
	     "    \t# indented own line\n"
	     "    return 2\n");
	ck_assert_ptr_nonnull(pf->tree);
	ck_assert_int_eq(sf->syntax_error, 0);
	ck_assert_ptr_null(sf->error_msg);
	ck_assert_uint_eq(sf->n_comments, 3);
	ck_assert_str_eq(sf->comments[0].text, "# top comment");
	ck_assert_int_eq(sf->comments[0].own_line, 1);
	ck_assert_uint_eq(sf->comments[1].row, 1);
	ck_assert_uint_eq(sf->comments[1].col, 7);
	ck_assert_int_eq(sf->comments[1].own_line, 0);
	ck_assert_str_eq(sf->comments[1].text, "# trailing");
	ck_assert_uint_eq(sf->comments[2].row, 3);
	ck_assert_int_eq(sf->comments[2].own_line, 1);
}
END_TEST

START_TEST(test_reparse_resets_facts)
{
	struct sc_pyfile *pf2 = NULL;

	load("x = (  # c\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_uint_eq(sf->n_comments, 1);
	/* parsing the same file again neither duplicates nor leaks */
	ck_assert_int_eq(sc_pyfile_parse(&pf2, sf), 0);
	ck_assert_uint_eq(sf->n_comments, 1);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_ptr_nonnull(sf->error_msg);
	sc_pyfile_free(pf2);
}
END_TEST

START_TEST(test_syntax_error_unclosed)
{
	load("def upgrade():\n"
	     "    op.add_column('users', sa.Column('email', sa.String(100))\n"
	     "\n"
	     "def downgrade():\n"
	     "    op.drop_column('users', 'email')\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_str_eq(sf->error_msg, "'(' was never closed");
	ck_assert_uint_eq(sf->error_loc.row, 1);
	ck_assert_uint_eq(sf->error_loc.col, 17);
}
END_TEST

START_TEST(test_syntax_error_missing)
{
	load("x = 1\ndef f(:\n    pass\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_str_eq(sf->error_msg, "missing ')'");
	ck_assert_uint_eq(sf->error_loc.row, 1);
	ck_assert_uint_eq(sf->error_loc.col, 6);
}
END_TEST

START_TEST(test_syntax_error_unexpected)
{
	load("ok = 1\nx = = 1\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_str_eq(sf->error_msg, "unexpected '='");
	ck_assert_uint_eq(sf->error_loc.row, 1);
	ck_assert_uint_eq(sf->error_loc.col, 4);
}
END_TEST

START_TEST(test_syntax_error_empty_block)
{
	load("x = 1\ndef downgrade():\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_str_eq(sf->error_msg, "expected an indented block");
	ck_assert_uint_eq(sf->error_loc.row, 1);
}
END_TEST

START_TEST(test_nul_bytes)
{
	static const char src[] = "x = 1\nab\0cd\n";

	load_n(src, sizeof(src) - 1);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_str_eq(sf->error_msg, "file contains NUL bytes");
	ck_assert_uint_eq(sf->error_loc.row, 1);
	ck_assert_uint_eq(sf->error_loc.col, 2);
	ck_assert_ptr_null(pf->tree);
	ck_assert_uint_eq(pf->n_consts, 0);
}
END_TEST

START_TEST(test_too_big)
{
	size_t n = SC_MAX_PARSE_SIZE + 1;
	char *big = sc_xmalloc(n);

	memset(big, '\n', n);
	memcpy(big, "X = 'a'\n", 8);
	load_n(big, n);
	free(big);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_str_eq(sf->error_msg, "file is larger than 8 MiB");
	ck_assert_ptr_null(pf->tree);
	ck_assert_ptr_null(sc_pyfile_const(pf, "X", 1));
}
END_TEST

START_TEST(test_odd_bytes)
{
	/* a BOM, CRLF line ends, tabs, invalid UTF-8 inside a string */
	static const char src[] = "\xef\xbb\xbfNAME = 'a\xff\xfe'\r\n"
				  "def f():\r\n\treturn NAME\r\n";

	load_n(src, sizeof(src) - 1);
	ck_assert_int_eq(sf->syntax_error, 0);
	ck_assert_str_eq(sc_pyfile_const(pf, "NAME", 4), "a\xff\xfe");
}
END_TEST

START_TEST(test_deep_nesting)
{
	size_t depth = 20000, i, n = 0;
	char *src = sc_xmalloc(depth * 2 + 64);
	char *s = NULL;

	n += (size_t)sprintf(src, "X = ");
	for (i = 0; i < depth; i++)
		src[n++] = '(';
	src[n++] = '"';
	src[n++] = 'v';
	src[n++] = '"';
	for (i = 0; i < depth; i++)
		src[n++] = ')';
	src[n++] = '\n';
	load_n(src, n);
	free(src);
	ck_assert_int_eq(sf->syntax_error, 0);
	/* evaluation stops looking through parentheses: no value, no crash */
	ck_assert_int_eq(sc_eval_string(pf, value_of("X"), &s), 0);
	ck_assert_ptr_null(s);
}
END_TEST

START_TEST(test_deep_error)
{
	size_t depth = 20000, i, n = 0;
	char *src = sc_xmalloc(depth * 3 + 64);

	n += (size_t)sprintf(src, "x = ");
	for (i = 0; i < depth; i++) {
		src[n++] = '[';
		src[n++] = '(';
	}
	src[n++] = '\n';
	load_n(src, n);
	free(src);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_ptr_nonnull(sf->error_msg);
}
END_TEST

/*
 * Debian's tree-sitter 0.20.7 corrupts its heap on a node of more than
 * 65,535 children (tsguard.h): such texts get SC001 without a parse.
 */
START_TEST(test_guard_unclosed_brackets)
{
	size_t len;
	char *src = tu_repeat("revision = '1'\nx = ", "(", 65533, "\n", &len);

	load_n(src, len);
	free(src);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_ptr_null(pf->tree);
	ck_assert_msg(strstr(sf->error_msg, "'(' was never closed") != NULL,
		      "%s", sf->error_msg);
	/* at the outermost bracket left open */
	ck_assert_int_eq(sf->error_loc.row, 1);
	ck_assert_int_eq(sf->error_loc.col, 4);
}
END_TEST

START_TEST(test_guard_comment_run)
{
	size_t len;
	char *src = tu_repeat("", "# c\n", 65534, "x = 1\n", &len);

	load_n(src, len);
	free(src);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_ptr_null(pf->tree);
	ck_assert_msg(strstr(sf->error_msg, "too many comments") != NULL,
		      "%s", sf->error_msg);
}
END_TEST

/* What the guard refuses and what it lets through, without a parse. */
START_TEST(test_guard_estimate)
{
	static const struct {
		const char *prefix, *unit, *suffix;
		size_t n;
		int refused;
	} cases[] = {
		/* open: each stays on the parse stack */
		{ "x = ", "-", "", 70000, 1 },
		{ "x = ", "not ", "", 70000, 1 },
		{ "x = ", "lambda: ", "", 40000, 1 },
		{ "x = ", "a if b else ", "", 20000, 1 },
		{ "", "a = ", "", 40000, 1 },
		{ "x = ", "f'{x!r:", "", 15000, 1 },
		{ "x = ", "(a, b, ", "", 20000, 1 },
		{ "x = ", "... ", "", 25000, 1 },
		{ "# c\r", "(", "", 70000, 1 },
		{ "x = (", "# c\n", "a, b)", 70000, 1 },
		{ "", "try:\n", "", 40000, 1 },
		{ "x = '", "\\'", "", 40000, 1 },
		{ "x = f'", "{{", "", 40000, 1 },
		/* folded as the grammar reduces them */
		{ "x = [", "1, ", "]", 200000, 0 },
		{ "x = [", "1,  # c\n", "]", 100000, 0 },
		{ "x = ", "a + ", "1", 200000, 0 },
		{ "x = ", "'s' ", "", 200000, 0 },
		{ "x = a", ".b", "", 200000, 0 },
		{ "x = f", "(x)", "", 200000, 0 },
		{ "", "x = 1  # c\n", "", 100000, 0 },
		{ "", "x = 1; ", "", 100000, 0 },
		{ "X = {", "'k': -1, ", "}", 100000, 0 },
		{ "x = '", "\\'", "'\n", 200000, 0 },
		{ "", "try:\n    pass\nexcept E:\n    pass\n", "", 50000, 0 },
		/* 10,000 deep is parsed (the hostile test's nesting) */
		{ "x = ", "'a' if x else (", "", 10000, 0 },
		{ "x = ", "{'a': ", "", 10000, 0 },
	};
	size_t k, len, off;
	char *src, *msg;

	for (k = 0; k < SC_ARRAY_SIZE(cases); k++) {
		int rc;

		src = tu_repeat(cases[k].prefix, cases[k].unit, cases[k].n,
			     cases[k].suffix, &len);
		msg = NULL;
		rc = sc_tsguard_python(src, len, &off, &msg);
		ck_assert_msg((rc < 0) == cases[k].refused,
			      "case %zu ('%s' x %zu): %s", k, cases[k].unit,
			      cases[k].n, msg ? msg : "let through");
		ck_assert_int_eq(msg != NULL, cases[k].refused);
		free(msg);
		free(src);
	}
}
END_TEST

/* A string with many escape sequences: its value in linear time. */
START_TEST(test_string_many_children)
{
	size_t len;
	char *src = tu_repeat("X = '", "\\n", 200000, "'\n", &len);
	char *v = NULL;

	load_n(src, len);
	free(src);
	ck_assert_int_eq(sf->syntax_error, 0);
	ck_assert_int_eq(sc_eval_string(pf, value_of("X"), &v), 1);
	ck_assert_uint_eq(strlen(v), 200000);
	free(v);
}
END_TEST

START_TEST(test_null_node_helpers)
{
	TSNode none;

	memset(&none, 0, sizeof(none));
	ck_assert(ts_node_is_null(sc_node_field(none, "value")));
	ck_assert(ts_node_is_null(sc_node_named_child(none, 0)));
	ck_assert(ts_node_is_null(sc_call_function(none)));
	load("f(x)\n");
	ck_assert(!ts_node_is_null(sc_node_named_child(
		ts_tree_root_node(pf->tree), 0)));
}
END_TEST

START_TEST(test_constants)
{
	load("A = 'users'\n"
	     "B: str = \"posts\"\n"
	     "C = A\n"
	     "D = C\n"
	     "E = F = 'both'\n"
	     "G = 'one'\n"
	     "G = 'two'\n"
	     "H = 'same'\n"
	     "H = 'same'\n"
	     "I = compute()\n"
	     "J = UNDEFINED\n"
	     "K = 'k'\n"
	     "K += 'x'\n"
	     "L, M = 'a', 'b'\n"
	     "N: str\n"
	     "O = ('par' 'en')\n"
	     "if x:\n"
	     "    P = 'nested'\n"
	     "def f():\n"
	     "    Q = 'local'\n");
	ck_assert_str_eq(sc_pyfile_const(pf, "A", 1), "users");
	ck_assert_str_eq(sc_pyfile_const(pf, "B", 1), "posts");
	ck_assert_str_eq(sc_pyfile_const(pf, "C", 1), "users");
	ck_assert_str_eq(sc_pyfile_const(pf, "D", 1), "users");
	ck_assert_str_eq(sc_pyfile_const(pf, "E", 1), "both");
	ck_assert_str_eq(sc_pyfile_const(pf, "F", 1), "both");
	ck_assert_str_eq(sc_pyfile_const(pf, "H", 1), "same");
	ck_assert_str_eq(sc_pyfile_const(pf, "O", 1), "paren");
	/* not constants: reassigned, computed, unresolved, augmented, ... */
	ck_assert_ptr_null(sc_pyfile_const(pf, "G", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "I", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "J", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "K", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "L", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "N", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "P", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "Q", 1));
	/* lookups use the length, not a NUL */
	ck_assert_str_eq(sc_pyfile_const(pf, "AB", 1), "users");
	ck_assert_ptr_null(sc_pyfile_const(pf, "", 0));
}
END_TEST

START_TEST(test_alias_cycle)
{
	load("A = B\nB = A\nC = 'c'\n");
	ck_assert_ptr_null(sc_pyfile_const(pf, "A", 1));
	ck_assert_ptr_null(sc_pyfile_const(pf, "B", 1));
	ck_assert_str_eq(sc_pyfile_const(pf, "C", 1), "c");
}
END_TEST

START_TEST(test_eval_string)
{
	load("CONST = 'c'\n"
	     "s1 = 'plain'\n"
	     "s2 = \"a\\nb\\t\\\\\\'\\x41\\u00e9\\101\"\n"
	     "s3 = r'\\n\\d'\n"
	     "s4 = b'by\\x41'\n"
	     "s5 = 'a' \"b\" r'\\c'\n"
	     "s6 = f'no {{interp}}'\n"
	     "s7 = f'{x} interp'\n"
	     "s8 = 'x' f'{y}'\n"
	     "s9 = \"\"\"multi\nline\"\"\"\n"
	     "s10 = CONST\n"
	     "s11 = other_name\n"
	     "s12 = 1\n"
	     "s13 = u'uni' 'code'\n"
	     "s14 = 'cont\\\nline'\n"
	     "s15 = ('in' 'parens')\n"
	     "s16 = '\\N{DASH}\\q'\n"
	     "s17 = 'ix_' + CONST + ('_' + 'x')\n"
	     "s18 = 'ix_' + other_name\n"
	     "s19 = 'a' * 2\n");
	assert_str("s1", "plain");
	assert_str("s2", "a\nb\t\\'A\xc3\xa9" "A");
	assert_str("s3", "\\n\\d");
	assert_str("s4", "byA");
	assert_str("s5", "ab\\c");
	assert_str("s6", "no {interp}");
	assert_not_str("s7");
	assert_not_str("s8");
	assert_str("s9", "multi\nline");
	assert_str("s10", "c");
	assert_not_str("s11");
	assert_not_str("s12");
	assert_str("s13", "unicode");
	assert_str("s14", "contline");
	assert_str("s15", "inparens");
	assert_str("s16", "\\N{DASH}\\q");
	assert_str("s17", "ix_c_x");
	assert_not_str("s18");
	assert_not_str("s19");
}
END_TEST

START_TEST(test_eval_scalars)
{
	long v;
	int b;

	load("i1 = 42\ni2 = -0x1F\ni3 = 1_000\ni4 = 0o17\ni5 = 0b101\n"
	     "i6 = 99999999999999999999999\ni7 = 1.5\ni8 = 3j\ni9 = (7)\n"
	     "b1 = True\nb2 = False\nb3 = 'True'\nn1 = None\nn2 = 'None'\n");
	ck_assert(sc_eval_int(pf, value_of("i1"), &v) && v == 42);
	ck_assert(sc_eval_int(pf, value_of("i2"), &v) && v == -31);
	ck_assert(sc_eval_int(pf, value_of("i3"), &v) && v == 1000);
	ck_assert(sc_eval_int(pf, value_of("i4"), &v) && v == 15);
	ck_assert(sc_eval_int(pf, value_of("i5"), &v) && v == 5);
	ck_assert(sc_eval_int(pf, value_of("i9"), &v) && v == 7);
	ck_assert(!sc_eval_int(pf, value_of("i6"), &v));
	ck_assert(!sc_eval_int(pf, value_of("i7"), &v));
	ck_assert(!sc_eval_int(pf, value_of("i8"), &v));
	ck_assert(sc_eval_bool(pf, value_of("b1"), &b) && b == 1);
	ck_assert(sc_eval_bool(pf, value_of("b2"), &b) && b == 0);
	ck_assert(!sc_eval_bool(pf, value_of("b3"), &b));
	ck_assert(sc_is_none(pf, value_of("n1")));
	ck_assert(!sc_is_none(pf, value_of("n2")));
}
END_TEST

START_TEST(test_eval_string_list)
{
	char **v = NULL;
	size_t n = 99, i;

	load("R = 'r1'\n"
	     "T = ('t1', 't2')\n"
	     "l1 = ('a', \"b\", R)\n"
	     "l2 = None\n"
	     "l3 = 'single'\n"
	     "l4 = ['x', y]\n"
	     "l5 = T\n"
	     "l6 = 5\n"
	     "l7 = []\n");
	ck_assert(sc_eval_string_list(pf, value_of("l1"), &v, &n));
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(v[0], "a");
	ck_assert_str_eq(v[1], "b");
	ck_assert_str_eq(v[2], "r1");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);

	ck_assert(sc_eval_string_list(pf, value_of("l2"), &v, &n));
	ck_assert_uint_eq(n, 0);

	ck_assert(sc_eval_string_list(pf, value_of("l3"), &v, &n));
	ck_assert_uint_eq(n, 1);
	ck_assert_str_eq(v[0], "single");
	free(v[0]);
	free(v);

	n = 99;
	ck_assert(!sc_eval_string_list(pf, value_of("l4"), &v, &n));
	ck_assert(!sc_eval_string_list(pf, value_of("l6"), &v, &n));
	ck_assert_uint_eq(n, 99);

	ck_assert(sc_eval_string_list(pf, value_of("l5"), &v, &n));
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(v[1], "t2");
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);

	ck_assert(sc_eval_string_list(pf, value_of("l7"), &v, &n));
	ck_assert_uint_eq(n, 0);
	free(v);
}
END_TEST

START_TEST(test_call_helpers)
{
	TSNode call, a;
	size_t len;
	const char *t;

	load("c = f('a', k=1, *rest)\n"
	     "d = g(  # comment\n  'x', 'y', name='n', other=2)\n"
	     "e = h(x for x in y)\n"
	     "g2 = sa.types.String(100)\n");
	call = value_of("d");
	ck_assert_uint_eq(sc_call_n_positional(call), 2);
	ck_assert(sc_node_text_is(pf, sc_call_positional(call, 0), "'x'"));
	ck_assert(sc_node_text_is(pf, sc_call_positional(call, 1), "'y'"));
	ck_assert(ts_node_is_null(sc_call_positional(call, 2)));
	ck_assert(sc_node_text_is(pf, sc_call_keyword(pf, call, "name"), "'n'"));
	ck_assert(ts_node_is_null(sc_call_keyword(pf, call, "nam")));
	ck_assert(sc_node_text_is(pf, sc_call_function(call), "g"));
	ck_assert(!sc_call_has_splat(call));

	call = value_of("c");
	ck_assert(sc_call_has_splat(call));
	ck_assert(ts_node_is_null(sc_call_positional(call, 1)));
	a = sc_call_keyword(pf, call, "k");
	ck_assert(sc_node_is(a, "integer"));

	call = value_of("e");
	ck_assert(sc_node_is(sc_call_positional(call, 0), "generator_expression"));

	t = sc_node_last_name(pf, value_of("g2"), &len);
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq((int)len, 6);
	ck_assert(!memcmp(t, "String", 6));
	ck_assert(sc_node_last_name_is(pf, value_of("g2"), "String"));
	ck_assert(!sc_node_last_name_is(pf, value_of("g2"), "types"));
	ck_assert(sc_node_last_name_is(pf, value_of("d"), "g"));
	ck_assert_ptr_null(sc_node_last_name(pf, sc_call_positional(call, 0),
					     &len));
}
END_TEST

START_TEST(test_type_family)
{
	ck_assert_int_eq(sc_type_family_from_name("BigInteger", 10), SC_TYPE_INTEGER);
	ck_assert_int_eq(sc_type_family_from_name("VARCHAR", 7), SC_TYPE_STRING);
	ck_assert_int_eq(sc_type_family_from_name("UnicodeText", 11), SC_TYPE_TEXT);
	ck_assert_int_eq(sc_type_family_from_name("TIMESTAMP", 9), SC_TYPE_DATETIME);
	ck_assert_int_eq(sc_type_family_from_name("BYTEA", 5), SC_TYPE_BINARY);
	ck_assert_int_eq(sc_type_family_from_name("JSONB", 5), SC_TYPE_JSON);
	ck_assert_int_eq(sc_type_family_from_name("Uuid", 4), SC_TYPE_UUID);
	ck_assert_int_eq(sc_type_family_from_name("Geometry", 8), SC_TYPE_OTHER);
	/* lengths matter: "Integer" is not "Int" */
	ck_assert_int_eq(sc_type_family_from_name("Integer", 3), SC_TYPE_OTHER);
	ck_assert_int_eq(sc_type_family_from_name(NULL, 0), SC_TYPE_UNKNOWN);
}
END_TEST

START_TEST(test_column_from_call)
{
	struct sc_column c;
	int state = -1;

	load("NAME = 'const_col'\n"
	     "c1 = sa.Column('email', sa.String(length=120), sa.ForeignKey('u.id'),"
	     " nullable=False, unique=True, index=True, server_default=sa.text(\"''\"),"
	     " default=None)\n"
	     "c2 = Column(Integer, primary_key=True, default=1, server_default=None)\n"
	     "c3 = Column(NAME, sa.Numeric(10, 2), nullable=flag)\n"
	     "c4 = Column(name_var, String)\n"
	     "c5 = mapped_column(sa.Integer().with_variant(sa.BigInteger(), 'pg'))\n"
	     "c6 = Column(f'x_{y}', Text)\n"
	     "c7 = Column('z', sa.Sequence('s'), sa.Integer)\n"
	     "c8 = Column(type_=postgresql.JSONB)\n");

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c1"), &c, &state);
	ck_assert_int_eq(state, 1);
	ck_assert_str_eq(c.name, "email");
	ck_assert_str_eq(c.type, "sa.String(length=120)");
	ck_assert_str_eq(c.type_name, "String");
	ck_assert_int_eq(c.family, SC_TYPE_STRING);
	ck_assert_int_eq(c.type_length, 120);
	ck_assert_int_eq(c.nullable, SC_NO);
	ck_assert(c.unique && c.index && c.has_server_default && c.has_foreign_key);
	ck_assert(!c.has_default && !c.primary_key);
	ck_assert_uint_eq(c.loc.row, 1);
	ck_assert_uint_eq(c.loc.col, 5);
	ck_assert_int_eq(sc_column_is_nullable(&c), 0);
	sc_column_release(&c);

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c2"), &c, &state);
	ck_assert_int_eq(state, 0);
	ck_assert_ptr_null(c.name);
	ck_assert_str_eq(c.type_name, "Integer");
	ck_assert_int_eq(c.type_length, -1);
	ck_assert(c.primary_key && c.has_default && !c.has_server_default);
	ck_assert_int_eq(c.nullable, SC_UNKNOWN);
	ck_assert_int_eq(sc_column_is_nullable(&c), 0);    /* a primary key */
	sc_column_release(&c);

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c3"), &c, &state);
	ck_assert_int_eq(state, 1);
	ck_assert_str_eq(c.name, "const_col");
	ck_assert_int_eq(c.family, SC_TYPE_NUMERIC);
	ck_assert_int_eq(c.type_length, 10);
	ck_assert_int_eq(c.nullable, SC_UNKNOWN);
	ck_assert_int_eq(sc_column_is_nullable(&c), 1);
	sc_column_release(&c);

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c4"), &c, &state);
	ck_assert_int_eq(state, 2);
	ck_assert_ptr_null(c.name);
	ck_assert_str_eq(c.type_name, "String");
	sc_column_release(&c);

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c5"), &c, &state);
	ck_assert_str_eq(c.type_name, "Integer");
	ck_assert_int_eq(c.family, SC_TYPE_INTEGER);
	sc_column_release(&c);

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c6"), &c, &state);
	ck_assert_int_eq(state, 2);
	ck_assert_ptr_null(c.name);
	ck_assert_int_eq(c.family, SC_TYPE_TEXT);
	sc_column_release(&c);

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c7"), &c, &state);
	ck_assert_str_eq(c.type_name, "Integer");     /* not the Sequence */
	sc_column_release(&c);

	memset(&c, 0, sizeof(c));
	sc_column_from_call(pf, value_of("c8"), &c, &state);
	ck_assert_int_eq(c.family, SC_TYPE_JSON);
	sc_column_release(&c);
}
END_TEST

START_TEST(test_node_helpers)
{
	TSNode v;
	struct sc_loc l;
	char *s;

	load("x = 'abc'\n");
	v = value_of("x");
	ck_assert(sc_node_is(v, "string"));
	ck_assert(!sc_node_is(v, "identifier"));
	ck_assert(sc_node_text_is(pf, v, "'abc'"));
	ck_assert(!sc_node_text_is(pf, v, "'ab'"));
	s = sc_node_strdup(pf, v);
	ck_assert_str_eq(s, "'abc'");
	free(s);
	l = sc_node_loc(v);
	ck_assert_uint_eq(l.row, 0);
	ck_assert_uint_eq(l.col, 4);
	ck_assert_uint_eq(l.end_col, 9);
}
END_TEST

START_TEST(test_namemap)
{
	struct sc_namemap m = SC_NAMEMAP_INIT;
	char names[2000][8];
	size_t i, v = 0;

	ck_assert(!sc_namemap_get(&m, "x", 1, &v));
	for (i = 0; i < 2000; i++) {
		snprintf(names[i], sizeof(names[i]), "n%zu", i);
		sc_namemap_put(&m, names[i], strlen(names[i]), i);
	}
	ck_assert_uint_eq(m.n, 2000);
	for (i = 0; i < 2000; i++) {
		ck_assert(sc_namemap_get(&m, names[i], strlen(names[i]), &v));
		ck_assert_uint_eq(v, i);
	}
	/* lengths count: "n1" is not "n10"; a later put replaces */
	ck_assert(sc_namemap_get(&m, "n10", 2, &v));
	ck_assert_uint_eq(v, 1);
	ck_assert(!sc_namemap_get(&m, "n2000", 5, &v));
	sc_namemap_put(&m, "n5", 2, 77);
	ck_assert(sc_namemap_get(&m, "n5", 2, &v));
	ck_assert_uint_eq(v, 77);
	ck_assert_uint_eq(m.n, 2000);
	sc_namemap_release(&m);
	ck_assert(!sc_namemap_get(&m, "n5", 2, &v));
}
END_TEST

int main(void)
{
	Suite *s = suite_create("pysrc");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_parse_ok_and_comments);
	tcase_add_test(tc, test_reparse_resets_facts);
	tcase_add_test(tc, test_syntax_error_unclosed);
	tcase_add_test(tc, test_syntax_error_missing);
	tcase_add_test(tc, test_syntax_error_unexpected);
	tcase_add_test(tc, test_syntax_error_empty_block);
	tcase_add_test(tc, test_nul_bytes);
	tcase_add_test(tc, test_too_big);
	tcase_add_test(tc, test_odd_bytes);
	tcase_add_test(tc, test_deep_nesting);
	tcase_add_test(tc, test_deep_error);
	tcase_add_test(tc, test_guard_unclosed_brackets);
	tcase_add_test(tc, test_guard_comment_run);
	tcase_add_test(tc, test_guard_estimate);
	tcase_add_test(tc, test_string_many_children);
	tcase_add_test(tc, test_null_node_helpers);
	tcase_add_test(tc, test_constants);
	tcase_add_test(tc, test_alias_cycle);
	tcase_add_test(tc, test_eval_string);
	tcase_add_test(tc, test_eval_scalars);
	tcase_add_test(tc, test_eval_string_list);
	tcase_add_test(tc, test_call_helpers);
	tcase_add_test(tc, test_type_family);
	tcase_add_test(tc, test_column_from_call);
	tcase_add_test(tc, test_node_helpers);
	tcase_add_test(tc, test_namemap);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
