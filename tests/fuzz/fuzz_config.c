/*
 * fuzz_config.c: TOML and the configuration. The input is parsed by
 * sc_toml_parse (and looked up by dotted paths), then written to a
 * temporary file and read by sc_config_load, as pyproject.toml when the
 * first byte is odd and as .schemacheck.toml otherwise; the loaded
 * selectors are then applied to every rule.
 */
#include "fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "rule.h"
#include "toml.h"
#include "util.h"

static char *tmpdir, *pyproject, *dotfile;

static void cleanup(void)
{
	if (pyproject)
		unlink(pyproject);
	if (dotfile)
		unlink(dotfile);
	if (tmpdir)
		rmdir(tmpdir);
	free(pyproject);
	free(dotfile);
	free(tmpdir);
}

static int setup(void)
{
	const char *base = getenv("TMPDIR");
	char *t;

	if (tmpdir)
		return 0;
	t = sc_xasprintf("%s/sc-fuzz-config-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(t)) {
		perror("fuzz_config: mkdtemp");
		free(t);
		return -1;
	}
	tmpdir = t;
	pyproject = sc_xasprintf("%s/pyproject.toml", tmpdir);
	dotfile = sc_xasprintf("%s/.schemacheck.toml", tmpdir);
	atexit(cleanup);
	return 0;
}

static void toml_walk(const struct sc_toml *t, unsigned depth, size_t *n)
{
	size_t i;

	/* the tree is as deep as the input nests; stay shallow here */
	if (!t || depth > 64)
		return;
	(*n)++;
	(void)sc_toml_type_name(t->type);
	for (i = 0; i < t->n; i++)
		toml_walk(t->kids[i], depth + 1, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_toml *root = NULL;
	struct sc_config c;
	const char *path;
	size_t i, n = 0;
	int found = 0;
	FILE *f;

	if (setup() < 0)
		abort();

	if (sc_toml_parse(&root, (const char *)data, size) == 0) {
		toml_walk(root, 0, &n);
		(void)sc_toml_path(root, "tool.schemacheck");
		(void)sc_toml_path(root, "tool.schemacheck.per-file-ignores");
		(void)sc_toml_get(root, "select");
	}
	sc_toml_free(root);
	sc_error_clear();

	path = size && (data[0] & 1) ? pyproject : dotfile;
	if (!(f = fopen(path, "wb")) ||
	    (size && fwrite(data, 1, size, f) != size) || fclose(f)) {
		perror("fuzz_config: write");
		abort();
	}
	sc_config_init(&c);
	if (sc_config_load(&c, path, path + strlen(tmpdir) + 1, &found) == 0)
		for (i = 0; i < sc_n_rules; i++) {
			(void)sc_config_rule_enabled(&c, sc_rules[i]);
			(void)sc_config_severity(&c, sc_rules[i]);
		}
	sc_config_release(&c);
	sc_error_clear();
	return 0;
}
