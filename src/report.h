/*
 * report.h: writing diagnostics in the formats of DESIGN.md section 2.
 */
#ifndef SC_REPORT_H
#define SC_REPORT_H

#include <stdio.h>

#include "diag.h"

enum sc_format {
	SC_FMT_TEXT = 0, SC_FMT_JSON, SC_FMT_GITHUB, SC_FMT_SARIF, SC_FMT_JUNIT,
	SC_FMT_GITLAB,
};

struct sc_report_opts {
	enum sc_format format;
	int color;             /* text only: use ANSI colours */
	const char *mode;      /* "staged", "diff" or "all" (json) */
	int quiet;             /* text: no summary line */
	int statistics;        /* text: counts per rule instead of diagnostics */
};

/* Parse a --format value; returns 0 and *out, or -1. */
int sc_format_parse(const char *s, enum sc_format *out);

/* Write ds (already sorted) to out. Returns 0, or -1 on a write error. */
int sc_report_write(FILE *out, const struct sc_diags *ds,
		    const struct sc_report_opts *o);

#endif
