/*
 * err.h: the error contract (libgit2 style). Functions return 0 on success
 * and a negative value on failure; the failing function records a one-line
 * message with sc_error_set() once, at the point of failure, and callers
 * propagate it without overwriting. Only main.c prints it and exits.
 * Findings are never errors: rules report diagnostics instead.
 */
#ifndef SC_ERR_H
#define SC_ERR_H

#include "util.h"

/* Exit statuses (DESIGN.md section 1). */
enum sc_exit {
	SC_EXIT_OK = 0,        /* no error-severity diagnostic */
	SC_EXIT_FINDINGS = 1,  /* at least one error (or any, with --strict) */
	SC_EXIT_USAGE = 2,     /* usage or configuration error */
	SC_EXIT_ENV = 3,       /* environment or internal failure */
};

/* Return codes a caller may branch on. */
enum sc_err {
	SC_OK = 0,
	SC_ERROR = -1,     /* generic failure; message recorded */
	SC_EUSAGE = -2,    /* the user's input (options, config) is wrong */
	SC_ENOTFOUND = -3, /* the thing asked for does not exist */
	SC_ETOOBIG = -4,   /* a file is over the size cap */
};

/* Record the message for the current failure; returns SC_ERROR. */
int sc_error_set(const char *fmt, ...) SC_PRINTF(1, 2);
/* Same, returning SC_EUSAGE. */
int sc_error_usage(const char *fmt, ...) SC_PRINTF(1, 2);
/* The last recorded message (borrowed; "" when none). */
const char *sc_error_last(void);
void sc_error_clear(void);

#endif
