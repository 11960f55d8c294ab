/*
 * rule.h: what a rule is. Each rule lives in rules/scNNN_<name>.c: a doc
 * comment (the text `schemacheck explain` prints, extracted at build time
 * into <stem>.doc.inc), metadata, and a check function that reads the
 * analysis in `ctx` and reports through sc_diags_add(ctx->out, ...).
 * rules/rules.def is the one list of rules.
 *
 * A check function reports findings only; it has no failure return.
 * Unknowns never produce findings (DESIGN.md section 5).
 */
#ifndef SC_RULE_H
#define SC_RULE_H

#include "diag.h"
#include "engine.h"

struct sc_rule {
	const char *code;          /* "SC201" */
	const char *name;          /* "not-null-without-default" */
	enum sc_severity severity; /* default severity */
	const char *summary;       /* one line: fires when ... */
	const char *doc;           /* markdown: What it does / Why is this bad? / Example / Use instead */
	/* Run over the analysis; NULL for rules the engine reports itself (SC001, SC002). */
	void (*check)(struct sc_ctx *ctx, const struct sc_rule *self);
};

/* The rules, sorted by code. */
extern const struct sc_rule *const sc_rules[];
extern const size_t sc_n_rules;

/* A rule by exact code (case-insensitive) or name, or NULL. */
const struct sc_rule *sc_rule_find(const char *code_or_name);

/*
 * Does `sel` (a code such as SC203, a prefix such as SC2 or SC, or a rule
 * name) select `rule`? Returns 1 or 0.
 */
int sc_rule_matches(const struct sc_rule *rule, const char *sel);

/* Is `sel` a valid selector (matches at least one rule)? */
int sc_rule_selector_valid(const char *sel);

#endif
