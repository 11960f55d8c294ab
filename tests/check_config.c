/*
 * check_config.c: the TOML reader (toml.c), the configuration loader
 * (config.c: keys, types, errors with file and line, select/ignore and
 * severity semantics) and discovery of script directories (discover.c).
 */
#include "testutil.h"

#include "config.h"
#include "discover.h"
#include "err.h"
#include "gitsrc.h"
#include "rule.h"
#include "toml.h"

START_TEST(test_toml_values)
{
	static const char text[] =
		"# comment\n"
		"top = 1\n"
		"[tool.schemacheck]\n"
		"select = [\"SC1\", 'SC201',\n  # inside\n  \"\"\"SC4\"\"\"]\n"
		"heads = 1_000\n"
		"strict = true\n"
		"name = \"tab\\there \\u00e9\"\n"
		"severity = { SC206 = \"error\" }\n"
		"[tool.schemacheck.per-file-ignores]\n"
		"\"legacy/**\" = [\"SC101\"]\n"
		"a.b.c = 'x'\n"
		"[[tool.other]]\n"
		"k = 1\n"
		"[[tool.other]]\n"
		"k = 2\n";
	struct sc_toml *root = NULL;
	const struct sc_toml *t, *sel;

	ck_assert_int_eq(sc_toml_parse(&root, text, strlen(text)), 0);
	ck_assert_int_eq(sc_toml_get(root, "top")->num, 1);
	t = sc_toml_path(root, "tool.schemacheck");
	ck_assert_ptr_nonnull(t);
	sel = sc_toml_get(t, "select");
	ck_assert_int_eq(sel->type, SC_TOML_ARRAY);
	ck_assert_int_eq(sel->n, 3);
	ck_assert_str_eq(sel->kids[1]->str, "SC201");
	ck_assert_str_eq(sel->kids[2]->str, "SC4");
	ck_assert_int_eq(sel->line, 4);
	ck_assert_int_eq(sc_toml_get(t, "heads")->num, 1000);
	ck_assert_int_eq(sc_toml_get(t, "strict")->boolean, 1);
	ck_assert_str_eq(sc_toml_get(t, "name")->str, "tab\there \xc3\xa9");
	ck_assert_str_eq(sc_toml_path(t, "severity.SC206")->str, "error");
	ck_assert_str_eq(sc_toml_path(t, "per-file-ignores.legacy/**")->kids[0]->str,
			 "SC101");
	ck_assert_str_eq(sc_toml_path(t, "per-file-ignores.a.b.c")->str, "x");
	ck_assert_int_eq(sc_toml_path(root, "tool.other")->n, 2);
	ck_assert_int_eq(sc_toml_path(root, "tool.other")->kids[1]->kids[0]->num, 2);
	sc_toml_free(root);
}
END_TEST

START_TEST(test_toml_errors)
{
	struct sc_toml *root = NULL;
	ck_assert_int_lt(sc_toml_parse(&root, "a = 1\nb = [\n", 12), 0);
	ck_assert_ptr_null(root);
	ck_assert_int_lt(sc_toml_parse(&root, "a = 1\na = 2\n", 12), 0);
	ck_assert_msg(strstr(sc_error_last(), "line 2") != NULL, "%s", sc_error_last());
	ck_assert_int_lt(sc_toml_parse(&root, "a = 1\n[a]\n", 10), 0);
	ck_assert_int_lt(sc_toml_parse(&root, "a = \"x\0\"", 8), 0);
}
END_TEST

/* Nesting that would corrupt tree-sitter's heap is refused first (it
 * crashed: regress/config/unclosed-arrays-65533.toml), and deep nesting
 * within the limit is read without deep recursion. */
START_TEST(test_toml_hostile_nesting)
{
	struct sc_toml *root = NULL;
	const struct sc_toml *t;
	size_t len, n, i;
	char *text, *inner;

	text = tu_repeat("x = ", "[", 65533, "\n", &len);
	ck_assert_int_lt(sc_toml_parse(&root, text, len), 0);
	ck_assert_ptr_null(root);
	ck_assert_msg(strstr(sc_error_last(), "line 1: arrays and inline tables "
			     "nested more than 128 deep") != NULL,
		      "%s", sc_error_last());
	free(text);

	/* 100,000 inline tables (this recursed in value() and first_error) */
	inner = tu_repeat("", "{a = ", 100000, "1", &len);
	text = tu_repeat(inner, "}", 100000, "\n", &len);
	free(inner);
	ck_assert_int_lt(sc_toml_parse(&root, text, len), 0);
	free(text);

	/* 128 deep is fine */
	inner = tu_repeat("\n\nx = ", "[", 127, "1", &len);
	text = tu_repeat(inner, "]", 127, "\n", &len);
	free(inner);
	ck_assert_int_eq(sc_toml_parse(&root, text, len), 0);
	for (t = sc_toml_get(root, "x"), n = 0; t && t->n; t = t->kids[0])
		n++;
	ck_assert_uint_eq(n, 127);
	sc_toml_free(root);
	free(text);

	/* brackets in strings and comments do not count */
	text = tu_repeat("x = '", "[", 1000, "' # ", &len);
	inner = tu_repeat(text, "{", 1000, "\ny = \"\"\"[[[\n[[[\"\"\"\n", &len);
	ck_assert_int_eq(sc_toml_parse(&root, inner, len), 0);
	ck_assert_uint_eq(strlen(sc_toml_get(root, "x")->str), 1000);
	sc_toml_free(root);
	free(text);
	free(inner);

	/* a key of 30,000 parts (key_parts recursed per part, and so did
	 * sc_toml_free on the tables it makes) */
	for (i = 0; i < 2; i++) {
		text = tu_repeat(i ? "[" : "", "a.", 30000, i ? "b]\nc = 1\n" : "b = 1\n",
			      &len);
		ck_assert_int_eq(sc_toml_parse(&root, text, len), 0);
		for (t = root, n = 0; t && t->type == SC_TOML_TABLE && t->n;
		     t = t->kids[0])
			n++;
		ck_assert_uint_eq(n, i ? 30002 : 30001);
		sc_toml_free(root);
		free(text);
	}
}
END_TEST

/* Wide files stay linear: arrays walked with a cursor, keys hashed. */
START_TEST(test_toml_wide)
{
	struct sc_buf b = SC_BUF_INIT;
	struct sc_toml *root = NULL;
	size_t len, i;
	char *text = tu_repeat("x = [", "1, ", 50000, "2]\n", &len);

	ck_assert_int_eq(sc_toml_parse(&root, text, len), 0);
	ck_assert_uint_eq(sc_toml_get(root, "x")->n, 50001);
	sc_toml_free(root);
	free(text);

	for (i = 0; i < 20000; i++)
		sc_buf_addf(&b, "k%zu = %zu\n", i, i);
	ck_assert_int_eq(sc_toml_parse(&root, b.buf, b.len), 0);
	ck_assert_int_eq(sc_toml_get(root, "k19999")->num, 19999);
	ck_assert_int_eq(sc_toml_get(root, "k7")->num, 7);
	ck_assert_ptr_null(sc_toml_get(root, "k20000"));
	sc_toml_free(root);
	sc_buf_adds(&b, "k123 = 0\n");
	ck_assert_int_lt(sc_toml_parse(&root, b.buf, b.len), 0);
	ck_assert_msg(strstr(sc_error_last(), "line 20001: key 'k123' is "
			     "defined twice") != NULL, "%s", sc_error_last());
	sc_buf_release(&b);
}
END_TEST

/* A configuration file over the size cap is an error naming the file and
 * the limit (it was cut at 4 MiB and its tail silently ignored). */
START_TEST(test_config_too_big)
{
	char *dir = tu_mkdtemp(), *path;
	struct sc_config c;
	FILE *f;
	size_t i;
	int found = 1;

	path = sc_xasprintf("%s/.schemacheck.toml", dir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("ignore = [\"SC2\"]\n", f);
	for (i = 0; (size_t)ftell(f) <= SC_CONFIG_MAX_SIZE; i++)
		fputs("# padding padding padding padding padding padding padding\n", f);
	fputs("select = [1, 2\n", f);
	fclose(f);
	sc_config_init(&c);
	ck_assert_int_eq(sc_config_load(&c, path, ".schemacheck.toml", &found),
			 SC_EUSAGE);
	ck_assert_int_eq(found, 0);
	ck_assert_msg(strstr(sc_error_last(), ".schemacheck.toml: the "
			     "configuration file is larger than 4 MiB") != NULL,
		      "%s", sc_error_last());
	ck_assert_int_eq(c.n_ignore, 0);
	sc_config_release(&c);
	free(path);
	tu_rmtree(dir);
}
END_TEST

/* Only regular files are read, and opening one never blocks: a FIFO
 * with no writer (a symlink to /dev/stdin can be one) is refused. */
START_TEST(test_config_not_regular)
{
	char *dir = tu_mkdtemp(), *path;
	struct sc_config c;
	int found = 1;

	path = sc_xasprintf("%s/.schemacheck.toml", dir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	sc_config_init(&c);
	ck_assert_int_eq(sc_config_load(&c, path, ".schemacheck.toml", &found),
			 SC_ERROR);
	ck_assert_int_eq(found, 0);
	ck_assert_msg(strstr(sc_error_last(), "cannot read '.schemacheck.toml': "
			     "not a regular file") != NULL, "%s", sc_error_last());
	ck_assert_int_eq(sc_config_load(&c, "/dev/null", "/dev/null", &found),
			 SC_ERROR);
	ck_assert_int_eq(sc_config_load(&c, dir, "a folder", &found), SC_ERROR);
	sc_config_release(&c);
	free(path);
	tu_rmtree(dir);
}
END_TEST

/* Load `text` as file `name` in a temp folder; returns the status. */
static int load(struct sc_config *c, const char *name, const char *text,
		int *found)
{
	char *dir = tu_mkdtemp(), *path;
	int rc;
	tu_write(dir, name, text);
	path = sc_xasprintf("%s/%s", dir, name);
	rc = sc_config_load(c, path, name, found);
	free(path);
	tu_rmtree(dir);
	return rc;
}

START_TEST(test_config_keys)
{
	struct sc_config c;
	int found;

	sc_config_init(&c);
	ck_assert_int_eq(load(&c, "pyproject.toml",
		"[project]\nname = 'x'\n"
		"[tool.schemacheck]\n"
		"migrations = ['db/versions']\n"
		"models = ['app/**/*.py']\n"
		"exclude = ['vendor/**']\n"
		"select = ['SC1', 'SC201']\n"
		"ignore = 'SC102'\n"
		"since = 'abc'\n"
		"downgrade = 'forbidden'\n"
		"dialect = 'postgresql'\n"
		"release-tags = 'release-*'\n"
		"heads = 2\n"
		"code = ['app/**']\n"
		"[tool.schemacheck.severity]\n"
		"SC1 = 'warning'\n"
		"SC101 = 'error'\n"
		"[tool.schemacheck.per-file-ignores]\n"
		"'legacy/**' = ['SC101', 'SC2']\n", &found), 0);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(c.n_migrations, 1);
	ck_assert_str_eq(c.migrations[0], "db/versions");
	ck_assert_int_eq(c.n_select, 2);
	ck_assert_int_eq(c.n_ignore, 1);
	ck_assert_str_eq(c.since, "abc");
	ck_assert_int_eq(c.downgrade, SC_DOWNGRADE_FORBIDDEN);
	ck_assert_int_eq(c.dialect, SC_DIALECT_POSTGRESQL);
	ck_assert_str_eq(c.release_tags, "release-*");
	ck_assert_int_eq(c.heads, 2);
	ck_assert_int_eq(c.n_per_file_ignores, 1);
	ck_assert_int_eq(c.per_file_ignores[0].n_selectors, 2);
	/* select/ignore */
	ck_assert_int_eq(sc_config_rule_enabled(&c, sc_rule_find("SC101")), 1);
	ck_assert_int_eq(sc_config_rule_enabled(&c, sc_rule_find("SC102")), 0);
	ck_assert_int_eq(sc_config_rule_enabled(&c, sc_rule_find("SC401")), 0);
	/* the most specific severity wins */
	ck_assert_int_eq(sc_config_severity(&c, sc_rule_find("SC101")), SC_SEV_ERROR);
	ck_assert_int_eq(sc_config_severity(&c, sc_rule_find("SC102")), SC_SEV_WARNING);
	ck_assert_int_eq(sc_config_severity(&c, sc_rule_find("SC201")), SC_SEV_ERROR);
	sc_config_release(&c);

	/* a pyproject without the table configures nothing */
	sc_config_init(&c);
	ck_assert_int_eq(load(&c, "pyproject.toml", "[tool.ruff]\nx = 1\n", &found), 0);
	ck_assert_int_eq(found, 0);
	sc_config_release(&c);
}
END_TEST

static void expect_error(const char *name, const char *text, const char *msg)
{
	struct sc_config c;
	int found;
	sc_config_init(&c);
	ck_assert_int_eq(load(&c, name, text, &found), SC_EUSAGE);
	ck_assert_msg(strstr(sc_error_last(), msg) != NULL,
		      "want '%s' in '%s'", msg, sc_error_last());
	sc_config_release(&c);
}

START_TEST(test_config_errors)
{
	expect_error("pyproject.toml", "[tool.schemacheck]\n\nselct = []\n",
		     "pyproject.toml:3: unknown key 'selct' in [tool.schemacheck]");
	expect_error(".schemacheck.toml", "heads = 'two'\n",
		     ".schemacheck.toml:1: 'heads' must be an integer, not a string");
	expect_error(".schemacheck.toml", "heads = 0\n", ".schemacheck.toml:1: 'heads'");
	expect_error(".schemacheck.toml", "select = ['SC999']\n",
		     ".schemacheck.toml:1: unknown rule 'SC999' in 'select'");
	expect_error(".schemacheck.toml", "dialect = 'oracle'\n",
		     "'dialect' must be one of");
	expect_error(".schemacheck.toml", "select = [1]\n", "must be an array of strings");
	expect_error(".schemacheck.toml", "[severity]\nSC201 = 'fatal'\n",
		     ".schemacheck.toml:2: 'SC201' must be one of \"warning\", \"error\"");
	expect_error(".schemacheck.toml", "a = [\n", ".schemacheck.toml:");
}
END_TEST

START_TEST(test_discover)
{
	char *dir = tu_mkdtemp();
	struct sc_snapshot *snap = NULL;
	struct sc_layout lay;
	struct sc_config c;
	const struct sc_scriptdir *d;

	tu_write(dir, "alembic.ini", "[alembic]\nscript_location = %(here)s/db/schema\n"
		      "version_locations = %(here)s/db/schema/versions %(here)s/extra\n");
	tu_write(dir, "db/schema/versions/001_a.py", "revision = '001'\n");
	tu_write(dir, "extra/002_b.py", "revision = '002'\n");
	tu_write(dir, "svc/migrations/env.py", "\n");
	tu_write(dir, "svc/migrations/versions/liberty/expand/003.py", "revision = '003'\n");
	tu_write(dir, "svc/migrations/versions/__init__.py", "\n");
	tu_write(dir, "lonely/versions/004.py", "revision = '004'\n");
	ck_assert_int_eq(sc_snapshot_from_dir(&snap, dir), 0);
	sc_config_init(&c);
	ck_assert_int_eq(sc_layout_discover(&lay, NULL, snap, &c), 0);
	ck_assert_int_eq(lay.n_dirs, 2);
	d = sc_layout_migration_dir(&lay, "db/schema/versions/001_a.py");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->path, "db/schema");
	ck_assert_ptr_eq(sc_layout_migration_dir(&lay, "extra/002_b.py"), d);
	d = sc_layout_migration_dir(&lay, "svc/migrations/versions/liberty/expand/003.py");
	ck_assert_ptr_nonnull(d);
	ck_assert_str_eq(d->path, "svc/migrations");
	ck_assert_ptr_null(sc_layout_migration_dir(&lay, "svc/migrations/versions/__init__.py"));
	ck_assert_ptr_null(sc_layout_migration_dir(&lay, "lonely/versions/004.py"));
	sc_layout_release(&lay);

	/* configured folders replace discovery */
	sc_strlist_add(&c.migrations, &c.n_migrations, "lonely/versions");
	ck_assert_int_eq(sc_layout_discover(&lay, NULL, snap, &c), 0);
	ck_assert_int_eq(lay.n_dirs, 1);
	ck_assert_ptr_nonnull(sc_layout_migration_dir(&lay, "lonely/versions/004.py"));
	ck_assert_ptr_null(sc_layout_migration_dir(&lay, "db/schema/versions/001_a.py"));
	sc_layout_release(&lay);
	sc_config_release(&c);
	sc_snapshot_free(snap);
	tu_rmtree(dir);
}
END_TEST

START_TEST(test_paths)
{
	char *globs[] = { "legacy/**", "app/*.py", "docs" };
	ck_assert_int_eq(sc_globs_match(globs, 3, "legacy/a/b.py"), 1);
	ck_assert_int_eq(sc_globs_match(globs, 3, "app/models.py"), 1);
	ck_assert_int_eq(sc_globs_match(globs, 3, "app/sub/models.py"), 0);
	ck_assert_int_eq(sc_globs_match(globs, 3, "docs/conf.py"), 1);
	ck_assert_int_eq(sc_globs_match(globs, 3, "docsx/conf.py"), 0);
	/* glob semantics, and no exponential backtracking */
	ck_assert_int_eq(sc_glob_match("**/versions/*.py", "a/b/versions/x.py"), 1);
	ck_assert_int_eq(sc_glob_match("**/versions/*.py", "versions/x.py"), 1);
	ck_assert_int_eq(sc_glob_match("**/versions/*.py", "versions/sub/x.py"), 0);
	ck_assert_int_eq(sc_glob_match("a/**/b", "a/b"), 1);
	ck_assert_int_eq(sc_glob_match("a/**/b", "a/x/y/b"), 1);
	ck_assert_int_eq(sc_glob_match("a/**", "a/x/y"), 1);
	ck_assert_int_eq(sc_glob_match("te?t_*.py", "test_a.py"), 1);
	ck_assert_int_eq(sc_glob_match("te?t_*.py", "te/t_a.py"), 0);
	ck_assert_int_eq(sc_glob_match("*", "a/b"), 0);
	{
		struct sc_buf pat = SC_BUF_INIT, path = SC_BUF_INIT;
		int k;
		for (k = 0; k < 16; k++)
			sc_buf_adds(&pat, "**/");
		sc_buf_adds(&pat, "x");
		for (k = 0; k < 40; k++)
			sc_buf_adds(&path, "d/");
		sc_buf_adds(&path, "y");
		ck_assert_int_eq(sc_glob_match(pat.buf, path.buf), 0);
		sc_buf_reset(&pat);
		for (k = 0; k < 12; k++)
			sc_buf_adds(&pat, "*a");
		sc_buf_adds(&pat, "b");
		sc_buf_reset(&path);
		for (k = 0; k < 200; k++)
			sc_buf_addch(&path, 'a');
		ck_assert_int_eq(sc_glob_match(pat.buf, path.buf), 0);
		sc_buf_release(&pat);
		sc_buf_release(&path);
	}
	ck_assert_int_eq(sc_is_test_path("tests/test_models.py"), 1);
	ck_assert_int_eq(sc_is_test_path("app/conftest.py"), 1);
	ck_assert_int_eq(sc_is_test_path("app/models_test.py"), 1);
	ck_assert_int_eq(sc_is_test_path("app/testing_utils.py"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");
	int rc;

	tcase_set_timeout(tc, 60);
	sc_gitsrc_global_init();
	tcase_add_test(tc, test_toml_values);
	tcase_add_test(tc, test_toml_errors);
	tcase_add_test(tc, test_toml_hostile_nesting);
	tcase_add_test(tc, test_toml_wide);
	tcase_add_test(tc, test_config_too_big);
	tcase_add_test(tc, test_config_not_regular);
	tcase_add_test(tc, test_config_keys);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_discover);
	tcase_add_test(tc, test_paths);
	suite_add_tcase(s, tc);
	rc = tu_run(s);
	sc_gitsrc_global_shutdown();
	return rc;
}
