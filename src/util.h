/*
 * util.h: memory helpers that never return NULL (out of memory is fatal,
 * exit 3), a growable byte buffer (git's strbuf shape) and an array-growth
 * macro. Everything else in schemacheck allocates through these.
 */
#ifndef SC_UTIL_H
#define SC_UTIL_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define SC_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define SC_NORETURN __attribute__((noreturn))
#else
#define SC_PRINTF(f, a)
#define SC_NORETURN
#endif

#define SC_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Print "schemacheck: out of memory" and exit 3. */
SC_NORETURN void sc_die_oom(void);

/* Allocation wrappers: the result is owned by the caller (free()). */
void *sc_xmalloc(size_t n);
void *sc_xcalloc(size_t n, size_t size);
void *sc_xrealloc(void *p, size_t n);
char *sc_xstrdup(const char *s);
char *sc_xstrndup(const char *s, size_t n);
char *sc_xasprintf(const char *fmt, ...) SC_PRINTF(1, 2);
char *sc_xvasprintf(const char *fmt, va_list ap) SC_PRINTF(1, 0);

/*
 * SC_ALLOC_GROW(array, nr, alloc): make room for at least `nr` elements in
 * `array`, whose capacity is `alloc` (git's ALLOC_GROW).
 */
#define SC_ALLOC_GROW(x, nr, alloc)                                         \
	do {                                                                \
		if ((size_t)(nr) > (size_t)(alloc)) {                       \
			size_t sc_new_ = (size_t)(alloc) * 3 / 2 + 16;      \
			if (sc_new_ < (size_t)(nr))                         \
				sc_new_ = (size_t)(nr);                     \
			(x) = sc_xrealloc((x), sc_new_ * sizeof(*(x)));     \
			(alloc) = sc_new_;                                  \
		}                                                           \
	} while (0)

/*
 * A NUL-terminated growable buffer. Initialise with SC_BUF_INIT; the
 * contents are owned by the struct until sc_buf_detach() hands them over.
 */
struct sc_buf {
	char *buf;     /* always NUL-terminated once anything was added */
	size_t len;    /* bytes used, excluding the NUL */
	size_t alloc;  /* bytes allocated */
};
#define SC_BUF_INIT { NULL, 0, 0 }

void sc_buf_grow(struct sc_buf *b, size_t extra);
void sc_buf_add(struct sc_buf *b, const void *data, size_t len);
void sc_buf_adds(struct sc_buf *b, const char *s);
void sc_buf_addch(struct sc_buf *b, char c);
void sc_buf_addf(struct sc_buf *b, const char *fmt, ...) SC_PRINTF(2, 3);
void sc_buf_vaddf(struct sc_buf *b, const char *fmt, va_list ap) SC_PRINTF(2, 0);
/* Append `s` (length n) as the inside of a JSON string (no quotes). */
void sc_buf_add_json(struct sc_buf *b, const char *s, size_t n);
void sc_buf_reset(struct sc_buf *b);         /* len = 0, keeps memory */
void sc_buf_release(struct sc_buf *b);       /* frees contents, re-inits */
/* Returns the contents (owned by the caller; "" when empty), re-inits b. */
char *sc_buf_detach(struct sc_buf *b);
/* Returns b->buf, or "" when nothing was added yet (borrowed). */
const char *sc_buf_str(const struct sc_buf *b);

/* Does `s` (length n) start with / end with the NUL-terminated `x`? */
int sc_starts_with(const char *s, const char *x);
int sc_ends_with(const char *s, const char *x);

/* Can byte c be part of a Python name (ASCII letter, digit, '_', or a
 * byte of a UTF-8 sequence)? */
int sc_is_name_byte(int c);

/*
 * Does `word` occur in the n bytes at s as a whole name (not inside a
 * longer one), followed, when `next` is not NUL, by blanks (line
 * continuations too) and `next`? A quick text test, before parsing.
 */
int sc_text_has_name(const char *s, size_t n, const char *word, char next);

/*
 * Glob match for paths: `*` matches within one segment, `**` any number of
 * segments, `?` one character. Returns 1 on match.
 */
int sc_glob_match(const char *pattern, const char *path);

#endif
