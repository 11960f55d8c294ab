/*
 * check_code.c: unit tests of src/code.c (the facts of SC404): the text
 * pre-filter, and which calls of application code count as direct
 * schema changes and which do not.
 */
#include <stdlib.h>
#include <string.h>

#include "code.h"
#include "testutil.h"
#include "util.h"

static struct sc_srcfile *sf;
static struct sc_pyfile *pf;
static struct sc_codefile *cf;

static void setup(void)
{
	sf = NULL;
	pf = NULL;
	cf = NULL;
}

static void teardown(void)
{
	sc_codefile_free(cf);
	sc_pyfile_free(pf);
	sc_srcfile_free(sf);
	cf = NULL;
	pf = NULL;
	sf = NULL;
	sc_pysrc_shutdown();
}

static void load(const char *src)
{
	sf = sc_srcfile_new("app/db.py", src, strlen(src));
	ck_assert_int_eq(sc_pyfile_parse(&pf, sf), 0);
	ck_assert_int_eq(sc_code_extract(&cf, pf), 0);
	ck_assert_ptr_nonnull(cf);
}

static int pre(const char *s)
{
	return sc_code_prefilter(s, strlen(s));
}

/* Call i: kind, callee text, table (NULL: none), what (NULL: none). */
static void assert_call(size_t i, enum sc_code_kind kind, const char *call,
			const char *table, const char *what)
{
	const struct sc_codecall *k;

	ck_assert_msg(i < cf->n_calls, "only %zu calls", cf->n_calls);
	k = &cf->calls[i];
	ck_assert_int_eq(k->kind, kind);
	ck_assert_str_eq(k->call, call);
	if (table)
		ck_assert_str_eq(k->table, table);
	else
		ck_assert_ptr_null(k->table);
	if (what)
		ck_assert_str_eq(k->what, what);
	else
		ck_assert_ptr_null(k->what);
}

START_TEST(test_prefilter)
{
	ck_assert_int_eq(pre("Base.metadata.create_all(engine)\n"), 1);
	ck_assert_int_eq(pre("t = Table('t', meta)\nt.drop(engine)\n"), 1);
	ck_assert_int_eq(pre("sa.Index ('ix', t.c.a).create(bind)\n"), 1);
	ck_assert_int_eq(pre("User.__table__.drop(engine)\n"), 1);
	ck_assert_int_eq(pre("meta.tables ['t'].create(engine)\n"), 1);
	/* .create()/.drop() on nothing that can be a table of the file */
	ck_assert_int_eq(pre("t.drop(engine)\n"), 0);
	ck_assert_int_eq(pre("User.objects.create(name='x')\nMyTable(x)\n"), 0);
	/* create_all only as a whole name */
	ck_assert_int_eq(pre("def create_all_users():\n    pass\n"), 0);
	ck_assert_int_eq(pre("q = 'create\n  TABLE x (a int)'\n"), 1);
	ck_assert_int_eq(pre("q = 'Drop Index ix'\n"), 1);
	ck_assert_int_eq(pre("def create_app():\n    return Flask()\n"), 0);
	ck_assert_int_eq(pre("created = 'tablet'\n"), 0);
	/* migrations and env.py found outside the script directories */
	ck_assert_int_eq(pre("down_revision = 'a'\ndef upgrade():\n"
			     "    meta.create_all(bind)\n"), 0);
	ck_assert_int_eq(pre("def upgrade(migrate_engine):\n"
			     "    t.create(migrate_engine)\n"), 0);
	ck_assert_int_eq(pre("from alembic import context\n"
			     "context.configure(connection=c)\n"
			     "Base.metadata.create_all(c)\n"), 0);
}
END_TEST

/*
 * The pre-filter skips 64 bytes at a time: a word found at every offset
 * of a long text, across a block boundary and at the very end; nothing
 * in a long text without one; texts shorter than a word.
 */
START_TEST(test_prefilter_every_offset)
{
	static const char *const words[] = { "m.create_all", "m.drop_all",
					     "ALTER TABLE t", "cReAtE index" };
	char buf[400];
	size_t w, off, n;

	for (w = 0; w < SC_ARRAY_SIZE(words); w++) {
		n = strlen(words[w]);
		for (off = 0; off + n < sizeof(buf) - 1; off++) {
			memset(buf, 'x', sizeof(buf));
			buf[off ? off - 1 : 0] = ' ';
			memcpy(buf + off, words[w], n);
			buf[off + n] = ' ';
			ck_assert_msg(sc_code_prefilter(buf, off + n) == 1,
				      "%s at %zu, at the end", words[w], off);
			ck_assert_msg(sc_code_prefilter(buf, sizeof(buf)) == 1,
				      "%s at %zu", words[w], off);
		}
	}
	memset(buf, 'x', sizeof(buf));
	memcpy(buf + 250, "create", 6);  /* no _all, nothing after */
	ck_assert_int_eq(sc_code_prefilter(buf, sizeof(buf)), 0);
	ck_assert_int_eq(sc_code_prefilter("cr", 2), 0);
	ck_assert_int_eq(sc_code_prefilter("", 0), 0);
}
END_TEST

START_TEST(test_metadata_calls)
{
	load("import sqlalchemy as sa\n"
	     "from flask_sqlalchemy import SQLAlchemy\n"
	     "meta = sa.MetaData()\n"
	     "store = SQLAlchemy()\n"
	     "def init(engine, repo):\n"
	     "    Base.metadata.create_all(engine)\n"
	     "    SQLModel.metadata.drop_all(bind=engine)\n"
	     "    meta.create_all(engine)\n"
	     "    store.create_all()\n"
	     "    db.create_all()\n"
	     "    repo.create_all([1, 2])\n"
	     "    db.create_all(items)\n");
	ck_assert_uint_eq(cf->n_calls, 5);
	assert_call(0, SC_CODE_CREATE_ALL, "Base.metadata.create_all", NULL, NULL);
	assert_call(1, SC_CODE_DROP_ALL, "SQLModel.metadata.drop_all", NULL, NULL);
	assert_call(2, SC_CODE_CREATE_ALL, "meta.create_all", NULL, NULL);
	assert_call(3, SC_CODE_CREATE_ALL, "store.create_all", NULL, NULL);
	assert_call(4, SC_CODE_CREATE_ALL, "db.create_all", NULL, NULL);
	ck_assert_uint_eq(cf->calls[0].loc.row, 5);
	ck_assert_uint_eq(cf->calls[0].loc.col, 4);
}
END_TEST

START_TEST(test_table_calls)
{
	load("import sqlalchemy as sa\n"
	     "audit = sa.Table('audit', meta, sa.Column('id', sa.Integer))\n"
	     "ix = sa.Index('ix_a', audit.c.id)\n"
	     "class User(Base):\n"
	     "    __tablename__ = 'users'\n"
	     "def setup(engine, client, t):\n"
	     "    audit.create(engine)\n"
	     "    ix.drop(engine)\n"
	     "    User.__table__.create(bind=engine)\n"
	     "    Other.__table__.drop(engine)\n"
	     "    meta.tables['audit'].drop(engine)\n"
	     "    sa.Table('tmp', meta, sa.Column('x', sa.Integer)).create(engine)\n"
	     "    User.objects.create(name='x')\n"
	     "    client.create()\n"
	     "    t.create(engine)\n"
	     "    mixed.create(engine)\n"
	     "mixed = sa.Table('m', meta)\n"
	     "mixed = make_thing()\n");
	ck_assert_uint_eq(cf->n_calls, 6);
	assert_call(0, SC_CODE_CREATE, "audit.create", "audit", "table");
	assert_call(1, SC_CODE_DROP, "ix.drop", NULL, "index");
	assert_call(2, SC_CODE_CREATE, "User.__table__.create", "users", "table");
	assert_call(3, SC_CODE_DROP, "Other.__table__.drop", NULL, "table");
	assert_call(4, SC_CODE_DROP, "meta.tables['audit'].drop", "audit", "table");
	assert_call(5, SC_CODE_CREATE, "sa.Table(...).create", "tmp", "table");
}
END_TEST

START_TEST(test_ddl_text)
{
	load("import sqlalchemy as sa\n"
	     "SQL = 'DROP INDEX ix_old'\n"
	     "def run(conn, name):\n"
	     "    conn.execute(sa.text('CREATE TABLE IF NOT EXISTS t (id int)'))\n"
	     "    conn.exec_driver_sql('ALTER TABLE t ADD COLUMN x int')\n"
	     "    cur.executescript('''\n"
	     "        CREATE UNIQUE INDEX ix ON t (x);\n"
	     "    ''')\n"
	     "    conn.execute(SQL)\n"
	     "    conn.execute('ALTER TABLE t SET UNLOGGED')\n"
	     "    conn.execute('CREATE TEMP TABLE scratch (id int)')\n"
	     "    conn.execute(sa.text('UPDATE t SET x = 1'))\n"
	     "    conn.execute(f'DROP TABLE {name}')\n"
	     "    conn.execute(query)\n"
	     "    log.info('create table t')\n");
	ck_assert_uint_eq(cf->n_calls, 5);
	assert_call(0, SC_CODE_DDL, "sa.text", "t", "CREATE TABLE");
	assert_call(1, SC_CODE_DDL, "conn.exec_driver_sql", "t", "ALTER TABLE");
	assert_call(2, SC_CODE_DDL, "cur.executescript", "t", "CREATE INDEX");
	assert_call(3, SC_CODE_DDL, "conn.execute", NULL, "DROP INDEX");
	assert_call(4, SC_CODE_DDL, "conn.execute", "t", "ALTER TABLE");
}
END_TEST

START_TEST(test_broken_file)
{
	load("def f(:\n    Base.metadata.create_all(engine)\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_uint_le(cf->n_calls, 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("code");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_prefilter);
	tcase_add_test(tc, test_prefilter_every_offset);
	tcase_add_test(tc, test_metadata_calls);
	tcase_add_test(tc, test_table_calls);
	tcase_add_test(tc, test_ddl_text);
	tcase_add_test(tc, test_broken_file);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
