/*
 * migration.h: the facts of one Alembic migration file: the revision
 * header (revision, down_revision, branch_labels, depends_on, the
 * docstring's Revision ID/Revises lines), what upgrade() and downgrade()
 * are made of, their schema operations in source order (helpers of the
 * same file inlined), and the modules the file imports.
 */
#ifndef SC_MIGRATION_H
#define SC_MIGRATION_H

#include "facts.h"
#include "pysrc.h"

/*
 * Extract the facts of a parsed migration into *out, which the caller owns
 * (sc_migration_free). A file with syntax errors (or one that was not
 * parsed at all) still yields whatever could be extracted. Returns 0, or
 * -1 with sc_error_set() on an internal failure (*out is then NULL).
 */
int sc_migration_extract(struct sc_migration **out, const struct sc_pyfile *pf);

#endif
