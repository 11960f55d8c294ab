/*
 * standalone_driver.c: replays inputs through a fuzz target without
 * libFuzzer, so the regression inputs (tests/fuzz/regress/<target>/) and
 * the seed corpora run under gcc with ASan/UBSan in the ordinary tests.
 *
 *   fuzz_migration-replay FILE|DIR...
 *
 * Folders are walked recursively (entries in name order; names starting
 * with '.' skipped). Each input is read whole and passed once to
 * LLVMFuzzerTestOneInput. Prints "replayed N inputs"; exits 0 unless a
 * file cannot be read (a crash or a sanitizer report ends the process
 * with its own status).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SC_HAVE_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define SC_HAVE_ASAN 1
#endif
#ifdef SC_HAVE_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

static size_t replayed;
static int verbose;
static const char *current;  /* the input being replayed */

#ifdef SC_HAVE_ASAN
/* After a sanitizer report: say which input it was. */
static void on_death(void)
{
	if (current)
		fprintf(stderr, "standalone_driver: the failing input is '%s'\n",
			current);
}
#endif

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		fprintf(stderr, "standalone_driver: cannot read '%s': %s\n",
			path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			cap = cap ? cap * 2 : 65536;
			if (!(buf = realloc(buf, cap))) {
				fprintf(stderr, "standalone_driver: out of memory\n");
				exit(3);
			}
		}
		n = fread(buf + len, 1, cap - len, f);
		if (!n)
			break;
		len += n;
	}
	if (ferror(f)) {
		fprintf(stderr, "standalone_driver: cannot read '%s'\n", path);
		fclose(f);
		free(buf);
		return -1;
	}
	fclose(f);
	if (verbose)
		fprintf(stderr, "standalone_driver: %s (%zu bytes)\n", path, len);
	/* a copy of exactly len bytes, so ASan sees reads past the end */
	{
		unsigned char *exact = malloc(len ? len : 1);

		if (!exact) {
			fprintf(stderr, "standalone_driver: out of memory\n");
			exit(3);
		}
		if (len)
			memcpy(exact, buf, len);
		free(buf);
		current = path;
		LLVMFuzzerTestOneInput(exact, len);
		current = NULL;
		free(exact);
	}
	replayed++;
	return 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	int error = 0;
	DIR *d;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "standalone_driver: cannot access '%s': %s\n",
			path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	if (!(d = opendir(path))) {
		fprintf(stderr, "standalone_driver: cannot read folder '%s': %s\n",
			path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = realloc(names, cap * sizeof(*names));
		}
		if (!names || asprintf(&names[n], "%s/%s", path, de->d_name) < 0) {
			fprintf(stderr, "standalone_driver: out of memory\n");
			exit(3);
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_name);
	for (i = 0; i < n; i++) {
		if (run_path(names[i]) < 0)
			error = -1;
		free(names[i]);
	}
	free(names);
	return error;
}

int main(int argc, char **argv)
{
	int i, error = 0;

	if (argc > 1 && !strcmp(argv[1], "-v")) {
		verbose = 1;
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: %s [-v] FILE|DIR...\n", argv[0]);
		return 2;
	}
#ifdef SC_HAVE_ASAN
	__sanitizer_set_death_callback(on_death);
#endif
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (i = 1; i < argc; i++)
		if (run_path(argv[i]) < 0)
			error = 1;
	printf("replayed %zu inputs\n", replayed);
	return error;
}
