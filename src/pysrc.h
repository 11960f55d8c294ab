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
 * mismatch). A syntax error or an oversized file is not a failure.
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
 * Literal evaluation. Each returns 1 and sets *out when the node is (or
 * resolves through a module-level constant to) such a literal, else 0.
 * Strings: plain/concatenated string literals without interpolation; the
 * result is owned by the caller.
 */
int sc_eval_string(const struct sc_pyfile *pf, TSNode n, char **out);
int sc_eval_bool(const struct sc_pyfile *pf, TSNode n, int *out);
int sc_eval_int(const struct sc_pyfile *pf, TSNode n, long *out);
int sc_is_none(const struct sc_pyfile *pf, TSNode n);
/*
 * A string, or a tuple/list of strings, or None (0 items). Returns 1 and
 * sets *out/*n (caller frees each string and the array) when every item is
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

#endif
