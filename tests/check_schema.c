/*
 * check_schema.c: the simple-DDL reader (sqlddl.c) and the schema replay
 * (schema.c): what each op does to tables and columns, and that unknowns
 * make the schema or a table uncertain instead of being guessed.
 */
#include "testutil.h"

#include "facts.h"
#include "migration.h"
#include "pysrc.h"
#include "schema.h"
#include "sqlddl.h"

static struct sc_op *parse(const char *sql, size_t *n, int *unknown,
			   char **table)
{
	struct sc_op *ops = NULL;
	*n = 0;
	sc_sqlddl_parse(sql, 0, NULL, &ops, n, unknown, table);
	return ops;
}

static void free_ops(struct sc_op *ops, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		sc_op_release(&ops[i]);
	free(ops);
}

START_TEST(test_sql_create_table_columns)
{
	size_t n;
	int unknown;
	char *table;
	struct sc_op *ops = parse(
		"CREATE TABLE IF NOT EXISTS public.\"Invoices\" (\n"
		"  id SERIAL PRIMARY KEY,\n"
		"  total NUMERIC(10, 2) NOT NULL DEFAULT 0,\n"
		"  note TEXT,\n"
		"  CONSTRAINT fk FOREIGN KEY (id) REFERENCES x (id)\n"
		"); -- trailing comment", &n, &unknown, &table);

	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(unknown, 0);
	ck_assert_int_eq(ops[0].kind, SC_OP_CREATE_TABLE);
	ck_assert_str_eq(ops[0].table, "Invoices");
	ck_assert_int_eq(ops[0].n_cols, 3);
	ck_assert_str_eq(ops[0].cols[0].name, "id");
	ck_assert_int_eq(ops[0].cols[0].primary_key, 1);
	ck_assert_str_eq(ops[0].cols[1].name, "total");
	ck_assert_int_eq(ops[0].cols[1].nullable, SC_NO);
	ck_assert_int_eq(ops[0].cols[1].has_server_default, 1);
	ck_assert_int_eq(ops[0].cols[2].nullable, SC_UNKNOWN);
	free_ops(ops, n);
	free(table);
}
END_TEST

START_TEST(test_sql_alter_and_drop)
{
	size_t n;
	int unknown;
	char *table;
	struct sc_op *ops = parse(
		"ALTER TABLE users ADD COLUMN email VARCHAR(100) NOT NULL;"
		"alter table users drop column legacy;"
		"ALTER TABLE users RENAME COLUMN nick TO nickname;"
		"ALTER TABLE users ALTER COLUMN email SET NOT NULL;"
		"ALTER TABLE users RENAME TO members;"
		"DROP TABLE IF EXISTS a, b;"
		"CREATE UNIQUE INDEX CONCURRENTLY ix ON members (email);"
		"UPDATE members SET email = '' WHERE email IS NULL;",
		&n, &unknown, &table);

	ck_assert_int_eq(unknown, 0);
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(ops[0].kind, SC_OP_ADD_COLUMN);
	ck_assert_str_eq(ops[0].column, "email");
	ck_assert_int_eq(ops[0].cols[0].nullable, SC_NO);
	ck_assert_int_eq(ops[1].kind, SC_OP_DROP_COLUMN);
	ck_assert_str_eq(ops[1].column, "legacy");
	ck_assert_int_eq(ops[2].kind, SC_OP_ALTER_COLUMN);
	ck_assert_str_eq(ops[2].new_name, "nickname");
	ck_assert_int_eq(ops[3].nullable, SC_NO);
	ck_assert_int_eq(ops[4].kind, SC_OP_RENAME_TABLE);
	ck_assert_str_eq(ops[4].new_name, "members");
	ck_assert_int_eq(ops[5].kind, SC_OP_DROP_TABLE);
	ck_assert_int_eq(ops[6].kind, SC_OP_DROP_TABLE);
	ck_assert_str_eq(ops[6].table, "b");
	ck_assert_int_eq(ops[7].kind, SC_OP_CREATE_INDEX);
	ck_assert_int_eq(ops[7].unique, 1);
	free_ops(ops, n);
	free(table);
}
END_TEST

START_TEST(test_sql_unknown_ddl_and_quotes)
{
	size_t n;
	int unknown;
	char *table;
	struct sc_op *ops = parse("INSERT INTO t VALUES ('CREATE TABLE x (a int)');"
				  "CREATE VIEW v AS SELECT 1;", &n, &unknown, &table);
	ck_assert_int_eq(n, 0); /* DDL inside a string literal is data */
	ck_assert_int_eq(unknown, 0);
	free_ops(ops, n);
	free(table);

	ops = parse("ALTER TABLE users SET UNLOGGED; TRUNCATE users",
		    &n, &unknown, &table);
	ck_assert_int_eq(unknown, 1);
	ck_assert_ptr_nonnull(table);
	ck_assert_str_eq(table, "users");
	free_ops(ops, n);
	free(table);

	/* never reads past the end: unterminated quotes and comments */
	ops = parse("CREATE TABLE \"x", &n, &unknown, &table);
	free_ops(ops, n);
	free(table);
	ops = parse("/* CREATE TABLE", &n, &unknown, &table);
	ck_assert_int_eq(n, 0);
	free_ops(ops, n);
	free(table);
}
END_TEST

static struct sc_column col(const char *name, enum sc_tri nullable)
{
	struct sc_column c;
	memset(&c, 0, sizeof(c));
	c.name = (char *)name;
	c.nullable = nullable;
	c.type_length = -1;
	return c;
}

static struct sc_op op(enum sc_op_kind kind, const char *table,
		       const char *column)
{
	struct sc_op o;
	memset(&o, 0, sizeof(o));
	o.kind = kind;
	o.table = (char *)table;
	o.column = (char *)column;
	o.nullable = SC_UNKNOWN;
	return o;
}

START_TEST(test_replay_ops)
{
	struct sc_schema *s = sc_xcalloc(1, sizeof(*s));
	struct sc_column cols[2] = { col("id", SC_UNKNOWN), col("email", SC_NO) };
	struct sc_column added = col("nick", SC_UNKNOWN);
	struct sc_op o;
	struct sc_stable *t;

	cols[0].primary_key = 1;
	o = op(SC_OP_CREATE_TABLE, "users", NULL);
	o.cols = cols;
	o.n_cols = 2;
	sc_schema_apply(s, &o, NULL);
	t = sc_schema_table(s, "users");
	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(t->n_cols, 2);
	ck_assert_int_eq(sc_schema_column(t, "id")->nullable, SC_NO);   /* pk */
	ck_assert_int_eq(sc_schema_column(t, "email")->nullable, SC_NO);

	o = op(SC_OP_ADD_COLUMN, "users", "nick");
	o.cols = &added;
	o.n_cols = 1;
	sc_schema_apply(s, &o, NULL);
	ck_assert_int_eq(sc_schema_column(sc_schema_table(s, "users"), "nick")->nullable,
			 SC_YES);

	o = op(SC_OP_ALTER_COLUMN, "users", "nick");
	o.new_name = "nickname";
	o.nullable = SC_NO;
	sc_schema_apply(s, &o, NULL);
	t = sc_schema_table(s, "users");
	ck_assert_ptr_null(sc_schema_column(t, "nick"));
	ck_assert_int_eq(sc_schema_column(t, "nickname")->nullable, SC_NO);

	o = op(SC_OP_DROP_COLUMN, "users", "email");
	sc_schema_apply(s, &o, NULL);
	ck_assert_ptr_null(sc_schema_column(sc_schema_table(s, "users"), "email"));

	o = op(SC_OP_RENAME_TABLE, "users", NULL);
	o.new_name = "members";
	sc_schema_apply(s, &o, NULL);
	ck_assert_ptr_null(sc_schema_table(s, "users"));
	ck_assert_ptr_nonnull(sc_schema_table(s, "members"));
	ck_assert_int_eq(s->uncertain, 0);
	ck_assert_int_eq(s->implied_tables, 0);

	o = op(SC_OP_EXECUTE, NULL, NULL);
	o.sql = "CREATE TABLE audit (id int); DROP TABLE members";
	sc_schema_apply(s, &o, NULL);
	ck_assert_ptr_nonnull(sc_schema_table(s, "audit"));
	ck_assert_ptr_null(sc_schema_table(s, "members"));

	o = op(SC_OP_DROP_TABLE, "audit", NULL);
	sc_schema_apply(s, &o, NULL);
	ck_assert_int_eq(s->n_tables, 0);
	sc_schema_free(s);
}
END_TEST

START_TEST(test_replay_unknowns)
{
	struct sc_schema *s = sc_xcalloc(1, sizeof(*s));
	struct sc_column c = col("x", SC_UNKNOWN);
	struct sc_op o;

	/* an op on a table no migration created implies it, uncertain */
	o = op(SC_OP_ADD_COLUMN, "legacy", "x");
	o.cols = &c;
	o.n_cols = 1;
	sc_schema_apply(s, &o, NULL);
	ck_assert_int_eq(sc_schema_table(s, "legacy")->uncertain, 1);
	ck_assert_int_eq(s->implied_tables, 1);
	ck_assert_int_eq(s->uncertain, 0);

	/* an unresolved create_table name: any table may exist */
	o = op(SC_OP_CREATE_TABLE, NULL, NULL);
	sc_schema_apply(s, &o, NULL);
	ck_assert_int_eq(s->uncertain, 1);
	sc_schema_free(s);

	/* a possibly-applied drop keeps the table, uncertain */
	s = sc_xcalloc(1, sizeof(*s));
	o = op(SC_OP_CREATE_TABLE, "t", NULL);
	sc_schema_apply(s, &o, NULL);
	o = op(SC_OP_DROP_TABLE, "t", NULL);
	o.flags = SC_OPF_CONDITIONAL;
	sc_schema_apply(s, &o, NULL);
	ck_assert_ptr_nonnull(sc_schema_table(s, "t"));
	ck_assert_int_eq(sc_schema_table(s, "t")->uncertain, 1);

	/* DDL text that is not understood */
	o = op(SC_OP_EXECUTE, NULL, NULL);
	o.sql = "ALTER TABLE t SET TABLESPACE fast";
	sc_schema_apply(s, &o, NULL);
	ck_assert_int_eq(s->uncertain, 0);
	ck_assert_int_eq(sc_schema_table(s, "t")->uncertain, 1);
	sc_schema_free(s);
}
END_TEST

START_TEST(test_sql_indexes_and_constraints)
{
	size_t n;
	int unknown;
	char *table;
	struct sc_op *ops = parse(
		"CREATE UNIQUE INDEX CONCURRENTLY ix_e ON users USING btree "
		"(email, lower(name) DESC);"
		"ALTER TABLE users ADD CONSTRAINT uq_nick UNIQUE (nick);"
		"ALTER TABLE users ADD CONSTRAINT fk_org FOREIGN KEY (org_id) "
		"REFERENCES orgs (id);"
		"CREATE TABLE t (key VARCHAR(10), id int, "
		"CONSTRAINT pk_t PRIMARY KEY (id), UNIQUE (key), "
		"KEY ix_t_key (key), CHECK (id > 0))",
		&n, &unknown, &table);

	ck_assert_int_eq(unknown, 0);
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(ops[0].kind, SC_OP_CREATE_INDEX);
	ck_assert_int_eq(ops[0].unique, 1);
	ck_assert_int_eq(ops[0].n_index_cols, 2);
	ck_assert_str_eq(ops[0].index_cols[0], "email");
	ck_assert_ptr_null(ops[0].index_cols[1]);        /* an expression */
	ck_assert_int_eq(ops[1].kind, SC_OP_CREATE_CONSTRAINT);
	ck_assert_str_eq(ops[1].name, "uq_nick");
	ck_assert_int_eq(ops[1].n_cons, 1);
	ck_assert_int_eq(ops[1].cons[0].kind, SC_CONS_UNIQUE);
	ck_assert_str_eq(ops[1].cons[0].cols[0], "nick");
	ck_assert_int_eq(ops[2].cons[0].kind, SC_CONS_FOREIGN_KEY);
	/* a column named "key" is a column, KEY ix (..) an index */
	ck_assert_int_eq(ops[3].n_cols, 2);
	ck_assert_str_eq(ops[3].cols[0].name, "key");
	ck_assert_int_eq(ops[3].n_cons, 4);
	ck_assert_int_eq(ops[3].cons[0].kind, SC_CONS_PRIMARY_KEY);
	ck_assert_str_eq(ops[3].cons[0].name, "pk_t");
	ck_assert_int_eq(ops[3].cons[1].kind, SC_CONS_UNIQUE);
	ck_assert_ptr_null(ops[3].cons[1].name);
	ck_assert_int_eq(ops[3].cons[2].kind, SC_CONS_INDEX);
	ck_assert_str_eq(ops[3].cons[2].name, "ix_t_key");
	ck_assert_int_eq(ops[3].cons[3].kind, SC_CONS_CHECK);
	free_ops(ops, n);
	free(table);
}
END_TEST

/* Replay the upgrade() of a migration written in Python into s. */
static void replay_py(struct sc_schema *s, const char *src)
{
	struct sc_srcfile *sf = sc_srcfile_new("m.py", src, strlen(src));
	struct sc_pyfile *pf = NULL;
	struct sc_migration *m = NULL;
	size_t i;

	ck_assert_int_eq(sc_pyfile_parse(&pf, sf), 0);
	ck_assert_int_eq(sc_migration_extract(&m, pf), 0);
	for (i = 0; i < m->n_up; i++)
		sc_schema_apply(s, &m->up[i], NULL);
	sc_migration_free(m);
	sc_pyfile_free(pf);
	sc_srcfile_free(sf);
	sc_pysrc_shutdown();
}

START_TEST(test_replay_indexes)
{
	struct sc_schema *s = sc_xcalloc(1, sizeof(*s));
	struct sc_stable *t;

	replay_py(s,
		"def upgrade():\n"
		"    op.create_table('users',\n"
		"        sa.Column('id', sa.Integer, primary_key=True),\n"
		"        sa.Column('email', sa.String(255), unique=True),\n"
		"        sa.Column('nick', sa.String(50), index=True),\n"
		"        sa.Column('org', sa.Integer),\n"
		"        sa.Column('a', sa.Integer),\n"
		"        sa.Column('b', sa.Integer),\n"
		"        sa.UniqueConstraint('org', name='uq_users_org'),\n"
		"        sa.Index('ix_users_ab', 'a', 'b'),\n"
		"        sa.PrimaryKeyConstraint('id', name='pk_users'))\n"
		"    op.create_index(op.f('ix_users_org'), 'users', ['org'])\n"
		"    with op.batch_alter_table('users') as batch_op:\n"
		"        batch_op.create_unique_constraint('uq_a', ['a'])\n");
	t = sc_schema_table(s, "users");
	ck_assert_int_eq(t->indexes_uncertain, 0);
	ck_assert_int_eq(sc_stable_indexed(t, "email"), SC_IDX_UNIQUE);
	ck_assert_int_eq(sc_stable_indexed(t, "nick"), SC_IDX_INDEX);
	ck_assert_int_eq(sc_stable_indexed(t, "org"), SC_IDX_INDEX | SC_IDX_UNIQUE);
	ck_assert_int_eq(sc_stable_indexed(t, "a"), SC_IDX_UNIQUE);
	ck_assert_int_eq(sc_stable_indexed(t, "b"), 0);   /* only in (a, b) */
	ck_assert_int_eq(sc_stable_indexed(t, "id"), 0);  /* a primary key */

	/* drops by name (any table when none is given); a rename follows */
	replay_py(s,
		"def upgrade():\n"
		"    op.drop_index('ix_users_nick')\n"
		"    op.drop_constraint('uq_users_org', 'users', type_='unique')\n"
		"    op.drop_constraint('fk_whatever', 'users', type_='foreignkey')\n"
		"    op.alter_column('users', 'email', new_column_name='mail')\n"
		"    op.execute('DROP INDEX ix_users_org')\n");
	t = sc_schema_table(s, "users");
	ck_assert_int_eq(t->indexes_uncertain, 0);
	ck_assert_int_eq(sc_stable_indexed(t, "nick"), 0);
	ck_assert_int_eq(sc_stable_indexed(t, "org"), 0);
	ck_assert_int_eq(sc_stable_indexed(t, "mail"), SC_IDX_UNIQUE);

	/* dropping a column drops its indexes; from a multi-column one the
	 * result depends on the database */
	replay_py(s,
		"def upgrade():\n"
		"    op.drop_column('users', 'mail')\n"
		"    op.drop_column('users', 'b')\n");
	t = sc_schema_table(s, "users");
	ck_assert_int_eq(sc_stable_indexed(t, "mail"), 0);
	ck_assert_int_eq(t->indexes_uncertain, 1);
	sc_schema_free(s);

	/* a drop by a name that is unknown or does not resolve */
	s = sc_xcalloc(1, sizeof(*s));
	replay_py(s,
		"def upgrade():\n"
		"    op.create_table('t', sa.Column('id', sa.Integer))\n"
		"    op.create_table('u', sa.Column('id', sa.Integer))\n"
		"    op.drop_constraint('t_id_key', 't')\n");
	ck_assert_int_eq(sc_schema_table(s, "t")->indexes_uncertain, 1);
	ck_assert_int_eq(sc_schema_table(s, "u")->indexes_uncertain, 0);
	/* a name that does not resolve: any table existing then; not a
	 * table created afterwards */
	replay_py(s,
		"def upgrade():\n"
		"    op.drop_index(NAMES[0])\n"
		"    op.create_table('v', sa.Column('id', sa.Integer))\n");
	ck_assert_int_eq(sc_schema_table(s, "u")->indexes_uncertain, 1);
	ck_assert_int_eq(sc_schema_table(s, "u")->uncertain, 0);
	ck_assert_int_eq(sc_schema_table(s, "v")->indexes_uncertain, 0);
	sc_schema_free(s);
}
END_TEST

START_TEST(test_replay_types_and_keys)
{
	struct sc_schema *s = sc_xcalloc(1, sizeof(*s));
	struct sc_stable *t;

	ck_assert_int_eq(sc_type_family_of_text("sa.String(length=50)"),
			 SC_TYPE_STRING);
	ck_assert_int_eq(sc_type_family_of_text("postgresql.ENUM('a', name='x')"),
			 SC_TYPE_ENUM);
	ck_assert_int_eq(sc_type_family_of_text("varchar"), SC_TYPE_STRING);
	ck_assert_int_eq(sc_type_family_of_text("MyType()"), SC_TYPE_OTHER);
	ck_assert_int_eq(sc_type_family_of_text(NULL), SC_TYPE_UNKNOWN);

	replay_py(s,
		"def upgrade():\n"
		"    op.create_table('t',\n"
		"        sa.Column('a', sa.Integer),\n"
		"        sa.Column('b', sa.String(10)))\n"
		"    op.alter_column('t', 'b', type_=sa.Text())\n"
		"    op.create_primary_key('pk_t', 't', ['a'])\n"
		"    op.execute('CREATE TABLE s (x VARCHAR(5), y bigint)')\n");
	t = sc_schema_table(s, "t");
	ck_assert_int_eq(sc_schema_column(t, "b")->family, SC_TYPE_TEXT);
	ck_assert_int_eq(sc_schema_column(t, "a")->primary_key, 1);
	ck_assert_int_eq(sc_schema_column(t, "a")->nullable, SC_NO);
	t = sc_schema_table(s, "s");
	ck_assert_int_eq(sc_schema_column(t, "x")->family, SC_TYPE_STRING);
	ck_assert_int_eq(sc_schema_column(t, "y")->family, SC_TYPE_INTEGER);
	ck_assert_int_eq(sc_schema_table(s, "t")->uncertain, 0);
	ck_assert_int_eq(sc_schema_table(s, "s")->uncertain, 0);

	/* an alter_column whose table does not resolve: any column of the
	 * tables that exist then, not of those created afterwards */
	replay_py(s,
		"def upgrade():\n"
		"    for name in TABLES:\n"
		"        op.alter_column(name, 'a', nullable=True)\n"
		"    op.create_table('later', sa.Column('a', sa.Integer))\n");
	ck_assert_int_eq(sc_schema_table(s, "t")->uncertain, 1);
	ck_assert_int_eq(sc_schema_table(s, "s")->uncertain, 1);
	ck_assert_int_eq(sc_schema_table(s, "later")->uncertain, 0);
	ck_assert_int_eq(s->uncertain, 0);
	sc_schema_free(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_sql_create_table_columns);
	tcase_add_test(tc, test_sql_alter_and_drop);
	tcase_add_test(tc, test_sql_unknown_ddl_and_quotes);
	tcase_add_test(tc, test_replay_ops);
	tcase_add_test(tc, test_replay_unknowns);
	tcase_add_test(tc, test_sql_indexes_and_constraints);
	tcase_add_test(tc, test_replay_indexes);
	tcase_add_test(tc, test_replay_types_and_keys);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
