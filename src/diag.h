/*
 * diag.h: diagnostics. Rules add them to a list; suppression comments then
 * remove the ones they cover (and add SC002 for those that cover nothing);
 * in change modes, those that already existed "before" are dropped
 * (matched by rule, file and subject, never by line). A diagnostic copies
 * everything it needs, so sources can be freed before reporting.
 */
#ifndef SC_DIAG_H
#define SC_DIAG_H

#include <stddef.h>

#include "facts.h"
#include "util.h"

enum sc_severity { SC_SEV_WARNING = 0, SC_SEV_ERROR = 1 };

struct sc_rule;
struct sc_change;

struct sc_diag {
	const struct sc_rule *rule;
	enum sc_severity severity;
	char *path;                 /* repo-relative */
	unsigned line, col;         /* 1-based; column in characters */
	unsigned end_line, end_col; /* 1-based, exclusive end column */
	char *message;
	char *help;                 /* NULL when none */
	char *table, *column, *revision; /* the subject; NULL when n/a */
	char *source_line;          /* text of `line` without newline; NULL if unknown */
	/*
	 * A long line is kept as a window of at most SC_SNIPPET_MAX bytes
	 * around the column: source_col is the character column (1-based)
	 * of its first character (1 for a whole line), and source_cut says
	 * which side lost text (SC_CUT_LEFT, SC_CUT_RIGHT).
	 */
	unsigned source_col;
	unsigned source_cut;
};
#define SC_SNIPPET_MAX 512
#define SC_SNIPPET_BEFORE 160  /* bytes kept before the column */
#define SC_CUT_LEFT 1u
#define SC_CUT_RIGHT 2u

struct sc_diags {
	struct sc_diag *v;
	size_t n, alloc;
};
#define SC_DIAGS_INIT { NULL, 0, 0 }

/*
 * Add a diagnostic of `rule` (with the rule's configured severity) at
 * `loc` in `file` (loc may be NULL: line 1, column 1). Returns the new
 * diagnostic (borrowed from ds, valid until the next add) so the caller
 * can set help and subject.
 */
struct sc_diag *sc_diags_add(struct sc_diags *ds, const struct sc_rule *rule,
			     const struct sc_srcfile *file, const struct sc_loc *loc,
			     const char *fmt, ...) SC_PRINTF(5, 6);
void sc_diag_set_help(struct sc_diag *d, const char *fmt, ...) SC_PRINTF(2, 3);
void sc_diag_set_subject(struct sc_diag *d, const char *table,
			 const char *column, const char *revision);

/* Free one diagnostic's contents (not the struct itself). */
void sc_diag_release(struct sc_diag *d);

/* Sort by path, line, column, code, and remove exact duplicates. */
void sc_diags_sort(struct sc_diags *ds);
void sc_diags_release(struct sc_diags *ds);
/* Move every diagnostic of src to the end of dst; src is left empty. */
void sc_diags_take(struct sc_diags *dst, struct sc_diags *src);

/*
 * Apply the suppression comments of `files` to ds: remove diagnostics a
 * comment covers and, when `report_unused` is set, add an SC002 for each
 * suppression that covered nothing (codes of rules that are not enabled,
 * per `enabled`, indexed like sc_rules[] and NULL for "all", are never
 * reported as unused; an unknown code is). Comment forms:
 *   # schemacheck: ignore[SC203,SC205] -- reason   (its line, or alone on
 *                                                    the line before)
 *   # schemacheck: ignore-file[SC101] -- reason     (the whole file)
 *   # noqa: SC203, SC205                              (like ignore)
 * Codes may also be rule names or prefixes (SC2).
 */
void sc_diags_suppress(struct sc_diags *ds, struct sc_srcfile *const *files,
		       size_t n_files, int report_unused,
		       const unsigned char *enabled);

/*
 * Remove from `after` each diagnostic that has a twin in `before`: same
 * rule, same path (before's paths mapped through renames in `changes`) and
 * same subject (table, column, revision); when a diagnostic has no
 * subject at all, its message stands in for it. Lines are not compared.
 */
void sc_diags_filter_new(struct sc_diags *after, const struct sc_diags *before,
			 const struct sc_change *changes, size_t n_changes);

/*
 * Counts, for the summary line: diagnostics of each severity, and the
 * number of distinct non-empty paths among them.
 */
void sc_diags_count(const struct sc_diags *ds, size_t *errors, size_t *warnings,
		    size_t *files);

/*
 * Decode the UTF-8 character at s (n >= 1 bytes available): returns its
 * length in bytes and stores the code point in *cp, or returns 1 and
 * stores SC_UTF8_INVALID for a byte that does not start a valid, shortest
 * form sequence (surrogates and values above U+10FFFF are invalid). This
 * is how diagnostics count character columns; report.c uses it too.
 */
#define SC_UTF8_INVALID 0xffffffffu
size_t sc_utf8_decode(const char *s, size_t n, unsigned long *cp);

#endif
