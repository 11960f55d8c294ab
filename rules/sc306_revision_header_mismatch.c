/*! SC306 revision-header-mismatch
 * ## What it does
 * Compares the module docstring's `Revision ID:` and `Revises:` lines,
 * which `alembic revision` writes, with the `revision` and
 * `down_revision` variables. `Revises:` lists the parents of a merge
 * separated by commas, in any order; an empty `Revises:` (or `None`,
 * `(none)`) matches `down_revision = None`. A docstring without these lines, a
 * variable that is not a literal, or a `Revises:` that is prose rather
 * than ids is not judged.
 *
 * ## Why is this bad?
 * Alembic reads only the variables; the docstring is what people read in
 * a review, in `git log -p` and when they resolve a merge conflict. When
 * the two disagree, usually after a migration was copied or rebased by
 * hand, reviewers approve a history that is not the one that will run.
 *
 * ## Example
 * ```python
 * """add phone
 *
 * Revision ID: 7b1d
 * Revises: 1c9e
 * """
 * revision = "7b1d"
 * down_revision = "3f2a"
 * ```
 *
 * ## Use instead
 * ```python
 * """add phone
 *
 * Revision ID: 7b1d
 * Revises: 3f2a
 * """
 * revision = "7b1d"
 * down_revision = "3f2a"
 * ```
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc306_revision_header_mismatch.doc.inc"
	;

/*
 * Where `key` is written inside the docstring of `m` (the whole docstring
 * when it cannot be found).
 */
static struct sc_loc key_loc(const struct sc_srcfile *f,
			     const struct sc_migration *m, const char *key)
{
	struct sc_loc loc = m->doc_loc;
	const char *p = f->data;
	unsigned row = 0;

	while (p && *p && row <= m->doc_loc.end_row) {
		const char *eol = strchr(p, '\n'), *k;
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (row >= m->doc_loc.row && (k = strstr(p, key)) &&
		    k < p + n) {
			loc.row = loc.end_row = row;
			loc.col = (unsigned)(k - p);
			loc.end_col = (unsigned)n;
			return loc;
		}
		if (!eol)
			break;
		p = eol + 1;
		row++;
	}
	return loc;
}

/* "None", "none", "(none)", "<none>" or "-": no parent. */
static int is_none(const char *s, size_t n)
{
	if (n >= 2 && ((s[0] == '(' && s[n - 1] == ')') ||
		       (s[0] == '<' && s[n - 1] == '>'))) {
		s++;
		n -= 2;
	}
	return (n == 4 && !strncasecmp(s, "none", 4)) || (n == 1 && *s == '-');
}

/*
 * Split `Revises:` into ids (owned list). Returns 0 when it is not a list
 * of ids (an item holds whitespace: prose such as "table template").
 */
static int split_revises(const char *text, char ***out, size_t *n)
{
	const char *p = text;

	*out = NULL;
	*n = 0;
	while (*p) {
		const char *e = strchr(p, ','), *s = p, *t;
		if (!e)
			e = p + strlen(p);
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		t = e;
		while (t > s && (t[-1] == ' ' || t[-1] == '\t'))
			t--;
		if (memchr(s, ' ', (size_t)(t - s)) ||
		    memchr(s, '\t', (size_t)(t - s))) {
			sc_strlist_free(*out, *n);
			*out = NULL;
			*n = 0;
			return 0;
		}
		if (t > s && !is_none(s, (size_t)(t - s))) {
			char *id = sc_xstrndup(s, (size_t)(t - s));
			sc_strlist_add(out, n, id);
			free(id);
		}
		p = *e ? e + 1 : e;
	}
	return 1;
}

static int in_list(char *const *v, size_t n, const char *s)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (v[i] && !strcmp(v[i], s))
			return 1;
	return 0;
}

/* Do the docstring's ids and down_revision hold the same ids? */
static int same_set(char *const *a, size_t na, char *const *b, size_t nb)
{
	size_t i;

	for (i = 0; i < na; i++)
		if (!in_list(b, nb, a[i]))
			return 0;
	for (i = 0; i < nb; i++)
		if (b[i] && !in_list(a, na, b[i]))
			return 0;
	return 1;
}

/* down_revision as written in Python: None, 'a' or ('a', 'b'). */
static char *python_value(char *const *v, size_t n)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t i;

	if (!n)
		return sc_xstrdup("None");
	if (n > 1)
		sc_buf_addch(&b, '(');
	for (i = 0; i < n; i++)
		sc_buf_addf(&b, "%s'%s'", i ? ", " : "", v[i] ? v[i] : "?");
	if (n > 1)
		sc_buf_addch(&b, ')');
	return sc_buf_detach(&b);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	size_t i;

	for (i = 0; i < ctx->now->n_migrations; i++) {
		const struct sc_unit *u = ctx->now->migrations[i];
		const struct sc_migration *m = u->mig;
		struct sc_diag *d;
		struct sc_loc loc;
		char **ids = NULL;
		size_t n_ids = 0;

		if (u->file->syntax_error)
			continue;
		if (m->doc_revision_id && *m->doc_revision_id && m->revision &&
		    !strchr(m->doc_revision_id, ' ') &&
		    strcmp(m->doc_revision_id, m->revision)) {
			loc = key_loc(u->file, m, "Revision ID:");
			d = sc_diags_add(ctx->out, self, u->file, &loc,
					 "the docstring of '%s' says 'Revision ID: "
					 "%s' but revision is '%s'", u->file->path,
					 m->doc_revision_id, m->revision);
			sc_diag_set_subject(d, NULL, NULL, m->revision);
			sc_diag_set_help(d, "write 'Revision ID: %s' in the "
					 "docstring, or fix the revision variable",
					 m->revision);
		}
		if (!m->doc_revises || !m->has_down_revision ||
		    m->down_revision_unresolved ||
		    !split_revises(m->doc_revises, &ids, &n_ids))
			continue;
		if (!same_set(ids, n_ids, m->down_revisions,
			      m->n_down_revisions)) {
			char *want = python_value(m->down_revisions,
						  m->n_down_revisions);
			struct sc_buf shown = SC_BUF_INIT;
			size_t j;

			for (j = 0; j < m->n_down_revisions; j++)
				sc_buf_addf(&shown, "%s%s", j ? ", " : "",
					    m->down_revisions[j]);
			loc = key_loc(u->file, m, "Revises:");
			d = sc_diags_add(ctx->out, self, u->file, &loc,
					 "the docstring of revision '%s' says "
					 "'Revises: %s' but down_revision is %s",
					 sc_unit_label(u), m->doc_revises, want);
			sc_diag_set_subject(d, NULL, NULL, m->revision);
			sc_diag_set_help(d, "write 'Revises: %s' in the docstring "
					 "if down_revision is right; Alembic uses "
					 "only the variable", sc_buf_str(&shown));
			sc_buf_release(&shown);
			free(want);
		}
		sc_strlist_free(ids, n_ids);
	}
}

const struct sc_rule sc_rule_SC306 = {
	.code = "SC306",
	.name = "revision-header-mismatch",
	.severity = SC_SEV_WARNING,
	.summary = "the docstring's `Revision ID:`/`Revises:` disagree with the "
		   "variables",
	.doc = doc,
	.check = check,
};
