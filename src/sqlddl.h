/*
 * sqlddl.h: the simple DDL that migrations run as text through
 * op.execute("..."), turned into the same sc_op facts that op.* calls
 * give, so the replay treats both alike. Understood: CREATE TABLE (with
 * its column list), DROP TABLE, ALTER TABLE ADD/DROP/RENAME COLUMN,
 * ALTER TABLE RENAME TO, ALTER COLUMN SET/DROP NOT NULL, CREATE/DROP
 * INDEX. Anything else that looks like DDL is reported as not understood.
 */
#ifndef SC_SQLDDL_H
#define SC_SQLDDL_H

#include <stddef.h>

#include "facts.h"

/*
 * Parse `sql` into ops appended to *ops and *n (the caller owns them: release
 * each with sc_op_release, then free the array). Each op gets `flags` and
 * `loc`. *unknown_ddl is set to 1 when a statement starting with CREATE,
 * ALTER, DROP, RENAME or TRUNCATE was not understood; *unknown_table is
 * then the table it names when that much could be read (owned by the
 * caller, or NULL).
 */
void sc_sqlddl_parse(const char *sql, unsigned flags, const struct sc_loc *loc,
		     struct sc_op **ops, size_t *n, int *unknown_ddl,
		     char **unknown_table);

#endif
