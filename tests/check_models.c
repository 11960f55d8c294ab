/*
 * check_models.c: unit tests of src/models.c on real tree-sitter parses of
 * inline model files: declarative classes (Column, mapped_column, Mapped
 * annotations), Flask-SQLAlchemy, Core Table(...), mixins, inheritance,
 * and what must not become a table or a column.
 */
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "models.h"
#include "testutil.h"
#include "util.h"

static struct sc_srcfile *sf;
static struct sc_pyfile *pf;
static struct sc_modelfile *mf;

static void setup(void)
{
	sf = NULL;
	pf = NULL;
	mf = NULL;
}

static void teardown(void)
{
	sc_modelfile_free(mf);
	sc_pyfile_free(pf);
	sc_srcfile_free(sf);
	mf = NULL;
	pf = NULL;
	sf = NULL;
	sc_pysrc_shutdown();
}

static void load_n(const char *src, size_t len)
{
	sf = sc_srcfile_new("app/models.py", src, len);
	ck_assert_int_eq(sc_pyfile_parse(&pf, sf), 0);
	ck_assert_int_eq(sc_models_extract(&mf, pf), 0);
	ck_assert_ptr_nonnull(mf);
}

static void load(const char *src)
{
	load_n(src, strlen(src));
}

static void assert_strz(const char *got, const char *want)
{
	if (!want) {
		ck_assert_msg(got == NULL, "expected NULL, got '%s'", got);
		return;
	}
	ck_assert_msg(got != NULL, "expected '%s', got NULL", want);
	ck_assert_str_eq(got, want);
}

static const struct sc_model_table *table(size_t i)
{
	ck_assert_msg(i < mf->n_tables, "only %zu tables", mf->n_tables);
	return &mf->tables[i];
}

/* The column of t named `name`, or a failed assertion. */
static const struct sc_column *col(const struct sc_model_table *t,
				   const char *name)
{
	size_t i;

	for (i = 0; i < t->n_cols; i++)
		if (t->cols[i].name && !strcmp(t->cols[i].name, name))
			return &t->cols[i];
	ck_abort_msg("no column %s in %s", name, t->name ? t->name : "?");
	return NULL;
}

static int has_col(const struct sc_model_table *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->n_cols; i++)
		if (t->cols[i].name && !strcmp(t->cols[i].name, name))
			return 1;
	return 0;
}

START_TEST(test_declarative_column)
{
	const struct sc_model_table *t;
	const struct sc_column *c;

	load("import sqlalchemy as sa\n"
	     "from sqlalchemy.orm import declarative_base, relationship\n"
	     "Base = declarative_base()\n"
	     "\n"
	     "class User(Base):\n"
	     "    __tablename__ = 'users'\n"
	     "    id = sa.Column(sa.Integer, primary_key=True)\n"
	     "    email = sa.Column('email_address', sa.String(255), nullable=False,\n"
	     "                      unique=True, index=True)\n"
	     "    org_id = sa.Column(sa.ForeignKey('orgs.id'), sa.BigInteger)\n"
	     "    created = sa.Column(sa.DateTime, server_default=sa.func.now())\n"
	     "    active = sa.Column(sa.Boolean, default=True)\n"
	     "    bio = deferred(sa.Column(sa.Text))\n"
	     "    posts = relationship('Post', back_populates='user')\n"
	     "    total = column_property(sa.select(1).scalar_subquery())\n"
	     "    proxy = association_proxy('posts', 'title')\n"
	     "    LIMIT = 10\n"
	     "    __table_args__ = (sa.UniqueConstraint('a', 'b'), {'schema': 'x'})\n"
	     "    @hybrid_property\n"
	     "    def name(self):\n"
	     "        return sa.Column(sa.Integer)\n"
	     "    def method(self):\n"
	     "        x = sa.Column(sa.Integer)\n");
	ck_assert_uint_eq(mf->n_tables, 1);
	t = table(0);
	assert_strz(t->name, "users");
	assert_strz(t->class_name, "User");
	ck_assert_int_eq(t->uncertain, 0);
	ck_assert_uint_eq(t->loc.row, 5);
	ck_assert_uint_eq(t->loc.col, 4);
	ck_assert_uint_eq(t->n_cols, 6);

	c = col(t, "id");
	ck_assert_int_eq(c->primary_key, 1);
	ck_assert_int_eq(c->family, SC_TYPE_INTEGER);
	ck_assert_int_eq(c->nullable, SC_UNKNOWN);
	ck_assert_int_eq(sc_column_is_nullable(c), 0);
	ck_assert_uint_eq(c->loc.row, 6);

	/* Column('db_name', ...) names the column, not the attribute */
	ck_assert(!has_col(t, "email"));
	c = col(t, "email_address");
	ck_assert_int_eq(c->nullable, SC_NO);
	ck_assert(c->unique && c->index);
	ck_assert_int_eq(c->type_length, 255);

	c = col(t, "org_id");
	ck_assert_int_eq(c->has_foreign_key, 1);
	assert_strz(c->type_name, "BigInteger");
	ck_assert_int_eq(col(t, "created")->has_server_default, 1);
	ck_assert_int_eq(col(t, "created")->has_default, 0);
	ck_assert_int_eq(col(t, "active")->has_default, 1);
	ck_assert_int_eq(col(t, "active")->has_server_default, 0);
	ck_assert_int_eq(col(t, "bio")->family, SC_TYPE_TEXT);

	/* not columns */
	ck_assert(!has_col(t, "posts"));
	ck_assert(!has_col(t, "total"));
	ck_assert(!has_col(t, "proxy"));
	ck_assert(!has_col(t, "LIMIT"));
	ck_assert(!has_col(t, "name"));
	ck_assert(!has_col(t, "x"));
}
END_TEST

START_TEST(test_mapped)
{
	const struct sc_model_table *t;
	const struct sc_column *c;

	load("from typing import Optional, Union\n"
	     "import datetime, uuid\n"
	     "from decimal import Decimal\n"
	     "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
	     "class Base(DeclarativeBase):\n"
	     "    pass\n"
	     "class Account(Base):\n"
	     "    __tablename__ = \"accounts\"\n"
	     "    id: Mapped[int] = mapped_column(primary_key=True)\n"
	     "    name: Mapped[str] = mapped_column(String(30))\n"
	     "    nick: Mapped[Optional[str]]\n"
	     "    bio: Mapped[str | None] = mapped_column(Text)\n"
	     "    age: Mapped[Union[int, None]]\n"
	     "    score: Mapped[float]\n"
	     "    price: Mapped[Decimal]\n"
	     "    seen: Mapped[datetime.datetime]\n"
	     "    born: Mapped[datetime.date]\n"
	     "    raw: Mapped[bytes]\n"
	     "    meta: Mapped[dict[str, Any]]\n"
	     "    ext: Mapped[uuid.UUID]\n"
	     "    flag: Mapped[bool] = mapped_column(nullable=True)\n"
	     "    forced: Mapped[Optional[int]] = mapped_column(nullable=False)\n"
	     "    renamed: Mapped[int] = mapped_column('db_renamed')\n"
	     "    other: Mapped[MyEnum]\n"
	     "    quoted: Mapped['Optional[int]']\n"
	     "    parent: Mapped['Account'] = relationship(back_populates='kids')\n"
	     "    kids: Mapped[list['Account']] = relationship()\n"
	     "    plain: int\n"
	     "    tag: ClassVar[str] = 'x'\n");
	ck_assert_uint_eq(mf->n_tables, 1);    /* Base declares no table */
	t = table(0);
	assert_strz(t->name, "accounts");
	ck_assert_int_eq(t->uncertain, 0);
	ck_assert_uint_eq(t->n_cols, 17);

	c = col(t, "id");
	ck_assert_int_eq(c->primary_key, 1);
	ck_assert_int_eq(c->nullable, SC_NO);
	ck_assert_int_eq(c->family, SC_TYPE_INTEGER);
	assert_strz(c->type_name, "Integer");

	c = col(t, "name");
	ck_assert_int_eq(c->nullable, SC_NO);
	assert_strz(c->type, "String(30)");        /* the column's own type wins */
	ck_assert_int_eq(c->type_length, 30);

	c = col(t, "nick");
	ck_assert_int_eq(c->nullable, SC_YES);
	ck_assert_int_eq(c->family, SC_TYPE_STRING);
	ck_assert_uint_eq(c->loc.row, 10);

	c = col(t, "bio");
	ck_assert_int_eq(c->nullable, SC_YES);
	ck_assert_int_eq(c->family, SC_TYPE_TEXT);
	ck_assert_int_eq(col(t, "age")->nullable, SC_YES);
	ck_assert_int_eq(col(t, "age")->family, SC_TYPE_INTEGER);
	ck_assert_int_eq(col(t, "score")->family, SC_TYPE_FLOAT);
	ck_assert_int_eq(col(t, "score")->nullable, SC_NO);
	ck_assert_int_eq(col(t, "price")->family, SC_TYPE_NUMERIC);
	ck_assert_int_eq(col(t, "seen")->family, SC_TYPE_DATETIME);
	ck_assert_int_eq(col(t, "born")->family, SC_TYPE_DATE);
	ck_assert_int_eq(col(t, "raw")->family, SC_TYPE_BINARY);
	ck_assert_int_eq(col(t, "meta")->family, SC_TYPE_JSON);
	ck_assert_int_eq(col(t, "ext")->family, SC_TYPE_UUID);

	/* explicit nullable= wins over the annotation */
	ck_assert_int_eq(col(t, "flag")->nullable, SC_YES);
	ck_assert_int_eq(col(t, "forced")->nullable, SC_NO);
	ck_assert(!has_col(t, "renamed"));
	ck_assert_int_eq(col(t, "db_renamed")->nullable, SC_NO);

	/* an unknown Python type: a column, type unknown */
	c = col(t, "other");
	ck_assert_ptr_null(c->type);
	ck_assert_int_eq(c->family, SC_TYPE_UNKNOWN);
	ck_assert_int_eq(c->nullable, SC_NO);
	ck_assert_int_eq(col(t, "quoted")->nullable, SC_YES);

	ck_assert(!has_col(t, "parent"));
	ck_assert(!has_col(t, "kids"));
	ck_assert(!has_col(t, "plain"));
	ck_assert(!has_col(t, "tag"));
}
END_TEST

START_TEST(test_flask)
{
	const struct sc_model_table *t;

	load("from flask_sqlalchemy import SQLAlchemy\n"
	     "db = SQLAlchemy()\n"
	     "class Post(db.Model):\n"
	     "    __tablename__ = 'posts'\n"
	     "    id = db.Column(db.Integer, primary_key=True)\n"
	     "    title = db.Column(db.String(80), nullable=False)\n"
	     "    user_id = db.Column(db.Integer, db.ForeignKey('users.id'))\n"
	     "    user = db.relationship('User', backref='posts')\n"
	     "tags = db.Table('tags',\n"
	     "    db.Column('tag_id', db.Integer, db.ForeignKey('tag.id'), primary_key=True),\n"
	     "    db.Column('post_id', db.Integer, db.ForeignKey('posts.id')))\n");
	ck_assert_uint_eq(mf->n_tables, 2);
	t = table(0);
	assert_strz(t->name, "posts");
	assert_strz(t->class_name, "Post");
	ck_assert_int_eq(t->uncertain, 0);
	ck_assert_uint_eq(t->n_cols, 3);
	ck_assert_int_eq(col(t, "title")->nullable, SC_NO);
	ck_assert_int_eq(col(t, "title")->type_length, 80);
	ck_assert_int_eq(col(t, "user_id")->has_foreign_key, 1);
	ck_assert(!has_col(t, "user"));

	/* db.Table('name', Column...): the second positional is a Column here
	 * (Flask's db.Table has no metadata argument) */
	t = table(1);
	assert_strz(t->name, "tags");
	ck_assert_ptr_null(t->class_name);
	ck_assert_uint_eq(t->loc.row, 8);
	ck_assert(has_col(t, "tag_id"));
	ck_assert(has_col(t, "post_id"));
	ck_assert_int_eq(col(t, "tag_id")->primary_key, 1);
}
END_TEST

START_TEST(test_core_table)
{
	const struct sc_model_table *t;

	load("import sqlalchemy as sa\n"
	     "from sqlalchemy import Table, Column, Integer, String, MetaData\n"
	     "metadata = MetaData()\n"
	     "NAME = 'accounts'\n"
	     "accounts = Table(NAME, metadata,\n"
	     "    Column('id', Integer),\n"
	     "    Column('email', String(100), nullable=False),\n"
	     "    Column('a', Integer), Column('b', Integer),\n"
	     "    sa.PrimaryKeyConstraint('id'),\n"
	     "    sa.UniqueConstraint('email'),\n"
	     "    sa.UniqueConstraint('a', 'b'),\n"
	     "    sa.Index('ix', 'email'),\n"
	     "    schema='public')\n"
	     "reflected = sa.Table('legacy', metadata, autoload_with=engine)\n"
	     "old = sa.Table('old', metadata, autoload=True)\n"
	     "dyn = sa.Table(name_var, metadata, *cols)\n"
	     "def make():\n"
	     "    return Table('in_function', metadata)\n"
	     "x = table('lightweight', column('c'))\n");
	ck_assert_uint_eq(mf->n_tables, 4);
	t = table(0);
	assert_strz(t->name, "accounts");
	ck_assert_ptr_null(t->class_name);
	ck_assert_int_eq(t->uncertain, 0);
	ck_assert_uint_eq(t->loc.row, 4);
	ck_assert_uint_eq(t->loc.col, 11);
	ck_assert_uint_eq(t->n_cols, 4);
	ck_assert_int_eq(col(t, "id")->primary_key, 1);
	ck_assert_int_eq(col(t, "email")->unique, 1);
	ck_assert_int_eq(col(t, "email")->nullable, SC_NO);
	ck_assert_int_eq(col(t, "a")->unique, 0);

	assert_strz(table(1)->name, "legacy");
	ck_assert_int_eq(table(1)->uncertain, 1);
	ck_assert_uint_eq(table(1)->n_cols, 0);
	assert_strz(table(2)->name, "old");
	ck_assert_int_eq(table(2)->uncertain, 1);
	ck_assert_ptr_null(table(3)->name);
	ck_assert_int_eq(table(3)->uncertain, 1);
}
END_TEST

START_TEST(test_mixins_and_inheritance)
{
	const struct sc_model_table *t;

	load("from app.db import Base\n"
	     "from app.mixins import AuditMixin\n"
	     "class TimestampMixin:\n"
	     "    created_at = Column(DateTime, nullable=False)\n"
	     "    updated_at = Column(DateTime)\n"
	     "class SoftDelete(object):\n"
	     "    deleted = Column(Boolean, server_default='0')\n"
	     "class Abstract(Base):\n"
	     "    __abstract__ = True\n"
	     "    uid = Column(String(36))\n"
	     "class User(TimestampMixin, SoftDelete, Base):\n"
	     "    __tablename__ = 'users'\n"
	     "    id = Column(Integer, primary_key=True)\n"
	     "    updated_at = Column(DateTime, nullable=False)\n"
	     "class Item(Abstract):\n"
	     "    __tablename__ = 'items'\n"
	     "    id = Column(Integer, primary_key=True)\n"
	     "class Audited(AuditMixin, Base):\n"
	     "    __tablename__ = 'audited'\n"
	     "    id = Column(Integer, primary_key=True)\n"
	     "class Employee(Base):\n"
	     "    __tablename__ = 'employee'\n"
	     "    id = Column(Integer, primary_key=True)\n"
	     "    type = Column(String(20))\n"
	     "class Engineer(Employee):\n"
	     "    __mapper_args__ = {'polymorphic_identity': 'engineer'}\n"
	     "    engineer_info = Column(String(50))\n"
	     "class Manager(Employee):\n"
	     "    __tablename__ = 'manager'\n"
	     "    id = Column(ForeignKey('employee.id'), primary_key=True)\n"
	     "class NotMapped:\n"
	     "    __tablename__ = 'not_mapped'\n"
	     "    id = Column(Integer)\n");
	ck_assert_uint_eq(mf->n_tables, 5);

	t = table(0);
	assert_strz(t->name, "users");
	ck_assert_int_eq(t->uncertain, 0);
	ck_assert_uint_eq(t->n_cols, 4);
	ck_assert_int_eq(col(t, "created_at")->nullable, SC_NO);
	/* the class overrides the mixin's updated_at */
	ck_assert_int_eq(col(t, "updated_at")->nullable, SC_NO);
	ck_assert_int_eq(col(t, "deleted")->has_server_default, 1);
	ck_assert(has_col(t, "id"));

	t = table(1);
	assert_strz(t->name, "items");
	ck_assert(has_col(t, "uid"));
	ck_assert(has_col(t, "id"));
	ck_assert_uint_eq(t->n_cols, 2);

	/* a mixin from another module may add columns */
	t = table(2);
	assert_strz(t->name, "audited");
	ck_assert_int_eq(t->uncertain, 1);

	/* single-table inheritance adds to the parent's table */
	t = table(3);
	assert_strz(t->name, "employee");
	ck_assert(has_col(t, "engineer_info"));
	ck_assert_uint_eq(t->n_cols, 3);

	/* joined inheritance: its own table, without the parent's columns */
	t = table(4);
	assert_strz(t->name, "manager");
	ck_assert_uint_eq(t->n_cols, 1);
	ck_assert_int_eq(col(t, "id")->has_foreign_key, 1);
	ck_assert(!has_col(t, "type"));
}
END_TEST

START_TEST(test_dynamic_names)
{
	load("class Base(DeclarativeBase):\n"
	     "    pass\n"
	     "class A(Base):\n"
	     "    __tablename__ = compute_name()\n"
	     "    id = Column(Integer, primary_key=True)\n"
	     "class B(Base):\n"
	     "    @declared_attr\n"
	     "    def __tablename__(cls):\n"
	     "        return cls.__name__.lower()\n"
	     "    id = Column(Integer, primary_key=True)\n"
	     "class C(Base):\n"
	     "    __tablename__ = 'c'\n"
	     "    @declared_attr\n"
	     "    def owner_id(cls):\n"
	     "        return Column(ForeignKey('users.id'))\n"
	     "class D(Base):\n"
	     "    __tablename__ = 'd'\n"
	     "    x = Column(col_name_var, Integer)\n"
	     "class E(Base):\n"
	     "    __table__ = some_table\n");
	ck_assert_uint_eq(mf->n_tables, 4);
	ck_assert_ptr_null(table(0)->name);
	ck_assert_int_eq(table(0)->uncertain, 1);
	assert_strz(table(0)->class_name, "A");
	ck_assert_ptr_null(table(1)->name);
	ck_assert_int_eq(table(1)->uncertain, 1);
	ck_assert_uint_eq(table(1)->loc.row, 6);
	assert_strz(table(2)->name, "c");
	ck_assert_int_eq(table(2)->uncertain, 1);
	assert_strz(table(3)->name, "d");
	ck_assert_int_eq(table(3)->uncertain, 1);
	ck_assert_uint_eq(table(3)->n_cols, 1);
	ck_assert_ptr_null(table(3)->cols[0].name);
}
END_TEST

START_TEST(test_dunder_table)
{
	const struct sc_model_table *t;

	load("class Assoc(Base):\n"
	     "    __table__ = Table('assoc', Base.metadata,\n"
	     "        Column('left_id', Integer, primary_key=True),\n"
	     "        Column('right_id', Integer, primary_key=True))\n");
	ck_assert_uint_eq(mf->n_tables, 1);
	t = table(0);
	assert_strz(t->name, "assoc");
	assert_strz(t->class_name, "Assoc");
	ck_assert_uint_eq(t->n_cols, 2);
	ck_assert_uint_eq(t->loc.row, 1);
	ck_assert_int_eq(col(t, "right_id")->primary_key, 1);
}
END_TEST

START_TEST(test_no_tables)
{
	load("import os\n"
	     "class Config:\n"
	     "    DEBUG = True\n"
	     "class Helper(object):\n"
	     "    value = Column(Integer)\n"
	     "def create():\n"
	     "    class Inner(Base):\n"
	     "        __tablename__ = 'inner'\n");
	ck_assert_uint_eq(mf->n_tables, 0);
	teardown();

	load("");
	ck_assert_uint_eq(mf->n_tables, 0);
	teardown();

	load("class Base(DeclarativeBase):\n    pass\n"
	     "class Off(Base):\n    __tablename__ = None\n");
	ck_assert_uint_eq(mf->n_tables, 0);
	teardown();

	/* a plain class becomes a table only when a registry maps it, and
	 * any name bound to declarative_base() is a declarative base */
	load("BASE_V1 = declarative.declarative_base()\n"
	     "@mapper_registry.mapped\n"
	     "class Mapped1:\n    __tablename__ = 'mapped1'\n"
	     "@dataclass\n"
	     "class Plain:\n    __tablename__ = 'plain'\n"
	     "class Old(BASE_V1):\n    __tablename__ = 'old'\n"
	     "class Other(SomethingV1):\n    __tablename__ = 'other'\n");
	ck_assert_uint_eq(mf->n_tables, 3);
	assert_strz(table(0)->name, "mapped1");
	ck_assert_int_eq(table(0)->uncertain, 0);
	assert_strz(table(1)->name, "old");
	ck_assert_int_eq(table(1)->uncertain, 0);
	assert_strz(table(2)->name, "other");
	ck_assert_int_eq(table(2)->uncertain, 1);
}
END_TEST

START_TEST(test_broken_files)
{
	static const char nul[] = "class A(Base):\n    __tablename__ = 'a'\0\n";
	size_t depth = 20000, i;
	struct sc_buf b = SC_BUF_INIT;

	load_n(nul, sizeof(nul) - 1);
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_uint_eq(mf->n_tables, 0);
	teardown();

	/* a syntax error later in the file: the table before it survives */
	load("class A(Base):\n"
	     "    __tablename__ = 'a'\n"
	     "    id = Column(Integer, primary_key=True)\n"
	     "\n"
	     "x = (\n");
	ck_assert_int_eq(sf->syntax_error, 1);
	ck_assert_uint_eq(mf->n_tables, 1);
	assert_strz(table(0)->name, "a");
	teardown();

	/* 20,000 nested calls as a column's argument */
	sc_buf_adds(&b, "class A(Base):\n    __tablename__ = 'deep'\n"
			"    x = Column(Integer, default=");
	for (i = 0; i < depth; i++)
		sc_buf_adds(&b, "f(");
	for (i = 0; i < depth; i++)
		sc_buf_addch(&b, ')');
	sc_buf_adds(&b, ")\n    __table_args__ = (");
	for (i = 0; i < depth; i++)
		sc_buf_addch(&b, '(');
	for (i = 0; i < depth; i++)
		sc_buf_addch(&b, ')');
	sc_buf_adds(&b, ")\n");
	load_n(b.buf, b.len);
	sc_buf_release(&b);
	ck_assert_uint_eq(mf->n_tables, 1);
	assert_strz(table(0)->name, "deep");
	ck_assert_int_eq(col(table(0), "x")->has_default, 1);
}
END_TEST

/* The i-th index or constraint of t, checked for kind, name and columns
 * (a comma-separated list; "?" for a NULL entry). */
static void assert_cons(const struct sc_model_table *t, size_t i,
			enum sc_cons_kind kind, const char *name,
			const char *cols)
{
	const struct sc_constraint *c;
	struct sc_buf b = SC_BUF_INIT;
	size_t j;

	ck_assert_msg(i < t->n_cons, "only %zu constraints", t->n_cons);
	c = &t->cons[i];
	ck_assert_int_eq(c->kind, kind);
	assert_strz(c->name, name);
	for (j = 0; j < c->n_cols; j++)
		sc_buf_addf(&b, "%s%s", j ? "," : "", c->cols[j] ? c->cols[j] : "?");
	ck_assert_str_eq(sc_buf_str(&b), cols);
	sc_buf_release(&b);
}

START_TEST(test_table_args)
{
	const struct sc_model_table *t;

	load("import sqlalchemy as sa\n"
	     "from sqlalchemy.orm import declarative_base, declared_attr\n"
	     "Base = declarative_base()\n"
	     "class HasArgs:\n"
	     "    __table_args__ = (sa.Index('ix_mixin', 'name'),)\n"
	     "class User(HasArgs, Base):\n"
	     "    __tablename__ = 'users'\n"
	     "    id = sa.Column(sa.Integer, primary_key=True)\n"
	     "    email = sa.Column('email_address', sa.String(255))\n"
	     "    name = sa.Column(sa.String(50))\n"
	     "    __table_args__ = (\n"
	     "        sa.UniqueConstraint('email_address', name='uq_email'),\n"
	     "        sa.Index(op.f('ix_name_lower'), sa.func.lower(name)),\n"
	     "        sa.Index('ix_email', email, unique=True),\n"
	     "        sa.ForeignKeyConstraint(['id'], ['accounts.id']),\n"
	     "        sa.CheckConstraint('id > 0', name='ck_id'),\n"
	     "        {'mysql_engine': 'InnoDB'},\n"
	     "    )\n"
	     "class Named(HasArgs, Base):\n"
	     "    __tablename__ = 'named'\n"
	     "    name = sa.Column(sa.String(50))\n"
	     "class Opts(Base):\n"
	     "    __tablename__ = 'opts'\n"
	     "    __table_args__ = {'schema': 'x'}\n"
	     "    a = sa.Column(sa.Integer)\n"
	     "    b = sa.Column(sa.Integer)\n"
	     "class Composite(Base):\n"
	     "    __tablename__ = 'composite'\n"
	     "    __table_args__ = (sa.PrimaryKeyConstraint('a', 'b'),)\n"
	     "    a = sa.Column(sa.Integer)\n"
	     "    b = sa.Column(sa.Integer)\n"
	     "class Shared(Base):\n"
	     "    __tablename__ = 'shared'\n"
	     "    __table_args__ = BASE_ARGS + (sa.Index('ix', 'a'),)\n"
	     "    a = sa.Column(sa.Integer)\n"
	     "class Dyn(Base):\n"
	     "    __tablename__ = 'dyn'\n"
	     "    a = sa.Column(sa.Integer)\n"
	     "    @declared_attr\n"
	     "    def __table_args__(cls):\n"
	     "        return (sa.Index('ix_dyn', 'a'),)\n");
	ck_assert_uint_eq(mf->n_tables, 6);
	t = table(0);
	ck_assert_int_eq(t->cons_uncertain, 1);   /* lower(name) */
	ck_assert_uint_eq(t->n_cons, 5);
	assert_cons(t, 0, SC_CONS_UNIQUE, "uq_email", "email_address");
	assert_cons(t, 1, SC_CONS_INDEX, "ix_name_lower", "?");
	assert_cons(t, 2, SC_CONS_INDEX, "ix_email", "email_address");
	ck_assert_int_eq(t->cons[2].unique, 1);
	assert_cons(t, 3, SC_CONS_FOREIGN_KEY, NULL, "id");
	assert_cons(t, 4, SC_CONS_CHECK, "ck_id", "");
	/* a mixin's __table_args__ */
	t = table(1);
	ck_assert_int_eq(t->cons_uncertain, 0);
	assert_cons(t, 0, SC_CONS_INDEX, "ix_mixin", "name");
	/* a dict alone */
	ck_assert_uint_eq(table(2)->n_cons, 0);
	ck_assert_int_eq(table(2)->cons_uncertain, 0);
	/* PrimaryKeyConstraint makes its columns the key (NOT NULL) */
	t = table(3);
	ck_assert_int_eq(col(t, "a")->primary_key, 1);
	ck_assert_int_eq(sc_column_is_nullable(col(t, "b")), 0);
	/* not a literal tuple; a declared_attr */
	ck_assert_int_eq(table(4)->cons_uncertain, 1);
	ck_assert_int_eq(table(5)->cons_uncertain, 1);
}
END_TEST

START_TEST(test_indexes_outside_classes)
{
	const struct sc_model_table *t;

	load("import sqlalchemy as sa\n"
	     "from sqlalchemy.orm import declarative_base\n"
	     "Base = declarative_base()\n"
	     "metadata = sa.MetaData()\n"
	     "class User(Base):\n"
	     "    __tablename__ = 'users'\n"
	     "    id = sa.Column(sa.Integer, primary_key=True)\n"
	     "    email = sa.Column('email_address', sa.String(255))\n"
	     "audit = sa.Table('audit', metadata,\n"
	     "    sa.Column('id', sa.Integer),\n"
	     "    sa.Column('actor', sa.String(50)),\n"
	     "    sa.Index('ix_audit_actor', 'actor'),\n"
	     "    sa.UniqueConstraint('id', 'actor', name='uq_audit'))\n"
	     "sa.Index('ix_users_email', User.email, unique=True)\n"
	     "ix = sa.Index('ix_audit_id', audit.c.id)\n"
	     "sa.Index('ix_both', User.id, audit.c.id)\n");
	ck_assert_uint_eq(mf->n_tables, 2);
	t = table(0);
	assert_cons(t, 0, SC_CONS_INDEX, "ix_users_email", "email_address");
	ck_assert_int_eq(t->cons[0].unique, 1);
	/* an index over two tables cannot be placed: both are unsure */
	ck_assert_int_eq(t->cons_uncertain, 1);
	t = table(1);
	assert_cons(t, 0, SC_CONS_INDEX, "ix_audit_actor", "actor");
	assert_cons(t, 1, SC_CONS_UNIQUE, "uq_audit", "id,actor");
	assert_cons(t, 2, SC_CONS_INDEX, "ix_audit_id", "id");
	ck_assert_int_eq(t->cons_uncertain, 1);
}
END_TEST

START_TEST(test_type_from_annotation)
{
	const struct sc_model_table *t;

	load("import sqlalchemy as sa\n"
	     "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n"
	     "class Base(DeclarativeBase):\n"
	     "    pass\n"
	     "class User(Base):\n"
	     "    __tablename__ = 'users'\n"
	     "    id: Mapped[int] = mapped_column(primary_key=True)\n"
	     "    name: Mapped[str] = mapped_column(sa.Text)\n");
	t = table(0);
	ck_assert_int_eq(col(t, "id")->type_from_annotation, 1);
	ck_assert_int_eq(col(t, "id")->family, SC_TYPE_INTEGER);
	ck_assert_int_eq(col(t, "name")->type_from_annotation, 0);
	ck_assert_int_eq(col(t, "name")->family, SC_TYPE_TEXT);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("models");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_declarative_column);
	tcase_add_test(tc, test_mapped);
	tcase_add_test(tc, test_flask);
	tcase_add_test(tc, test_core_table);
	tcase_add_test(tc, test_mixins_and_inheritance);
	tcase_add_test(tc, test_dynamic_names);
	tcase_add_test(tc, test_dunder_table);
	tcase_add_test(tc, test_no_tables);
	tcase_add_test(tc, test_broken_files);
	tcase_add_test(tc, test_table_args);
	tcase_add_test(tc, test_indexes_outside_classes);
	tcase_add_test(tc, test_type_from_annotation);
	suite_add_tcase(s, tc);
	return tu_run(s);
}
