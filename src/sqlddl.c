/*
 * sqlddl.c: a small tokenizer and recogniser for DDL statements in SQL
 * text. It never fails: text it does not understand is reported as such
 * (and makes the replay uncertain), never guessed.
 */
#include "sqlddl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

#define MAX_TOKENS 4096

enum tok_kind { T_WORD, T_QUOTED, T_PUNCT, T_STRING, T_OTHER };

struct tok {
	enum tok_kind kind;
	const char *s;
	size_t n;
};

struct lexer {
	const char *p;
	struct tok *toks;
	size_t n, alloc;
};

static void push(struct lexer *lx, enum tok_kind k, const char *s, size_t n)
{
	SC_ALLOC_GROW(lx->toks, lx->n + 1, lx->alloc);
	lx->toks[lx->n].kind = k;
	lx->toks[lx->n].s = s;
	lx->toks[lx->n].n = n;
	lx->n++;
}

/* Tokenize one statement (up to ';' outside quotes); returns 0 at end. */
static int next_statement(struct lexer *lx)
{
	const char *p = lx->p;
	lx->n = 0;
	if (!*p)
		return 0;
	while (*p && *p != ';') {
		if (isspace((unsigned char)*p)) {
			p++;
		} else if (p[0] == '-' && p[1] == '-') {
			while (*p && *p != '\n')
				p++;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *e = strstr(p + 2, "*/");
			p = e ? e + 2 : p + strlen(p);
		} else if (*p == '\'' ) {
			const char *s = ++p;
			while (*p && !(*p == '\'' && p[1] != '\''))
				p += (*p == '\'' ? 2 : 1);
			push(lx, T_STRING, s, (size_t)(p - s));
			if (*p)
				p++;
		} else if (*p == '"' || *p == '`' || *p == '[') {
			char close = *p == '[' ? ']' : *p;
			const char *s = ++p;
			while (*p && *p != close)
				p++;
			push(lx, T_QUOTED, s, (size_t)(p - s));
			if (*p)
				p++;
		} else if (isalnum((unsigned char)*p) || *p == '_' ||
			   (unsigned char)*p >= 0x80) {
			const char *s = p;
			while (isalnum((unsigned char)*p) || *p == '_' ||
			       *p == '$' || (unsigned char)*p >= 0x80)
				p++;
			push(lx, T_WORD, s, (size_t)(p - s));
		} else {
			push(lx, strchr("(),.", *p) ? T_PUNCT : T_OTHER, p, 1);
			p++;
		}
		if (lx->n > MAX_TOKENS) {
			while (*p && *p != ';')
				p++;
			break;
		}
	}
	if (*p == ';')
		p++;
	lx->p = p;
	return 1;
}

struct parser {
	struct tok *t;
	size_t n, i;
};

static int is_kw(const struct parser *ps, size_t i, const char *kw)
{
	return i < ps->n && ps->t[i].kind == T_WORD &&
	       strlen(kw) == ps->t[i].n && !strncasecmp(ps->t[i].s, kw, ps->t[i].n);
}

static int accept(struct parser *ps, const char *kw)
{
	if (is_kw(ps, ps->i, kw)) {
		ps->i++;
		return 1;
	}
	return 0;
}

static int accept_seq(struct parser *ps, const char *a, const char *b,
		      const char *c)
{
	size_t save = ps->i;
	if (accept(ps, a) && (!b || accept(ps, b)) && (!c || accept(ps, c)))
		return 1;
	ps->i = save;
	return 0;
}

static int is_punct(const struct parser *ps, size_t i, char c)
{
	return i < ps->n && ps->t[i].kind == T_PUNCT && ps->t[i].s[0] == c;
}

/* An identifier, possibly schema-qualified: returns the last part. */
static char *ident(struct parser *ps)
{
	char *name = NULL;
	for (;;) {
		struct tok *t;
		if (ps->i >= ps->n)
			break;
		t = &ps->t[ps->i];
		if (t->kind != T_WORD && t->kind != T_QUOTED)
			break;
		free(name);
		name = sc_xstrndup(t->s, t->n);
		if (t->kind == T_WORD) {
			char *q;
			for (q = name; *q; q++)
				*q = (char)tolower((unsigned char)*q);
		}
		ps->i++;
		if (!is_punct(ps, ps->i, '.'))
			break;
		ps->i++;
	}
	return name;
}

static struct sc_op *new_op(struct sc_op **ops, size_t *n, enum sc_op_kind k,
			    const char *fn, unsigned flags,
			    const struct sc_loc *loc)
{
	struct sc_op *op;
	*ops = sc_xrealloc(*ops, (*n + 1) * sizeof(**ops));
	op = &(*ops)[(*n)++];
	memset(op, 0, sizeof(*op));
	op->kind = k;
	op->fn = sc_xstrdup(fn);
	op->flags = flags;
	op->nullable = SC_UNKNOWN;
	if (loc) {
		op->loc = *loc;
		op->call_loc = *loc;
	}
	return op;
}

/* Skip a balanced parenthesised group starting at '('. */
static void skip_group(struct parser *ps)
{
	int depth = 0;
	for (; ps->i < ps->n; ps->i++) {
		if (is_punct(ps, ps->i, '('))
			depth++;
		else if (is_punct(ps, ps->i, ')') && --depth == 0) {
			ps->i++;
			return;
		}
	}
}

static const char *const constraint_words[] = {
	"constraint", "primary", "unique", "foreign", "check", "exclude",
	"like", NULL,
};

static int is_name(const struct parser *ps, size_t i);

/* MySQL's KEY/INDEX [name] (col, ...) at token i, not a column named "key". */
static int is_index_clause(const struct parser *ps, size_t i)
{
	return (is_kw(ps, i, "key") || is_kw(ps, i, "index")) &&
	       (is_punct(ps, i + 1, '(') ||
		(i + 1 < ps->n && ps->t[i + 1].kind != T_PUNCT &&
		 is_punct(ps, i + 2, '(') && is_name(ps, i + 3)));
}

/* A column definition: name type [constraints] up to ',' or ')'. */
static int column_def(struct parser *ps, struct sc_column *c)
{
	size_t k;
	memset(c, 0, sizeof(*c));
	c->nullable = SC_UNKNOWN;
	c->type_length = -1;
	for (k = 0; constraint_words[k]; k++)
		if (is_kw(ps, ps->i, constraint_words[k]))
			return 0;
	if (is_index_clause(ps, ps->i))
		return 0;
	c->name = ident(ps);
	if (!c->name)
		return 0;
	if (ps->i < ps->n && ps->t[ps->i].kind == T_WORD) {
		c->type_name = sc_xstrndup(ps->t[ps->i].s, ps->t[ps->i].n);
		c->type = sc_xstrdup(c->type_name);
	}
	while (ps->i < ps->n && !is_punct(ps, ps->i, ',') &&
	       !is_punct(ps, ps->i, ')')) {
		if (is_punct(ps, ps->i, '(')) {
			skip_group(ps);
			continue;
		}
		if (accept_seq(ps, "not", "null", NULL))
			c->nullable = SC_NO;
		else if (accept_seq(ps, "primary", "key", NULL))
			c->primary_key = 1;
		else if (accept(ps, "default"))
			c->has_server_default = 1;
		else if (accept(ps, "unique"))
			c->unique = 1;
		else if (accept(ps, "null"))
			c->nullable = SC_YES;
		else
			ps->i++;
	}
	return 1;
}

/* Is token i a name (not a number or a string)? */
static int is_name(const struct parser *ps, size_t i)
{
	return i < ps->n && (ps->t[i].kind == T_QUOTED ||
			     (ps->t[i].kind == T_WORD &&
			      !isdigit((unsigned char)ps->t[i].s[0])));
}

/*
 * A parenthesised column list: (a, b DESC, lower(c)) -> "a", "b", NULL.
 * Returns 0 (and reads nothing) when there is no '(' here.
 */
static int column_list(struct parser *ps, char ***cols, size_t *n)
{
	if (!is_punct(ps, ps->i, '('))
		return 0;
	ps->i++;
	while (ps->i < ps->n && !is_punct(ps, ps->i, ')')) {
		char *name = NULL;
		size_t start = ps->i;
		int plain = ps->t[ps->i].kind == T_WORD ||
			    ps->t[ps->i].kind == T_QUOTED;

		if (plain) {
			name = ident(ps);
			/* ASC, DESC, NULLS FIRST, COLLATE x, an opclass */
			while (ps->i < ps->n && ps->t[ps->i].kind == T_WORD)
				ps->i++;
			if (!is_punct(ps, ps->i, ',') && !is_punct(ps, ps->i, ')'))
				plain = 0;
		}
		if (!plain) {
			free(name);
			name = NULL;
			ps->i = start;
		}
		while (ps->i < ps->n && !is_punct(ps, ps->i, ',') &&
		       !is_punct(ps, ps->i, ')')) {
			if (is_punct(ps, ps->i, '('))
				skip_group(ps);
			else
				ps->i++;
		}
		*cols = sc_xrealloc(*cols, (*n + 1) * sizeof(**cols));
		(*cols)[(*n)++] = name;
		if (is_punct(ps, ps->i, ','))
			ps->i++;
	}
	if (ps->i < ps->n)
		ps->i++;
	return 1;
}

/*
 * A table constraint: [CONSTRAINT name] UNIQUE (..) | PRIMARY KEY (..) |
 * FOREIGN KEY (..) ... | CHECK (..), and MySQL's [UNIQUE] KEY/INDEX
 * [name] (..) inside CREATE TABLE (`in_create`). Fills *c; returns 0
 * when this is not one.
 */
static int table_constraint(struct parser *ps, struct sc_constraint *c,
			    int in_create)
{
	memset(c, 0, sizeof(*c));
	if (accept(ps, "constraint")) {
		c->name = ident(ps);
		if (!c->name)
			c->name_unresolved = 1;
	}
	if (accept_seq(ps, "primary", "key", NULL)) {
		c->kind = SC_CONS_PRIMARY_KEY;
		c->unique = 1;
	} else if (accept_seq(ps, "foreign", "key", NULL)) {
		c->kind = SC_CONS_FOREIGN_KEY;
	} else if (accept(ps, "check")) {
		c->kind = SC_CONS_CHECK;
		return 1;
	} else if (accept(ps, "unique")) {
		c->kind = SC_CONS_UNIQUE;
		c->unique = 1;
		if ((accept(ps, "key") || accept(ps, "index")) && in_create &&
		    !c->name && !is_punct(ps, ps->i, '('))
			c->name = ident(ps);
	} else if (in_create && !c->name && is_index_clause(ps, ps->i)) {
		/* KEY ix (a), not a column named "key" */
		ps->i++;
		c->kind = SC_CONS_INDEX;
		if (!is_punct(ps, ps->i, '('))
			c->name = ident(ps);
	} else if (c->name || c->name_unresolved) {
		c->kind = SC_CONS_OTHER;    /* EXCLUDE ... */
		return 1;
	} else {
		return 0;
	}
	if (!column_list(ps, &c->cols, &c->n_cols))
		c->cols_unresolved = 1;
	return 1;
}

static void create_table(struct parser *ps, struct sc_op *op)
{
	if (!is_punct(ps, ps->i, '('))
		return;
	ps->i++;
	while (ps->i < ps->n && !is_punct(ps, ps->i, ')')) {
		struct sc_column c;
		struct sc_constraint k;
		size_t save = ps->i;

		if (table_constraint(ps, &k, 1)) {
			op->cons = sc_xrealloc(op->cons,
					       (op->n_cons + 1) * sizeof(k));
			op->cons[op->n_cons++] = k;
			/* the rest of the clause (REFERENCES ...) */
			while (ps->i < ps->n && !is_punct(ps, ps->i, ',') &&
			       !is_punct(ps, ps->i, ')')) {
				if (is_punct(ps, ps->i, '('))
					skip_group(ps);
				else
					ps->i++;
			}
		} else if ((ps->i = save, column_def(ps, &c))) {
			op->cols = sc_xrealloc(op->cols,
					       (op->n_cols + 1) * sizeof(c));
			op->cols[op->n_cols++] = c;
		} else {
			while (ps->i < ps->n && !is_punct(ps, ps->i, ',') &&
			       !is_punct(ps, ps->i, ')')) {
				if (is_punct(ps, ps->i, '('))
					skip_group(ps);
				else
					ps->i++;
			}
		}
		if (is_punct(ps, ps->i, ','))
			ps->i++;
	}
}

/* Returns 1 when understood. */
static int statement(struct parser *ps, unsigned flags, const struct sc_loc *loc,
		     struct sc_op **ops, size_t *n, char **table_out)
{
	struct sc_op *op;
	char *name;

	if (accept(ps, "create")) {
		int unique = 0;
		if (accept(ps, "or"))
			accept(ps, "replace");
		if (accept(ps, "temp") || accept(ps, "temporary"))
			return 1; /* session-local: not part of the schema */
		accept(ps, "unlogged");
		if (accept(ps, "table")) {
			accept_seq(ps, "if", "not", "exists");
			name = ident(ps);
			if (!name)
				return 0;
			op = new_op(ops, n, SC_OP_CREATE_TABLE, "create_table",
				    flags, loc);
			op->table = name;
			if (accept(ps, "as") || is_kw(ps, ps->i, "as"))
				return 1;
			create_table(ps, op);
			return 1;
		}
		if (accept(ps, "unique"))
			unique = 1;
		if (accept(ps, "index")) {
			accept(ps, "concurrently");
			accept_seq(ps, "if", "not", "exists");
			name = is_kw(ps, ps->i, "on") ? NULL : ident(ps);
			if (!accept(ps, "on")) {
				free(name);
				return 0;
			}
			accept(ps, "only");
			op = new_op(ops, n, SC_OP_CREATE_INDEX, "create_index",
				    flags, loc);
			op->name = name;
			op->table = ident(ps);
			op->unique = unique;
			if (accept(ps, "using"))
				ps->i++;
			column_list(ps, &op->index_cols, &op->n_index_cols);
			return op->table != NULL;
		}
		/* views, functions, types, sequences, extensions: not tables */
		return is_kw(ps, ps->i, "view") || is_kw(ps, ps->i, "function") ||
		       is_kw(ps, ps->i, "type") || is_kw(ps, ps->i, "sequence") ||
		       is_kw(ps, ps->i, "extension") || is_kw(ps, ps->i, "trigger") ||
		       is_kw(ps, ps->i, "materialized") || is_kw(ps, ps->i, "schema") ||
		       is_kw(ps, ps->i, "procedure") || is_kw(ps, ps->i, "domain") ||
		       is_kw(ps, ps->i, "rule") || is_kw(ps, ps->i, "policy");
	}
	if (accept(ps, "drop")) {
		if (accept(ps, "table")) {
			accept_seq(ps, "if", "exists", NULL);
			do {
				name = ident(ps);
				if (!name)
					return 0;
				op = new_op(ops, n, SC_OP_DROP_TABLE, "drop_table",
					    flags, loc);
				op->table = name;
			} while (is_punct(ps, ps->i, ',') && ++ps->i);
			return 1;
		}
		if (accept(ps, "index")) {
			accept(ps, "concurrently");
			accept_seq(ps, "if", "exists", NULL);
			op = new_op(ops, n, SC_OP_DROP_INDEX, "drop_index", flags,
				    loc);
			op->name = ident(ps);
			return 1;
		}
		return is_kw(ps, ps->i, "view") || is_kw(ps, ps->i, "function") ||
		       is_kw(ps, ps->i, "type") || is_kw(ps, ps->i, "sequence") ||
		       is_kw(ps, ps->i, "extension") || is_kw(ps, ps->i, "trigger") ||
		       is_kw(ps, ps->i, "materialized") || is_kw(ps, ps->i, "schema") ||
		       is_kw(ps, ps->i, "procedure") || is_kw(ps, ps->i, "domain") ||
		       is_kw(ps, ps->i, "rule") || is_kw(ps, ps->i, "policy");
	}
	if (accept(ps, "alter")) {
		char *table;
		if (!accept(ps, "table"))
			return is_kw(ps, ps->i, "sequence") ||
			       is_kw(ps, ps->i, "type") || is_kw(ps, ps->i, "view") ||
			       is_kw(ps, ps->i, "index") || is_kw(ps, ps->i, "function") ||
			       is_kw(ps, ps->i, "database") || is_kw(ps, ps->i, "schema");
		accept_seq(ps, "if", "exists", NULL);
		accept(ps, "only");
		table = ident(ps);
		if (!table)
			return 0;
		if (accept_seq(ps, "rename", "to", NULL)) {
			op = new_op(ops, n, SC_OP_RENAME_TABLE, "rename_table",
				    flags, loc);
			op->table = table;
			op->new_name = ident(ps);
			return op->new_name != NULL;
		}
		if (accept(ps, "rename")) {
			accept(ps, "column");
			op = new_op(ops, n, SC_OP_ALTER_COLUMN, "alter_column",
				    flags, loc);
			op->table = table;
			op->column = ident(ps);
			if (!accept(ps, "to"))
				return 0;
			op->new_name = ident(ps);
			return op->column && op->new_name;
		}
		if (accept(ps, "add")) {
			struct sc_column c;
			if (!accept(ps, "column") &&
			    (is_kw(ps, ps->i, "constraint") ||
			     is_kw(ps, ps->i, "primary") ||
			     is_kw(ps, ps->i, "unique") ||
			     is_kw(ps, ps->i, "foreign") ||
			     is_kw(ps, ps->i, "check"))) {
				struct sc_constraint k;

				op = new_op(ops, n, SC_OP_CREATE_CONSTRAINT,
					    "create_constraint", flags, loc);
				op->table = table;
				/* its kind, name and columns in op->cons[0] */
				if (table_constraint(ps, &k, 0)) {
					op->cons = sc_xmalloc(sizeof(k));
					op->cons[0] = k;
					op->n_cons = 1;
					if (k.name)
						op->name = sc_xstrdup(k.name);
				}
				return 1;
			}
			accept_seq(ps, "if", "not", "exists");
			if (!column_def(ps, &c)) {
				*table_out = table;
				return 0;
			}
			op = new_op(ops, n, SC_OP_ADD_COLUMN, "add_column", flags,
				    loc);
			op->table = table;
			op->column = sc_xstrdup(c.name);
			op->cols = sc_xmalloc(sizeof(c));
			op->cols[0] = c;
			op->n_cols = 1;
			return 1;
		}
		if (accept(ps, "drop")) {
			if (accept(ps, "constraint")) {
				op = new_op(ops, n, SC_OP_DROP_CONSTRAINT,
					    "drop_constraint", flags, loc);
				op->table = table;
				accept_seq(ps, "if", "exists", NULL);
				op->name = ident(ps);
				return 1;
			}
			accept(ps, "column");
			accept_seq(ps, "if", "exists", NULL);
			op = new_op(ops, n, SC_OP_DROP_COLUMN, "drop_column",
				    flags, loc);
			op->table = table;
			op->column = ident(ps);
			return op->column != NULL;
		}
		if (accept(ps, "alter")) {
			accept(ps, "column");
			op = new_op(ops, n, SC_OP_ALTER_COLUMN, "alter_column",
				    flags, loc);
			op->table = table;
			op->column = ident(ps);
			if (accept_seq(ps, "set", "not", "null"))
				op->nullable = SC_NO;
			else if (accept_seq(ps, "drop", "not", "null"))
				op->nullable = SC_YES;
			else if (accept_seq(ps, "set", "default", NULL))
				op->has_server_default = 1;
			else if (accept_seq(ps, "drop", "default", NULL)) {
				op->has_server_default = 1;
				op->server_default_none = 1;
			} else if (accept(ps, "type") ||
				   accept_seq(ps, "set", "data", "type")) {
				op->has_type = 1;
				if (ps->i < ps->n)
					op->type = sc_xstrndup(ps->t[ps->i].s,
							       ps->t[ps->i].n);
			}
			return op->column != NULL;
		}
		*table_out = table;
		return 0;
	}
	if (is_kw(ps, ps->i, "rename") || is_kw(ps, ps->i, "truncate"))
		return 0;
	return 1; /* DML, SET, COMMENT ...: not schema changes we track */
}

void sc_sqlddl_parse(const char *sql, unsigned flags, const struct sc_loc *loc,
		     struct sc_op **ops, size_t *n, int *unknown_ddl,
		     char **unknown_table)
{
	struct lexer lx = { sql, NULL, 0, 0 };

	*unknown_ddl = 0;
	*unknown_table = NULL;
	while (next_statement(&lx)) {
		struct parser ps = { lx.toks, lx.n, 0 };
		char *table = NULL;
		if (!lx.n)
			continue;
		if (!statement(&ps, flags, loc, ops, n, &table)) {
			*unknown_ddl = 1;
			if (table && !*unknown_table)
				*unknown_table = table;
			else
				free(table);
		} else {
			free(table);
		}
	}
	free(lx.toks);
}
