/*
 * ruleutil.c: helpers shared by rules (see ruleutil.h).
 */
#include "ruleutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pysrc.h"
#include "sqlddl.h"

const char *sc_unit_label(const struct sc_unit *u)
{
	const char *base;
	if (u->mig && u->mig->revision)
		return u->mig->revision;
	base = strrchr(u->file->path, '/');
	return base ? base + 1 : u->file->path;
}

static int sql_is_ddl(const char *sql)
{
	static const char *const words[] = { "create", "alter", "drop",
					     "rename", "truncate", NULL };
	const char *p = sql;
	size_t i;
	/* any statement starting with a DDL keyword */
	while (p && *p) {
		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r' ||
		       *p == ';' || *p == '(')
			p++;
		for (i = 0; words[i]; i++)
			if (!strncasecmp(p, words[i], strlen(words[i])))
				return 1;
		p = strchr(p, ';');
	}
	return 0;
}

int sc_op_changes_schema(const struct sc_op *op)
{
	switch (op->kind) {
	case SC_OP_CREATE_TABLE: case SC_OP_DROP_TABLE: case SC_OP_RENAME_TABLE:
	case SC_OP_ADD_COLUMN: case SC_OP_DROP_COLUMN: case SC_OP_ALTER_COLUMN:
	case SC_OP_CREATE_INDEX: case SC_OP_DROP_INDEX:
	case SC_OP_CREATE_CONSTRAINT: case SC_OP_DROP_CONSTRAINT:
		return 1;
	case SC_OP_EXECUTE:
		return op->sql && sql_is_ddl(op->sql);
	case SC_OP_OTHER:
		return op->fn && (sc_starts_with(op->fn, "create_") ||
				  sc_starts_with(op->fn, "drop_") ||
				  sc_starts_with(op->fn, "alter_") ||
				  sc_starts_with(op->fn, "rename_"));
	default:
		return 0;
	}
}

int sc_ops_created_table_before(const struct sc_op *ops, size_t i,
				const char *table)
{
	size_t j;
	for (j = 0; j < i; j++) {
		const struct sc_op *op = &ops[j];
		if (op->kind == SC_OP_CREATE_TABLE && op->table &&
		    !strcmp(op->table, table))
			return 1;
		if (op->kind == SC_OP_RENAME_TABLE && op->new_name &&
		    !strcmp(op->new_name, table))
			return 1;
		if (op->kind == SC_OP_EXECUTE && op->sql) {
			/* CREATE TABLE <name> in raw SQL: a plain text search for
			 * the name after CREATE TABLE is enough to stay silent */
			const char *p = op->sql;
			while ((p = strcasestr(p, "create table"))) {
				p += 12;
				if (strstr(p, table))
					return 1;
			}
		}
	}
	return 0;
}

const struct sc_model_table *sc_models_find_table(const struct sc_analysis *a,
		const char *table, const struct sc_unit **unit_out)
{
	size_t i, j;
	for (i = 0; i < a->n_models; i++) {
		const struct sc_modelfile *m = a->models[i]->models;
		for (j = 0; j < m->n_tables; j++) {
			if (m->tables[j].name && !strcmp(m->tables[j].name, table)) {
				if (unit_out)
					*unit_out = a->models[i];
				return &m->tables[j];
			}
		}
	}
	return NULL;
}

const struct sc_column *sc_model_find_column(const struct sc_model_table *t,
					     const char *column)
{
	size_t i;
	for (i = 0; i < t->n_cols; i++)
		if (t->cols[i].name && !strcmp(t->cols[i].name, column))
			return &t->cols[i];
	return NULL;
}

const struct sc_unit *sc_analysis_migration(const struct sc_analysis *a,
					    const char *path)
{
	size_t lo = 0, hi;

	if (!a || !path)
		return NULL;
	hi = a->n_migrations;
	while (lo < hi) {  /* migrations are sorted by path */
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(path, a->migrations[mid]->file->path);

		if (!c)
			return a->migrations[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Is `op` a drop of table (column NULL) or table.column? */
static int op_drops(const struct sc_op *op, const char *table,
		    const char *column)
{
	if (!op->table || strcmp(op->table, table))
		return 0;
	if (!column)
		return op->kind == SC_OP_DROP_TABLE;
	return op->kind == SC_OP_DROP_COLUMN && op->column &&
	       !strcmp(op->column, column);
}

int sc_unit_drops(const struct sc_unit *u, const char *table,
		  const char *column)
{
	size_t i, j;
	int found = 0;

	if (!u->mig)
		return 0;
	for (i = 0; i < u->mig->n_up && !found; i++) {
		const struct sc_op *op = &u->mig->up[i];
		struct sc_op *ops = NULL;
		size_t n = 0;
		int unknown = 0;
		char *utable = NULL;

		if (op->kind != SC_OP_EXECUTE) {
			found = op_drops(op, table, column);
			continue;
		}
		if (!op->sql)
			continue;
		sc_sqlddl_parse(op->sql, op->flags, &op->loc, &ops, &n,
				&unknown, &utable);
		for (j = 0; j < n; j++) {
			found = found || op_drops(&ops[j], table, column);
			sc_op_release(&ops[j]);
		}
		free(ops);
		free(utable);
	}
	return found;
}

int sc_drop_is_new(const struct sc_ctx *ctx, const struct sc_unit *u,
		   const char *table, const char *column)
{
	const struct sc_analysis *b = ctx->before;
	const char *rev = u->mig ? u->mig->revision : NULL;
	size_t i;

	if (!b)
		return 1;
	for (i = 0; i < b->n_migrations; i++) {
		const struct sc_unit *o = b->migrations[i];
		int same = !strcmp(o->file->path, u->file->path) ||
			   (rev && o->mig && o->mig->revision &&
			    !strcmp(o->mig->revision, rev));

		if (same && sc_unit_drops(o, table, column))
			return 0;
	}
	return 1;
}

const struct sc_analysis *sc_deprecation_models(const struct sc_ctx *ctx,
						char **where)
{
	const char *commit;

	*where = NULL;
	if (!ctx->before)
		return NULL;
	if (ctx->release) {
		*where = sc_xasprintf("release %s", ctx->release_name
					? ctx->release_name : "(unnamed)");
		return ctx->release;
	}
	commit = ctx->before->snap ? ctx->before->snap->commit : NULL;
	if (commit)
		*where = sc_xasprintf("commit %.12s", commit);
	return ctx->before;
}

char *sc_op_inverse_hint(const struct sc_op *op)
{
	switch (op->kind) {
	case SC_OP_CREATE_TABLE:
		if (op->table)
			return sc_xasprintf("op.drop_table('%s')", op->table);
		break;
	case SC_OP_ADD_COLUMN:
		if (op->table && op->column)
			return sc_xasprintf("op.drop_column('%s', '%s')",
					    op->table, op->column);
		break;
	case SC_OP_RENAME_TABLE:
		if (op->table && op->new_name)
			return sc_xasprintf("op.rename_table('%s', '%s')",
					    op->new_name, op->table);
		break;
	case SC_OP_CREATE_INDEX:
		if (op->name && op->table)
			return sc_xasprintf("op.drop_index('%s', table_name='%s')",
					    op->name, op->table);
		break;
	case SC_OP_CREATE_CONSTRAINT:
		if (op->name && op->table)
			return sc_xasprintf("op.drop_constraint('%s', '%s')",
					    op->name, op->table);
		break;
	case SC_OP_DROP_COLUMN:
		if (op->table && op->column)
			return sc_xasprintf("op.add_column('%s', sa.Column('%s', ...))",
					    op->table, op->column);
		break;
	case SC_OP_DROP_TABLE:
		if (op->table)
			return sc_xasprintf("op.create_table('%s', ...)", op->table);
		break;
	default:
		break;
	}
	return NULL;
}

/* ---- helpers of the reversibility and safety rules (SC103-SC211) ---- */

static void xops_push(struct sc_xops *x, const struct sc_op *op, size_t src,
		      int from_sql)
{
	SC_ALLOC_GROW(x->v, x->n + 1, x->alloc);
	x->v[x->n].op = op;
	x->v[x->n].src = src;
	x->v[x->n].from_sql = from_sql;
	x->n++;
}

void sc_xops_init(struct sc_xops *x, const struct sc_op *ops, size_t n)
{
	size_t i, j;

	memset(x, 0, sizeof(*x));
	for (i = 0; i < n; i++) {
		const struct sc_op *op = &ops[i];
		struct sc_op *p = NULL;
		size_t np = 0;
		int unknown = 0;
		char *table = NULL;

		xops_push(x, op, i, 0);
		if (op->kind != SC_OP_EXECUTE)
			continue;
		if (!op->sql) {
			x->opaque_any = 1;
			continue;
		}
		sc_sqlddl_parse(op->sql, op->flags, &op->loc, &p, &np, &unknown,
				&table);
		if (unknown && table) {
			x->opaque_tables = sc_xrealloc(x->opaque_tables,
				(x->n_opaque_tables + 1) * sizeof(char *));
			x->opaque_tables[x->n_opaque_tables++] = table;
			table = NULL;
		} else if (unknown) {
			x->opaque_any = 1;
		}
		free(table);
		x->parsed = sc_xrealloc(x->parsed,
					(x->n_arrays + 1) * sizeof(*x->parsed));
		x->n_parsed = sc_xrealloc(x->n_parsed,
					  (x->n_arrays + 1) * sizeof(*x->n_parsed));
		x->parsed[x->n_arrays] = p;
		x->n_parsed[x->n_arrays] = np;
		x->n_arrays++;
		for (j = 0; j < np; j++)
			xops_push(x, &p[j], i, 1);
	}
}

void sc_xops_release(struct sc_xops *x)
{
	size_t i, j;

	for (i = 0; i < x->n_arrays; i++) {
		for (j = 0; j < x->n_parsed[i]; j++)
			sc_op_release(&x->parsed[i][j]);
		free(x->parsed[i]);
	}
	free(x->parsed);
	free(x->n_parsed);
	for (i = 0; i < x->n_opaque_tables; i++)
		free(x->opaque_tables[i]);
	free(x->opaque_tables);
	free(x->v);
	memset(x, 0, sizeof(*x));
}

static int str_eq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

int sc_xops_created_table_before(const struct sc_xops *x, size_t i,
				 const char *table)
{
	size_t j;

	for (j = 0; j < i && j < x->n; j++) {
		const struct sc_op *op = x->v[j].op;
		if (op->kind == SC_OP_CREATE_TABLE && str_eq(op->table, table))
			return 1;
		if (op->kind == SC_OP_RENAME_TABLE && str_eq(op->new_name, table))
			return 1;
	}
	return 0;
}

const struct sc_op *sc_xops_added_column_before(const struct sc_xops *x,
						size_t i, const char *table,
						const char *column)
{
	size_t j;

	for (j = 0; j < i && j < x->n; j++) {
		const struct sc_op *op = x->v[j].op;
		if (op->kind == SC_OP_ADD_COLUMN && str_eq(op->table, table) &&
		    str_eq(op->column, column))
			return op;
	}
	return NULL;
}

const char *sc_xops_type_before(const struct sc_xops *x, size_t i,
				const struct sc_schema *before)
{
	const struct sc_op *alter = x->v[i].op;
	const struct sc_kwarg *k = sc_op_kwarg(alter, "existing_type");
	const struct sc_scolumn *col;
	size_t j, c;

	/* existing_type=some_variable: a value computed at run time */
	if (k && k->value && !(islower((unsigned char)k->value[0]) &&
			       !strpbrk(k->value, ".(")))
		return k->value;
	for (j = i; j-- > 0;) {
		const struct sc_op *op = x->v[j].op;

		if (!str_eq(op->table, alter->table)) {
			if (op->kind == SC_OP_RENAME_TABLE &&
			    str_eq(op->new_name, alter->table))
				return NULL;
			continue;
		}
		switch (op->kind) {
		case SC_OP_ALTER_COLUMN:
			if (str_eq(op->new_name, alter->column))
				return NULL;
			if (!str_eq(op->column, alter->column) || !op->has_type)
				break;
			if (!(op->flags & SC_OPF_CONDITIONAL))
				return op->type;
			/* possibly applied: when both are, they are likely
			 * the branches of one if/else */
			if (!(alter->flags & SC_OPF_CONDITIONAL))
				return NULL;
			break;
		case SC_OP_ADD_COLUMN:
			if (str_eq(op->column, alter->column))
				return op->n_cols == 1 ? op->cols[0].type : NULL;
			break;
		case SC_OP_DROP_COLUMN:
			if (str_eq(op->column, alter->column))
				return NULL;
			break;
		case SC_OP_CREATE_TABLE:
			for (c = 0; c < op->n_cols; c++)
				if (str_eq(op->cols[c].name, alter->column))
					return op->cols[c].type;
			return NULL;
		case SC_OP_DROP_TABLE:
		case SC_OP_RENAME_TABLE:
			return NULL;
		default:
			break;
		}
	}
	col = sc_schema_sure_column(before, alter->table, alter->column);
	return col ? col->type : NULL;
}

int sc_xops_may_have_added_column(const struct sc_xops *x, size_t i,
				  const char *table, const char *column)
{
	size_t j;

	for (j = 0; j < i && j < x->n; j++) {
		const struct sc_op *op = x->v[j].op;
		if (op->kind != SC_OP_ADD_COLUMN || !str_eq(op->table, table))
			continue;
		if (!op->column || str_eq(op->column, column))
			return 1;
	}
	return 0;
}

int sc_xops_opaque_for(const struct sc_xops *x, const char *table)
{
	size_t i;

	if (x->opaque_any)
		return 1;
	for (i = 0; i < x->n_opaque_tables; i++)
		if (!table || !strcmp(x->opaque_tables[i], table))
			return 1;
	return 0;
}

struct sc_schema *sc_schema_before(const struct sc_analysis *a,
				   const struct sc_unit *u)
{
	const struct sc_revgraph *g = a ? a->graph : NULL;
	struct sc_schema *s;
	unsigned char *mark;
	size_t *stack, n_stack = 0, k, i, j;

	if (!g)
		return NULL;
	for (k = 0; k < g->n && g->nodes[k].unit != u; k++)
		;
	if (k == g->n || g->nodes[k].in_cycle)
		return NULL;
	mark = sc_xcalloc(g->n, 1);
	stack = sc_xcalloc(g->n, sizeof(*stack));
	mark[k] = 1;
	stack[n_stack++] = k;
	while (n_stack) {      /* every node is pushed at most once */
		const struct sc_revnode *nd = &g->nodes[stack[--n_stack]];
		for (i = 0; i < nd->n_parents + nd->n_deps; i++) {
			size_t p = i < nd->n_parents ? nd->parents[i]
						     : nd->deps[i - nd->n_parents];
			if (p < g->n && !mark[p]) {
				mark[p] = 1;
				stack[n_stack++] = p;
			}
		}
	}
	s = sc_xcalloc(1, sizeof(*s));
	for (i = 0; i < g->n_order; i++) {
		size_t nix = g->order[i];
		const struct sc_unit *au;

		if (nix >= g->n || !mark[nix] || nix == k)
			continue;
		au = g->nodes[nix].unit;
		for (j = 0; au->mig && j < au->mig->n_up; j++)
			sc_schema_apply(s, &au->mig->up[j], au);
	}
	free(stack);
	free(mark);
	return s;
}

const struct sc_scolumn *sc_schema_sure_column(const struct sc_schema *s,
					       const char *table,
					       const char *column)
{
	const struct sc_stable *t;
	const struct sc_scolumn *c;

	if (!s || !table || !column)
		return NULL;
	t = sc_schema_table(s, table);
	if (!t)
		return NULL;
	c = sc_schema_column(t, column);
	return c && (!t->uncertain || c->stated) ? c : NULL;
}

/* ---- column types ---- */

static int is_ident_char(int c)
{
	return isalnum(c) || c == '_';
}

static const struct {
	const char *name;
	int rank;
} int_ranks[] = {
	{ "TINYINT", 1 }, { "SMALLINT", 2 }, { "SMALLINTEGER", 2 },
	{ "MEDIUMINT", 3 }, { "INTEGER", 4 }, { "INT", 4 }, { "BIGINT", 5 },
	{ "BIGINTEGER", 5 },
};

/* Is the argument a..e a dialect-specific keyword (mysql_charset=...)? */
static int dialect_kwarg(const char *a, const char *e)
{
	static const char *const prefixes[] = {
		"mysql_", "mariadb_", "postgresql_", "sqlite_", "mssql_",
		"oracle_",
	};
	size_t i;

	for (i = 0; i < SC_ARRAY_SIZE(prefixes); i++) {
		size_t k = strlen(prefixes[i]);
		if ((size_t)(e - a) > k && !strncmp(a, prefixes[i], k))
			return memchr(a, '=', (size_t)(e - a)) != NULL;
	}
	return 0;
}

/* Parse the arguments after '(' (p points just after it). */
static void type_args(struct sc_type *t, const char *p)
{
	int depth = 1, first = 1, n_args = 0, only_length = 1;
	char q = 0;
	const char *arg = p;

	t->length = SC_LEN_NONE;
	for (; *p && depth > 0; p++) {
		if (q) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == q)
				q = 0;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			q = *p;
		} else if (*p == '(' || *p == '[' || *p == '{') {
			depth++;
		} else if (*p == ')' || *p == ']' || *p == '}') {
			depth--;
		}
		if ((depth == 1 && *p == ',') || depth == 0) {
			/* one argument: arg..p */
			const char *a = arg, *e = p;
			while (a < e && isspace((unsigned char)*a))
				a++;
			while (e > a && isspace((unsigned char)e[-1]))
				e--;
			if (a < e) {
				const char *v = NULL;
				n_args++;
				if (dialect_kwarg(a, e)) {
					/* mysql_ndb_type=...: no change elsewhere */
					n_args--;
					first = 0;
					arg = p + 1;
					continue;
				}
				if (!strncmp(a, "length", 6)) {
					const char *k = a + 6;
					while (k < e && isspace((unsigned char)*k))
						k++;
					if (k < e && *k == '=')
						v = k + 1;
				} else if (first && isdigit((unsigned char)*a)) {
					v = a;
				} else if (first) {
					/* a positional argument that is no literal:
					 * Enum values, String(MAX_LEN), ... */
					const char *k = a;
					while (k < e && is_ident_char((unsigned char)*k))
						k++;
					while (k < e && isspace((unsigned char)*k))
						k++;
					if (!(k < e && *k == '=' && (k + 1 >= e || k[1] != '=')))
						t->length = SC_LEN_UNKNOWN;
				}
				if (v) {
					char *end;
					long l;
					while (v < e && isspace((unsigned char)*v))
						v++;
					l = strtol(v, &end, 10);
					if (end > v && end == e && l >= 0)
						t->length = l;
					else
						t->length = SC_LEN_UNKNOWN;
				} else {
					only_length = 0;
				}
				first = 0;
			}
			arg = p + 1;
		}
	}
	if (t->length == SC_LEN_UNKNOWN)
		only_length = 0;
	t->plain = n_args == 0 || (n_args == 1 && only_length);
}

void sc_type_parse(struct sc_type *t, const char *text)
{
	const char *p, *name, *e;
	char up[sizeof(t->name)];
	size_t len, i;

	memset(t, 0, sizeof(*t));
	t->length = SC_LEN_NONE;
	t->family = SC_TYPE_UNKNOWN;
	if (!text)
		return;
	p = text;
	while (isspace((unsigned char)*p))
		p++;
	name = p;
	while (is_ident_char((unsigned char)*p) || *p == '.') {
		if (*p == '.')
			name = p + 1;
		p++;
	}
	e = p;
	len = (size_t)(e - name);
	if (!len || len >= sizeof(t->name)) {
		t->family = SC_TYPE_OTHER;
		return;
	}
	memcpy(t->name, name, len);
	t->name[len] = '\0';
	t->family = sc_type_family_from_name(name, len);
	for (i = 0; i <= len; i++)
		up[i] = (char)toupper((unsigned char)t->name[i]);
	if (t->family == SC_TYPE_OTHER)
		t->family = sc_type_family_from_name(up, len);
	for (i = 0; i < SC_ARRAY_SIZE(int_ranks); i++)
		if (!strcmp(up, int_ranks[i].name))
			t->int_rank = int_ranks[i].rank;
	t->plain = 1;
	while (isspace((unsigned char)*p))
		p++;
	if (*p == '(') {
		int depth = 0;
		char q = 0;
		type_args(t, p + 1);
		/* skip the group to see what follows it */
		for (; *p; p++) {
			if (q) {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == q)
					q = 0;
			} else if (*p == '\'' || *p == '"') {
				q = *p;
			} else if (*p == '(') {
				depth++;
			} else if (*p == ')' && --depth == 0) {
				p++;
				break;
			}
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	/* String(50).with_variant(...) is a String(50); anything else that
	 * follows (a conditional expression, an operator) is not understood */
	if (*p && strncmp(p, ".with_variant", 13) &&
	    strncmp(p, ".evaluates_none", 15)) {
		t->family = SC_TYPE_OTHER;
		t->plain = 0;
	}
}

/* Text without whitespace and common module prefixes, for comparing. */
static char *type_norm(const char *s)
{
	static const char *const prefixes[] = {
		"sqlalchemy.types.", "sqlalchemy.", "sa.types.", "sa.",
		"types.",
	};
	struct sc_buf b = SC_BUF_INIT;
	size_t i;
	char *r;

	for (i = 0; i < SC_ARRAY_SIZE(prefixes); i++)
		if (sc_starts_with(s, prefixes[i])) {
			s += strlen(prefixes[i]);
			break;
		}
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			sc_buf_addch(&b, *s);
	r = sc_buf_detach(&b);
	if (sc_ends_with(r, "()"))
		r[strlen(r) - 2] = '\0';
	return r;
}

static int is_fixed_char(const struct sc_type *t)
{
	return !strcasecmp(t->name, "CHAR") || !strcasecmp(t->name, "NCHAR");
}

int sc_type_same(const struct sc_type *a, const char *atext,
		 const struct sc_type *b, const char *btext)
{
	int same = 0;

	if (atext && btext) {
		char *x = type_norm(atext), *y = type_norm(btext);
		same = !strcmp(x, y);
		free(x);
		free(y);
		if (same)
			return 1;
	}
	if (a->family != b->family || !a->plain || !b->plain ||
	    a->length != b->length || a->int_rank != b->int_rank)
		return 0;
	switch (a->family) {
	case SC_TYPE_STRING:
		return is_fixed_char(a) == is_fixed_char(b);
	case SC_TYPE_TEXT: case SC_TYPE_INTEGER: case SC_TYPE_BOOLEAN:
	case SC_TYPE_DATE: case SC_TYPE_UUID:
		return 1;
	default:
		return !strcasecmp(a->name, b->name);
	}
}

int sc_type_narrows(const struct sc_type *from, const struct sc_type *to)
{
	switch (from->family) {
	case SC_TYPE_FLOAT: case SC_TYPE_NUMERIC:
		return to->family == SC_TYPE_INTEGER;
	case SC_TYPE_INTEGER:
		return to->family == SC_TYPE_INTEGER && from->int_rank &&
		       to->int_rank && to->int_rank < from->int_rank;
	case SC_TYPE_STRING:
		return to->family == SC_TYPE_STRING && to->length >= 0 &&
		       (from->length == SC_LEN_NONE ||
			(from->length >= 0 && to->length < from->length));
	case SC_TYPE_TEXT:
		return to->family == SC_TYPE_STRING && to->length >= 0;
	case SC_TYPE_DATETIME:
		return to->family == SC_TYPE_DATE || to->family == SC_TYPE_TIME;
	default:
		return 0;
	}
}

int sc_type_widens_safely(const struct sc_type *from, const struct sc_type *to)
{
	if (from->family != SC_TYPE_STRING || is_fixed_char(from))
		return 0;
	if (to->family == SC_TYPE_TEXT)
		return to->plain;
	if (to->family != SC_TYPE_STRING || is_fixed_char(to) || !to->plain ||
	    !from->plain)
		return 0;
	return to->length == SC_LEN_NONE ||
	       (from->length >= 0 && to->length > from->length);
}

static int in_group(enum sc_type_family f, const enum sc_type_family *g,
		    size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (g[i] == f)
			return 1;
	return 0;
}

int sc_pg_casts_automatically(enum sc_type_family from,
			      enum sc_type_family to)
{
	static const enum sc_type_family numbers[] = {
		SC_TYPE_INTEGER, SC_TYPE_FLOAT, SC_TYPE_NUMERIC,
	};
	static const enum sc_type_family strings[] = {
		SC_TYPE_STRING, SC_TYPE_TEXT,
	};
	static const enum sc_type_family dates[] = {
		SC_TYPE_DATE, SC_TYPE_DATETIME,
	};

	if (from == to)
		return 1;
	/* every type has an assignment cast to the string types */
	if (in_group(to, strings, 2))
		return 1;
	if (in_group(from, numbers, 3) && in_group(to, numbers, 3))
		return 1;
	if (in_group(from, dates, 2) && in_group(to, dates, 2))
		return 1;
	return (from == SC_TYPE_DATETIME && to == SC_TYPE_TIME) ||
	       (from == SC_TYPE_TIME && to == SC_TYPE_INTERVAL) ||
	       (from == SC_TYPE_INTERVAL && to == SC_TYPE_TIME);
}

const char *sc_type_pg_name(const struct sc_type *t, char *buf, size_t n)
{
	const char *s = NULL;

	switch (t->family) {
	case SC_TYPE_INTEGER:
		s = t->int_rank == 5 ? "bigint" :
		    t->int_rank && t->int_rank <= 2 ? "smallint" : "integer";
		break;
	case SC_TYPE_FLOAT:
		s = !strcasecmp(t->name, "REAL") ? "real" : "double precision";
		break;
	case SC_TYPE_NUMERIC: s = "numeric"; break;
	case SC_TYPE_STRING:
		if (t->length >= 0) {
			snprintf(buf, n, "varchar(%ld)", t->length);
			return buf;
		}
		s = "varchar";
		break;
	case SC_TYPE_TEXT: s = "text"; break;
	case SC_TYPE_BOOLEAN: s = "boolean"; break;
	case SC_TYPE_DATE: s = "date"; break;
	case SC_TYPE_DATETIME: s = "timestamp"; break;
	case SC_TYPE_TIME: s = "time"; break;
	case SC_TYPE_INTERVAL: s = "interval"; break;
	case SC_TYPE_BINARY: s = "bytea"; break;
	case SC_TYPE_JSON:
		s = !strcasecmp(t->name, "JSONB") ? "jsonb" : "json";
		break;
	case SC_TYPE_UUID: s = "uuid"; break;
	default:
		return NULL;
	}
	snprintf(buf, n, "%s", s);
	return buf;
}

char *sc_oneline(const char *s, size_t max)
{
	struct sc_buf b = SC_BUF_INIT;
	const char *p;

	if (!s)
		return NULL;
	for (p = s; *p; p++) {
		if (isspace((unsigned char)*p)) {
			while (isspace((unsigned char)p[1]))
				p++;
			if (b.len && b.buf[b.len - 1] != '(' &&
			    b.buf[b.len - 1] != '[' && p[1] != ')' && p[1] != ']' &&
			    p[1] != ',' && p[1])
				sc_buf_addch(&b, ' ');
			continue;
		}
		if ((*p == ')' || *p == ']') && b.len && b.buf[b.len - 1] == ',')
			b.len--;        /* (a, b,) -> (a, b) */
		sc_buf_addch(&b, *p);
	}
	if (max > 3 && b.len > max) {
		b.len = max - 3;
		while (b.len && ((unsigned char)b.buf[b.len] & 0xc0) == 0x80)
			b.len--;        /* not inside a UTF-8 sequence */
		sc_buf_adds(&b, "...");
	}
	return sc_buf_detach(&b);
}

/* ---- reading a body's text ---- */

struct srclines {
	const struct sc_srcfile *f;
	size_t *off;            /* start of each line */
	size_t n;
	unsigned char *in_str;  /* the line starts inside a triple-quoted string */
};

static void srclines_init(struct srclines *L, const struct sc_srcfile *f)
{
	size_t i, alloc = 0;
	char q = 0;     /* the open triple quote, or 0 */

	memset(L, 0, sizeof(*L));
	L->f = f;
	if (!f->data)
		return;
	SC_ALLOC_GROW(L->off, 1, alloc);
	L->off[L->n++] = 0;
	for (i = 0; i < f->len; i++) {
		if (f->data[i] == '\n') {
			SC_ALLOC_GROW(L->off, L->n + 1, alloc);
			L->off[L->n++] = i + 1;
		}
	}
	L->in_str = sc_xcalloc(L->n + 1, 1);
	for (i = 0; i < L->n; i++) {
		const char *p = f->data + L->off[i];
		const char *e = i + 1 < L->n ? f->data + L->off[i + 1] : f->data + f->len;
		char sq = 0;    /* a one-line string */

		L->in_str[i] = q != 0;
		for (; p < e; p++) {
			if (q) {
				if (*p == '\\') {
					p++;
				} else if (*p == q && p + 2 < e && p[1] == q &&
					   p[2] == q) {
					q = 0;
					p += 2;
				}
			} else if (sq) {
				if (*p == '\\')
					p++;
				else if (*p == sq || *p == '\n')
					sq = 0;
			} else if (*p == '#') {
				break;
			} else if ((*p == '"' || *p == '\'') && p + 2 < e &&
				   p[1] == *p && p[2] == *p) {
				q = *p;
				p += 2;
			} else if (*p == '"' || *p == '\'') {
				sq = *p;
			}
		}
	}
}

static void srclines_release(struct srclines *L)
{
	free(L->off);
	free(L->in_str);
}

/* Line `row` without its newline; *len its length. */
static const char *srcline(const struct srclines *L, size_t row, size_t *len)
{
	const char *s, *e;

	if (row >= L->n) {
		*len = 0;
		return "";
	}
	s = L->f->data + L->off[row];
	e = row + 1 < L->n ? L->f->data + L->off[row + 1] : L->f->data + L->f->len;
	while (e > s && (e[-1] == '\n' || e[-1] == '\r'))
		e--;
	*len = (size_t)(e - s);
	return s;
}

/* Indentation of a line, or -1 when it holds no code. */
static long code_indent(const struct srclines *L, size_t row)
{
	size_t len, i;
	const char *s = srcline(L, row, &len);

	if (L->in_str[row])
		return -1;
	for (i = 0; i < len && (s[i] == ' ' || s[i] == '\t'); i++)
		;
	if (i == len || s[i] == '#')
		return -1;
	return (long)i;
}

static int op_covers(const struct sc_op *ops, size_t n, size_t row)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (ops[i].call_loc.row <= row && row <= ops[i].call_loc.end_row)
			return 1;
	return 0;
}

static const char *const harmless_objects[] = {
	"op", "sa", "sqlalchemy", "sql", "alembic", "context", "logging", "LOG",
	"log", "logger", "LOGGER", "_LOG", "_log", "warnings", "os", "sys",
	"json", "datetime", "uuid", "re", "time", "textwrap", "math", "decimal",
	"copy", "itertools", "functools", "collections", "batch_op", "typing",
};

static const char *const harmless_functions[] = {
	"print", "len", "range", "list", "dict", "set", "frozenset", "tuple",
	"str", "int", "float", "bool", "bytes", "isinstance", "getattr",
	"setattr", "hasattr", "enumerate", "zip", "sorted", "reversed", "min",
	"max", "sum", "any", "all", "map", "filter", "format", "repr", "type",
	"iter", "next", "abs", "round", "table", "column", "text", "select",
	"literal_column", "and_", "or_", "not_", "func", "cast", "update",
	"insert", "delete", "bindparam", "inline_literal", "conv", "f",
};

static const char *const harmless_methods[] = {
	"append", "extend", "insert", "pop", "remove", "format", "join",
	"split", "strip", "lower", "upper", "items", "keys", "values", "get",
	"setdefault", "sort", "discard", "info", "debug", "warning", "warn",
	"error", "exception", "critical", "where", "in_", "label", "cast",
	"select", "alias", "copy", "replace", "startswith", "endswith",
	"encode", "decode", "dumps", "loads", "get_bind", "get_context",
	"inline_literal", "f", "batch_alter_table", "compile", "values",
	"returning", "filter", "filter_by", "order_by", "group_by", "limit",
	"fetchall", "fetchone", "first", "one", "one_or_none", "scalar",
	"scalars", "mappings", "isoformat", "now", "utcnow", "today",
};

static int in_list(const char *const *v, size_t n, const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strlen(v[i]) == len && !memcmp(v[i], s, len))
			return 1;
	return 0;
}

/* The row of `def NAME(` in the file (any indentation), or -1. */
static long find_def(const struct srclines *L, const char *name, size_t len)
{
	size_t row;

	for (row = 0; row < L->n; row++) {
		size_t l, i;
		const char *s = srcline(L, row, &l);

		if (L->in_str[row])
			continue;
		for (i = 0; i < l && (s[i] == ' ' || s[i] == '\t'); i++)
			;
		if (l - i > 6 && !strncmp(s + i, "async ", 6))
			i += 6;
		if (l - i < 4 + len || strncmp(s + i, "def ", 4))
			continue;
		i += 4;
		while (i < l && s[i] == ' ')
			i++;
		if (l - i >= len && !memcmp(s + i, name, len) &&
		    (i + len == l || !is_ident_char((unsigned char)s[i + len])))
			return (long)row;
	}
	return -1;
}

struct scan {
	const struct srclines *L;
	const struct sc_migration *m;
	long visited[8];
	int n_visited;
};

static int scan_def(struct scan *sc, size_t def_row, int depth);

/* Could the statement on this line run something we do not see? */
static int line_unseen(struct scan *sc, const char *s, size_t len, int depth)
{
	static const char *const skip_kw[] = {
		"if ", "elif ", "while ", "for ", "with ", "async ", "else",
		"try", "except", "finally", "def ", "class ", "raise", "assert ",
		"pass", "import ", "from ", "global ", "nonlocal ", "del ",
		"continue", "break", "return", "@", ")", "]", "}", "'", "\"",
		"#",
	};
	const char *e = s + len, *p, *name, *last;
	size_t i;
	long def;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	len = (size_t)(e - s);
	/* an .execute() the op list does not show: its SQL is no literal */
	for (p = s; p + 8 <= e; p++)
		if (!memcmp(p, "execute(", 8) || !memcmp(p, "execute (", 9))
			return 1;
	if (len >= 6 && !strncmp(s, "await ", 6))
		s += 6;
	else if (len >= 7 && !strncmp(s, "return ", 7))
		s += 7;
	for (i = 0; i < SC_ARRAY_SIZE(skip_kw); i++)
		if ((size_t)(e - s) >= strlen(skip_kw[i]) &&
		    !strncmp(s, skip_kw[i], strlen(skip_kw[i])))
			return 0;
	/* `a = call(...)`, `a.b[c] += call(...)`: the right-hand side */
	for (p = s; p < e && *p != '(' && *p != '#'; p++) {
		if (*p == '\'' || *p == '"')
			break;
		if (*p == '=' && p + 1 < e && p[1] != '=' && p > s &&
		    p[-1] != '=' && p[-1] != '!' && p[-1] != '<' && p[-1] != '>') {
			s = p + 1;
			while (s < e && (*s == ' ' || *s == '\t'))
				s++;
			break;
		}
	}
	/* the callee of a call at the start of the expression */
	name = s;
	last = s;
	for (p = s; p < e && (is_ident_char((unsigned char)*p) || *p == '.'); p++)
		if (*p == '.')
			last = p + 1;
	if (p == name || isdigit((unsigned char)*name))
		return 0;
	e = p;
	while (p < s + len && (*p == ' ' || *p == '\t'))
		p++;
	if (*p != '(')
		return 0;       /* not a call */
	if (isupper((unsigned char)*name) && !memchr(name, '.', (size_t)(e - name)))
		return 0;       /* a class or constant: constructs a value */
	for (p = name; p < e && *p != '.'; p++)
		;
	if (p < e && in_list(harmless_objects, SC_ARRAY_SIZE(harmless_objects),
			     name, (size_t)(p - name)))
		return 0;
	if (p == e && in_list(harmless_functions,
			      SC_ARRAY_SIZE(harmless_functions), name,
			      (size_t)(e - name)))
		return 0;
	if (p < e && in_list(harmless_methods, SC_ARRAY_SIZE(harmless_methods),
			     last, (size_t)(e - last)))
		return 0;
	if (p == e && (def = find_def(sc->L, name, (size_t)(e - name))) >= 0)
		return scan_def(sc, (size_t)def, depth + 1);
	return 1;
}

/* Calls in `s` to functions defined in the file: could they do more? */
static int helpers_unseen(struct scan *sc, const char *s, size_t len,
			  int depth)
{
	const char *e = s + len, *p = s;
	char q = 0;

	while (p < e) {
		const char *name;
		long def;

		if (q) {
			if (*p == '\\')
				p++;
			else if (*p == q)
				q = 0;
			p++;
			continue;
		}
		if (*p == '\'' || *p == '"') {
			q = *p++;
			continue;
		}
		if (*p == '#')
			break;
		if (!is_ident_char((unsigned char)*p) ||
		    (p > s && (is_ident_char((unsigned char)p[-1]) || p[-1] == '.'))) {
			p++;
			continue;
		}
		name = p;
		while (p < e && is_ident_char((unsigned char)*p))
			p++;
		if (p < e && *p == '(' && !isdigit((unsigned char)*name) &&
		    (def = find_def(sc->L, name, (size_t)(p - name))) >= 0 &&
		    scan_def(sc, (size_t)def, depth + 1))
			return 1;
	}
	return 0;
}

/* Scan the body of the def at def_row. */
static int scan_def(struct scan *sc, size_t def_row, int depth)
{
	const struct srclines *L = sc->L;
	long ind = code_indent(L, def_row), li;
	size_t row;
	int i;

	for (i = 0; i < sc->n_visited; i++)
		if (sc->visited[i] == (long)def_row)
			return 0;
	if (depth > 4 || sc->n_visited >= (int)SC_ARRAY_SIZE(sc->visited))
		return 1;
	sc->visited[sc->n_visited++] = (long)def_row;
	if (ind < 0)
		return 1;
	for (row = def_row + 1; row < L->n; row++) {
		size_t len;
		const char *s;

		li = code_indent(L, row);
		if (li < 0)
			continue;
		if (li <= ind)
			break;
		s = srcline(L, row, &len);
		if (op_covers(sc->m->up, sc->m->n_up, row) ||
		    op_covers(sc->m->down, sc->m->n_down, row)) {
			/* an op's arguments may call a function of the file:
			 * op.bulk_insert(t, get_rows()) */
			if (helpers_unseen(sc, s, len, depth))
				return 1;
			continue;
		}
		if (line_unseen(sc, s, len, depth))
			return 1;
	}
	return 0;
}

int sc_body_has_unseen_calls(const struct sc_unit *u, int downgrade)
{
	const struct sc_migration *m = u->mig;
	struct srclines L;
	struct scan sc;
	enum sc_body_kind kind;
	int r;

	if (!m)
		return 0;
	kind = downgrade ? m->downgrade_kind : m->upgrade_kind;
	if (kind == SC_BODY_ABSENT)
		return 0;
	if (!downgrade && m->up_has_unknown_calls)
		return 1;
	if (!u->file->data)
		return 1;
	srclines_init(&L, u->file);
	memset(&sc, 0, sizeof(sc));
	sc.L = &L;
	sc.m = m;
	r = scan_def(&sc, (downgrade ? m->downgrade_loc : m->upgrade_loc).row, 0);
	srclines_release(&L);
	return r;
}

int sc_body_raises(const struct sc_unit *u, int downgrade)
{
	const struct sc_migration *m = u->mig;
	struct srclines L;
	size_t row, def_row;
	long ind, body_ind = -1, li;
	int r = 0;

	if (!m || !u->file->data ||
	    (downgrade ? m->downgrade_kind : m->upgrade_kind) == SC_BODY_ABSENT)
		return 0;
	srclines_init(&L, u->file);
	def_row = (downgrade ? m->downgrade_loc : m->upgrade_loc).row;
	ind = def_row < L.n ? code_indent(&L, def_row) : -1;
	for (row = def_row + 1; ind >= 0 && row < L.n && !r; row++) {
		size_t len;
		const char *s;

		li = code_indent(&L, row);
		if (li < 0)
			continue;
		if (li <= ind)
			break;
		if (body_ind < 0)
			body_ind = li;
		if (li != body_ind)
			continue;
		s = srcline(&L, row, &len) + li;
		r = len - (size_t)li >= 6 && !strncmp(s, "raise", 5) &&
		    (s[5] == ' ' || s[5] == '(');
	}
	srclines_release(&L);
	return r;
}

int sc_file_has_note(const struct sc_srcfile *f, const char *key)
{
	size_t i, k = strlen(key);

	for (i = 0; i < f->n_comments; i++) {
		const char *p = f->comments[i].text;

		if (*p == '#')
			p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "schemacheck", 11))
			continue;
		p += 11;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != ':')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, k))
			continue;
		p += k;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '=')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			return 1;
	}
	return 0;
}

/* Byte offset of (row, col) in the file, or (size_t)-1. */
static size_t loc_offset(const struct sc_srcfile *f, unsigned row, unsigned col)
{
	size_t i = 0;

	if (!f->data)
		return (size_t)-1;
	while (row) {
		const char *nl = memchr(f->data + i, '\n', f->len - i);
		if (!nl)
			return (size_t)-1;
		i = (size_t)(nl - f->data) + 1;
		row--;
	}
	return i + col <= f->len ? i + col : (size_t)-1;
}

int sc_loc_starts_with(const struct sc_srcfile *f, const struct sc_loc *loc,
		       const char *prefix)
{
	size_t off = loc_offset(f, loc->row, loc->col), k = strlen(prefix);

	return off != (size_t)-1 && f->len - off >= k &&
	       !memcmp(f->data + off, prefix, k);
}

char *sc_op_call_with(const struct sc_srcfile *f, const struct sc_op *op,
		      const char *kwarg)
{
	size_t a = loc_offset(f, op->call_loc.row, op->call_loc.col);
	size_t b = loc_offset(f, op->call_loc.end_row, op->call_loc.end_col);
	size_t c = loc_offset(f, op->loc.row, op->loc.col), i, n;
	struct sc_buf buf = SC_BUF_INIT;
	char q = 0;

	if (a == (size_t)-1 || b == (size_t)-1 || c != a || b <= a + 2 ||
	    b - a > 400 || f->data[b - 1] != ')' || !op->fn)
		return NULL;
	for (i = a; i < b - 1; i++) {
		char ch = f->data[i];

		if (q) {
			if (ch == '\n')
				goto fail;
			sc_buf_addch(&buf, ch);
			if (ch == '\\' && i + 1 < b - 1)
				sc_buf_addch(&buf, f->data[++i]);
			else if (ch == q)
				q = 0;
			continue;
		}
		if (ch == '#')
			goto fail;
		if (ch == '\'' || ch == '"') {
			if (i + 2 < b && f->data[i + 1] == ch && f->data[i + 2] == ch)
				goto fail;
			q = ch;
			sc_buf_addch(&buf, ch);
			continue;
		}
		if (isspace((unsigned char)ch) || ch == '\\') {
			char prev = buf.len ? buf.buf[buf.len - 1] : '(';
			while (i + 1 < b - 1 && (isspace((unsigned char)f->data[i + 1]) ||
						 f->data[i + 1] == '\\'))
				i++;
			if (prev != '(' && prev != '[' && prev != '{' &&
			    f->data[i + 1] != ')' && f->data[i + 1] != ']' &&
			    f->data[i + 1] != '}' && f->data[i + 1] != ',')
				sc_buf_addch(&buf, ' ');
			continue;
		}
		sc_buf_addch(&buf, ch);
	}
	if (q)
		goto fail;
	n = buf.len;
	while (n && buf.buf[n - 1] == ' ')
		n--;
	if (n && buf.buf[n - 1] == ',')
		n--;
	buf.len = n;
	buf.buf[n] = '\0';
	if (kwarg)
		sc_buf_addf(&buf, "%s%s", n && buf.buf[n - 1] == '(' ? "" : ", ",
			    kwarg);
	sc_buf_addch(&buf, ')');
	if (buf.len > 160)
		goto fail;
	return sc_buf_detach(&buf);
fail:
	sc_buf_release(&buf);
	return NULL;
}

int sc_sql_has_words(const char *sql, const char *a, const char *b)
{
	size_t ka = strlen(a);
	const char *p = sql;

	if (!sql)
		return 0;
	while ((p = strcasestr(p, a))) {
		int before = p > sql && is_ident_char((unsigned char)p[-1]);
		int after = is_ident_char((unsigned char)p[ka]);
		p += ka;
		if (before || after)
			continue;
		if (!b || sc_sql_has_words(p, b, NULL))
			return 1;
	}
	return 0;
}

int sc_sql_has_word(const char *sql, const char *word)
{
	return sc_sql_has_words(sql, word, NULL);
}

int sc_op_kwarg_true(const struct sc_op *op, const char *name)
{
	const struct sc_kwarg *k = sc_op_kwarg(op, name);
	return k && k->value && !strcmp(k->value, "True");
}

/* "['a', 'b']" from the op's columns, or "[...]" when one is unknown. */
char *sc_op_cols_list(const struct sc_op *op)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t i;

	if (!op->n_index_cols)
		return sc_xstrdup("[...]");
	for (i = 0; i < op->n_index_cols; i++) {
		if (!op->index_cols[i]) {
			sc_buf_release(&b);
			return sc_xstrdup("[...]");
		}
		sc_buf_addf(&b, "%s'%s'", i ? ", " : "[", op->index_cols[i]);
	}
	sc_buf_addch(&b, ']');
	return sc_buf_detach(&b);
}

/* A type's text when it reads as Python (not SQL from op.execute). */
static const char *py_type(const char *type)
{
	if (!type || !*type)
		return NULL;
	if (!strchr(type, '.') && !strchr(type, '(') &&
	    !isupper((unsigned char)type[0]))
		return NULL;
	return type;
}

static const char *constraint_type(const char *fn)
{
	if (!fn)
		return NULL;
	if (!strcmp(fn, "create_foreign_key"))
		return "foreignkey";
	if (!strcmp(fn, "create_unique_constraint"))
		return "unique";
	if (!strcmp(fn, "create_check_constraint"))
		return "check";
	if (!strcmp(fn, "create_primary_key"))
		return "primary";
	return NULL;
}

char *sc_op_inverse_hint_in(const struct sc_op *op,
			    const struct sc_schema *before)
{
	const struct sc_scolumn *col;
	const struct sc_kwarg *k;
	struct sc_buf b = SC_BUF_INIT;
	const char *t;

	switch (op->kind) {
	case SC_OP_CREATE_CONSTRAINT:
		t = constraint_type(op->fn);
		if (!op->name || !op->table)
			return NULL;
		if (!t)
			return sc_op_inverse_hint(op);
		return sc_xasprintf("op.drop_constraint('%s', '%s', type_='%s')",
				    op->name, op->table, t);
	case SC_OP_DROP_COLUMN:
		if (!op->table || !op->column)
			return NULL;
		col = sc_schema_sure_column(before, op->table, op->column);
		if (!col || !py_type(col->type))
			return sc_op_inverse_hint(op);
		{
			char *one = sc_oneline(col->type, 80), *r;
			r = sc_xasprintf("op.add_column('%s', sa.Column('%s', %s%s))",
					 op->table, op->column, one,
					 col->nullable == SC_NO ? ", nullable=False" : "");
			free(one);
			return r;
		}
	case SC_OP_DROP_INDEX:
		if (!op->name)
			return NULL;
		if (op->table)
			return sc_xasprintf("op.create_index('%s', '%s', [...])",
					    op->name, op->table);
		return sc_xasprintf("op.create_index('%s', ...)", op->name);
	case SC_OP_DROP_CONSTRAINT:
		k = sc_op_kwarg(op, "type_");
		if (!op->name || !op->table || !k || !k->value)
			return NULL;
		if (strstr(k->value, "foreign"))
			return sc_xasprintf("op.create_foreign_key('%s', '%s', ...)",
					    op->name, op->table);
		if (strstr(k->value, "unique"))
			return sc_xasprintf("op.create_unique_constraint('%s', '%s', [...])",
					    op->name, op->table);
		if (strstr(k->value, "check"))
			return sc_xasprintf("op.create_check_constraint('%s', '%s', ...)",
					    op->name, op->table);
		if (strstr(k->value, "primary"))
			return sc_xasprintf("op.create_primary_key('%s', '%s', [...])",
					    op->name, op->table);
		return NULL;
	case SC_OP_ALTER_COLUMN:
		if (!op->table || !op->column)
			return NULL;
		if (op->new_name)
			return sc_xasprintf("op.alter_column('%s', '%s', new_column_name='%s')",
					    op->table, op->new_name, op->column);
		col = sc_schema_sure_column(before, op->table, op->column);
		sc_buf_addf(&b, "op.alter_column('%s', '%s'", op->table, op->column);
		if (op->nullable != SC_UNKNOWN)
			sc_buf_addf(&b, ", nullable=%s",
				    op->nullable == SC_NO ? "True" : "False");
		if (op->has_type) {
			char *one;
			k = sc_op_kwarg(op, "existing_type");
			t = k && k->value ? k->value : col ? py_type(col->type) : NULL;
			one = sc_oneline(t, 80);
			sc_buf_addf(&b, ", type_=%s", one ? one : "...");
			free(one);
		}
		if (op->has_server_default) {
			k = sc_op_kwarg(op, "existing_server_default");
			if (!op->server_default_none && col && !col->has_server_default)
				sc_buf_adds(&b, ", server_default=None");
			else
				sc_buf_addf(&b, ", server_default=%s",
					    k && k->value ? k->value : "...");
		}
		sc_buf_addch(&b, ')');
		return sc_buf_detach(&b);
	default:
		return sc_op_inverse_hint(op);
	}
}

/* ---- helpers of the model rules (SC402-SC405) ---- */

char *sc_model_type_code(const struct sc_column *c)
{
	if (c->type && !c->type_from_annotation)
		return sc_oneline(c->type, 60);
	if (c->type_name)
		return sc_xasprintf("sa.%s()", c->type_name);
	return sc_xstrdup("sa.<type>");
}

char *sc_add_column_hint(const char *table, const struct sc_column *c)
{
	char *type = sc_model_type_code(c), *r, *def = NULL, *one = NULL;

	/* the model's server_default, when it is short enough to quote */
	if (c->has_server_default) {
		one = sc_oneline(c->server_default, 0);
		def = sc_xasprintf(", server_default=%s",
				   one && strlen(one) <= 60 ? one
				   : "<the model's server_default>");
	}
	r = sc_xasprintf("op.add_column('%s', sa.Column('%s', %s%s%s))", table,
			 c->name, type,
			 sc_column_is_nullable(c) ? "" : ", nullable=False",
			 def ? def : "");
	free(type);
	free(def);
	free(one);
	return r;
}
