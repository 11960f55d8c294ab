/*
 * factser.h: the facts of one file version (facts.h) as bytes and back,
 * for the persistent cache (cache.c). The encoding is private to this
 * build: the cache stores it under an id of the extraction sources, so a
 * changed extractor never reads an old encoding.
 */
#ifndef SC_FACTSER_H
#define SC_FACTSER_H

#include <stddef.h>

#include "facts.h"
#include "util.h"

/*
 * Append the parse facts of `file` (syntax error, its location and
 * message, comments; not the path nor the text) and whichever of `mig`,
 * `models`, `code` is not NULL to `out`.
 */
void sc_factser_put(struct sc_buf *out, const struct sc_srcfile *file,
		    const struct sc_migration *mig,
		    const struct sc_modelfile *models,
		    const struct sc_codefile *code);

/*
 * Decode `n` bytes made by sc_factser_put: the parse facts go into `file`
 * (whose path and text the caller set; its parse facts must be empty),
 * the rest into *mig, *models, *code (each owned by the caller, NULL when
 * absent). Returns 0, or -1 when the bytes are not a valid encoding (then
 * nothing is allocated and `file` is as it was): a corrupt cache entry.
 */
int sc_factser_get(const void *data, size_t n, struct sc_srcfile *file,
		   struct sc_migration **mig, struct sc_modelfile **models,
		   struct sc_codefile **code);

#endif
