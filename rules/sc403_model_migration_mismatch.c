/*! SC403 model-migration-mismatch
 * ## What it does
 * Compares each model column with the same column of the schema obtained
 * by replaying every migration's `upgrade()`, and reports one warning per
 * column listing what differs: nullability, type family (Integer,
 * String, Text, DateTime, ...), a `server_default` the model declares
 * and the migrations never set (not the other way round: a database
 * default the model does not mention is harmless), and whether it is
 * unique or indexed (`unique=True`/`index=True`,
 * `UniqueConstraint`/`Index` in `__table_args__`, against any index or
 * unique constraint on exactly that column, whatever its name). A
 * primary key counts as NOT NULL, and `Mapped[X]` without `Optional` as
 * NOT NULL. Only what both sides state for sure is compared: a custom
 * type, a type given only by a `Mapped[...]` annotation, a column or an
 * index the replay is unsure of, stay silent. (After a migration calls
 * a helper the replay cannot see into, the tables that existed then are
 * unsure; a column that a later `add_column` states is known again.)
 *
 * ## Why is this bad?
 * The database is what the migrations made, not what the models say.
 * A model that says `nullable=False` over a nullable column lets NULLs
 * in that the code never expects; a model index that no migration
 * creates makes production queries slow while tests (built by
 * `create_all()`) are fast; the next `alembic revision --autogenerate`
 * mixes the old drift into an unrelated change.
 *
 * ## Example
 * ```python
 * # models.py
 * class User(Base):
 *     __tablename__ = "users"
 *     email = sa.Column(sa.String(255), nullable=False, index=True)
 *
 * # migrations/versions/1a2b_create_users.py
 * op.create_table("users", sa.Column("email", sa.String(255)))
 * ```
 *
 * ## Use instead
 * ```python
 * # migrations/versions/3c4d_users_email_not_null.py
 * def upgrade():
 *     op.alter_column("users", "email", existing_type=sa.String(255),
 *                     nullable=False)
 *     op.create_index(op.f("ix_users_email"), "users", ["email"])
 * ```
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rule.h"
#include "ruleutil.h"
#include "schema.h"
#include "util.h"

static const char doc[] =
#include "sc403_model_migration_mismatch.doc.inc"
	;

static const struct sc_scolumn *find_column(const struct sc_stable *t,
					    const char *name)
{
	size_t i;

	for (i = 0; i < t->n_cols; i++)
		if (!strcasecmp(t->cols[i].name, name))
			return &t->cols[i];
	return NULL;
}

/* Families that one database (or SQLAlchemy's emulation) stores alike. */
static int families_agree(enum sc_type_family a, enum sc_type_family b)
{
	static const enum sc_type_family same[][2] = {
		{ SC_TYPE_STRING, SC_TYPE_ENUM },      /* Enum(native_enum=False) */
		{ SC_TYPE_STRING, SC_TYPE_UUID },      /* Uuid as CHAR(32) */
		{ SC_TYPE_BINARY, SC_TYPE_UUID },
		{ SC_TYPE_INTEGER, SC_TYPE_BOOLEAN },  /* MySQL TINYINT(1) */
	};
	size_t i;

	if (a == b)
		return 1;
	for (i = 0; i < SC_ARRAY_SIZE(same); i++)
		if ((same[i][0] == a && same[i][1] == b) ||
		    (same[i][0] == b && same[i][1] == a))
			return 1;
	return 0;
}

static int known_family(enum sc_type_family f)
{
	return f != SC_TYPE_UNKNOWN && f != SC_TYPE_OTHER;
}

/* Model flags for column `name` of t: SC_IDX_INDEX / SC_IDX_UNIQUE. */
static int model_indexed(const struct sc_model_table *t,
			 const struct sc_column *c)
{
	int r = (c->index ? SC_IDX_INDEX : 0) | (c->unique ? SC_IDX_UNIQUE : 0);
	size_t i;

	for (i = 0; i < t->n_cons; i++) {
		const struct sc_constraint *k = &t->cons[i];

		if (k->n_cols != 1 || !k->cols[0] || strcmp(k->cols[0], c->name))
			continue;
		if (k->kind == SC_CONS_INDEX)
			r |= SC_IDX_INDEX | (k->unique ? SC_IDX_UNIQUE : 0);
		else if (k->kind == SC_CONS_UNIQUE)
			r |= SC_IDX_UNIQUE;
	}
	return r;
}

/* The name of a replayed index (index != 0) or UNIQUE on exactly `col`. */
static const char *schema_index_name(const struct sc_stable *t,
				     const char *col, int index)
{
	size_t i;

	for (i = 0; i < t->n_indexes; i++) {
		const struct sc_sindex *x = &t->indexes[i];

		if (x->n_cols != 1 || !x->cols[0] || strcmp(x->cols[0], col))
			continue;
		if (index ? x->kind == SC_CONS_INDEX
			  : (x->kind == SC_CONS_UNIQUE ||
			     (x->kind == SC_CONS_INDEX && x->unique)))
			return x->name;
	}
	return NULL;
}

/* Add `s` to b unless b is empty; returns b. */
static struct sc_buf *sep(struct sc_buf *b, const char *s)
{
	if (b->len)
		sc_buf_adds(b, s);
	return b;
}

static void check_column(struct sc_ctx *ctx, const struct sc_rule *self,
			 const struct sc_unit *u, const struct sc_model_table *t,
			 const struct sc_column *c, const struct sc_stable *st,
			 int compare_indexes)
{
	const struct sc_scolumn *sc = find_column(st, c->name);
	struct sc_buf what = SC_BUF_INIT, alter = SC_BUF_INIT, more = SC_BUF_INIT;
	int pk, m_null, mi, si;
	char *mtype = NULL, *stype = NULL;
	struct sc_diag *d;

	if (!sc || (st->uncertain && !sc->stated))
		return;         /* SC402's, or not known */
	pk = c->primary_key || sc->primary_key;

	/* nullability: a primary key is NOT NULL in every database */
	m_null = sc_column_is_nullable(c);
	if (!pk && sc->nullable != SC_UNKNOWN &&
	    m_null != (sc->nullable == SC_YES)) {
		sc_buf_addf(&what, "nullable (model: %s, migrations: %s)",
			    m_null ? "NULL" : "NOT NULL",
			    m_null ? "NOT NULL" : "NULL");
		sc_buf_addf(&alter, ", nullable=%s", m_null ? "True" : "False");
	}

	/* type family, when both are written as known SQLAlchemy types */
	if (!c->type_from_annotation && known_family(c->family) &&
	    known_family(sc->family) && !families_agree(c->family, sc->family)) {
		mtype = sc_model_type_code(c);
		stype = sc_oneline(sc->type, 40);
		sep(&what, ", ");
		sc_buf_addf(&what, "type (model: %s, migrations: %s)", mtype,
			    stype ? stype : "?");
		sc_buf_addf(&alter, ", type_=%s", mtype);
	}

	/*
	 * a database-side default the model counts on but no migration
	 * made; the other way round (a default the migrations set and the
	 * model does not mention) is harmless: the database fills in what
	 * the application never leaves out, and autogenerate does not
	 * compare server defaults unless told to
	 */
	if (!pk && c->has_server_default && !sc->has_server_default) {
		sep(&what, ", ");
		sc_buf_adds(&what, "server_default (model: set, migrations: "
			    "none)");
		sc_buf_adds(&alter, ", server_default=<the model's default>");
	}

	if (compare_indexes) {
		int hinted = 0;         /* the index hint is given already */

		mi = model_indexed(t, c);
		si = sc_stable_indexed(st, sc->name);
		/* unique: a primary key is unique anyway */
		if (!pk && !!(mi & SC_IDX_UNIQUE) != !!(si & SC_IDX_UNIQUE)) {
			const char *n = schema_index_name(st, sc->name, 0);

			sep(&what, ", ");
			sc_buf_addf(&what, "unique (model: %s, migrations: %s)",
				    mi & SC_IDX_UNIQUE ? "yes" : "no",
				    mi & SC_IDX_UNIQUE ? "no" : "yes");
			sep(&more, "; ");
			hinted = (mi & SC_IDX_INDEX) || (si & SC_IDX_INDEX);
			if ((mi & SC_IDX_UNIQUE) && (mi & SC_IDX_INDEX))
				sc_buf_addf(&more, "op.create_index(op.f('ix_%s_%s'), "
					    "'%s', ['%s'], unique=True)", t->name,
					    sc->name, t->name, sc->name);
			else if (mi & SC_IDX_UNIQUE)
				sc_buf_addf(&more, "op.create_unique_constraint("
					    "op.f('uq_%s_%s'), '%s', ['%s'])",
					    t->name, sc->name, t->name, sc->name);
			else if (n && (si & SC_IDX_INDEX))
				sc_buf_addf(&more, "op.drop_index('%s', "
					    "table_name='%s')", n, t->name);
			else if (n)
				sc_buf_addf(&more, "op.drop_constraint('%s', '%s', "
					    "type_='unique')", n, t->name);
			else
				sc_buf_addf(&more, "drop the unique constraint "
					    "on '%s'", sc->name);
		}
		/* an index: a unique one stands in for a unique constraint
		 * and the other way round */
		if (((mi & SC_IDX_INDEX) && !si) ||
		    (!mi && (si & SC_IDX_INDEX))) {
			const char *n = schema_index_name(st, sc->name, 1);

			sep(&what, ", ");
			sc_buf_addf(&what, "index (model: %s, migrations: %s)",
				    mi ? "yes" : "no", mi ? "no" : "yes");
			if (hinted)
				;
			else if (mi)
				sc_buf_addf(sep(&more, "; "), "op.create_index("
					    "op.f('ix_%s_%s'), '%s', ['%s'])",
					    t->name, sc->name, t->name, sc->name);
			else if (n)
				sc_buf_addf(sep(&more, "; "), "op.drop_index('%s', "
					    "table_name='%s')", n, t->name);
			else
				sc_buf_addf(sep(&more, "; "), "drop the index on "
					    "'%s'", sc->name);
		}
	}

	if (!what.len)
		goto out;
	if (t->class_name)
		d = sc_diags_add(ctx->out, self, u->file, &c->loc,
				 "model '%s' and the migrations disagree on "
				 "column '%s.%s': %s", t->class_name, t->name,
				 c->name, sc_buf_str(&what));
	else
		d = sc_diags_add(ctx->out, self, u->file, &c->loc,
				 "this table declaration and the migrations "
				 "disagree on column '%s.%s': %s", t->name,
				 c->name, sc_buf_str(&what));
	sc_diag_set_subject(d, t->name, c->name, NULL);
	if (alter.len) {
		sep(&more, "; ");
		sc_buf_addf(&more, "op.alter_column('%s', '%s'%s)", t->name,
			    sc->name, sc_buf_str(&alter));
	}
	sc_diag_set_help(d, "add a migration that makes the database match the "
			    "model (%s), or correct the model", sc_buf_str(&more));
out:
	free(mtype);
	free(stype);
	sc_buf_release(&what);
	sc_buf_release(&alter);
	sc_buf_release(&more);
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_analysis *a = ctx->now;
	const struct sc_schema *s = a->schema;
	size_t i, j, k;

	/* ops that may have changed any table made those tables uncertain */
	if (!a->migrations_found)
		return;
	for (i = 0; i < a->n_models; i++) {
		const struct sc_unit *u = a->models[i];

		for (j = 0; j < u->models->n_tables; j++) {
			const struct sc_model_table *t = &u->models->tables[j];
			const struct sc_stable *st;
			int idx;

			if (!t->name)
				continue;
			/* of an uncertain table, the columns stated since
			 * it became uncertain are compared, not its indexes */
			st = sc_schema_table(s, t->name);
			if (!st)
				continue;
			idx = !t->uncertain && !t->cons_uncertain &&
			      !st->uncertain && !st->indexes_uncertain;
			for (k = 0; k < t->n_cols; k++)
				if (t->cols[k].name)
					check_column(ctx, self, u, t, &t->cols[k],
						     st, idx);
		}
	}
}

const struct sc_rule sc_rule_SC403 = {
	.code = "SC403",
	.name = "model-migration-mismatch",
	.severity = SC_SEV_WARNING,
	.summary = "a model column's nullability, type family, server_default, "
		   "unique or index differs from the replayed schema",
	.doc = doc,
	.check = check,
};
