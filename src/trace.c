/*
 * trace.c: phase timings (see trace.h); times count from the first
 * call (main's).
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void sc_trace(const char *fmt, ...)
{
	static int on = -1;
	static double start;
	struct timespec t;
	double now;
	va_list ap;

	if (on < 0)
		on = getenv("SCHEMACHECK_TRACE") != NULL;
	if (!on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	now = (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
	if (!start)
		start = now;
	fprintf(stderr, "schemacheck: trace: %8.2f ms: ", now - start);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
