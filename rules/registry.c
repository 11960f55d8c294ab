/*
 * registry.c: the table of rules built from rules.def, and lookups by
 * code, name and prefix.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "rule.h"

#define SC_RULE(code) extern const struct sc_rule sc_rule_##code;
#include "rules.def"
#undef SC_RULE

#define SC_RULE(code) &sc_rule_##code,
const struct sc_rule *const sc_rules[] = {
#include "rules.def"
};
#undef SC_RULE

const size_t sc_n_rules = SC_ARRAY_SIZE(sc_rules);

const struct sc_rule *sc_rule_find(const char *s)
{
	size_t i;
	for (i = 0; i < sc_n_rules; i++)
		if (!strcasecmp(sc_rules[i]->code, s) ||
		    !strcmp(sc_rules[i]->name, s))
			return sc_rules[i];
	return NULL;
}

int sc_rule_matches(const struct sc_rule *r, const char *sel)
{
	size_t n = strlen(sel);
	if (!n)
		return 0;
	if (!strcmp(r->name, sel))
		return 1;
	/* a code or a code prefix: SC, SC2, SC20, SC203 */
	return n <= strlen(r->code) && !strncasecmp(r->code, sel, n) &&
	       toupper((unsigned char)sel[0]) == 'S';
}

int sc_rule_selector_valid(const char *sel)
{
	size_t i;
	for (i = 0; i < sc_n_rules; i++)
		if (sc_rule_matches(sc_rules[i], sel))
			return 1;
	return 0;
}
