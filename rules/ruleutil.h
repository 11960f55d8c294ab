/*
 * ruleutil.h: small questions several rules ask of the facts: a
 * migration's name for messages, whether an op changes the schema, what a
 * migration created before a given op, and what the models declare.
 */
#ifndef SC_RULEUTIL_H
#define SC_RULEUTIL_H

#include "engine.h"
#include "facts.h"

/* The revision id of a unit for messages ("abc123", or its file name). */
const char *sc_unit_label(const struct sc_unit *u);

/* Does this op change the schema (DDL), as opposed to data or nothing? */
int sc_op_changes_schema(const struct sc_op *op);

/* Did ops[0..i) create table `table` (op.create_table or CREATE TABLE)? */
int sc_ops_created_table_before(const struct sc_op *ops, size_t i,
				const char *table);

/*
 * The model table named `table` in analysis `a` (borrowed), or NULL;
 * *unit_out (if not NULL) receives its unit.
 */
const struct sc_model_table *sc_models_find_table(const struct sc_analysis *a,
		const char *table, const struct sc_unit **unit_out);

/* The model column `column` of `t` (borrowed), or NULL. */
const struct sc_column *sc_model_find_column(const struct sc_model_table *t,
					     const char *column);

/*
 * A suggestion for the downgrade() line that undoes `op` (owned by the
 * caller), e.g. "op.drop_column('users', 'email')"; NULL when none.
 */
char *sc_op_inverse_hint(const struct sc_op *op);

#endif
