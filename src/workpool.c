/*
 * workpool.c: a fixed set of threads taking task numbers from a shared
 * counter (see workpool.h).
 */
#include "workpool.h"

#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "util.h"

struct pool {
	size_t n;
	size_t next;                 /* the next task number, atomically */
	void (*fn)(size_t i, void *arg);
	void *arg;
	void (*thread_exit)(void);
};

unsigned sc_workpool_threads(size_t n_tasks)
{
	const char *env = getenv("SCHEMACHECK_THREADS");
	unsigned n = 0;
	cpu_set_t set;

	if (env && *env) {
		char *end;
		long v = strtol(env, &end, 10);

		if (!*end && v >= 1 && v <= 64)
			n = (unsigned)v;
	}
	if (!n) {
		if (!sched_getaffinity(0, sizeof(set), &set))
			n = (unsigned)CPU_COUNT(&set);
		if (!n) {
			long c = sysconf(_SC_NPROCESSORS_ONLN);

			n = c > 0 ? (unsigned)c : 1;
		}
	}
	if (n > n_tasks)
		n = n_tasks ? (unsigned)n_tasks : 1;
	return n;
}

static void drain(struct pool *p)
{
	for (;;) {
		size_t i = __atomic_fetch_add(&p->next, 1, __ATOMIC_RELAXED);

		if (i >= p->n)
			break;
		p->fn(i, p->arg);
	}
}

static void *worker(void *arg)
{
	struct pool *p = arg;

	drain(p);
	if (p->thread_exit)
		p->thread_exit();
	return NULL;
}

void sc_workpool_run(size_t n, unsigned threads,
		     void (*fn)(size_t i, void *arg), void *arg,
		     void (*thread_exit)(void))
{
	struct pool p = { n, 0, fn, arg, thread_exit };
	pthread_t *tids = NULL;
	unsigned started = 0, t;

	if (threads > 1 && n > 1) {
		tids = sc_xcalloc(threads - 1, sizeof(*tids));
		for (t = 0; t + 1 < threads; t++) {
			if (pthread_create(&tids[t], NULL, worker, &p))
				break;
			started++;
		}
	}
	drain(&p);
	for (t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	free(tids);
}

void sc_prefault(void *p, size_t n)
{
	uintptr_t page = 4096, lo = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t hi = ((uintptr_t)p + n) & ~(page - 1);

	if (n < (1u << 20) || hi <= lo)
		return;
#ifdef MADV_HUGEPAGE
	madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#endif
#ifdef MADV_POPULATE_WRITE
	madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#endif
}
