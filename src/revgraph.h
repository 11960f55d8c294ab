/*
 * revgraph.h: the Alembic revision graph of one snapshot, with Alembic's
 * semantics (alembic/script/revision.py, checked against Alembic 1.8):
 *
 *   - Each script directory is its own graph; an id is looked up only
 *     among the migrations of the same script directory.
 *   - A revision id is any string ('001', 'liberty', 'v2.4.0.a'). A file
 *     with no `revision` variable whose name is hexadecimal (`1a2b.py`)
 *     gets the name as its id, as Alembic's legacy rule does.
 *   - `down_revision` None makes a base; a string or a tuple (a merge)
 *     gives parents. Only down_revision edges decide heads: a revision
 *     that some other revision names as its down_revision is no head,
 *     while the target of a `depends_on` can still be one (Alembic's
 *     `heads`, not its `_real_heads`).
 *   - `depends_on` entries, and down_revision entries too, name a
 *     revision id or a branch label of the same script directory.
 *   - A branch label belongs to its revision and to every revision
 *     descending from it along down_revision: the labels of a head are
 *     those on the head or on any of its down_revision ancestors, and
 *     `label@head` names the heads whose label set holds `label`.
 *   - Two files declaring the same id: the first by path is the
 *     revision; the later ones are duplicates (`dup_of`), listed in no
 *     head or base but still replayed.
 *   - Cycles along down_revision (including a revision naming itself)
 *     are found without recursion (iterative Tarjan), so 10,000-revision
 *     chains and cycles cost no stack.
 *
 * Heads and bases are sorted by id (strcmp order); `alembic heads` prints
 * them in file-system order, which is not reproducible.
 *
 * The replay order is topological over down_revision and depends_on
 * edges, bases first; ties are broken by path (units arrive sorted by
 * path), so runs are reproducible. Nodes blocked by a cycle are appended
 * in path order so that every migration is still replayed once.
 */
#ifndef SC_REVGRAPH_H
#define SC_REVGRAPH_H

#include <stddef.h>

#include "engine.h"

struct sc_revnode {
	struct sc_unit *unit;       /* borrowed */
	const char *id;             /* the revision id (borrowed from the unit,
				       or legacy_id); NULL when unknown */
	char *legacy_id;            /* owned: id taken from the file name */
	size_t dir;                 /* index into g->dirs */
	size_t *parents;            /* down_revisions that exist (node indices,
				       each once, never the node itself) */
	size_t n_parents;
	size_t *deps;               /* depends_on targets that exist */
	size_t n_deps;
	size_t n_children;          /* nodes whose down_revision names this one */
	long dup_of;                /* -1, or the node (first by path) whose id
				       this one repeats in the same directory */
	size_t n_dangling;          /* down_revision entries naming nothing */
	int self_loop;              /* down_revision names the node itself */
	int on_cycle;               /* on a down_revision cycle */
	int in_cycle;               /* on or behind a cycle (of down_revision or
				       depends_on edges): its place in the
				       replay order is arbitrary */
	int unknown;                /* id or down_revision not readable (not a
				       literal, missing, or a syntax error) */
	const char **labels;        /* heads only: the labels that apply
				       (sorted, distinct; strings borrowed) */
	size_t n_labels;
};

/* One script directory (the folder holding versions/). */
struct sc_revdir {
	const char *path;           /* borrowed from a unit's script_dir ("" = root) */
	size_t *nodes;              /* its nodes, in path order */
	size_t n_nodes;
	size_t *heads;              /* sorted by id */
	size_t n_heads;
	size_t *bases;              /* down_revision None; sorted by id */
	size_t n_bases;
	const char **labels;        /* the labels of all heads (sorted, distinct) */
	size_t n_labels;
	size_t n_unknown;           /* nodes with `unknown` set */
	size_t n_opaque;            /* branch_labels / depends_on entries that are
				       names we could not resolve */
	size_t n_dangling;          /* down_revision entries naming nothing */
	int has_cycle;
	int has_dup;
};

/* A down_revision cycle: nodes[i]'s down_revision is nodes[i + 1], and
 * the last one's is nodes[0]; nodes[0] is the first of them by path. */
struct sc_revcycle {
	size_t *nodes;
	size_t n;
};

struct sc_revindex;

struct sc_revgraph {
	struct sc_revnode *nodes;   /* in the order of the units given */
	size_t n;
	struct sc_revdir *dirs;     /* sorted by path */
	size_t n_dirs;
	size_t *order;              /* replay order: every node exactly once */
	size_t n_order;
	struct sc_revcycle *cycles; /* sorted by their first node */
	size_t n_cycles;
	int has_cycle;
	struct sc_revindex *index;  /* private: sorted ids and labels */
};

/*
 * Build the graph of `units` (migrations sorted by path; each has
 * mig != NULL). *out is owned by the caller (sc_revgraph_free).
 */
void sc_revgraph_build(struct sc_revgraph **out, struct sc_unit *const *units,
		       size_t n);
void sc_revgraph_free(struct sc_revgraph *g);

/* The node of revision `id` in script directory `dir`, or -1. */
long sc_revgraph_find(const struct sc_revgraph *g, const char *dir,
		      const char *id);

/* The script directory with this path (borrowed), or NULL. */
const struct sc_revdir *sc_revgraph_dir(const struct sc_revgraph *g,
					const char *path);

/*
 * What `name` (a down_revision or depends_on entry) names in script
 * directory number `dir`: the node with that revision id (the first by
 * path when duplicated), else the revision carrying that branch label;
 * -1 when nothing does.
 */
long sc_revgraph_resolve(const struct sc_revgraph *g, size_t dir,
			 const char *name);

/*
 * Is `name`, a branch_labels or depends_on entry of `u`, a Python name
 * that could not be resolved to a string (an imported constant such as
 * `cli.EXPAND_BRANCH`, kept as written) rather than a string literal?
 * Returns 1 or 0.
 */
int sc_revgraph_name_is_opaque(const struct sc_unit *u, const char *name);

#endif
