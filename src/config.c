/*
 * config.c: defaults of the configuration, string lists, and how select,
 * ignore and severity apply to a rule. (Reading [tool.schemacheck] from
 * pyproject.toml / .schemacheck.toml is layered on top of this.)
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "rule.h"
#include "toml.h"

void sc_config_init(struct sc_config *c)
{
	memset(c, 0, sizeof(*c));
	c->downgrade = SC_DOWNGRADE_REQUIRED;
	c->dialect = SC_DIALECT_GENERIC;
	c->release_tags = sc_xstrdup("v*");
	c->heads = 0;                   /* one per branch label */
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

int sc_config_severity_override(const struct sc_config *c,
				const struct sc_rule *r, enum sc_severity *out)
{
	size_t i, best = 0;
	int found = 0;

	/* the most specific selector wins (a code beats a prefix) */
	for (i = 0; i < c->n_severity; i++) {
		size_t len = strlen(c->severity[i].selector);
		if (sc_rule_matches(r, c->severity[i].selector) && len >= best) {
			best = len;
			*out = c->severity[i].severity;
			found = 1;
		}
	}
	return found;
}

enum sc_severity sc_config_severity(const struct sc_config *c,
				    const struct sc_rule *r)
{
	enum sc_severity sev = r->severity;
	sc_config_severity_override(c, r, &sev);
	return sev;
}

/* ---- reading the configuration file ---- */

struct loader {
	struct sc_config *c;
	const char *shown;      /* file name for messages */
	const char *table;      /* "[tool.schemacheck]" or "the file" */
};

static int bad(const struct loader *l, const struct sc_toml *t,
	       const char *what)
{
	return sc_error_usage("%s:%u: '%s' %s", l->shown, t->line,
			      t->key ? t->key : "value", what);
}

static int want(const struct loader *l, const struct sc_toml *t,
		enum sc_toml_type type)
{
	char what[64];
	if (t->type == type)
		return 0;
	snprintf(what, sizeof(what), "must be %s, not %s",
		 sc_toml_type_name(type), sc_toml_type_name(t->type));
	return bad(l, t, what);
}

/* A list of strings (a single string is accepted as a list of one). */
static int strlist(const struct loader *l, const struct sc_toml *t,
		   char ***list, size_t *n, int selectors)
{
	size_t i;
	if (t->type == SC_TOML_STRING) {
		if (selectors && !sc_rule_selector_valid(t->str))
			return sc_error_usage("%s:%u: unknown rule '%s' in '%s'",
					      l->shown, t->line, t->str, t->key);
		sc_strlist_free(*list, *n);
		*list = NULL;
		*n = 0;
		sc_strlist_add(list, n, t->str);
		return 0;
	}
	if (t->type != SC_TOML_ARRAY)
		return bad(l, t, "must be an array of strings");
	sc_strlist_free(*list, *n);
	*list = NULL;
	*n = 0;
	for (i = 0; i < t->n; i++) {
		const struct sc_toml *it = t->kids[i];
		if (it->type != SC_TOML_STRING)
			return sc_error_usage("%s:%u: '%s' must be an array of "
					      "strings", l->shown, it->line, t->key);
		if (selectors && !sc_rule_selector_valid(it->str))
			return sc_error_usage("%s:%u: unknown rule '%s' in '%s'",
					      l->shown, it->line, it->str, t->key);
		sc_strlist_add(list, n, it->str);
	}
	return 0;
}

static int one_of(const struct loader *l, const struct sc_toml *t,
		  const char *const *names, int *out)
{
	int i;
	struct sc_buf b = SC_BUF_INIT;
	int rc;

	if ((rc = want(l, t, SC_TOML_STRING)) < 0)
		return rc;
	for (i = 0; names[i]; i++) {
		if (!strcmp(names[i], t->str)) {
			*out = i;
			return 0;
		}
	}
	for (i = 0; names[i]; i++)
		sc_buf_addf(&b, "%s\"%s\"", i ? ", " : "", names[i]);
	rc = sc_error_usage("%s:%u: '%s' must be one of %s, not \"%s\"",
			    l->shown, t->line, t->key, b.buf, t->str);
	sc_buf_release(&b);
	return rc;
}

static int load_severity(const struct loader *l, const struct sc_toml *t)
{
	static const char *const sevs[] = { "warning", "error", NULL };
	struct sc_config *c = l->c;
	size_t i;
	int rc, sev;

	if ((rc = want(l, t, SC_TOML_TABLE)) < 0)
		return rc;
	for (i = 0; i < t->n; i++) {
		const struct sc_toml *e = t->kids[i];
		if (!sc_rule_selector_valid(e->key))
			return sc_error_usage("%s:%u: unknown rule '%s' in 'severity'",
					      l->shown, e->line, e->key);
		if ((rc = one_of(l, e, sevs, &sev)) < 0)
			return rc;
		c->severity = sc_xrealloc(c->severity,
					  (c->n_severity + 1) * sizeof(*c->severity));
		c->severity[c->n_severity].selector = sc_xstrdup(e->key);
		c->severity[c->n_severity].severity = (enum sc_severity)sev;
		c->n_severity++;
	}
	return 0;
}

static int load_per_file_ignores(const struct loader *l, const struct sc_toml *t)
{
	struct sc_config *c = l->c;
	size_t i;
	int rc;

	if ((rc = want(l, t, SC_TOML_TABLE)) < 0)
		return rc;
	for (i = 0; i < t->n; i++) {
		const struct sc_toml *e = t->kids[i];
		struct sc_per_file_ignore *p;
		c->per_file_ignores = sc_xrealloc(c->per_file_ignores,
			(c->n_per_file_ignores + 1) * sizeof(*c->per_file_ignores));
		p = &c->per_file_ignores[c->n_per_file_ignores++];
		memset(p, 0, sizeof(*p));
		p->glob = sc_xstrdup(e->key);
		if ((rc = strlist(l, e, &p->selectors, &p->n_selectors, 1)) < 0)
			return rc;
	}
	return 0;
}

static int load_table(const struct loader *l, const struct sc_toml *tab)
{
	static const char *const downgrades[] = { "required", "optional",
						  "forbidden", NULL };
	static const char *const dialects[] = { "generic", "postgresql", "mysql",
						"sqlite", NULL };
	struct sc_config *c = l->c;
	size_t i;
	int rc = 0, v;

	for (i = 0; i < tab->n && rc == 0; i++) {
		const struct sc_toml *t = tab->kids[i];
		const char *k = t->key;

		if (!strcmp(k, "migrations"))
			rc = strlist(l, t, &c->migrations, &c->n_migrations, 0);
		else if (!strcmp(k, "models"))
			rc = strlist(l, t, &c->models, &c->n_models, 0);
		else if (!strcmp(k, "exclude"))
			rc = strlist(l, t, &c->exclude, &c->n_exclude, 0);
		else if (!strcmp(k, "select"))
			rc = strlist(l, t, &c->select, &c->n_select, 1);
		else if (!strcmp(k, "ignore"))
			rc = strlist(l, t, &c->ignore, &c->n_ignore, 1);
		else if (!strcmp(k, "code"))
			rc = strlist(l, t, &c->code, &c->n_code, 0);
		else if (!strcmp(k, "severity"))
			rc = load_severity(l, t);
		else if (!strcmp(k, "per-file-ignores"))
			rc = load_per_file_ignores(l, t);
		else if (!strcmp(k, "since")) {
			if ((rc = want(l, t, SC_TOML_STRING)) == 0) {
				free(c->since);
				c->since = sc_xstrdup(t->str);
				c->since_line = t->line;
			}
		} else if (!strcmp(k, "release-tags")) {
			if ((rc = want(l, t, SC_TOML_STRING)) == 0) {
				free(c->release_tags);
				c->release_tags = sc_xstrdup(t->str);
			}
		} else if (!strcmp(k, "downgrade")) {
			if ((rc = one_of(l, t, downgrades, &v)) == 0)
				c->downgrade = (enum sc_downgrade_policy)v;
		} else if (!strcmp(k, "dialect")) {
			if ((rc = one_of(l, t, dialects, &v)) == 0)
				c->dialect = (enum sc_dialect)v;
		} else if (!strcmp(k, "heads")) {
			if ((rc = want(l, t, SC_TOML_INTEGER)) == 0) {
				if (t->num < 1 || t->num > 1000000)
					rc = bad(l, t, "must be a whole number of at least 1");
				else
					c->heads = (long)t->num;
			}
		} else {
			rc = sc_error_usage("%s:%u: unknown key '%s' in %s", l->shown,
					    t->line, k, l->table);
		}
	}
	return rc;
}

static int too_big(const char *shown, long long size)
{
	return sc_error_usage("%s: the configuration file is larger than %u MiB "
			      "(%lld bytes): not read", shown,
			      SC_CONFIG_MAX_SIZE >> 20, size);
}

/*
 * The text of configuration file `path` into *text: only a regular file
 * (opened without blocking, so a FIFO or a terminal named by --config or
 * a symlink cannot stall the run) of at most SC_CONFIG_MAX_SIZE bytes.
 */
static int read_config(const char *path, const char *shown,
		       struct sc_buf *text)
{
	char chunk[8192];
	struct stat st;
	ssize_t got;
	int fd, error = 0;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return sc_error_set("cannot read '%s': %s", shown, strerror(errno));
	if (fstat(fd, &st) < 0) {
		error = sc_error_set("cannot read '%s': %s", shown,
				     strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		error = sc_error_set("cannot read '%s': not a regular file", shown);
		goto out;
	}
	if (st.st_size > (off_t)SC_CONFIG_MAX_SIZE) {
		error = too_big(shown, (long long)st.st_size);
		goto out;
	}
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			error = sc_error_set("cannot read '%s': %s", shown,
					     strerror(errno));
			goto out;
		}
		sc_buf_add(text, chunk, (size_t)got);
		if (text->len > SC_CONFIG_MAX_SIZE) {  /* it grew meanwhile */
			error = too_big(shown, (long long)text->len);
			goto out;
		}
	}
out:
	close(fd);
	return error;
}

int sc_config_load(struct sc_config *c, const char *path, const char *shown,
		   int *found)
{
	struct sc_buf text = SC_BUF_INIT;
	struct sc_toml *root = NULL;
	const struct sc_toml *tab;
	struct loader l;
	const char *base = strrchr(path, '/');
	int error = 0, pyproject;

	*found = 0;
	base = base ? base + 1 : path;
	pyproject = !strcmp(base, "pyproject.toml");
	if ((error = read_config(path, shown, &text)) < 0)
		goto out;
	if (sc_toml_parse(&root, sc_buf_str(&text), text.len) < 0) {
		char msg[1100];
		snprintf(msg, sizeof(msg), "%s", sc_error_last());
		error = sc_error_usage("%s:%s", shown,
				       sc_starts_with(msg, "line ") ? msg + 5 : msg);
		goto out;
	}
	tab = pyproject ? sc_toml_path(root, "tool.schemacheck") : root;
	if (!tab)
		goto out;
	l.c = c;
	l.shown = shown;
	l.table = pyproject ? "[tool.schemacheck]" : "the file";
	if (tab->type != SC_TOML_TABLE) {
		error = sc_error_usage("%s:%u: 'tool.schemacheck' must be a table",
				       shown, tab->line);
		goto out;
	}
	if ((error = load_table(&l, tab)) < 0)
		goto out;
	free(c->path);
	c->path = sc_xstrdup(shown);
	*found = 1;
out:
	sc_toml_free(root);
	sc_buf_release(&text);
	return error;
}
