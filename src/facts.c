/*
 * facts.c: releasing the facts of facts.h, and the two small queries on
 * them (effective nullability of a column, an op's keyword argument).
 */
#include "facts.h"

#include <stdlib.h>
#include <string.h>

void sc_srcfile_free(struct sc_srcfile *f)
{
	size_t i;

	if (!f)
		return;
	for (i = 0; i < f->n_comments; i++)
		free(f->comments[i].text);
	free(f->comments);
	free(f->error_msg);
	free(f->data);
	free(f->path);
	free(f);
}

void sc_column_release(struct sc_column *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->type);
	free(c->type_name);
	free(c->server_default);
	memset(c, 0, sizeof(*c));
	c->type_length = -1;
	c->nullable = SC_UNKNOWN;
}

int sc_column_is_nullable(const struct sc_column *c)
{
	if (c->nullable != SC_UNKNOWN)
		return c->nullable == SC_YES;
	return !c->primary_key;
}

static void free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sc_constraint_release(struct sc_constraint *c)
{
	if (!c)
		return;
	free(c->name);
	free_strv(c->cols, c->n_cols);
	memset(c, 0, sizeof(*c));
}

void sc_op_release(struct sc_op *op)
{
	size_t i;

	if (!op)
		return;
	free(op->fn);
	free(op->table);
	free(op->column);
	free(op->new_name);
	free(op->name);
	for (i = 0; i < op->n_cols; i++)
		sc_column_release(&op->cols[i]);
	free(op->cols);
	free_strv(op->index_cols, op->n_index_cols);
	free(op->type);
	free(op->sql);
	for (i = 0; i < op->n_kwargs; i++) {
		free(op->kwargs[i].name);
		free(op->kwargs[i].value);
	}
	free(op->kwargs);
	for (i = 0; i < op->n_cons; i++)
		sc_constraint_release(&op->cons[i]);
	free(op->cons);
	memset(op, 0, sizeof(*op));
	op->nullable = SC_UNKNOWN;
}

const struct sc_kwarg *sc_op_kwarg(const struct sc_op *op, const char *name)
{
	size_t i;

	for (i = op->n_kwargs; i-- > 0;)
		if (op->kwargs[i].name && !strcmp(op->kwargs[i].name, name))
			return &op->kwargs[i];
	return NULL;
}

void sc_migration_free(struct sc_migration *m)
{
	size_t i;

	if (!m)
		return;
	free(m->revision);
	free_strv(m->down_revisions, m->n_down_revisions);
	free_strv(m->branch_labels, m->n_branch_labels);
	free_strv(m->depends_on, m->n_depends_on);
	free(m->doc_revision_id);
	free(m->doc_revises);
	for (i = 0; i < m->n_up; i++)
		sc_op_release(&m->up[i]);
	free(m->up);
	for (i = 0; i < m->n_down; i++)
		sc_op_release(&m->down[i]);
	free(m->down);
	free_strv(m->imports, m->n_imports);
	free_strv(m->from_imports, m->n_from_imports);
	free(m);
}

void sc_modelfile_free(struct sc_modelfile *m)
{
	size_t i, j;

	if (!m)
		return;
	for (i = 0; i < m->n_tables; i++) {
		struct sc_model_table *t = &m->tables[i];
		free(t->name);
		free(t->class_name);
		for (j = 0; j < t->n_cols; j++)
			sc_column_release(&t->cols[j]);
		free(t->cols);
		for (j = 0; j < t->n_cons; j++)
			sc_constraint_release(&t->cons[j]);
		free(t->cons);
	}
	free(m->tables);
	free(m);
}

void sc_codefile_free(struct sc_codefile *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n_calls; i++) {
		free(c->calls[i].call);
		free(c->calls[i].table);
		free(c->calls[i].what);
	}
	free(c->calls);
	free(c);
}
