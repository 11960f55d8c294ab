/*
 * check_cache.c: tests of the caches (src/cache.c, src/factser.c,
 * src/runcache.c, the listing cache of src/folder.c): what is stored is
 * what is read back; a corrupt, truncated or foreign file is ignored and
 * rebuilt; runs that overlap leave a valid cache; and, on every rule
 * fixture of testdata/, a run with a cold cache and a run with a warm one
 * report exactly what a run without a cache reports.
 */
#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>

#include "testutil.h"

#include "cache.h"
#include "config.h"
#include "engine.h"
#include "err.h"
#include "factser.h"
#include "folder.h"
#include "gitsrc.h"
#include "migration.h"
#include "models.h"
#include "pysrc.h"
#include "report.h"
#include "runcache.h"

static void oid_of(unsigned char *oid, int n)
{
	char text[32];

	snprintf(text, sizeof(text), "blob %d", n);
	sc_blob_hash(text, strlen(text), oid);
}

static char *file_of(const char *dir, const char *prefix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *found = NULL;

	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, prefix, strlen(prefix)) &&
		    e->d_name[0] != '.')
			found = sc_xasprintf("%s/%s", dir, e->d_name);
	closedir(d);
	return found;
}

/* Flip one byte of `path` at `off` (from the end when negative). */
static void flip(const char *path, long off)
{
	int fd = open(path, O_RDWR);
	struct stat st;
	unsigned char c;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(fstat(fd, &st), 0);
	if (off < 0)
		off += st.st_size;
	ck_assert_int_eq(pread(fd, &c, 1, off), 1);
	c ^= 0x5a;
	ck_assert_int_eq(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

/* ---- the facts cache ---- */

START_TEST(test_facts_roundtrip)
{
	char *d = tu_mkdtemp();
	struct sc_cache *c = sc_cache_open(d);
	unsigned char a[20], b[20];
	void *data;
	size_t len;
	long slot;

	oid_of(a, 1);
	oid_of(b, 2);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MODELS), SC_CACHE_MISS);
	sc_cache_put(c, a, SC_CACHE_MODELS, "model facts", 11);
	sc_cache_put(c, a, SC_CACHE_CODE, NULL, 0);
	sc_cache_put(c, b, SC_CACHE_MIGRATION, "migration", 9);
	sc_cache_save(c);
	sc_cache_free(c);

	c = sc_cache_open(d);
	slot = sc_cache_find(c, a);
	ck_assert_int_ge(slot, 0);
	ck_assert_int_eq(sc_cache_get_slot(c, slot, SC_CACHE_MODELS),
			 SC_CACHE_FACTS);
	ck_assert_int_eq(sc_cache_get_slot(c, slot, SC_CACHE_CODE),
			 SC_CACHE_NOTHING);
	ck_assert_int_eq(sc_cache_get_slot(c, slot, SC_CACHE_MIGRATION),
			 SC_CACHE_MISS);
	ck_assert_int_eq(sc_cache_read(c, slot, SC_CACHE_MODELS, &data, &len),
			 0);
	ck_assert_uint_eq(len, 11);
	ck_assert(!memcmp(data, "model facts", 11));
	free(data);
	ck_assert_int_eq(sc_cache_get(c, b, SC_CACHE_MIGRATION),
			 SC_CACHE_FACTS);
	/* an addition merges with what the file held */
	sc_cache_put(c, b, SC_CACHE_MODELS, NULL, 0);
	sc_cache_save(c);
	sc_cache_free(c);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MODELS), SC_CACHE_FACTS);
	ck_assert_int_eq(sc_cache_get(c, b, SC_CACHE_MIGRATION),
			 SC_CACHE_FACTS);
	ck_assert_int_eq(sc_cache_get(c, b, SC_CACHE_MODELS),
			 SC_CACHE_NOTHING);
	sc_cache_free(c);
	/* no folder, no cache: every call is harmless */
	ck_assert_ptr_null(sc_cache_open(NULL));
	ck_assert_int_eq(sc_cache_get(NULL, a, SC_CACHE_CODE), SC_CACHE_MISS);
	sc_cache_put(NULL, a, SC_CACHE_CODE, NULL, 0);
	sc_cache_save(NULL);
	tu_rmtree(d);
}
END_TEST

START_TEST(test_facts_corrupt)
{
	char *d = tu_mkdtemp(), *path = NULL;
	struct sc_cache *c;
	unsigned char a[20];
	void *data;
	size_t len;
	long slot;

	oid_of(a, 7);
	c = sc_cache_open(d);
	sc_cache_put(c, a, SC_CACHE_MIGRATION, "facts of a", 10);
	sc_cache_save(c);
	sc_cache_free(c);
	path = sc_xasprintf("%s/facts", d);

	/* a damaged record: the table says "facts", reading them fails */
	flip(path, -3);
	c = sc_cache_open(d);
	slot = sc_cache_find(c, a);
	ck_assert_int_eq(sc_cache_get_slot(c, slot, SC_CACHE_MIGRATION),
			 SC_CACHE_FACTS);
	ck_assert_int_eq(sc_cache_read(c, slot, SC_CACHE_MIGRATION, &data,
				       &len), -1);
	ck_assert_ptr_null(data);
	/* the engine then extracts again and records: rebuilt */
	sc_cache_put(c, a, SC_CACHE_MIGRATION, "facts of a", 10);
	sc_cache_save(c);
	sc_cache_free(c);
	c = sc_cache_open(d);
	slot = sc_cache_find(c, a);
	ck_assert_int_eq(sc_cache_read(c, slot, SC_CACHE_MIGRATION, &data,
				       &len), 0);
	ck_assert(len == 10 && !memcmp(data, "facts of a", 10));
	free(data);
	sc_cache_free(c);

	/* a damaged table or header: the whole file is ignored */
	flip(path, 70);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION), SC_CACHE_MISS);
	sc_cache_put(c, a, SC_CACHE_MIGRATION, "again", 5);
	sc_cache_save(c);
	sc_cache_free(c);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION),
			 SC_CACHE_FACTS);
	sc_cache_free(c);
	flip(path, 10);  /* the format version */
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION), SC_CACHE_MISS);
	sc_cache_free(c);

	/* truncated, empty, garbage, a folder in its place */
	ck_assert_int_eq(tu_sh(d, "head -c 100 facts > f2 && mv f2 facts"), 0);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION), SC_CACHE_MISS);
	sc_cache_free(c);
	ck_assert_int_eq(tu_sh(d, ": > facts"), 0);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION), SC_CACHE_MISS);
	sc_cache_free(c);
	ck_assert_int_eq(tu_sh(d, "head -c 5000 /dev/urandom > facts"), 0);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION), SC_CACHE_MISS);
	sc_cache_put(c, a, SC_CACHE_MIGRATION, "x", 1);
	sc_cache_save(c);  /* replaces the garbage */
	sc_cache_free(c);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION),
			 SC_CACHE_FACTS);
	sc_cache_free(c);
	ck_assert_int_eq(tu_sh(d, "rm facts && mkdir facts"), 0);
	c = sc_cache_open(d);
	ck_assert_int_eq(sc_cache_get(c, a, SC_CACHE_MIGRATION), SC_CACHE_MISS);
	sc_cache_put(c, a, SC_CACHE_MIGRATION, "x", 1);
	sc_cache_save(c);  /* cannot replace a folder: silently nothing */
	sc_cache_free(c);
	free(path);
	tu_rmtree(d);
}
END_TEST

/*
 * Runs that overlap: several processes add to and save one cache at the
 * same time. Whatever the interleaving, the file left is valid and holds
 * what one of them wrote (each loaded the same old entries).
 */
START_TEST(test_facts_overlapping_runs)
{
	char *d = tu_mkdtemp(), *tmp;
	struct sc_cache *c;
	unsigned char base[20];
	int p, i, status, found = 0;
	pid_t pids[6];

	oid_of(base, 1000);
	c = sc_cache_open(d);
	sc_cache_put(c, base, SC_CACHE_CODE, NULL, 0);
	sc_cache_save(c);
	sc_cache_free(c);
	for (p = 0; p < 6; p++) {
		pids[p] = fork();
		ck_assert_int_ge(pids[p], 0);
		if (!pids[p]) {
			/* each saves 20 times, a growing set of its own */
			for (i = 0; i < 20; i++) {
				struct sc_cache *cc = sc_cache_open(d);
				unsigned char o[20];

				oid_of(o, p * 100 + i);
				sc_cache_put(cc, o, SC_CACHE_MIGRATION, "m", 1);
				sc_cache_save(cc);
				sc_cache_free(cc);
			}
			_exit(0);
		}
	}
	for (p = 0; p < 6; p++) {
		ck_assert_int_eq(waitpid(pids[p], &status, 0), pids[p]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	c = sc_cache_open(d);
	/* valid: the entry every run loaded is still there */
	ck_assert_int_eq(sc_cache_get(c, base, SC_CACHE_CODE),
			 SC_CACHE_NOTHING);
	for (p = 0; p < 6; p++) {
		unsigned char o[20];

		oid_of(o, p * 100 + 19);
		found += sc_cache_get(c, o, SC_CACHE_MIGRATION) ==
			 SC_CACHE_FACTS;
	}
	ck_assert_int_ge(found, 1);  /* the last saver's, at least */
	sc_cache_free(c);
	/* no temporary file is left behind */
	tmp = file_of(d, ".facts");
	ck_assert_ptr_null(tmp);
	tu_rmtree(d);
}
END_TEST

/* ---- the stat cache ---- */

START_TEST(test_stat_cache)
{
	char *d = tu_mkdtemp();
	struct sc_statcache *s;
	struct sc_fstat st, other;
	unsigned char oid[20], got[20];
	char *path;

	memset(&st, 0, sizeof(st));
	st.size = 12;
	st.ino = 42;
	st.dev = 7;
	st.mtime_s = st.ctime_s = 1000000000;  /* long ago */
	oid_of(oid, 3);
	s = sc_statcache_open(d, "/some/root");
	ck_assert_int_eq(sc_statcache_get(s, "a.py", &st, got), 0);
	sc_statcache_put(s, "a.py", &st, oid);
	other = st;
	other.mtime_s = time(NULL);  /* just changed: not remembered */
	sc_statcache_put(s, "b.py", &other, oid);
	sc_statcache_save(s);
	sc_statcache_free(s);

	s = sc_statcache_open(d, "/some/root");
	ck_assert_int_eq(sc_statcache_get(s, "a.py", &st, got), 1);
	ck_assert(!memcmp(got, oid, 20));
	ck_assert_int_eq(sc_statcache_get(s, "b.py", &other, got), 0);
	other = st;
	other.ctime_ns = 1;  /* touched since */
	ck_assert_int_eq(sc_statcache_get(s, "a.py", &other, got), 0);
	sc_statcache_free(s);
	/* another folder's cache is another file */
	s = sc_statcache_open(d, "/other/root");
	ck_assert_int_eq(sc_statcache_get(s, "a.py", &st, got), 0);
	sc_statcache_free(s);
	/* corrupt: ignored */
	path = file_of(d, "tree-");
	ck_assert_ptr_nonnull(path);
	flip(path, -1);
	s = sc_statcache_open(d, "/some/root");
	ck_assert_int_eq(sc_statcache_get(s, "a.py", &st, got), 0);
	sc_statcache_free(s);
	free(path);
	tu_rmtree(d);
}
END_TEST

/* ---- the report cache ---- */

static void stat_of(struct sc_fstat *f, const char *dir, const char *rel)
{
	char *p = sc_xasprintf("%s/%s", dir, rel);
	struct stat st;

	ck_assert_int_eq(lstat(p, &st), 0);
	sc_fstat_from(f, &st);
	free(p);
}

START_TEST(test_run_cache)
{
	char *d = tu_mkdtemp(), *root = tu_mkdtemp(), *path;
	unsigned char k1[20], k2[20];
	struct sc_runkey *k;
	struct sc_runreport r;
	struct sc_dep dep;

	k = sc_runkey_new();
	sc_runkey_str(k, "--all");
	sc_runkey_finish(k, k1);
	k = sc_runkey_new();
	sc_runkey_str(k, "--all");
	sc_runkey_str(k, NULL);
	sc_runkey_finish(k, k2);
	ck_assert(memcmp(k1, k2, 20));
	tu_write(root, "m.py", "x = 1\n");
	dep.path = "m.py";
	stat_of(&dep.st, root, "m.py");
	dep.st.ctime_s = dep.st.mtime_s = 1000000000;  /* as if long ago */
	ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), -1);
	sc_runcache_put(d, root, k1, &dep, 1, "report\n", 7, 1);
	/* the file's real times differ from the ones kept: no report */
	ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), -1);
	/* kept with the file's real stat data, but changed just now: the
	 * report is not kept at all */
	stat_of(&dep.st, root, "m.py");
	sc_runcache_put(d, root, k1, &dep, 1, "report\n", 7, 1);
	path = file_of(d, "run-");
	ck_assert_ptr_nonnull(path);  /* the first one */
	free(path);
	ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), -1);
	/* an old file: kept, found, and lost when the file changes */
	ck_assert_int_eq(tu_sh(root, "touch -d '2 hours ago' m.py"), 0);
	stat_of(&dep.st, root, "m.py");
	if (dep.st.ctime_s < (int64_t)time(NULL) - 5) {
		/* (ctime cannot be set back; only where the clock allows) */
		sc_runcache_put(d, root, k1, &dep, 1, "report\n", 7, 1);
		ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), 0);
		ck_assert_uint_eq(r.len, 7);
		ck_assert_mem_eq(r.text, "report\n", 7);
		ck_assert_int_eq(r.rc, 1);
		sc_runreport_release(&r);
		ck_assert_ptr_null(r.map);
	}
	/* with no dependency (a git work tree: ids in the key) */
	sc_runcache_put(d, root, k1, NULL, 0, "report\n", 7, 1);
	ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), 0);
	ck_assert_uint_eq(r.len, 7);
	ck_assert_mem_eq(r.text, "report\n", 7);
	ck_assert_int_eq(r.rc, 1);
	sc_runreport_release(&r);
	ck_assert_int_eq(sc_runcache_get(d, root, k2, &r), -1);
	ck_assert_int_eq(sc_runcache_get(d, "/other", k1, &r), -1);
	/* a dependency gone or changed: no report */
	dep.st.ctime_s = dep.st.mtime_s = 1000000000;
	sc_runcache_put(d, root, k1, &dep, 1, "report\n", 7, 0);
	ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), -1);
	/* damaged: no report */
	sc_runcache_put(d, root, k1, NULL, 0, "report\n", 7, 1);
	path = file_of(d, "run-");
	flip(path, -2);
	ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), -1);
	ck_assert_ptr_null(r.map);
	free(path);
	/* cut short: no report */
	sc_runcache_put(d, root, k1, NULL, 0, "report\n", 7, 1);
	path = file_of(d, "run-");
	ck_assert_int_eq(truncate(path, 70), 0);
	ck_assert_int_eq(sc_runcache_get(d, root, k1, &r), -1);
	free(path);
	tu_rmtree(d);
	tu_rmtree(root);
}
END_TEST

/* ---- the listing cache of plain folders ---- */

static void assert_same_paths(const struct sc_snapshot *a,
			      const struct sc_snapshot *b)
{
	size_t i;

	ck_assert_uint_eq(a->n, b->n);
	for (i = 0; i < a->n; i++)
		ck_assert_str_eq(a->entries[i].path, b->entries[i].path);
}

START_TEST(test_folder_listing_cache)
{
	char *d = tu_mkdtemp(), *cache = tu_mkdtemp(), *list;
	struct sc_snapshot *ref = NULL, *s = NULL;
	size_t i;

	tu_write(d, "a/b/c.py", "c\n");
	tu_write(d, "a/d.py", "d\n");
	tu_write(d, "e.txt", "e\n");
	tu_write(d, ".hg/x", "skipped\n");
	ck_assert_int_eq(tu_sh(d, "ln -s a/d.py link.py && "
				  "touch -d '1 hour ago' a/b a .hg ."), 0);
	ck_assert_int_eq(sc_snapshot_from_dir(&ref, d), 0);
	/* first walk: lists and records; second: from the cache */
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(sc_folder_snapshot(&s, d, cache, NULL, NULL), 0);
		assert_same_paths(s, ref);
		ck_assert_int_eq(s->lazy, 1);  /* ids computed when needed */
		sc_snapshot_free(s);
	}
	list = file_of(cache, "dirs-");
	ck_assert_ptr_nonnull(list);
	/* a new file changes its folder: seen */
	tu_write(d, "a/b/new.py", "new\n");
	ck_assert_int_eq(tu_sh(d, "touch -d '1 hour ago' a/b"), 0);
	sc_snapshot_free(ref);
	ck_assert_int_eq(sc_snapshot_from_dir(&ref, d), 0);
	ck_assert_int_eq(sc_folder_snapshot(&s, d, cache, NULL, NULL), 0);
	assert_same_paths(s, ref);
	sc_snapshot_free(s);
	/* a damaged cache is ignored */
	flip(list, -5);
	ck_assert_int_eq(sc_folder_snapshot(&s, d, cache, NULL, NULL), 0);
	assert_same_paths(s, ref);
	sc_snapshot_free(s);
	sc_snapshot_free(ref);
	free(list);
	tu_rmtree(d);
	tu_rmtree(cache);
}
END_TEST

/* ---- facts as bytes ---- */

/* Extract, encode, decode, encode again: the same bytes. */
static void roundtrip_file(const char *path)
{
	struct sc_buf a = SC_BUF_INIT, b = SC_BUF_INIT;
	struct sc_srcfile *f, *g;
	struct sc_pyfile *pf = NULL;
	struct sc_migration *mig = NULL, *mig2;
	struct sc_modelfile *models = NULL, *models2;
	struct sc_codefile *code2;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = fopen(path, "rb");
	char chunk[4096];
	size_t n;
	struct sc_buf t = SC_BUF_INIT;

	ck_assert_ptr_nonnull(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		sc_buf_add(&t, chunk, n);
	fclose(fp);
	len = t.len;
	text = sc_buf_detach(&t);
	f = sc_srcfile_new(path, text, len);
	ck_assert_int_eq(sc_pyfile_parse(&pf, f), 0);
	ck_assert_int_eq(sc_migration_extract(&mig, pf), 0);
	ck_assert_int_eq(sc_models_extract(&models, pf), 0);
	sc_factser_put(&a, f, mig, models, NULL);
	g = sc_srcfile_new(path, text, len);
	ck_assert_msg(sc_factser_get(a.buf, a.len, g, &mig2, &models2,
				     &code2) == 0, "%s", path);
	ck_assert_ptr_null(code2);
	sc_factser_put(&b, g, mig2, models2, NULL);
	ck_assert_msg(a.len == b.len && !memcmp(a.buf, b.buf, a.len),
		      "%s: facts change through the cache", path);
	ck_assert_int_eq(g->n_comments, f->n_comments);
	ck_assert_int_eq(g->syntax_error, f->syntax_error);
	/* a truncated encoding is refused, never half-read */
	if (a.len > 1) {
		struct sc_srcfile *h = sc_srcfile_new(path, "", 0);
		struct sc_migration *m3;
		struct sc_modelfile *md3;
		struct sc_codefile *c3;

		ck_assert_int_eq(sc_factser_get(a.buf, a.len - 1, h, &m3,
						&md3, &c3), -1);
		ck_assert_ptr_null(m3);
		ck_assert_int_eq(h->n_comments, 0);
		sc_srcfile_free(h);
	}
	sc_migration_free(mig);
	sc_migration_free(mig2);
	sc_modelfile_free(models);
	sc_modelfile_free(models2);
	sc_pyfile_free(pf);
	sc_srcfile_free(f);
	sc_srcfile_free(g);
	sc_buf_release(&a);
	sc_buf_release(&b);
	free(text);
}

START_TEST(test_factser_fixtures)
{
	char *root = sc_xasprintf("%s/testdata", SC_SRCDIR), *cmd;
	FILE *p;
	char line[4096];
	int n = 0;

	cmd = sc_xasprintf("find '%s' -name '*.py' -type f | sort", root);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\n")] = '\0';
		roundtrip_file(line);
		n++;
	}
	pclose(p);
	ck_assert_int_gt(n, 50);
	sc_pysrc_shutdown();
	free(cmd);
	free(root);
}
END_TEST

/* Every field of facts.h is encoded (tests/factser-fields.sh). */
START_TEST(test_factser_every_field)
{
	ck_assert_int_eq(tu_sh(NULL, "sh '%s/tests/factser-fields.sh' '%s' "
			       ">&2", SC_SRCDIR, SC_SRCDIR), 0);
}
END_TEST

/* ---- the engine with and without the cache, on every fixture ---- */

static char *run_engine(const char *dir, int staged)
{
	struct sc_config cfg;
	struct sc_changeset *cs;
	struct sc_snapshot *before = NULL, *after = NULL;
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts ro;
	char *out = NULL, *b, *a;
	size_t len = 0;
	FILE *mem;

	sc_config_init(&cfg);
	if (staged) {
		b = sc_xasprintf("%s/before", dir);
		a = sc_xasprintf("%s/after", dir);
		ck_assert_int_eq(sc_snapshot_from_dir(&before, b), 0);
		ck_assert_int_eq(sc_snapshot_from_dir(&after, a), 0);
		cs = sc_changeset_from_snapshots(SC_MODE_STAGED, before, after);
		free(a);
		free(b);
	} else {
		ck_assert_int_eq(sc_snapshot_from_dir(&after, dir), 0);
		cs = sc_changeset_from_snapshots(SC_MODE_ALL, NULL, after);
	}
	ck_assert_msg(sc_engine_run(&ds, NULL, cs, &cfg) == 0, "%s: %s", dir,
		      sc_error_last());
	memset(&ro, 0, sizeof(ro));
	ro.format = SC_FMT_JSON;
	ro.mode = staged ? "staged" : "all";
	mem = open_memstream(&out, &len);
	ck_assert_ptr_nonnull(mem);
	ck_assert_int_eq(sc_report_write(mem, &ds, &ro), 0);
	fclose(mem);
	sc_diags_release(&ds);
	sc_changeset_free(cs);
	sc_config_release(&cfg);
	return out;
}

START_TEST(test_engine_same_with_cache)
{
	char *root = sc_xasprintf("%s/testdata", SC_SRCDIR), *cmd;
	char *cache = tu_mkdtemp();
	FILE *p;
	char line[4096];
	int n = 0, round;

	/* the cases of the rule fixtures; configuration left at defaults */
	cmd = sc_xasprintf("ls -d '%s'/SC*/*.d | sort", root);
	for (round = 0; round < 1; round++) {
		p = popen(cmd, "r");
		ck_assert_ptr_nonnull(p);
		while (fgets(line, sizeof(line), p)) {
			char *b, *want, *cold, *warm;
			struct stat st;
			int staged;

			line[strcspn(line, "\n")] = '\0';
			b = sc_xasprintf("%s/before", line);
			staged = !stat(b, &st) && S_ISDIR(st.st_mode);
			free(b);
			unsetenv("SCHEMACHECK_CACHE_DIR");
			want = run_engine(line, staged);
			setenv("SCHEMACHECK_CACHE_DIR", cache, 1);
			cold = run_engine(line, staged);  /* fills (round 0) */
			warm = run_engine(line, staged);  /* from the cache */
			unsetenv("SCHEMACHECK_CACHE_DIR");
			ck_assert_msg(!strcmp(want, cold), "%s: cold cache "
				      "differs:\n%s\n---\n%s", line, want, cold);
			ck_assert_msg(!strcmp(want, warm), "%s: warm cache "
				      "differs:\n%s\n---\n%s", line, want, warm);
			free(want);
			free(cold);
			free(warm);
			n++;
		}
		pclose(p);
	}
	ck_assert_int_gt(n, 100);
	sc_pysrc_shutdown();
	free(cmd);
	free(root);
	tu_rmtree(cache);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("cache");
	TCase *tc = tcase_create("core");
	int rc;

	unsetenv("SCHEMACHECK_CACHE_DIR");
	unsetenv("SCHEMACHECK_NO_CACHE");
	sc_gitsrc_global_init();
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_facts_roundtrip);
	tcase_add_test(tc, test_facts_corrupt);
	tcase_add_test(tc, test_facts_overlapping_runs);
	tcase_add_test(tc, test_stat_cache);
	tcase_add_test(tc, test_run_cache);
	tcase_add_test(tc, test_folder_listing_cache);
	tcase_add_test(tc, test_factser_fixtures);
	tcase_add_test(tc, test_factser_every_field);
	tcase_add_test(tc, test_engine_same_with_cache);
	suite_add_tcase(s, tc);
	rc = tu_run(s);
	sc_gitsrc_global_shutdown();
	return rc;
}
