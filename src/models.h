/*
 * models.h: the facts of one SQLAlchemy model file: the tables its
 * declarative classes (Column/mapped_column/Mapped[...] attributes, mixins
 * of the same file, single-table inheritance) and its Core Table(...)
 * calls declare, with their columns and their table-level indexes and
 * constraints (__table_args__, Index(...) in Table(...), module-level
 * Index(...)).
 */
#ifndef SC_MODELS_H
#define SC_MODELS_H

#include "facts.h"
#include "pysrc.h"

/*
 * Extract the tables of a parsed model file into *out, which the caller
 * owns (sc_modelfile_free); 0 tables when the file declares none. A file
 * with syntax errors (or not parsed at all) yields what could be
 * extracted. Returns 0, or -1 with sc_error_set() on an internal failure.
 */
int sc_models_extract(struct sc_modelfile **out, const struct sc_pyfile *pf);

#endif
