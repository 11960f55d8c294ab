/*
 * fuzz_migration.c: migration extraction. The input is a Python file in
 * a versions folder: srcfile -> tree-sitter parse -> sc_migration_extract
 * -> free, and the SQL of each op.execute(...) through sc_sqlddl_parse as
 * the schema replay would.
 */
#include "fuzz.h"

#include <stdlib.h>

#include "facts.h"
#include "migration.h"
#include "pysrc.h"
#include "sqlddl.h"

static void replay_sql(const struct sc_op *ops, size_t n)
{
	size_t i, j, n_ddl;
	struct sc_op *ddl;
	char *table;
	int unknown;

	for (i = 0; i < n; i++) {
		if (!ops[i].sql)
			continue;
		ddl = NULL;
		n_ddl = 0;
		unknown = 0;
		table = NULL;
		sc_sqlddl_parse(ops[i].sql, ops[i].flags, &ops[i].loc, &ddl,
				&n_ddl, &unknown, &table);
		for (j = 0; j < n_ddl; j++)
			sc_op_release(&ddl[j]);
		free(ddl);
		free(table);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_srcfile *f;
	struct sc_pyfile *pf = NULL;
	struct sc_migration *m = NULL;

	f = sc_srcfile_new("migrations/versions/fuzz.py", (const char *)data,
			   size);
	if (sc_pyfile_parse(&pf, f) == 0 &&
	    sc_migration_extract(&m, pf) == 0 && m) {
		replay_sql(m->up, m->n_up);
		replay_sql(m->down, m->n_down);
	}
	sc_migration_free(m);
	sc_pyfile_free(pf);
	sc_srcfile_free(f);
	return 0;
}
