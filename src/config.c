/*
 * config.c: defaults of the configuration, string lists, and how select,
 * ignore and severity apply to a rule. (Reading [tool.schemacheck] from
 * pyproject.toml / .schemacheck.toml is layered on top of this.)
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rule.h"

void sc_config_init(struct sc_config *c)
{
	memset(c, 0, sizeof(*c));
	c->downgrade = SC_DOWNGRADE_REQUIRED;
	c->dialect = SC_DIALECT_GENERIC;
	c->release_tags = sc_xstrdup("v*");
	c->heads = 1;
}

void sc_strlist_add(char ***list, size_t *n, const char *s)
{
	*list = sc_xrealloc(*list, (*n + 1) * sizeof(**list));
	(*list)[(*n)++] = sc_xstrdup(s);
}

void sc_strlist_free(char **list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

void sc_config_release(struct sc_config *c)
{
	size_t i;

	free(c->path);
	sc_strlist_free(c->migrations, c->n_migrations);
	sc_strlist_free(c->models, c->n_models);
	sc_strlist_free(c->exclude, c->n_exclude);
	sc_strlist_free(c->select, c->n_select);
	sc_strlist_free(c->ignore, c->n_ignore);
	for (i = 0; i < c->n_severity; i++)
		free(c->severity[i].selector);
	free(c->severity);
	for (i = 0; i < c->n_per_file_ignores; i++) {
		free(c->per_file_ignores[i].glob);
		sc_strlist_free(c->per_file_ignores[i].selectors,
				c->per_file_ignores[i].n_selectors);
	}
	free(c->per_file_ignores);
	free(c->since);
	free(c->release_tags);
	sc_strlist_free(c->code, c->n_code);
	memset(c, 0, sizeof(*c));
}

static int any_matches(char *const *sels, size_t n, const struct sc_rule *r)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (sc_rule_matches(r, sels[i]))
			return 1;
	return 0;
}

int sc_config_rule_enabled(const struct sc_config *c, const struct sc_rule *r)
{
	if (c->n_select && !any_matches(c->select, c->n_select, r))
		return 0;
	return !any_matches(c->ignore, c->n_ignore, r);
}

enum sc_severity sc_config_severity(const struct sc_config *c,
				    const struct sc_rule *r)
{
	enum sc_severity sev = r->severity;
	size_t i, best = 0;

	/* the most specific selector wins (a code beats a prefix) */
	for (i = 0; i < c->n_severity; i++) {
		size_t len = strlen(c->severity[i].selector);
		if (sc_rule_matches(r, c->severity[i].selector) && len >= best) {
			best = len;
			sev = c->severity[i].severity;
		}
	}
	return sev;
}
