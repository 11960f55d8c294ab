/*
 * check_fixtures.c: the rule fixture runner. Every folder
 * testdata/<CODE>-<name>/{bad,ok}-<what>.d/ is one case:
 *   - the files of the case are a repository's files, checked as --all
 *     checks a folder; or, when the case has before/ and after/ folders,
 *     the change from before/ to after/ is checked as --staged checks a
 *     commit (only what the change introduces is reported);
 *   - an optional `args` file holds configuration, one `key = value` per
 *     line (downgrade, select, ignore, dialect, heads);
 *   - expected.diag is the exact text report (no colour, no summary);
 *     bad-* cases must report <CODE>, ok-* cases must not.
 * With SC_ACCEPT=1 the actual output is written over expected.diag.
 * On a mismatch, actual.diag is left beside expected.diag.
 */
#include <dirent.h>

#include "testutil.h"

#include "config.h"
#include "engine.h"
#include "err.h"
#include "gitsrc.h"
#include "pysrc.h"
#include "report.h"
#include "rule.h"

struct fcase {
	char *dir;   /* absolute path of the case */
	char *code;  /* SC201 */
	int bad;
};

static struct fcase *cases;
static size_t n_cases;

static int cmp_case(const void *a, const void *b)
{
	return strcmp(((const struct fcase *)a)->dir, ((const struct fcase *)b)->dir);
}

static void scan(void)
{
	char *root = sc_xasprintf("%s/testdata", SC_SRCDIR);
	DIR *d = opendir(root), *rd;
	struct dirent *e, *ce;

	if (!d) {
		free(root);
		return;
	}
	while ((e = readdir(d))) {
		char *rdir, code[16];
		if (strncmp(e->d_name, "SC", 2) || strlen(e->d_name) < 6)
			continue;
		memcpy(code, e->d_name, 5);
		code[5] = '\0';
		rdir = sc_xasprintf("%s/%s", root, e->d_name);
		rd = opendir(rdir);
		while (rd && (ce = readdir(rd))) {
			if (!sc_ends_with(ce->d_name, ".d"))
				continue;
			if (strncmp(ce->d_name, "bad-", 4) && strncmp(ce->d_name, "ok-", 3))
				continue;
			cases = sc_xrealloc(cases, (n_cases + 1) * sizeof(*cases));
			cases[n_cases].dir = sc_xasprintf("%s/%s", rdir, ce->d_name);
			cases[n_cases].code = sc_xstrdup(code);
			cases[n_cases].bad = !strncmp(ce->d_name, "bad-", 4);
			n_cases++;
		}
		if (rd)
			closedir(rd);
		free(rdir);
	}
	closedir(d);
	free(root);
	qsort(cases, n_cases, sizeof(*cases), cmp_case);
}

static char *slurp(const char *path)
{
	struct sc_buf b = SC_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sc_buf_add(&b, chunk, n);
	fclose(f);
	return sc_buf_detach(&b);
}

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *trim(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
			 e[-1] == '\r' || e[-1] == '"'))
		*--e = '\0';
	if (*s == '"')
		s++;
	return s;
}

static void read_args(const char *dir, struct sc_config *cfg)
{
	char *path = sc_xasprintf("%s/args", dir);
	char *text = slurp(path), *line, *save = NULL;

	free(path);
	if (!text)
		return;
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '='), *key, *val;
		if (!eq || line[0] == '#')
			continue;
		*eq = '\0';
		key = trim(line);
		val = trim(eq + 1);
		if (!strcmp(key, "downgrade"))
			cfg->downgrade = !strcmp(val, "optional") ? SC_DOWNGRADE_OPTIONAL
				       : !strcmp(val, "forbidden") ? SC_DOWNGRADE_FORBIDDEN
				       : SC_DOWNGRADE_REQUIRED;
		else if (!strcmp(key, "select"))
			sc_strlist_add(&cfg->select, &cfg->n_select, val);
		else if (!strcmp(key, "ignore"))
			sc_strlist_add(&cfg->ignore, &cfg->n_ignore, val);
		else if (!strcmp(key, "heads"))
			cfg->heads = strtol(val, NULL, 10);
		else if (!strcmp(key, "dialect"))
			cfg->dialect = !strcmp(val, "postgresql") ? SC_DIALECT_POSTGRESQL
				     : !strcmp(val, "mysql") ? SC_DIALECT_MYSQL
				     : !strcmp(val, "sqlite") ? SC_DIALECT_SQLITE
				     : SC_DIALECT_GENERIC;
		else
			ck_abort_msg("%s/args: unknown key '%s'", dir, key);
	}
	free(text);
}

/* Run one case; returns the text report (owned by the caller). */
static char *run_case(const struct fcase *c)
{
	struct sc_config cfg;
	struct sc_changeset *cs = NULL;
	struct sc_snapshot *before = NULL, *after = NULL;
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts ro;
	char *bdir = sc_xasprintf("%s/before", c->dir);
	char *adir = sc_xasprintf("%s/after", c->dir);
	char *out = NULL;
	size_t len = 0;
	FILE *mem;

	sc_config_init(&cfg);
	read_args(c->dir, &cfg);
	if (is_dir(bdir) && is_dir(adir)) {
		ck_assert_int_eq(sc_snapshot_from_dir(&before, bdir), 0);
		ck_assert_int_eq(sc_snapshot_from_dir(&after, adir), 0);
		cs = sc_changeset_from_snapshots(SC_MODE_STAGED, before, after);
	} else {
		ck_assert_int_eq(sc_snapshot_from_dir(&after, c->dir), 0);
		cs = sc_changeset_from_snapshots(SC_MODE_ALL, NULL, after);
	}
	ck_assert_msg(sc_engine_run(&ds, NULL, cs, &cfg) == 0, "%s: %s", c->dir,
		      sc_error_last());

	memset(&ro, 0, sizeof(ro));
	ro.format = SC_FMT_TEXT;
	ro.mode = "all";
	ro.quiet = 1;
	mem = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(sc_report_write(mem, &ds, &ro), 0);
	fclose(mem);

	sc_diags_release(&ds);
	sc_changeset_free(cs);
	sc_config_release(&cfg);
	free(bdir);
	free(adir);
	return out;
}

START_TEST(test_fixture)
{
	const struct fcase *c = &cases[_i];
	char *want_path = sc_xasprintf("%s/expected.diag", c->dir);
	char *act_path = sc_xasprintf("%s/actual.diag", c->dir);
	char *tag = sc_xasprintf("[%s]", c->code);
	char *got = run_case(c), *want;

	if (getenv("SC_ACCEPT") && !strcmp(getenv("SC_ACCEPT"), "1")) {
		FILE *f = fopen(want_path, "wb");
		ck_assert_ptr_nonnull(f);
		fputs(got, f);
		fclose(f);
	}
	want = slurp(want_path);
	ck_assert_msg(want != NULL, "%s: missing expected.diag", c->dir);
	if (strcmp(got, want)) {
		FILE *f = fopen(act_path, "wb");
		if (f) {
			fputs(got, f);
			fclose(f);
		}
		ck_abort_msg("%s: output differs from expected.diag "
			     "(see actual.diag):\n%s", c->dir, got);
	}
	remove(act_path);
	if (c->bad)
		ck_assert_msg(strstr(got, tag) != NULL,
			      "%s: a bad case must report %s", c->dir, c->code);
	else
		ck_assert_msg(strstr(got, tag) == NULL,
			      "%s: an ok case must not report %s", c->dir, c->code);
	free(got);
	free(want);
	free(tag);
	free(act_path);
	free(want_path);
}
END_TEST

/* Every rule has documentation sections and both kinds of fixture. */
START_TEST(test_every_rule_has_fixtures_and_docs)
{
	size_t i, j;
	for (i = 0; i < sc_n_rules; i++) {
		const struct sc_rule *r = sc_rules[i];
		int bad = 0, ok = 0;
		for (j = 0; j < n_cases; j++) {
			if (strcmp(cases[j].code, r->code))
				continue;
			if (cases[j].bad)
				bad++;
			else
				ok++;
		}
		ck_assert_msg(bad > 0, "%s has no bad-*.d fixture", r->code);
		ck_assert_msg(ok > 0, "%s has no ok-*.d fixture", r->code);
		ck_assert_msg(strstr(r->doc, "## What it does") &&
			      strstr(r->doc, "## Why is this bad?") &&
			      strstr(r->doc, "## Example") &&
			      strstr(r->doc, "## Use instead"),
			      "%s: documentation lacks a section", r->code);
		if (i)
			ck_assert_msg(strcmp(sc_rules[i - 1]->code, r->code) < 0,
				      "rules.def is not sorted at %s", r->code);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("fixtures");
	TCase *tc = tcase_create("rules");
	int rc;
	size_t i;

	sc_gitsrc_global_init();
	scan();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_every_rule_has_fixtures_and_docs);
	if (n_cases)
		tcase_add_loop_test(tc, test_fixture, 0, (int)n_cases);
	suite_add_tcase(s, tc);
	rc = tu_run(s);
	for (i = 0; i < n_cases; i++) {
		free(cases[i].dir);
		free(cases[i].code);
	}
	free(cases);
	sc_pysrc_shutdown();
	sc_gitsrc_global_shutdown();
	return rc;
}
