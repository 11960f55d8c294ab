/*
 * main.c: the command line of schemacheck (DESIGN.md section 1): the
 * command table, option parsing, and the only place that prints errors
 * and exits. Exit status: 0 clean, 1 error-severity diagnostics (any
 * with --strict), 2 usage or configuration error, 3 environment or
 * internal failure. An --all run whose inputs are all as last time
 * prints last time's report (runcache.h).
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "diag.h"
#include "engine.h"
#include "err.h"
#include "gitsrc.h"
#include "pysrc.h"
#include "report.h"
#include "revgraph.h"
#include "cache.h"
#include "rule.h"
#include "runcache.h"
#include "trace.h"

#ifndef SC_VERSION
#define SC_VERSION "0.0.0"
#endif

static const char hook_template[] =
#include "hook.inc"
	;

static const char usage_text[] =
"usage: schemacheck [check] [--staged | --diff BASE[..HEAD|...HEAD] | --all]\n"
"                   [OPTIONS] [PATH...]\n"
"       schemacheck explain CODE|NAME\n"
"       schemacheck rules [--format text|md|json]\n"
"       schemacheck heads [--format text|json] [-C DIR]\n"
"       schemacheck install [--force]\n"
"       schemacheck --version | --help\n"
"\n"
"Checks SQLAlchemy models and Alembic migrations against the schema-change\n"
"policy, without importing the code or touching a database.\n"
"\n"
"Modes (default --staged):\n"
"  --staged            the commit being made: HEAD against the index\n"
"  --diff BASE         a pull request: merge base of BASE and HEAD against HEAD\n"
"  --all               every tracked file as it is in the working tree\n"
"\n"
"Options:\n"
"  -C DIR              run as if started in DIR\n"
"  --format FMT        text, json, github, sarif, junit or gitlab (default text)\n"
"  --color WHEN        always, never or auto (default auto)\n"
"  --select CODES      only these rules (codes, names or prefixes such as SC2)\n"
"  --ignore CODES      not these rules\n"
"  --config FILE       read this configuration file\n"
"  --no-config         read no configuration file\n"
"  --since REVISION    migrations up to this revision are accepted history\n"
"  --strict            warnings also fail\n"
"  --quiet             only diagnostics and errors\n"
"  --statistics        counts per rule\n"
"  -h, --help          this text\n"
"  --version           the version\n"
"\n"
"Exit status: 0 no errors, 1 errors found (or any finding with --strict),\n"
"2 usage or configuration error, 3 environment or internal failure.\n";

struct opts {
	enum sc_mode mode;
	const char *range;
	const char *dir;
	enum sc_format format;
	int color;                 /* -1 auto */
	int quiet, statistics, strict, no_config;
	const char *config;
	const char *since;
	char **paths;
	size_t n_paths;
	char **select;             /* --select (replaces the file's) */
	size_t n_select;
	char **ignore;             /* --ignore (adds to the file's) */
	size_t n_ignore;
	int force;
	int argc;                  /* the whole command line (report cache) */
	char **argv;
};

static int usage_error(const char *fmt, ...) SC_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("schemacheck: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nschemacheck: see 'schemacheck --help'\n", stderr);
	return SC_EXIT_USAGE;
}

/* Split a comma-separated list of rule selectors into cfg list. */
static int add_selectors(char ***list, size_t *n, const char *arg,
			 const char *opt)
{
	char *copy = sc_xstrdup(arg), *tok, *save = NULL;
	int rc = 0;

	for (tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		if (!sc_rule_selector_valid(tok)) {
			fprintf(stderr, "schemacheck: %s: unknown rule '%s' "
				"(see 'schemacheck rules')\n", opt, tok);
			rc = -1;
			break;
		}
		sc_strlist_add(list, n, tok);
	}
	free(copy);
	return rc;
}

/*
 * Parse options from argv[i...]; returns -1 (after printing) on a usage
 * error, else 0.
 */
static int parse_check_opts(int argc, char **argv, int i, struct opts *o)
{
	for (; i < argc; i++) {
		char *a = argv[i], *val = NULL;
		char name[64];
		const char *eq;
		int takes;

		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				sc_strlist_add(&o->paths, &o->n_paths, argv[i]);
			break;
		}
		if (a[0] != '-' || !a[1]) {
			sc_strlist_add(&o->paths, &o->n_paths, a);
			continue;
		}
		eq = strchr(a, '=');
		if (a[1] == '-' && eq && (size_t)(eq - a) < sizeof(name)) {
			memcpy(name, a, (size_t)(eq - a));
			name[eq - a] = '\0';
			val = (char *)eq + 1;
		} else {
			snprintf(name, sizeof(name), "%s", a);
		}
		takes = !strcmp(name, "--diff") || !strcmp(name, "-C") ||
			!strcmp(name, "--format") || !strcmp(name, "--color") ||
			!strcmp(name, "--select") || !strcmp(name, "--ignore") ||
			!strcmp(name, "--config") || !strcmp(name, "--since");
		if (takes && !val) {
			if (i + 1 >= argc) {
				usage_error("option '%s' needs a value", name);
				return -1;
			}
			val = argv[++i];
		} else if (!takes && val) {
			usage_error("option '%s' takes no value", name);
			return -1;
		}

		if (!strcmp(name, "--staged")) {
			o->mode = SC_MODE_STAGED;
		} else if (!strcmp(name, "--all")) {
			o->mode = SC_MODE_ALL;
		} else if (!strcmp(name, "--diff")) {
			o->mode = SC_MODE_DIFF;
			o->range = val;
		} else if (!strcmp(name, "-C")) {
			o->dir = val;
		} else if (!strcmp(name, "--format")) {
			if (sc_format_parse(val, &o->format) < 0) {
				usage_error("--format: unknown format '%s' (text, "
					    "json, github, sarif, junit, gitlab)", val);
				return -1;
			}
		} else if (!strcmp(name, "--color")) {
			if (!strcmp(val, "always"))
				o->color = 1;
			else if (!strcmp(val, "never"))
				o->color = 0;
			else if (!strcmp(val, "auto"))
				o->color = -1;
			else {
				usage_error("--color: expected always, never or "
					    "auto, not '%s'", val);
				return -1;
			}
		} else if (!strcmp(name, "--select")) {
			if (add_selectors(&o->select, &o->n_select, val,
					  "--select") < 0)
				return -1;
		} else if (!strcmp(name, "--ignore")) {
			if (add_selectors(&o->ignore, &o->n_ignore, val,
					  "--ignore") < 0)
				return -1;
		} else if (!strcmp(name, "--config")) {
			o->config = val;
		} else if (!strcmp(name, "--no-config")) {
			o->no_config = 1;
		} else if (!strcmp(name, "--since")) {
			o->since = val;
		} else if (!strcmp(name, "--strict")) {
			o->strict = 1;
		} else if (!strcmp(name, "--quiet") || !strcmp(name, "-q")) {
			o->quiet = 1;
		} else if (!strcmp(name, "--statistics")) {
			o->statistics = 1;
		} else if (!strcmp(name, "--force")) {
			o->force = 1;
		} else {
			usage_error("unknown option '%s'", name);
			return -1;
		}
	}
	return 0;
}

/* PATH arguments → repo-relative prefixes; keep diagnostics under them. */
static void filter_paths(struct sc_diags *ds, const struct opts *o,
			 const char *prefix)
{
	size_t i, j, w = 0;
	char **rel;

	if (!o->n_paths)
		return;
	rel = sc_xcalloc(o->n_paths, sizeof(*rel));
	for (j = 0; j < o->n_paths; j++) {
		const char *p = o->paths[j];
		size_t n;
		while (p[0] == '.' && p[1] == '/')
			p += 2;
		rel[j] = !strcmp(p, ".") ? sc_xstrdup(prefix)
					 : sc_xasprintf("%s%s", prefix, p);
		n = strlen(rel[j]);
		while (n && rel[j][n - 1] == '/')
			rel[j][--n] = '\0';
	}
	for (i = 0; i < ds->n; i++) {
		int keep = 0;
		for (j = 0; j < o->n_paths && !keep; j++) {
			size_t n = strlen(rel[j]);
			keep = !n || (!strncmp(ds->v[i].path, rel[j], n) &&
				      (ds->v[i].path[n] == '\0' ||
				       ds->v[i].path[n] == '/'));
		}
		if (keep) {
			ds->v[w++] = ds->v[i];
		} else {
			sc_diag_release(&ds->v[i]);
		}
	}
	ds->n = w;
	for (j = 0; j < o->n_paths; j++)
		free(rel[j]);
	free(rel);
}

static const char *mode_name(enum sc_mode m)
{
	return m == SC_MODE_ALL ? "all" : m == SC_MODE_DIFF ? "diff" : "staged";
}

/*
 * The configuration: --config FILE, else .schemacheck.toml or
 * pyproject.toml ([tool.schemacheck]) at the root; then the command line
 * on top. Returns an exit status (0 when fine).
 */
static int load_config(struct opts *o, struct sc_config *cfg, const char *root)
{
	static const char *const names[] = { ".schemacheck.toml",
					     "pyproject.toml", NULL };
	int found = 0, err = 0;
	size_t i;

	if (o->config) {
		err = sc_config_load(cfg, o->config, o->config, &found);
		if (err == SC_ERROR) {
			/* the file named on the command line: a usage error */
			fprintf(stderr, "schemacheck: --config: %s\n",
				sc_error_last());
			return SC_EXIT_USAGE;
		}
		if (!err && !found) {
			fprintf(stderr, "schemacheck: --config: '%s' has no "
				"[tool.schemacheck] table\n", o->config);
			return SC_EXIT_USAGE;
		}
	} else if (!o->no_config) {
		for (i = 0; names[i] && !found && !err; i++) {
			char *path = sc_xasprintf("%s/%s", root, names[i]);
			struct stat st;
			/* a file of the repository: never through a symlink
			 * (it may point outside), only a regular file */
			if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
				err = sc_config_load(cfg, path, names[i], &found);
			else if (lstat(path, &st) == 0)
				fprintf(stderr, "schemacheck: warning: not reading "
					"'%s': not a regular file\n", names[i]);
			free(path);
		}
	}
	if (err) {
		fprintf(stderr, "schemacheck: %s\n", sc_error_last());
		return err == SC_EUSAGE ? SC_EXIT_USAGE : SC_EXIT_ENV;
	}
	if (o->n_select) {
		sc_strlist_free(cfg->select, cfg->n_select);
		cfg->select = NULL;
		cfg->n_select = 0;
		for (i = 0; i < o->n_select; i++)
			sc_strlist_add(&cfg->select, &cfg->n_select, o->select[i]);
	}
	for (i = 0; i < o->n_ignore; i++)
		sc_strlist_add(&cfg->ignore, &cfg->n_ignore, o->ignore[i]);
	if (o->since) {
		free(cfg->since);
		cfg->since = sc_xstrdup(o->since);
		cfg->since_line = 0;
	}
	cfg->strict = o->strict;
	return SC_EXIT_OK;
}

/* $SCHEMACHECK_NO_REPORT_CACHE set (not "" nor "0"): every run runs. */
static int no_report_cache(void)
{
	const char *v = getenv("SCHEMACHECK_NO_REPORT_CACHE");

	return v && *v && strcmp(v, "0");
}

/*
 * Does every file of `s` have its content's id (git work trees; the zero
 * id of a file too large to hash is no id)?
 */
static int snapshot_has_ids(const struct sc_snapshot *s)
{
	static const char zero[] = "0000000000000000000000000000000000000000";
	size_t i;

	if (s->lazy)
		return 0;
	for (i = 0; i < s->n; i++)
		if (!s->entries[i].id[0] ||
		    !strcmp(s->entries[i].id, zero))
			return 0;
	return 1;
}

/*
 * The key of the report of this --all run (runcache.h) into key: with
 * the snapshot `cs` (a git work tree), or without one (NULL: a plain
 * folder, whose folders are dependencies instead).
 */
static void run_key(const struct opts *o, const struct sc_repo *repo,
		   const struct sc_changeset *cs, int color,
		   unsigned char *key)
{
	struct sc_runkey *k = sc_runkey_new();
	char *cwd = realpath(".", NULL), *path;
	int i;

	for (i = 1; i < o->argc; i++)
		sc_runkey_str(k, o->argv[i]);
	sc_runkey_str(k, cwd);
	sc_runkey_str(k, sc_repo_root(repo));
	sc_runkey_str(k, sc_repo_prefix(repo));
	sc_runkey_bytes(k, &color, sizeof(color));
	/* the configuration, as load_config finds it */
	if (o->config) {
		sc_runkey_file(k, o->config);
	} else if (!o->no_config) {
		path = sc_xasprintf("%s/.schemacheck.toml", sc_repo_root(repo));
		sc_runkey_file(k, path);
		free(path);
		path = sc_xasprintf("%s/pyproject.toml", sc_repo_root(repo));
		sc_runkey_file(k, path);
		free(path);
	}
	/* a plain folder's key has no snapshot: its folders and the files
	 * read are the dependencies, checked before it is walked */
	if (cs)
		sc_runkey_snapshot(k, cs->after);
	else
		sc_runkey_str(k, "plain folder");
	sc_runkey_finish(k, key);
	free(cwd);
}

/*
 * Start recording what this --all run depends on, and look its report up
 * (runcache.h): 1 with *kept filled in (released by the caller) when last
 * time's report holds; else 0. `cs` as for run_key.
 */
static int kept_report(const struct opts *o, struct sc_repo *repo,
		       const struct sc_changeset *cs, int color,
		       unsigned char *key, const char *cache_dir,
		       struct sc_runreport *kept)
{
	run_key(o, repo, cs, color, key);
	if (!cs || !snapshot_has_ids(cs->after))
		sc_repo_record_deps(repo);
	return sc_runcache_get(cache_dir, sc_repo_root(repo), key, kept) == 0;
}

static int cmd_check(struct opts *o, struct sc_config *cfg)
{
	struct sc_repo *repo = NULL;
	struct sc_changeset *cs = NULL;
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_report_opts ro;
	unsigned char key[20];
	struct sc_runreport kept = { 0 };
	char *cache_dir = NULL, *report = NULL;
	size_t i, report_len = 0;
	FILE *out = stdout;
	int rc = SC_EXIT_OK, err, color, use_runs = 0;

	if ((err = sc_repo_open(&repo, ".", o->mode == SC_MODE_ALL)) < 0) {
		fprintf(stderr, "schemacheck: %s\n", sc_error_last());
		rc = SC_EXIT_ENV;
		goto out;
	}
	if ((rc = load_config(o, cfg, sc_repo_root(repo))) != SC_EXIT_OK)
		goto out;
	sc_trace("repository open, configuration read");
	color = o->color < 0 ? (isatty(STDOUT_FILENO) && !getenv("NO_COLOR"))
			     : o->color;
	/*
	 * --all with every input as last time: last time's report. A plain
	 * folder's is looked up before the folder is walked (no folder and
	 * no file it read changed); a git work tree's after its snapshot,
	 * whose ids are the contents (where a file has none, what was read
	 * is recorded too).
	 */
	use_runs = o->mode == SC_MODE_ALL && !no_report_cache() &&
		   (cache_dir = sc_cache_dir(repo)) != NULL;
	if (use_runs && !sc_repo_is_git(repo) &&
	    kept_report(o, repo, NULL, color, key, cache_dir, &kept))
		goto kept;
	if ((err = sc_changeset_load(&cs, repo, o->mode, o->range)) < 0) {
		fprintf(stderr, "schemacheck: %s\n", sc_error_last());
		rc = err == SC_EUSAGE ? SC_EXIT_USAGE : SC_EXIT_ENV;
		goto out;
	}
	sc_trace("change set loaded");
	if (use_runs && sc_repo_is_git(repo) &&
	    kept_report(o, repo, cs, color, key, cache_dir, &kept))
		goto kept;
	if ((err = sc_engine_run(&ds, repo, cs, cfg)) < 0) {
		fprintf(stderr, "schemacheck: %s\n", sc_error_last());
		rc = err == SC_EUSAGE ? SC_EXIT_USAGE : SC_EXIT_ENV;
		goto out;
	}
	filter_paths(&ds, o, sc_repo_prefix(repo));

	memset(&ro, 0, sizeof(ro));
	ro.format = o->format;
	ro.color = color;
	ro.mode = mode_name(o->mode);
	ro.quiet = o->quiet;
	ro.statistics = o->statistics;
	/* kept for the report cache: written to memory, then out */
	if (use_runs && !(out = open_memstream(&report, &report_len)))
		sc_die_oom();
	if (sc_report_write(out, &ds, &ro) < 0 ||
	    (out != stdout && (fclose(out) != 0 ||
			       (report_len && fwrite(report, 1, report_len,
						     stdout) != report_len)))) {
		fprintf(stderr, "schemacheck: cannot write the report: %s\n",
			strerror(errno));
		out = stdout;
		rc = SC_EXIT_ENV;
		goto out;
	}
	out = stdout;
	sc_trace("report written");
	for (i = 0; i < ds.n; i++)
		if (ds.v[i].severity == SC_SEV_ERROR || o->strict)
			rc = SC_EXIT_FINDINGS;
	if (use_runs) {
		size_t n_deps;
		const struct sc_dep *deps = sc_repo_deps(repo, &n_deps);

		sc_runcache_put(cache_dir, sc_repo_root(repo), key, deps,
				n_deps, report, report_len, rc);
	}
	goto out;
kept:
	sc_trace("report from the report cache");
	rc = kept.rc;
	if (kept.len && fwrite(kept.text, 1, kept.len, stdout) != kept.len) {
		fprintf(stderr, "schemacheck: cannot write the report: %s\n",
			strerror(errno));
		rc = SC_EXIT_ENV;
	}
out:
	if (out != stdout)
		fclose(out);
	free(report);
	sc_runreport_release(&kept);
	free(cache_dir);
	sc_diags_release(&ds);
	sc_changeset_free(cs);
	sc_repo_free(repo);
	return rc;
}

static int cmd_explain(int argc, char **argv)
{
	const struct sc_rule *r;
	if (argc != 3)
		return usage_error("%s", "usage: schemacheck explain CODE|NAME");
	r = sc_rule_find(argv[2]);
	if (!r) {
		fprintf(stderr, "schemacheck: unknown rule '%s' (see "
			"'schemacheck rules')\n", argv[2]);
		return SC_EXIT_USAGE;
	}
	printf("%s %s (%s)\n\n%s", r->code, r->name,
	       r->severity == SC_SEV_ERROR ? "error" : "warning", r->doc);
	return SC_EXIT_OK;
}

static int cmd_rules(int argc, char **argv)
{
	const char *fmt = "text";
	size_t i;
	int a;

	for (a = 2; a < argc; a++) {
		if (!strcmp(argv[a], "--format") && a + 1 < argc)
			fmt = argv[++a];
		else if (!strncmp(argv[a], "--format=", 9))
			fmt = argv[a] + 9;
		else
			return usage_error("rules: unknown argument '%s'", argv[a]);
	}
	if (!strcmp(fmt, "json")) {
		struct sc_buf b = SC_BUF_INIT;
		sc_buf_adds(&b, "[");
		for (i = 0; i < sc_n_rules; i++) {
			const struct sc_rule *r = sc_rules[i];
			sc_buf_addf(&b, "%s\n  {\"code\": \"%s\", \"name\": \"%s\", "
				    "\"severity\": \"%s\", \"summary\": \"",
				    i ? "," : "", r->code, r->name,
				    r->severity == SC_SEV_ERROR ? "error" : "warning");
			sc_buf_add_json(&b, r->summary, strlen(r->summary));
			sc_buf_adds(&b, "\"}");
		}
		sc_buf_adds(&b, "\n]\n");
		fputs(b.buf, stdout);
		sc_buf_release(&b);
	} else if (!strcmp(fmt, "md")) {
		puts("| Code | Name | Severity | Fires when |");
		puts("|---|---|---|---|");
		for (i = 0; i < sc_n_rules; i++)
			printf("| %s | %s | %s | %s |\n", sc_rules[i]->code,
			       sc_rules[i]->name,
			       sc_rules[i]->severity == SC_SEV_ERROR ? "error"
								     : "warning",
			       sc_rules[i]->summary);
	} else if (!strcmp(fmt, "text")) {
		for (i = 0; i < sc_n_rules; i++)
			printf("%-6s %-32s %-8s %s\n", sc_rules[i]->code,
			       sc_rules[i]->name,
			       sc_rules[i]->severity == SC_SEV_ERROR ? "error"
								     : "warning",
			       sc_rules[i]->summary);
	} else {
		return usage_error("rules: unknown format '%s' (text, md, json)",
				   fmt);
	}
	return SC_EXIT_OK;
}

/* ---- heads ----------------------------------------------------------- */

static int cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A script directory as printed: relative to the folder checked, "." for it. */
static const char *shown_dir(const char *path)
{
	return *path ? path : ".";
}

/*
 * The heads of each script directory of `a` into the sc_buf `arg`: json
 * as DESIGN.md section 2 says, or text, one line per head:
 * "<head> (<label>, ...) <script dir>" (no parentheses without labels).
 */
static int write_heads(const struct sc_analysis *a, int json,
		       struct sc_buf *b)
{
	char **dirs = sc_xcalloc(a->n_script_dirs, sizeof(*dirs));
	size_t i, j, k;

	if (a->n_script_dirs) {
		memcpy(dirs, a->script_dirs, a->n_script_dirs * sizeof(*dirs));
		qsort(dirs, a->n_script_dirs, sizeof(*dirs), cmp_strp);
	}
	if (json)
		sc_buf_adds(b, "{\"version\": 1, \"script_dirs\": [");
	for (i = 0; i < a->n_script_dirs; i++) {
		const struct sc_revdir *d = sc_revgraph_dir(a->graph, dirs[i]);
		const char *shown = shown_dir(dirs[i]);
		size_t n_heads = d ? d->n_heads : 0;

		if (i && !strcmp(dirs[i - 1], dirs[i]))
			continue;
		if (json) {
			sc_buf_adds(b, i ? ",\n  {\"path\": \"" : "\n  {\"path\": \"");
			sc_buf_add_json(b, shown, strlen(shown));
			sc_buf_adds(b, "\", \"heads\": [");
			for (j = 0; j < n_heads; j++) {
				const char *id = a->graph->nodes[d->heads[j]].id;
				sc_buf_adds(b, j ? ", \"" : "\"");
				sc_buf_add_json(b, id, strlen(id));
				sc_buf_adds(b, "\"");
			}
			sc_buf_adds(b, "], \"branch_labels\": [");
			for (j = 0; d && j < d->n_labels; j++) {
				sc_buf_adds(b, j ? ", \"" : "\"");
				sc_buf_add_json(b, d->labels[j], strlen(d->labels[j]));
				sc_buf_adds(b, "\"");
			}
			sc_buf_adds(b, "]}");
			continue;
		}
		for (j = 0; j < n_heads; j++) {
			const struct sc_revnode *h = &a->graph->nodes[d->heads[j]];
			sc_buf_adds(b, h->id);
			for (k = 0; k < h->n_labels; k++)
				sc_buf_addf(b, "%s%s", k ? ", " : " (", h->labels[k]);
			sc_buf_addf(b, "%s %s\n", h->n_labels ? ")" : "", shown);
		}
	}
	if (json)
		sc_buf_adds(b, a->n_script_dirs ? "\n]}\n" : "]}\n");
	free(dirs);
	return 0;
}

static int write_heads_json(const struct sc_analysis *a, void *arg)
{
	return write_heads(a, 1, arg);
}

static int write_heads_text(const struct sc_analysis *a, void *arg)
{
	return write_heads(a, 0, arg);
}

/*
 * schemacheck heads [--format text|json] [-C DIR] [--config FILE |
 * --no-config]: the heads of every script directory of the working tree
 * (tracked files in a git repository, every file of a plain folder).
 */
static int cmd_heads(int argc, char **argv, struct opts *o,
		     struct sc_config *cfg)
{
	struct sc_repo *repo = NULL;
	struct sc_changeset *cs = NULL;
	struct sc_buf b = SC_BUF_INIT;
	const char *fmt = "text";
	int a, rc = SC_EXIT_OK, json;

	for (a = 2; a < argc; a++) {
		const char *arg = argv[a];
		if ((!strcmp(arg, "--format") || !strcmp(arg, "-C") ||
		     !strcmp(arg, "--config")) && a + 1 >= argc)
			return usage_error("option '%s' needs a value", arg);
		if (!strcmp(arg, "--format"))
			fmt = argv[++a];
		else if (!strncmp(arg, "--format=", 9))
			fmt = arg + 9;
		else if (!strcmp(arg, "-C"))
			o->dir = argv[++a];
		else if (!strcmp(arg, "--config"))
			o->config = argv[++a];
		else if (!strncmp(arg, "--config=", 9))
			o->config = arg + 9;
		else if (!strcmp(arg, "--no-config"))
			o->no_config = 1;
		else
			return usage_error("heads: unknown argument '%s'", arg);
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json"))
		return usage_error("heads: unknown format '%s' (text, json)", fmt);
	json = !strcmp(fmt, "json");
	if (o->dir && chdir(o->dir) < 0) {
		fprintf(stderr, "schemacheck: -C: cannot change to '%s': %s\n",
			o->dir, strerror(errno));
		return SC_EXIT_USAGE;
	}
	if (sc_repo_open(&repo, ".", 1) < 0) {
		fprintf(stderr, "schemacheck: %s\n", sc_error_last());
		rc = SC_EXIT_ENV;
		goto out;
	}
	if ((rc = load_config(o, cfg, sc_repo_root(repo))) != SC_EXIT_OK)
		goto out;
	if (sc_changeset_load(&cs, repo, SC_MODE_ALL, NULL) < 0 ||
	    sc_engine_inspect(repo, cs->after, cfg,
			      json ? write_heads_json : write_heads_text,
			      &b) < 0) {
		fprintf(stderr, "schemacheck: %s\n", sc_error_last());
		rc = SC_EXIT_ENV;
		goto out;
	}
	fputs(sc_buf_str(&b), stdout);
out:
	sc_buf_release(&b);
	sc_changeset_free(cs);
	sc_repo_free(repo);
	return rc;
}

/* The absolute path of this executable, for the hook shim. */
static char *self_path(const char *argv0)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	if (n > 0) {
		buf[n] = '\0';
		return sc_xstrdup(buf);
	}
	return sc_xstrdup(argv0);
}

static char *hook_text(const char *exe)
{
	struct sc_buf b = SC_BUF_INIT;
	const char *p = hook_template, *at;
	while ((at = strstr(p, "@SCHEMACHECK@"))) {
		sc_buf_add(&b, p, (size_t)(at - p));
		/* single-quote the path for sh */
		sc_buf_addch(&b, '\'');
		for (; *exe; exe++) {
			if (*exe == '\'')
				sc_buf_adds(&b, "'\\''");
			else
				sc_buf_addch(&b, *exe);
		}
		sc_buf_addch(&b, '\'');
		p = at + 13;
	}
	sc_buf_adds(&b, p);
	return sc_buf_detach(&b);
}

static int read_file(const char *path, struct sc_buf *out)
{
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sc_buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

static int cmd_install(struct opts *o, const char *argv0)
{
	struct sc_repo *repo = NULL;
	char *hooks = NULL, *path = NULL, *exe = NULL, *text = NULL;
	struct sc_buf old = SC_BUF_INIT;
	FILE *f = NULL;
	int rc = SC_EXIT_OK;

	if (sc_repo_open(&repo, ".", 0) < 0 ||
	    sc_repo_hooks_dir(repo, &hooks) < 0) {
		fprintf(stderr, "schemacheck: %s\n", sc_error_last());
		rc = SC_EXIT_ENV;
		goto out;
	}
	path = sc_xasprintf("%s/pre-commit", hooks);
	exe = self_path(argv0);
	text = hook_text(exe);
	if (read_file(path, &old) == 0 && strcmp(sc_buf_str(&old), text) &&
	    !o->force) {
		/*
		 * Ours only with the shim's own marker: a team hook that
		 * chains 'schemacheck --staged' is not to be overwritten.
		 */
		if (strstr(sc_buf_str(&old), "Installed by `schemacheck install`"))
			fprintf(stderr, "schemacheck: an older schemacheck hook is at "
				"'%s'; run 'schemacheck install --force' to update it\n",
				path);
		else if (strstr(sc_buf_str(&old), "generated by pre-commit"))
			/* its last command is an exec: a line added at its
			 * end would never run */
			fprintf(stderr, "schemacheck: the pre-commit framework's "
				"hook already exists at '%s'; not replacing it.\n"
				"schemacheck: add the hook 'schemacheck' to "
				".pre-commit-config.yaml (repo: local, entry: "
				"'schemacheck --staged', language: system, "
				"pass_filenames: false), or run 'schemacheck "
				"install --force' to replace it\n", path);
		else
			fprintf(stderr, "schemacheck: a different pre-commit hook "
				"already exists at '%s'; not replacing it.\n"
				"schemacheck: add the line 'schemacheck --staged || "
				"exit 1' to it (before any 'exec'), or run "
				"'schemacheck install --force' to replace it\n", path);
		rc = SC_EXIT_USAGE;
		goto out;
	}
	if (mkdir(hooks, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "schemacheck: cannot create '%s': %s\n", hooks,
			strerror(errno));
		rc = SC_EXIT_ENV;
		goto out;
	}
	f = fopen(path, "wb");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "schemacheck: cannot write '%s': %s\n", path,
			strerror(errno));
		f = NULL;
		rc = SC_EXIT_ENV;
		goto out;
	}
	f = NULL;
	if (chmod(path, 0755) < 0) {
		fprintf(stderr, "schemacheck: cannot make '%s' executable: %s\n",
			path, strerror(errno));
		rc = SC_EXIT_ENV;
		goto out;
	}
	fprintf(stderr, "schemacheck: installed the pre-commit hook at '%s'\n",
		path);
out:
	sc_buf_release(&old);
	free(text);
	free(exe);
	free(path);
	free(hooks);
	sc_repo_free(repo);
	return rc;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct sc_config cfg;
	const char *cmd = NULL;
	int i = 1, rc;

	sc_trace("main");
	memset(&o, 0, sizeof(o));
	o.color = -1;
	o.argc = argc;
	o.argv = argv;
	sc_config_init(&cfg);
	sc_gitsrc_global_init();
	sc_trace("libgit2 initialised");

	/* -C may come before the command */
	while (i + 1 < argc && !strcmp(argv[i], "-C")) {
		if (chdir(argv[i + 1]) < 0) {
			fprintf(stderr, "schemacheck: -C: cannot change to '%s': %s\n",
				argv[i + 1], strerror(errno));
			rc = SC_EXIT_USAGE;
			goto out;
		}
		i += 2;
	}
	if (i < argc && argv[i][0] != '-')
		cmd = argv[i];

	if (i < argc && (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h") ||
			 (cmd && !strcmp(cmd, "help")))) {
		fputs(usage_text, stdout);
		rc = SC_EXIT_OK;
	} else if (i < argc && (!strcmp(argv[i], "--version") ||
				(cmd && !strcmp(cmd, "version")))) {
		printf("schemacheck %s\n", SC_VERSION);
		rc = SC_EXIT_OK;
	} else if (cmd && !strcmp(cmd, "explain")) {
		rc = cmd_explain(argc - i + 1, argv + i - 1);
	} else if (cmd && !strcmp(cmd, "rules")) {
		rc = cmd_rules(argc - i + 1, argv + i - 1);
	} else if (cmd && !strcmp(cmd, "heads")) {
		rc = cmd_heads(argc - i + 1, argv + i - 1, &o, &cfg);
	} else if (cmd && !strcmp(cmd, "install")) {
		if (parse_check_opts(argc, argv, i + 1, &o) < 0)
			rc = SC_EXIT_USAGE;
		else if (o.n_paths)
			rc = usage_error("install: unexpected argument '%s'",
					 o.paths[0]);
		else
			rc = cmd_install(&o, argv[0]);
	} else {
		if (cmd && !strcmp(cmd, "check"))
			i++;
		if (parse_check_opts(argc, argv, i, &o) < 0) {
			rc = SC_EXIT_USAGE;
		} else if (o.dir && chdir(o.dir) < 0) {
			fprintf(stderr, "schemacheck: -C: cannot change to '%s': %s\n",
				o.dir, strerror(errno));
			rc = SC_EXIT_USAGE;
		} else if (o.force) {
			rc = usage_error("%s", "--force goes with 'install'");
		} else {
			rc = cmd_check(&o, &cfg);
		}
	}
out:
	sc_strlist_free(o.paths, o.n_paths);
	sc_strlist_free(o.select, o.n_select);
	sc_strlist_free(o.ignore, o.n_ignore);
	sc_config_release(&cfg);
	sc_pysrc_shutdown();
	sc_gitsrc_global_shutdown();
	sc_trace("done");
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "schemacheck: write failure on standard output\n");
		rc = SC_EXIT_ENV;
	}
	return rc;
}
