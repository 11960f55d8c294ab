/*
 * tsguard.c: the pre-scans that keep texts away from the node-width bug
 * of Debian's tree-sitter 0.20.7 (see tsguard.h). One linear pass each,
 * no recursion: an explicit stack of open brackets (and f-string
 * replacement fields) and of indentation widths.
 *
 * The Python estimate of the parse stack, per open bracket level: every
 * token adds an entry (an operator one per character, a number one per
 * two: the lexer of error recovery may split them); a comma inside
 * brackets leaves three (what came before it reduced to a node and a
 * repetition, then the comma), plus the comments met before the level's
 * first comma, which stay until the bracket closes; not in a lambda's
 * parameters. A closing bracket leaves one entry for the whole group,
 * none for a call or a subscript (they join the expression before them);
 * an attribute name joins its object; a string next to a string joins
 * it; a binary operator repeated at one level folds the operation before
 * it. A string never closed counts its escape sequences twice. At
 * statement level, the end of a logical line that had a token empties
 * the level, except after a line ending in ':' that no indented block
 * follows (an error, after which nothing is reduced); comment lines do
 * not empty it: their comments wait for the next statement, and those
 * before the first statement of a block (or of the file) stay until the
 * block ends. Each indentation level adds BLOCK_COST for the compound
 * statement that encloses it. tests/check_pysrc.c has the cases, and an
 * ASan probe of about 130 constructs, each at the largest size let
 * through, found no node over the limit.
 */
#include "tsguard.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Stack entries a compound statement keeps while its block is parsed. */
#define BLOCK_COST 6u

/* What the last token of a level was, for the folding rules. */
enum prev { PREV_NONE = 0, PREV_OPERAND, PREV_STRING, PREV_DOT };

/* Where the scanner is: code, an f-string's text, or a format spec. */
enum mode { M_CODE = 0, M_FSTR, M_FSPEC };

struct level {
	size_t count;          /* entries this level holds */
	size_t open;           /* offset of its opening bracket */
	size_t op_count;       /* count right after the last binary operator */
	size_t ntok, op_ntok;  /* tokens so far; at that operator */
	size_t sticky;         /* comments before the level's first comma */
	unsigned lambdas;      /* lambda parameter lists still open */
	unsigned char seen_comma;
	int op_class;          /* that operator's class (0: none) */
	enum prev prev;
	unsigned char trailer; /* a call or subscript */
	/* f-string replacement fields: the string to go back to */
	unsigned char interp, triple, raw, in_spec;
	char quote;
	unsigned long fid;     /* which f-string */
	size_t escapes;        /* its escape sequences before the field */
};

struct pyscan {
	const char *s;
	size_t n, i;
	struct level *lv;      /* lv[0]: statement level */
	size_t depth, alloc;   /* open levels above lv[0] */
	size_t total;          /* sum of the levels' counts */
	struct indent {
		size_t width;
		size_t sticky;  /* comments before the block's first statement */
	} *indent;             /* open blocks */
	size_t n_indent, indent_alloc;
	size_t sticky;         /* the blocks' sticky comments, and the
				* module's (before its first statement) */
	size_t comments;       /* comments waiting at statement level */
	size_t escapes;        /* escape sequences in the string being read */
	size_t lead;           /* of which before the line's first token */
	int fresh;             /* no statement yet in the innermost block */
	int header;            /* a line ended with ':' and no block began */
	size_t tokens, colon;  /* tokens so far; at the last ':' of a line */
	int line_tokens;       /* the logical line has a token */
	int bol;               /* at the start of a line, statement level */
	enum mode mode;
	/* the f-string being scanned (M_FSTR, M_FSPEC) */
	char quote;
	int triple, raw;
	unsigned long fid, next_fid;
	int failed;
	size_t fail_at;
};

static struct level *top(struct pyscan *p)
{
	return &p->lv[p->depth];
}

static void check(struct pyscan *p)
{
	if (!p->failed && p->total + p->sticky + BLOCK_COST * p->n_indent >
	    SC_TSGUARD_MAX_STACK) {
		p->failed = 1;
		p->fail_at = p->i;
	}
}

/* One more entry on the current level. */
static void add(struct pyscan *p)
{
	top(p)->ntok++;
	top(p)->count++;
	p->total++;
	check(p);
}

/* n entries for one token: what the lexer of error recovery may take
 * apart ("**" as two '*', "1.2.3" as 1.2 and .3, escape sequences). */
static void add_n(struct pyscan *p, size_t n)
{
	top(p)->ntok++;
	top(p)->count += n;
	p->total += n;
	check(p);
}

static void set_count(struct pyscan *p, struct level *l, size_t count)
{
	p->total = p->total - l->count + count;
	l->count = count;
}

static void push_level(struct pyscan *p, int trailer)
{
	struct level *l;

	add(p);  /* the opening bracket */
	SC_ALLOC_GROW(p->lv, p->depth + 2, p->alloc);
	l = &p->lv[++p->depth];
	memset(l, 0, sizeof(*l));
	l->open = p->i;
	l->trailer = (unsigned char)trailer;
}

/* Close the top level; the group is one entry of its parent (none for a
 * call or a subscript, which join the expression before them). */
static struct level pop_level(struct pyscan *p)
{
	struct level l = *top(p);

	set_count(p, top(p), 0);
	p->depth--;
	if (l.trailer && top(p)->count)
		set_count(p, top(p), top(p)->count - 1);
	top(p)->prev = PREV_OPERAND;
	top(p)->op_class = 0;
	return l;
}

/*
 * The end of a statement at statement level (a newline or ';'). Its
 * comments are folded into the block with it, except those before the
 * first statement of a block (or of the file): the grammar keeps them
 * as direct children of the block until it ends.
 */
static void end_statement(struct pyscan *p)
{
	struct level *l = &p->lv[0];

	if (!p->line_tokens)
		return;
	/* `try:` with no indented block after it: an error, after which
	 * the grammar reduces nothing; keep counting until a block */
	if (p->colon && p->colon == p->tokens)
		p->header = 1;
	if (p->fresh) {
		if (p->n_indent)
			p->indent[p->n_indent - 1].sticky += p->lead;
		p->sticky += p->lead;
		p->fresh = 0;
	}
	if (!p->header)
		set_count(p, l, 0);
	else
		add(p);  /* the NEWLINE token stays too */
	l->prev = PREV_NONE;
	l->op_class = 0;
	l->lambdas = 0;
	p->comments = 0;
	p->lead = 0;
	p->line_tokens = 0;
	check(p);
}

/* A token at statement level starts the logical line. */
static void token(struct pyscan *p)
{
	if (!p->line_tokens && !p->depth)
		p->lead = p->comments;
	p->line_tokens = 1;
	p->tokens++;
}


/* A word that is a string prefix when a quote follows it. */
static int string_prefix(const char *w, size_t n, int *raw, int *fstr)
{
	size_t k;

	*raw = *fstr = 0;
	if (n > 2)
		return 0;
	for (k = 0; k < n; k++) {
		switch (w[k]) {
		case 'r': case 'R': *raw = 1; break;
		case 'f': case 'F': *fstr = 1; break;
		case 'b': case 'B': case 'u': case 'U': break;
		default: return 0;
		}
	}
	return 1;
}

/* What a word is to the estimate. */
enum word_kind { W_NAME = 0, W_KEYWORD, W_LAMBDA, W_AND, W_OR };

/*
 * Python keywords that never end an operand (True, False, None are
 * names here). Called for every word of the file: a switch on the first
 * letter, then a few comparisons.
 */
static enum word_kind word_kind(const char *w, size_t n)
{
	static const char *const kws[26] = {
		/* a */ "and as assert async await", /* b */ "break",
		/* c */ "class continue", /* d */ "def del",
		/* e */ "elif else except", /* f */ "finally for from",
		/* g */ "global", /* h */ "", /* i */ "if import in is",
		/* j */ "", /* k */ "", /* l */ "lambda", /* m */ "",
		/* n */ "nonlocal not", /* o */ "or", /* p */ "pass",
		/* q */ "", /* r */ "raise return", /* s */ "",
		/* t */ "try", /* u */ "", /* v */ "", /* w */ "while with",
		/* x */ "", /* y */ "yield", /* z */ "",
	};
	const char *k, *e;

	if (n < 2 || n > 8 || w[0] < 'a' || w[0] > 'z')
		return W_NAME;
	for (k = kws[w[0] - 'a']; *k; k = *e ? e + 1 : e) {
		e = strchr(k, ' ');
		if (!e)
			e = k + strlen(k);
		if ((size_t)(e - k) == n && !memcmp(k, w, n))
			return w[0] == 'l' ? W_LAMBDA :
			       n == 3 && w[0] == 'a' && w[1] == 'n' ? W_AND :
			       n == 2 && w[0] == 'o' ? W_OR : W_KEYWORD;
	}
	return W_NAME;
}

/*
 * A binary operator after an operand: when the level's last binary
 * operator was of the same class and exactly one token (its right
 * operand) came since, the operation before it is folded into one entry.
 */
static void binary(struct pyscan *p, int cls, size_t len)
{
	struct level *l = top(p);

	if (cls && l->op_class == cls && l->ntok == l->op_ntok + 1)
		set_count(p, l, l->op_count);
	else
		add_n(p, len);
	l->op_class = cls;
	l->op_count = l->count;
	l->op_ntok = l->ntok;
	l->prev = PREV_NONE;
}

/* The class of an operator for folding: 0 never folds (prefix, '**',
 * assignments). */
static int op_class(const char *o, size_t n)
{
	if (n == 1) {
		switch (o[0]) {
		case '+': case '-': return 1;
		case '*': case '/': case '%': case '@': return 2;
		case '&': return 4;
		case '^': return 5;
		case '|': return 6;
		case '<': case '>': return 7;
		default: return 0;
		}
	}
	if (n != 2)
		return 0;
	if (o[0] == '/' && o[1] == '/')
		return 2;
	if ((o[0] == '<' && o[1] == '<') || (o[0] == '>' && o[1] == '>'))
		return 3;
	if ((o[1] == '=' && strchr("<>=!", o[0])) || (o[0] == '<' && o[1] == '>'))
		return 7;
	return 0;
}

/* Length of the operator at s (1 to 3 bytes; maximal munch). */
static size_t op_len(const char *s, size_t avail)
{
	static const char two[] = "** // << >> <= >= == != <> -> := += -= *= /= "
				  "%= @= &= |= ^= ";
	size_t k;

	if (avail >= 3 && s[2] == '=' && s[0] == s[1] && strchr("*/<>", s[0]))
		return 3;  /* **= //= <<= >>= */
	if (avail < 2)
		return 1;
	for (k = 0; two[k]; k += 3)
		if (two[k] == s[0] && two[k + 1] == s[1])
			return 2;
	return 1;
}

/* Does the string being scanned end at p->i? */
static int at_string_end(const struct pyscan *p)
{
	const char *s = p->s + p->i;
	size_t avail = p->n - p->i;

	if (*s != p->quote)
		return 0;
	return !p->triple || (avail >= 3 && s[1] == p->quote && s[2] == p->quote);
}

/*
 * A string that is never closed: error recovery may leave each of its
 * escape sequences and the text after it separate nodes (a closed string
 * keeps them in a repetition), so they count, two each.
 */
static void unterminated(struct pyscan *p)
{
	if (p->escapes)
		add_n(p, 2 * p->escapes);
	p->escapes = 0;
}

/* An ordinary string's body, from after its opening quote. */
static void skip_string_body(struct pyscan *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i];

		if (c == '\\') {
			p->i += 2;  /* even raw strings cannot end on \" */
			p->escapes++;
		} else if ((c == '\n' || c == '\r') && !p->triple) {
			break;      /* unterminated: the newline is code */
		} else if (at_string_end(p)) {
			p->i += p->triple ? 3 : 1;
			return;
		} else {
			p->i++;
		}
	}
	if (p->i > p->n)
		p->i = p->n;
	unterminated(p);
}

/* A string token at p->i (its quote); prefix flags already read. */
static void string_token(struct pyscan *p, int raw, int fstr)
{
	const char *s = p->s + p->i;
	size_t avail = p->n - p->i;
	struct level *l = top(p);

	if (l->prev != PREV_STRING)
		add(p);
	l->prev = PREV_STRING;
	token(p);
	p->quote = *s;
	p->triple = avail >= 3 && s[1] == *s && s[2] == *s;
	p->raw = raw;
	p->escapes = 0;
	p->i += p->triple ? 3 : 1;
	if (!fstr) {
		skip_string_body(p);
		return;
	}
	p->fid = ++p->next_fid;
	p->mode = M_FSTR;
}

/* Open a replacement field of the current f-string at p->i ('{'). */
static void open_field(struct pyscan *p, int from_spec)
{
	struct level *l;

	/* a field is part of its string (a repeat in the grammar): it
	 * leaves nothing behind once closed, as a call does; while open,
	 * the string's start and its text so far wait below its '{' */
	add(p);
	push_level(p, 1);
	l = top(p);
	l->interp = 1;
	l->in_spec = (unsigned char)from_spec;
	l->quote = p->quote;
	l->triple = (unsigned char)p->triple;
	l->raw = (unsigned char)p->raw;
	l->fid = p->fid;
	l->escapes = p->escapes;
	p->i++;
	p->mode = M_CODE;
}

/* Close the replacement field on top (see open_field). */
static struct level pop_field(struct pyscan *p)
{
	struct level l = pop_level(p);

	if (top(p)->count)
		set_count(p, top(p), top(p)->count - 1);
	return l;
}

/* Close the replacement field on top; back to its f-string. */
static void close_field(struct pyscan *p)
{
	struct level l = pop_field(p);

	p->quote = l.quote;
	p->triple = l.triple;
	p->raw = l.raw;
	p->fid = l.fid;
	p->escapes = l.escapes;
	p->mode = l.in_spec ? M_FSPEC : M_FSTR;
	/* the field is part of the string, not an operand after it */
	top(p)->prev = PREV_STRING;
}

/* The f-string ends (its quote, or else a newline in a one-line string
 * or the end of the text: `closed` 0) while fields of it are open: they
 * end with it. */
static void end_fstring(struct pyscan *p, int closed)
{
	while (p->depth && top(p)->interp && top(p)->fid == p->fid)
		pop_field(p);
	if (!closed)
		unterminated(p);
	top(p)->prev = PREV_STRING;
	p->mode = M_CODE;
}

/* M_FSTR and M_FSPEC: the text of an f-string, up to a field or its end. */
static void scan_fstring(struct pyscan *p)
{
	while (p->i < p->n) {
		char c = p->s[p->i];

		if (c == '\\') {
			p->i += 2;
			p->escapes++;
		} else if ((c == '\n' || c == '\r') &&
			   (!p->triple || p->mode == M_FSPEC)) {
			end_fstring(p, 0);
			return;
		} else if (p->mode == M_FSTR && at_string_end(p)) {
			/* (a format spec takes quotes as text, as the
			 * grammar's format_specifier token does) */
			p->i += p->triple ? 3 : 1;
			end_fstring(p, 1);
			return;
		} else if ((c == '{' || c == '}') && p->mode == M_FSTR &&
			   p->i + 1 < p->n && p->s[p->i + 1] == c) {
			p->i += 2;  /* {{ and }} are escapes too */
			p->escapes++;
		} else if (c == '{') {
			open_field(p, p->mode == M_FSPEC);
			return;
		} else if (c == '}' && p->mode == M_FSPEC) {
			p->i++;
			close_field(p);
			if (p->mode != M_FSPEC)
				return;
		} else {
			p->i++;
		}
	}
	if (p->i > p->n)
		p->i = p->n;
}

/* Indentation at the start of a logical line at statement level. */
static void indentation(struct pyscan *p)
{
	size_t w = 0, j = p->i;

	while (j < p->n && (p->s[j] == ' ' || p->s[j] == '\t' || p->s[j] == '\f'))
		j++, w++;
	p->bol = 0;
	if (j >= p->n || p->s[j] == '\n' || p->s[j] == '\r' || p->s[j] == '#' ||
	    p->s[j] == '\\')
		return;  /* blank, comment or continued: no change */
	if (!p->n_indent || w > p->indent[p->n_indent - 1].width) {
		if (w == 0)
			return;
		SC_ALLOC_GROW(p->indent, p->n_indent + 1, p->indent_alloc);
		p->indent[p->n_indent].width = w;
		p->indent[p->n_indent++].sticky = 0;
		p->fresh = 1;
		if (p->header) {  /* the block of the header line before */
			set_count(p, &p->lv[0], 0);
			p->header = 0;
		}
		check(p);
		return;
	}
	while (p->n_indent && w < p->indent[p->n_indent - 1].width)
		p->sticky -= p->indent[--p->n_indent].sticky;
}

static void word(struct pyscan *p)
{
	const char *w = p->s + p->i;
	size_t n = 0;
	int raw, fstr;
	enum word_kind kind;
	struct level *l = top(p);

	while (p->i + n < p->n && sc_is_name_byte((unsigned char)w[n]))
		n++;
	if (p->i + n < p->n && (w[n] == '"' || w[n] == '\'') &&
	    string_prefix(w, n, &raw, &fstr)) {
		p->i += n;
		string_token(p, raw, fstr);
		return;
	}
	p->i += n;
	token(p);
	kind = word_kind(w, n);
	if ((l->prev == PREV_OPERAND || l->prev == PREV_STRING) &&
	    (kind == W_AND || kind == W_OR)) {
		binary(p, kind == W_AND ? 8 : 9, 1);
		return;
	}
	if (kind != W_NAME) {
		add(p);
		if (kind == W_LAMBDA)
			l->lambdas++;
		l->prev = PREV_NONE;
		l->op_class = 0;
		return;
	}
	if (l->prev != PREV_DOT)
		add(p);  /* an attribute's name joins its object */
	l->prev = PREV_OPERAND;
}

static void number(struct pyscan *p)
{
	const char *s = p->s;
	size_t j = p->i;

	while (j < p->n && (sc_is_name_byte((unsigned char)s[j]) || s[j] == '.' ||
			    ((s[j] == '+' || s[j] == '-') && j > p->i &&
			     (s[j - 1] == 'e' || s[j - 1] == 'E') &&
			     !(s[p->i] == '0' && p->i + 1 < p->n &&
			       (s[p->i + 1] == 'x' || s[p->i + 1] == 'X')))))
		j++;
	/* an entry per two characters: the lexer of error recovery may
	 * split what is one number in valid code ("1.2.3" as 1.2 and .3) */
	token(p);
	add_n(p, (j - p->i + 1) / 2);
	p->i = j;
	top(p)->prev = PREV_OPERAND;
}

/* Punctuation and operators in code. */
static void punct(struct pyscan *p)
{
	const char *s = p->s + p->i;
	size_t avail = p->n - p->i, len;
	struct level *l = top(p);
	char c = *s;

	token(p);
	switch (c) {
	case '(': case '[': case '{':
		push_level(p, l->prev == PREV_OPERAND || l->prev == PREV_STRING);
		p->i++;
		return;
	case ')': case ']': case '}':
		p->i++;
		if (p->depth && top(p)->interp && c == '}') {
			close_field(p);
		} else if (p->depth && !top(p)->interp) {
			pop_level(p);
		} else {
			add(p);  /* a stray closer */
			l->prev = PREV_NONE;
		}
		return;
	case ',':
		p->i++;
		if (p->depth && !l->lambdas) {
			/* what came before is one node, or a node and a
			 * repetition; then the comma */
			l->seen_comma = 1;
			set_count(p, l, 3 + l->sticky);
			check(p);
		} else {
			add(p);
		}
		l->prev = PREV_NONE;
		l->op_class = 0;
		return;
	case ';':
		p->i++;
		if (!p->depth) {
			end_statement(p);
		} else {
			add(p);
			l->prev = PREV_NONE;
		}
		return;
	case ':':
		if (avail >= 2 && s[1] == '=') {
			p->i += 2;
			add(p);
		} else if (l->interp && !l->lambdas) {
			p->i++;
			p->mode = M_FSPEC;  /* the format spec of a field */
			return;
		} else {
			p->i++;
			add(p);
			if (l->lambdas)
				l->lambdas--;
			else if (!p->depth)
				p->colon = p->tokens;
		}
		l->prev = PREV_NONE;
		l->op_class = 0;
		return;
	case '.':
		if (avail >= 3 && s[1] == '.' && s[2] == '.') {
			p->i += 3;
			add_n(p, 3);  /* error recovery may see three dots */
			l->prev = PREV_OPERAND;
		} else if (l->prev == PREV_OPERAND || l->prev == PREV_STRING) {
			p->i++;
			l->prev = PREV_DOT;
		} else {
			p->i++;
			add(p);
			l->prev = PREV_NONE;
		}
		return;
	default:
		break;
	}
	len = op_len(s, avail);
	p->i += len;
	if ((l->prev == PREV_OPERAND || l->prev == PREV_STRING) &&
	    op_class(s, len)) {
		binary(p, op_class(s, len), len);
		return;
	}
	add_n(p, len);  /* prefix, '**', assignments, anything else */
	l->prev = PREV_NONE;
	l->op_class = 0;
}

/*
 * A comment or a line continuation: an extra, which waits on the stack
 * with the tokens around it; in brackets, those before the first comma
 * stay until the bracket closes (the rest fold into the repetition).
 */
static void extra(struct pyscan *p)
{
	struct level *l = top(p);

	if (p->depth && !l->seen_comma)
		l->sticky++;
	if (!p->depth)
		p->comments++;
	l->count++;  /* not a token: binary operators fold over it */
	p->total++;
	check(p);
}

/* M_CODE: one token, comment, or run of white space. */
static void scan_code(struct pyscan *p)
{
	const char *s = p->s;
	char c;

	if (p->bol && !p->depth)
		indentation(p);
	if (p->i >= p->n)
		return;
	c = s[p->i];
	switch (c) {
	case ' ': case '\t': case '\f':
		p->i++;
		return;
	case '\r':
		/* a lone CR ends a line, as in Python */
		if (p->i + 1 < p->n && s[p->i + 1] == '\n') {
			p->i++;
			return;
		}
		/* fall through */
	case '\n':
		p->i++;
		if (!p->depth) {
			end_statement(p);
			p->bol = 1;
		}
		return;
	case '#':
		while (p->i < p->n && s[p->i] != '\n' && s[p->i] != '\r')
			p->i++;
		extra(p);
		return;
	case '\\':
		p->i++;
		if (p->i < p->n && s[p->i] == '\r')
			p->i++;
		if (p->i < p->n && s[p->i] == '\n')
			p->i++;
		extra(p);  /* a line continuation is an extra too */
		return;
	case '"': case '\'':
		string_token(p, 0, 0);
		return;
	default:
		break;
	}
	if ((c >= '0' && c <= '9') ||
	    (c == '.' && p->i + 1 < p->n && s[p->i + 1] >= '0' &&
	     s[p->i + 1] <= '9'))
		number(p);
	else if (sc_is_name_byte((unsigned char)c))
		word(p);
	else
		punct(p);
}

int sc_tsguard_python(const char *text, size_t len, size_t *off, char **msg)
{
	struct pyscan p;
	int rc = 0;

	memset(&p, 0, sizeof(p));
	p.s = text;
	p.n = len;
	p.bol = 1;
	p.fresh = 1;
	SC_ALLOC_GROW(p.lv, 1, p.alloc);
	memset(&p.lv[0], 0, sizeof(p.lv[0]));
	while (p.i < p.n && !p.failed) {
		if (p.mode == M_CODE)
			scan_code(&p);
		else
			scan_fstring(&p);
	}
	if (p.mode != M_CODE && !p.failed)
		end_fstring(&p, 0);  /* the text ends inside an f-string */
	if (!p.failed)
		goto out;
	rc = -1;
	if (p.depth) {
		size_t k;
		/* the outermost bracket still open (not an f-string field) */
		for (k = 1; k <= p.depth && p.lv[k].interp; k++)
			;
		if (k > p.depth)
			k = 1;
		*off = p.lv[k].open;
		*msg = sc_xasprintf("'%c' was never closed, or nests too deeply "
				    "to parse (more than %u tokens open at once)",
				    text[*off], SC_TSGUARD_MAX_STACK);
	} else if ((p.comments + p.sticky) * 2 > SC_TSGUARD_MAX_STACK) {
		*off = p.fail_at;
		*msg = sc_xasprintf("too many comments in a row (%zu): the parser "
				    "would hold more than %u tokens open at once",
				    p.comments + p.sticky, SC_TSGUARD_MAX_STACK);
	} else {
		*off = p.fail_at;
		*msg = sc_xasprintf("statement nests too deeply to parse (more "
				    "than %u tokens open at once)",
				    SC_TSGUARD_MAX_STACK);
	}
out:
	free(p.lv);
	free(p.indent);
	return rc;
}

/* ---- TOML ---------------------------------------------------------------- */

int sc_tsguard_toml(const char *text, size_t len, size_t *off, char **msg)
{
	size_t i = 0, depth = 0;

	while (i < len) {
		char c = text[i];

		if (c == '#') {
			while (i < len && text[i] != '\n' && text[i] != '\r')
				i++;
		} else if (c == '"' || c == '\'') {
			int triple = i + 2 < len && text[i + 1] == c &&
				     text[i + 2] == c;
			i += triple ? 3 : 1;
			while (i < len) {
				if (c == '"' && text[i] == '\\') {
					i += 2;
				} else if ((text[i] == '\n' || text[i] == '\r') &&
					   !triple) {
					break;
				} else if (text[i] == c && (!triple ||
					   (i + 2 < len && text[i + 1] == c &&
					    text[i + 2] == c))) {
					i += triple ? 3 : 1;
					break;
				} else {
					i++;
				}
			}
		} else if (c == '[' || c == '{') {
			if (++depth > SC_TSGUARD_MAX_TOML_DEPTH) {
				*off = i;
				*msg = sc_xasprintf("arrays and inline tables "
						    "nested more than %u deep",
						    SC_TSGUARD_MAX_TOML_DEPTH);
				return -1;
			}
			i++;
		} else if (c == ']' || c == '}') {
			if (depth)
				depth--;
			i++;
		} else {
			i++;
		}
	}
	return 0;
}
