/*
 * check_migration.c: unit tests of src/migration.c on real tree-sitter
 * parses of inline migrations: the revision header, upgrade/downgrade
 * kinds, every op kind, batch blocks, conditional flags, name resolution,
 * helper inlining, imports, and broken or hostile inputs.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "migration.h"
#include "testutil.h"
#include "util.h"

static struct sc_srcfile *sf;
static struct sc_pyfile *pf;
static struct sc_migration *m;

static void setup(void)
{
	sf = NULL;
	pf = NULL;
	m = NULL;
}

static void teardown(void)
{
	sc_migration_free(m);
	sc_pyfile_free(pf);
	sc_srcfile_free(sf);
	m = NULL;
	pf = NULL;
	sf = NULL;
	sc_pysrc_shutdown();
}

static void load_n(const char *src, size_t len)
{
	sf = sc_srcfile_new("versions/x.py", src, len);
	ck_assert_int_eq(sc_pyfile_parse(&pf, sf), 0);
	ck_assert_int_eq(sc_migration_extract(&m, pf), 0);
	ck_assert_ptr_nonnull(m);
}

static void load(const char *src)
{
	load_n(src, strlen(src));
}

/* Load `body` as the inside of def upgrade() (4-space indented lines). */
static void load_up(const char *body)
{
	char *src = sc_xasprintf("from alembic import op\n"
				 "import sqlalchemy as sa\n"
				 "\n"
				 "def upgrade():\n%s\n"
				 "def downgrade():\n    pass\n", body);
	load(src);
	free(src);
}

#define STR_OR_NULL(s) ((s) ? (s) : "(null)")

static void assert_strz(const char *got, const char *want)
{
	if (!want) {
		ck_assert_msg(got == NULL, "expected NULL, got '%s'", got);
		return;
	}
	ck_assert_msg(got != NULL, "expected '%s', got NULL", want);
	ck_assert_str_eq(got, want);
}

static const struct sc_op *up(size_t i)
{
	ck_assert_msg(i < m->n_up, "only %zu ops in upgrade", m->n_up);
	return &m->up[i];
}

START_TEST(test_header_plain)
{
	load("\"\"\"add users\n"
	     "\n"
	     "Revision ID: 3f2a\n"
	     "Revises: 1b0c\n"
	     "Create Date: 2024-01-01 00:00:00\n"
	     "\"\"\"\n"
	     "from alembic import op\n"
	     "\n"
	     "# revision identifiers, used by Alembic.\n"
	     "revision = '3f2a'\n"
	     "down_revision = '1b0c'\n"
	     "branch_labels = None\n"
	     "depends_on = None\n");
	ck_assert_int_eq(m->has_revision, 1);
	assert_strz(m->revision, "3f2a");
	ck_assert_uint_eq(m->revision_loc.row, 9);
	ck_assert_int_eq(m->has_down_revision, 1);
	ck_assert_uint_eq(m->n_down_revisions, 1);
	assert_strz(m->down_revisions[0], "1b0c");
	ck_assert_int_eq(m->down_revision_unresolved, 0);
	ck_assert_uint_eq(m->down_revision_loc.row, 10);
	ck_assert_uint_eq(m->n_branch_labels, 0);
	ck_assert_uint_eq(m->n_depends_on, 0);
	assert_strz(m->doc_revision_id, "3f2a");
	assert_strz(m->doc_revises, "1b0c");
	ck_assert_uint_eq(m->doc_loc.row, 0);
	ck_assert_int_eq(m->upgrade_kind, SC_BODY_ABSENT);
	ck_assert_int_eq(m->downgrade_kind, SC_BODY_ABSENT);
}
END_TEST

START_TEST(test_header_annotated_merge)
{
	load("from typing import Sequence, Union\n"
	     "PARENT = 'ae10'\n"
	     "LABEL = 'expand'\n"
	     "revision: str = \"27c6\"\n"
	     "down_revision: Union[str, None] = (PARENT, '5d1e')\n"
	     "branch_labels: Union[str, Sequence[str], None] = (LABEL, OTHER)\n"
	     "depends_on = ['0001', \"0002\"]\n");
	assert_strz(m->revision, "27c6");
	ck_assert_uint_eq(m->n_down_revisions, 2);
	assert_strz(m->down_revisions[0], "ae10");
	assert_strz(m->down_revisions[1], "5d1e");
	/* unresolvable labels are kept as written */
	ck_assert_uint_eq(m->n_branch_labels, 2);
	assert_strz(m->branch_labels[0], "expand");
	assert_strz(m->branch_labels[1], "OTHER");
	ck_assert_uint_eq(m->n_depends_on, 2);
	assert_strz(m->depends_on[1], "0002");
	/* no docstring */
	ck_assert_ptr_null(m->doc_revision_id);
	ck_assert_ptr_null(m->doc_revises);
}
END_TEST

START_TEST(test_header_unresolved)
{
	load("\"\"\"Revision ID: x1\n\"\"\"\n"
	     "revision = make_id()\n"
	     "down_revision = None\n"
	     "def f():\n"
	     "    revision = 'not-module-level'\n");
	ck_assert_int_eq(m->has_revision, 1);
	ck_assert_ptr_null(m->revision);
	ck_assert_int_eq(m->has_down_revision, 1);
	ck_assert_uint_eq(m->n_down_revisions, 0);
	ck_assert_int_eq(m->down_revision_unresolved, 0);
	assert_strz(m->doc_revision_id, "x1");
	ck_assert_ptr_null(m->doc_revises);
	sc_migration_free(m);
	sc_pyfile_free(pf);
	sc_srcfile_free(sf);

	load("revision: str\n"      /* an annotation alone assigns nothing */
	     "down_revision = compute()\n");
	ck_assert_int_eq(m->has_revision, 0);
	ck_assert_int_eq(m->has_down_revision, 1);
	ck_assert_int_eq(m->down_revision_unresolved, 1);
	ck_assert_uint_eq(m->n_down_revisions, 0);
}
END_TEST

START_TEST(test_body_kinds)
{
	static const char *const empties[] = {
		"    pass\n",
		"    ...\n",
		"    \"\"\"Nothing to undo.\"\"\"\n",
		"    raise NotImplementedError\n",
		"    raise NotImplementedError('irreversible')\n",
		"    # nothing\n    pass  # really\n",
		"    \"\"\"doc\"\"\"\n    pass\n    ...\n",
	};
	static const char *const codes[] = {
		"    op.drop_table('t')\n",
		"    raise ValueError('x')\n",
		"    x = 1\n",
		"    pass\n    print('x')\n",
		"    if False:\n        pass\n",
	};
	size_t i;

	for (i = 0; i < SC_ARRAY_SIZE(empties); i++) {
		char *src = sc_xasprintf("def upgrade():\n    op.drop_table('t')\n"
					 "\ndef downgrade(engine_name=None):\n%s",
					 empties[i]);
		load(src);
		free(src);
		ck_assert_msg(m->downgrade_kind == SC_BODY_EMPTY,
			      "case %zu is not empty", i);
		ck_assert_int_eq(m->upgrade_kind, SC_BODY_CODE);
		ck_assert_uint_eq(m->downgrade_loc.row, 3);
		ck_assert_uint_eq(m->downgrade_loc.col, 4);
		ck_assert_uint_eq(m->upgrade_loc.row, 0);
		ck_assert_uint_eq(m->n_down, 0);
		teardown();
	}
	for (i = 0; i < SC_ARRAY_SIZE(codes); i++) {
		char *src = sc_xasprintf("def upgrade():\n    pass\n"
					 "\ndef downgrade():\n%s", codes[i]);
		load(src);
		free(src);
		ck_assert_msg(m->downgrade_kind == SC_BODY_CODE,
			      "case %zu is not code", i);
		ck_assert_int_eq(m->upgrade_kind, SC_BODY_EMPTY);
		teardown();
	}
	/* the last definition wins; a method of a class is not upgrade() */
	load("def downgrade():\n    op.drop_table('a')\n"
	     "def downgrade():\n    pass\n"
	     "class X:\n    def upgrade(self):\n        op.drop_table('b')\n");
	ck_assert_int_eq(m->downgrade_kind, SC_BODY_EMPTY);
	ck_assert_int_eq(m->upgrade_kind, SC_BODY_ABSENT);
	ck_assert_uint_eq(m->n_down, 0);
	ck_assert_uint_eq(m->n_up, 0);
}
END_TEST

START_TEST(test_create_table)
{
	const struct sc_op *op;
	const struct sc_column *c;

	load_up("    op.create_table(\n"
		"        'users',\n"
		"        sa.Column('id', sa.Integer(), nullable=False),\n"
		"        sa.Column('email', sa.String(length=100), server_default=sa.text(\"''\")),\n"
		"        sa.schema.Column('org_id', sa.BigInteger, sa.ForeignKey('orgs.id'), default=1),\n"
		"        Column('a', Text), Column('b', Text),\n"
		"        sa.Column('created', sa.DateTime(), server_default=sa.func.now()),\n"
		"        sa.PrimaryKeyConstraint('id'),\n"
		"        sa.UniqueConstraint('email'),\n"
		"        sa.UniqueConstraint('a', 'b'),\n"
		"        sa.ForeignKeyConstraint(['org_id'], ['orgs.id']),\n"
		"        mysql_engine='InnoDB',\n"
		"    )\n");
	ck_assert_uint_eq(m->n_up, 1);
	op = up(0);
	ck_assert_int_eq(op->kind, SC_OP_CREATE_TABLE);
	assert_strz(op->fn, "create_table");
	assert_strz(op->table, "users");
	ck_assert_uint_eq(op->flags, 0);
	ck_assert_uint_eq(op->loc.row, 4);
	ck_assert_uint_eq(op->loc.col, 4);
	ck_assert_uint_eq(op->loc.end_col, 19);
	ck_assert_uint_eq(op->call_loc.end_row, 16);
	ck_assert_uint_eq(op->n_kwargs, 1);
	assert_strz(op->kwargs[0].name, "mysql_engine");
	assert_strz(op->kwargs[0].value, "'InnoDB'");
	ck_assert_ptr_nonnull(sc_op_kwarg(op, "mysql_engine"));
	ck_assert_ptr_null(sc_op_kwarg(op, "schema"));
	ck_assert_uint_eq(op->n_cols, 6);

	c = &op->cols[0];
	assert_strz(c->name, "id");
	assert_strz(c->type, "sa.Integer()");
	assert_strz(c->type_name, "Integer");
	ck_assert_int_eq(c->family, SC_TYPE_INTEGER);
	ck_assert_int_eq(c->nullable, SC_NO);
	ck_assert_int_eq(c->primary_key, 1);        /* PrimaryKeyConstraint */
	ck_assert_uint_eq(c->loc.row, 6);

	c = &op->cols[1];
	assert_strz(c->name, "email");
	ck_assert_int_eq(c->family, SC_TYPE_STRING);
	ck_assert_int_eq(c->type_length, 100);
	ck_assert_int_eq(c->has_server_default, 1);
	ck_assert_int_eq(c->unique, 1);             /* UniqueConstraint('email') */
	ck_assert_int_eq(c->nullable, SC_UNKNOWN);
	ck_assert_int_eq(sc_column_is_nullable(c), 1);

	c = &op->cols[2];
	assert_strz(c->name, "org_id");
	ck_assert_int_eq(c->family, SC_TYPE_INTEGER);
	ck_assert_int_eq(c->has_foreign_key, 1);
	ck_assert_int_eq(c->has_default, 1);
	ck_assert_int_eq(c->has_server_default, 0);
	ck_assert_int_eq(c->primary_key, 0);

	/* a composite UNIQUE makes neither column unique on its own */
	ck_assert_int_eq(op->cols[3].unique, 0);
	ck_assert_int_eq(op->cols[4].unique, 0);
	ck_assert_int_eq(op->cols[3].family, SC_TYPE_TEXT);
	ck_assert_int_eq(op->cols[5].has_server_default, 1);
	ck_assert_int_eq(op->cols[5].family, SC_TYPE_DATETIME);
}
END_TEST

START_TEST(test_table_ops)
{
	load_up("    op.drop_table('old')\n"
		"    op.drop_table(table_name='old2')\n"
		"    op.rename_table('a', 'b')\n"
		"    op.rename_table(old_table_name='c', new_table_name='d')\n"
		"    op.bulk_insert(sa.table('t', sa.column('x')), [{'x': 1}])\n"
		"    op.create_table_comment('t', 'hello')\n"
		"    op.f('ix_not_an_op')\n"
		"    op.get_bind()\n");
	ck_assert_uint_eq(m->n_up, 6);
	ck_assert_int_eq(up(0)->kind, SC_OP_DROP_TABLE);
	assert_strz(up(0)->table, "old");
	assert_strz(up(1)->table, "old2");
	ck_assert_int_eq(up(2)->kind, SC_OP_RENAME_TABLE);
	assert_strz(up(2)->table, "a");
	assert_strz(up(2)->new_name, "b");
	assert_strz(up(3)->table, "c");
	assert_strz(up(3)->new_name, "d");
	ck_assert_int_eq(up(4)->kind, SC_OP_BULK_INSERT);
	assert_strz(up(4)->table, "t");
	ck_assert_int_eq(up(5)->kind, SC_OP_OTHER);
	assert_strz(up(5)->fn, "create_table_comment");
	ck_assert_uint_eq(up(5)->flags, 0);
}
END_TEST

START_TEST(test_column_ops)
{
	const struct sc_op *op;

	load_up("    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))\n"
		"    op.add_column(table_name='users', column=sa.Column('age', sa.Integer))\n"
		"    op.drop_column('users', 'legacy')\n"
		"    op.drop_column(table_name='users', column_name='old')\n"
		"    op.alter_column('users', 'name', new_column_name='full_name',\n"
		"                    type_=sa.Text(), existing_type=sa.String(50),\n"
		"                    nullable=False, server_default=None)\n"
		"    op.alter_column('users', 'x', server_default='0', nullable=True)\n"
		"    op.alter_column('users', 'y', comment='c')\n");
	ck_assert_uint_eq(m->n_up, 7);
	op = up(0);
	ck_assert_int_eq(op->kind, SC_OP_ADD_COLUMN);
	assert_strz(op->table, "users");
	assert_strz(op->column, "email");
	ck_assert_uint_eq(op->n_cols, 1);
	ck_assert_int_eq(op->cols[0].nullable, SC_NO);
	ck_assert_int_eq(op->cols[0].has_server_default, 0);
	ck_assert_int_eq(op->cols[0].type_length, 100);
	assert_strz(up(1)->table, "users");
	assert_strz(up(1)->column, "age");

	ck_assert_int_eq(up(2)->kind, SC_OP_DROP_COLUMN);
	assert_strz(up(2)->table, "users");
	assert_strz(up(2)->column, "legacy");
	assert_strz(up(3)->column, "old");

	op = up(4);
	ck_assert_int_eq(op->kind, SC_OP_ALTER_COLUMN);
	assert_strz(op->table, "users");
	assert_strz(op->column, "name");
	assert_strz(op->new_name, "full_name");
	ck_assert_int_eq(op->has_type, 1);
	assert_strz(op->type, "sa.Text()");
	ck_assert_int_eq(op->nullable, SC_NO);
	ck_assert_int_eq(op->has_server_default, 1);
	ck_assert_int_eq(op->server_default_none, 1);
	ck_assert_uint_eq(op->n_kwargs, 5);
	assert_strz(sc_op_kwarg(op, "existing_type")->value, "sa.String(50)");

	op = up(5);
	ck_assert_int_eq(op->nullable, SC_YES);
	ck_assert_int_eq(op->has_server_default, 1);
	ck_assert_int_eq(op->server_default_none, 0);
	ck_assert_int_eq(op->has_type, 0);
	ck_assert_ptr_null(op->new_name);

	op = up(6);
	ck_assert_int_eq(op->nullable, SC_UNKNOWN);
	ck_assert_int_eq(op->has_server_default, 0);
	ck_assert_uint_eq(op->flags, 0);
}
END_TEST

START_TEST(test_index_constraint_ops)
{
	const struct sc_op *op;

	load_up("    op.create_index(op.f('ix_users_email'), 'users', ['email'], unique=True)\n"
		"    op.create_index('ix_b', table_name='users', columns=['a', 'b'])\n"
		"    op.drop_index(op.f('ix_users_email'), table_name='users')\n"
		"    op.drop_index('ix_b', 'users')\n"
		"    op.drop_index('ix_c')\n"
		"    op.create_unique_constraint('uq_email', 'users', ['email'])\n"
		"    op.create_foreign_key('fk_org', 'users', 'orgs', ['org_id'], ['id'])\n"
		"    op.create_foreign_key(None, source_table='posts', referent_table='users',\n"
		"                          local_cols=['user_id'], remote_cols=['id'])\n"
		"    op.create_check_constraint('ck_age', 'users', 'age > 0')\n"
		"    op.create_primary_key('pk_users', 'users', ['id'])\n"
		"    op.create_exclude_constraint('ex', 'rooms', ('period', '&&'))\n"
		"    op.drop_constraint('uq_email', 'users', type_='unique')\n");
	ck_assert_uint_eq(m->n_up, 12);
	op = up(0);
	ck_assert_int_eq(op->kind, SC_OP_CREATE_INDEX);
	assert_strz(op->name, "ix_users_email");
	assert_strz(op->table, "users");
	ck_assert_uint_eq(op->n_index_cols, 1);
	assert_strz(op->index_cols[0], "email");
	ck_assert_int_eq(op->unique, 1);
	ck_assert_uint_eq(op->flags, 0);
	op = up(1);
	assert_strz(op->table, "users");
	ck_assert_uint_eq(op->n_index_cols, 2);
	assert_strz(op->index_cols[1], "b");
	ck_assert_int_eq(op->unique, 0);

	ck_assert_int_eq(up(2)->kind, SC_OP_DROP_INDEX);
	assert_strz(up(2)->name, "ix_users_email");
	assert_strz(up(2)->table, "users");
	assert_strz(up(3)->table, "users");
	assert_strz(up(4)->name, "ix_c");
	ck_assert_ptr_null(up(4)->table);
	ck_assert_uint_eq(up(4)->flags, 0);

	op = up(5);
	ck_assert_int_eq(op->kind, SC_OP_CREATE_CONSTRAINT);
	assert_strz(op->fn, "create_unique_constraint");
	assert_strz(op->name, "uq_email");
	assert_strz(op->table, "users");
	assert_strz(op->index_cols[0], "email");
	op = up(6);
	assert_strz(op->table, "users");            /* the source table */
	assert_strz(op->index_cols[0], "org_id");
	op = up(7);
	ck_assert_ptr_null(op->name);               /* None: naming convention */
	ck_assert_uint_eq(op->flags, 0);
	assert_strz(op->table, "posts");
	assert_strz(op->index_cols[0], "user_id");
	assert_strz(up(8)->fn, "create_check_constraint");
	assert_strz(up(8)->table, "users");
	ck_assert_uint_eq(up(8)->n_index_cols, 0);
	assert_strz(up(9)->index_cols[0], "id");
	ck_assert_int_eq(up(10)->kind, SC_OP_CREATE_CONSTRAINT);
	assert_strz(up(10)->table, "rooms");

	op = up(11);
	ck_assert_int_eq(op->kind, SC_OP_DROP_CONSTRAINT);
	assert_strz(op->name, "uq_email");
	assert_strz(op->table, "users");
	assert_strz(sc_op_kwarg(op, "type_")->value, "'unique'");
}
END_TEST

START_TEST(test_execute)
{
	load_up("    op.execute(\"UPDATE users SET active = true\")\n"
		"    op.execute(sa.text('DELETE FROM t'))\n"
		"    op.execute(users.update().values(x=1))\n"
		"    op.get_bind().execute(text(\"CREATE TABLE c AS SELECT * FROM t\"))\n"
		"    conn = op.get_bind()\n"
		"    conn.execute('INSERT INTO a SELECT * FROM b')\n"
		"    conn.execute(query)\n"
		"    session.query(X).all()\n"
		"    op.execute(SQL)\n"
		"    q = sa.text('UPDATE t SET c = :v')\n"
		"    conn.execute(q, v=1)\n");
	ck_assert_uint_eq(m->n_up, 7);
	assert_strz(up(6)->sql, "UPDATE t SET c = :v");
	ck_assert_int_eq(up(0)->kind, SC_OP_EXECUTE);
	assert_strz(up(0)->sql, "UPDATE users SET active = true");
	assert_strz(up(1)->sql, "DELETE FROM t");
	ck_assert_int_eq(up(2)->kind, SC_OP_EXECUTE);
	ck_assert_ptr_null(up(2)->sql);
	ck_assert_int_eq(up(3)->kind, SC_OP_EXECUTE);
	assert_strz(up(3)->fn, "execute");
	assert_strz(up(3)->sql, "CREATE TABLE c AS SELECT * FROM t");
	assert_strz(up(4)->sql, "INSERT INTO a SELECT * FROM b");
	/* conn.execute(query) is not recorded; op.execute(SQL) is, unknown */
	ck_assert_int_eq(up(5)->kind, SC_OP_EXECUTE);
	ck_assert_ptr_null(up(5)->sql);
	ck_assert_uint_eq(up(5)->call_loc.row, 12);
}
END_TEST

START_TEST(test_execute_constant)
{
	load("from alembic import op\n"
	     "SQL = 'UPDATE t SET x = 0'\n"
	     "def upgrade():\n"
	     "    op.execute(SQL)\n"
	     "    op.execute(f'UPDATE {table} SET x = 0')\n");
	ck_assert_uint_eq(m->n_up, 2);
	assert_strz(up(0)->sql, "UPDATE t SET x = 0");
	ck_assert_ptr_null(up(1)->sql);
}
END_TEST

START_TEST(test_batch)
{
	const struct sc_op *op;

	load_up("    with op.batch_alter_table('accounts', schema=None) as batch_op:\n"
		"        batch_op.add_column(sa.Column('x', sa.Integer(), nullable=False))\n"
		"        batch_op.drop_column('legacy')\n"
		"        batch_op.alter_column('name', new_column_name='full_name', nullable=True)\n"
		"        batch_op.create_index(batch_op.f('ix_a'), ['x', 'y'], unique=True)\n"
		"        batch_op.drop_index('ix_old')\n"
		"        batch_op.create_unique_constraint('uq', ['x'])\n"
		"        batch_op.create_foreign_key('fk', 'orgs', ['org_id'], ['id'])\n"
		"        batch_op.drop_constraint('ck', type_='check')\n"
		"        other.add_column('nope')\n"
		"    batch_op.drop_column('after_the_with')\n"
		"    with op.batch_alter_table(TABLE_VAR) as b:\n"
		"        b.drop_column('c')\n");
	ck_assert_uint_eq(m->n_up, 9);
	op = up(0);
	ck_assert_int_eq(op->kind, SC_OP_ADD_COLUMN);
	ck_assert_uint_eq(op->flags, SC_OPF_BATCH);
	assert_strz(op->table, "accounts");
	assert_strz(op->column, "x");
	ck_assert_int_eq(op->cols[0].nullable, SC_NO);
	ck_assert_uint_eq(op->loc.row, 5);
	ck_assert_uint_eq(op->loc.col, 8);

	op = up(1);
	ck_assert_int_eq(op->kind, SC_OP_DROP_COLUMN);
	assert_strz(op->table, "accounts");
	assert_strz(op->column, "legacy");
	op = up(2);
	ck_assert_int_eq(op->kind, SC_OP_ALTER_COLUMN);
	assert_strz(op->column, "name");
	assert_strz(op->new_name, "full_name");
	ck_assert_int_eq(op->nullable, SC_YES);
	op = up(3);
	ck_assert_int_eq(op->kind, SC_OP_CREATE_INDEX);
	assert_strz(op->name, "ix_a");
	assert_strz(op->table, "accounts");
	ck_assert_uint_eq(op->n_index_cols, 2);
	ck_assert_int_eq(op->unique, 1);
	assert_strz(up(4)->name, "ix_old");
	assert_strz(up(4)->table, "accounts");
	assert_strz(up(5)->index_cols[0], "x");
	assert_strz(up(5)->table, "accounts");
	assert_strz(up(6)->index_cols[0], "org_id");
	assert_strz(up(6)->table, "accounts");
	ck_assert_int_eq(up(7)->kind, SC_OP_DROP_CONSTRAINT);
	assert_strz(up(7)->name, "ck");
	ck_assert_uint_eq(up(7)->flags, SC_OPF_BATCH);

	/* an unresolvable batch table: NULL and uncertain */
	op = up(8);
	ck_assert_int_eq(op->kind, SC_OP_DROP_COLUMN);
	ck_assert_ptr_null(op->table);
	assert_strz(op->column, "c");
	ck_assert_uint_eq(op->flags, SC_OPF_BATCH | SC_OPF_UNCERTAIN);
}
END_TEST

START_TEST(test_conditional_flags)
{
	load_up("    op.drop_table('t0')\n"
		"    if is_pg():\n"
		"        op.drop_table('t1')\n"
		"    elif other:\n"
		"        op.drop_table('t2')\n"
		"    else:\n"
		"        op.drop_table('t3')\n"
		"    try:\n"
		"        op.drop_table('t4')\n"
		"    except Exception as e:\n"
		"        op.drop_table('t5')\n"
		"    finally:\n"
		"        op.drop_table('t6')\n"
		"    for name in ('a', 'b'):\n"
		"        op.drop_table('t7')\n"
		"    while cond:\n"
		"        op.drop_table('t8')\n"
		"    with open('f') as fh:\n"
		"        op.drop_table('t9')\n"
		"    with op.get_context().autocommit_block():\n"
		"        op.create_index('ix', 't10', ['c'], postgresql_concurrently=True)\n"
		"    [op.drop_table(t) for t in ('x', 'y')]\n"
		"    with op.batch_alter_table('t12') as bop:\n"
		"        if flag:\n"
		"            bop.drop_column('c')\n"
		"    op.drop_table('t13')\n");
	ck_assert_uint_eq(m->n_up, 14);
	ck_assert_uint_eq(up(0)->flags, 0);
	ck_assert_uint_eq(up(1)->flags, SC_OPF_CONDITIONAL);
	ck_assert_uint_eq(up(2)->flags, SC_OPF_CONDITIONAL);
	ck_assert_uint_eq(up(3)->flags, SC_OPF_CONDITIONAL);
	assert_strz(up(3)->table, "t3");
	ck_assert_uint_eq(up(4)->flags, SC_OPF_CONDITIONAL);
	ck_assert_uint_eq(up(5)->flags, SC_OPF_CONDITIONAL);
	ck_assert_uint_eq(up(6)->flags, 0);         /* finally always runs */
	assert_strz(up(6)->table, "t6");
	ck_assert_uint_eq(up(7)->flags, SC_OPF_CONDITIONAL | SC_OPF_LOOP);
	ck_assert_uint_eq(up(8)->flags, SC_OPF_CONDITIONAL | SC_OPF_LOOP);
	ck_assert_uint_eq(up(9)->flags, SC_OPF_CONDITIONAL);
	ck_assert_uint_eq(up(10)->flags, SC_OPF_AUTOCOMMIT);
	assert_strz(up(10)->table, "t10");
	ck_assert_uint_eq(up(11)->flags, SC_OPF_CONDITIONAL | SC_OPF_LOOP |
					 SC_OPF_UNCERTAIN);
	ck_assert_ptr_null(up(11)->table);
	ck_assert_uint_eq(up(12)->flags, SC_OPF_CONDITIONAL | SC_OPF_BATCH);
	assert_strz(up(12)->table, "t12");
	ck_assert_uint_eq(up(13)->flags, 0);
}
END_TEST

START_TEST(test_name_resolution)
{
	load("from alembic import op\n"
	     "import sqlalchemy as sa\n"
	     "TABLE = 'users'\n"
	     "ALIAS = TABLE\n"
	     "COL = 'email'\n"
	     "def upgrade(engine_name=''):\n"
	     "    local_t = 'posts'\n"
	     "    op.add_column(ALIAS, sa.Column(COL, sa.String()))\n"
	     "    op.drop_column(local_t, 'x')\n"
	     "    op.drop_column(engine_name, 'y')\n"
	     "    op.drop_table(f'tbl_{engine_name}')\n"
	     "    op.drop_table(get_name())\n"
	     "    again = 'a'\n"
	     "    again = 'b'\n"
	     "    op.drop_table(again)\n"
	     "    for TABLE in ['shadow']:\n"
	     "        op.drop_table(TABLE)\n"
	     "    op.add_column('t', sa.Column(colname_var, sa.Integer))\n"
	     "    op.add_column('t', column_var)\n");
	ck_assert_uint_eq(m->n_up, 9);
	assert_strz(up(0)->table, "users");
	assert_strz(up(0)->column, "email");
	ck_assert_uint_eq(up(0)->flags, 0);
	assert_strz(up(1)->table, "posts");
	ck_assert_uint_eq(up(1)->flags, 0);
	/* a parameter, an f-string, a call, a rebound local: unresolvable */
	ck_assert_ptr_null(up(2)->table);
	assert_strz(up(2)->column, "y");
	ck_assert_uint_eq(up(2)->flags, SC_OPF_UNCERTAIN);
	ck_assert_ptr_null(up(3)->table);
	ck_assert_uint_eq(up(3)->flags, SC_OPF_UNCERTAIN);
	ck_assert_ptr_null(up(4)->table);
	ck_assert_uint_eq(up(4)->flags, SC_OPF_UNCERTAIN);
	ck_assert_ptr_null(up(5)->table);
	ck_assert_uint_eq(up(5)->flags, SC_OPF_UNCERTAIN);
	/* a loop variable shadowing a module constant */
	ck_assert_ptr_null(up(6)->table);
	ck_assert(up(6)->flags & SC_OPF_UNCERTAIN);
	/* a Column whose name is a variable; a column that is not a Column() */
	assert_strz(up(7)->table, "t");
	ck_assert_ptr_null(up(7)->column);
	ck_assert_uint_eq(up(7)->n_cols, 1);
	ck_assert_ptr_null(up(7)->cols[0].name);
	ck_assert_uint_eq(up(7)->flags, SC_OPF_UNCERTAIN);
	ck_assert_ptr_null(up(8)->column);
	ck_assert_uint_eq(up(8)->n_cols, 0);
	ck_assert_uint_eq(up(8)->flags, SC_OPF_UNCERTAIN);
}
END_TEST

START_TEST(test_splat_uncertain)
{
	load_up("    op.alter_column('t', 'c', **kw)\n"
		"    op.create_table('t2', *columns)\n"
		"    op.create_table('t3', sa.Column('id', sa.Integer), _audit_columns())\n");
	ck_assert_uint_eq(m->n_up, 3);
	ck_assert(up(0)->flags & SC_OPF_UNCERTAIN);
	assert_strz(up(0)->table, "t");
	ck_assert(up(1)->flags & SC_OPF_UNCERTAIN);
	assert_strz(up(1)->table, "t2");
	ck_assert(up(2)->flags & SC_OPF_UNCERTAIN);
	ck_assert_uint_eq(up(2)->n_cols, 1);
}
END_TEST

START_TEST(test_helpers_inlined)
{
	load("from alembic import op\n"
	     "import sqlalchemy as sa\n"
	     "from sqlalchemy import text\n"
	     "def _create():\n"
	     "    op.create_table('a', sa.Column('id', sa.Integer))\n"
	     "    _index('a')\n"
	     "def _index(t):\n"
	     "    op.create_index('ix', t, ['id'])\n"
	     "def _loop():\n"
	     "    _loop()\n"
	     "    op.drop_table('loop')\n"
	     "def _never_called():\n"
	     "    op.drop_table('never')\n"
	     "def upgrade():\n"
	     "    op.drop_table('first')\n"
	     "    _create()\n"
	     "    if flag:\n"
	     "        _loop()\n"
	     "    print(len(text('x')))\n"
	     "    op.drop_table('last')\n"
	     "def downgrade():\n"
	     "    op.drop_table('a')\n");
	ck_assert_uint_eq(m->n_up, 5);
	assert_strz(up(0)->table, "first");
	ck_assert_int_eq(up(1)->kind, SC_OP_CREATE_TABLE);
	assert_strz(up(1)->table, "a");
	ck_assert_uint_eq(up(1)->loc.row, 4);      /* where the helper says it */
	ck_assert_int_eq(up(2)->kind, SC_OP_CREATE_INDEX);
	ck_assert_ptr_null(up(2)->table);           /* a parameter */
	ck_assert_uint_eq(up(2)->flags, SC_OPF_UNCERTAIN);
	assert_strz(up(3)->table, "loop");          /* recursion walked once */
	ck_assert_uint_eq(up(3)->flags, SC_OPF_CONDITIONAL);
	assert_strz(up(4)->table, "last");
	ck_assert_int_eq(m->up_has_unknown_calls, 0);
	ck_assert_uint_eq(m->n_down, 1);
	assert_strz(m->down[0].table, "a");
}
END_TEST

START_TEST(test_unknown_calls)
{
	load("from alembic import op\n"
	     "from myapp.migration_utils import create_audit\n"
	     "def upgrade():\n"
	     "    create_audit('users')\n");
	ck_assert_int_eq(m->up_has_unknown_calls, 1);
	ck_assert_uint_eq(m->n_up, 0);
	teardown();

	load("from alembic import op\n"
	     "def upgrade():\n"
	     "    undefined_helper()\n");
	ck_assert_int_eq(m->up_has_unknown_calls, 1);
	teardown();

	/* known: builtins, sqlalchemy imports, classes of the file */
	load("from alembic import op\n"
	     "from sqlalchemy import Column, Integer\n"
	     "class Helper:\n    pass\n"
	     "def upgrade():\n"
	     "    h = Helper()\n"
	     "    print(isinstance(h, Helper), Column('x', Integer()))\n"
	     "def downgrade():\n"
	     "    mystery()\n");
	ck_assert_int_eq(m->up_has_unknown_calls, 0);
	teardown();

	/* values used as arguments (a type from another module) are not
	 * helpers run for their effect; a nested def is walked */
	load("from alembic import op\n"
	     "from oslo_db.sqlalchemy.types import String\n"
	     "from app.types import make_type\n"
	     "def upgrade():\n"
	     "    def _nested(t):\n"
	     "        op.drop_table('nested')\n"
	     "    op.add_column('t', sa.Column('c', String(255), type_=make_type()))\n"
	     "    _nested('x')\n"
	     "    session = Session(bind=op.get_bind())\n");
	ck_assert_int_eq(m->up_has_unknown_calls, 0);
	ck_assert_uint_eq(m->n_up, 2);
	assert_strz(up(1)->table, "nested");
	teardown();

	load("from alembic import op\n"
	     "from app.util import load_table\n"
	     "def upgrade():\n"
	     "    services = load_table('services')\n");
	ck_assert_int_eq(m->up_has_unknown_calls, 1);
}
END_TEST

START_TEST(test_helper_depth_limit)
{
	load("from alembic import op\n"
	     "def h1():\n    h2()\n"
	     "def h2():\n    h3()\n"
	     "def h3():\n    h4()\n"
	     "def h4():\n    h5()\n"
	     "def h5():\n    h6()\n"
	     "def h6():\n    op.drop_table('too_deep')\n"
	     "def upgrade():\n    h1()\n");
	ck_assert_uint_eq(m->n_up, 0);
	ck_assert_int_eq(m->up_has_unknown_calls, 1);
}
END_TEST

START_TEST(test_helper_budget)
{
	struct sc_buf b = SC_BUF_INIT;
	int k, i;

	/* 60 calls at each of 3 levels: 216,000 walks without a budget */
	sc_buf_adds(&b, "from alembic import op\n");
	for (k = 0; k < 3; k++) {
		sc_buf_addf(&b, "def l%d():\n", k);
		for (i = 0; i < 60; i++)
			sc_buf_addf(&b, "    l%d()\n", k + 1);
	}
	sc_buf_adds(&b, "def l3():\n    op.drop_table('x')\n"
			"def upgrade():\n    l0()\n");
	load_n(b.buf, b.len);
	sc_buf_release(&b);
	ck_assert_int_eq(m->up_has_unknown_calls, 1);
	ck_assert_uint_gt(m->n_up, 100);
	ck_assert_uint_le(m->n_up, 512);
	assert_strz(up(0)->table, "x");
}
END_TEST

START_TEST(test_nested_expressions)
{
	load_up("    t = op.create_table('n1', sa.Column('id', sa.Integer))\n"
		"    op.bulk_insert(t, [{'id': 1}])\n"
		"    foo.add_column('users', sa.Column('not_op', sa.Integer))\n"
		"    results = [op.drop_column('t', c) for c in cols]\n"
		"    lambda: op.drop_table('in_lambda')\n");
	ck_assert_uint_eq(m->n_up, 3);
	ck_assert_int_eq(up(0)->kind, SC_OP_CREATE_TABLE);
	assert_strz(up(0)->table, "n1");
	ck_assert_int_eq(up(1)->kind, SC_OP_BULK_INSERT);
	ck_assert_ptr_null(up(1)->table);
	ck_assert_uint_eq(up(1)->flags, 0);
	ck_assert_int_eq(up(2)->kind, SC_OP_DROP_COLUMN);
	ck_assert_uint_eq(up(2)->flags, SC_OPF_CONDITIONAL | SC_OPF_LOOP |
					SC_OPF_UNCERTAIN);
}
END_TEST

START_TEST(test_op_alias_and_multidb)
{
	load("from alembic import op as alembic_op\n"
	     "def upgrade(engine_name):\n"
	     "    globals()['upgrade_%s' % engine_name]()\n"
	     "def upgrade_engine1():\n"
	     "    alembic_op.drop_table('e1')\n"
	     "def upgrade_engine2():\n"
	     "    op.drop_table('e2')\n"
	     "def downgrade_engine1():\n"
	     "    alembic_op.create_table('e1')\n");
	ck_assert_uint_eq(m->n_up, 2);
	assert_strz(up(0)->table, "e1");
	ck_assert_uint_eq(up(0)->flags, SC_OPF_CONDITIONAL);
	assert_strz(up(1)->table, "e2");
	ck_assert_int_eq(m->downgrade_kind, SC_BODY_ABSENT);
}
END_TEST

START_TEST(test_imports)
{
	load("import sqlalchemy as sa\n"
	     "import os, app.models.user as um\n"
	     "from alembic import op\n"
	     "from myapp.models import User\n"
	     "from ..shared import helpers\n"
	     "from . import sibling\n"
	     "from __future__ import annotations\n"
	     "def upgrade():\n"
	     "    from app.db import models\n");
	ck_assert_uint_eq(m->n_imports, 9);
	assert_strz(m->imports[0], "sqlalchemy");
	assert_strz(m->imports[1], "os");
	assert_strz(m->imports[2], "app.models.user");
	assert_strz(m->imports[3], "alembic");
	assert_strz(m->imports[4], "myapp.models");
	assert_strz(m->imports[5], "..shared");
	assert_strz(m->imports[6], ".");
	assert_strz(m->imports[7], "__future__");
	assert_strz(m->imports[8], "app.db");
}
END_TEST

START_TEST(test_syntax_error_partial)
{
	load("revision = 'r1'\n"
	     "down_revision = None\n"
	     "def upgrade():\n"
	     "    op.drop_table('kept')\n"
	     "\n"
	     "def downgrade():\n"
	     "    op.create_table('kept', sa.Column('id', sa.Integer)\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	assert_strz(m->revision, "r1");
	ck_assert_int_eq(m->has_down_revision, 1);
	ck_assert_uint_eq(m->n_up, 1);
	assert_strz(up(0)->table, "kept");
}
END_TEST

START_TEST(test_unparsed_files)
{
	static const char nul[] = "revision = 'a'\0\ndef upgrade():\n    pass\n";

	load_n(nul, sizeof(nul) - 1);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_int_eq(m->has_revision, 0);
	ck_assert_int_eq(m->upgrade_kind, SC_BODY_ABSENT);
	ck_assert_uint_eq(m->n_up, 0);
	teardown();

	load("");
	ck_assert_int_eq(sf->syntax_error, 0);
	ck_assert_int_eq(m->has_revision, 0);
	ck_assert_uint_eq(m->n_imports, 0);
}
END_TEST

START_TEST(test_deep_expression)
{
	size_t depth = 20000, i;
	struct sc_buf b = SC_BUF_INIT;

	sc_buf_adds(&b, "def upgrade():\n    op.execute(");
	for (i = 0; i < depth; i++)
		sc_buf_adds(&b, "f(");
	sc_buf_adds(&b, "op.drop_table('inner')");
	for (i = 0; i < depth; i++)
		sc_buf_addch(&b, ')');
	/* 10,000 levels of comprehensions hold 50,000 tokens open at
	 * once, under what the parser is trusted with (tsguard.h) */
	sc_buf_adds(&b, ")\n    x = [");
	for (i = 0; i < depth / 2; i++)
		sc_buf_adds(&b, "[a for a in ");
	sc_buf_adds(&b, "b");
	for (i = 0; i < depth / 2; i++)
		sc_buf_addch(&b, ']');
	sc_buf_adds(&b, "]\n    op.drop_table('after')\n");
	load_n(b.buf, b.len);
	sc_buf_release(&b);
	ck_assert_int_eq(sf->syntax_error, 0);
	ck_assert_uint_eq(m->n_up, 3);
	ck_assert_int_eq(up(0)->kind, SC_OP_EXECUTE);
	assert_strz(up(1)->table, "inner");
	assert_strz(up(2)->table, "after");
	/* the comprehensions were too deep to walk: say so */
	ck_assert_int_eq(m->up_has_unknown_calls, 1);
}
END_TEST

START_TEST(test_with_item_without_value)
{
	/* a fuzz reproducer: a `with` item whose value field is absent
	 * (error recovery), then walked as a call */
	load("def downgrade(:\n with o),:\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	teardown();
	load("def upgrade():\n    with (op.batch_alter_table('t')) as b, :\n"
	     "        b.drop_column('c')\n");
	ck_assert_uint_eq(m->n_up, 1);
}
END_TEST

/* Hostile nesting is refused before tree-sitter sees it (tsguard.h). */
START_TEST(test_unclosed_parens_refused)
{
	struct sc_buf b = SC_BUF_INIT;
	size_t i;

	sc_buf_adds(&b, "revision = '2'\ndown_revision = '1'\nx = ");
	for (i = 0; i < 65533; i++)
		sc_buf_addch(&b, '(');
	sc_buf_adds(&b, "\ndef upgrade():\n    op.drop_table('t')\n");
	load_n(b.buf, b.len);
	sc_buf_release(&b);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_int_eq(sf->error_loc.row, 2);
	ck_assert_uint_eq(m->n_up, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("migration");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_header_plain);
	tcase_add_test(tc, test_header_annotated_merge);
	tcase_add_test(tc, test_header_unresolved);
	tcase_add_test(tc, test_body_kinds);
	tcase_add_test(tc, test_create_table);
	tcase_add_test(tc, test_table_ops);
	tcase_add_test(tc, test_column_ops);
	tcase_add_test(tc, test_index_constraint_ops);
	tcase_add_test(tc, test_execute);
	tcase_add_test(tc, test_execute_constant);
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_conditional_flags);
	tcase_add_test(tc, test_name_resolution);
	tcase_add_test(tc, test_splat_uncertain);
	tcase_add_test(tc, test_helpers_inlined);
	tcase_add_test(tc, test_unknown_calls);
	tcase_add_test(tc, test_helper_depth_limit);
	tcase_add_test(tc, test_helper_budget);
	tcase_add_test(tc, test_nested_expressions);
	tcase_add_test(tc, test_op_alias_and_multidb);
	tcase_add_test(tc, test_imports);
	tcase_add_test(tc, test_syntax_error_partial);
	tcase_add_test(tc, test_unparsed_files);
	tcase_add_test(tc, test_deep_expression);
	tcase_add_test(tc, test_with_item_without_value);
	tcase_add_test(tc, test_unclosed_parens_refused);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
