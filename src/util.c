/*
 * util.c: allocation wrappers, the growable buffer and small string helpers.
 */
#include "util.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sc_die_oom(void)
{
	fputs("schemacheck: out of memory\n", stderr);
	exit(3);
}

void *sc_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		sc_die_oom();
	return p;
}

void *sc_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		sc_die_oom();
	return p;
}

void *sc_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		sc_die_oom();
	return q;
}

char *sc_xstrdup(const char *s)
{
	return sc_xstrndup(s, strlen(s));
}

char *sc_xstrndup(const char *s, size_t n)
{
	char *p = sc_xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *sc_xvasprintf(const char *fmt, va_list ap)
{
	struct sc_buf b = SC_BUF_INIT;
	sc_buf_vaddf(&b, fmt, ap);
	return sc_buf_detach(&b);
}

char *sc_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	s = sc_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void sc_buf_grow(struct sc_buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->alloc) {
		size_t n = b->alloc * 2;
		if (n < b->len + extra + 1)
			n = b->len + extra + 1;
		if (n < 64)
			n = 64;
		b->buf = sc_xrealloc(b->buf, n);
		b->alloc = n;
	}
}

void sc_buf_add(struct sc_buf *b, const void *data, size_t len)
{
	sc_buf_grow(b, len);
	if (len)
		memcpy(b->buf + b->len, data, len);
	b->len += len;
	b->buf[b->len] = '\0';
}

void sc_buf_adds(struct sc_buf *b, const char *s)
{
	sc_buf_add(b, s, strlen(s));
}

void sc_buf_addch(struct sc_buf *b, char c)
{
	sc_buf_add(b, &c, 1);
}

void sc_buf_vaddf(struct sc_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	int n;

	/* format into a stack buffer first; most messages fit */
	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		sc_buf_add(b, small, (size_t)n);
		return;
	}
	sc_buf_grow(b, (size_t)n);
	vsnprintf(b->buf + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void sc_buf_addf(struct sc_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sc_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void sc_buf_add_json(struct sc_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': sc_buf_adds(b, "\\\""); break;
		case '\\': sc_buf_adds(b, "\\\\"); break;
		case '\n': sc_buf_adds(b, "\\n"); break;
		case '\r': sc_buf_adds(b, "\\r"); break;
		case '\t': sc_buf_adds(b, "\\t"); break;
		default:
			if (c < 0x20 || c == 0x7f) {
				char e[7] = { '\\', 'u', '0', '0',
					      hex[c >> 4], hex[c & 15], 0 };
				sc_buf_adds(b, e);
			} else {
				sc_buf_addch(b, (char)c);
			}
		}
	}
}

void sc_buf_reset(struct sc_buf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

void sc_buf_release(struct sc_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->alloc = 0;
}

char *sc_buf_detach(struct sc_buf *b)
{
	char *s = b->buf ? b->buf : sc_xstrdup("");

	/* a detached string often lives as long as the run (a fact): without
	 * the growth slack (a buffer starts at 64 bytes) */
	if (b->buf && b->alloc - b->len > 32)
		s = sc_xrealloc(s, b->len + 1);
	b->buf = NULL;
	b->len = b->alloc = 0;
	return s;
}

const char *sc_buf_str(const struct sc_buf *b)
{
	return b->buf ? b->buf : "";
}

int sc_starts_with(const char *s, const char *x)
{
	return strncmp(s, x, strlen(x)) == 0;
}

int sc_ends_with(const char *s, const char *x)
{
	size_t n = strlen(s), m = strlen(x);
	return n >= m && memcmp(s + n - m, x, m) == 0;
}

int sc_is_name_byte(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || (c & 0x80);
}

int sc_text_has_name(const char *s, size_t n, const char *word, char next)
{
	size_t wn = strlen(word);
	const char *p = s, *end = s + n, *q;

	while ((q = memmem(p, (size_t)(end - p), word, wn))) {
		const char *after = q + wn;

		p = q + 1;
		if ((q > s && sc_is_name_byte((unsigned char)q[-1])) ||
		    (after < end && sc_is_name_byte((unsigned char)*after)))
			continue;
		if (!next)
			return 1;
		while (after < end && (isspace((unsigned char)*after) ||
				       *after == '\\'))
			after++;
		if (after < end && *after == next)
			return 1;
	}
	return 0;
}

/*
 * Glob matching without backtracking: the set of path positions the
 * pattern prefix can reach is carried across the pattern, token by token,
 * so the cost is O(pattern length x path length) whatever the pattern
 * (a configuration is untrusted input: "**" x 16 must not explode).
 */
int sc_glob_match(const char *p, const char *s)
{
	size_t n = strlen(s), i;
	unsigned char *cur = sc_xcalloc(n + 1, 1), *next = sc_xcalloc(n + 1, 1);
	int any = 1, match;

	cur[0] = 1;
	while (*p && any) {
		memset(next, 0, n + 1);
		if (p[0] == '*' && p[1] == '*') {
			int seen = 0;
			p += 2;
			while (*p == '*')
				p++;
			if (*p == '/') {
				/* "**" + "/": zero or more whole segments */
				p++;
				for (i = 0; i <= n; i++) {
					if (seen && i && s[i - 1] == '/')
						next[i] = 1;
					if (cur[i]) {
						next[i] = 1;
						seen = 1;
					}
				}
			} else {
				/* "**" elsewhere: anything, across '/' */
				for (i = 0; i <= n; i++) {
					seen |= cur[i];
					next[i] = (unsigned char)seen;
				}
			}
		} else if (*p == '*') {
			/* "*": anything within one segment */
			int seen = 0;
			p++;
			for (i = 0; i <= n; i++) {
				if (i && s[i - 1] == '/')
					seen = 0;
				seen |= cur[i];
				next[i] = (unsigned char)seen;
			}
		} else {
			char c = *p++;
			for (i = 0; i < n; i++)
				if (cur[i] && (c == '?' ? s[i] != '/' : s[i] == c))
					next[i + 1] = 1;
		}
		{
			unsigned char *t = cur;
			cur = next;
			next = t;
		}
		any = 0;
		for (i = 0; i <= n && !any; i++)
			any = cur[i];
	}
	match = !*p && cur[n];
	free(cur);
	free(next);
	return match;
}
