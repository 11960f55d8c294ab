/*
 * trace.h: phase timings for performance work. With SCHEMACHECK_TRACE set
 * in the environment, sc_trace() prints the milliseconds since the
 * process started, the peak resident memory so far and a label to
 * stderr; otherwise it costs one branch.
 */
#ifndef SC_TRACE_H
#define SC_TRACE_H

#include "util.h"

void sc_trace(const char *fmt, ...) SC_PRINTF(1, 2);

#endif
