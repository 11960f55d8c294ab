/*
 * err.c: the one recorded error message of the current failure (one per
 * thread).
 */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

/* per thread: a failure in a worker thread is its own (units.c) */
static _Thread_local char last_error[1024];

static void vset(const char *fmt, va_list ap)
{
	vsnprintf(last_error, sizeof(last_error), fmt, ap);
}

int sc_error_set(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return SC_ERROR;
}

int sc_error_usage(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(fmt, ap);
	va_end(ap);
	return SC_EUSAGE;
}

const char *sc_error_last(void)
{
	return last_error;
}

void sc_error_clear(void)
{
	last_error[0] = '\0';
}
