/*! SC301 missing-revision-id
 * ## What it does
 * Reports a Python file in a versions folder that has no module-level
 * `revision` or no `down_revision` assignment. `__init__.py` is not a
 * migration; a `revision` that is assigned something other than a
 * literal (a constant from another module) is present, not missing. A
 * file in a nested folder under versions/ that has neither variable nor
 * an `upgrade()`/`downgrade()` is taken for a helper module and left
 * alone.
 *
 * ## Why is this bad?
 * Alembic loads every `.py` file of a versions folder as a revision:
 * without `revision` it refuses to start ("Could not determine revision
 * id from filename"), and without `down_revision` it fails with an
 * AttributeError, so no `alembic upgrade` can run at all. Without them
 * the migration also has no place in the history.
 *
 * ## Example
 * ```python
 * """add email
 *
 * Revision ID: 3f2a
 * Revises: 1c9e
 * """
 * from alembic import op
 *
 * def upgrade():
 *     op.add_column("users", sa.Column("email", sa.String(100)))
 * ```
 *
 * ## Use instead
 * ```python
 * """add email
 *
 * Revision ID: 3f2a
 * Revises: 1c9e
 * """
 * from alembic import op
 *
 * revision = "3f2a"
 * down_revision = "1c9e"
 * branch_labels = None
 * depends_on = None
 *
 * def upgrade():
 *     op.add_column("users", sa.Column("email", sa.String(100)))
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "revgraph.h"
#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc301_missing_revision_id.doc.inc"
	;

/* Is `path` below a folder of versions/ (not directly in it)? */
static int nested(const struct sc_unit *u)
{
	const char *dir = u->script_dir ? u->script_dir : "";
	const char *p = u->file->path;
	size_t n = strlen(dir);

	if (n) {
		if (strncmp(p, dir, n) || p[n] != '/')
			return 1;
		p += n + 1;
	}
	if (strncmp(p, "versions/", 9))
		return 1;   /* a version location of its own: we cannot tell */
	return strchr(p + 9, '/') != NULL;
}

/* The id the file's name suggests ("3f2a" of "3f2a_add_email.py"), or NULL. */
static char *id_from_name(const char *path)
{
	const char *base = strrchr(path, '/'), *e;

	base = base ? base + 1 : path;
	for (e = base; (*e >= '0' && *e <= '9') || (*e >= 'a' && *e <= 'f'); e++)
		;
	if (e - base < 3 || (*e != '_' && strcmp(e, ".py")))
		return NULL;
	return sc_xstrndup(base, (size_t)(e - base));
}

/* The head of the script directory that is not `u`, if exactly one. */
static const char *other_head(const struct sc_ctx *ctx, const struct sc_unit *u)
{
	const struct sc_revgraph *g = ctx->now->graph;
	const struct sc_revdir *d = sc_revgraph_dir(g, u->script_dir ? u->script_dir : "");
	const char *found = NULL;
	size_t i;

	for (i = 0; d && i < d->n_heads; i++) {
		const struct sc_revnode *h = &g->nodes[d->heads[i]];
		if (h->unit == u)
			continue;
		if (found)
			return NULL;
		found = h->id;
	}
	return found;
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		const struct sc_migration *m = u->mig;
		const char *parent;
		struct sc_diag *d;
		char *id = NULL;

		if (u->file->syntax_error ||
		    (m->has_revision && m->has_down_revision))
			continue;
		if (!m->has_revision && !m->has_down_revision &&
		    m->upgrade_kind == SC_BODY_ABSENT &&
		    m->downgrade_kind == SC_BODY_ABSENT && nested(u))
			continue;
		parent = other_head(ctx, u);
		if (!m->has_revision) {
			id = m->doc_revision_id && *m->doc_revision_id
				     ? sc_xstrdup(m->doc_revision_id)
				     : id_from_name(u->file->path);
			d = sc_diags_add(ctx->out, self, u->file, NULL,
					 "migration '%s' has no 'revision' "
					 "variable%s", u->file->path,
					 m->has_down_revision ? ""
					 : " and no 'down_revision'");
			sc_diag_set_subject(d, NULL, NULL, NULL);
			if (m->has_down_revision)
				sc_diag_set_help(d, "add `revision = '%s'` at module "
						 "level, as `alembic revision` writes it",
						 id ? id : "<new id>");
			else
				sc_diag_set_help(d, "add `revision = '%s'` and "
						 "`down_revision = %s%s%s` at module "
						 "level, as `alembic revision` writes them",
						 id ? id : "<new id>", parent ? "'" : "",
						 parent ? parent : "<parent id or None>",
						 parent ? "'" : "");
		} else {
			d = sc_diags_add(ctx->out, self, u->file, &m->revision_loc,
					 "migration '%s' in '%s' has no "
					 "'down_revision' variable",
					 sc_unit_label(u), u->file->path);
			sc_diag_set_subject(d, NULL, NULL, m->revision);
			if (m->doc_revises && *m->doc_revises &&
			    !strchr(m->doc_revises, ' '))
				sc_diag_set_help(d, "add `down_revision = '%s'` "
						 "(the docstring's Revises:) below "
						 "`revision`", m->doc_revises);
			else
				sc_diag_set_help(d, "add `down_revision = %s%s%s` "
						 "below `revision` (None only for the "
						 "first migration)", parent ? "'" : "",
						 parent ? parent : "<parent id>",
						 parent ? "'" : "");
		}
		free(id);
	}
}

const struct sc_rule sc_rule_SC301 = {
	.code = "SC301",
	.name = "missing-revision-id",
	.severity = SC_SEV_ERROR,
	.summary = "a file in a versions folder lacks `revision` or `down_revision`",
	.doc = doc,
	.check = check,
};
