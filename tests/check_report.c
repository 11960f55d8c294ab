/*
 * check_report.c: the output formats (src/report.c). Text is compared
 * byte for byte (DESIGN.md section 2's example included); the machine
 * formats are parsed back with jq and Python's XML parser.
 */
#include "testutil.h"

#include "diag.h"
#include "err.h"
#include "report.h"
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

/* A source file in memory (no comments needed here). */
static struct sc_srcfile *mkfile(const char *path, const char *data)
{
	struct sc_srcfile *f = sc_xcalloc(1, sizeof(*f));

	f->path = sc_xstrdup(path);
	f->len = strlen(data);
	f->data = sc_xstrndup(data, f->len);
	return f;
}

static void freefile(struct sc_srcfile *f)
{
	free(f->path);
	free(f->data);
	free(f);
}

static struct sc_report_opts opts(enum sc_format fmt)
{
	struct sc_report_opts o = { fmt, 0, "staged", 0, 0 };
	return o;
}

/* The report as a string (owned by the caller). */
static char *render(const struct sc_diags *ds, const struct sc_report_opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sc_report_write(f, ds, o), 0);
	fclose(f);
	return buf;
}

/* Write the report to dir/name; returns the path (owned by the caller). */
static char *render_file(const char *dir, const char *name,
			 const struct sc_diags *ds, const struct sc_report_opts *o)
{
	char *path = sc_xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "wb");

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(sc_report_write(f, ds, o), 0);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* jq -e FILTER FILE succeeds? */
#define JQ_OK(path, filter) \
	ck_assert_msg(tu_sh(NULL, "jq -e '%s' '%s'", filter, path) == 0, \
		      "jq: %s", filter)

/* Strict JSON (the Python parser, strict UTF-8). */
#define JSON_STRICT(path) \
	ck_assert_msg(tu_sh(NULL, "python3 -c 'import json,sys; " \
			    "json.load(open(sys.argv[1], encoding=\"utf-8\", " \
			    "errors=\"strict\"))' '%s'", path) == 0, \
		      "not strict JSON: %s", path)

/* The DESIGN.md example: migrations/versions/3f2a_add_email.py:14:5. */
static struct sc_srcfile *example_file(void)
{
	struct sc_buf b = SC_BUF_INIT;
	struct sc_srcfile *f;
	int i;

	for (i = 1; i < 14; i++)
		sc_buf_addf(&b, "# line %d\n", i);
	sc_buf_adds(&b, "    op.add_column('users', sa.Column('email', "
			"sa.String(100), nullable=False))\n");
	sc_buf_adds(&b, "\n");
	f = mkfile("migrations/versions/3f2a_add_email.py", sc_buf_str(&b));
	sc_buf_release(&b);
	return f;
}

static struct sc_diag *add_example(struct sc_diags *ds, struct sc_srcfile *f)
{
	struct sc_loc l = L(13, 4, 13, 17);
	struct sc_diag *d = sc_diags_add(ds, R("SC201"), f, &l,
		"column '%s.%s' is added as NOT NULL without a server_default",
		"users", "email");

	sc_diag_set_help(d, "add server_default=..., or add it nullable, "
			    "backfill, then set NOT NULL in a later migration");
	sc_diag_set_subject(d, "users", "email", "3f2a");
	return d;
}

static const char example_text[] =
	"migrations/versions/3f2a_add_email.py:14:5: error[SC201] not-null-without-default: column 'users.email' is added as NOT NULL without a server_default\n"
	"   |\n"
	"14 |     op.add_column('users', sa.Column('email', sa.String(100), nullable=False))\n"
	"   |     ^^^^^^^^^^^^^\n"
	"   = help: add server_default=..., or add it nullable, backfill, then set NOT NULL in a later migration\n";

/* ---- text ------------------------------------------------------------- */

START_TEST(test_text_design_example)
{
	struct sc_srcfile *f = example_file();
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_TEXT);
	char *out, *want;

	add_example(&ds, f);
	freefile(f); /* the diagnostic keeps what it needs */
	out = render(&ds, &o);
	want = sc_xasprintf("%s\nFound 1 errors and 0 warnings in 1 files.\n",
			    example_text);
	ck_assert_str_eq(out, want);
	free(out);
	free(want);

	o.quiet = 1;
	out = render(&ds, &o);
	ck_assert_str_eq(out, example_text);
	free(out);
	sc_diags_release(&ds);
}
END_TEST

START_TEST(test_text_snippets)
{
	struct sc_srcfile *f = mkfile("s.py",
		"\tfoo(bar)\n"                          /* 1 */
		"x = '\xe6\x97\xa5\xe6\x9c\xac' + bar\n"  /* 2 */
		"    op.add_column(\n"                  /* 3 */
		"        'users')\n"                    /* 4 */
		"ab\n"                                  /* 5 */
		"a\x1b" "b \xff!\n");                   /* 6 */
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_TEXT);
	struct sc_loc l;
	char *out;

	o.quiet = 1;
	l = L(0, 5, 0, 8);
	sc_diags_add(&ds, R("SC101"), f, &l, "tab");
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"s.py:1:6: error[SC101] missing-downgrade: tab\n"
		"  |\n"
		"1 |     foo(bar)\n"
		"  |         ^^^\n");
	free(out);
	sc_diags_release(&ds);

	/* wide characters take two cells */
	l = L(1, 15, 1, 18);
	sc_diags_add(&ds, R("SC101"), f, &l, "wide");
	ck_assert_uint_eq(ds.v[0].col, 12);
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"s.py:2:12: error[SC101] missing-downgrade: wide\n"
		"  |\n"
		"2 | x = '\xe6\x97\xa5\xe6\x9c\xac' + bar\n"
		"  |              ^^^\n");
	free(out);
	sc_diags_release(&ds);

	/* a multi-line span underlines to the end of its first line */
	l = L(2, 4, 3, 16);
	sc_diags_add(&ds, R("SC201"), f, &l, "span");
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"s.py:3:5: error[SC201] not-null-without-default: span\n"
		"  |\n"
		"3 |     op.add_column(\n"
		"  |     ^^^^^^^^^^^^^^\n");
	free(out);
	sc_diags_release(&ds);

	/* empty span and past the end: one caret; two diagnostics */
	l = L(4, 0, 4, 0);
	sc_diags_add(&ds, R("SC002"), f, &l, "empty");
	l = L(4, 4, 4, 4);
	sc_diags_add(&ds, R("SC002"), f, &l, "past");
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"s.py:5:1: warning[SC002] unused-suppression: empty\n"
		"  |\n"
		"5 | ab\n"
		"  | ^\n"
		"\n"
		"s.py:5:5: warning[SC002] unused-suppression: past\n"
		"  |\n"
		"5 | ab\n"
		"  |     ^\n");
	free(out);
	sc_diags_release(&ds);

	/* control characters and invalid bytes show as U+FFFD */
	l = L(5, 4, 5, 6);
	sc_diags_add(&ds, R("SC002"), f, &l, "ctl");
	ck_assert_uint_eq(ds.v[0].col, 5);
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"s.py:6:5: warning[SC002] unused-suppression: ctl\n"
		"  |\n"
		"6 | a\xef\xbf\xbd" "b \xef\xbf\xbd!\n"
		"  |     ^^\n");
	free(out);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

/* A long line is shown as a window around the column, with "..." on
 * the sides that were cut, and the carets under the span. */
START_TEST(test_text_long_line)
{
	struct sc_buf b = SC_BUF_INIT;
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_TEXT);
	struct sc_srcfile *f;
	struct sc_loc l;
	char *out, *caret, *text;
	size_t i;

	for (i = 0; i < 2000; i++)
		sc_buf_adds(&b, "x; ");
	sc_buf_adds(&b, "op.drop_table('t'); ");
	for (i = 0; i < 2000; i++)
		sc_buf_adds(&b, "y; ");
	f = mkfile("l.py", sc_buf_str(&b));
	sc_buf_release(&b);
	l = L(0, 6000, 0, 6013);
	sc_diags_add(&ds, R("SC204"), f, &l, "far");
	freefile(f);
	o.quiet = 1;
	out = render(&ds, &o);
	text = strstr(out, "1 | ...");
	ck_assert_msg(text != NULL, "%s", out);
	ck_assert_msg(strstr(out, "...\n  | ") != NULL, "%s", out);
	ck_assert_uint_lt(strlen(out), 2 * SC_SNIPPET_MAX);
	/* the carets sit under op.drop_table */
	caret = strchr(strstr(out, "  | "), '^');
	ck_assert_ptr_nonnull(caret);
	ck_assert_uint_eq(strspn(caret, "^"), 13);
	ck_assert(!strncmp(text + (caret - strstr(out, "  | ")), "op.drop_table", 13));
	free(out);
	sc_diags_release(&ds);
}
END_TEST

START_TEST(test_text_summary_variants)
{
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_TEXT);
	struct sc_diag *d;
	char *out;

	out = render(&ds, &o);
	ck_assert_str_eq(out, "All checks passed.\n");
	free(out);
	o.quiet = 1;
	out = render(&ds, &o);
	ck_assert_str_eq(out, "");
	free(out);
	o.quiet = 0;

	/* repository-level: no location, no snippet */
	d = sc_diags_add(&ds, R("SC002"), NULL, NULL, "m");
	sc_diag_set_help(d, "first\nsecond");
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"warning[SC002] unused-suppression: m\n"
		"  = help: first\n"
		"          second\n"
		"\n"
		"Found 0 errors and 1 warnings in 0 files.\n");
	free(out);
	sc_diags_release(&ds);

	/* odd paths are printed as they are */
	{
		struct sc_srcfile *f = mkfile("dir\\sub/na me,\xc3\xa9:1.py", "x\n");
		sc_diags_add(&ds, R("SC101"), f, NULL, "m");
		freefile(f);
	}
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"dir\\sub/na me,\xc3\xa9:1.py:1:1: error[SC101] missing-downgrade: m\n"
		"  |\n"
		"1 | x\n"
		"  | ^\n"
		"\n"
		"Found 1 errors and 0 warnings in 1 files.\n");
	free(out);
	sc_diags_release(&ds);
}
END_TEST

START_TEST(test_text_color)
{
	struct sc_srcfile *f = example_file();
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_TEXT);
	struct sc_loc l = L(0, 0, 0, 1);
	char *out;

	add_example(&ds, f);
	sc_diags_add(&ds, R("SC002"), f, &l, "w");
	sc_diags_sort(&ds);
	out = render(&ds, &o);
	ck_assert_ptr_null(strchr(out, '\033'));
	free(out);

	o.color = 1;
	out = render(&ds, &o);
	ck_assert_ptr_nonnull(strstr(out, "\033[1mmigrations/versions/3f2a_add_email.py:14:5:\033[0m "
					  "\033[1;31merror\033[0m[SC201] not-null-without-default: "));
	ck_assert_ptr_nonnull(strstr(out, "   |     \033[1;31m^^^^^^^^^^^^^\033[0m\n"));
	ck_assert_ptr_nonnull(strstr(out, "\033[1;33mwarning\033[0m[SC002]"));
	ck_assert_ptr_nonnull(strstr(out, "  | \033[1;33m^\033[0m\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nFound 1 errors and 1 warnings in 1 files.\n"));
	free(out);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

START_TEST(test_text_statistics)
{
	struct sc_srcfile *f = mkfile("a.py", "x\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_TEXT);
	char *out;
	int i;

	for (i = 0; i < 3; i++) {
		sc_diags_add(&ds, R("SC201"), f, NULL, "a%d", i);
		sc_diags_add(&ds, R("SC101"), f, NULL, "b%d", i);
	}
	for (i = 0; i < 10; i++)
		sc_diags_add(&ds, R("SC002"), f, NULL, "c%d", i);
	sc_diags_sort(&ds);
	o.statistics = 1;
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"10\tSC002\tunused-suppression\n"
		" 3\tSC101\tmissing-downgrade\n"
		" 3\tSC201\tnot-null-without-default\n"
		"Found 6 errors and 10 warnings in 1 files.\n");
	free(out);
	sc_diags_release(&ds);

	out = render(&ds, &o);
	ck_assert_str_eq(out, "All checks passed.\n");
	free(out);
	freefile(f);
}
END_TEST

/* ---- json ------------------------------------------------------------- */

START_TEST(test_json)
{
	char *dir = tu_mkdtemp(), *path;
	struct sc_srcfile *f = example_file();
	struct sc_srcfile *g = mkfile("we\"ird\\p\xff.py", "x\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_JSON);
	struct sc_diag *d;

	add_example(&ds, f);
	d = sc_diags_add(&ds, R("SC002"), g, NULL, "bad \x01\x1f\t\n\xc3\x28 \xe2\x82\xac");
	sc_diags_sort(&ds);
	o.mode = "diff";
	path = render_file(dir, "out.json", &ds, &o);
	JSON_STRICT(path);
	JQ_OK(path, ".version == 1 and .mode == \"diff\" and (.diagnostics | length) == 2");
	JQ_OK(path, ".diagnostics[0] == {\"code\": \"SC201\", \"name\": \"not-null-without-default\", "
		    "\"severity\": \"error\", \"path\": \"migrations/versions/3f2a_add_email.py\", "
		    "\"line\": 14, \"column\": 5, \"end_line\": 14, \"end_column\": 18, "
		    "\"message\": \"column '\"'\"'users.email'\"'\"' is added as NOT NULL without a server_default\", "
		    "\"help\": \"add server_default=..., or add it nullable, backfill, then set NOT NULL in a later migration\", "
		    "\"subject\": {\"table\": \"users\", \"column\": \"email\", \"revision\": \"3f2a\"}}");
	JQ_OK(path, ".diagnostics[1].help == null and .diagnostics[1].severity == \"warning\"");
	JQ_OK(path, ".diagnostics[1].subject == {\"table\": null, \"column\": null, \"revision\": null}");
	JQ_OK(path, ".diagnostics[1].message == \"bad \\u0001\\u001f\\t\\n\\ufffd( \\u20ac\"");
	JQ_OK(path, ".diagnostics[1].path == \"we\\\"ird\\\\p\\ufffd.py\"");
	JQ_OK(path, ".summary == {\"errors\": 1, \"warnings\": 1, \"files\": 2}");
	JQ_OK(path, "keys_unsorted == [\"version\", \"mode\", \"diagnostics\", \"summary\"]");
	JQ_OK(path, ".diagnostics[0] | keys_unsorted == [\"code\", \"name\", \"severity\", \"path\", "
		    "\"line\", \"column\", \"end_line\", \"end_column\", \"message\", \"help\", \"subject\"]");
	free(path);
	(void)d;
	sc_diags_release(&ds);

	path = render_file(dir, "empty.json", &ds, &o);
	JSON_STRICT(path);
	JQ_OK(path, ".diagnostics == [] and .summary == {\"errors\": 0, \"warnings\": 0, \"files\": 0}");
	free(path);
	freefile(f);
	freefile(g);
	tu_rmtree(dir);
}
END_TEST

/* ---- github ----------------------------------------------------------- */

START_TEST(test_github)
{
	struct sc_srcfile *f = example_file();
	struct sc_srcfile *g = mkfile("a,b:c%.py", "x\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_GITHUB);
	char *out;

	add_example(&ds, f);
	sc_diags_add(&ds, R("SC002"), g, NULL, "50%% done\r\nnext: x, y");
	sc_diags_add(&ds, R("SC101"), NULL, NULL, "repository");
	sc_diags_sort(&ds);
	out = render(&ds, &o);
	ck_assert_str_eq(out,
		"::error title=SC101 missing-downgrade::repository\n"
		"::warning file=a%2Cb%3Ac%25.py,line=1,col=1,endLine=1,endColumn=1,"
		"title=SC002 unused-suppression::50%25 done%0D%0Anext: x, y\n"
		"::error file=migrations/versions/3f2a_add_email.py,line=14,col=5,"
		"endLine=14,endColumn=18,title=SC201 not-null-without-default::"
		"column 'users.email' is added as NOT NULL without a server_default\n");
	free(out);
	sc_diags_release(&ds);
	out = render(&ds, &o);
	ck_assert_str_eq(out, "");
	free(out);
	freefile(f);
	freefile(g);
}
END_TEST

/* ---- sarif ------------------------------------------------------------ */

START_TEST(test_sarif)
{
	char *dir = tu_mkdtemp(), *path;
	struct sc_srcfile *f = example_file();
	struct sc_srcfile *g = mkfile("dir/na me\xff.py", "x\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_SARIF);
	struct sc_loc l = L(0, 0, 0, 1);

	add_example(&ds, f);
	sc_diags_add(&ds, R("SC002"), g, &l, "w1");
	sc_diags_add(&ds, R("SC002"), g, &l, "w2");
	sc_diags_add(&ds, R("SC101"), NULL, NULL, "repo");
	sc_diags_sort(&ds);
	path = render_file(dir, "out.sarif", &ds, &o);
	JSON_STRICT(path);
	JQ_OK(path, ".version == \"2.1.0\" and (.[\"$schema\"] | test(\"sarif\"))");
	JQ_OK(path, ".runs | length == 1");
	JQ_OK(path, ".runs[0].tool.driver.name == \"schemacheck\" and "
		    "(.runs[0].tool.driver.version | length > 0)");
	JQ_OK(path, "[.runs[0].tool.driver.rules[].id] == [\"SC002\", \"SC101\", \"SC201\"]");
	JQ_OK(path, ".runs[0].tool.driver.rules[2].name == \"not-null-without-default\"");
	JQ_OK(path, "[.runs[0].tool.driver.rules[] | (.shortDescription.text | length > 0) "
		    "and (.help.text | length > 0)] | all");
	JQ_OK(path, ".runs[0] as $r | $r.results | length == 4 and "
		    "all(.[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)");
	JQ_OK(path, ".runs[0].results | map(.level) == [\"error\", \"warning\", \"warning\", \"error\"]");
	JQ_OK(path, ".runs[0].results[0].locations == null and .runs[0].results[0].message.text == \"repo\"");
	JQ_OK(path, ".runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri "
		    "== \"dir/na%20me%FF.py\"");
	JQ_OK(path, ".runs[0].results[3].locations[0].physicalLocation | "
		    ".artifactLocation.uri == \"migrations/versions/3f2a_add_email.py\" and "
		    ".region == {\"startLine\": 14, \"startColumn\": 5, \"endLine\": 14, \"endColumn\": 18}");
	JQ_OK(path, ".runs[0].results[3].message.text | startswith(\"column \")");
	JQ_OK(path, "[.runs[0].results[].partialFingerprints[]] | unique | length == 4");
	free(path);
	sc_diags_release(&ds);

	path = render_file(dir, "empty.sarif", &ds, &o);
	JSON_STRICT(path);
	JQ_OK(path, ".runs[0].results == [] and .runs[0].tool.driver.rules == []");
	free(path);
	freefile(f);
	freefile(g);
	tu_rmtree(dir);
}
END_TEST

/* ---- junit ------------------------------------------------------------ */

#define PY_XML(path, code) \
	ck_assert_msg(tu_sh(NULL, "python3 -c 'import sys, xml.etree.ElementTree as E\n" \
			    "r = E.parse(sys.argv[1]).getroot()\n" code "' '%s'", path) == 0, \
		      "xml check failed: %s", code)

START_TEST(test_junit)
{
	char *dir = tu_mkdtemp(), *path;
	struct sc_srcfile *f = example_file();
	struct sc_srcfile *g = mkfile("b<&>\"'.py", "x\n");
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_JUNIT);

	add_example(&ds, f);
	sc_diags_add(&ds, R("SC002"), g, NULL, "ctl\x01\x0b<&>\"\xff end");
	sc_diags_add(&ds, R("SC101"), g, NULL, "line\none");
	sc_diags_sort(&ds);
	path = render_file(dir, "out.xml", &ds, &o);
	PY_XML(path, "assert r.tag == \"testsuites\"\n"
		     "s = r.findall(\"testsuite\")\n"
		     "assert len(s) == 1 and s[0].get(\"name\") == \"schemacheck\"\n"
		     "s = s[0]\n"
		     "assert s.get(\"tests\") == \"2\" and s.get(\"failures\") == \"3\"\n"
		     "c = s.findall(\"testcase\")\n"
		     "assert [x.get(\"classname\") for x in c] == [\"b<&>\\\"\\x27.py\", "
		     "\"migrations/versions/3f2a_add_email.py\"]\n"
		     "f = c[0].findall(\"failure\")\n"
		     "assert len(f) == 2\n"
		     "assert f[1].get(\"message\") == \"line\\none\", f[1].get(\"message\")\n"
		     "assert f[0].get(\"message\") == \"ctl<&>\\\"\\ufffd end\", f[0].get(\"message\")\n"
		     "assert f[0].get(\"type\") == \"SC002\"\n"
		     "assert f[0].text == \"b<&>\\\"\\x27.py:1:1: SC002 ctl<&>\\\"\\ufffd end\", f[0].text\n"
		     "g = c[1].findall(\"failure\")\n"
		     "assert g[0].text.startswith(\"migrations/versions/3f2a_add_email.py:14:5: SC201 column\")\n");
	free(path);
	sc_diags_release(&ds);

	path = render_file(dir, "empty.xml", &ds, &o);
	PY_XML(path, "assert r.get(\"tests\") == \"0\" and len(r.find(\"testsuite\")) == 0\n");
	free(path);
	freefile(f);
	freefile(g);
	tu_rmtree(dir);
}
END_TEST

/* ---- gitlab ----------------------------------------------------------- */

/* The fingerprint of the i-th entry in a gitlab report (static buffer). */
static const char *nth_fingerprint(const char *out, int i)
{
	static char fp[17];
	const char *p = out;

	for (; i >= 0; i--) {
		p = strstr(p, "\"fingerprint\": \"");
		ck_assert_ptr_nonnull(p);
		p += strlen("\"fingerprint\": \"");
	}
	memcpy(fp, p, 16);
	fp[16] = '\0';
	return fp;
}

START_TEST(test_gitlab)
{
	char *dir = tu_mkdtemp(), *path, *out, *out2;
	struct sc_srcfile *f = example_file();
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_GITLAB);
	struct sc_loc l = L(2, 0, 2, 1);
	struct sc_diag *d;
	char fp0[17], fp1[17];

	add_example(&ds, f);
	d = sc_diags_add(&ds, R("SC002"), f, &l, "unused");
	sc_diags_sort(&ds);
	path = render_file(dir, "out.json", &ds, &o);
	JSON_STRICT(path);
	JQ_OK(path, "type == \"array\" and length == 2");
	JQ_OK(path, ".[1] | .check_name == \"SC201\" and .severity == \"major\" and "
		    "(.description | startswith(\"column\")) and "
		    ".location == {\"path\": \"migrations/versions/3f2a_add_email.py\", "
		    "\"lines\": {\"begin\": 14, \"end\": 14}}");
	JQ_OK(path, ".[0].severity == \"minor\" and (.[0].fingerprint | test(\"^[0-9a-f]{16}$\"))");
	out = render(&ds, &o);
	memcpy(fp0, nth_fingerprint(out, 0), 17);
	memcpy(fp1, nth_fingerprint(out, 1), 17);
	ck_assert_str_ne(fp0, fp1);

	/* moved by an edit above: same fingerprints */
	ds.v[0].line += 5;
	ds.v[0].end_line += 5;
	ds.v[1].line += 7;
	ds.v[1].end_line += 7;
	out2 = render(&ds, &o);
	ck_assert_str_eq(nth_fingerprint(out2, 0), fp0);
	ck_assert_str_eq(nth_fingerprint(out2, 1), fp1);
	free(out2);

	/* another subject: another fingerprint */
	sc_diag_set_subject(&ds.v[1], "users", "name", "3f2a");
	out2 = render(&ds, &o);
	ck_assert_str_ne(nth_fingerprint(out2, 1), fp1);
	free(out2);
	free(out);

	/* identical identities still get distinct fingerprints */
	sc_diag_set_subject(&ds.v[1], "users", "email", "3f2a");
	d = add_example(&ds, f);
	d->line = 40;
	free(path);
	path = render_file(dir, "dup.json", &ds, &o);
	JQ_OK(path, "map(.fingerprint) | unique | length == 3");
	free(path);
	sc_diags_release(&ds);

	out = render(&ds, &o);
	ck_assert_str_eq(out, "[]\n");
	free(out);
	freefile(f);
	tu_rmtree(dir);
}
END_TEST

/* ---- misc ------------------------------------------------------------- */

START_TEST(test_format_parse)
{
	enum sc_format f = SC_FMT_TEXT;

	ck_assert_int_eq(sc_format_parse("json", &f), 0);
	ck_assert_int_eq(f, SC_FMT_JSON);
	ck_assert_int_eq(sc_format_parse("github", &f), 0);
	ck_assert_int_eq(f, SC_FMT_GITHUB);
	ck_assert_int_eq(sc_format_parse("sarif", &f), 0);
	ck_assert_int_eq(f, SC_FMT_SARIF);
	ck_assert_int_eq(sc_format_parse("junit", &f), 0);
	ck_assert_int_eq(f, SC_FMT_JUNIT);
	ck_assert_int_eq(sc_format_parse("gitlab", &f), 0);
	ck_assert_int_eq(f, SC_FMT_GITLAB);
	ck_assert_int_eq(sc_format_parse("text", &f), 0);
	ck_assert_int_eq(f, SC_FMT_TEXT);
	ck_assert_int_eq(sc_format_parse("xml", &f), -1);
	ck_assert_int_eq(sc_format_parse("", &f), -1);
	ck_assert_int_eq(sc_format_parse(NULL, &f), -1);
}
END_TEST

START_TEST(test_write_error)
{
	struct sc_srcfile *f = example_file();
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts o = opts(SC_FMT_TEXT);
	enum sc_format fmt;
	FILE *full = fopen("/dev/full", "w");

	ck_assert_ptr_nonnull(full);
	add_example(&ds, f);
	for (fmt = SC_FMT_TEXT; fmt <= SC_FMT_GITLAB; fmt++) {
		o.format = fmt;
		sc_error_clear();
		ck_assert_int_eq(sc_report_write(full, &ds, &o), -1);
		ck_assert_str_ne(sc_error_last(), "");
		clearerr(full);
	}
	fclose(full);
	sc_diags_release(&ds);
	freefile(f);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_text_design_example);
	tcase_add_test(tc, test_text_snippets);
	tcase_add_test(tc, test_text_long_line);
	tcase_add_test(tc, test_text_summary_variants);
	tcase_add_test(tc, test_text_color);
	tcase_add_test(tc, test_text_statistics);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_github);
	tcase_add_test(tc, test_sarif);
	tcase_add_test(tc, test_junit);
	tcase_add_test(tc, test_gitlab);
	tcase_add_test(tc, test_format_parse);
	tcase_add_test(tc, test_write_error);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(report_suite());
}
