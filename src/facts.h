/*
 * facts.h: what schemacheck knows about one Python file version, extracted
 * once from its text and independent of every other file (so facts can be
 * cached by blob id). Rules read facts, never tree-sitter nodes or libgit2.
 *
 * Ownership: every struct here owns its strings and arrays; the matching
 * sc_*_free() releases them. A NULL string means "present but not
 * resolvable to a literal" unless the field's comment says otherwise.
 */
#ifndef SC_FACTS_H
#define SC_FACTS_H

#include <stddef.h>

/* A span of source: 0-based rows and byte columns (tree-sitter's). */
struct sc_loc {
	unsigned row, col;
	unsigned end_row, end_col;
};

enum sc_tri { SC_UNKNOWN = -1, SC_NO = 0, SC_YES = 1 };

/* A comment token, for suppressions (`# schemacheck: ignore[...]`). */
struct sc_comment {
	unsigned row, col;  /* where the `#` is */
	int own_line;       /* nothing but whitespace before it on its line */
	char *text;         /* the comment including `#`; owned */
};

/* A file's text and the parse facts every rule may need. */
struct sc_srcfile {
	char *path;             /* repo-relative, '/'-separated; owned */
	char *data;             /* owned, NUL-terminated copy of the text */
	size_t len;
	int syntax_error;       /* the file did not parse (or was too big) */
	struct sc_loc error_loc;
	char *error_msg;        /* short reason for SC001; owned, may be NULL */
	struct sc_comment *comments;
	size_t n_comments;
};

/* Families of column types, for comparing models with migrations. */
enum sc_type_family {
	SC_TYPE_UNKNOWN = 0, SC_TYPE_INTEGER, SC_TYPE_FLOAT, SC_TYPE_NUMERIC,
	SC_TYPE_STRING, SC_TYPE_TEXT, SC_TYPE_BOOLEAN, SC_TYPE_DATE,
	SC_TYPE_DATETIME, SC_TYPE_TIME, SC_TYPE_INTERVAL, SC_TYPE_BINARY,
	SC_TYPE_JSON, SC_TYPE_ENUM, SC_TYPE_UUID, SC_TYPE_ARRAY, SC_TYPE_OTHER,
};

/* A column as written in sa.Column(...)/mapped_column(...). */
struct sc_column {
	char *name;             /* NULL when not resolvable */
	char *type;             /* type expression as written, e.g. "sa.String(100)"; NULL if none */
	char *type_name;        /* last dotted part without call, e.g. "String"; NULL if none */
	enum sc_type_family family;
	long type_length;       /* first integer argument of the type (String(100)), or -1 */
	enum sc_tri nullable;   /* as declared by nullable=; SC_UNKNOWN when absent or not literal */
	int primary_key;        /* primary_key=True */
	int unique;             /* unique=True */
	int index;              /* index=True */
	int has_server_default; /* server_default= given with a non-None value (any form) */
	char *server_default;   /* that value's expression as written, or NULL */
	int has_default;        /* default= given (Python-side; not a DB default) */
	int has_foreign_key;    /* a sa.ForeignKey(...) argument */
	struct sc_loc loc;      /* the Column(...) call */
	int type_from_annotation; /* models: the type is only the Mapped[...]
				   * annotation's Python type (the project's
				   * type_annotation_map may say otherwise) */
};

/* Effective nullability of a column: nullable= wins, else NOT NULL for a
 * primary key, else nullable (SQLAlchemy's default). */
int sc_column_is_nullable(const struct sc_column *c);

/* Kinds of table-level indexes and constraints. */
enum sc_cons_kind {
	SC_CONS_OTHER = 0,      /* exclude constraints, SQL not read further */
	SC_CONS_INDEX,          /* Index(...), create_index, CREATE INDEX */
	SC_CONS_UNIQUE,         /* UniqueConstraint(...), create_unique_constraint */
	SC_CONS_PRIMARY_KEY,
	SC_CONS_FOREIGN_KEY,
	SC_CONS_CHECK,
};

/*
 * An index or constraint declared apart from its columns: inline in
 * op.create_table(...)/CREATE TABLE, in a model's __table_args__ or
 * Table(...), or a module-level Index(...) of a model file.
 */
struct sc_constraint {
	enum sc_cons_kind kind;
	int unique;             /* an index with unique=True (always 1 for SC_CONS_UNIQUE) */
	char *name;             /* NULL when unnamed or not resolvable */
	int name_unresolved;    /* a name was given but is not a literal */
	char **cols;            /* column names; NULL entries for expressions
				 * or names that do not resolve */
	size_t n_cols;
	int cols_unresolved;    /* the column list itself could not be read */
	struct sc_loc loc;      /* the call (or the statement for SQL) */
};

void sc_constraint_release(struct sc_constraint *c);

enum sc_op_kind {
	SC_OP_OTHER = 0,        /* any other op.* call (fn says which) */
	SC_OP_CREATE_TABLE,
	SC_OP_DROP_TABLE,
	SC_OP_RENAME_TABLE,
	SC_OP_ADD_COLUMN,
	SC_OP_DROP_COLUMN,
	SC_OP_ALTER_COLUMN,
	SC_OP_CREATE_INDEX,
	SC_OP_DROP_INDEX,
	SC_OP_CREATE_CONSTRAINT, /* create_unique/foreign_key/check/primary_key/exclude_constraint */
	SC_OP_DROP_CONSTRAINT,
	SC_OP_EXECUTE,          /* op.execute(...) and connection.execute(...) with SQL text */
	SC_OP_BULK_INSERT,
};

enum sc_op_flags {
	SC_OPF_CONDITIONAL = 1 << 0, /* inside an if/try/loop/with other than batch: possibly applied */
	SC_OPF_BATCH = 1 << 1,       /* a batch_op.* call inside `with op.batch_alter_table(...)` */
	SC_OPF_UNCERTAIN = 1 << 2,   /* a table or column name could not be resolved */
	SC_OPF_LOOP = 1 << 3,        /* inside a for/while loop */
	/* added by migration.c: inside `with op.get_context().autocommit_block():`
	 * (not conditional; SC211 wants CREATE INDEX CONCURRENTLY there) */
	SC_OPF_AUTOCOMMIT = 1 << 4,
};

/* A keyword argument as written (value is the source text). */
struct sc_kwarg {
	char *name;
	char *value;
};

/* One schema operation in upgrade() or downgrade(). */
struct sc_op {
	enum sc_op_kind kind;
	char *fn;               /* the method name as called, e.g. "add_column" */
	unsigned flags;         /* enum sc_op_flags */
	char *table;            /* target table (the batch's table for batch_op); NULL if unresolved/absent */
	char *column;           /* drop_column/alter_column column; add_column: the new column's name */
	char *new_name;         /* rename_table new name; alter_column new_column_name */
	char *name;             /* index/constraint name; NULL if none/unresolved */
	struct sc_column *cols; /* create_table columns; add_column's one column */
	size_t n_cols;
	char **index_cols;      /* create_index / create_*_constraint column names (NULL entries when not literal) */
	size_t n_index_cols;
	int unique;             /* create_index(unique=True) */
	/* alter_column */
	enum sc_tri nullable;   /* nullable= given: SC_YES/SC_NO; else SC_UNKNOWN */
	int has_type;           /* type_= given */
	char *type;             /* type_ text */
	int has_server_default; /* server_default= given */
	int server_default_none;/* server_default=None (dropping the default) */
	char *sql;              /* execute: the SQL literal text; NULL if not a literal */
	struct sc_kwarg *kwargs;
	size_t n_kwargs;
	struct sc_loc loc;      /* the callee, e.g. `op.add_column` */
	struct sc_loc call_loc; /* the whole call */
	/* create_table: its inline indexes and constraints (sa.Index,
	 * sa.UniqueConstraint, ... and the table-level clauses of CREATE
	 * TABLE); column-level index=/unique= stay on the columns */
	struct sc_constraint *cons;
	size_t n_cons;
};

/* Find a keyword argument of an op by name (borrowed), or NULL. */
const struct sc_kwarg *sc_op_kwarg(const struct sc_op *op, const char *name);

/* What a body (upgrade/downgrade) is made of. */
enum sc_body_kind {
	SC_BODY_ABSENT = 0,  /* no such function */
	SC_BODY_EMPTY,       /* only pass / ... / docstring / raise NotImplementedError */
	SC_BODY_CODE,        /* anything else */
};

/* The facts of one migration file. */
struct sc_migration {
	/* revision header (module-level assignments) */
	int has_revision;            /* a `revision = ...` assignment exists */
	char *revision;              /* its literal value; NULL if not a string */
	struct sc_loc revision_loc;
	int has_down_revision;       /* a `down_revision = ...` assignment exists */
	char **down_revisions;       /* None -> 0 entries; string -> 1; tuple -> n */
	size_t n_down_revisions;
	int down_revision_unresolved;/* value was not None/string/tuple of strings */
	struct sc_loc down_revision_loc;
	char **branch_labels;
	size_t n_branch_labels;
	char **depends_on;
	size_t n_depends_on;
	char *doc_revision_id;       /* docstring "Revision ID: x"; NULL if absent */
	char *doc_revises;           /* docstring "Revises: x"; NULL if absent */
	struct sc_loc doc_loc;

	enum sc_body_kind upgrade_kind, downgrade_kind;
	struct sc_loc upgrade_loc, downgrade_loc;  /* the function names */
	struct sc_op *up;            /* ops in upgrade(), in source order */
	size_t n_up;
	struct sc_op *down;          /* ops in downgrade() */
	size_t n_down;
	int up_has_unknown_calls;    /* upgrade calls helpers we cannot see into */

	char **imports;              /* dotted module names imported (for SC405) */
	size_t n_imports;
	/* `from a.b import c [as d]` (outside alembic): "a.b.c", which is a
	 * module when c is one (`from app import models`; for SC405) */
	char **from_imports;
	size_t n_from_imports;
};

/* A table declared by a model (declarative class or Core Table). */
struct sc_model_table {
	char *name;                 /* NULL when __tablename__ is not resolvable */
	char *class_name;           /* NULL for Core Table(...) */
	int uncertain;              /* columns may be incomplete (mixins, dynamic code) */
	struct sc_column *cols;
	size_t n_cols;
	struct sc_loc loc;          /* __tablename__ assignment or the Table(...) call */
	/* table-level indexes and constraints: __table_args__, Index(...)
	 * and constraints inside Table(...), module-level Index(Model.col);
	 * column-level index=/unique= stay on the columns */
	struct sc_constraint *cons;
	size_t n_cons;
	int cons_uncertain;         /* some may be missing (a __table_args__
				     * that is not a literal tuple/dict, a
				     * declared_attr, a mixin of another module) */
};

/* The facts of one model file. */
struct sc_modelfile {
	struct sc_model_table *tables;
	size_t n_tables;
};

/* What a direct schema change in application code does (SC404). */
enum sc_code_kind {
	SC_CODE_CREATE_ALL = 1,  /* metadata.create_all(), db.create_all() */
	SC_CODE_DROP_ALL,        /* metadata.drop_all(), db.drop_all() */
	SC_CODE_CREATE,          /* users_table.create(), Model.__table__.create(), Index(...).create() */
	SC_CODE_DROP,            /* the same with .drop() */
	SC_CODE_DDL,             /* execute("CREATE TABLE ..."), text("ALTER TABLE ...") */
};

/* One call of application code that changes the schema (code.c). */
struct sc_codecall {
	enum sc_code_kind kind;
	char *call;             /* the callee as written on one line,
				 * e.g. "Base.metadata.create_all"; owned */
	char *table;            /* the table it makes or changes, when known; owned */
	char *what;             /* SC_CODE_DDL: the statement's kind, e.g.
				 * "CREATE TABLE"; SC_CODE_CREATE/DROP:
				 * "table" or "index"; owned */
	struct sc_loc loc;      /* the callee */
};

/* The facts of one application code file (SC404). */
struct sc_codefile {
	struct sc_codecall *calls;
	size_t n_calls;
};

void sc_srcfile_free(struct sc_srcfile *f);
void sc_column_release(struct sc_column *c);
void sc_op_release(struct sc_op *op);
void sc_migration_free(struct sc_migration *m);
void sc_modelfile_free(struct sc_modelfile *m);
void sc_codefile_free(struct sc_codefile *c);

#endif
