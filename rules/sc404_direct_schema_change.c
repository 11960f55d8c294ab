/*! SC404 direct-schema-change
 * ## What it does
 * Reports application code that changes the database schema itself
 * instead of through an Alembic migration: `metadata.create_all()` /
 * `drop_all()` (`Base.metadata`, `SQLModel.metadata`, Flask-SQLAlchemy's
 * `db.create_all()`), `.create()` / `.drop()` on a `Table` or `Index` of
 * the same file or on `Model.__table__`, and DDL text run through
 * `execute()`, `exec_driver_sql()` or `text()` (`CREATE`/`ALTER`/`DROP
 * TABLE`, `CREATE`/`DROP INDEX`; string literals only). Application code
 * is every Python file that is not a migration, an Alembic `env.py` or a
 * test (`test_*.py`, `*_test.py`, `conftest.py`, `tests/`), or the
 * files the `code` setting names. `.create()` on anything else
 * (`User.objects.create()`, `client.create()`) is not reported.
 *
 * ## Why is this bad?
 * Every schema change goes through a migration. Tables made by
 * `create_all()` at start-up are invisible to Alembic: the next
 * migration that touches them fails, `alembic upgrade` on a fresh
 * database disagrees with production, and no downgrade exists.
 *
 * ## Example
 * ```python
 * # app/__init__.py
 * def create_app():
 *     app = Flask(__name__)
 *     db.init_app(app)
 *     with app.app_context():
 *         db.create_all()
 *     return app
 * ```
 *
 * ## Use instead
 * ```python
 * # migrations/versions/1a2b_initial.py, made by
 * #   alembic revision --autogenerate -m "initial"
 * def upgrade():
 *     op.create_table("users", sa.Column("id", sa.Integer, primary_key=True))
 *
 * # deploy: alembic upgrade head (tests may call create_all() in conftest.py)
 * ```
 */
#include "rule.h"
#include "ruleutil.h"

static const char doc[] =
#include "sc404_direct_schema_change.doc.inc"
	;

static void report(struct sc_ctx *ctx, const struct sc_rule *self,
		   const struct sc_unit *u, const struct sc_codecall *k)
{
	struct sc_diag *d;
	const char *t = k->table;

	switch (k->kind) {
	case SC_CODE_CREATE_ALL:
		d = sc_diags_add(ctx->out, self, u->file, &k->loc,
				 "'%s()' creates the models' tables outside of "
				 "Alembic migrations", k->call);
		break;
	case SC_CODE_DROP_ALL:
		d = sc_diags_add(ctx->out, self, u->file, &k->loc,
				 "'%s()' drops the models' tables outside of "
				 "Alembic migrations", k->call);
		break;
	case SC_CODE_CREATE:
	case SC_CODE_DROP:
		if (t)
			d = sc_diags_add(ctx->out, self, u->file, &k->loc,
					 "'%s()' %s table '%s' outside of Alembic "
					 "migrations", k->call,
					 k->kind == SC_CODE_CREATE ? "creates"
								   : "drops", t);
		else
			d = sc_diags_add(ctx->out, self, u->file, &k->loc,
					 "'%s()' %s %s %s outside of Alembic "
					 "migrations", k->call,
					 k->kind == SC_CODE_CREATE ? "creates"
								   : "drops",
					 k->what[0] == 'i' ? "an" : "a", k->what);
		break;
	default:
		if (t)
			d = sc_diags_add(ctx->out, self, u->file, &k->loc,
					 "'%s()' runs %s on '%s' outside of Alembic "
					 "migrations", k->call, k->what, t);
		else
			d = sc_diags_add(ctx->out, self, u->file, &k->loc,
					 "'%s()' runs %s outside of Alembic "
					 "migrations", k->call, k->what);
		break;
	}
	sc_diag_set_subject(d, t, NULL, NULL);
	if (k->kind == SC_CODE_DDL)
		sc_diag_set_help(d, "move the statement into a migration "
				    "(alembic revision -m \"...\"; op.execute(...) "
				    "or the matching op.* call) and apply it with "
				    "'alembic upgrade head'");
	else
		sc_diag_set_help(d, "create and drop tables in Alembic migrations "
				    "(alembic revision --autogenerate) and apply "
				    "them with 'alembic upgrade head'; tests may "
				    "build their schema in conftest.py");
}

static void check(struct sc_ctx *ctx, const struct sc_rule *self)
{
	const struct sc_analysis *a = ctx->now;
	size_t i, j;

	for (i = 0; i < a->n_code; i++) {
		const struct sc_unit *u = a->code[i];

		for (j = 0; u->code && j < u->code->n_calls; j++)
			report(ctx, self, u, &u->code->calls[j]);
	}
}

const struct sc_rule sc_rule_SC404 = {
	.code = "SC404",
	.name = "direct-schema-change",
	.severity = SC_SEV_ERROR,
	.summary = "application code calls metadata.create_all/drop_all, "
		   "Table.create/drop, or runs DDL text instead of a migration",
	.doc = doc,
	.check = check,
};
