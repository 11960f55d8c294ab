/*
 * code.h: the facts of application code (SC404, DESIGN.md section 3):
 * the calls of one non-migration Python file that change the schema
 * directly: metadata.create_all()/drop_all(), Table.create()/drop() on a
 * table of the same file, and DDL text run through execute()/text().
 */
#ifndef SC_CODE_H
#define SC_CODE_H

#include <stddef.h>

#include "facts.h"
#include "pysrc.h"

/*
 * A cheap test on the text before parsing: could this file hold such a
 * call? 0 for files that cannot (and for Alembic migrations and env.py
 * files found outside the discovered script directories), 1 otherwise.
 */
int sc_code_prefilter(const char *data, size_t len);

/*
 * Extract the direct schema changes of a parsed file into *out, which the
 * caller owns (sc_codefile_free); 0 calls when there are none. Returns 0
 * (a file with syntax errors yields what could be read).
 */
int sc_code_extract(struct sc_codefile **out, const struct sc_pyfile *pf);

#endif
