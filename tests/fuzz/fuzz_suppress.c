/*
 * fuzz_suppress.c: suppression comments. The input is the text of a
 * Python file; every `#` starts a comment to the end of its line (as the
 * tokenizer would give them, minus strings), so the suppression parser
 * sees arbitrary comment text quickly. Diagnostics of rules picked from
 * the input are placed on the lines around each comment, on a span over
 * several lines, past the end of the file and in a second file; then
 * sc_diags_suppress (with SC002 for unused ones, and with and without an
 * `enabled` mask) and sc_diags_sort run over them.
 */
#include "fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "facts.h"
#include "pysrc.h"
#include "rule.h"
#include "util.h"

#define MAX_COMMENTS 256

static void add_comments(struct sc_srcfile *f)
{
	const char *p = f->data, *end = f->data + f->len, *nl, *hash, *q;
	unsigned row = 0;
	size_t alloc = 0;

	while (p < end && f->n_comments < MAX_COMMENTS) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		hash = memchr(p, '#', (size_t)(nl - p));
		if (hash) {
			struct sc_comment *c;
			size_t len = (size_t)(nl - hash);

			if (len && hash[len - 1] == '\r')
				len--;
			SC_ALLOC_GROW(f->comments, f->n_comments + 1, alloc);
			c = &f->comments[f->n_comments++];
			c->row = row;
			c->col = (unsigned)(hash - p);
			c->own_line = 1;
			for (q = p; q < hash; q++)
				if (*q != ' ' && *q != '\t')
					c->own_line = 0;
			c->text = sc_xstrndup(hash, len);
		}
		p = nl + 1;
		row++;
	}
}

static const struct sc_rule *pick(const uint8_t *data, size_t size, size_t i)
{
	unsigned k = size ? data[i % size] : 0;

	return sc_rules[(k + i) % sc_n_rules];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_diags ds = SC_DIAGS_INIT;
	struct sc_srcfile *f, *g, *files[3];
	unsigned char *enabled;
	struct sc_loc loc;
	size_t i, k = 0;

	f = sc_srcfile_new("migrations/versions/fuzz.py", (const char *)data,
			   size);
	g = sc_srcfile_new("app/models.py", "x = 1  # noqa: SC401\n", 21);
	add_comments(f);
	add_comments(g);

	for (i = 0; i < f->n_comments; i++) {
		unsigned r = f->comments[i].row;
		unsigned d;

		for (d = 0; d < 3; d++) {
			memset(&loc, 0, sizeof(loc));
			loc.row = loc.end_row = r + d;
			loc.col = d ? 4 : f->comments[i].col;
			loc.end_col = loc.col + 3;
			sc_diag_set_subject(
				sc_diags_add(&ds, pick(data, size, k), f, &loc,
					     "fuzz %zu", k),
				"t", d ? "c" : NULL, NULL);
			k++;
		}
	}
	/* a span over several lines, a reversed one, one past the end */
	loc.row = 0;
	loc.col = 0;
	loc.end_row = 5;
	loc.end_col = 1;
	sc_diags_add(&ds, pick(data, size, k++), f, &loc, "span");
	loc.row = 3;
	loc.col = 9;
	loc.end_row = 1;
	loc.end_col = 0;
	sc_diags_add(&ds, pick(data, size, k++), f, &loc, "reversed");
	loc.row = loc.end_row = 100000;
	loc.col = loc.end_col = 7;
	sc_diags_add(&ds, pick(data, size, k++), f, &loc, "past the end");
	sc_diags_add(&ds, pick(data, size, k++), f, NULL, "no location");
	loc.row = loc.end_row = 0;
	loc.col = 0;
	loc.end_col = 5;
	sc_diags_add(&ds, sc_rule_find("SC401"), g, &loc, "other file");

	files[0] = f;
	files[1] = g;
	files[2] = f; /* a file listed twice */
	enabled = sc_xmalloc(sc_n_rules);
	for (i = 0; i < sc_n_rules; i++)
		enabled[i] = size ? (data[(i * 31) % size] >> (i % 8)) & 1 : 1;
	if (size && (data[size - 1] & 1)) {
		sc_diags_suppress(&ds, files, 3, 1, enabled);
	} else {
		sc_diags_suppress(&ds, files, 3, 1, NULL);
		sc_diags_suppress(&ds, files, 2, 0, enabled);
	}
	sc_diags_sort(&ds);
	free(enabled);
	sc_diags_release(&ds);
	sc_srcfile_free(f);
	sc_srcfile_free(g);
	return 0;
}
