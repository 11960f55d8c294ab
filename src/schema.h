/*
 * schema.h: the database schema that replaying every migration's
 * upgrade() in revision-graph order produces (DESIGN.md section 5):
 * tables, columns (type and family, nullability, server default, primary
 * key), indexes and constraints. Tables remember which migration created
 * them. What the replay cannot know for sure is marked uncertain (the
 * schema, a table, a table's indexes), and rules that depend on it stay
 * silent. A migration that calls helpers we cannot see into makes every
 * table that exists at that point uncertain, and the schema too (the
 * helper may have created tables); tables created afterwards are known.
 *
 * Ownership: a struct sc_schema owns its tables, their columns and
 * indexes, and all their strings; `created_by` pointers are borrowed
 * from the analysis' units.
 */
#ifndef SC_SCHEMA_H
#define SC_SCHEMA_H

#include <stddef.h>

#include "engine.h"
#include "facts.h"
#include "revgraph.h"

struct sc_scolumn {
	char *name;
	char *type;                  /* as written, or NULL */
	enum sc_type_family family;
	long type_length;
	enum sc_tri nullable;        /* effective; SC_UNKNOWN when not known */
	int has_server_default;
	int primary_key;
	int unique;
	int stated;                  /* stated whole (create_table, add_column)
				      * since its table last became uncertain:
				      * known even when the table is not */
};

/*
 * An index or constraint of a replayed table: op.create_index, the
 * create_*_constraint ops, inline sa.Index/sa.*Constraint of create_table,
 * Column(index=True) (named ix_<table>_<column>, SQLAlchemy's default) and
 * Column(unique=True) (an unnamed UNIQUE), and CREATE INDEX / ADD
 * CONSTRAINT in op.execute() SQL.
 */
struct sc_sindex {
	enum sc_cons_kind kind;      /* SC_CONS_INDEX, SC_CONS_UNIQUE, ... */
	int unique;                  /* a unique index, a UNIQUE or PRIMARY KEY */
	char *name;                  /* NULL when unnamed (the database names it) */
	char **cols;                 /* NULL entries: expressions */
	size_t n_cols;
	const struct sc_unit *created_by; /* borrowed */
};

struct sc_stable {
	char *name;
	struct sc_scolumn *cols;
	size_t n_cols;
	int uncertain;               /* its columns may be incomplete or wrong
				      * (but those `stated` are known) */
	int conditional;             /* created by a possibly-applied op */
	const struct sc_unit *created_by; /* borrowed; NULL when implied */
	struct sc_sindex *indexes;   /* its indexes and constraints */
	size_t n_indexes;
	int indexes_uncertain;       /* they may be incomplete or wrong (a drop
				      * by a name not known, an index on
				      * columns that do not resolve) */
};

struct sc_schema {
	struct sc_stable *tables;
	size_t n_tables;
	int uncertain;               /* a table the replay does not know may
				      * exist (an unresolved create_table,
				      * opaque DDL, a helper we cannot see
				      * into); the tables that existed when
				      * such an op ran are marked uncertain
				      * themselves */
	int implied_tables;          /* ops touched tables no migration created:
				      * the history starts from a schema made
				      * elsewhere (create_all, another project) */
};

/*
 * Replay the upgrade() of every migration of `g` in its order. *out is
 * owned by the caller (sc_schema_free).
 */
void sc_schema_replay(struct sc_schema **out, const struct sc_revgraph *g);
void sc_schema_free(struct sc_schema *s);

/*
 * Apply one op to the schema (exported for tests and for rules that replay
 * a single migration). `unit` is the migration it comes from.
 */
void sc_schema_apply(struct sc_schema *s, const struct sc_op *op,
		     const struct sc_unit *unit);

/* Lookups (borrowed results, NULL when absent). Names compare exactly. */
struct sc_stable *sc_schema_table(const struct sc_schema *s, const char *name);
struct sc_scolumn *sc_schema_column(const struct sc_stable *t, const char *name);

/*
 * What indexes table `t` has on exactly the one column `col` (any name):
 * SC_IDX_INDEX when an index (unique or not) covers exactly it,
 * SC_IDX_UNIQUE when a unique index or UNIQUE constraint does (a
 * PRIMARY KEY does not count). Or-ed flags; 0 for none.
 */
#define SC_IDX_INDEX 1
#define SC_IDX_UNIQUE 2
int sc_stable_indexed(const struct sc_stable *t, const char *col);

/* The family of a type written as text: "sa.String(50)", "postgresql.ENUM(...)",
 * "varchar" (SQL); SC_TYPE_UNKNOWN for NULL, SC_TYPE_OTHER when not known. */
enum sc_type_family sc_type_family_of_text(const char *type);

#endif
