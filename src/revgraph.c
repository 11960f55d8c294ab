/*
 * revgraph.c: building the revision graph (see revgraph.h for the
 * semantics): name lookups through sorted indexes, the replay order
 * (Kahn's algorithm), cycles (iterative Tarjan, then one concrete cycle
 * per strongly connected component found by a breadth-first walk),
 * heads, bases and the branch labels of each head. Nothing recurses, so
 * the size of a history never touches the stack.
 */
#include "revgraph.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"

/* (directory, name) -> node, sorted for binary search. */
struct name_entry {
	size_t dir;
	const char *name;
	size_t node;
};

struct name_index {
	struct name_entry *v;
	size_t n, alloc;
};

struct sc_revindex {
	struct name_index ids;     /* revision ids of every node with one */
	struct name_index labels;  /* branch labels of nodes that are no duplicate */
};

struct build {
	struct sc_revgraph *g;
	struct name_index *ids, *labels;   /* g->index's */
};

static int cmp_name(const void *a, const void *b)
{
	const struct name_entry *x = a, *y = b;
	int c;

	if (x->dir != y->dir)
		return x->dir < y->dir ? -1 : 1;
	c = strcmp(x->name, y->name);
	if (c)
		return c;
	return x->node < y->node ? -1 : x->node > y->node;
}

static void index_add(struct name_index *ix, size_t dir, const char *name,
		      size_t node)
{
	SC_ALLOC_GROW(ix->v, ix->n + 1, ix->alloc);
	ix->v[ix->n].dir = dir;
	ix->v[ix->n].name = name;
	ix->v[ix->n].node = node;
	ix->n++;
}

/* The first entry for (dir, name), or -1. */
static long index_find(const struct name_index *ix, size_t dir,
		       const char *name)
{
	size_t lo = 0, hi = ix->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct name_entry *e = &ix->v[mid];
		int c = e->dir != dir ? (e->dir < dir ? -1 : 1)
				      : strcmp(e->name, name);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ix->n && ix->v[lo].dir == dir && !strcmp(ix->v[lo].name, name))
		return (long)lo;
	return -1;
}

static const char *dir_of(const struct sc_unit *u)
{
	return u->script_dir ? u->script_dir : "";
}

/* A legacy revision file name: hexadecimal digits and ".py". */
static char *legacy_id(const char *path)
{
	const char *base = strrchr(path, '/'), *p;

	base = base ? base + 1 : path;
	for (p = base; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
		;
	if (p == base || strcmp(p, ".py"))
		return NULL;
	return sc_xstrndup(base, (size_t)(p - base));
}

int sc_revgraph_name_is_opaque(const struct sc_unit *u, const char *name)
{
	const char *data = u->file ? u->file->data : NULL;
	size_t n = strlen(name);
	const char *p;

	if (!data)
		return 1;
	for (p = data; (p = strstr(p, name)); p++) {
		if (p > data && (p[-1] == '\'' || p[-1] == '"') &&
		    p[n] == p[-1])
			return 0;
	}
	return 1;
}

/* A node and its script directory, to order nodes by directory. */
struct dir_node {
	const char *dir;
	size_t node;
};

static int cmp_dir_node(const void *a, const void *b)
{
	const struct dir_node *x = a, *y = b;
	int c = strcmp(x->dir, y->dir);
	return c ? c : (x->node < y->node ? -1 : x->node > y->node);
}

/* The script directories (sorted by path), and each node's directory. */
static void build_dirs(struct sc_revgraph *g)
{
	struct dir_node *by_dir = sc_xcalloc(g->n, sizeof(*by_dir));
	size_t i, alloc = 0, n_alloc = 0;

	for (i = 0; i < g->n; i++) {
		by_dir[i].dir = dir_of(g->nodes[i].unit);
		by_dir[i].node = i;
	}
	if (g->n)
		qsort(by_dir, g->n, sizeof(*by_dir), cmp_dir_node);
	for (i = 0; i < g->n; i++) {
		const char *p = by_dir[i].dir;
		struct sc_revdir *d;

		if (!g->n_dirs || strcmp(g->dirs[g->n_dirs - 1].path, p)) {
			SC_ALLOC_GROW(g->dirs, g->n_dirs + 1, alloc);
			memset(&g->dirs[g->n_dirs], 0, sizeof(*g->dirs));
			g->dirs[g->n_dirs++].path = p;
			n_alloc = 0;
		}
		d = &g->dirs[g->n_dirs - 1];
		SC_ALLOC_GROW(d->nodes, d->n_nodes + 1, n_alloc);
		d->nodes[d->n_nodes++] = by_dir[i].node;
		g->nodes[by_dir[i].node].dir = g->n_dirs - 1;
	}
	free(by_dir);
}

const struct sc_revdir *sc_revgraph_dir(const struct sc_revgraph *g,
					const char *path)
{
	size_t lo = 0, hi = g->n_dirs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(g->dirs[mid].path, path);
		if (!c)
			return &g->dirs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Ids, duplicates, labels and what cannot be read. */
static void build_names(struct build *b)
{
	struct sc_revgraph *g = b->g;
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		struct sc_revnode *nd = &g->nodes[i];
		const struct sc_migration *m = nd->unit->mig;

		nd->dup_of = -1;
		nd->id = m->revision;
		if (!m->has_revision) {
			nd->legacy_id = legacy_id(nd->unit->file->path);
			nd->id = nd->legacy_id;
		}
		nd->unknown = !nd->id || !m->has_down_revision ||
			      m->down_revision_unresolved ||
			      nd->unit->file->syntax_error;
		if (nd->id)
			index_add(b->ids, nd->dir, nd->id, i);
	}
	if (b->ids->n)
		qsort(b->ids->v, b->ids->n, sizeof(*b->ids->v), cmp_name);
	for (i = 1; i < b->ids->n; i++) {
		const struct name_entry *p = &b->ids->v[i - 1], *e = &b->ids->v[i];
		if (p->dir == e->dir && !strcmp(p->name, e->name)) {
			struct sc_revnode *nd = &g->nodes[e->node];
			nd->dup_of = g->nodes[p->node].dup_of >= 0
					     ? g->nodes[p->node].dup_of
					     : (long)p->node;
			g->dirs[nd->dir].has_dup = 1;
		}
	}
	for (i = 0; i < g->n; i++) {
		struct sc_revnode *nd = &g->nodes[i];
		const struct sc_migration *m = nd->unit->mig;
		struct sc_revdir *d = &g->dirs[nd->dir];

		if (nd->unknown)
			d->n_unknown++;
		for (j = 0; j < m->n_branch_labels; j++) {
			const char *l = m->branch_labels[j];
			if (!l)
				continue;
			if (sc_revgraph_name_is_opaque(nd->unit, l))
				d->n_opaque++;
			if (nd->dup_of < 0)
				index_add(b->labels, nd->dir, l, i);
		}
		for (j = 0; j < m->n_depends_on; j++)
			if (m->depends_on[j] &&
			    sc_revgraph_name_is_opaque(nd->unit, m->depends_on[j]))
				d->n_opaque++;
	}
	if (b->labels->n)
		qsort(b->labels->v, b->labels->n, sizeof(*b->labels->v), cmp_name);
}

/* The first node (by path) with revision id `name`, or -1. */
static long find_id(const struct sc_revindex *ix, size_t dir, const char *name)
{
	long k = index_find(&ix->ids, dir, name);
	return k >= 0 ? (long)ix->ids.v[k].node : -1;
}

long sc_revgraph_resolve(const struct sc_revgraph *g, size_t dir,
			 const char *name)
{
	long k;

	if (dir >= g->n_dirs || !name)
		return -1;
	if ((k = find_id(g->index, dir, name)) >= 0)
		return k;
	k = index_find(&g->index->labels, dir, name);
	return k >= 0 ? (long)g->index->labels.v[k].node : -1;
}

long sc_revgraph_find(const struct sc_revgraph *g, const char *dir,
		      const char *id)
{
	const struct sc_revdir *d = sc_revgraph_dir(g, dir ? dir : "");

	if (!d || !id)
		return -1;
	return find_id(g->index, (size_t)(d - g->dirs), id);
}

static int contains(const size_t *v, size_t n, size_t x)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

/* Parents and dependencies of every node. */
static void build_edges(struct build *b)
{
	struct sc_revgraph *g = b->g;
	size_t i, j;

	for (i = 0; i < g->n; i++) {
		struct sc_revnode *nd = &g->nodes[i];
		const struct sc_migration *m = nd->unit->mig;

		nd->parents = sc_xcalloc(m->n_down_revisions, sizeof(size_t));
		for (j = 0; j < m->n_down_revisions; j++) {
			long p;

			if (!m->down_revisions[j])
				continue;
			p = sc_revgraph_resolve(g, nd->dir, m->down_revisions[j]);
			if (p < 0) {
				nd->n_dangling++;
				g->dirs[nd->dir].n_dangling++;
			} else if ((size_t)p == i ||
				   (nd->id && !strcmp(m->down_revisions[j], nd->id))) {
				nd->self_loop = 1;
			} else if (!contains(nd->parents, nd->n_parents, (size_t)p)) {
				nd->parents[nd->n_parents++] = (size_t)p;
				g->nodes[p].n_children++;
			}
		}
		nd->deps = sc_xcalloc(m->n_depends_on, sizeof(size_t));
		for (j = 0; j < m->n_depends_on; j++) {
			long p;

			if (!m->depends_on[j])
				continue;
			p = sc_revgraph_resolve(g, nd->dir, m->depends_on[j]);
			if (p >= 0 && (size_t)p != i &&
			    !contains(nd->deps, nd->n_deps, (size_t)p))
				nd->deps[nd->n_deps++] = (size_t)p;
		}
	}
}

/*
 * Replay order: Kahn over parents and deps. Units arrive sorted by path,
 * so a FIFO queue seeded in node order is reproducible.
 */
static void build_order(struct sc_revgraph *g)
{
	size_t *pending = sc_xcalloc(g->n, sizeof(size_t));
	size_t *start = sc_xcalloc(g->n + 1, sizeof(size_t));
	size_t *fill = sc_xcalloc(g->n + 1, sizeof(size_t));
	size_t *next = NULL, *queue = sc_xcalloc(g->n, sizeof(size_t));
	unsigned char *done = sc_xcalloc(g->n, 1);
	size_t i, j, n_edges = 0, qh = 0, qt = 0;

	/* children lists in one array (compressed rows) */
	for (i = 0; i < g->n; i++) {
		const struct sc_revnode *nd = &g->nodes[i];
		for (j = 0; j < nd->n_parents; j++)
			start[nd->parents[j] + 1]++;
		for (j = 0; j < nd->n_deps; j++)
			if (!contains(nd->parents, nd->n_parents, nd->deps[j]))
				start[nd->deps[j] + 1]++;
	}
	for (i = 0; i < g->n; i++)
		start[i + 1] += start[i];
	n_edges = start[g->n];
	next = sc_xcalloc(n_edges, sizeof(size_t));
	memcpy(fill, start, (g->n + 1) * sizeof(size_t));
	for (i = 0; i < g->n; i++) {
		const struct sc_revnode *nd = &g->nodes[i];
		for (j = 0; j < nd->n_parents; j++) {
			next[fill[nd->parents[j]]++] = i;
			pending[i]++;
		}
		for (j = 0; j < nd->n_deps; j++) {
			if (contains(nd->parents, nd->n_parents, nd->deps[j]))
				continue;
			next[fill[nd->deps[j]]++] = i;
			pending[i]++;
		}
	}

	for (i = 0; i < g->n; i++)
		if (!pending[i])
			queue[qt++] = i;
	while (qh < qt) {
		size_t v = queue[qh++];
		done[v] = 1;
		g->order[g->n_order++] = v;
		for (j = start[v]; j < start[v + 1]; j++)
			if (--pending[next[j]] == 0)
				queue[qt++] = next[j];
	}
	for (i = 0; i < g->n; i++) {
		if (!done[i]) {
			g->nodes[i].in_cycle = 1;
			g->order[g->n_order++] = i;
		}
	}

	free(done);
	free(queue);
	free(next);
	free(fill);
	free(start);
	free(pending);
}

/* One concrete cycle through `s` inside its component (comp[] == c). */
static void extract_cycle(struct sc_revgraph *g, const size_t *comp, size_t c,
			  size_t s, long *pred, size_t *queue)
{
	struct sc_revcycle *cy;
	size_t qh = 0, qt = 0, j, n, v;
	long last = -1;

	g->cycles = sc_xrealloc(g->cycles, (g->n_cycles + 1) * sizeof(*cy));
	cy = &g->cycles[g->n_cycles++];
	memset(cy, 0, sizeof(*cy));
	if (g->nodes[s].self_loop) {
		cy->nodes = sc_xcalloc(1, sizeof(size_t));
		cy->nodes[0] = s;
		cy->n = 1;
		return;
	}
	/* breadth-first from s along down_revision, inside the component,
	 * until a node whose down_revision is s */
	pred[s] = (long)s;
	queue[qt++] = s;
	while (qh < qt && last < 0) {
		v = queue[qh++];
		for (j = 0; j < g->nodes[v].n_parents; j++) {
			size_t w = g->nodes[v].parents[j];
			if (w == s) {
				last = (long)v;
				break;
			}
			if (comp[w] == c && pred[w] < 0) {
				pred[w] = (long)v;
				queue[qt++] = w;
			}
		}
	}
	for (n = 1, v = (size_t)last; v != s; v = (size_t)pred[v])
		n++;
	cy->nodes = sc_xcalloc(n, sizeof(size_t));
	cy->n = n;
	for (v = (size_t)last; n > 0; v = (size_t)pred[v])
		cy->nodes[--n] = v;
	/* leave pred as it was for the next component */
	for (j = 0; j < qt; j++)
		pred[queue[j]] = -1;
}

#define UNSEEN ((size_t)-1)

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Strongly connected components along down_revision (iterative Tarjan). */
static void build_cycles(struct sc_revgraph *g)
{
	size_t *idx = sc_xcalloc(g->n, sizeof(size_t));
	size_t *low = sc_xcalloc(g->n, sizeof(size_t));
	size_t *comp = sc_xcalloc(g->n, sizeof(size_t));
	size_t *stack = sc_xcalloc(g->n, sizeof(size_t));
	size_t *cs_node = sc_xcalloc(g->n, sizeof(size_t));
	size_t *cs_edge = sc_xcalloc(g->n, sizeof(size_t));
	size_t *first = sc_xcalloc(g->n, sizeof(size_t));
	size_t *queue = sc_xcalloc(g->n, sizeof(size_t));
	long *pred = sc_xcalloc(g->n, sizeof(long));
	unsigned char *on = sc_xcalloc(g->n, 1);
	size_t i, counter = 0, sp = 0, n_comp = 0, n_first = 0;

	for (i = 0; i < g->n; i++) {
		idx[i] = UNSEEN;
		pred[i] = -1;
	}
	for (i = 0; i < g->n; i++) {
		size_t csp = 0;

		if (idx[i] != UNSEEN)
			continue;
		idx[i] = low[i] = counter++;
		stack[sp++] = i;
		on[i] = 1;
		cs_node[csp] = i;
		cs_edge[csp++] = 0;
		while (csp) {
			size_t v = cs_node[csp - 1];
			const struct sc_revnode *nd = &g->nodes[v];

			if (cs_edge[csp - 1] < nd->n_parents) {
				size_t w = nd->parents[cs_edge[csp - 1]++];
				if (idx[w] == UNSEEN) {
					idx[w] = low[w] = counter++;
					stack[sp++] = w;
					on[w] = 1;
					cs_node[csp] = w;
					cs_edge[csp++] = 0;
				} else if (on[w] && idx[w] < low[v]) {
					low[v] = idx[w];
				}
				continue;
			}
			csp--;
			if (csp && low[v] < low[cs_node[csp - 1]])
				low[cs_node[csp - 1]] = low[v];
			if (low[v] == idx[v]) {
				size_t size = 0, w, min = v;
				do {
					w = stack[--sp];
					on[w] = 0;
					comp[w] = n_comp;
					if (w < min)
						min = w;
					size++;
				} while (w != v);
				if (size > 1 || g->nodes[v].self_loop)
					first[n_first++] = min;
				n_comp++;
			}
		}
	}
	/* every member of a component with a cycle is on a cycle */
	if (n_first) {
		unsigned char *cyc = sc_xcalloc(n_comp, 1);
		size_t k;

		for (k = 0; k < n_first; k++)
			cyc[comp[first[k]]] = 1;
		for (i = 0; i < g->n; i++) {
			if (!cyc[comp[i]])
				continue;
			g->nodes[i].on_cycle = 1;
			g->has_cycle = 1;
			g->dirs[g->nodes[i].dir].has_cycle = 1;
		}
		free(cyc);
		qsort(first, n_first, sizeof(size_t), cmp_size);
		for (k = 0; k < n_first; k++)
			extract_cycle(g, comp, comp[first[k]], first[k], pred,
				      queue);
	}
	free(on);
	free(pred);
	free(queue);
	free(first);
	free(cs_edge);
	free(cs_node);
	free(stack);
	free(comp);
	free(low);
	free(idx);
}

struct id_node {
	const char *id;
	size_t node;
};

static int cmp_id_node(const void *a, const void *b)
{
	const struct id_node *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->node < y->node ? -1 : x->node > y->node);
}

/* Sort node indices by their ids. */
static void sort_by_id(const struct sc_revgraph *g, size_t *v, size_t n)
{
	struct id_node *t = sc_xcalloc(n, sizeof(*t));
	size_t i;

	for (i = 0; i < n; i++) {
		t[i].id = g->nodes[v[i]].id;
		t[i].node = v[i];
	}
	qsort(t, n, sizeof(*t), cmp_id_node);
	for (i = 0; i < n; i++)
		v[i] = t[i].node;
	free(t);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sort a list of borrowed strings and drop repeats; returns the count. */
static size_t sort_unique(const char **v, size_t n)
{
	size_t i, w = 0;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_str);
	for (i = 0; i < n; i++)
		if (!w || strcmp(v[w - 1], v[i]))
			v[w++] = v[i];
	return w;
}

/*
 * The labels of head `h`: those on it or on any of its down_revision
 * ancestors (breadth-first; `seen` holds the last head that visited a
 * node, `queue` has room for every node).
 */
static void head_labels(struct sc_revgraph *g, size_t h, size_t *seen,
			size_t *queue)
{
	struct sc_revnode *hd = &g->nodes[h];
	size_t qh = 0, qt = 0, j, alloc = 0;

	seen[h] = h;
	queue[qt++] = h;
	while (qh < qt) {
		const struct sc_revnode *nd = &g->nodes[queue[qh++]];
		const struct sc_migration *m = nd->unit->mig;

		for (j = 0; j < m->n_branch_labels; j++) {
			if (!m->branch_labels[j])
				continue;
			SC_ALLOC_GROW(hd->labels, hd->n_labels + 1, alloc);
			hd->labels[hd->n_labels++] = m->branch_labels[j];
		}
		for (j = 0; j < nd->n_parents; j++) {
			size_t p = nd->parents[j];
			if (seen[p] != h) {
				seen[p] = h;
				queue[qt++] = p;
			}
		}
	}
	hd->n_labels = sort_unique(hd->labels, hd->n_labels);
}

static void build_heads(struct sc_revgraph *g)
{
	size_t *seen = sc_xcalloc(g->n, sizeof(size_t));
	size_t *queue = sc_xcalloc(g->n, sizeof(size_t));
	size_t i, j, k;

	for (i = 0; i < g->n; i++)
		seen[i] = UNSEEN;
	for (i = 0; i < g->n_dirs; i++) {
		struct sc_revdir *d = &g->dirs[i];
		size_t n_all = 0, alloc = 0;

		d->heads = sc_xcalloc(d->n_nodes, sizeof(size_t));
		d->bases = sc_xcalloc(d->n_nodes, sizeof(size_t));
		for (j = 0; j < d->n_nodes; j++) {
			const struct sc_revnode *nd = &g->nodes[d->nodes[j]];
			const struct sc_migration *m = nd->unit->mig;

			if (!nd->id || nd->dup_of >= 0)
				continue;
			if (!nd->n_children)
				d->heads[d->n_heads++] = d->nodes[j];
			if (m->has_down_revision && !m->down_revision_unresolved &&
			    !m->n_down_revisions)
				d->bases[d->n_bases++] = d->nodes[j];
		}
		sort_by_id(g, d->heads, d->n_heads);
		sort_by_id(g, d->bases, d->n_bases);
		for (j = 0; j < d->n_heads; j++) {
			struct sc_revnode *hd = &g->nodes[d->heads[j]];

			head_labels(g, d->heads[j], seen, queue);
			for (k = 0; k < hd->n_labels; k++) {
				SC_ALLOC_GROW(d->labels, n_all + 1, alloc);
				d->labels[n_all++] = hd->labels[k];
			}
		}
		d->n_labels = sort_unique(d->labels, n_all);
	}
	free(queue);
	free(seen);
}

void sc_revgraph_build(struct sc_revgraph **out, struct sc_unit *const *units,
		       size_t n)
{
	struct sc_revgraph *g = sc_xcalloc(1, sizeof(*g));
	struct build b;
	size_t i;

	memset(&b, 0, sizeof(b));
	b.g = g;
	g->index = sc_xcalloc(1, sizeof(*g->index));
	b.ids = &g->index->ids;
	b.labels = &g->index->labels;
	g->nodes = sc_xcalloc(n, sizeof(*g->nodes));
	g->n = n;
	g->order = sc_xcalloc(n, sizeof(*g->order));
	for (i = 0; i < n; i++)
		g->nodes[i].unit = units[i];
	build_dirs(g);
	build_names(&b);
	build_edges(&b);
	build_order(g);
	build_cycles(g);
	build_heads(g);
	*out = g;
}

void sc_revgraph_free(struct sc_revgraph *g)
{
	size_t i;
	if (!g)
		return;
	for (i = 0; i < g->n; i++) {
		free(g->nodes[i].parents);
		free(g->nodes[i].deps);
		free(g->nodes[i].legacy_id);
		free(g->nodes[i].labels);
	}
	for (i = 0; i < g->n_dirs; i++) {
		free(g->dirs[i].nodes);
		free(g->dirs[i].heads);
		free(g->dirs[i].bases);
		free(g->dirs[i].labels);
	}
	for (i = 0; i < g->n_cycles; i++)
		free(g->cycles[i].nodes);
	free(g->cycles);
	if (g->index) {
		free(g->index->ids.v);
		free(g->index->labels.v);
		free(g->index);
	}
	free(g->dirs);
	free(g->nodes);
	free(g->order);
	free(g);
}
