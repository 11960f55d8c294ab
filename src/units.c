/*
 * units.c: the units of a snapshot (see units.h).
 *
 * For each snapshot: classify every file (migration, model candidate,
 * application code) on the calling thread; reuse the units of files the
 * first snapshot loaded already had (same path, same blob id, same
 * script directories); look the others up in the facts cache by blob id
 * (a role that gave nothing needs no more work); and hand what is left
 * to worker threads as jobs: read the file, take its facts from the cache
 * or parse it (tree-sitter) and extract them, and record new facts in the
 * cache. Jobs write only their own results; the lists are then built in
 * path order, so the outcome does not depend on the threads.
 *
 * What a role gives (as before there was a cache): a migration is always
 * a unit (a file over the size cap is a unit with a syntax error); a
 * model candidate is one when it declares a table or does not parse (it
 * is only parsed when a quick text test says it may declare one); a code
 * file is one when it makes a direct schema change (parsed only when
 * sc_code_prefilter says it may). The model and code units of one file
 * share its srcfile and its one parse.
 */
#include "units.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cache.h"
#include "code.h"
#include "engine.h"
#include "err.h"
#include "factser.h"
#include "migration.h"
#include "models.h"
#include "pysrc.h"
#include "workpool.h"

/* What a file is, as bits (a migration is neither of the others). */
enum { K_MIG = 1, K_MODEL = 2, K_CODE = 4 };
/* Cache roles, by bit number of the kinds above. */
static const enum sc_cache_role role_of[3] = {
	SC_CACHE_MIGRATION, SC_CACHE_MODELS, SC_CACHE_CODE
};

/* The outcome for one entry of a snapshot. */
struct entry_res {
	unsigned char kinds;
	struct sc_unit *main;          /* the migration or model unit */
	struct sc_unit *code;
};

/* One file to read and extract (see the header comment). */
struct job {
	const struct sc_snapshot *snap;
	size_t idx;                    /* entry */
	unsigned kinds;                /* K_*: what to load */
	const char *script_dir;        /* K_MIG: borrowed from the layout */
	int have_oid;
	unsigned char oid[20];
	struct sc_fstat st;            /* a plain folder's file: its stat data */
	enum sc_cache_hit hit[3];      /* per kind bit: what the cache said */
	long slot;                     /* the blob's slot in the cache */
	/* results */
	struct sc_srcfile *file;       /* owned until handed to the set */
	struct sc_unit *main, *code;
	int error;
	char *errmsg;
};

struct sc_unitset {
	struct sc_repo *repo;
	const struct sc_config *cfg;
	char *cache_dir;
	struct sc_cache *cache;
	struct sc_statcache *statcache;
	struct sc_unit **units;        /* every unit made: owned */
	size_t n_units, a_units;
	struct sc_srcfile **files;     /* their files: owned */
	size_t n_files, a_files;
	/* the first snapshot loaded, for reuse by the later ones */
	const struct sc_snapshot *ref;
	char *ref_layout;
	struct entry_res *ref_res;
};

/* ---- classification -------------------------------------------------- */

/* Is `path` in a script directory of `lay` (env.py, versions, helpers)? */
static int in_script_dir(const struct sc_layout *lay, const char *path)
{
	size_t i;

	for (i = 0; i < lay->n_dirs; i++) {
		size_t n = strlen(lay->dirs[i].path);
		if (n && !strncmp(path, lay->dirs[i].path, n) && path[n] == '/')
			return 1;
		if (!n && !strcmp(path, "env.py"))
			return 1;
	}
	return 0;
}

int sc_is_model_candidate(const struct sc_config *cfg,
			  const struct sc_layout *lay, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!sc_ends_with(path, ".py"))
		return 0;
	if (cfg->n_models)
		return sc_globs_match(cfg->models, cfg->n_models, path);
	return !sc_is_test_path(path) && strcmp(base, "setup.py") &&
	       !in_script_dir(lay, path);
}

int sc_is_code_candidate(const struct sc_config *cfg,
			 const struct sc_layout *lay, const char *path)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (!sc_ends_with(path, ".py"))
		return 0;
	if (cfg->n_code)
		return sc_globs_match(cfg->code, cfg->n_code, path);
	/* tests, and test support modules (test.py, tests.py) */
	return !sc_is_test_path(path) && strcmp(base, "env.py") &&
	       strcmp(base, "test.py") && strcmp(base, "tests.py") &&
	       !in_script_dir(lay, path);
}

/* K_* bits of `path`; *dir is its script directory for K_MIG. */
static unsigned classify(const struct sc_config *cfg,
			 const struct sc_layout *lay, const char *path,
			 const struct sc_scriptdir **dir)
{
	unsigned k = 0;

	*dir = NULL;
	if (!sc_ends_with(path, ".py"))
		return 0;  /* what none of the three reads */
	if (cfg->n_exclude && sc_globs_match(cfg->exclude, cfg->n_exclude,
					     path))
		return 0;
	if ((*dir = sc_layout_migration_dir(lay, path)))
		return K_MIG;
	if (sc_is_model_candidate(cfg, lay, path))
		k |= K_MODEL;
	if (sc_is_code_candidate(cfg, lay, path))
		k |= K_CODE;
	return k;
}

/* The script directories of `lay` as one string (owned by the caller). */
static char *layout_sig(const struct sc_layout *lay)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t i, j;

	for (i = 0; i < lay->n_dirs; i++) {
		sc_buf_addf(&b, "%s\n", lay->dirs[i].path);
		for (j = 0; j < lay->dirs[i].n_versions; j++)
			sc_buf_addf(&b, "\t%s\n", lay->dirs[i].versions[j]);
	}
	return sc_buf_detach(&b);
}

/*
 * Quick text test: could this file declare models? models.c finds tables
 * only in a class body's `__tablename__` or `__table__ =` (a name after
 * blanks there; `Model.__tablename__` or hasattr(m, '__table__') in a
 * query module is no declaration) and in calls of `Table` or `x.Table`
 * (not `IpTable`), so a file with neither is not parsed for them. Data
 * access modules that only use their models are thereby skipped.
 */
static int looks_like_models(const char *data, size_t len)
{
	const char *p, *end = data + len;

	for (p = data; (p = memmem(p, (size_t)(end - p), "__table", 7)); p++)
		if (p == data || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n')
			return 1;
	return sc_text_has_name(data, len, "Table", '(');
}

/* ---- units ----------------------------------------------------------- */

static void unit_free(struct sc_unit *u)
{
	if (!u)
		return;
	sc_migration_free(u->mig);
	sc_modelfile_free(u->models);
	sc_codefile_free(u->code);
	free(u->script_dir);
	free(u);
}

static struct sc_unit *unit_new(struct sc_srcfile *file, const char *dir)
{
	struct sc_unit *u = sc_xcalloc(1, sizeof(*u));

	u->file = file;
	if (dir)
		u->script_dir = sc_xstrdup(dir);
	return u;
}

struct sc_unitset *sc_unitset_new(struct sc_repo *repo,
				  const struct sc_config *cfg,
				  const char *cache_dir)
{
	struct sc_unitset *us = sc_xcalloc(1, sizeof(*us));

	us->repo = repo;
	us->cfg = cfg;
	us->cache_dir = cache_dir ? sc_xstrdup(cache_dir) : NULL;
	us->cache = sc_cache_open(cache_dir);
	return us;
}

void sc_unitset_save(struct sc_unitset *us)
{
	if (!us)
		return;
	sc_cache_save(us->cache);
	sc_statcache_save(us->statcache);
}

void sc_unitset_free(struct sc_unitset *us)
{
	size_t i;

	if (!us)
		return;
	for (i = 0; i < us->n_units; i++)
		unit_free(us->units[i]);
	free(us->units);
	for (i = 0; i < us->n_files; i++)
		sc_srcfile_free(us->files[i]);
	free(us->files);
	free(us->ref_layout);
	free(us->ref_res);
	sc_cache_free(us->cache);
	sc_statcache_free(us->statcache);
	free(us->cache_dir);
	free(us);
}

/* ---- one job ----------------------------------------------------------- */

/* Record the facts the job computed for kind bit `b` in the cache. */
static void cache_result(struct sc_unitset *us, const struct job *j,
			 unsigned b, const struct sc_unit *u)
{
	struct sc_buf buf = SC_BUF_INIT;

	if (!j->have_oid || !us->cache)
		return;
	if (!u) {
		sc_cache_put(us->cache, j->oid, role_of[b], NULL, 0);
		return;
	}
	sc_factser_put(&buf, u->file, b == 0 ? u->mig : NULL,
		       b == 1 ? u->models : NULL, b == 2 ? u->code : NULL);
	sc_cache_put(us->cache, j->oid, role_of[b], buf.buf, buf.len);
	sc_buf_release(&buf);
}

/*
 * Every kind of the job from the cache's facts: 0, or -1 (a corrupt
 * entry: nothing kept, the caller extracts).
 */
static int from_cache(struct sc_unitset *us, struct job *j)
{
	struct sc_srcfile scratch;
	unsigned b;
	int first = 1;

	for (b = 0; b < 3; b++) {
		struct sc_migration *mig;
		struct sc_modelfile *models;
		struct sc_codefile *code;
		struct sc_srcfile *f = first ? j->file : &scratch;
		struct sc_unit *u;
		void *facts;
		size_t len;
		int rc;

		if (!(j->kinds & (1u << b)) || j->hit[b] != SC_CACHE_FACTS)
			continue;
		memset(&scratch, 0, sizeof(scratch));
		if (sc_cache_read(us->cache, j->slot, role_of[b], &facts,
				  &len) < 0)
			goto bad;
		rc = sc_factser_get(facts, len, f, &mig, &models, &code);
		free(facts);
		if (rc < 0)
			goto bad;
		if (f == &scratch) {
			size_t i;

			for (i = 0; i < scratch.n_comments; i++)
				free(scratch.comments[i].text);
			free(scratch.comments);
			free(scratch.error_msg);
		}
		first = 0;
		u = unit_new(j->file, b == 0 ? j->script_dir : NULL);
		u->mig = mig;
		u->models = models;
		u->code = code;
		if ((b == 0 && !mig) || (b == 1 && !models) ||
		    (b == 2 && !code)) {
			unit_free(u);
			goto bad;
		}
		if (b == 2)
			j->code = u;
		else
			j->main = u;
	}
	return 0;
bad:
	unit_free(j->main);
	unit_free(j->code);
	j->main = j->code = NULL;
	return -1;
}

/* Parse and extract every kind of the job; 0 or -1 with a message. */
static int extract(struct sc_unitset *us, struct job *j)
{
	struct sc_pyfile *pf = NULL;
	struct sc_srcfile *f = j->file;
	struct sc_unit *u = NULL;
	int error = 0;

	/* a cache entry that did not decode may have left parse facts */
	if (j->kinds & K_MIG) {
		if ((error = sc_pyfile_parse(&pf, f)) < 0)
			goto out;
		u = unit_new(f, j->script_dir);
		if ((error = sc_migration_extract(&u->mig, pf)) < 0)
			goto out;
		if (!u->mig)
			u->mig = sc_xcalloc(1, sizeof(*u->mig));
		j->main = u;
		u = NULL;
		cache_result(us, j, 0, j->main);
	}
	if ((j->kinds & K_MODEL) && looks_like_models(f->data, f->len)) {
		if (!pf && (error = sc_pyfile_parse(&pf, f)) < 0)
			goto out;
		u = unit_new(f, NULL);
		if ((error = sc_models_extract(&u->models, pf)) < 0)
			goto out;
		if (!u->models)
			u->models = sc_xcalloc(1, sizeof(*u->models));
		if (u->models->n_tables || f->syntax_error) {
			j->main = u;
			u = NULL;
		}
		unit_free(u);
		u = NULL;
		cache_result(us, j, 1, j->main);
	} else if (j->kinds & K_MODEL) {
		cache_result(us, j, 1, NULL);
	}
	if ((j->kinds & K_CODE) && sc_code_prefilter(f->data, f->len)) {
		if (!pf && (error = sc_pyfile_parse(&pf, f)) < 0)
			goto out;
		u = unit_new(f, NULL);
		if ((error = sc_code_extract(&u->code, pf)) < 0)
			goto out;
		if (u->code && u->code->n_calls) {
			j->code = u;
			u = NULL;
		}
		unit_free(u);
		u = NULL;
		cache_result(us, j, 2, j->code);
	} else if (j->kinds & K_CODE) {
		cache_result(us, j, 2, NULL);
	}
out:
	unit_free(u);
	sc_pyfile_free(pf);
	return error;
}

/*
 * Parsing a file of TRIM_AFTER bytes or more took tens of megabytes
 * (tree-sitter's tree is some 40 bytes a byte of text) that are free
 * again, but kept by this thread's heap for the rest of the run while the
 * other threads' heaps grow on their own: 10,000 migrations with an
 * 860 KB models.py peaked at 80 MB, and at 64 MB with the memory given
 * back, no slower. glibc gives it back with malloc_trim.
 */
#define TRIM_AFTER (256u << 10)

static void release_parse_memory(void)
{
#ifdef __GLIBC__
	malloc_trim(0);
#endif
}

/* A file over the size cap: a unit with SC001 for a migration or model. */
static void too_big(struct job *j, const char *path)
{
	struct sc_unit *u;

	if (!(j->kinds & (K_MIG | K_MODEL)))
		return;
	j->file = sc_srcfile_new(path, "", 0);
	j->file->syntax_error = 1;
	j->file->error_msg = sc_xstrdup("file is larger than 8 MiB; not parsed");
	u = unit_new(j->file, (j->kinds & K_MIG) ? j->script_dir : NULL);
	if (j->kinds & K_MIG)
		u->mig = sc_xcalloc(1, sizeof(*u->mig));
	else
		u->models = sc_xcalloc(1, sizeof(*u->models));
	j->main = u;
}

static void run_job(size_t i, void *arg)
{
	struct sc_unitset *us = ((void **)arg)[0];
	struct job *j = &((struct job *)((void **)arg)[1])[i];
	const struct sc_entry *e = &j->snap->entries[j->idx];
	char *data = NULL;
	size_t len = 0;
	unsigned b;
	int rc, all_hit = 1;

	rc = sc_repo_read(us->repo, j->snap, e, &data, &len);
	if (rc == SC_ETOOBIG) {
		too_big(j, e->path);
		goto out;
	}
	if (rc < 0) {
		j->error = rc;
		j->errmsg = sc_xstrdup(sc_error_last());
		goto out;
	}
	if (!j->have_oid && j->snap->lazy && us->cache) {
		/* a plain folder: the id from the text, remembered by stat */
		sc_blob_hash(data, len, j->oid);
		j->have_oid = 1;
		sc_statcache_put(us->statcache, e->path, &j->st, j->oid);
		j->slot = sc_cache_find(us->cache, j->oid);
		for (b = 0; b < 3; b++)
			if (j->kinds & (1u << b))
				j->hit[b] = sc_cache_get_slot(us->cache, j->slot,
							      role_of[b]);
	}
	for (b = 0; b < 3; b++)
		if ((j->kinds & (1u << b)) && j->hit[b] == SC_CACHE_MISS)
			all_hit = 0;
	/* the srcfile takes the text read (NUL-terminated) as it is */
	j->file = sc_xcalloc(1, sizeof(*j->file));
	j->file->path = sc_xstrdup(e->path);
	j->file->data = data;
	j->file->len = len;
	data = NULL;
	if (all_hit && from_cache(us, j) == 0)
		goto out;
	rc = extract(us, j);
	if (len >= TRIM_AFTER)
		release_parse_memory();
	if (rc < 0) {
		unit_free(j->main);
		unit_free(j->code);
		j->main = j->code = NULL;
		j->error = rc;
		j->errmsg = sc_xstrdup(sc_error_last());
	}
out:
	if (j->file && !j->main && !j->code) {
		sc_srcfile_free(j->file);
		j->file = NULL;
	}
	free(data);
}

/* ---- a snapshot -------------------------------------------------------- */

/*
 * Threads for the jobs: one when there is too little work to pay for
 * starting threads (on a busy machine a thread may wait a whole time
 * slice before it runs, and the join waits with it): fewer than 8 files
 * to parse and fewer than 128 files to read; else one per processor.
 * Not more for a work tree, although its files are read from the disk:
 * after a checkout they are in the page cache, where more threads than
 * processors only parse side by side, each with its own heap (measured
 * on the corpora: 2 threads 33 MB and 0.78 s, 8 threads 44 MB and 0.83 s;
 * with their data dropped from the page cache, 1.23 s against 1.10 s).
 */
static unsigned job_threads(const struct job *jobs, size_t n)
{
	size_t i, misses = 0;
	unsigned b;

	for (i = 0; i < n && misses < 8; i++)
		for (b = 0; b < 3; b++)
			if ((jobs[i].kinds & (1u << b)) &&
			    jobs[i].hit[b] == SC_CACHE_MISS) {
				misses++;
				break;
			}
	if (misses < 8 && n < 128)
		return 1;
	return sc_workpool_threads(n);
}

static void push(struct sc_unit ***v, size_t *n, size_t *alloc,
		 struct sc_unit *u)
{
	SC_ALLOC_GROW(*v, *n + 1, *alloc);
	(*v)[(*n)++] = u;
}

/* The stat data of root/path (not following a last symbolic link). */
static int stat_file(const char *root, const char *path, struct sc_fstat *f)
{
	char *full = sc_xasprintf("%s/%s", root, path);
	struct stat st;
	int rc = lstat(full, &st);

	free(full);
	if (rc < 0 || !S_ISREG(st.st_mode))
		return -1;
	sc_fstat_from(f, &st);
	return 0;
}

/* Has the entry an id that says what its contents are? */
static int id_known(const char *id)
{
	return id[0] && strcmp(id, "0000000000000000000000000000000000000000");
}

/* A file to load, before the cache is asked: small, there may be many. */
struct cand {
	uint32_t idx;                  /* entry */
	uint8_t kinds;
	uint8_t have_oid;
	const struct sc_scriptdir *dir;
	unsigned char oid[20];
};

/*
 * The blob id of entry i when it has one (from the snapshot, or from the
 * stat cache for a plain folder; *st is then its stat data): 1 and oid,
 * or 0.
 */
static int entry_oid(struct sc_unitset *us, const struct sc_snapshot *snap,
		     size_t i, unsigned char *oid, struct sc_fstat *st)
{
	const struct sc_entry *e = &snap->entries[i];

	if (!us->cache)
		return 0;
	if (id_known(e->id))
		return !sc_oid_fromhex(oid, e->id);
	if (!snap->lazy || stat_file(snap->root, e->path, st) < 0)
		return 0;  /* (the reader will say what is wrong) */
	if (!sc_statcache_get(us->statcache, e->path, st, oid))
		return 0;
	/* what the facts of this file say depends on it being unchanged */
	sc_repo_note_dep(us->repo, e->path, st);
	return 1;
}

/*
 * The jobs for the candidates the facts cache does not settle: every
 * kind that gave nothing is dropped, and a candidate left with nothing to
 * do makes no job. The table's memory is fetched a few candidates ahead
 * (a large table is mostly cache misses). Returns the number of jobs.
 */
static size_t make_jobs(struct sc_unitset *us, const struct sc_snapshot *snap,
			const struct cand *cands, const struct sc_fstat *sts,
			size_t n, struct job **out)
{
	struct job *jobs = NULL;
	size_t i, n_jobs = 0, alloc = 0;
	enum { AHEAD = 8 };

	for (i = 0; i < n; i++) {
		const struct cand *c = &cands[i];
		enum sc_cache_hit hit[3] = { SC_CACHE_MISS, SC_CACHE_MISS,
					     SC_CACHE_MISS };
		unsigned b, kinds = c->kinds;
		long slot = -1;
		struct job *j;

		if (i + AHEAD < n && cands[i + AHEAD].have_oid)
			sc_cache_prefetch(us->cache, cands[i + AHEAD].oid);
		if (c->have_oid) {
			slot = sc_cache_find(us->cache, c->oid);
			for (b = 0; b < 3; b++) {
				if (!(kinds & (1u << b)))
					continue;
				hit[b] = sc_cache_get_slot(us->cache, slot,
							   role_of[b]);
				if (hit[b] == SC_CACHE_NOTHING)
					kinds &= ~(1u << b);
			}
		}
		if (!kinds)
			continue;
		SC_ALLOC_GROW(jobs, n_jobs + 1, alloc);
		j = &jobs[n_jobs++];
		memset(j, 0, sizeof(*j));
		j->snap = snap;
		j->idx = c->idx;
		j->kinds = kinds;
		j->script_dir = c->dir ? c->dir->path : NULL;
		j->have_oid = c->have_oid;
		memcpy(j->oid, c->oid, 20);
		memcpy(j->hit, hit, sizeof(hit));
		j->slot = slot;
		if (sts)
			j->st = sts[i];
	}
	*out = jobs;
	return n_jobs;
}

int sc_unitset_load(struct sc_unitset *us, const struct sc_snapshot *snap,
		    const struct sc_layout *lay, int keep,
		    struct sc_unitlists *out)
{
	struct entry_res *res = NULL;
	struct job *jobs = NULL;
	struct cand *cands = NULL, *c;
	struct sc_fstat st, *sts = NULL;
	size_t a_sts = 0;
	char *sig = layout_sig(lay);
	size_t n_jobs = 0, n_cands = 0, a_cands = 0, i, r = 0;
	size_t a_mig = 0, a_mod = 0, a_code = 0;
	int reuse, error = 0;
	void *arg[2];

	memset(out, 0, sizeof(*out));
	if (snap->lazy && !us->statcache && us->cache)
		us->statcache = sc_statcache_open(us->cache_dir, snap->root);
	reuse = us->ref && !strcmp(us->ref_layout, sig) &&
		snap->worktree == us->ref->worktree;
	res = sc_xcalloc(snap->n + 1, sizeof(*res));
	for (i = 0; i < snap->n; i++) {
		const struct sc_entry *e = &snap->entries[i];
		const struct sc_scriptdir *dir;
		unsigned k;

		if (reuse && id_known(e->id)) {
			/* both sorted: the first snapshot's entry of this path */
			int d = 1;

			while (r < us->ref->n &&
			       (d = strcmp(us->ref->entries[r].path, e->path)) < 0)
				r++;
			if (r < us->ref->n && !d &&
			    !strcmp(us->ref->entries[r].id, e->id)) {
				res[i] = us->ref_res[r];
				continue;
			}
		}
		k = classify(us->cfg, lay, e->path, &dir);
		res[i].kinds = (unsigned char)k;
		if (!k)
			continue;
		SC_ALLOC_GROW(cands, n_cands + 1, a_cands);
		c = &cands[n_cands++];
		c->idx = (uint32_t)i;
		c->kinds = (uint8_t)k;
		c->dir = dir;
		memset(&st, 0, sizeof(st));
		c->have_oid = (uint8_t)entry_oid(us, snap, i, c->oid, &st);
		if (snap->lazy) {
			SC_ALLOC_GROW(sts, n_cands, a_sts);
			sts[n_cands - 1] = st;
		}
	}
	n_jobs = make_jobs(us, snap, cands, sts, n_cands, &jobs);
	free(sts);
	sts = NULL;
	free(cands);
	cands = NULL;
	arg[0] = us;
	arg[1] = jobs;
	sc_workpool_run(n_jobs, job_threads(jobs, n_jobs),
			run_job, arg, sc_pysrc_shutdown);
	for (i = 0; i < n_jobs; i++) {
		struct job *j = &jobs[i];

		if (j->error && !error) {
			error = sc_error_set("%s", j->errmsg);
		}
		free(j->errmsg);
		if (j->file) {
			SC_ALLOC_GROW(us->files, us->n_files + 1, us->a_files);
			us->files[us->n_files++] = j->file;
		}
		if (j->main)
			push(&us->units, &us->n_units, &us->a_units, j->main);
		if (j->code)
			push(&us->units, &us->n_units, &us->a_units, j->code);
		res[j->idx].main = j->main;
		res[j->idx].code = j->code;
	}
	if (error)
		goto out;
	for (i = 0; i < snap->n; i++) {
		if (res[i].kinds & K_MIG) {
			if (res[i].main)
				push(&out->migrations, &out->n_migrations,
				     &a_mig, res[i].main);
			continue;
		}
		if (res[i].main)
			push(&out->models, &out->n_models, &a_mod, res[i].main);
		if (res[i].code)
			push(&out->code, &out->n_code, &a_code, res[i].code);
	}
	if (!us->ref && keep) {
		us->ref = snap;
		us->ref_layout = sig;
		us->ref_res = res;
		sig = NULL;
		res = NULL;
	}
out:
	if (error) {
		free(out->migrations);
		free(out->models);
		free(out->code);
		memset(out, 0, sizeof(*out));
	}
	free(cands);
	free(sts);
	free(jobs);
	free(res);
	free(sig);
	return error;
}
