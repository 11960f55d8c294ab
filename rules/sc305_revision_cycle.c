/*! SC305 revision-cycle
 * ## What it does
 * Reports a cycle in the `down_revision` graph of a script directory: a
 * revision that names itself as its `down_revision`, or revisions that
 * lead back to themselves (`a` revises `b`, `b` revises `a`). Each cycle
 * is reported once, at the first of its migrations by path, with the
 * revisions that form it.
 *
 * ## Why is this bad?
 * Alembic refuses to load the history ("Cycle is detected in revisions"
 * or "Self-loop is detected"), so no migration can run. It happens when a
 * migration is rebased by hand and the wrong id is pasted into
 * `down_revision`.
 *
 * ## Example
 * ```python
 * # versions/3f2a_add_email.py         # versions/7b1d_add_phone.py
 * revision = "3f2a"                    # revision = "7b1d"
 * down_revision = "7b1d"               # down_revision = "3f2a"
 * ```
 *
 * ## Use instead
 * ```python
 * # versions/3f2a_add_email.py         # versions/7b1d_add_phone.py
 * revision = "3f2a"                    # revision = "7b1d"
 * down_revision = "1c9e"               # down_revision = "3f2a"
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "revgraph.h"
#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc305_revision_cycle.doc.inc"
	;

/* Revisions named in a message before the list is shortened. */
#define MAX_SHOWN 6

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_revgraph *g = ctx->now->graph;
	size_t i, j;

	for (i = 0; i < g->n_cycles; i++) {
		const struct sc_revcycle *cy = &g->cycles[i];
		const struct sc_revnode *first = &g->nodes[cy->nodes[0]];
		const struct sc_unit *u = first->unit;
		struct sc_buf path = SC_BUF_INIT;
		struct sc_diag *d;

		if (u->file->syntax_error)
			continue;
		if (cy->n == 1) {
			d = sc_diags_add(ctx->out, self, u->file,
					 &u->mig->down_revision_loc,
					 "revision '%s' names itself as its "
					 "down_revision", first->id);
			sc_diag_set_subject(d, NULL, NULL, first->id);
			sc_diag_set_help(d, "set down_revision to the revision "
					 "before '%s' (None for the first one)",
					 first->id);
			continue;
		}
		for (j = 0; j < cy->n; j++) {
			if (j == MAX_SHOWN - 1 && cy->n > MAX_SHOWN) {
				sc_buf_addf(&path, " -> ... (%zu more)",
					    cy->n - j - 1);
				j = cy->n - 1;
			}
			sc_buf_addf(&path, "%s'%s'", j ? " -> " : "",
				    g->nodes[cy->nodes[j]].id);
		}
		sc_buf_addf(&path, " -> '%s'", first->id);
		d = sc_diags_add(ctx->out, self, u->file,
				 &u->mig->down_revision_loc,
				 "revision '%s' is on a down_revision cycle of %zu "
				 "revisions: %s", first->id, cy->n, path.buf);
		sc_diag_set_subject(d, NULL, NULL, first->id);
		sc_diag_set_help(d, "one of them must revise an older migration: "
				 "fix the down_revision that was pasted in by "
				 "hand (in '%s' or '%s')", u->file->path,
				 g->nodes[cy->nodes[cy->n - 1]].unit->file->path);
		sc_buf_release(&path);
	}
}

const struct sc_rule sc_rule_SC305 = {
	.code = "SC305",
	.name = "revision-cycle",
	.severity = SC_SEV_ERROR,
	.summary = "the down_revision graph has a cycle",
	.doc = doc,
	.check = check,
};
