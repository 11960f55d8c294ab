/*
 * factser.c: facts.h structures to bytes and back (see factser.h).
 *
 * Integers are LEB128 varints (signed ones zigzagged), strings a varint
 * of length + 1 (0 for NULL) then the bytes, arrays a varint count then
 * the elements. The reader checks every length against what is left, so
 * a corrupt entry decodes to an error, never to a crash or a huge
 * allocation.
 *
 * Every field of every struct is written. The _Static_asserts below fail
 * the build when a struct of facts.h changes size, and
 * tests/factser-fields.sh (run by check_cache) fails when a field of
 * facts.h is not named here: a new field must be added to both
 * directions (the cache id changes with the sources anyway).
 */
#include "factser.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__LP64__)
_Static_assert(sizeof(struct sc_loc) == 16, "factser.c: update for sc_loc");
_Static_assert(sizeof(struct sc_comment) == 24,
	       "factser.c: update for sc_comment");
_Static_assert(sizeof(struct sc_srcfile) == 72,
	       "factser.c: update for sc_srcfile");
_Static_assert(sizeof(struct sc_column) == 104,
	       "factser.c: update for sc_column");
_Static_assert(sizeof(struct sc_constraint) == 64,
	       "factser.c: update for sc_constraint");
_Static_assert(sizeof(struct sc_kwarg) == 16,
	       "factser.c: update for sc_kwarg");
_Static_assert(sizeof(struct sc_op) == 192, "factser.c: update for sc_op");
_Static_assert(sizeof(struct sc_migration) == 256,
	       "factser.c: update for sc_migration");
_Static_assert(sizeof(struct sc_model_table) == 80,
	       "factser.c: update for sc_model_table");
_Static_assert(sizeof(struct sc_modelfile) == 16,
	       "factser.c: update for sc_modelfile");
_Static_assert(sizeof(struct sc_codecall) == 48,
	       "factser.c: update for sc_codecall");
_Static_assert(sizeof(struct sc_codefile) == 16,
	       "factser.c: update for sc_codefile");
#endif

/* ---- writing ------------------------------------------------------------ */

static void put_u(struct sc_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		unsigned char c = v & 0x7f;

		v >>= 7;
		tmp[n++] = c | (v ? 0x80 : 0);
	} while (v);
	sc_buf_add(b, tmp, n);
}

static void put_i(struct sc_buf *b, int64_t v)
{
	put_u(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_s(struct sc_buf *b, const char *s)
{
	size_t n;

	if (!s) {
		put_u(b, 0);
		return;
	}
	n = strlen(s);
	put_u(b, (uint64_t)n + 1);
	sc_buf_add(b, s, n);
}

static void put_loc(struct sc_buf *b, const struct sc_loc *l)
{
	put_u(b, l->row);
	put_u(b, l->col);
	put_u(b, l->end_row);
	put_u(b, l->end_col);
}

static void put_strv(struct sc_buf *b, char *const *v, size_t n)
{
	size_t i;

	put_u(b, n);
	for (i = 0; i < n; i++)
		put_s(b, v[i]);
}

static void put_column(struct sc_buf *b, const struct sc_column *c)
{
	put_s(b, c->name);
	put_s(b, c->type);
	put_s(b, c->type_name);
	put_i(b, c->family);
	put_i(b, c->type_length);
	put_i(b, c->nullable);
	put_i(b, c->primary_key);
	put_i(b, c->unique);
	put_i(b, c->index);
	put_i(b, c->has_server_default);
	put_s(b, c->server_default);
	put_i(b, c->has_default);
	put_i(b, c->has_foreign_key);
	put_loc(b, &c->loc);
	put_i(b, c->type_from_annotation);
}

static void put_columns(struct sc_buf *b, const struct sc_column *v, size_t n)
{
	size_t i;

	put_u(b, n);
	for (i = 0; i < n; i++)
		put_column(b, &v[i]);
}

static void put_cons(struct sc_buf *b, const struct sc_constraint *v,
		     size_t n)
{
	size_t i;

	put_u(b, n);
	for (i = 0; i < n; i++) {
		put_i(b, v[i].kind);
		put_i(b, v[i].unique);
		put_s(b, v[i].name);
		put_i(b, v[i].name_unresolved);
		put_strv(b, v[i].cols, v[i].n_cols);
		put_i(b, v[i].cols_unresolved);
		put_loc(b, &v[i].loc);
	}
}

static void put_ops(struct sc_buf *b, const struct sc_op *v, size_t n)
{
	size_t i, k;

	put_u(b, n);
	for (i = 0; i < n; i++) {
		const struct sc_op *op = &v[i];

		put_i(b, op->kind);
		put_s(b, op->fn);
		put_u(b, op->flags);
		put_s(b, op->table);
		put_s(b, op->column);
		put_s(b, op->new_name);
		put_s(b, op->name);
		put_columns(b, op->cols, op->n_cols);
		put_strv(b, op->index_cols, op->n_index_cols);
		put_i(b, op->unique);
		put_i(b, op->nullable);
		put_i(b, op->has_type);
		put_s(b, op->type);
		put_i(b, op->has_server_default);
		put_i(b, op->server_default_none);
		put_s(b, op->sql);
		put_u(b, op->n_kwargs);
		for (k = 0; k < op->n_kwargs; k++) {
			put_s(b, op->kwargs[k].name);
			put_s(b, op->kwargs[k].value);
		}
		put_loc(b, &op->loc);
		put_loc(b, &op->call_loc);
		put_cons(b, op->cons, op->n_cons);
	}
}

static void put_migration(struct sc_buf *b, const struct sc_migration *m)
{
	put_i(b, m->has_revision);
	put_s(b, m->revision);
	put_loc(b, &m->revision_loc);
	put_i(b, m->has_down_revision);
	put_strv(b, m->down_revisions, m->n_down_revisions);
	put_i(b, m->down_revision_unresolved);
	put_loc(b, &m->down_revision_loc);
	put_strv(b, m->branch_labels, m->n_branch_labels);
	put_strv(b, m->depends_on, m->n_depends_on);
	put_s(b, m->doc_revision_id);
	put_s(b, m->doc_revises);
	put_loc(b, &m->doc_loc);
	put_i(b, m->upgrade_kind);
	put_i(b, m->downgrade_kind);
	put_loc(b, &m->upgrade_loc);
	put_loc(b, &m->downgrade_loc);
	put_ops(b, m->up, m->n_up);
	put_ops(b, m->down, m->n_down);
	put_i(b, m->up_has_unknown_calls);
	put_strv(b, m->imports, m->n_imports);
	put_strv(b, m->from_imports, m->n_from_imports);
}

static void put_models(struct sc_buf *b, const struct sc_modelfile *m)
{
	size_t i;

	put_u(b, m->n_tables);
	for (i = 0; i < m->n_tables; i++) {
		const struct sc_model_table *t = &m->tables[i];

		put_s(b, t->name);
		put_s(b, t->class_name);
		put_i(b, t->uncertain);
		put_columns(b, t->cols, t->n_cols);
		put_loc(b, &t->loc);
		put_cons(b, t->cons, t->n_cons);
		put_i(b, t->cons_uncertain);
	}
}

static void put_code(struct sc_buf *b, const struct sc_codefile *c)
{
	size_t i;

	put_u(b, c->n_calls);
	for (i = 0; i < c->n_calls; i++) {
		put_i(b, c->calls[i].kind);
		put_s(b, c->calls[i].call);
		put_s(b, c->calls[i].table);
		put_s(b, c->calls[i].what);
		put_loc(b, &c->calls[i].loc);
	}
}

void sc_factser_put(struct sc_buf *out, const struct sc_srcfile *file,
		    const struct sc_migration *mig,
		    const struct sc_modelfile *models,
		    const struct sc_codefile *code)
{
	size_t i;

	put_i(out, file->syntax_error);
	put_loc(out, &file->error_loc);
	put_s(out, file->error_msg);
	put_u(out, file->n_comments);
	for (i = 0; i < file->n_comments; i++) {
		put_u(out, file->comments[i].row);
		put_u(out, file->comments[i].col);
		put_i(out, file->comments[i].own_line);
		put_s(out, file->comments[i].text);
	}
	put_u(out, (mig ? 1u : 0u) | (models ? 2u : 0u) | (code ? 4u : 0u));
	if (mig)
		put_migration(out, mig);
	if (models)
		put_models(out, models);
	if (code)
		put_code(out, code);
}

/* ---- reading ------------------------------------------------------------ */

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t get_u(struct rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (!r->bad) {
		unsigned char c;

		if (r->p >= r->end || shift > 63) {
			r->bad = 1;
			break;
		}
		c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
	return 0;
}

static int64_t get_i(struct rd *r)
{
	uint64_t u = get_u(r);

	return (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
}

/* An int field: anything that does not fit is corruption. */
static int get_int(struct rd *r)
{
	int64_t v = get_i(r);

	if (v < INT32_MIN || v > INT32_MAX) {
		r->bad = 1;
		return 0;
	}
	return (int)v;
}

static unsigned get_uns(struct rd *r)
{
	uint64_t v = get_u(r);

	if (v > UINT32_MAX) {
		r->bad = 1;
		return 0;
	}
	return (unsigned)v;
}

static char *get_s(struct rd *r)
{
	uint64_t n = get_u(r);
	char *s;

	if (r->bad || !n)
		return NULL;
	n--;
	if (n > (uint64_t)(r->end - r->p) || memchr(r->p, '\0', n)) {
		r->bad = 1;
		return NULL;
	}
	s = sc_xstrndup((const char *)r->p, (size_t)n);
	r->p += n;
	return s;
}

/* A count of elements that take at least one byte each. */
static size_t get_count(struct rd *r)
{
	uint64_t n = get_u(r);

	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

static void get_loc(struct rd *r, struct sc_loc *l)
{
	l->row = get_uns(r);
	l->col = get_uns(r);
	l->end_row = get_uns(r);
	l->end_col = get_uns(r);
}

/* An array of n zeroed elements, NULL for none. */
static void *alloc_array(size_t n, size_t size)
{
	return n ? sc_xcalloc(n, size) : NULL;
}

static void get_strv(struct rd *r, char ***v, size_t *n)
{
	size_t i, k = get_count(r);

	*v = alloc_array(k, sizeof(**v));
	*n = k;
	for (i = 0; i < k && !r->bad; i++)
		(*v)[i] = get_s(r);
}

static void get_column(struct rd *r, struct sc_column *c)
{
	c->name = get_s(r);
	c->type = get_s(r);
	c->type_name = get_s(r);
	c->family = (enum sc_type_family)get_int(r);
	c->type_length = (long)get_i(r);
	c->nullable = (enum sc_tri)get_int(r);
	c->primary_key = get_int(r);
	c->unique = get_int(r);
	c->index = get_int(r);
	c->has_server_default = get_int(r);
	c->server_default = get_s(r);
	c->has_default = get_int(r);
	c->has_foreign_key = get_int(r);
	get_loc(r, &c->loc);
	c->type_from_annotation = get_int(r);
}

static void get_columns(struct rd *r, struct sc_column **v, size_t *n)
{
	size_t i, k = get_count(r);

	*v = alloc_array(k, sizeof(**v));
	*n = k;
	for (i = 0; i < k && !r->bad; i++)
		get_column(r, &(*v)[i]);
}

static void get_cons(struct rd *r, struct sc_constraint **v, size_t *n)
{
	size_t i, k = get_count(r);

	*v = alloc_array(k, sizeof(**v));
	*n = k;
	for (i = 0; i < k && !r->bad; i++) {
		struct sc_constraint *c = &(*v)[i];

		c->kind = (enum sc_cons_kind)get_int(r);
		c->unique = get_int(r);
		c->name = get_s(r);
		c->name_unresolved = get_int(r);
		get_strv(r, &c->cols, &c->n_cols);
		c->cols_unresolved = get_int(r);
		get_loc(r, &c->loc);
	}
}

static void get_ops(struct rd *r, struct sc_op **v, size_t *n)
{
	size_t i, j, k = get_count(r);

	*v = alloc_array(k, sizeof(**v));
	*n = k;
	for (i = 0; i < k && !r->bad; i++) {
		struct sc_op *op = &(*v)[i];
		size_t nk;

		op->kind = (enum sc_op_kind)get_int(r);
		op->fn = get_s(r);
		op->flags = get_uns(r);
		op->table = get_s(r);
		op->column = get_s(r);
		op->new_name = get_s(r);
		op->name = get_s(r);
		get_columns(r, &op->cols, &op->n_cols);
		get_strv(r, &op->index_cols, &op->n_index_cols);
		op->unique = get_int(r);
		op->nullable = (enum sc_tri)get_int(r);
		op->has_type = get_int(r);
		op->type = get_s(r);
		op->has_server_default = get_int(r);
		op->server_default_none = get_int(r);
		op->sql = get_s(r);
		nk = get_count(r);
		op->kwargs = alloc_array(nk, sizeof(*op->kwargs));
		op->n_kwargs = nk;
		for (j = 0; j < nk && !r->bad; j++) {
			op->kwargs[j].name = get_s(r);
			op->kwargs[j].value = get_s(r);
		}
		get_loc(r, &op->loc);
		get_loc(r, &op->call_loc);
		get_cons(r, &op->cons, &op->n_cons);
	}
}

static struct sc_migration *get_migration(struct rd *r)
{
	struct sc_migration *m = sc_xcalloc(1, sizeof(*m));

	m->has_revision = get_int(r);
	m->revision = get_s(r);
	get_loc(r, &m->revision_loc);
	m->has_down_revision = get_int(r);
	get_strv(r, &m->down_revisions, &m->n_down_revisions);
	m->down_revision_unresolved = get_int(r);
	get_loc(r, &m->down_revision_loc);
	get_strv(r, &m->branch_labels, &m->n_branch_labels);
	get_strv(r, &m->depends_on, &m->n_depends_on);
	m->doc_revision_id = get_s(r);
	m->doc_revises = get_s(r);
	get_loc(r, &m->doc_loc);
	m->upgrade_kind = (enum sc_body_kind)get_int(r);
	m->downgrade_kind = (enum sc_body_kind)get_int(r);
	get_loc(r, &m->upgrade_loc);
	get_loc(r, &m->downgrade_loc);
	get_ops(r, &m->up, &m->n_up);
	get_ops(r, &m->down, &m->n_down);
	m->up_has_unknown_calls = get_int(r);
	get_strv(r, &m->imports, &m->n_imports);
	get_strv(r, &m->from_imports, &m->n_from_imports);
	return m;
}

static struct sc_modelfile *get_models(struct rd *r)
{
	struct sc_modelfile *m = sc_xcalloc(1, sizeof(*m));
	size_t i, k = get_count(r);

	m->tables = alloc_array(k, sizeof(*m->tables));
	m->n_tables = k;
	for (i = 0; i < k && !r->bad; i++) {
		struct sc_model_table *t = &m->tables[i];

		t->name = get_s(r);
		t->class_name = get_s(r);
		t->uncertain = get_int(r);
		get_columns(r, &t->cols, &t->n_cols);
		get_loc(r, &t->loc);
		get_cons(r, &t->cons, &t->n_cons);
		t->cons_uncertain = get_int(r);
	}
	return m;
}

static struct sc_codefile *get_code(struct rd *r)
{
	struct sc_codefile *c = sc_xcalloc(1, sizeof(*c));
	size_t i, k = get_count(r);

	c->calls = alloc_array(k, sizeof(*c->calls));
	c->n_calls = k;
	for (i = 0; i < k && !r->bad; i++) {
		c->calls[i].kind = (enum sc_code_kind)get_int(r);
		c->calls[i].call = get_s(r);
		c->calls[i].table = get_s(r);
		c->calls[i].what = get_s(r);
		get_loc(r, &c->calls[i].loc);
	}
	return c;
}

int sc_factser_get(const void *data, size_t n, struct sc_srcfile *file,
		   struct sc_migration **mig, struct sc_modelfile **models,
		   struct sc_codefile **code)
{
	struct rd r = { data, (const unsigned char *)data + n, 0 };
	struct sc_comment *comments = NULL;
	struct sc_loc error_loc;
	char *error_msg;
	size_t i, n_comments;
	unsigned parts;
	int syntax_error, error = 0;

	*mig = NULL;
	*models = NULL;
	*code = NULL;
	syntax_error = get_int(&r);
	get_loc(&r, &error_loc);
	error_msg = get_s(&r);
	n_comments = get_count(&r);
	comments = alloc_array(n_comments, sizeof(*comments));
	for (i = 0; i < n_comments && !r.bad; i++) {
		comments[i].row = get_uns(&r);
		comments[i].col = get_uns(&r);
		comments[i].own_line = get_int(&r);
		comments[i].text = get_s(&r);
	}
	parts = get_uns(&r);
	if (!r.bad && (parts & 1))
		*mig = get_migration(&r);
	if (!r.bad && (parts & 2))
		*models = get_models(&r);
	if (!r.bad && (parts & 4))
		*code = get_code(&r);
	if (r.bad || r.p != r.end || parts > 7) {
		error = -1;
		sc_migration_free(*mig);
		sc_modelfile_free(*models);
		sc_codefile_free(*code);
		*mig = NULL;
		*models = NULL;
		*code = NULL;
		for (i = 0; i < n_comments; i++)
			free(comments[i].text);
		free(comments);
		free(error_msg);
		goto out;
	}
	file->syntax_error = syntax_error;
	file->error_loc = error_loc;
	file->error_msg = error_msg;
	file->comments = comments;
	file->n_comments = n_comments;
out:
	return error;
}
