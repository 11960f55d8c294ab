/*
 * revgraph.c: building the revision graph and its replay order (Kahn's
 * algorithm; nodes left over by a cycle are appended in path order so
 * that every migration is still replayed once).
 */
#include "revgraph.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"

static int same_dir(const struct sc_unit *a, const char *dir)
{
	const char *d = a->script_dir ? a->script_dir : "";
	return !strcmp(d, dir ? dir : "");
}

long sc_revgraph_find(const struct sc_revgraph *g, const char *dir,
		      const char *id)
{
	size_t i;
	for (i = 0; i < g->n; i++)
		if (g->nodes[i].id && !strcmp(g->nodes[i].id, id) &&
		    same_dir(g->nodes[i].unit, dir))
			return (long)i;
	return -1;
}

struct idx_entry {
	const char *dir;
	const char *id;
	size_t node;
};

static int cmp_idx(const void *a, const void *b)
{
	const struct idx_entry *x = a, *y = b;
	int c = strcmp(x->dir, y->dir);
	if (c)
		return c;
	c = strcmp(x->id, y->id);
	if (c)
		return c;
	return x->node < y->node ? -1 : x->node > y->node;
}

static long lookup(const struct idx_entry *idx, size_t n, const char *dir,
		   const char *id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(idx[mid].dir, dir);
		if (!c)
			c = strcmp(idx[mid].id, id);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n && !strcmp(idx[lo].dir, dir) && !strcmp(idx[lo].id, id))
		return (long)idx[lo].node;
	return -1;
}

void sc_revgraph_build(struct sc_revgraph **out, struct sc_unit *const *units,
		       size_t n)
{
	struct sc_revgraph *g = sc_xcalloc(1, sizeof(*g));
	struct idx_entry *idx = sc_xcalloc(n, sizeof(*idx));
	size_t *pending = sc_xcalloc(n, sizeof(*pending));
	size_t *queue = sc_xcalloc(n, sizeof(*queue));
	size_t **children = sc_xcalloc(n, sizeof(*children));
	unsigned char *done = sc_xcalloc(n, 1);
	size_t i, j, n_idx = 0, qh = 0, qt = 0;

	g->nodes = sc_xcalloc(n, sizeof(*g->nodes));
	g->n = n;
	g->order = sc_xcalloc(n, sizeof(*g->order));
	for (i = 0; i < n; i++) {
		g->nodes[i].unit = units[i];
		g->nodes[i].id = units[i]->mig->revision;
		if (g->nodes[i].id) {
			idx[n_idx].dir = units[i]->script_dir ? units[i]->script_dir : "";
			idx[n_idx].id = g->nodes[i].id;
			idx[n_idx].node = i;
			n_idx++;
		}
	}
	qsort(idx, n_idx, sizeof(*idx), cmp_idx);

	for (i = 0; i < n; i++) {
		const struct sc_migration *m = units[i]->mig;
		const char *dir = units[i]->script_dir ? units[i]->script_dir : "";
		struct sc_revnode *nd = &g->nodes[i];
		nd->parents = sc_xcalloc(m->n_down_revisions, sizeof(size_t));
		for (j = 0; j < m->n_down_revisions; j++) {
			long p;
			if (!m->down_revisions[j])
				continue;
			p = lookup(idx, n_idx, dir, m->down_revisions[j]);
			if (p < 0 || (size_t)p == i)
				continue;
			nd->parents[nd->n_parents++] = (size_t)p;
		}
		pending[i] = nd->n_parents;
		for (j = 0; j < nd->n_parents; j++) {
			struct sc_revnode *par = &g->nodes[nd->parents[j]];
			children[nd->parents[j]] = sc_xrealloc(
				children[nd->parents[j]],
				(par->n_children + 1) * sizeof(size_t));
			children[nd->parents[j]][par->n_children++] = i;
		}
	}

	/* Kahn: units arrive sorted by path, so FIFO order is reproducible. */
	for (i = 0; i < n; i++)
		if (!pending[i])
			queue[qt++] = i;
	while (qh < qt) {
		size_t v = queue[qh++];
		done[v] = 1;
		g->order[g->n_order++] = v;
		for (j = 0; j < g->nodes[v].n_children; j++) {
			size_t c = children[v][j];
			if (--pending[c] == 0)
				queue[qt++] = c;
		}
	}
	for (i = 0; i < n; i++) {
		if (!done[i]) {
			g->has_cycle = 1;
			g->nodes[i].in_cycle = 1;
			g->order[g->n_order++] = i;
		}
	}

	for (i = 0; i < n; i++)
		free(children[i]);
	free(children);
	free(done);
	free(queue);
	free(pending);
	free(idx);
	*out = g;
}

void sc_revgraph_free(struct sc_revgraph *g)
{
	size_t i;
	if (!g)
		return;
	for (i = 0; i < g->n; i++)
		free(g->nodes[i].parents);
	free(g->nodes);
	free(g->order);
	free(g);
}
