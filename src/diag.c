/*
 * diag.c: the list of diagnostics. Adding one converts tree-sitter's
 * location (0-based rows, byte columns) into what users see (1-based
 * lines, character columns) and copies the line's text (a window of it
 * when the line is long), so the sources can be freed before reporting.
 * Then: sorting and de-duplication, suppression comments (with SC002 for
 * those that suppress nothing), and the change-mode filter that keeps
 * only what "after" adds to "before".
 *
 * Everything here is O(n log n) in the number of diagnostics, so a run
 * with 100,000 findings stays fast. Adding one costs a memchr per line
 * before it and a scan of its line up to the column (eight ASCII bytes a
 * step), never a copy of more than SC_SNIPPET_MAX bytes.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gitsrc.h"
#include "rule.h"

/* ---- UTF-8 and lines ---------------------------------------------- */

size_t sc_utf8_decode(const char *s, size_t n, unsigned long *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned long v, min;
	size_t need, i;

	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		need = 1;
		v = u[0] & 0x1f;
		min = 0x80;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		need = 2;
		v = u[0] & 0x0f;
		min = 0x800;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		need = 3;
		v = u[0] & 0x07;
		min = 0x10000;
	} else {
		goto invalid;
	}
	if (n < need + 1)
		goto invalid;
	for (i = 1; i <= need; i++) {
		if ((u[i] & 0xc0) != 0x80)
			goto invalid;
		v = v << 6 | (u[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		goto invalid;
	*cp = v;
	return need + 1;
invalid:
	*cp = SC_UTF8_INVALID;
	return 1;
}

/*
 * Characters in s[0..n): each valid sequence or invalid byte is one.
 * ASCII is counted eight bytes at a time: a diagnostic far into a long
 * line costs a quick scan, not a decode of every byte.
 */
static unsigned count_chars(const char *s, size_t n)
{
	size_t i = 0;
	unsigned chars = 0;
	unsigned long cp;
	uint64_t w;

	while (i < n) {
		if (n - i >= 8) {
			memcpy(&w, s + i, 8);
			if (!(w & UINT64_C(0x8080808080808080))) {
				i += 8;
				chars += 8;
				continue;
			}
		}
		i += sc_utf8_decode(s + i, n - i, &cp);
		chars++;
	}
	return chars;
}

/*
 * A line of a file: its start and length without the newline (raw, so a
 * CR is still included). Walks forward `rows` lines from `p`; returns
 * NULL when the file has fewer lines.
 */
static const char *advance_lines(const char *p, const char *end,
				 unsigned rows, size_t *len)
{
	const char *nl;

	while (rows--) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	nl = memchr(p, '\n', (size_t)(end - p));
	*len = (size_t)((nl ? nl : end) - p);
	return p;
}

/* 1-based character column of byte column `col` in the raw line. */
static unsigned char_col(const char *line, size_t len, unsigned col)
{
	if (!line)
		return col + 1;
	if (col <= len)
		return count_chars(line, col) + 1;
	/* past the end (the newline, or beyond): one per byte */
	return count_chars(line, len) + (unsigned)(col - len) + 1;
}

/* Back from byte `at` to the start of a character (at most 3 bytes). */
static size_t char_start(const char *line, size_t at)
{
	int k;

	for (k = 0; k < 3 && at > 0 &&
		    ((unsigned char)line[at] & 0xc0) == 0x80; k++)
		at--;
	return at;
}

/*
 * d->source_line (and source_col, source_cut) from the raw line: the
 * whole line, or a window of SC_SNIPPET_MAX bytes around byte column
 * `col`, with the character column where the window starts (counted
 * back from d->col, already set: the window is short, the line may not
 * be).
 */
static void set_source_line(struct sc_diag *d, const char *line, size_t len,
			    unsigned col)
{
	size_t from = 0, to, i, at;

	if (len && line[len - 1] == '\r')
		len--;
	to = len;
	d->source_col = 1;
	if (len > SC_SNIPPET_MAX) {
		at = col < len ? col : len;
		if (at > SC_SNIPPET_BEFORE)
			from = char_start(line, at - SC_SNIPPET_BEFORE);
		to = from + SC_SNIPPET_MAX < len ?
			char_start(line, from + SC_SNIPPET_MAX) : len;
		if (from) {
			/* d->col - 1 characters before col, of which
			 * col - at past the end of the line */
			d->source_cut |= SC_CUT_LEFT;
			d->source_col = d->col - (unsigned)(col - at) -
					count_chars(line + from, at - from);
		}
		if (to < len)
			d->source_cut |= SC_CUT_RIGHT;
	}
	d->source_line = sc_xstrndup(line + from, to - from);
	/* an embedded NUL would cut the string: show it as invalid */
	for (i = 0; i < to - from; i++)
		if (!d->source_line[i])
			d->source_line[i] = (char)0xff;
}

/* ---- adding --------------------------------------------------------- */

struct sc_diag *sc_diags_add(struct sc_diags *ds, const struct sc_rule *rule,
			     const struct sc_srcfile *file, const struct sc_loc *loc,
			     const char *fmt, ...)
{
	static const struct sc_loc origin = { 0, 0, 0, 0 };
	struct sc_diag *d;
	const char *line = NULL, *eline = NULL, *end = NULL;
	size_t len = 0, elen = 0;
	va_list ap;

	SC_ALLOC_GROW(ds->v, ds->n + 1, ds->alloc);
	d = &ds->v[ds->n++];
	memset(d, 0, sizeof(*d));
	d->rule = rule;
	d->severity = rule ? rule->severity : SC_SEV_ERROR;
	d->path = sc_xstrdup(file && file->path ? file->path : "");
	va_start(ap, fmt);
	d->message = sc_xvasprintf(fmt, ap);
	va_end(ap);

	if (!loc)
		loc = &origin;
	if (file && file->data) {
		end = file->data + file->len;
		line = advance_lines(file->data, end, loc->row, &len);
	}
	d->line = loc->row + 1;
	d->col = char_col(line, len, loc->col);
	if (loc->end_row < loc->row ||
	    (loc->end_row == loc->row && loc->end_col < loc->col)) {
		/* a reversed span: keep the start only */
		d->end_line = d->line;
		d->end_col = d->col;
	} else if (loc->end_row == loc->row && line && loc->col <= len) {
		/* on the same line: count on from the start column */
		d->end_line = d->line;
		d->end_col = d->col + char_col(line + loc->col, len - loc->col,
					       loc->end_col - loc->col) - 1;
	} else {
		if (loc->end_row == loc->row) {
			eline = line;
			elen = len;
		} else if (line) {
			eline = advance_lines(line, end, loc->end_row - loc->row,
					      &elen);
		}
		d->end_line = loc->end_row + 1;
		d->end_col = char_col(eline, elen, loc->end_col);
	}
	if (line)
		set_source_line(d, line, len, loc->col);
	return d;
}

void sc_diag_set_help(struct sc_diag *d, const char *fmt, ...)
{
	va_list ap;

	free(d->help);
	va_start(ap, fmt);
	d->help = sc_xvasprintf(fmt, ap);
	va_end(ap);
}

static char *dup_or_null(const char *s)
{
	return s ? sc_xstrdup(s) : NULL;
}

void sc_diag_set_subject(struct sc_diag *d, const char *table,
			 const char *column, const char *revision)
{
	/* duplicate first: the arguments may be the current values */
	char *t = dup_or_null(table), *c = dup_or_null(column),
	     *r = dup_or_null(revision);

	free(d->table);
	free(d->column);
	free(d->revision);
	d->table = t;
	d->column = c;
	d->revision = r;
}

void sc_diag_release(struct sc_diag *d)
{
	free(d->path);
	free(d->message);
	free(d->help);
	free(d->table);
	free(d->column);
	free(d->revision);
	free(d->source_line);
}

void sc_diags_release(struct sc_diags *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		sc_diag_release(&ds->v[i]);
	free(ds->v);
	ds->v = NULL;
	ds->n = ds->alloc = 0;
}

void sc_diags_take(struct sc_diags *dst, struct sc_diags *src)
{
	if (!src->n) {
		sc_diags_release(src);
		return;
	}
	SC_ALLOC_GROW(dst->v, dst->n + src->n, dst->alloc);
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	src->v = NULL;
	src->n = src->alloc = 0;
}

/* ---- sorting -------------------------------------------------------- */

static const char *code_of(const struct sc_diag *d)
{
	return d->rule && d->rule->code ? d->rule->code : "";
}

/* strcmp where NULL sorts before every string. */
static int nstrcmp(const char *a, const char *b)
{
	if (!a || !b)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

static int cmp_unsigned(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

/*
 * The report order (path, line, column, code, message), then every other
 * field, so that exact duplicates end up next to each other.
 */
static int diag_cmp(const void *pa, const void *pb)
{
	const struct sc_diag *a = pa, *b = pb;
	int c;

	if ((c = strcmp(a->path, b->path)) ||
	    (c = cmp_unsigned(a->line, b->line)) ||
	    (c = cmp_unsigned(a->col, b->col)) ||
	    (c = strcmp(code_of(a), code_of(b))) ||
	    (c = strcmp(a->message, b->message)) ||
	    (c = cmp_unsigned(a->end_line, b->end_line)) ||
	    (c = cmp_unsigned(a->end_col, b->end_col)) ||
	    (c = cmp_unsigned(a->severity, b->severity)) ||
	    (c = nstrcmp(a->help, b->help)) ||
	    (c = nstrcmp(a->table, b->table)) ||
	    (c = nstrcmp(a->column, b->column)) ||
	    (c = nstrcmp(a->revision, b->revision)))
		return c;
	return 0;
}

void sc_diags_sort(struct sc_diags *ds)
{
	size_t i, n = 0;

	if (ds->n < 2)
		return;
	qsort(ds->v, ds->n, sizeof(*ds->v), diag_cmp);
	for (i = 0; i < ds->n; i++) {
		if (n && !diag_cmp(&ds->v[n - 1], &ds->v[i]) &&
		    ds->v[n - 1].rule == ds->v[i].rule) {
			sc_diag_release(&ds->v[i]);
			continue;
		}
		if (n != i)
			ds->v[n] = ds->v[i];
		n++;
	}
	ds->n = n;
}

/* ---- counting ------------------------------------------------------- */

static int cmp_str_ptr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void sc_diags_count(const struct sc_diags *ds, size_t *errors, size_t *warnings,
		    size_t *files)
{
	const char **paths;
	size_t i, np = 0, e = 0, w = 0, f = 0;

	paths = sc_xmalloc((ds->n ? ds->n : 1) * sizeof(*paths));
	for (i = 0; i < ds->n; i++) {
		if (ds->v[i].severity == SC_SEV_ERROR)
			e++;
		else
			w++;
		if (ds->v[i].path[0])
			paths[np++] = ds->v[i].path;
	}
	qsort(paths, np, sizeof(*paths), cmp_str_ptr);
	for (i = 0; i < np; i++)
		if (!i || strcmp(paths[i - 1], paths[i]))
			f++;
	free(paths);
	if (errors)
		*errors = e;
	if (warnings)
		*warnings = w;
	if (files)
		*files = f;
}

/* ---- suppressions --------------------------------------------------- */

enum supp_kind {
	SUPP_LINE,      /* # schemacheck: ignore[...] */
	SUPP_FILE,      /* # schemacheck: ignore-file[...] */
	SUPP_NOQA,      /* # noqa: SC... */
	SUPP_MALFORMED, /* # schemacheck: ignore without a valid [list] */
};

struct supp_sel {
	char *text;          /* the selector as written */
	unsigned off, len;   /* where it is in the comment text (bytes) */
	int used;
};

struct supp {
	enum supp_kind kind;
	const struct sc_comment *comment;
	unsigned target;     /* SUPP_LINE/NOQA: the 1-based line; 0 = none */
	struct supp_sel *sels;
	size_t n_sels, alloc_sels;
};

struct supp_list {
	struct supp *v;
	size_t n, alloc;
};

static int is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == '\r';
}

static const char *skip_ws(const char *p)
{
	while (is_ws(*p))
		p++;
	return p;
}

/* If p starts with the keyword kw (ASCII, any case), return the rest. */
static const char *match_kw(const char *p, const char *kw)
{
	size_t n = strlen(kw);
	return strncasecmp(p, kw, n) ? NULL : p + n;
}

static struct supp *supp_new(struct supp_list *l, enum supp_kind kind,
			     const struct sc_comment *c)
{
	struct supp *s;

	SC_ALLOC_GROW(l->v, l->n + 1, l->alloc);
	s = &l->v[l->n++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->comment = c;
	return s;
}

static void supp_add_sel(struct supp *s, const char *text, const char *p,
			 size_t len)
{
	struct supp_sel *sel;

	SC_ALLOC_GROW(s->sels, s->n_sels + 1, s->alloc_sels);
	sel = &s->sels[s->n_sels++];
	sel->text = sc_xstrndup(p, len);
	sel->off = (unsigned)(p - text);
	sel->len = (unsigned)len;
	sel->used = 0;
}

static void supp_list_release(struct supp_list *l)
{
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		for (j = 0; j < l->v[i].n_sels; j++)
			free(l->v[i].sels[j].text);
		free(l->v[i].sels);
	}
	free(l->v);
}

/*
 * `schemacheck: ignore[...]` / `ignore-file[...]`, p just after the `#`
 * and the keyword "schemacheck". Returns where parsing stopped.
 */
static const char *parse_schemacheck(struct supp_list *l,
				     const struct sc_comment *c, const char *p)
{
	const char *text = c->text, *q, *tok;
	enum supp_kind kind;
	struct supp *s;

	p = skip_ws(p);
	if (*p != ':')
		return p;
	p = skip_ws(p + 1);
	if ((q = match_kw(p, "ignore-file")))
		kind = SUPP_FILE;
	else if ((q = match_kw(p, "ignore")))
		kind = SUPP_LINE;
	else
		return p; /* another note, e.g. backup=... */
	if (*q && *q != '[' && !is_ws(*q))
		return q; /* ignored-something: not ours */
	s = supp_new(l, kind, c);
	p = skip_ws(q);
	if (*p != '[')
		goto malformed;
	p++;
	for (;;) {
		while (is_ws(*p) || *p == ',')
			p++;
		if (*p == ']')
			break;
		if (!*p || *p == '#')
			goto malformed;
		tok = p;
		while (*p && !is_ws(*p) && *p != ',' && *p != ']' && *p != '#')
			p++;
		supp_add_sel(s, text, tok, (size_t)(p - tok));
	}
	if (!s->n_sels)
		goto malformed;
	return p + 1;
malformed:
	s->kind = SUPP_MALFORMED;
	return p;
}

/* Ruff's `noqa: CODE, CODE CODE`; only SC codes are ours. */
static const char *parse_noqa(struct supp_list *l, const struct sc_comment *c,
			      const char *p)
{
	struct supp *s = NULL;
	const char *tok;

	p = skip_ws(p);
	if (*p != ':')
		return p; /* a bare noqa is not ours */
	p++;
	for (;;) {
		while (is_ws(*p) || *p == ',')
			p++;
		tok = p;
		while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z'))
			p++;
		if (p == tok || !(*p >= '0' && *p <= '9'))
			break; /* not a code: the list ends */
		while (*p >= '0' && *p <= '9')
			p++;
		if (p - tok < 3 || tok[0] != 'S' || tok[1] != 'C' ||
		    !(tok[2] >= '0' && tok[2] <= '9'))
			continue; /* another tool's code */
		if (!s)
			s = supp_new(l, SUPP_NOQA, c);
		supp_add_sel(s, c->text, tok, (size_t)(p - tok));
	}
	return p;
}

/* Every suppression in one comment (it may hold several directives). */
static void parse_comment(struct supp_list *l, const struct sc_comment *c)
{
	const char *p = c->text, *q;

	if (!p)
		return;
	while ((p = strchr(p, '#'))) {
		p = skip_ws(p + 1);
		if ((q = match_kw(p, "schemacheck")))
			p = parse_schemacheck(l, c, q);
		else if ((q = match_kw(p, "noqa")))
			p = parse_noqa(l, c, q);
	}
}

/* Is the line [p, p+len) blank or only a comment? */
static int is_blank_or_comment(const char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (is_ws(p[i])))
		i++;
	return i == len || p[i] == '#';
}

/*
 * The 1-based line after 0-based `row` that holds code (not blank, not
 * only a comment), or 0 when there is none.
 */
static unsigned next_code_line(const struct sc_srcfile *f, unsigned row,
			       const char **cache_p, unsigned *cache_row)
{
	const char *end, *p;
	size_t len;

	if (!f->data)
		return 0;
	end = f->data + f->len;
	/* comments come in order: continue from the last line we reached */
	if (*cache_p && *cache_row <= row + 1) {
		p = advance_lines(*cache_p, end, row + 1 - *cache_row, &len);
	} else {
		p = advance_lines(f->data, end, row + 1, &len);
	}
	for (row++; p; row++) {
		*cache_p = p;
		*cache_row = row;
		if (!is_blank_or_comment(p, len))
			return row + 1;
		if (p + len == end)
			return 0;
		p = advance_lines(p, end, 1, &len);
	}
	return 0;
}

static int supp_target_cmp(const void *a, const void *b)
{
	const struct supp *x = *(const struct supp *const *)a;
	const struct supp *y = *(const struct supp *const *)b;
	return cmp_unsigned(x->target, y->target);
}

static int diag_is_sc002(const struct sc_diag *d)
{
	return d->rule && d->rule->code && !strcmp(d->rule->code, "SC002");
}

/* Match diagnostic d against the selectors of s, marking those used. */
static int supp_covers(struct supp *s, const struct sc_diag *d)
{
	size_t j;
	int hit = 0;

	if (!d->rule)
		return 0;
	for (j = 0; j < s->n_sels; j++)
		if (sc_rule_matches(d->rule, s->sels[j].text)) {
			s->sels[j].used = 1;
			hit = 1;
		}
	return hit;
}

/* The diagnostics by path, then line: how files find theirs. */
struct path_idx {
	const char *path;
	unsigned line;
	size_t idx;
};

static int path_idx_cmp(const void *a, const void *b)
{
	const struct path_idx *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (!c)
		c = cmp_unsigned(x->line, y->line);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Index of rule r in sc_rules[], or (size_t)-1. */
static size_t rule_index(const struct sc_rule *r)
{
	size_t i;
	for (i = 0; i < sc_n_rules; i++)
		if (sc_rules[i] == r)
			return i;
	return (size_t)-1;
}

/*
 * Should an unused selector be reported? Sets *unknown when no rule
 * matches it. Never for selectors that could cover SC002 itself (their
 * report could be suppressed by themselves) or whose rules are all off.
 */
static int sel_reportable(const struct supp *s, const char *sel,
			  const struct sc_rule *sc002,
			  const unsigned char *enabled, int *unknown)
{
	size_t i;
	int known = 0, on = 0;

	if (sc002 && sc_rule_matches(sc002, sel))
		return 0;
	for (i = 0; i < sc_n_rules; i++)
		if (sc_rule_matches(sc_rules[i], sel)) {
			known = 1;
			if (!enabled || enabled[i])
				on = 1;
		}
	*unknown = !known;
	if (!known)
		/* `noqa: SC100` may be another tool's (flake8-spellcheck) */
		return s->kind != SUPP_NOQA;
	return on;
}

/* Does an ignore-file suppression of this file cover SC002? */
static int sc002_ignored(struct supp_list *l, const struct sc_rule *sc002)
{
	size_t i, j;
	int hit = 0;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].kind != SUPP_FILE)
			continue;
		for (j = 0; j < l->v[i].n_sels; j++)
			if (sc_rule_matches(sc002, l->v[i].sels[j].text)) {
				l->v[i].sels[j].used = 1;
				hit = 1;
			}
	}
	return hit;
}

static void report_unused(struct sc_diags *out, struct supp_list *l,
			  const struct sc_srcfile *f, const struct sc_rule *sc002,
			  const unsigned char *enabled)
{
	size_t i, j;
	int unknown;
	struct sc_diag *d;

	for (i = 0; i < l->n; i++) {
		struct supp *s = &l->v[i];
		const struct sc_comment *c = s->comment;
		struct sc_loc loc = { c->row, c->col, c->row,
				      c->col + (unsigned)strlen(c->text) };

		if (s->kind == SUPP_MALFORMED) {
			if (sc002_ignored(l, sc002))
				continue;
			d = sc_diags_add(out, sc002, f, &loc,
					 "malformed suppression comment: expected "
					 "'# schemacheck: ignore[CODE,...]'");
			sc_diag_set_help(d, "list the codes or rule names to "
					    "ignore in brackets, or remove the comment");
			continue;
		}
		for (j = 0; j < s->n_sels; j++) {
			struct supp_sel *sel = &s->sels[j];

			if (sel->used ||
			    !sel_reportable(s, sel->text, sc002, enabled, &unknown))
				continue;
			if (sc002_ignored(l, sc002))
				continue;
			loc.col = c->col + sel->off;
			loc.end_col = loc.col + sel->len;
			if (unknown)
				d = sc_diags_add(out, sc002, f, &loc,
						 "suppression names unknown rule '%s'",
						 sel->text);
			else
				d = sc_diags_add(out, sc002, f, &loc,
						 "suppression '%s' matches no diagnostic",
						 sel->text);
			sc_diag_set_help(d, "remove the comment, or the code '%s' from it",
					 sel->text);
		}
	}
}

/*
 * One file: parse its suppressions, mark the diagnostics in
 * idx[lo..hi) (all of this path, sorted by line) that they cover in
 * `removed`, and add SC002s to `extra`.
 */
static void suppress_file(struct sc_diags *ds, const struct path_idx *idx,
			  size_t lo, size_t hi, unsigned char *removed,
			  const struct sc_srcfile *f, int want_unused,
			  const struct sc_rule *sc002,
			  const unsigned char *enabled, struct sc_diags *extra)
{
	struct supp_list l = { NULL, 0, 0 };
	struct supp **by_line = NULL;
	size_t i, j, n_line = 0, k;
	const char *cache_p = NULL;
	unsigned cache_row = 0;

	for (i = 0; i < f->n_comments; i++)
		parse_comment(&l, &f->comments[i]);
	if (!l.n)
		goto out;

	by_line = sc_xmalloc(l.n * sizeof(*by_line));
	for (i = 0; i < l.n; i++) {
		struct supp *s = &l.v[i];
		if (s->kind == SUPP_LINE && s->comment->own_line)
			s->target = next_code_line(f, s->comment->row,
						   &cache_p, &cache_row);
		else if (s->kind == SUPP_LINE || s->kind == SUPP_NOQA)
			s->target = s->comment->row + 1;
		if (s->target)
			by_line[n_line++] = s;
	}
	qsort(by_line, n_line, sizeof(*by_line), supp_target_cmp);

	for (i = lo; i < hi; i++) {
		const struct sc_diag *d = &ds->v[idx[i].idx];
		unsigned last = d->end_line > d->line ? d->end_line : d->line;
		size_t a = 0, b = n_line;
		int hit = 0;

		for (j = 0; j < l.n; j++)
			if (l.v[j].kind == SUPP_FILE && supp_covers(&l.v[j], d))
				hit = 1;
		/* line suppressions: not for SC002 (ignore-file only) */
		if (!diag_is_sc002(d)) {
			while (a < b) { /* first target >= d->line */
				size_t m = a + (b - a) / 2;
				if (by_line[m]->target < d->line)
					a = m + 1;
				else
					b = m;
			}
			for (k = a; k < n_line && by_line[k]->target <= last; k++)
				if (supp_covers(by_line[k], d))
					hit = 1;
		}
		if (hit)
			removed[idx[i].idx] = 1;
	}
	if (want_unused)
		report_unused(extra, &l, f, sc002, enabled);
out:
	free(by_line);
	supp_list_release(&l);
}

static int srcfile_path_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct sc_srcfile *const *)a)->path,
		      (*(const struct sc_srcfile *const *)b)->path);
}

void sc_diags_suppress(struct sc_diags *ds, struct sc_srcfile *const *files,
		       size_t n_files, int want_unused,
		       const unsigned char *enabled)
{
	struct sc_diags extra = SC_DIAGS_INIT;
	const struct sc_rule *sc002 = sc_rule_find("SC002");
	struct path_idx *idx = NULL;
	const struct sc_srcfile **sorted = NULL;
	size_t i, n, lo, hi;
	unsigned char *removed = NULL;

	if (!sc002) {
		want_unused = 0;
	} else if (enabled) {
		size_t r = rule_index(sc002);
		if (r != (size_t)-1 && !enabled[r])
			want_unused = 0;
	}

	idx = sc_xmalloc((ds->n ? ds->n : 1) * sizeof(*idx));
	removed = sc_xcalloc(ds->n ? ds->n : 1, 1);
	for (i = 0; i < ds->n; i++) {
		idx[i].path = ds->v[i].path;
		idx[i].line = ds->v[i].line;
		idx[i].idx = i;
	}
	qsort(idx, ds->n, sizeof(*idx), path_idx_cmp);

	/* each path once, even when a file is listed twice */
	sorted = sc_xmalloc((n_files ? n_files : 1) * sizeof(*sorted));
	for (i = 0, n = 0; i < n_files; i++)
		if (files[i] && files[i]->path)
			sorted[n++] = files[i];
	qsort(sorted, n, sizeof(*sorted), srcfile_path_cmp);
	n_files = n;

	for (i = 0; i < n_files; i++) {
		const struct sc_srcfile *f = sorted[i];
		const char *path = f->path;
		size_t a = 0, b = ds->n;

		if (i && !strcmp(sorted[i - 1]->path, path))
			continue;
		while (a < b) { /* first diagnostic with this path */
			size_t m = a + (b - a) / 2;
			if (strcmp(idx[m].path, path) < 0)
				a = m + 1;
			else
				b = m;
		}
		lo = a;
		for (hi = lo; hi < ds->n && !strcmp(idx[hi].path, path); hi++)
			;
		suppress_file(ds, idx, lo, hi, removed, f, want_unused, sc002,
			      enabled, &extra);
	}

	for (i = 0, n = 0; i < ds->n; i++) {
		if (removed[i]) {
			sc_diag_release(&ds->v[i]);
			continue;
		}
		if (n != i)
			ds->v[n] = ds->v[i];
		n++;
	}
	ds->n = n;
	sc_diags_take(ds, &extra);
	free(sorted);
	free(idx);
	free(removed);
}

/* ---- new versus before ---------------------------------------------- */

struct fkey {
	const char *code, *path;
	const char *table, *column, *revision;
	const char *message;  /* only when the subject is empty */
	size_t idx;
};

static int fkey_cmp_subject(const struct fkey *a, const struct fkey *b)
{
	int c;

	if ((c = strcmp(a->code, b->code)) || (c = strcmp(a->path, b->path)) ||
	    (c = nstrcmp(a->table, b->table)) ||
	    (c = nstrcmp(a->column, b->column)) ||
	    (c = nstrcmp(a->revision, b->revision)) ||
	    (c = nstrcmp(a->message, b->message)))
		return c;
	return 0;
}

static int fkey_cmp(const void *pa, const void *pb)
{
	const struct fkey *a = pa, *b = pb;
	int c = fkey_cmp_subject(a, b);
	return c ? c : (a->idx > b->idx) - (a->idx < b->idx);
}

struct rename {
	const char *old_path, *new_path;
};

static int rename_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rename *)a)->old_path,
		      ((const struct rename *)b)->old_path);
}

static void fkey_set(struct fkey *k, const struct sc_diag *d, const char *path,
		     size_t idx)
{
	k->code = code_of(d);
	k->path = path;
	k->table = d->table;
	k->column = d->column;
	k->revision = d->revision;
	k->message = (d->table || d->column || d->revision) ? NULL : d->message;
	k->idx = idx;
}

void sc_diags_filter_new(struct sc_diags *after, const struct sc_diags *before,
			 const struct sc_change *changes, size_t n_changes)
{
	struct rename *ren = NULL;
	struct fkey *ka = NULL, *kb = NULL;
	unsigned char *drop = NULL;
	size_t i, j, n, n_ren = 0;

	if (!after->n || !before || !before->n)
		return;

	ren = sc_xmalloc((n_changes ? n_changes : 1) * sizeof(*ren));
	for (i = 0; i < n_changes; i++)
		if (changes[i].status == SC_CHANGE_RENAMED &&
		    changes[i].old_path && changes[i].new_path) {
			ren[n_ren].old_path = changes[i].old_path;
			ren[n_ren].new_path = changes[i].new_path;
			n_ren++;
		}
	qsort(ren, n_ren, sizeof(*ren), rename_cmp);

	kb = sc_xmalloc(before->n * sizeof(*kb));
	for (i = 0; i < before->n; i++) {
		const struct sc_diag *d = &before->v[i];
		struct rename probe = { d->path, NULL };
		const struct rename *r = n_ren ?
			bsearch(&probe, ren, n_ren, sizeof(*ren), rename_cmp) : NULL;
		fkey_set(&kb[i], d, r ? r->new_path : d->path, i);
	}
	ka = sc_xmalloc(after->n * sizeof(*ka));
	for (i = 0; i < after->n; i++)
		fkey_set(&ka[i], &after->v[i], after->v[i].path, i);
	qsort(kb, before->n, sizeof(*kb), fkey_cmp);
	qsort(ka, after->n, sizeof(*ka), fkey_cmp);

	/*
	 * Merge: each "before" twin cancels one "after" diagnostic, so a
	 * change that adds a second finding with the same subject still
	 * reports one. The later ones (in list order) are kept.
	 */
	drop = sc_xcalloc(after->n, 1);
	for (i = 0, j = 0; i < after->n;) {
		size_t ie = i, je, twins;
		int c = 1;

		while (ie < after->n && !fkey_cmp_subject(&ka[i], &ka[ie]))
			ie++;
		while (j < before->n && (c = fkey_cmp_subject(&kb[j], &ka[i])) < 0)
			j++;
		je = j;
		if (j < before->n && !c)
			while (je < before->n && !fkey_cmp_subject(&kb[je], &ka[i]))
				je++;
		for (twins = je - j; twins && i < ie; twins--, i++)
			drop[ka[i].idx] = 1;
		i = ie;
		j = je;
	}

	for (i = 0, n = 0; i < after->n; i++) {
		if (drop[i]) {
			sc_diag_release(&after->v[i]);
			continue;
		}
		if (n != i)
			after->v[n] = after->v[i];
		n++;
	}
	after->n = n;

	free(drop);
	free(ka);
	free(kb);
	free(ren);
}
