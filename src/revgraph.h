/*
 * revgraph.h: the Alembic revision graph of one snapshot. Nodes are the
 * migrations; edges go from a revision to its down_revision(s) within the
 * same script directory. The graph gives a replay order (topological,
 * bases first, ties broken by path so runs are reproducible), heads,
 * unknown parents and cycles.
 */
#ifndef SC_REVGRAPH_H
#define SC_REVGRAPH_H

#include <stddef.h>

#include "engine.h"

struct sc_revnode {
	struct sc_unit *unit;       /* borrowed */
	const char *id;             /* unit->mig->revision (borrowed), may be NULL */
	size_t *parents;            /* indices of down_revisions that exist */
	size_t n_parents;
	size_t n_children;
	int in_cycle;               /* part of (or behind) a down_revision cycle */
};

struct sc_revgraph {
	struct sc_revnode *nodes;   /* in the order of the units given */
	size_t n;
	size_t *order;              /* replay order: every node exactly once */
	size_t n_order;
	int has_cycle;
};

/*
 * Build the graph of `units` (migrations; each has mig != NULL). *out is
 * owned by the caller (sc_revgraph_free).
 */
void sc_revgraph_build(struct sc_revgraph **out, struct sc_unit *const *units,
		       size_t n);
void sc_revgraph_free(struct sc_revgraph *g);

/* The node of revision `id` in script directory `dir`, or -1. */
long sc_revgraph_find(const struct sc_revgraph *g, const char *dir,
		      const char *id);

#endif
