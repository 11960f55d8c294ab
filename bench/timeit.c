/*
 * timeit: run commands alternately and report medians of wall time, CPU
 * time and peak RSS (make bench; see bench/run.sh).
 *
 *   timeit [OPTIONS] -- LABEL CMD [ARG...] [::: LABEL CMD [ARG...]]...
 *
 * Each round runs every command once (the first command of round r is
 * command r mod k, so no command always goes first); -w rounds of warm-up
 * are discarded, then -n rounds are measured (fewer when the budget -b is
 * spent, never fewer than -m). A sample is the wall time from fork to
 * wait4 (CLOCK_MONOTONIC), the child's user+system time and its peak
 * resident set size (ru_maxrss of wait4: the largest of the process and
 * the descendants it waited for). Children run with stdout on /dev/null,
 * stderr in a temporary file (shown when a command fails), in their own
 * process group, with the -d folder as working directory and the -e
 * variables added to the environment.
 *
 * Options:
 *   -w N      warm-up rounds (default 2)
 *   -n N      measured rounds (default 10)
 *   -m N      fewest measured rounds when the budget is spent (default 3)
 *   -b SEC    time budget of the measured rounds (default: none)
 *   -T SEC    kill a run after SEC seconds and stop: the command timed out
 *   -d DIR    working directory of the commands
 *   -e K=V    environment variable for the commands (repeatable)
 *   -E LIST   before each measured run (untimed), drop the page-cache pages
 *             of every file named in LIST (one path a line) with
 *             posix_fadvise(POSIX_FADV_DONTNEED): a cold file-data cache
 *             (clean pages only: the files must not have unwritten data)
 *   -R DIR    before each run (untimed), remove the folder DIR (an
 *             absolute path) and everything in it: a program's own cache
 *             (repeatable)
 *   -x CODES  exit statuses that count as success (default "0,1")
 *   -S NAME   scenario name written in the TSV rows
 *   -o FILE   append one summary row per command to this TSV
 *   -r FILE   append one row per sample to this TSV
 *
 * Summary TSV columns: scenario, label, runs, median_ms, min_ms, max_ms,
 * cpu_ms (median user+sys), maxrss_kb (median), status ("ok", "timeout"
 * or "failed").
 *
 * Exit status: 0 all commands ran, 1 a command failed or timed out (its
 * row still written), 2 usage error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct cmd {
	const char *label;
	char **argv;
	double *wall, *cpu;
	long *rss;
	int n;
	int status;		/* 0 ok, 1 failed, 2 timed out */
	char errfile[64];
};

static volatile sig_atomic_t timed_out;
static pid_t running;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (running > 0)
		kill(-running, SIGKILL);
}

static void on_interrupt(int sig)
{
	if (running > 0)
		kill(-running, SIGKILL);
	signal(sig, SIG_DFL);
	raise(sig);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *msg)
{
	fprintf(stderr, "timeit: %s\n", msg);
	exit(2);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

static double median_d(const double *v, int n)
{
	double *s = malloc(n * sizeof(*s));
	double m;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

static long median_l(const long *v, int n)
{
	long *s = malloc(n * sizeof(*s));
	long m;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_long);
	m = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	free(s);
	return m;
}

/* Drop the cached pages of every file named in list (untimed). */
static void evict(const char *list)
{
	FILE *f = fopen(list, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int fd;

	if (!f) {
		perror(list);
		exit(2);
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!*line || (fd = open(line, O_RDONLY | O_CLOEXEC)) < 0)
			continue;
		posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
		close(fd);
	}
	free(line);
	fclose(f);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* rm -rf dir (untimed); a missing folder is fine. */
static void remove_tree(const char *dir)
{
	if (dir[0] != '/' || !strcmp(dir, "/"))
		die("-R needs an absolute folder other than /");
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void show_stderr(const struct cmd *c)
{
	char buf[4096];
	FILE *f = fopen(c->errfile, "r");
	int lines = 0;

	if (!f)
		return;
	while (lines < 20 && fgets(buf, sizeof(buf), f)) {
		fprintf(stderr, "  | %s", buf);
		lines++;
	}
	fclose(f);
}

/*
 * Run c once; record the sample when keep. 0 on success, 1 on a failing
 * exit status, 2 on a timeout.
 */
static int run_one(struct cmd *c, const char *dir, char **env, int nenv,
		   const char *okcodes, double timeout, int keep)
{
	struct rusage ru;
	double t0, t1;
	pid_t pid;
	int st, i, code;
	char want[16];

	t0 = now();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		exit(2);
	}
	if (!pid) {
		int fd;

		setpgid(0, 0);
		if (dir && chdir(dir) < 0) {
			perror(dir);
			_exit(127);
		}
		for (i = 0; i < nenv; i++)
			putenv(env[i]);
		if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
			dup2(fd, 1);
			close(fd);
		}
		if ((fd = open(c->errfile, O_WRONLY | O_CREAT | O_TRUNC,
			       0600)) >= 0) {
			dup2(fd, 2);
			close(fd);
		}
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0) {
			dup2(fd, 0);
			close(fd);
		}
		execvp(c->argv[0], c->argv);
		fprintf(stderr, "cannot run %s: %s\n", c->argv[0],
			strerror(errno));
		_exit(127);
	}
	setpgid(pid, pid);
	running = pid;
	timed_out = 0;
	if (timeout > 0)
		alarm((unsigned)(timeout + 0.999));
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("wait4");
			exit(2);
		}
	}
	t1 = now();
	alarm(0);
	running = 0;
	if (timed_out)
		return 2;
	if (WIFSIGNALED(st))
		return 1;
	code = WEXITSTATUS(st);
	snprintf(want, sizeof(want), ",%d,", code);
	{
		char *codes;
		int found;

		if (asprintf(&codes, ",%s,", okcodes) < 0)
			exit(2);
		found = strstr(codes, want) != NULL;
		free(codes);
		if (!found)
			return 1;
	}
	if (keep) {
		c->wall[c->n] = t1 - t0;
		c->cpu[c->n] = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
			       ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		c->rss[c->n] = ru.ru_maxrss;
		c->n++;
	}
	return 0;
}

int main(int argc, char **argv)
{
	int warm = 2, runs = 10, minruns = 3, opt, nenv = 0, ncmd = 0, i, r;
	double budget = 0, timeout = 0, spent = 0;
	const char *dir = NULL, *evlist = NULL, *scen = "-", *tsv = NULL;
	const char *raw = NULL, *okcodes = "0,1";
	char **env = calloc(argc, sizeof(*env));
	char **rmdirs = calloc(argc, sizeof(*rmdirs));
	int nrm = 0;
	struct cmd *cmds = calloc(argc, sizeof(*cmds));
	struct sigaction sa;
	int failed = 0;
	FILE *f;

	while ((opt = getopt(argc, argv, "+w:n:m:b:T:d:e:E:R:x:S:o:r:")) != -1) {
		switch (opt) {
		case 'w': warm = atoi(optarg); break;
		case 'n': runs = atoi(optarg); break;
		case 'm': minruns = atoi(optarg); break;
		case 'b': budget = atof(optarg); break;
		case 'T': timeout = atof(optarg); break;
		case 'd': dir = optarg; break;
		case 'e': env[nenv++] = optarg; break;
		case 'E': evlist = optarg; break;
		case 'R': rmdirs[nrm++] = optarg; break;
		case 'x': okcodes = optarg; break;
		case 'S': scen = optarg; break;
		case 'o': tsv = optarg; break;
		case 'r': raw = optarg; break;
		default: die("usage: timeit [OPTIONS] -- LABEL CMD [ARG...] "
			     "[::: LABEL CMD [ARG...]]...");
		}
	}
	if (runs < 1 || minruns < 1 || warm < 0)
		die("-n and -m must be at least 1, -w at least 0");
	/* LABEL CMD [ARG...] groups separated by ":::" */
	for (i = optind; i < argc;) {
		struct cmd *c = &cmds[ncmd];
		int start;

		if (i + 1 >= argc || !strcmp(argv[i + 1], ":::"))
			die("each command needs a label and a program");
		c->label = argv[i++];
		start = i;
		while (i < argc && strcmp(argv[i], ":::"))
			i++;
		c->argv = calloc(i - start + 1, sizeof(char *));
		memcpy(c->argv, argv + start, (i - start) * sizeof(char *));
		c->wall = calloc(runs, sizeof(double));
		c->cpu = calloc(runs, sizeof(double));
		c->rss = calloc(runs, sizeof(long));
		snprintf(c->errfile, sizeof(c->errfile),
			 "/tmp/timeit-%d-%d.err", (int)getpid(), ncmd);
		ncmd++;
		if (i < argc)
			i++;	/* ":::" */
	}
	if (!ncmd)
		die("no command");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: wait4 sees EINTR */
	sigaction(SIGALRM, &sa, NULL);
	signal(SIGINT, on_interrupt);
	signal(SIGTERM, on_interrupt);

	for (r = 0; r < warm + runs && !failed; r++) {
		int keep = r >= warm;
		double t0 = now();

		if (keep && budget > 0 && spent > budget &&
		    r - warm >= minruns)
			break;
		for (i = 0; i < ncmd && !failed; i++) {
			struct cmd *c = &cmds[(i + r) % ncmd];
			int st, j;

			for (j = 0; j < nrm; j++)
				remove_tree(rmdirs[j]);
			if (keep && evlist)
				evict(evlist);
			st = run_one(c, dir, env, nenv, okcodes, timeout,
				     keep);
			if (st) {
				c->status = st;
				failed = 1;
				fprintf(stderr, "timeit: %s: %s\n", c->label,
					st == 2 ? "timed out" :
					"failed (exit status not in -x)");
				show_stderr(c);
			}
		}
		if (keep)
			spent += now() - t0;
	}

	for (i = 0; i < ncmd; i++) {
		struct cmd *c = &cmds[i];
		const char *status = c->status == 2 ? "timeout" :
				     c->status == 1 ? "failed" :
				     failed ? "skipped" : "ok";
		double med = c->n ? median_d(c->wall, c->n) * 1e3 : 0;
		double lo = 0, hi = 0;
		int j;

		for (j = 0; j < c->n; j++) {
			if (!j || c->wall[j] < lo)
				lo = c->wall[j];
			if (!j || c->wall[j] > hi)
				hi = c->wall[j];
		}
		printf("  %-34s %9.2f ms median (%d runs, min %.2f, max %.2f)"
		       "  cpu %.2f ms  peak RSS %ld KB%s%s\n", c->label, med,
		       c->n, lo * 1e3, hi * 1e3,
		       c->n ? median_d(c->cpu, c->n) * 1e3 : 0,
		       c->n ? median_l(c->rss, c->n) : 0,
		       c->status || failed ? "  " : "",
		       c->status || failed ? status : "");
		if (tsv && (f = fopen(tsv, "a"))) {
			fprintf(f, "%s\t%s\t%d\t%.3f\t%.3f\t%.3f\t%.3f\t%ld\t%s\n",
				scen, c->label, c->n, med, lo * 1e3, hi * 1e3,
				c->n ? median_d(c->cpu, c->n) * 1e3 : 0,
				c->n ? median_l(c->rss, c->n) : 0, status);
			fclose(f);
		}
		if (raw && (f = fopen(raw, "a"))) {
			for (j = 0; j < c->n; j++)
				fprintf(f, "%s\t%s\t%d\t%.3f\t%.3f\t%ld\n",
					scen, c->label, j, c->wall[j] * 1e3,
					c->cpu[j] * 1e3, c->rss[j]);
			fclose(f);
		}
		unlink(c->errfile);
	}
	return failed ? 1 : 0;
}
