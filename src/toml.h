/*
 * toml.h: reading TOML (configuration files: pyproject.toml,
 * .schemacheck.toml) into a tree of tables, arrays and scalars, with the
 * line of every key for error messages. Parsing is done by the
 * tree-sitter TOML grammar (@tree-sitter-grammars/tree-sitter-toml 0.7.0);
 * this file only walks its tree.
 */
#ifndef SC_TOML_H
#define SC_TOML_H

#include <stddef.h>

struct sc_namemap;

enum sc_toml_type {
	SC_TOML_TABLE = 0, SC_TOML_ARRAY, SC_TOML_STRING, SC_TOML_INTEGER,
	SC_TOML_BOOLEAN, SC_TOML_OTHER, /* float, dates */
};

struct sc_toml {
	enum sc_toml_type type;
	unsigned line;          /* 1-based line where the key (or item) is */
	char *key;              /* name within the parent table; NULL for array items */
	char *str;              /* SC_TOML_STRING: the unescaped value */
	long long num;          /* SC_TOML_INTEGER */
	int boolean;            /* SC_TOML_BOOLEAN */
	struct sc_toml **kids;  /* table members in file order, or array items */
	size_t n, alloc;
	struct sc_namemap *index; /* tables with many members: key -> kids[i] */
};

/*
 * Parse `text` (length len). Returns 0 and *out (the root table, owned by
 * the caller: sc_toml_free), or -1 with sc_error_set("line N: ...") for a
 * syntax error or a key defined twice.
 */
int sc_toml_parse(struct sc_toml **out, const char *text, size_t len);
void sc_toml_free(struct sc_toml *t);

/* A direct member of a table (borrowed), or NULL. */
const struct sc_toml *sc_toml_get(const struct sc_toml *table, const char *key);
/* A nested table or value by dotted path ("tool.schemacheck"), or NULL. */
const struct sc_toml *sc_toml_path(const struct sc_toml *root, const char *path);
/* "a table", "a string", ... for messages. */
const char *sc_toml_type_name(enum sc_toml_type t);

#endif
