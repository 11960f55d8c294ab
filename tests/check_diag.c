/*
 * check_diag.c: the diagnostics list (src/diag.c): location conversion
 * (UTF-8, tabs, CRLF, spans), sorting and de-duplication, counting,
 * suppression comments and SC002, and the new-versus-before filter.
 * Source files are built in memory; rules come from the real registry.
 */
#include <time.h>

#include "testutil.h"

#include "diag.h"
#include "gitsrc.h"
#include "rule.h"

/* ---- helpers ---------------------------------------------------------- */

static const struct sc_rule *R(const char *code)
{
	const struct sc_rule *r = sc_rule_find(code);
	ck_assert_msg(r != NULL, "rule %s is not in the registry", code);
	return r;
}

static struct sc_loc L(unsigned row, unsigned col, unsigned end_row,
		       unsigned end_col)
{
	struct sc_loc l = { row, col, end_row, end_col };
	return l;
}

/*
 * A source file in memory. Comments are found by a naive scan (the first
 * `#` of a line; test inputs have none inside strings).
 */
static struct sc_srcfile *mkfile(const char *path, const char *data)
{
	struct sc_srcfile *f = sc_xcalloc(1, sizeof(*f));
	const char *line, *nl, *end, *h, *p;
	size_t alloc = 0;
	unsigned row = 0;

	f->path = sc_xstrdup(path);
	f->len = strlen(data);
	f->data = sc_xstrndup(data, f->len);
	for (line = f->data; *line; row++) {
		nl = strchr(line, '\n');
		end = nl ? nl : line + strlen(line);
		h = memchr(line, '#', (size_t)(end - line));
		if (h) {
			struct sc_comment *c;
			size_t n = (size_t)(end - h);

			SC_ALLOC_GROW(f->comments, f->n_comments + 1, alloc);
			c = &f->comments[f->n_comments++];
			c->row = row;
			c->col = (unsigned)(h - line);
			c->own_line = 1;
			for (p = line; p < h; p++)
				if (*p != ' ' && *p != '\t')
					c->own_line = 0;
			if (n && h[n - 1] == '\r')
				n--;
			c->text = sc_xstrndup(h, n);
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	return f;
}

static void freefile(struct sc_srcfile *f)
{
	size_t i;

	for (i = 0; i < f->n_comments; i++)
		free(f->comments[i].text);
	free(f->comments);
	free(f->path);
	free(f->data);
	free(f);
}

/* Add a diagnostic of `code` at a 0-based row (whole line 0..3 bytes). */
static struct sc_diag *add_at(struct sc_diags *ds, const char *code,
			      const struct sc_srcfile *f, unsigned row)
{
	struct sc_loc l = L(row, 4, row, 7);
	return sc_diags_add(ds, R(code), f, &l, "%s at %u", code, row + 1);
}

/* How many diagnostics of `code` are on 1-based `line` (0: any line)? */
static size_t count(const struct sc_diags *ds, const char *code, unsigned line)
{
	size_t i, n = 0;

	for (i = 0; i < ds->n; i++)
		if (!strcmp(ds->v[i].rule->code, code) &&
		    (!line || ds->v[i].line == line))
			n++;
	return n;
}

static const struct sc_diag *find_msg(const struct sc_diags *ds, const char *msg)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		if (!strcmp(ds->v[i].message, msg))
			return &ds->v[i];
	return NULL;
}

static size_t rule_index(const char *code)
{
	size_t i;

	for (i = 0; i < sc_n_rules; i++)
		if (sc_rules[i] == R(code))
			return i;
	ck_abort_msg("no index for %s", code);
	return 0;
}

/* Suppress with one file. */
static void suppress1(struct sc_diags *ds, struct sc_srcfile *f, int unused,
		      const unsigned char *enabled)
{
	struct sc_srcfile *files[1];

	files[0] = f;
	sc_diags_suppress(ds, files, 1, unused, enabled);
}

/* ---- adding and locations --------------------------------------------- */

START_TEST(test_add_columns_utf8_tabs)
{
	struct sc_srcfile *f = mkfile("m/v/1.py",
		"x = 1\n"
		"\tfoo(\xc3\xb1, bar)  # \xe2\x82\xac\n"
		"\xff\xfe" "ab\n"
		"emoji = '\xf0\x9f\x98\x80' + baz\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_diag *d;
	struct sc_loc l;

	/* "bar": tab (1) + "foo(" (4) + n-tilde (2 bytes, 1 char) + ", " */
	l = L(1, 9, 1, 12);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "m %d", 1);
	ck_assert_uint_eq(d->line, 2);
	ck_assert_uint_eq(d->col, 9);
	ck_assert_uint_eq(d->end_line, 2);
	ck_assert_uint_eq(d->end_col, 12);
	ck_assert_str_eq(d->source_line, "\tfoo(\xc3\xb1, bar)  # \xe2\x82\xac");
	ck_assert_str_eq(d->message, "m 1");
	ck_assert_str_eq(d->path, "m/v/1.py");
	ck_assert_int_eq(d->severity, R("SC201")->severity);
	ck_assert_ptr_null(d->help);
	ck_assert_ptr_null(d->table);

	/* invalid bytes count one each */
	l = L(2, 3, 2, 4);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "m");
	ck_assert_uint_eq(d->col, 4);
	ck_assert_uint_eq(d->end_col, 5);

	/* a 4-byte character is one column */
	l = L(3, 17, 3, 20);
	d = sc_diags_add(&ds, R("SC203"), f, &l, "m");
	ck_assert_uint_eq(d->col, 15);
	ck_assert_uint_eq(d->end_col, 18);
	ck_assert_int_eq(d->severity, R("SC203")->severity);

	/* the end column may be the line's end (exclusive) */
	l = L(0, 0, 0, 5);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "m");
	ck_assert_uint_eq(d->col, 1);
	ck_assert_uint_eq(d->end_col, 6);
	ck_assert_uint_eq(ds.n, 4);

	sc_diags_release(&ds);
	ck_assert_uint_eq(ds.n, 0);
	ck_assert_ptr_null(ds.v);
	freefile(f);
}
END_TEST

START_TEST(test_add_spans_and_edges)
{
	struct sc_srcfile *f = mkfile("a.py",
		"def upgrade():\r\n"
		"    op.add_column(\r\n"
		"        't', c)\r\n"
		"last");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_diag *d;
	struct sc_loc l;

	/* multi-line: the end keeps its own line and column; CR stripped */
	l = L(1, 4, 2, 15);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "span");
	ck_assert_uint_eq(d->line, 2);
	ck_assert_uint_eq(d->col, 5);
	ck_assert_uint_eq(d->end_line, 3);
	ck_assert_uint_eq(d->end_col, 16);
	ck_assert_str_eq(d->source_line, "    op.add_column(");

	/* no location: 1:1..1:1, with line 1's text */
	d = sc_diags_add(&ds, R("SC101"), f, NULL, "noloc");
	ck_assert_uint_eq(d->line, 1);
	ck_assert_uint_eq(d->col, 1);
	ck_assert_uint_eq(d->end_line, 1);
	ck_assert_uint_eq(d->end_col, 1);
	ck_assert_str_eq(d->source_line, "def upgrade():");

	/* no file: a repository-level finding */
	l = L(4, 2, 4, 3);
	d = sc_diags_add(&ds, R("SC101"), NULL, &l, "repo %s", "level");
	ck_assert_str_eq(d->path, "");
	ck_assert_ptr_null(d->source_line);
	ck_assert_uint_eq(d->line, 5);
	ck_assert_uint_eq(d->col, 3);
	d = sc_diags_add(&ds, R("SC101"), NULL, NULL, "repo");
	ck_assert_uint_eq(d->line, 1);
	ck_assert_uint_eq(d->end_col, 1);

	/* the last line without newline; a row past the end */
	l = L(3, 0, 3, 4);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "last");
	ck_assert_str_eq(d->source_line, "last");
	ck_assert_uint_eq(d->end_col, 5);
	l = L(9, 2, 9, 3);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "past");
	ck_assert_uint_eq(d->line, 10);
	ck_assert_uint_eq(d->col, 3);
	ck_assert_ptr_null(d->source_line);

	/* a reversed span collapses to its start */
	l = L(1, 8, 1, 2);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "rev");
	ck_assert_uint_eq(d->end_line, 2);
	ck_assert_uint_eq(d->end_col, 9);

	/* help and subject */
	sc_diag_set_help(d, "add %s", "server_default");
	sc_diag_set_help(d, "add %s", "it");
	ck_assert_str_eq(d->help, "add it");
	sc_diag_set_subject(d, "users", NULL, "3f2a");
	ck_assert_str_eq(d->table, "users");
	ck_assert_ptr_null(d->column);
	ck_assert_str_eq(d->revision, "3f2a");
	sc_diag_set_subject(d, d->table, "email", NULL);
	ck_assert_str_eq(d->table, "users");
	ck_assert_str_eq(d->column, "email");
	ck_assert_ptr_null(d->revision);

	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

/* ---- sort, take, count ------------------------------------------------ */

START_TEST(test_sort_dedup_count_take)
{
	struct sc_srcfile *a = mkfile("b/x.py", "l1\nl2\nl3 is longer\n");
	struct sc_srcfile *b = mkfile("a/y.py", "l1\nl2\nl3\n");
	struct sc_diags ds = SC_DIAGS_INIT, more = SC_DIAGS_INIT;
	struct sc_loc l;
	size_t e, w, files;

	l = L(2, 3, 2, 4);
	sc_diags_add(&ds, R("SC203"), a, &l, "z");
	sc_diags_add(&ds, R("SC201"), a, &l, "z");
	sc_diags_add(&ds, R("SC201"), a, &l, "a");
	sc_diags_add(&ds, R("SC201"), a, &l, "a"); /* exact duplicate */
	l = L(2, 1, 2, 2);
	sc_diags_add(&ds, R("SC203"), a, &l, "q");
	l = L(0, 0, 0, 1);
	sc_diags_add(&ds, R("SC002"), a, &l, "w");
	sc_diags_add(&more, R("SC401"), b, &l, "y");
	sc_diags_add(&more, R("SC201"), a, &l, "w");
	sc_diags_add(&more, R("SC201"), a, &l, "w");
	/* same place and message, other subject: not a duplicate */
	sc_diag_set_subject(&more.v[more.n - 1], "t", NULL, NULL);

	sc_diags_take(&ds, &more);
	ck_assert_uint_eq(more.n, 0);
	ck_assert_ptr_null(more.v);
	ck_assert_uint_eq(ds.n, 9);

	sc_diags_sort(&ds);
	ck_assert_uint_eq(ds.n, 8);
	ck_assert_str_eq(ds.v[0].path, "a/y.py");
	ck_assert_str_eq(ds.v[1].rule->code, "SC002");
	ck_assert_str_eq(ds.v[2].rule->code, "SC201");
	ck_assert_str_eq(ds.v[3].rule->code, "SC201");
	ck_assert_ptr_null(ds.v[2].table);
	ck_assert_str_eq(ds.v[3].table, "t");
	ck_assert_uint_eq(ds.v[4].col, 2);
	ck_assert_str_eq(ds.v[4].message, "q");
	ck_assert_str_eq(ds.v[5].message, "a");
	ck_assert_str_eq(ds.v[6].rule->code, "SC201");
	ck_assert_str_eq(ds.v[6].message, "z");
	ck_assert_str_eq(ds.v[7].rule->code, "SC203");

	sc_diags_count(&ds, &e, &w, &files);
	ck_assert_uint_eq(e, 7);
	ck_assert_uint_eq(w, 1);
	ck_assert_uint_eq(files, 2);
	sc_diags_add(&ds, R("SC101"), NULL, NULL, "repo");
	sc_diags_count(&ds, &e, &w, &files);
	ck_assert_uint_eq(files, 2); /* "" is not a file */

	sc_diags_release(&ds);
	sc_diags_count(&ds, &e, &w, &files);
	ck_assert_uint_eq(e + w + files, 0);
	freefile(a);
	freefile(b);
}
END_TEST

/* ---- suppressions ----------------------------------------------------- */

START_TEST(test_suppress_same_line_and_line_before)
{
	struct sc_srcfile *f = mkfile("m/v/1.py",
		"from alembic import op\n"                                /* 1 */
		"\n"                                                      /* 2 */
		"def upgrade():\n"                                        /* 3 */
		"    op.drop_column('u', 'e')  # schemacheck: ignore[SC203] -- legacy\n" /* 4 */
		"    # schemacheck: ignore[SC201] -- backfilled by the app\n" /* 5 */
		"\n"                                                      /* 6 */
		"    # an ordinary comment in between\n"                  /* 7 */
		"    op.add_column('u', c)\n"                             /* 8 */
		"    op.add_column('u', d)\n");                           /* 9 */
	struct sc_diags ds = SC_DIAGS_INIT;

	add_at(&ds, "SC203", f, 3);
	add_at(&ds, "SC201", f, 3);
	add_at(&ds, "SC201", f, 7);
	add_at(&ds, "SC201", f, 8);
	add_at(&ds, "SC201", f, 4); /* the comment's own line: not covered */
	suppress1(&ds, f, 1, NULL);
	ck_assert_uint_eq(count(&ds, "SC203", 0), 0);
	ck_assert_uint_eq(count(&ds, "SC201", 4), 1);
	ck_assert_uint_eq(count(&ds, "SC201", 8), 0);
	ck_assert_uint_eq(count(&ds, "SC201", 9), 1);
	ck_assert_uint_eq(count(&ds, "SC201", 5), 1);
	ck_assert_uint_eq(count(&ds, "SC002", 0), 0);
	ck_assert_uint_eq(ds.n, 3);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

START_TEST(test_suppress_multiline_span)
{
	struct sc_srcfile *f = mkfile("m.py",
		"op.add_column(\n"
		"    'users', sa.Column('e', nullable=False),  # schemacheck: ignore[SC201]\n"
		")\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_loc l = L(0, 0, 2, 1);

	sc_diags_add(&ds, R("SC201"), f, &l, "span");
	suppress1(&ds, f, 1, NULL);
	ck_assert_uint_eq(ds.n, 0);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

START_TEST(test_suppress_file_level)
{
	struct sc_srcfile *f = mkfile("m/v/2.py",
		"\"\"\"doc\"\"\"\n"
		"x = 1\n"
		"y = 2  # schemacheck: ignore-file[SC101, drop-column-without-deprecation] -- old\n");
	struct sc_srcfile *g = mkfile("m/v/3.py", "x = 1\ny = 2\n");
	struct sc_srcfile *files[2];
	struct sc_diags ds = SC_DIAGS_INIT;

	files[0] = f;
	files[1] = g;
	sc_diags_add(&ds, R("SC101"), f, NULL, "no downgrade");
	add_at(&ds, "SC203", f, 1);
	add_at(&ds, "SC201", f, 1);
	sc_diags_add(&ds, R("SC101"), g, NULL, "other file");
	sc_diags_suppress(&ds, files, 2, 1, NULL);
	ck_assert_uint_eq(ds.n, 2);
	ck_assert_str_eq(ds.v[0].rule->code, "SC201");
	ck_assert_str_eq(ds.v[1].path, "m/v/3.py");
	sc_diags_release(&ds);
	freefile(f);
	freefile(g);
}
END_TEST

START_TEST(test_suppress_noqa)
{
	struct sc_srcfile *f = mkfile("n.py",
		"a()  # noqa: SC203, SC201\n"          /* 1 */
		"b()  # noqa:SC203 SC201\n"            /* 2 */
		"c()  # noqa\n"                        /* 3: bare: not ours */
		"d()  # noqa: E501\n"                  /* 4: flake8: not ours */
		"e()  # NOQA: E501,SC203 -- why\n"     /* 5 */
		"# noqa: SC201\n"                      /* 6: its own line only */
		"f()\n"                                /* 7 */
		"g()  # type: ignore # noqa: SC2\n");  /* 8 */
	struct sc_diags ds = SC_DIAGS_INIT;
	unsigned line;

	for (line = 1; line <= 8; line++) {
		add_at(&ds, "SC203", f, line - 1);
		add_at(&ds, "SC201", f, line - 1);
	}
	suppress1(&ds, f, 1, NULL);
	ck_assert_uint_eq(count(&ds, "SC203", 1) + count(&ds, "SC201", 1), 0);
	ck_assert_uint_eq(count(&ds, "SC203", 2) + count(&ds, "SC201", 2), 0);
	ck_assert_uint_eq(count(&ds, "SC203", 3) + count(&ds, "SC201", 3), 2);
	ck_assert_uint_eq(count(&ds, "SC203", 4) + count(&ds, "SC201", 4), 2);
	ck_assert_uint_eq(count(&ds, "SC203", 5), 0);
	ck_assert_uint_eq(count(&ds, "SC201", 5), 1);
	ck_assert_uint_eq(count(&ds, "SC201", 6), 0);
	ck_assert_uint_eq(count(&ds, "SC201", 7), 1);
	ck_assert_uint_eq(count(&ds, "SC203", 8) + count(&ds, "SC201", 8), 0);
	ck_assert_uint_eq(count(&ds, "SC002", 0), 0);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

START_TEST(test_suppress_names_prefixes_whitespace)
{
	struct sc_srcfile *f = mkfile("w.py",
		"a()  # schemacheck: ignore[not-null-without-default]\n"     /* 1 */
		"b()  # schemacheck: ignore[SC2] -- the whole family\n"      /* 2 */
		"c()  #schemacheck:ignore[ SC203 , SC201 ]\n"                /* 3 */
		"d()  #   SchemaCheck :  ignore  [sc201]   --   reason [x]\n" /* 4 */
		"e()  # schemacheck: ignore[SC203,SC201]--no space\n"       /* 5 */
		"f()  # schemacheck: backup=users_bak\n"                     /* 6 */
		"g()  # schemacheck: ignored[SC201]\n");                     /* 7 */
	struct sc_diags ds = SC_DIAGS_INIT;
	unsigned line;

	for (line = 1; line <= 7; line++) {
		add_at(&ds, "SC203", f, line - 1);
		add_at(&ds, "SC201", f, line - 1);
	}
	suppress1(&ds, f, 1, NULL);
	ck_assert_uint_eq(count(&ds, "SC201", 1), 0);
	ck_assert_uint_eq(count(&ds, "SC203", 1), 1);
	ck_assert_uint_eq(count(&ds, "SC201", 2) + count(&ds, "SC203", 2), 0);
	ck_assert_uint_eq(count(&ds, "SC201", 3) + count(&ds, "SC203", 3), 0);
	ck_assert_uint_eq(count(&ds, "SC201", 4), 0);
	ck_assert_uint_eq(count(&ds, "SC203", 4), 1);
	ck_assert_uint_eq(count(&ds, "SC201", 5) + count(&ds, "SC203", 5), 0);
	ck_assert_uint_eq(count(&ds, "SC201", 6) + count(&ds, "SC203", 6), 2);
	ck_assert_uint_eq(count(&ds, "SC201", 7) + count(&ds, "SC203", 7), 2);
	ck_assert_uint_eq(count(&ds, "SC002", 0), 0);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

START_TEST(test_suppress_unused_sc002)
{
	struct sc_srcfile *f = mkfile("u.py",
		"a()  # schemacheck: ignore[SC203, SC201] -- only one fires\n" /* 1 */
		"b()  # schemacheck: ignore[SC999]\n"                          /* 2 */
		"    # schemacheck: ignore[SC101]\n"                           /* 3 */
		"\n"                                                           /* 4 */
		"c()  # noqa: SC203, SC100\n"                                  /* 5 */
		"d()  # schemacheck: ignore -- everything please\n"            /* 6 */
		"# schemacheck: ignore-file[SC401]\n"                          /* 7 */
		"# schemacheck: ignore[SC201]\n");                             /* 8: nothing after */
	struct sc_diags ds = SC_DIAGS_INIT;
	const struct sc_diag *d;

	add_at(&ds, "SC201", f, 0);
	suppress1(&ds, f, 1, NULL);
	ck_assert_uint_eq(count(&ds, "SC201", 0), 0);

	d = find_msg(&ds, "suppression 'SC203' matches no diagnostic");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->path, "u.py");
	ck_assert_uint_eq(d->line, 1);
	ck_assert_uint_eq(d->col, 28); /* at the selector */
	ck_assert_uint_eq(d->end_col, 33);
	ck_assert_str_eq(d->help, "remove the comment, or the code 'SC203' from it");
	ck_assert_int_eq(d->severity, R("SC002")->severity);
	ck_assert_ptr_eq(d->rule, R("SC002"));
	ck_assert_ptr_nonnull(d->source_line);

	d = find_msg(&ds, "suppression names unknown rule 'SC999'");
	ck_assert_ptr_nonnull(d);
	ck_assert_uint_eq(d->line, 2);
	ck_assert_ptr_nonnull(find_msg(&ds, "suppression 'SC101' matches no diagnostic"));
	ck_assert_uint_eq(count(&ds, "SC002", 3), 1); /* at the comment */
	ck_assert_uint_eq(count(&ds, "SC002", 5), 1); /* SC203; SC100 may be flake8's */
	ck_assert_uint_eq(count(&ds, "SC002", 6), 1); /* malformed */
	ck_assert_ptr_nonnull(find_msg(&ds, "suppression 'SC401' matches no diagnostic"));
	ck_assert_uint_eq(count(&ds, "SC002", 8), 1);
	ck_assert_uint_eq(ds.n, 7);
	sc_diags_release(&ds);

	/* a file listed twice is handled once */
	{
		struct sc_srcfile *twice[2];

		twice[0] = twice[1] = f;
		add_at(&ds, "SC201", f, 0);
		sc_diags_suppress(&ds, twice, 2, 1, NULL);
		ck_assert_uint_eq(ds.n, 7);
		sc_diags_release(&ds);
	}

	/* report_unused off: no SC002 */
	add_at(&ds, "SC201", f, 0);
	suppress1(&ds, f, 0, NULL);
	ck_assert_uint_eq(ds.n, 0);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

START_TEST(test_suppress_disabled_not_unused)
{
	struct sc_srcfile *f = mkfile("d.py",
		"a()  # schemacheck: ignore[SC203]\n"
		"b()  # schemacheck: ignore[SC2]\n"
		"c()  # schemacheck: ignore[SC101]\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	unsigned char *en = sc_xmalloc(sc_n_rules);

	memset(en, 1, sc_n_rules);
	en[rule_index("SC203")] = 0;
	en[rule_index("SC101")] = 0;
	suppress1(&ds, f, 1, en);
	/* SC2 still covers the enabled SC201: reported */
	ck_assert_uint_eq(ds.n, 1);
	ck_assert_str_eq(ds.v[0].message, "suppression 'SC2' matches no diagnostic");
	sc_diags_release(&ds);

	/* SC002 itself disabled: nothing */
	en[rule_index("SC002")] = 0;
	suppress1(&ds, f, 1, en);
	ck_assert_uint_eq(ds.n, 0);
	free(en);
	freefile(f);
}
END_TEST

START_TEST(test_suppress_sc002_file_level_only)
{
	struct sc_srcfile *f = mkfile("s.py",
		"a()  # schemacheck: ignore[SC999, SC002]\n"
		"# schemacheck: ignore-file[SC002] -- generated file\n");
	struct sc_srcfile *g = mkfile("t.py",
		"a()  # schemacheck: ignore[SC999, SC002]\n");
	struct sc_diags ds = SC_DIAGS_INIT;

	suppress1(&ds, f, 1, NULL);
	ck_assert_uint_eq(ds.n, 0);
	/* a line-level SC002 selector covers no SC002 and is not itself reported */
	suppress1(&ds, g, 1, NULL);
	ck_assert_uint_eq(ds.n, 1);
	ck_assert_str_eq(ds.v[0].message, "suppression names unknown rule 'SC999'");
	/* a second pass: the SC002 is not suppressed by the line comment */
	suppress1(&ds, g, 0, NULL);
	ck_assert_uint_eq(ds.n, 1);
	/* but an existing SC002 yields to ignore-file */
	suppress1(&ds, f, 0, NULL);
	ck_assert_uint_eq(ds.n, 1);
	free(ds.v[0].path);
	ds.v[0].path = sc_xstrdup("s.py");
	suppress1(&ds, f, 0, NULL);
	ck_assert_uint_eq(ds.n, 0);
	sc_diags_release(&ds);
	freefile(f);
	freefile(g);
}
END_TEST

/* ---- new versus before ------------------------------------------------ */

START_TEST(test_filter_new_subject_rename)
{
	struct sc_srcfile *old = mkfile("m/v/old.py", "a\nb\nc\nd\ne\n");
	struct sc_srcfile *now = mkfile("m/v/new.py", "x\na\nb\nc\nd\ne\n");
	struct sc_diags before = SC_DIAGS_INIT, after = SC_DIAGS_INIT;
	struct sc_change ch[2];
	struct sc_diag *d;

	ch[0].status = SC_CHANGE_RENAMED;
	ch[0].old_path = "m/v/old.py";
	ch[0].new_path = "m/v/new.py";
	ch[1].status = SC_CHANGE_ADDED;
	ch[1].old_path = NULL;
	ch[1].new_path = "m/v/other.py";

	d = add_at(&before, "SC203", old, 1);
	sc_diag_set_subject(d, "users", "email", "3f2a");
	d = add_at(&before, "SC101", old, 0); /* no subject: message */
	d = add_at(&before, "SC201", old, 2);
	sc_diag_set_subject(d, "users", "name", NULL);

	/* moved down one line and renamed: old debt */
	d = add_at(&after, "SC203", now, 2);
	sc_diag_set_subject(d, "users", "email", "3f2a");
	d = sc_diags_add(&after, R("SC101"), now, NULL, "SC101 at 1");
	/* another column: new */
	d = add_at(&after, "SC201", now, 3);
	sc_diag_set_subject(d, "users", "nick", NULL);
	/* same subject, other rule: new */
	d = add_at(&after, "SC201", now, 2);
	sc_diag_set_subject(d, "users", "email", "3f2a");
	/* the same subject twice where before had it once: one is new */
	d = add_at(&after, "SC201", now, 3);
	sc_diag_set_subject(d, "users", "name", NULL);
	d = add_at(&after, "SC201", now, 4);
	sc_diag_set_subject(d, "users", "name", NULL);

	sc_diags_filter_new(&after, &before, ch, 2);
	ck_assert_uint_eq(after.n, 3);
	ck_assert_str_eq(after.v[0].column, "nick");
	ck_assert_str_eq(after.v[1].column, "email");
	ck_assert_str_eq(after.v[1].rule->code, "SC201");
	ck_assert_str_eq(after.v[2].column, "name");
	ck_assert_uint_eq(after.v[2].line, 5);
	sc_diags_release(&after);

	/* without the rename, nothing matches */
	d = add_at(&after, "SC203", now, 2);
	sc_diag_set_subject(d, "users", "email", "3f2a");
	sc_diags_filter_new(&after, &before, ch + 1, 1);
	ck_assert_uint_eq(after.n, 1);
	sc_diags_release(&after);

	/* the message stands in only when there is no subject */
	d = add_at(&after, "SC101", old, 3);
	free(d->message);
	d->message = sc_xstrdup("SC101 at 1");
	sc_diags_filter_new(&after, &before, NULL, 0);
	ck_assert_uint_eq(after.n, 0);
	d = add_at(&after, "SC101", old, 3);
	sc_diags_filter_new(&after, &before, NULL, 0);
	ck_assert_uint_eq(after.n, 1);

	sc_diags_release(&after);
	sc_diags_release(&before);
	freefile(old);
	freefile(now);
}
END_TEST

START_TEST(test_large_lists)
{
	enum { N = 100000 };
	struct sc_srcfile *f = mkfile("big.py", "x = 1  # schemacheck: ignore[SC203]\n");
	struct sc_diags before = SC_DIAGS_INIT, after = SC_DIAGS_INIT;
	struct sc_change ch = { SC_CHANGE_RENAMED, "old.py", "big.py" };
	struct sc_srcfile fake = { 0 };
	char name[32];
	clock_t t0 = clock();
	size_t i;

	fake.path = "old.py";
	for (i = 0; i < N; i++) {
		struct sc_loc l = L((unsigned)(i % 50), 0, (unsigned)(i % 50), 1);
		snprintf(name, sizeof(name), "c%zu", i);
		sc_diag_set_subject(sc_diags_add(&before, R("SC201"), &fake, &l, "m"),
				    "t", name, NULL);
		snprintf(name, sizeof(name), "c%zu", N - 1 - i + (i % 10 == 0 ? N : 0));
		sc_diag_set_subject(sc_diags_add(&after, R("SC201"), f, &l, "m"),
				    "t", name, NULL);
	}
	sc_diags_suppress(&after, &f, 1, 1, NULL);
	ck_assert_uint_eq(after.n, N + 1); /* the SC203 suppression is unused */
	sc_diags_filter_new(&after, &before, &ch, 1);
	ck_assert_uint_eq(after.n, N / 10 + 1);
	sc_diags_sort(&after);
	ck_assert_uint_eq(after.n, N / 10 + 1);
	ck_assert_msg((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0, "too slow");
	sc_diags_release(&after);
	sc_diags_release(&before);
	freefile(f);
}
END_TEST

/*
 * Diagnostics all along one 180 KB line (issue 7): each keeps a window of
 * the line, not a copy of it, and columns are right far into it.
 */
START_TEST(test_add_long_line)
{
	struct sc_buf b = SC_BUF_INIT;
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_srcfile *f;
	struct sc_diag *d;
	struct sc_loc l;
	size_t i, line_len;
	unsigned col;

	sc_buf_adds(&b, "def upgrade():\n    ");
	for (i = 0; i < 4000; i++)
		sc_buf_addf(&b, "op.add_column('users', sa.Column('c%05zu')); ", i);
	line_len = b.len - 15;
	/* a two-byte character before the last column: one character */
	sc_buf_adds(&b, "'\xc3\xa9'; op.drop_table('x')\nlast\n");
	f = mkfile("m.py", sc_buf_str(&b));
	sc_buf_release(&b);
	for (i = 0; i < 4000; i += 2) {
		col = (unsigned)(4 + i * 45);
		l = L(1, col, 1, col + 13);
		d = sc_diags_add(&ds, R("SC201"), f, &l, "c%zu", i);
		ck_assert_uint_eq(d->col, col + 1);
		ck_assert_uint_eq(d->end_col, col + 14);
		ck_assert_uint_le(strlen(d->source_line), SC_SNIPPET_MAX);
		ck_assert(!strncmp(d->source_line + (d->col - d->source_col),
				   "op.add_column", 13));
	}
	ck_assert_uint_eq(ds.v[0].source_cut, SC_CUT_RIGHT);
	ck_assert_uint_eq(ds.v[0].source_col, 1);
	ck_assert_uint_eq(ds.v[1000].source_cut, SC_CUT_LEFT | SC_CUT_RIGHT);
	ck_assert_uint_eq(ds.v[1000].source_col,
			  4 + 2000 * 45 - SC_SNIPPET_BEFORE + 1);
	/* past the multi-byte character, columns count it once */
	col = (unsigned)line_len + 9;
	l = L(1, col, 1, col + 8);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "after");
	ck_assert_uint_eq(d->col, col);
	ck_assert_uint_eq(d->end_col, col + 8);
	ck_assert_uint_eq(d->source_cut, SC_CUT_LEFT);
	ck_assert_ptr_nonnull(strstr(d->source_line, "'\xc3\xa9'; op.drop_table"));
	/* the window never starts inside a character */
	col = (unsigned)line_len + 1 + SC_SNIPPET_BEFORE;
	l = L(1, col, 1, col + 1);
	d = sc_diags_add(&ds, R("SC201"), f, &l, "boundary");
	ck_assert_uint_eq(((unsigned char)d->source_line[0] & 0xc0) != 0x80, 1);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

START_TEST(test_utf8_decode)
{
	unsigned long cp;

	ck_assert_uint_eq(sc_utf8_decode("a", 1, &cp), 1);
	ck_assert_uint_eq(cp, 'a');
	ck_assert_uint_eq(sc_utf8_decode("\xc3\xa9", 2, &cp), 2);
	ck_assert_uint_eq(cp, 0xe9);
	ck_assert_uint_eq(sc_utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	ck_assert_uint_eq(cp, 0x1f600);
	/* truncated, overlong, surrogate, too big, stray continuation */
	ck_assert_uint_eq(sc_utf8_decode("\xc3", 1, &cp), 1);
	ck_assert_uint_eq(cp, SC_UTF8_INVALID);
	ck_assert_uint_eq(sc_utf8_decode("\xc0\xaf", 2, &cp), 1);
	ck_assert_uint_eq(cp, SC_UTF8_INVALID);
	ck_assert_uint_eq(sc_utf8_decode("\xed\xa0\x80", 3, &cp), 1);
	ck_assert_uint_eq(cp, SC_UTF8_INVALID);
	ck_assert_uint_eq(sc_utf8_decode("\xf4\x90\x80\x80", 4, &cp), 1);
	ck_assert_uint_eq(cp, SC_UTF8_INVALID);
	ck_assert_uint_eq(sc_utf8_decode("\x80", 1, &cp), 1);
	ck_assert_uint_eq(cp, SC_UTF8_INVALID);
}
END_TEST

static Suite *diag_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_add_columns_utf8_tabs);
	tcase_add_test(tc, test_add_spans_and_edges);
	tcase_add_test(tc, test_add_long_line);
	tcase_add_test(tc, test_utf8_decode);
	tcase_add_test(tc, test_sort_dedup_count_take);
	tcase_add_test(tc, test_suppress_same_line_and_line_before);
	tcase_add_test(tc, test_suppress_multiline_span);
	tcase_add_test(tc, test_suppress_file_level);
	tcase_add_test(tc, test_suppress_noqa);
	tcase_add_test(tc, test_suppress_names_prefixes_whitespace);
	tcase_add_test(tc, test_suppress_unused_sc002);
	tcase_add_test(tc, test_suppress_disabled_not_unused);
	tcase_add_test(tc, test_suppress_sc002_file_level_only);
	tcase_add_test(tc, test_filter_new_subject_rename);
	tcase_add_test(tc, test_large_lists);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(diag_suite());
}
