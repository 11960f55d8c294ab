/*
 * testutil.h: helpers shared by the check suites: a temporary folder per
 * test, writing files, running shell commands, and the suite runner.
 * Header-only so each tests/check_<module>.c is one self-contained binary.
 */
#ifndef SC_TESTUTIL_H
#define SC_TESTUTIL_H

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* A fresh temporary folder (owned by the caller; remove with tu_rmtree). */
static inline char *tu_mkdtemp(void)
{
	char tmpl[] = "/tmp/sc-test-XXXXXX";
	char *d = mkdtemp(tmpl);
	ck_assert_ptr_nonnull(d);
	return sc_xstrdup(d);
}

/* Write `content` to dir/rel, creating parent folders. */
static inline void tu_write(const char *dir, const char *rel, const char *content)
{
	char *path = sc_xasprintf("%s/%s", dir, rel);
	char *p;
	FILE *f;

	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	fputs(content, f);
	fclose(f);
	free(path);
}

/* Run a shell command (in dir when not NULL); returns its exit status. */
static inline int tu_sh(const char *dir, const char *fmt, ...) SC_PRINTF(2, 3);
static inline int tu_sh(const char *dir, const char *fmt, ...)
{
	va_list ap;
	char *cmd, *full;
	int rc;

	va_start(ap, fmt);
	cmd = sc_xvasprintf(fmt, ap);
	va_end(ap);
	full = dir ? sc_xasprintf("cd '%s' && { %s ; } >/dev/null 2>&1", dir, cmd)
		   : sc_xasprintf("{ %s ; } >/dev/null 2>&1", cmd);
	rc = system(full);
	free(cmd);
	free(full);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Initialise a git repository with a fixed identity in dir. */
static inline void tu_git_init(const char *dir)
{
	ck_assert_int_eq(tu_sh(dir, "git init -q -b main . && "
				    "git config user.email t@example.com && "
				    "git config user.name Test && "
				    "git config commit.gpgsign false && "
				    "git config gc.auto 0"), 0);
}

/* `prefix`, then `unit` n times, then `suffix`, and its length in *len
 * (owned by the caller): the large hostile texts of the tests. */
static inline char *tu_repeat(const char *prefix, const char *unit, size_t n,
			      const char *suffix, size_t *len)
{
	size_t pl = strlen(prefix), ul = strlen(unit), sl = strlen(suffix), i;
	char *s = sc_xmalloc(pl + ul * n + sl + 1), *p = s;

	memcpy(p, prefix, pl);
	p += pl;
	for (i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, suffix, sl + 1);
	*len = pl + ul * n + sl;
	return s;
}

static inline void tu_rmtree(char *dir)
{
	if (dir && !strncmp(dir, "/tmp/sc-test-", 13))
		tu_sh(NULL, "rm -rf '%s'", dir);
	free(dir);
}

/* Run a suite and return the process exit status. */
static inline int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
