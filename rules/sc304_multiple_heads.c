/*! SC304 multiple-heads
 * ## What it does
 * Reports a script directory whose revision history has more heads than
 * allowed, once, at the newest head (in `--staged` and `--diff`, a head
 * the change brings in). Heads are counted as `alembic heads` counts
 * them: revisions no other revision names as its `down_revision` (a
 * `depends_on` does not count). By default one head is allowed per
 * branch label: a history with `expand` and `contract` branches may have
 * two heads, one in each. `heads = N` in the configuration sets the
 * allowed number for the whole directory instead (`heads = 1`: one head
 * even with branch labels).
 *
 * In `--staged` and `--diff` only a change that adds a head is reported:
 * a history that already had the extra heads does not block an unrelated
 * commit. The rule is silent while the history has a problem of its own
 * (an unreadable revision id, a dangling down_revision, a duplicate id or
 * a cycle): SC301, SC302, SC303 and SC305 report those.
 *
 * ## Why is this bad?
 * With two heads, `alembic upgrade head` refuses to run ("Multiple head
 * revisions are present"), and the two branches' migrations have no
 * defined order: each was written without the other's schema. It is what
 * happens when two pull requests each add a migration on top of the same
 * parent and both are merged.
 *
 * ## Example
 * ```python
 * # versions/7b1d_add_phone.py          # versions/9c4e_add_avatar.py
 * revision = "7b1d"                     # revision = "9c4e"
 * down_revision = "3f2a"                # down_revision = "3f2a"
 * ```
 *
 * ## Use instead
 * Rebase the newer migration onto the other one:
 * ```python
 * # versions/9c4e_add_avatar.py
 * revision = "9c4e"
 * down_revision = "7b1d"
 * ```
 * or join them with a merge revision, `alembic merge heads -m "merge"`:
 * ```python
 * revision = "a0e5"
 * down_revision = ("7b1d", "9c4e")
 * ```
 */
#include <stdlib.h>
#include <string.h>

#include "revgraph.h"
#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc304_multiple_heads.doc.inc"
	;

/* How many heads directory `d` may have. */
static size_t allowed(const struct sc_ctx *ctx, const struct sc_revdir *d)
{
	if (ctx->cfg->heads > 0)
		return (size_t)ctx->cfg->heads;
	return d->n_labels > 1 ? d->n_labels : 1;
}

/* Does the change add or modify the file of `u`? */
static int in_change(const struct sc_ctx *ctx, const struct sc_unit *u)
{
	size_t i;

	for (i = 0; i < ctx->cs->n_changes; i++) {
		const char *p = ctx->cs->changes[i].new_path;
		if (p && !strcmp(p, u->file->path))
			return 1;
	}
	return 0;
}

/*
 * The head to report at: among the heads the change adds or modifies
 * (all heads when none is), the one latest in replay order.
 */
static size_t newest_head(const struct sc_ctx *ctx, const struct sc_revdir *d)
{
	const struct sc_revgraph *g = ctx->now->graph;
	size_t *pos = sc_xcalloc(g->n, sizeof(size_t));
	size_t i, best = d->heads[0];
	int changed_only = 0, have = 0;

	for (i = 0; i < g->n_order; i++)
		pos[g->order[i]] = i;
	for (i = 0; i < d->n_heads; i++)
		if (in_change(ctx, g->nodes[d->heads[i]].unit))
			changed_only = 1;
	for (i = 0; i < d->n_heads; i++) {
		size_t k = d->heads[i];
		if (changed_only && !in_change(ctx, g->nodes[k].unit))
			continue;
		if (!have || pos[k] > pos[best])
			best = k;
		have = 1;
	}
	free(pos);
	return best;
}

/* The number of heads "before" had in this directory, or -1 if none. */
static long heads_before(const struct sc_ctx *ctx, const char *path)
{
	const struct sc_revdir *d;

	if (!ctx->before || !ctx->before->graph)
		return -1;
	d = sc_revgraph_dir(ctx->before->graph, path);
	return d ? (long)d->n_heads : 0;
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_revgraph *g = ctx->now->graph;
	size_t i, j;

	for (i = 0; i < g->n_dirs; i++) {
		const struct sc_revdir *d = &g->dirs[i];
		size_t limit = allowed(ctx, d), head;
		const struct sc_revnode *h;
		struct sc_buf list = SC_BUF_INIT;
		struct sc_diag *diag;
		long before;

		if (d->n_heads <= limit || d->n_unknown || d->n_dangling ||
		    d->has_cycle || d->has_dup)
			continue;
		before = heads_before(ctx, d->path);
		if (before >= 0 && (size_t)before >= d->n_heads)
			continue;   /* old debt: the change adds no head */
		head = newest_head(ctx, d);
		h = &g->nodes[head];
		for (j = 0; j < d->n_heads; j++) {
			const struct sc_revnode *o = &g->nodes[d->heads[j]];
			if (d->heads[j] == head)
				continue;
			sc_buf_addf(&list, "%s'%s'", list.len ? ", " : "", o->id);
		}
		diag = sc_diags_add(ctx->out, self, h->unit->file,
				    &h->unit->mig->revision_loc,
				    "revision '%s' makes %zu heads in '%s' (also %s); "
				    "%zu allowed%s", h->id, d->n_heads,
				    *d->path ? d->path : ".", list.buf, limit,
				    ctx->cfg->heads > 0 ? ""
				    : limit > 1 ? " (one per branch label)" : "");
		sc_diag_set_subject(diag, NULL, NULL, h->id);
		if (d->n_heads == 2 && h->unit->mig->n_down_revisions == 1 &&
		    !h->n_labels) {
			const char *other = g->nodes[d->heads[d->heads[0] == head]].id;
			sc_diag_set_help(diag, "if '%s' was written before '%s' "
					 "landed, set its down_revision to '%s'; "
					 "otherwise join the heads with `alembic merge "
					 "heads -m \"merge\"`", h->id, other, other);
		} else {
			sc_diag_set_help(diag, "join the heads with `alembic merge "
					 "heads -m \"merge\"`, or rebase the newer "
					 "migrations onto the others");
		}
		sc_buf_release(&list);
	}
}

const struct sc_rule sc_rule_SC304 = {
	.code = "SC304",
	.name = "multiple-heads",
	.severity = SC_SEV_ERROR,
	.summary = "the graph has more heads than allowed (default 1 per branch "
		   "label; `heads` in config)",
	.doc = doc,
	.check = check,
};
