/*! SC302 duplicate-revision
 * ## What it does
 * Reports a migration that declares a revision id another migration of
 * the same script directory already declares. The report is on the later
 * file by path; in `--staged` and `--diff` it is on the file the change
 * brings in, so the migration already committed is left alone.
 *
 * ## Why is this bad?
 * Alembic keys its history by revision id: one of the two files silently
 * replaces the other ("Revision ... is present more than once"), so its
 * upgrade never runs, or runs in the wrong place, depending on the order
 * in which the files are listed. It usually comes from copying a
 * migration file to start a new one.
 *
 * ## Example
 * ```python
 * # versions/3f2a_add_email.py
 * revision = "3f2a"
 * down_revision = "1c9e"
 *
 * # versions/3f2a_add_phone.py (copied from the file above)
 * revision = "3f2a"
 * down_revision = "1c9e"
 * ```
 *
 * ## Use instead
 * ```python
 * # versions/7b1d_add_phone.py (from `alembic revision -m "add phone"`)
 * revision = "7b1d"
 * down_revision = "3f2a"
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "revgraph.h"
#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc302_duplicate_revision.doc.inc"
	;

/* Did "before" hold this very migration (same path, same revision)? */
static int committed(const struct sc_ctx *ctx, const struct sc_unit *u)
{
	const struct sc_unit *old;

	if (!ctx->before)
		return 1;
	old = sc_analysis_migration(ctx->before, u->file->path);
	return old && old->mig && old->mig->revision && u->mig->revision &&
	       !strcmp(old->mig->revision, u->mig->revision);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_revgraph *g = ctx->now->graph;
	unsigned char *seen = sc_xcalloc(g->n ? g->n : 1, 1);
	size_t *group = sc_xcalloc(g->n ? g->n : 1, sizeof(size_t));
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		size_t n = 0, keep;

		if (seen[i] || g->nodes[i].dup_of < 0)
			continue;
		/* the group: the first declaration and every repeat of it */
		group[n++] = (size_t)g->nodes[i].dup_of;
		for (j = 0; j < g->n; j++)
			if (g->nodes[j].dup_of == g->nodes[i].dup_of) {
				seen[j] = 1;
				group[n++] = j;
			}
		/* keep the first one "before" already had, else the first */
		keep = group[0];
		for (j = 0; j < n; j++) {
			if (committed(ctx, g->nodes[group[j]].unit)) {
				keep = group[j];
				break;
			}
		}
		for (j = 0; j < n; j++) {
			const struct sc_revnode *nd = &g->nodes[group[j]];
			const struct sc_unit *first = g->nodes[keep].unit;
			struct sc_diag *d;

			if (group[j] == keep || nd->unit->file->syntax_error)
				continue;
			d = sc_diags_add(ctx->out, self, nd->unit->file,
					 &nd->unit->mig->revision_loc,
					 "revision '%s' is declared twice: '%s' "
					 "already declares it", nd->id,
					 first->file->path);
			sc_diag_set_subject(d, NULL, NULL, nd->id);
			sc_diag_set_help(d, "give this migration a new revision id "
					 "(`alembic revision` makes one), update its "
					 "'Revision ID:' line, and make its down_revision "
					 "follow the history");
		}
	}
	free(group);
	free(seen);
}

const struct sc_rule sc_rule_SC302 = {
	.code = "SC302",
	.name = "duplicate-revision",
	.severity = SC_SEV_ERROR,
	.summary = "two migrations declare the same revision id",
	.doc = doc,
	.check = check,
};
