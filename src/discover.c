/*
 * discover.c: finding Alembic script directories and versions folders in
 * a snapshot. alembic.ini is parsed with inih.
 */
#include "discover.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "toml.h"

int sc_globs_match(char *const *globs, size_t n, const char *path)
{
	size_t i;
	for (i = 0; i < n; i++) {
		const char *g = globs[i];
		size_t gl = strlen(g);
		if (sc_glob_match(g, path))
			return 1;
		/* a folder given without a glob covers what is below it */
		if (!strpbrk(g, "*?[") && !strncmp(g, path, gl) &&
		    (g[gl - 1] == '/' || path[gl] == '/'))
			return 1;
	}
	return 0;
}

int sc_is_test_path(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (sc_starts_with(base, "test_") || sc_ends_with(base, "_test.py") ||
	    !strcmp(base, "conftest.py"))
		return 1;
	return sc_starts_with(path, "tests/") || sc_starts_with(path, "test/") ||
	       strstr(path, "/tests/") || strstr(path, "/test/");
}

/* Normalise a relative path: drop "." segments, fold "..", strip '/'. */
static char *normalize(const char *p)
{
	struct sc_buf b = SC_BUF_INIT;
	const char *s = p;

	while (*s) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* skip */
		} else if (n == 2 && s[0] == '.' && s[1] == '.') {
			char *slash = b.len ? strrchr(b.buf, '/') : NULL;
			if (slash) {
				b.len = (size_t)(slash - b.buf);
				b.buf[b.len] = '\0';
			} else {
				sc_buf_reset(&b);
			}
		} else {
			if (b.len)
				sc_buf_addch(&b, '/');
			sc_buf_add(&b, s, n);
		}
		s += n;
		if (*s == '/')
			s++;
	}
	return sc_buf_detach(&b);
}

static char *dirname_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? sc_xstrndup(path, (size_t)(slash - path)) : sc_xstrdup("");
}

static char *join(const char *dir, const char *rel)
{
	char *tmp = *dir ? sc_xasprintf("%s/%s", dir, rel) : sc_xstrdup(rel);
	char *n = normalize(tmp);
	free(tmp);
	return n;
}

static struct sc_scriptdir *find_dir(struct sc_layout *l, const char *path)
{
	size_t i;
	for (i = 0; i < l->n_dirs; i++)
		if (!strcmp(l->dirs[i].path, path))
			return &l->dirs[i];
	return NULL;
}

static struct sc_scriptdir *add_dir(struct sc_layout *l, const char *path)
{
	struct sc_scriptdir *d = find_dir(l, path);
	if (d)
		return d;
	l->dirs = sc_xrealloc(l->dirs, (l->n_dirs + 1) * sizeof(*d));
	d = &l->dirs[l->n_dirs++];
	memset(d, 0, sizeof(*d));
	d->path = sc_xstrdup(path);
	return d;
}

static void add_versions(struct sc_scriptdir *d, const char *v)
{
	size_t i;
	for (i = 0; i < d->n_versions; i++)
		if (!strcmp(d->versions[i], v))
			return;
	sc_strlist_add(&d->versions, &d->n_versions, v);
}

struct ini_state {
	const char *here;      /* folder of the ini file */
	char *script_location;
	char *version_locations;
	char *separator;
};

/* Replace %(here)s by the ini's folder ("" → "."). */
static char *expand_here(const char *v, const char *here)
{
	struct sc_buf b = SC_BUF_INIT;
	const char *p;
	while ((p = strstr(v, "%(here)s"))) {
		sc_buf_add(&b, v, (size_t)(p - v));
		sc_buf_adds(&b, *here ? here : ".");
		v = p + 8;
	}
	sc_buf_adds(&b, v);
	return sc_buf_detach(&b);
}

static int on_ini(void *user, const char *section, const char *name,
		  const char *value)
{
	struct ini_state *st = user;
	if (strcmp(section, "alembic"))
		return 1;
	if (!strcmp(name, "script_location")) {
		free(st->script_location);
		st->script_location = sc_xstrdup(value);
	} else if (!strcmp(name, "version_locations")) {
		free(st->version_locations);
		st->version_locations = sc_xstrdup(value);
	} else if (!strcmp(name, "version_path_separator")) {
		free(st->separator);
		st->separator = sc_xstrdup(value);
	}
	return 1;
}

/* A location as written in alembic.ini → repo-relative folder. */
static char *ini_path(const char *value, const char *here)
{
	char *v = expand_here(value, here), *colon, *r;
	/* "package:folder" (a package resource): read as package/folder */
	colon = strchr(v, ':');
	if (colon && !strchr(v, '/'))
		*colon = '/';
	if (v[0] == '/') {
		r = NULL; /* absolute paths outside the snapshot are not ours */
	} else if (!strncmp(v, "./", 2) || !*here || strstr(value, "%(here)s")) {
		r = strstr(value, "%(here)s") ? normalize(v) : join(here, v);
	} else {
		/* alembic resolves relative to the current folder, which is
		 * conventionally the ini's folder */
		r = join(here, v);
	}
	free(v);
	return r;
}

static void read_ini(struct sc_layout *l, struct sc_repo *repo,
		     const struct sc_snapshot *snap, const struct sc_entry *e)
{
	struct ini_state st = { NULL, NULL, NULL, NULL };
	char *data = NULL, *here = dirname_of(e->path), *loc;
	size_t len;
	struct sc_scriptdir *d;

	st.here = here;
	if (sc_repo_read(repo, snap, e, &data, &len) < 0 || !data)
		goto out;
	ini_parse_string(data, on_ini, &st);
	if (!st.script_location)
		goto out;
	loc = ini_path(st.script_location, here);
	if (!loc)
		goto out;
	d = add_dir(l, loc);
	{
		char *v = *loc ? sc_xasprintf("%s/versions", loc)
			       : sc_xstrdup("versions");
		add_versions(d, v);
		free(v);
	}
	free(loc);
	if (st.version_locations) {
		const char *seps = " ,";
		char *list = sc_xstrdup(st.version_locations), *tok, *save = NULL;
		if (st.separator && !strcmp(st.separator, "os"))
			seps = ":";
		else if (st.separator && !strcmp(st.separator, "newline"))
			seps = "\n";
		else if (st.separator && strlen(st.separator) == 1)
			seps = st.separator;
		for (tok = strtok_r(list, seps, &save); tok;
		     tok = strtok_r(NULL, seps, &save)) {
			char *v;
			while (*tok == ' ' || *tok == '\n')
				tok++;
			if (!*tok)
				continue;
			v = ini_path(tok, here);
			if (v)
				add_versions(d, v);
			free(v);
		}
		free(list);
	}
out:
	free(st.script_location);
	free(st.version_locations);
	free(st.separator);
	free(data);
	free(here);
}

/* [tool.alembic] in a pyproject.toml (Alembic 1.16+): script_location and
 * version_locations (a string or an array). */
static void read_pyproject(struct sc_layout *l, struct sc_repo *repo,
			   const struct sc_snapshot *snap,
			   const struct sc_entry *e)
{
	char *data = NULL, *here = dirname_of(e->path), *loc = NULL;
	struct sc_toml *root = NULL;
	const struct sc_toml *sl, *vl;
	struct sc_scriptdir *d;
	size_t len, i;

	if (sc_repo_read(repo, snap, e, &data, &len) < 0 || !data)
		goto out;
	if (!strstr(data, "tool.alembic") || sc_toml_parse(&root, data, len) < 0)
		goto out;
	sl = sc_toml_path(root, "tool.alembic.script_location");
	if (!sl || sl->type != SC_TOML_STRING)
		goto out;
	loc = ini_path(sl->str, here);
	if (!loc)
		goto out;
	d = add_dir(l, loc);
	{
		char *v = *loc ? sc_xasprintf("%s/versions", loc)
			       : sc_xstrdup("versions");
		add_versions(d, v);
		free(v);
	}
	vl = sc_toml_path(root, "tool.alembic.version_locations");
	for (i = 0; vl && i < (vl->type == SC_TOML_ARRAY ? vl->n : 1); i++) {
		const struct sc_toml *it = vl->type == SC_TOML_ARRAY ? vl->kids[i] : vl;
		char *v;
		if (it->type != SC_TOML_STRING)
			continue;
		v = ini_path(it->str, here);
		if (v)
			add_versions(d, v);
		free(v);
	}
out:
	sc_toml_free(root);
	free(loc);
	free(data);
	free(here);
}

int sc_layout_discover(struct sc_layout *out, struct sc_repo *repo,
		       const struct sc_snapshot *snap,
		       const struct sc_config *cfg)
{
	size_t i;

	memset(out, 0, sizeof(*out));
	if (cfg->n_migrations) {
		for (i = 0; i < cfg->n_migrations; i++) {
			char *v = normalize(cfg->migrations[i]);
			char *parent = dirname_of(v);
			add_versions(add_dir(out, parent), v);
			free(parent);
			free(v);
		}
		return 0;
	}
	for (i = 0; i < snap->n; i++) {
		const char *p = snap->entries[i].path;
		const char *base = strrchr(p, '/');
		base = base ? base + 1 : p;
		if (sc_globs_match(cfg->exclude, cfg->n_exclude, p))
			continue;
		if (!strcmp(base, "alembic.ini"))
			read_ini(out, repo, snap, &snap->entries[i]);
		else if (!strcmp(base, "pyproject.toml"))
			read_pyproject(out, repo, snap, &snap->entries[i]);
	}
	for (i = 0; i < snap->n; i++) {
		const char *p = snap->entries[i].path;
		char *dir, *versions;
		const struct sc_entry *e;
		size_t vl;
		if (strcmp(p, "env.py") && !sc_ends_with(p, "/env.py"))
			continue;
		dir = dirname_of(p);
		versions = *dir ? sc_xasprintf("%s/versions/", dir)
				: sc_xstrdup("versions/");
		vl = strlen(versions);
		/* is there any file below versions/? (entries are sorted) */
		e = NULL;
		{
			size_t lo = 0, hi = snap->n;
			while (lo < hi) {
				size_t mid = lo + (hi - lo) / 2;
				if (strcmp(snap->entries[mid].path, versions) < 0)
					lo = mid + 1;
				else
					hi = mid;
			}
			if (lo < snap->n &&
			    !strncmp(snap->entries[lo].path, versions, vl))
				e = &snap->entries[lo];
		}
		if (e && !sc_globs_match(cfg->exclude, cfg->n_exclude, p)) {
			versions[vl - 1] = '\0';
			add_versions(add_dir(out, dir), versions);
		}
		free(versions);
		free(dir);
	}
	return 0;
}

void sc_layout_release(struct sc_layout *l)
{
	size_t i;
	for (i = 0; i < l->n_dirs; i++) {
		free(l->dirs[i].path);
		sc_strlist_free(l->dirs[i].versions, l->dirs[i].n_versions);
	}
	free(l->dirs);
	memset(l, 0, sizeof(*l));
}

const struct sc_scriptdir *sc_layout_migration_dir(const struct sc_layout *l,
						   const char *path)
{
	size_t i, j;
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!sc_ends_with(path, ".py") || !strcmp(base, "__init__.py") ||
	    strstr(path, "/__pycache__/"))
		return NULL;
	for (i = 0; i < l->n_dirs; i++)
		for (j = 0; j < l->dirs[i].n_versions; j++) {
			const char *v = l->dirs[i].versions[j];
			size_t n = strlen(v);
			if (!strncmp(path, v, n) && path[n] == '/')
				return &l->dirs[i];
		}
	return NULL;
}
