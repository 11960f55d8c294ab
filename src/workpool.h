/*
 * workpool.h: run independent tasks on a few threads (and a hint for
 * large arrays that they will all be used). Each task writes
 * only its own result, so the caller reads the results in task order and
 * what it does with them is the same whatever the threads did first.
 */
#ifndef SC_WORKPOOL_H
#define SC_WORKPOOL_H

#include <stddef.h>

/*
 * How many threads to use for `n_tasks` tasks: the processors this
 * process may run on (at least 1), never more than the tasks. The
 * environment variable SCHEMACHECK_THREADS, when set to a number from 1
 * to 64, replaces the choice.
 */
unsigned sc_workpool_threads(size_t n_tasks);

/*
 * Run fn(i, arg) for i in [0, n) on `threads` threads (the calling thread
 * is one of them) and return when all are done. Each thread but the
 * caller runs `thread_exit` (when not NULL) before it ends. When a thread
 * cannot be started, the others do its share.
 */
void sc_workpool_run(size_t n, unsigned threads,
		     void (*fn)(size_t i, void *arg), void *arg,
		     void (*thread_exit)(void));

/*
 * Ask the kernel to back the n bytes at p with memory now, in one call
 * (large pages where it can), instead of one page fault per page on
 * first use: for the large arrays of a 100,000-file repository. A hint:
 * nothing happens where the kernel cannot.
 */
void sc_prefault(void *p, size_t n);

#endif
