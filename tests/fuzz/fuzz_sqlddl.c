/*
 * fuzz_sqlddl.c: the DDL parser for op.execute("...") text. The input is
 * the SQL string (a NUL ends it, as in the C string the extractor makes).
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "sqlddl.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct sc_loc loc = { 3, 4, 3, 40 };
	char *sql = sc_xstrndup((const char *)data, size);
	struct sc_op *ops = NULL;
	char *table = NULL;
	size_t i, n = 0;
	int unknown = 0;

	sc_sqlddl_parse(sql, SC_OPF_CONDITIONAL, &loc, &ops, &n, &unknown,
			&table);
	for (i = 0; i < n; i++)
		sc_op_release(&ops[i]);
	free(ops);
	free(table);
	free(sql);
	return 0;
}
