/*
 * config.h: the effective configuration of a run (DESIGN.md section 4):
 * defaults, then the configuration file, then the command line.
 */
#ifndef SC_CONFIG_H
#define SC_CONFIG_H

#include <stddef.h>

#include "diag.h"

enum sc_downgrade_policy {
	SC_DOWNGRADE_REQUIRED = 0, SC_DOWNGRADE_OPTIONAL, SC_DOWNGRADE_FORBIDDEN,
};

enum sc_dialect {
	SC_DIALECT_GENERIC = 0, SC_DIALECT_POSTGRESQL, SC_DIALECT_MYSQL,
	SC_DIALECT_SQLITE,
};

struct sc_severity_override {
	char *selector;              /* code, name or prefix */
	enum sc_severity severity;
};

struct sc_per_file_ignore {
	char *glob;
	char **selectors;
	size_t n_selectors;
};

struct sc_config {
	char *path;                  /* the file it was read from, or NULL */
	char **migrations;           /* versions folders; NULL/0 = discover */
	size_t n_migrations;
	char **models;               /* globs of model files; 0 = discover */
	size_t n_models;
	char **exclude;              /* globs never read */
	size_t n_exclude;
	char **select;               /* NULL/0 = all rules */
	size_t n_select;
	char **ignore;
	size_t n_ignore;
	struct sc_severity_override *severity;
	size_t n_severity;
	struct sc_per_file_ignore *per_file_ignores;
	size_t n_per_file_ignores;
	char *since;                 /* revision id, or NULL */
	unsigned since_line;         /* its line in `path`; 0 when from the command line */
	enum sc_downgrade_policy downgrade;
	enum sc_dialect dialect;
	char *release_tags;          /* glob, default "v*" */
	long heads;                  /* allowed heads; 0 (the default): one
				      * per branch label */
	char **code;                 /* globs checked by SC404; 0 = all non-migration .py */
	size_t n_code;
	int strict;
};

/* Configuration files larger than this are refused (SC_EUSAGE). */
#define SC_CONFIG_MAX_SIZE (4u << 20)

/*
 * Read the configuration file `path` into c: `[tool.schemacheck]` when
 * the file is a pyproject.toml (a pyproject without that table configures
 * nothing), the top level otherwise. `shown` is the name used in
 * messages. Returns 0 (and sets *found when the file configured
 * schemacheck), SC_EUSAGE with a message naming the file and line for an
 * unknown key, a wrong type or an invalid value, or naming the file and
 * the limit when it is larger than SC_CONFIG_MAX_SIZE, or -1 when the
 * file cannot be read or is not a regular file (it is opened without
 * blocking: a FIFO or a device is refused, never waited on).
 */
int sc_config_load(struct sc_config *c, const char *path, const char *shown,
		   int *found);

/* Initialise with the defaults. */
void sc_config_init(struct sc_config *c);
void sc_config_release(struct sc_config *c);

/* Append a copy of s to a string list. */
void sc_strlist_add(char ***list, size_t *n, const char *s);
void sc_strlist_free(char **list, size_t n);

/*
 * Is the rule enabled by select/ignore? (per-file-ignores are applied to
 * diagnostics separately.) Returns 1 or 0.
 */
int sc_config_rule_enabled(const struct sc_config *c, const struct sc_rule *r);
/* The rule's effective severity. */
enum sc_severity sc_config_severity(const struct sc_config *c, const struct sc_rule *r);
/*
 * The severity the configuration sets for the rule: 1 and *out when a
 * `severity` entry matches it (the most specific wins), else 0.
 */
int sc_config_severity_override(const struct sc_config *c,
				const struct sc_rule *r, enum sc_severity *out);

#endif
