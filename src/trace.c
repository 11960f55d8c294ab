/*
 * trace.c: phase timings (see trace.h); times count from the first
 * call (main's), and the peak resident memory so far (getrusage) is
 * printed with them.
 */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

void sc_trace(const char *fmt, ...)
{
	static int on = -1;
	static double start;
	struct timespec t;
	struct rusage ru;
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
	if (getrusage(RUSAGE_SELF, &ru) < 0)
		ru.ru_maxrss = 0;
	fprintf(stderr, "schemacheck: trace: %8.2f ms, peak %6ld KB: ",
		now - start, ru.ru_maxrss);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
