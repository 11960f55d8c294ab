/*
 * fuzz_models.c: model extraction. The input is a Python model file:
 * srcfile -> tree-sitter parse -> sc_models_extract -> free.
 */
#include "fuzz.h"

#include "facts.h"
#include "models.h"
#include "pysrc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_srcfile *f;
	struct sc_pyfile *pf = NULL;
	struct sc_modelfile *mf = NULL;
	size_t i, j, n = 0;

	f = sc_srcfile_new("app/models.py", (const char *)data, size);
	if (sc_pyfile_parse(&pf, f) == 0 && sc_models_extract(&mf, pf) == 0 &&
	    mf) {
		/* touch every fact, so a bad pointer shows up here */
		for (i = 0; i < mf->n_tables; i++)
			for (j = 0; j < mf->tables[i].n_cols; j++)
				n += (size_t)sc_column_is_nullable(
					&mf->tables[i].cols[j]);
	}
	(void)n;
	sc_modelfile_free(mf);
	sc_pyfile_free(pf);
	sc_srcfile_free(f);
	return 0;
}
