/*
 * ruleutil.h: small questions several rules ask of the facts: a
 * migration's name for messages, whether an op changes the schema, what a
 * migration created before a given op, and what the models declare.
 */
#ifndef SC_RULEUTIL_H
#define SC_RULEUTIL_H

#include "engine.h"
#include "facts.h"
#include "schema.h"

/* The revision id of a unit for messages ("abc123", or its file name). */
const char *sc_unit_label(const struct sc_unit *u);

/* Does this op change the schema (DDL), as opposed to data or nothing? */
int sc_op_changes_schema(const struct sc_op *op);

/* Did ops[0..i) create table `table` (op.create_table or CREATE TABLE)? */
int sc_ops_created_table_before(const struct sc_op *ops, size_t i,
				const char *table);

/*
 * The model table named `table` in analysis `a` (borrowed), or NULL;
 * *unit_out (if not NULL) receives its unit.
 */
const struct sc_model_table *sc_models_find_table(const struct sc_analysis *a,
		const char *table, const struct sc_unit **unit_out);

/* The model column `column` of `t` (borrowed), or NULL. */
const struct sc_column *sc_model_find_column(const struct sc_model_table *t,
					     const char *column);

/*
 * The migration unit of analysis `a` whose file is `path` (borrowed), or
 * NULL.
 */
const struct sc_unit *sc_analysis_migration(const struct sc_analysis *a,
					    const char *path);

/*
 * Does the upgrade() of migration `u` drop table `table` (column NULL) or
 * column `table.column`: op.drop_table / op.drop_column, or DROP TABLE /
 * ALTER TABLE ... DROP COLUMN in op.execute() SQL? 1 or 0.
 */
int sc_unit_drops(const struct sc_unit *u, const char *table,
		  const char *column);

/*
 * Is the drop of `table` (column NULL) or `table.column` by migration `u`
 * (of ctx->now) new in this change? 0 when a version of that migration in
 * "before" (the same path, or the same revision id) drops it too; 1
 * otherwise, and always 1 when there is no "before" (--all).
 */
int sc_drop_is_new(const struct sc_ctx *ctx, const struct sc_unit *u,
		   const char *table, const char *column);

/*
 * The models a drop must already lack (DESIGN.md section 5, deprecation
 * period): those of the newest release tag reachable from "before" when
 * there is one, else those of "before"; NULL in --all. *where (owned by
 * the caller) names them for messages: "release v1.4", "commit
 * 1a2b3c4d5e6f", or NULL when "before" is not a commit.
 */
const struct sc_analysis *sc_deprecation_models(const struct sc_ctx *ctx,
						char **where);

/*
 * A suggestion for the downgrade() line that undoes `op` (owned by the
 * caller), e.g. "op.drop_column('users', 'email')"; NULL when none.
 */
char *sc_op_inverse_hint(const struct sc_op *op);

/* ---- helpers of the reversibility and safety rules (SC103-SC211) ---- */

/*
 * The ops of one body with the SQL of its op.execute() calls expanded:
 * every op as is, and after an execute with literal SQL, each statement
 * sqlddl.c understands as an op of its own (with the execute's flags and
 * location). Pointers are borrowed from the body or owned by the struct.
 */
struct sc_xop {
	const struct sc_op *op;
	size_t src;              /* index of the body op it is or comes from */
	int from_sql;            /* parsed from the SQL of body op `src` */
};

struct sc_xops {
	struct sc_xop *v;
	size_t n, alloc;
	struct sc_op **parsed;   /* owned: the arrays sqlddl.c returned */
	size_t *n_parsed;
	size_t n_arrays;
	int opaque_any;          /* SQL that is not a literal, or DDL not
				  * understood whose table is unknown */
	char **opaque_tables;    /* tables named by DDL not understood */
	size_t n_opaque_tables;
};

/* Expand ops[0..n) into *x; release with sc_xops_release(). */
void sc_xops_init(struct sc_xops *x, const struct sc_op *ops, size_t n);
void sc_xops_release(struct sc_xops *x);

/* Does v[0..i) create `table` (create_table, CREATE TABLE, rename to it)? */
int sc_xops_created_table_before(const struct sc_xops *x, size_t i,
				 const char *table);
/* The op of v[0..i) that adds column table.column (borrowed), or NULL. */
const struct sc_op *sc_xops_added_column_before(const struct sc_xops *x,
						size_t i, const char *table,
						const char *column);
/*
 * The type that the column of v[i] (an alter_column) had just before it:
 * its existing_type=, else the type an earlier op of the body gave the
 * column, else the type in the replayed schema `before` (may be NULL).
 * Borrowed text, or NULL when not known for sure.
 */
const char *sc_xops_type_before(const struct sc_xops *x, size_t i,
				const struct sc_schema *before);
/* Might v[0..i) have added table.column (an add_column of it, or one on
 * that table whose column did not resolve)? */
int sc_xops_may_have_added_column(const struct sc_xops *x, size_t i,
				  const char *table, const char *column);
/* Might opaque SQL of the body (not literal, not understood) touch `table`? */
int sc_xops_opaque_for(const struct sc_xops *x, const char *table);

/*
 * The schema as it was just before migration `u` of analysis `a`: the
 * upgrade() of every ancestor of `u` (down_revision and depends_on),
 * replayed in graph order. Owned by the caller (sc_schema_free); NULL when
 * `u` is not in the graph or is on a cycle.
 */
struct sc_schema *sc_schema_before(const struct sc_analysis *a,
				   const struct sc_unit *u);

/*
 * Column table.column of `s` when the replay is sure of it (borrowed), or
 * NULL (no schema, no such table or column, or the table is uncertain and
 * no create_table/add_column has stated the column since).
 */
const struct sc_scolumn *sc_schema_sure_column(const struct sc_schema *s,
					       const char *table,
					       const char *column);

/* A column type read from its text ("sa.String(length=50)", "varchar"). */
#define SC_LEN_NONE (-1L)      /* written without arguments */
#define SC_LEN_UNKNOWN (-2L)   /* arguments that are not a literal length */
struct sc_type {
	enum sc_type_family family; /* SC_TYPE_UNKNOWN when there is no text */
	int int_rank;          /* integers: 1 tiny, 2 small, 3 medium, 4 int,
				* 5 big; 0 when not known */
	long length;           /* first argument or length=, or SC_LEN_* */
	int plain;             /* no arguments, or only a literal length */
	char name[40];         /* the type's last dotted name, "String" */
};

/* Read `text` (may be NULL) into *t. */
void sc_type_parse(struct sc_type *t, const char *text);
/* Are the two types certainly the same database type? */
int sc_type_same(const struct sc_type *a, const char *atext,
		 const struct sc_type *b, const char *btext);
/* Can converting `from` to `to` lose data (DESIGN.md: SC208's error)? */
int sc_type_narrows(const struct sc_type *from, const struct sc_type *to);
/* Is `from` -> `to` a widening old code cannot notice (longer String,
 * String to Text)? */
int sc_type_widens_safely(const struct sc_type *from, const struct sc_type *to);
/* Does PostgreSQL convert family `from` to `to` in ALTER COLUMN TYPE
 * without USING (an implicit or assignment cast)? Same family: 1. */
int sc_pg_casts_automatically(enum sc_type_family from,
			      enum sc_type_family to);
/* The PostgreSQL name of a type for `col::name` casts into buf (n bytes);
 * returns buf, or NULL when there is no certain name. */
const char *sc_type_pg_name(const struct sc_type *t, char *buf, size_t n);

/*
 * Could upgrade() (downgrade != 0: downgrade()) of `u` do something the
 * op lists do not show? A conservative reading of the body's text (and
 * of the same-file functions it calls): a statement that calls something
 * not known to be harmless (an imported helper, an .execute() whose SQL
 * is not a literal, a session) makes it 1. Also 1 when the extraction
 * itself saw unknown calls in upgrade().
 */
int sc_body_has_unseen_calls(const struct sc_unit *u, int downgrade);

/*
 * Does upgrade() (downgrade != 0: downgrade()) of `u` hold a `raise`
 * statement at the top level of its body, so that it always fails (a
 * downgrade that refuses to run, whatever exception it raises)?
 */
int sc_body_raises(const struct sc_unit *u, int downgrade);

/* `s` on one line (whitespace runs collapsed), cut to `max` bytes with
 * "..." when longer (max 0: no limit); owned by the caller, NULL for NULL. */
char *sc_oneline(const char *s, size_t max);

/* Does the file hold a `# schemacheck: KEY=...` note? */
int sc_file_has_note(const struct sc_srcfile *f, const char *key);

/* Does the source at `loc` start with `prefix`? */
int sc_loc_starts_with(const struct sc_srcfile *f, const struct sc_loc *loc,
		       const char *prefix);

/*
 * The source of op's whole call on one line (whitespace runs collapsed),
 * with `kwarg` (may be NULL) added as the last argument; owned by the
 * caller. NULL when the call is not an op.* or batch_op.* call taken from
 * Python, or when it is longer than fits a help line.
 */
char *sc_op_call_with(const struct sc_srcfile *f, const struct sc_op *op,
		      const char *kwarg);

/* Does `sql` hold `word` as a whole word (ASCII case-insensitive)? */
int sc_sql_has_word(const char *sql, const char *word);
/* Does `sql` hold `a` followed later by `b`, both as words? */
int sc_sql_has_words(const char *sql, const char *a, const char *b);

/* "['a', 'b']" from op's index_cols, or "[...]" when one is not known
 * (owned by the caller). */
char *sc_op_cols_list(const struct sc_op *op);

/* Is a kwarg of `op` given as the literal True? */
int sc_op_kwarg_true(const struct sc_op *op, const char *name);

/*
 * Like sc_op_inverse_hint(), for every op kind SC103 judges; `before` (may
 * be NULL) supplies the types of dropped or altered columns.
 */
char *sc_op_inverse_hint_in(const struct sc_op *op,
			    const struct sc_schema *before);

/* ---- helpers of the model rules (SC402-SC405) ---- */

/*
 * A model column's type as Alembic code on one line (owned by the
 * caller): the expression as written ("sa.String(255)"), "sa.String()"
 * when only a Mapped[str] annotation gives it, "sa.<type>" otherwise.
 */
char *sc_model_type_code(const struct sc_column *c);

/* "op.add_column('users', sa.Column('email', sa.String(255)[, nullable=False]))"
 * for model column c of `table` (owned by the caller). */
char *sc_add_column_hint(const char *table, const struct sc_column *c);

#endif
