/*! SC405 migration-imports-models
 * ## What it does
 * Reports a migration that imports one of the application's model
 * modules: a module whose dotted name is that of a model file of the
 * repository (`from app.models import User`, `import app.models`, `from
 * app import models`, `from myapp.db.models.user import User`; a file
 * `src/app/models.py` is the module `app.models` as well as
 * `src.app.models`). Imports inside `upgrade()`/`downgrade()` count.
 *
 * ## Why is this bad?
 * A migration is a snapshot of the schema at one point of history; the
 * models are the schema of today. A migration that uses them changes
 * meaning when a model changes, and breaks (`ImportError`,
 * `AttributeError`, a column that does not exist yet) when a model is
 * renamed, split or removed, on every fresh database that replays the
 * history.
 *
 * ## Example
 * ```python
 * from app.models import User
 *
 * def upgrade():
 *     op.add_column("users", sa.Column("active", sa.Boolean()))
 *     op.execute(sa.update(User).values(active=True))
 * ```
 *
 * ## Use instead
 * ```python
 * def upgrade():
 *     op.add_column("users", sa.Column("active", sa.Boolean()))
 *     users = sa.table("users", sa.column("active", sa.Boolean()))
 *     op.execute(users.update().values(active=True))
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "rule.h"
#include "ruleutil.h"
#include "util.h"

static const char doc[] =
#include "sc405_migration_imports_models.doc.inc"
	;

/*
 * The model file whose module is `mod` (borrowed path), or NULL. A path
 * a/b/c.py (or a/b/c/__init__.py) is the module a.b.c and every dotted
 * suffix of it of at least two parts (b.c), and the single part c only
 * when that is the whole path.
 */
static const char *model_file_of(const struct sc_analysis *a, const char *mod)
{
	size_t i, mlen = strlen(mod);

	if (!mlen || mod[0] == '.')
		return NULL;        /* relative: not resolved */
	for (i = 0; i < a->n_models; i++) {
		const char *path = a->models[i]->file->path;
		size_t len = strlen(path), k;
		char *dotted;
		int hit = 0;

		if (len < 3 || strcmp(path + len - 3, ".py"))
			continue;
		len -= 3;
		if (len >= 9 && !strncmp(path + len - 9, "/__init__", 9))
			len -= 9;
		else if (len == 8 && !strncmp(path, "__init__", 8))
			continue;
		if (len < mlen)
			continue;
		dotted = sc_xstrndup(path, len);
		for (k = 0; k < len; k++)
			if (dotted[k] == '/')
				dotted[k] = '.';
		/* a suffix starting at a part boundary */
		if (!strcmp(dotted + len - mlen, mod) &&
		    (len == mlen || dotted[len - mlen - 1] == '.'))
			hit = len == mlen || strchr(mod, '.') != NULL;
		free(dotted);
		if (hit)
			return path;
	}
	return NULL;
}

/* Does line[0..len) hold `word` bounded by blanks, commas or its ends? */
static int has_token(const char *line, size_t len, const char *word)
{
	size_t n = strlen(word), i;

	for (i = 0; n && i + n <= len; i++) {
		if (memcmp(line + i, word, n))
			continue;
		if ((i == 0 || line[i - 1] == ' ' || line[i - 1] == ',' ||
		     line[i - 1] == '\t' || line[i - 1] == '(') &&
		    (i + n == len || strchr(" ,\t\r)", line[i + n])))
			return 1;
	}
	return 0;
}

/*
 * Where the import of `mod` is written: the first line `import mod`,
 * `from mod import ...`, or for from_import ("a.b" read from `from a
 * import b`) `from a import ... b ...`.
 */
static struct sc_loc import_loc(const struct sc_srcfile *f, const char *mod,
				int from_import)
{
	struct sc_loc loc;
	const char *line, *p, *end;
	char *parent = sc_xstrdup(mod), *last = NULL, *dot;
	unsigned row = 0;

	memset(&loc, 0, sizeof(loc));
	if (from_import && (dot = strrchr(parent, '.'))) {
		*dot = '\0';
		last = dot + 1;
	}
	for (line = f->data; line && *line; row++) {
		size_t n, k;
		int hit = 0;

		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		for (p = line; p < end && (*p == ' ' || *p == '\t'); p++)
			;
		n = (size_t)(end - p);
		k = strlen(parent);
		if (n > 5 && !strncmp(p, "from ", 5)) {
			const char *m = p + 5;
			while (*m == ' ')
				m++;
			hit = (size_t)(end - m) > k && !strncmp(m, parent, k) &&
			      m[k] == ' ' &&
			      (!last || has_token(m + k, (size_t)(end - m) - k, last));
		} else if (!last && n > 7 && !strncmp(p, "import ", 7)) {
			hit = has_token(p + 7, n - 7, mod);
		}
		if (hit) {
			loc.row = loc.end_row = row;
			loc.col = (unsigned)(p - line);
			loc.end_col = (unsigned)(end - line);
			while (loc.end_col > loc.col &&
			       (line[loc.end_col - 1] == ' ' ||
				line[loc.end_col - 1] == '\r'))
				loc.end_col--;
			break;
		}
		line = *end ? end + 1 : end;
	}
	free(parent);
	return loc;
}

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const char *mod, const char *path,
		   int from_import)
{
	struct sc_loc loc = import_loc(u->file, mod, from_import);
	struct sc_diag *d;

	d = sc_diags_add(ctx->out, self, u->file, &loc,
			 "migration %s imports the application's models "
			 "('%s', %s)", sc_unit_label(u), mod, path);
	sc_diag_set_subject(d, NULL, NULL, u->mig->revision);
	sc_diag_set_help(d, "copy what the migration needs into it (for data: "
			    "sa.table('users', sa.column('id'), ...); for DDL: "
			    "the sa.Column(...) definitions), so that it stays "
			    "valid when the models change");
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_analysis *a = ctx->now;
	size_t i, j, k;

	if (!a->n_models)
		return;
	for (i = 0; i < a->n_migrations; i++) {
		const struct sc_unit *u = a->migrations[i];
		const struct sc_migration *m = u->mig;
		const char **seen;
		size_t n_seen = 0;

		if (!m || !m->n_imports)
			continue;
		seen = sc_xcalloc(m->n_imports + m->n_from_imports, sizeof(*seen));
		for (j = 0; j < m->n_imports + m->n_from_imports; j++) {
			int from = j >= m->n_imports;
			const char *mod = from ? m->from_imports[j - m->n_imports]
					       : m->imports[j];
			const char *path = model_file_of(a, mod);

			if (!path)
				continue;
			for (k = 0; k < n_seen && strcmp(seen[k], path); k++)
				;
			if (k < n_seen)
				continue;       /* one finding per model file */
			seen[n_seen++] = path;
			report(ctx, self, u, mod, path, from);
		}
		free(seen);
	}
}

const struct sc_rule sc_rule_SC405 = {
	.code = "SC405",
	.name = "migration-imports-models",
	.severity = SC_SEV_WARNING,
	.summary = "a migration imports the application's model modules",
	.doc = doc,
	.check = check,
};
