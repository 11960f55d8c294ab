/*
 * tsguard.h: what must never be handed to Debian's tree-sitter 0.20.7.
 *
 * That runtime keeps a node's number of direct children in 16 bits
 * (SubtreeHeapData.child_count is a uint16_t there), while the children
 * array is allocated for the true number. A node with more than 65,535
 * direct children gets a truncated count, and freeing it frees an address
 * inside the array: heap corruption ("free(): invalid size", "double free
 * or corruption", "munmap_chunk(): invalid pointer"). Such nodes come from
 * the parse stack: error recovery flushes every entry of a stack into one
 * ERROR node (65,533 unclosed '(' do it), and a run of 65,534 comments
 * between two tokens becomes 65,534 siblings.
 *
 * These pre-scans run on the text before the parser and over-estimate how
 * many entries the parse stack can hold at once; a text whose estimate is
 * above the limit is refused (SC001 for Python, a configuration error for
 * TOML) without being parsed. The estimate is generous: it counts what
 * stays open (brackets, prefix operators, pending assignments, comments,
 * enclosing blocks) and lets what the grammar reduces as it goes (commas
 * in brackets, chains of one binary operator, adjacent strings, calls and
 * attributes) collapse, so ordinary code, however long, is never refused.
 */
#ifndef SC_TSGUARD_H
#define SC_TSGUARD_H

#include <stddef.h>

/* Estimated parse-stack entries above which Python is not parsed. */
#define SC_TSGUARD_MAX_STACK 60000u
/* Nesting of TOML arrays and inline tables above which TOML is refused. */
#define SC_TSGUARD_MAX_TOML_DEPTH 128u

/*
 * Python source `text` (len bytes). Returns 0 when it is safe to parse;
 * -1 when not, with *off the byte offset to report (the outermost
 * bracket left open, or where the limit was passed) and *msg a message
 * for SC001 (owned by the caller: free). Never fails otherwise.
 */
int sc_tsguard_python(const char *text, size_t len, size_t *off, char **msg);

/*
 * TOML `text`: the same for the TOML grammar, whose stack only grows
 * with nested arrays and inline tables. *msg is owned by the caller.
 */
int sc_tsguard_toml(const char *text, size_t len, size_t *off, char **msg);

#endif
