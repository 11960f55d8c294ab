/*
 * pysrc.h: tree-sitter Python for schemacheck: parsing one file, node text
 * and location helpers, and literal evaluation (strings, numbers, booleans,
 * None, tuples/lists of strings, and module-level string constants).
 *
 * Only pysrc.c, migration.c and models.c include tree-sitter; everything
 * past them works on facts.h.
 */
#ifndef SC_PYSRC_H
#define SC_PYSRC_H

#include <stddef.h>
#include <tree_sitter/api.h>

#include "facts.h"

/* Files larger than this are not parsed; they get SC001. */
#define SC_MAX_PARSE_SIZE (8u << 20)

/* A module-level constant: NAME = "string". */
struct sc_pyconst {
	char *name;
	char *value;
};

/*
 * A parsed Python file. Owns its tree and the constants table; borrows the
 * text from `file`, which must outlive it.
 */
struct sc_pyfile {
	const struct sc_srcfile *file;
	TSTree *tree;               /* NULL if the file was too big to parse */
	struct sc_pyconst *consts;
	size_t n_consts;
};

/*
 * Build a srcfile from a path and text (both copied): the caller owns *out
 * (sc_srcfile_free). Does not parse.
 */
struct sc_srcfile *sc_srcfile_new(const char *path, const char *data, size_t len);

/*
 * Parse `file` into *out (owned by the caller; sc_pyfile_free). Also fills
 * file->syntax_error/error_loc/error_msg and file->comments. Returns 0, or
 * -1 with sc_error_set() when the parser cannot be set up at all (an ABI
 * mismatch). A syntax error or an oversized file is not a failure; nor is
 * a text that would break tree-sitter (tsguard.h), which gets a syntax
 * error without being parsed. Either way (*out)->tree may be NULL.
 */
int sc_pyfile_parse(struct sc_pyfile **out, struct sc_srcfile *file);
void sc_pyfile_free(struct sc_pyfile *pf);

/* Release the thread's cached parser (call before exit for leak checks). */
void sc_pysrc_shutdown(void);

/* Text of a node (borrowed pointer into file->data, length in *len). */
const char *sc_node_text(const struct sc_pyfile *pf, TSNode n, size_t *len);
/* Does the node's text equal `s`? */
int sc_node_text_is(const struct sc_pyfile *pf, TSNode n, const char *s);
/* Copy of the node's text (owned by the caller). */
char *sc_node_strdup(const struct sc_pyfile *pf, TSNode n);
struct sc_loc sc_node_loc(TSNode n);
int sc_node_is(TSNode n, const char *type);
/*
 * ts_node_child_by_field_name and ts_node_named_child for a node that may
 * be null (absent, as an optional field often is): tree-sitter 0.20.7
 * dereferences a null node and crashes; these return a null node.
 */
TSNode sc_node_field(TSNode n, const char *field);
TSNode sc_node_named_child(TSNode n, uint32_t index);

/*
 * One step of a preorder walk with a cursor: into the current node's
 * first child when `descend` (and it has one), else to the next node
 * after the current one's subtree. 0 when the walk has left the node the
 * cursor was made on.
 */
int sc_cursor_next(TSTreeCursor *c, int descend);

/*
 * Literal evaluation. Each returns 1 and sets *out when the node is (or
 * resolves through a module-level constant to) such a literal, else 0.
 * Strings: plain/concatenated string literals without interpolation, and
 * `+` of those and of constants ('ix_' + TABLE); the result is owned by the
 * caller.
 */
int sc_eval_string(const struct sc_pyfile *pf, TSNode n, char **out);
int sc_eval_bool(const struct sc_pyfile *pf, TSNode n, int *out);
int sc_eval_int(const struct sc_pyfile *pf, TSNode n, long *out);
int sc_is_none(const struct sc_pyfile *pf, TSNode n);
/*
 * A string, or a tuple/list of strings, or None (0 items). Returns 1 and
 * sets *out and *n (caller frees each string and the array) when every item is
 * a literal; 0 otherwise.
 */
int sc_eval_string_list(const struct sc_pyfile *pf, TSNode n, char ***out, size_t *n_out);
/* The value of a module-level string constant, or NULL (borrowed). */
const char *sc_pyfile_const(const struct sc_pyfile *pf, const char *name, size_t len);

/*
 * Call helpers: for a `call` node, the callee (`function` field), and an
 * argument by position (counting only positional arguments) or by keyword
 * name; a null node (ts_node_is_null) when absent.
 */
TSNode sc_call_function(TSNode call);
TSNode sc_call_positional(TSNode call, unsigned index);
TSNode sc_call_keyword(const struct sc_pyfile *pf, TSNode call, const char *name);
unsigned sc_call_n_positional(TSNode call);

/*
 * Iterating over the named children of a node, comments skipped, with a
 * tree cursor (ts_node_named_child is linear in the index on 0.20.7, so a
 * loop over it is quadratic on wide nodes such as a module). Every
 * sc_children_init must be paired with sc_children_release.
 */
struct sc_children {
	TSTreeCursor cur;
	int state;              /* 0 before the first child, 1 inside, 2 done */
};
void sc_children_init(struct sc_children *it, TSNode parent);
/* The next named, non-comment child in *out; 0 when there is none. */
int sc_children_next(struct sc_children *it, TSNode *out);
void sc_children_release(struct sc_children *it);

/* Does the call have a `*args` or `**kwargs` argument? */
int sc_call_has_splat(TSNode call);

/*
 * The last dotted part of an expression naming something: `x` for the
 * identifier x, `c` for the attribute a.b.c, and the same for a call's
 * callee (sa.String(100) -> "String"). Borrowed pointer into the file's
 * text with its length in *len; NULL when the node is something else.
 */
const char *sc_node_last_name(const struct sc_pyfile *pf, TSNode n, size_t *len);
/* Does sc_node_last_name(n) equal `s`? */
int sc_node_last_name_is(const struct sc_pyfile *pf, TSNode n, const char *s);

/* The type family of an SQLAlchemy type name such as "String" or "BIGINT". */
enum sc_type_family sc_type_family_from_name(const char *name, size_t len);

/*
 * Fill *col (which the caller has zeroed; release with sc_column_release)
 * from a Column(...)/mapped_column(...) call: name (first positional string
 * or name=; NULL when absent or not a literal, and *name_state says which:
 * 0 absent, 1 literal, 2 present but not resolvable; name_state may be
 * NULL), type, nullable=, primary_key/unique/index, server_default=,
 * default=, ForeignKey. Strings are owned by *col.
 */
void sc_column_from_call(const struct sc_pyfile *pf, TSNode call,
			 struct sc_column *col, int *name_state);

/*
 * A hash map from names (borrowed byte strings, usually slices of the
 * file's text, which must outlive it) to indexes, so that name lookups stay
 * cheap on files with tens of thousands of definitions. Initialise with
 * SC_NAMEMAP_INIT; sc_namemap_release frees it.
 */
struct sc_namemap {
	struct sc_namemap_entry {
		const char *name;
		size_t len;
		size_t value;
	} *v;
	size_t cap, n;
};
#define SC_NAMEMAP_INIT { NULL, 0, 0 }
/* Map name to value, replacing an earlier value of the same name. */
void sc_namemap_put(struct sc_namemap *m, const char *name, size_t len,
		    size_t value);
/* 1 and *value when the name is there, else 0. */
int sc_namemap_get(const struct sc_namemap *m, const char *name, size_t len,
		   size_t *value);
void sc_namemap_release(struct sc_namemap *m);

#endif
