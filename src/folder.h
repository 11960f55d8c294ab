/*
 * folder.h: the snapshot of a plain folder for --all and heads (a folder
 * outside git), read without reading any file: the engine learns a
 * file's blob id from the stat cache or by reading it only when it needs
 * it (see struct sc_snapshot.lazy in gitsrc.h).
 */
#ifndef SC_FOLDER_H
#define SC_FOLDER_H

#include "gitsrc.h"

/*
 * Every regular file under `root` (an absolute real path), as
 * sc_snapshot_from_dir finds them (symbolic links, .git and other VCS
 * folders skipped), with ids "" ((*out)->lazy is set). Walks folders on
 * several threads; with `cache_dir` (may be NULL), folders unchanged
 * since the last walk are not listed again (see folder.c). *out is owned
 * by the caller (sc_snapshot_free). With `dirs` (may be NULL), every
 * folder walked and its stat data go to *dirs (owned by the caller: each
 * path, then the array), paths relative to root with a trailing '/' ("/"
 * for root itself), size 0: a folder whose stat data is unchanged has
 * the same entries, so these and the files read are all a plain folder's
 * report depends on (runcache.h). Returns 0, or -1 with a message.
 */
int sc_folder_snapshot(struct sc_snapshot **out, const char *root,
		       const char *cache_dir, struct sc_dep **dirs,
		       size_t *n_dirs);

/*
 * A NUL-terminated copy of the n bytes at s in the pool *pool (a new
 * block is chained in when needed; the pool starts as NULL).
 */
char *sc_pathpool_add(struct sc_pathpool **pool, const char *s, size_t n);

/* Free a snapshot's path pool (NULL is fine). */
void sc_pathpool_free(struct sc_pathpool *p);

#endif
