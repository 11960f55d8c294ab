/*
 * report.c: writing diagnostics in the formats of DESIGN.md section 2:
 * text (gcc-style header, a rustc/ruff-style snippet with carets, help,
 * summary), json, GitHub workflow commands, SARIF 2.1.0, JUnit XML and
 * GitLab Code Climate JSON. Each diagnostic is rendered into a buffer and
 * written at once; a write error is reported once, at the end.
 *
 * Every machine format is valid for any bytes: control characters are
 * escaped, invalid UTF-8 becomes U+FFFD, characters that XML 1.0 forbids
 * are dropped.
 */
#include "report.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rule.h"

#ifndef SC_VERSION
#define SC_VERSION "0.0.0"
#endif

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"
#define ANSI_RED "\033[1;31m"
#define ANSI_YELLOW "\033[1;33m"

/* Spaces a tab stands for in a snippet (rustc and ruff use 4). */
#define TAB_CELLS 4

static const struct {
	const char *name;
	enum sc_format fmt;
} formats[] = {
	{ "text", SC_FMT_TEXT },   { "json", SC_FMT_JSON },
	{ "github", SC_FMT_GITHUB }, { "sarif", SC_FMT_SARIF },
	{ "junit", SC_FMT_JUNIT }, { "gitlab", SC_FMT_GITLAB },
};

int sc_format_parse(const char *s, enum sc_format *out)
{
	size_t i;

	for (i = 0; s && i < SC_ARRAY_SIZE(formats); i++)
		if (!strcmp(s, formats[i].name)) {
			*out = formats[i].fmt;
			return 0;
		}
	return -1;
}

/* ---- shared helpers --------------------------------------------------- */

static const char *code_of(const struct sc_diag *d)
{
	return d->rule && d->rule->code ? d->rule->code : "";
}

static const char *name_of(const struct sc_diag *d)
{
	return d->rule && d->rule->name ? d->rule->name : "";
}

static const char *sev_word(const struct sc_diag *d)
{
	return d->severity == SC_SEV_ERROR ? "error" : "warning";
}

/* Write and empty the buffer; returns -1 when the stream has failed. */
static int flush_buf(FILE *out, struct sc_buf *b)
{
	if (b->len && fwrite(b->buf, 1, b->len, out) != b->len)
		return -1;
	sc_buf_reset(b);
	return ferror(out) ? -1 : 0;
}

static void add_spaces(struct sc_buf *b, size_t n)
{
	while (n--)
		sc_buf_addch(b, ' ');
}

/* A JSON string value (with quotes) valid for any bytes; NULL is null. */
static void add_json_str(struct sc_buf *b, const char *s)
{
	size_t i = 0, n, k;
	unsigned long cp;

	if (!s) {
		sc_buf_adds(b, "null");
		return;
	}
	n = strlen(s);
	sc_buf_addch(b, '"');
	while (i < n) {
		k = sc_utf8_decode(s + i, n - i, &cp);
		if (cp == SC_UTF8_INVALID)
			sc_buf_adds(b, "\\ufffd");
		else
			sc_buf_add_json(b, s + i, k);
		i += k;
	}
	sc_buf_addch(b, '"');
}

/* FNV-1a, 64 bits. */
#define FNV_OFFSET 0xcbf29ce484222325ull
#define FNV_PRIME 0x100000001b3ull

static uint64_t fnv_add(uint64_t h, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

/* A field and its terminator, so "ab"+"c" and "a"+"bc" differ. */
static uint64_t fnv_field(uint64_t h, const char *tag, const char *s)
{
	h = fnv_add(h, tag, strlen(tag) + 1);
	if (s)
		h = fnv_add(h, s, strlen(s) + 1);
	return h;
}

/* The line-independent identity of a diagnostic (DESIGN.md section 1). */
static uint64_t diag_identity(const struct sc_diag *d)
{
	uint64_t h = FNV_OFFSET;

	h = fnv_field(h, "code", code_of(d));
	h = fnv_field(h, "path", d->path);
	if (d->table || d->column || d->revision) {
		h = fnv_field(h, "table", d->table);
		h = fnv_field(h, "column", d->column);
		h = fnv_field(h, "revision", d->revision);
	} else {
		h = fnv_field(h, "message", d->message);
	}
	return h;
}

struct fp {
	uint64_t h;
	size_t idx;
};

static int fp_cmp(const void *pa, const void *pb)
{
	const struct fp *a = pa, *b = pb;

	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

/*
 * Fingerprints of every diagnostic (owned by the caller): the identity,
 * and for the 2nd, 3rd... diagnostic with the same identity (in list
 * order) the identity mixed with that number, so each is unique.
 */
static uint64_t *fingerprints(const struct sc_diags *ds)
{
	struct fp *v = sc_xmalloc((ds->n ? ds->n : 1) * sizeof(*v));
	uint64_t *out = sc_xmalloc((ds->n ? ds->n : 1) * sizeof(*out));
	size_t i, occ = 0;
	char num[32];

	for (i = 0; i < ds->n; i++) {
		v[i].h = diag_identity(&ds->v[i]);
		v[i].idx = i;
	}
	qsort(v, ds->n, sizeof(*v), fp_cmp);
	for (i = 0; i < ds->n; i++) {
		uint64_t h = v[i].h;

		occ = (i && v[i - 1].h == v[i].h) ? occ + 1 : 0;
		if (occ) {
			snprintf(num, sizeof(num), "%zu", occ);
			h = fnv_field(h, "occurrence", num);
		}
		out[v[i].idx] = h;
	}
	free(v);
	return out;
}

static int rule_ptr_cmp(const void *pa, const void *pb)
{
	const struct sc_rule *a = *(const struct sc_rule *const *)pa;
	const struct sc_rule *b = *(const struct sc_rule *const *)pb;
	return strcmp(a->code ? a->code : "", b->code ? b->code : "");
}

/* The distinct rules of ds sorted by code (the array is the caller's). */
static const struct sc_rule **fired_rules(const struct sc_diags *ds, size_t *n_out)
{
	const struct sc_rule **v = sc_xmalloc((ds->n ? ds->n : 1) * sizeof(*v));
	size_t i, n = 0, m = 0;

	for (i = 0; i < ds->n; i++)
		if (ds->v[i].rule)
			v[n++] = ds->v[i].rule;
	qsort(v, n, sizeof(*v), rule_ptr_cmp);
	for (i = 0; i < n; i++)
		if (!m || rule_ptr_cmp(&v[m - 1], &v[i]))
			v[m++] = v[i];
	*n_out = m;
	return v;
}

/* Index of d's rule in the sorted array of fired rules. */
static size_t rule_pos(const struct sc_rule **rules, size_t n,
		       const struct sc_rule *r)
{
	size_t a = 0, b = n;

	while (a < b) {
		size_t m = a + (b - a) / 2;
		if (rule_ptr_cmp(&rules[m], &r) < 0)
			a = m + 1;
		else
			b = m;
	}
	return a;
}

/* ---- text ------------------------------------------------------------- */

/* Terminal cells a code point takes (a small East Asian Width table). */
static unsigned cp_cells(unsigned long cp)
{
	if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	    (cp >= 0xfe00 && cp <= 0xfe0f))
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
	    (cp >= 0x3041 && cp <= 0x33ff) || (cp >= 0x3400 && cp <= 0x4dbf) ||
	    (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0xa000 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
	    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/*
 * Render the snippet line into b (tabs expanded, control characters and
 * invalid bytes shown as U+FFFD) and measure, in cells, where the
 * characters [col, end) start and how wide they are (end 0: to the end
 * of the line).
 */
static void render_line(struct sc_buf *b, const char *s, unsigned col,
			unsigned end, size_t *before, size_t *width)
{
	size_t i = 0, n = strlen(s), k, cells;
	unsigned ch = 1;
	unsigned long cp;

	*before = *width = 0;
	while (i < n) {
		k = sc_utf8_decode(s + i, n - i, &cp);
		if (cp == '\t') {
			add_spaces(b, TAB_CELLS);
			cells = TAB_CELLS;
		} else if (cp == SC_UTF8_INVALID || cp < 0x20 || cp == 0x7f ||
			   (cp >= 0x80 && cp < 0xa0)) {
			sc_buf_adds(b, "\xef\xbf\xbd");
			cells = 1;
		} else {
			sc_buf_add(b, s + i, k);
			cells = cp_cells(cp);
		}
		if (ch < col)
			*before += cells;
		else if (!end || ch < end)
			*width += cells;
		i += k;
		ch++;
	}
	if (col > ch) /* past the end of the line */
		*before += col - ch;
}

static unsigned digits(unsigned v)
{
	unsigned n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* Text from the repository (paths, names in messages) for a terminal:
 * control characters are escaped so a file name cannot move the cursor,
 * recolour or rewrite what the user sees. Owned by the caller. */
static char *term_safe(const char *s)
{
	struct sc_buf b = SC_BUF_INIT;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\n')
			sc_buf_adds(&b, "\\n");
		else if (c == '\t')
			sc_buf_adds(&b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			sc_buf_addf(&b, "\\x%02x", c);
		else
			sc_buf_addch(&b, (char)c);
	}
	return sc_buf_detach(&b);
}

static void text_diag(struct sc_buf *b, const struct sc_diag *d, int color)
{
	char *path = term_safe(d->path), *message = term_safe(d->message);
	const char *sev_color = d->severity == SC_SEV_ERROR ? ANSI_RED : ANSI_YELLOW;
	const char *reset = color ? ANSI_RESET : "";
	size_t w = digits(d->line), before, width;
	const char *p;

	if (d->path[0])
		sc_buf_addf(b, "%s%s:%u:%u:%s ", color ? ANSI_BOLD : "",
			    path, d->line, d->col, reset);
	sc_buf_addf(b, "%s%s%s[%s] %s: %s\n", color ? sev_color : "",
		    sev_word(d), reset, code_of(d), name_of(d), message);
	free(path);
	free(message);

	if (d->source_line) {
		struct sc_buf line = SC_BUF_INIT;
		/* columns within the window kept of a long line (diag.h) */
		unsigned first = d->source_col ? d->source_col : 1;
		unsigned col = d->col > first ? d->col - first + 1 : 1;
		unsigned end = d->end_line != d->line ? 0 :
			d->end_col > first ? d->end_col - first + 1 : 1;

		if (d->source_cut & SC_CUT_LEFT)
			sc_buf_adds(&line, "...");
		render_line(&line, d->source_line, col, end, &before, &width);
		if (d->source_cut & SC_CUT_LEFT)
			before += 3;
		if (d->source_cut & SC_CUT_RIGHT)
			sc_buf_adds(&line, "...");
		add_spaces(b, w + 1);
		sc_buf_adds(b, "|\n");
		sc_buf_addf(b, "%u |", d->line);
		if (line.len) {
			sc_buf_addch(b, ' ');
			sc_buf_add(b, line.buf, line.len);
		}
		sc_buf_addch(b, '\n');
		add_spaces(b, w + 1);
		sc_buf_adds(b, "| ");
		add_spaces(b, before);
		if (color)
			sc_buf_adds(b, sev_color);
		if (!width)
			width = 1; /* at least one caret */
		while (width--)
			sc_buf_addch(b, '^');
		sc_buf_adds(b, reset);
		sc_buf_addch(b, '\n');
		sc_buf_release(&line);
	}
	if (d->help) {
		add_spaces(b, w + 1);
		sc_buf_adds(b, "= help: ");
		/* continuation lines line up under the text */
		for (p = d->help; *p && !(*p == '\n' && !p[1]); p++) {
			unsigned char c = (unsigned char)*p;
			if ((c < 0x20 && c != '\n') || c == 0x7f)
				sc_buf_addf(b, "\\x%02x", c);
			else
				sc_buf_addch(b, *p);
			if (*p == '\n')
				add_spaces(b, w + 1 + strlen("= help: "));
		}
		sc_buf_addch(b, '\n');
	}
}

static void text_summary(struct sc_buf *b, const struct sc_diags *ds)
{
	size_t e, w, f;

	sc_diags_count(ds, &e, &w, &f);
	if (!ds->n)
		sc_buf_adds(b, "All checks passed.\n");
	else
		sc_buf_addf(b, "Found %zu errors and %zu warnings in %zu files.\n",
			    e, w, f);
}

struct stat_row {
	const struct sc_rule *rule;
	size_t count;
};

static int stat_cmp(const void *pa, const void *pb)
{
	const struct stat_row *a = pa, *b = pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return rule_ptr_cmp(&a->rule, &b->rule);
}

static void text_statistics(struct sc_buf *b, const struct sc_diags *ds)
{
	size_t n_rules, i, max = 0;
	const struct sc_rule **rules = fired_rules(ds, &n_rules);
	struct stat_row *rows = sc_xcalloc(n_rules ? n_rules : 1, sizeof(*rows));

	for (i = 0; i < n_rules; i++)
		rows[i].rule = rules[i];
	for (i = 0; i < ds->n; i++)
		if (ds->v[i].rule)
			rows[rule_pos(rules, n_rules, ds->v[i].rule)].count++;
	qsort(rows, n_rules, sizeof(*rows), stat_cmp);
	for (i = 0; i < n_rules; i++)
		if (rows[i].count > max)
			max = rows[i].count;
	for (i = 0; i < n_rules; i++)
		sc_buf_addf(b, "%*zu\t%s\t%s\n", (int)digits((unsigned)max),
			    rows[i].count, rows[i].rule->code, rows[i].rule->name);
	free(rows);
	free(rules);
}

static int write_text(FILE *out, struct sc_buf *b, const struct sc_diags *ds,
		      const struct sc_report_opts *o)
{
	size_t i;

	if (o->statistics) {
		text_statistics(b, ds);
	} else {
		for (i = 0; i < ds->n; i++) {
			if (i)
				sc_buf_addch(b, '\n');
			text_diag(b, &ds->v[i], o->color);
			if (flush_buf(out, b))
				return -1;
		}
		if (ds->n && !o->quiet)
			sc_buf_addch(b, '\n');
	}
	if (!o->quiet)
		text_summary(b, ds);
	return flush_buf(out, b);
}

/* ---- json ------------------------------------------------------------- */

static int write_json(FILE *out, struct sc_buf *b, const struct sc_diags *ds,
		      const struct sc_report_opts *o)
{
	size_t i, e, w, f;

	sc_buf_adds(b, "{\"version\": 1, \"mode\": ");
	add_json_str(b, o->mode ? o->mode : "staged");
	sc_buf_adds(b, ",\n \"diagnostics\": [");
	for (i = 0; i < ds->n; i++) {
		const struct sc_diag *d = &ds->v[i];

		sc_buf_adds(b, i ? ",\n  " : "\n  ");
		sc_buf_adds(b, "{\"code\": ");
		add_json_str(b, code_of(d));
		sc_buf_adds(b, ", \"name\": ");
		add_json_str(b, name_of(d));
		sc_buf_addf(b, ", \"severity\": \"%s\", \"path\": ", sev_word(d));
		add_json_str(b, d->path);
		sc_buf_addf(b, ", \"line\": %u, \"column\": %u, \"end_line\": %u, "
			       "\"end_column\": %u, \"message\": ",
			    d->line, d->col, d->end_line, d->end_col);
		add_json_str(b, d->message);
		sc_buf_adds(b, ", \"help\": ");
		add_json_str(b, d->help);
		sc_buf_adds(b, ", \"subject\": {\"table\": ");
		add_json_str(b, d->table);
		sc_buf_adds(b, ", \"column\": ");
		add_json_str(b, d->column);
		sc_buf_adds(b, ", \"revision\": ");
		add_json_str(b, d->revision);
		sc_buf_adds(b, "}}");
		if (flush_buf(out, b))
			return -1;
	}
	sc_diags_count(ds, &e, &w, &f);
	sc_buf_addf(b, "%s],\n \"summary\": {\"errors\": %zu, \"warnings\": %zu, "
		       "\"files\": %zu}}\n", ds->n ? "\n " : "", e, w, f);
	return flush_buf(out, b);
}

/* ---- github ----------------------------------------------------------- */

/* GitHub workflow command escaping; `property` adds `:` and `,`. */
static void add_gh(struct sc_buf *b, const char *s, int property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': sc_buf_adds(b, "%25"); break;
		case '\r': sc_buf_adds(b, "%0D"); break;
		case '\n': sc_buf_adds(b, "%0A"); break;
		case ':':
			sc_buf_adds(b, property ? "%3A" : ":");
			break;
		case ',':
			sc_buf_adds(b, property ? "%2C" : ",");
			break;
		default:
			sc_buf_addch(b, *s);
		}
	}
}

static int write_github(FILE *out, struct sc_buf *b, const struct sc_diags *ds)
{
	size_t i;

	for (i = 0; i < ds->n; i++) {
		const struct sc_diag *d = &ds->v[i];
		char *title = sc_xasprintf("%s %s", code_of(d), name_of(d));

		sc_buf_addf(b, "::%s ", sev_word(d));
		if (d->path[0]) {
			sc_buf_adds(b, "file=");
			add_gh(b, d->path, 1);
			sc_buf_addf(b, ",line=%u,col=%u,endLine=%u,endColumn=%u,",
				    d->line, d->col, d->end_line, d->end_col);
		}
		sc_buf_adds(b, "title=");
		add_gh(b, title, 1);
		sc_buf_adds(b, "::");
		add_gh(b, d->message, 0);
		sc_buf_addch(b, '\n');
		free(title);
		if (flush_buf(out, b))
			return -1;
	}
	return 0;
}

/* ---- sarif ------------------------------------------------------------ */

/* A relative URI reference for a path: unreserved bytes and '/' as-is. */
static void add_uri(struct sc_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		    c == '~' || c == '/')
			sc_buf_addch(b, (char)c);
		else
			sc_buf_addf(b, "%%%c%c", hex[c >> 4], hex[c & 15]);
	}
}

static int write_sarif(FILE *out, struct sc_buf *b, const struct sc_diags *ds)
{
	size_t n_rules, i;
	const struct sc_rule **rules = fired_rules(ds, &n_rules);
	uint64_t *fps = fingerprints(ds);
	int rc = -1;

	sc_buf_adds(b, "{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
		       " \"version\": \"2.1.0\",\n"
		       " \"runs\": [{\"tool\": {\"driver\": {\"name\": \"schemacheck\", "
		       "\"version\": ");
	add_json_str(b, SC_VERSION);
	sc_buf_adds(b, ",\n  \"rules\": [");
	for (i = 0; i < n_rules; i++) {
		const struct sc_rule *r = rules[i];

		sc_buf_adds(b, i ? ",\n   " : "\n   ");
		sc_buf_adds(b, "{\"id\": ");
		add_json_str(b, r->code ? r->code : "");
		sc_buf_adds(b, ", \"name\": ");
		add_json_str(b, r->name ? r->name : "");
		sc_buf_adds(b, ", \"shortDescription\": {\"text\": ");
		add_json_str(b, r->summary ? r->summary : "");
		sc_buf_adds(b, "}, \"help\": {\"text\": ");
		add_json_str(b, r->doc ? r->doc : "");
		sc_buf_adds(b, ", \"markdown\": ");
		add_json_str(b, r->doc ? r->doc : "");
		sc_buf_addf(b, "}, \"defaultConfiguration\": {\"level\": \"%s\"}}",
			    r->severity == SC_SEV_ERROR ? "error" : "warning");
		if (flush_buf(out, b))
			goto out;
	}
	sc_buf_addf(b, "%s]}},\n  \"columnKind\": \"unicodeCodePoints\",\n"
		       "  \"results\": [", n_rules ? "\n  " : "");
	for (i = 0; i < ds->n; i++) {
		const struct sc_diag *d = &ds->v[i];

		sc_buf_adds(b, i ? ",\n   " : "\n   ");
		sc_buf_adds(b, "{\"ruleId\": ");
		add_json_str(b, code_of(d));
		if (d->rule)
			sc_buf_addf(b, ", \"ruleIndex\": %zu",
				    rule_pos(rules, n_rules, d->rule));
		sc_buf_addf(b, ", \"level\": \"%s\", \"message\": {\"text\": ",
			    sev_word(d));
		add_json_str(b, d->message);
		sc_buf_adds(b, "}");
		if (d->path[0]) {
			sc_buf_adds(b, ", \"locations\": [{\"physicalLocation\": "
				       "{\"artifactLocation\": {\"uri\": \"");
			add_uri(b, d->path);
			sc_buf_addf(b, "\", \"uriBaseId\": \"%%SRCROOT%%\"}, "
				       "\"region\": {\"startLine\": %u, "
				       "\"startColumn\": %u, \"endLine\": %u, "
				       "\"endColumn\": %u}}}]",
				    d->line, d->col, d->end_line, d->end_col);
		}
		sc_buf_addf(b, ", \"partialFingerprints\": "
			       "{\"schemacheck/v1\": \"%016llx\"}}",
			    (unsigned long long)fps[i]);
		if (flush_buf(out, b))
			goto out;
	}
	sc_buf_addf(b, "%s]}]}\n", ds->n ? "\n  " : "");
	rc = flush_buf(out, b);
out:
	free(fps);
	free(rules);
	return rc;
}

/* ---- junit ------------------------------------------------------------ */

/*
 * XML text or attribute value: the five entities escaped, characters XML
 * 1.0 forbids dropped, invalid UTF-8 as U+FFFD; in attributes, tab and
 * newlines as character references so they survive normalisation.
 */
static void add_xml(struct sc_buf *b, const char *s)
{
	size_t i = 0, n = strlen(s), k;
	unsigned long cp;

	while (i < n) {
		k = sc_utf8_decode(s + i, n - i, &cp);
		if (cp == SC_UTF8_INVALID)
			sc_buf_adds(b, "\xef\xbf\xbd");
		else if (cp == '&')
			sc_buf_adds(b, "&amp;");
		else if (cp == '<')
			sc_buf_adds(b, "&lt;");
		else if (cp == '>')
			sc_buf_adds(b, "&gt;");
		else if (cp == '"')
			sc_buf_adds(b, "&quot;");
		else if (cp == '\'')
			sc_buf_adds(b, "&apos;");
		else if (cp == '\t')
			sc_buf_adds(b, "&#9;");
		else if (cp == '\n')
			sc_buf_adds(b, "&#10;");
		else if (cp == '\r')
			sc_buf_adds(b, "&#13;");
		else if (cp < 0x20 || cp == 0xfffe || cp == 0xffff)
			; /* not allowed in XML 1.0 */
		else
			sc_buf_add(b, s + i, k);
		i += k;
	}
}

static int write_junit(FILE *out, struct sc_buf *b, const struct sc_diags *ds)
{
	size_t i, files = 0;

	/* testcases: one per distinct path, ds being sorted by path */
	for (i = 0; i < ds->n; i++)
		if (!i || strcmp(ds->v[i - 1].path, ds->v[i].path))
			files++;
	sc_buf_addf(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		       "<testsuites name=\"schemacheck\" tests=\"%zu\" "
		       "failures=\"%zu\" errors=\"0\">\n"
		       "  <testsuite name=\"schemacheck\" tests=\"%zu\" "
		       "failures=\"%zu\" errors=\"0\" skipped=\"0\">\n",
		    files, ds->n, files, ds->n);
	for (i = 0; i < ds->n; i++) {
		const struct sc_diag *d = &ds->v[i];

		if (!i || strcmp(ds->v[i - 1].path, d->path)) {
			sc_buf_adds(b, "    <testcase name=\"");
			add_xml(b, d->path[0] ? d->path : ".");
			sc_buf_adds(b, "\" classname=\"");
			add_xml(b, d->path[0] ? d->path : ".");
			sc_buf_adds(b, "\">\n");
		}
		sc_buf_adds(b, "      <failure message=\"");
		add_xml(b, d->message);
		sc_buf_adds(b, "\" type=\"");
		add_xml(b, code_of(d));
		sc_buf_adds(b, "\">");
		{
			char *body = sc_xasprintf("%s:%u:%u: %s %s", d->path,
						  d->line, d->col, code_of(d),
						  d->message);
			add_xml(b, body);
			free(body);
		}
		sc_buf_adds(b, "</failure>\n");
		if (i + 1 == ds->n || strcmp(ds->v[i + 1].path, d->path))
			sc_buf_adds(b, "    </testcase>\n");
		if (flush_buf(out, b))
			return -1;
	}
	sc_buf_adds(b, "  </testsuite>\n</testsuites>\n");
	return flush_buf(out, b);
}

/* ---- gitlab ----------------------------------------------------------- */

static int write_gitlab(FILE *out, struct sc_buf *b, const struct sc_diags *ds)
{
	uint64_t *fps = fingerprints(ds);
	size_t i;
	int rc = -1;

	sc_buf_adds(b, "[");
	for (i = 0; i < ds->n; i++) {
		const struct sc_diag *d = &ds->v[i];

		sc_buf_adds(b, i ? ",\n " : "\n ");
		sc_buf_adds(b, "{\"description\": ");
		add_json_str(b, d->message);
		sc_buf_adds(b, ", \"check_name\": ");
		add_json_str(b, code_of(d));
		sc_buf_addf(b, ", \"fingerprint\": \"%016llx\", \"severity\": \"%s\", "
			       "\"location\": {\"path\": ",
			    (unsigned long long)fps[i],
			    d->severity == SC_SEV_ERROR ? "major" : "minor");
		add_json_str(b, d->path[0] ? d->path : ".");
		sc_buf_addf(b, ", \"lines\": {\"begin\": %u, \"end\": %u}}}",
			    d->line, d->end_line);
		if (flush_buf(out, b))
			goto out;
	}
	sc_buf_adds(b, ds->n ? "\n]\n" : "]\n");
	rc = flush_buf(out, b);
out:
	free(fps);
	return rc;
}

/* ---- entry point ------------------------------------------------------ */

int sc_report_write(FILE *out, const struct sc_diags *ds,
		    const struct sc_report_opts *o)
{
	static const struct sc_report_opts defaults = { SC_FMT_TEXT, 0, NULL, 0, 0 };
	struct sc_buf b = SC_BUF_INIT;
	int rc;

	if (!o)
		o = &defaults;
	errno = 0;
	switch (o->format) {
	case SC_FMT_JSON: rc = write_json(out, &b, ds, o); break;
	case SC_FMT_GITHUB: rc = write_github(out, &b, ds); break;
	case SC_FMT_SARIF: rc = write_sarif(out, &b, ds); break;
	case SC_FMT_JUNIT: rc = write_junit(out, &b, ds); break;
	case SC_FMT_GITLAB: rc = write_gitlab(out, &b, ds); break;
	case SC_FMT_TEXT:
	default: rc = write_text(out, &b, ds, o); break;
	}
	sc_buf_release(&b);
	if (!rc && (fflush(out) || ferror(out)))
		rc = -1;
	if (rc)
		return sc_error_set("cannot write the report: %s",
				    errno ? strerror(errno) : "write error");
	return 0;
}
