#!/usr/bin/python3
"""The database oracle: every rule whose claim is about what the database
does, played under real Alembic on a real database (issue 7).

Run by run.sh, which starts the throwaway PostgreSQL cluster and passes its
URL. For each fixture folder testdata/<CODE>-<name>/{bad,ok}-*.d of the
rules below, the fixture's migrations/versions/ is copied into a temporary
folder next to a generic env.py (this folder's env.py) and an alembic.ini,
and Alembic's own command functions (alembic.command.upgrade/downgrade:
what `python3 -m alembic upgrade|downgrade` calls) run the rule's scenario
on a fresh, empty database (on PostgreSQL a schema of its own, the only
one on the search_path; on SQLite a new file):

  SC101 SC102 SC103  round trip at the fixture's migration: upgrade to the
                     revision before it, upgrade to it, downgrade back,
                     upgrade again; the schemas (from the catalog:
                     relations, columns with types, NOT NULL, defaults and
                     comments, constraints, indexes, views, enum types,
                     triggers; on SQLite its PRAGMAs) must be identical at
                     each point for a clean round trip.
                                                    PostgreSQL and SQLite
  SC201 SC202        upgrade to the revision before, one row in every table
                     (values only for NOT NULL columns, from reflection),
                     upgrade: bad fixtures fail with a NOT NULL violation
                     naming the column, and the same upgrade on empty
                     tables succeeds; ok fixtures succeed.    PostgreSQL
  SC208              one row in every table with values that fill each
                     column (a string as long as its String(n), 3.7 in a
                     Numeric, 2**40 in a BigInteger, a time of day in a
                     DateTime), upgrade: a narrowing must fail or change
                     the value; ok fixtures keep every value. PostgreSQL
  SC209              a row of values that cast between types ('1', 1),
                     upgrade: bad fixtures are refused ("cannot be cast
                     automatically"); ok fixtures succeed.     PostgreSQL
  SC303 SC304        `upgrade heads` (SC303) or `upgrade head` / every
                     `<label>@head` (SC304): Alembic refuses the bad
                     fixtures and accepts the ok ones; a staged fixture
                     (before/ and after/ trees) is bad if after/ is refused
                     while before/ is accepted, ok if after/ is accepted or
                     before/ was refused already (old debt).       SQLite

Bad or ok comes from the fixture's expected.diag (a line with [CODE]); the
migration under test is the file that line names, or the head for an ok
fixture; the revision before it is its down_revision, read by Alembic's
ScriptDirectory. What cannot be derived is in fixtures.tsv (tables made
outside the migrations, fixtures that are ok only by configuration, ...).
Modules that fixtures import but that do not exist (myapp.*) are
stand-ins under stubs/, and the line says so.

Prints one line per (rule, fixture), the rules without fixtures as "not
yet covered", and "oracle db: N passed, N failed"; exits 1 on a mismatch.
"""
import argparse
import ast
import contextlib
import datetime
import decimal
import difflib
import io
import os
import re
import shutil
import sys
import warnings

sys.dont_write_bytecode = True

import sqlalchemy as sa  # noqa: E402
from alembic import command  # noqa: E402
from alembic.config import Config  # noqa: E402
from alembic.script import ScriptDirectory  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
STUBS = os.path.join(HERE, "stubs")

# rule -> (scenario, dialects)
RULES = {
    "SC101": ("roundtrip", ("postgresql", "sqlite")),
    "SC102": ("roundtrip", ("postgresql", "sqlite")),
    "SC103": ("roundtrip", ("postgresql", "sqlite")),
    "SC201": ("rows", ("postgresql",)),
    "SC202": ("rows", ("postgresql",)),
    "SC208": ("narrowing", ("postgresql",)),
    "SC209": ("using", ("postgresql",)),
    "SC303": ("load", ("sqlite",)),
    "SC304": ("heads", ("sqlite",)),
}

# What a bad fixture's round trip may show, per rule: SC101 has no
# downgrade() to run; SC102's downgrade does nothing (or refuses);
# SC103's downgrade runs but does not undo everything.
ROUNDTRIP_BAD = {
    "SC101": {"refused"},
    "SC102": {"refused", "differs"},
    "SC103": {"refused", "differs", "reupgrade-failed"},
}

COLUMN_RE = re.compile(r"column '([^'.]+)\.([^']+)'")


class OracleError(Exception):
    """The fixture cannot be run at all (always a failure)."""


class Err:
    """An exception raised by Alembic, the migration or the database."""

    def __init__(self, exc):
        self.exc = exc
        orig = getattr(exc, "orig", None)
        base = orig if orig is not None else exc
        self.name = type(base).__name__
        self.pgcode = getattr(base, "pgcode", None)
        text = str(base).strip()
        self.msg = text.splitlines()[0].strip() if text else ""
        if len(self.msg) > 110:
            self.msg = self.msg[:100].rstrip() + " ..."

    def __str__(self):
        return "%s: %s" % (self.name, self.msg) if self.msg else self.name


# ---------------------------------------------------------------- values

NOVALUE = object()
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def text_of(n):
    return (LETTERS * (n // len(LETTERS) + 1))[:n]


def value_for(col, mode):
    """A value for a column of a reflected table.

    minimal: any value (for NOT NULL columns); full: one that fills the
    column, so that a narrower type cannot hold it; neutral: one that the
    usual casts accept ('1' is an integer, a number and a boolean).
    """
    t = col.type
    if isinstance(t, sa.Boolean):
        return True
    if isinstance(t, sa.BigInteger):
        return 2 ** 40 if mode == "full" else 1
    if isinstance(t, sa.Integer):
        return 7 if mode == "full" else 1
    if isinstance(t, sa.Numeric):  # Float too
        if mode == "full":
            return 3.7 if isinstance(t, sa.Float) else decimal.Decimal("3.70")
        return 1
    if isinstance(t, sa.String):  # Text, VARCHAR, Unicode, ...
        if mode == "neutral":
            return "1"
        if mode == "full":
            return text_of(t.length or 1000)
        return "x"
    if isinstance(t, sa.DateTime):
        if mode == "neutral":
            return datetime.datetime(2020, 1, 2)
        return datetime.datetime(2020, 1, 2, 12, 34, 56)
    if isinstance(t, sa.Date):
        return datetime.date(2020, 1, 2)
    if isinstance(t, sa.Time):
        return datetime.time(12, 34, 56)
    return NOVALUE


def is_autoincrement(col, table, dialect):
    if not col.primary_key or not isinstance(col.type, sa.Integer):
        return False
    if len(table.primary_key.columns) != 1:
        return False
    if dialect == "sqlite":
        return True  # INTEGER PRIMARY KEY is the rowid
    if getattr(col, "identity", None) is not None:
        return True
    d = col.server_default
    return d is not None and "nextval" in str(getattr(d, "arg", d))


def norm(v):
    """A value as compared before and after an upgrade: numbers by value
    (3.70 == 3.7, 7 == '7'), times as ISO text."""
    if v is None or isinstance(v, bool):
        return v
    if isinstance(v, (int, float, decimal.Decimal)):
        return decimal.Decimal(str(v)).normalize()
    if isinstance(v, str):
        try:
            return decimal.Decimal(v).normalize()
        except decimal.InvalidOperation:
            return v
    if isinstance(v, (datetime.datetime, datetime.date, datetime.time)):
        return v.isoformat()
    return repr(v)


def show(v):
    if isinstance(v, str) and len(v) > 12:
        return "'%s...' (%d chars)" % (v[:6], len(v))
    if isinstance(v, decimal.Decimal):
        return str(v)
    return repr(v)


# ------------------------------------------------------------- databases

class Runner:
    def __init__(self, args):
        self.testdata = args.testdata
        self.work = args.work
        self.pg_url = sa.engine.make_url(args.pg) if args.pg else None
        self.count = 0
        self.admin = None
        if self.pg_url is not None:
            # one database for the run, one schema per scenario
            eng = sa.create_engine(self.pg_url.set(database="postgres"),
                                   isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
            with eng.connect() as c:
                c.exec_driver_sql("DROP DATABASE IF EXISTS oracle WITH (FORCE)")
                c.exec_driver_sql("CREATE DATABASE oracle")
            eng.dispose()
            self.pg_url = self.pg_url.set(database="oracle")
            self.admin = sa.create_engine(self.pg_url, isolation_level="AUTOCOMMIT",
                                          poolclass=sa.pool.StaticPool).connect()

    def new_db(self, dialect, where):
        self.count += 1
        return Db(self, dialect, "fx%d" % self.count, where)


PG_SCHEMA_QUERIES = [
    # relations, columns (in order), constraints, indexes, comments,
    # views, sequences, enum types, triggers: what pg_dump --schema-only
    # would show of what migrations change, as comparable lines
    ("relation", """
        SELECT c.relname, c.relkind, obj_description(c.oid, 'pg_class')
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('r','p','v','m','S','f')
          AND c.relname NOT IN ('alembic_version', 'alembic_version_pkc')
        ORDER BY 1"""),
    ("column", """
        SELECT c.relname || '.' || a.attname, format_type(a.atttypid, a.atttypmod),
               CASE WHEN a.attnotnull THEN 'NOT NULL' END,
               'DEFAULT ' || pg_get_expr(d.adbin, d.adrelid),
               CASE WHEN a.attidentity <> '' THEN 'IDENTITY ' || a.attidentity::text END,
               'COMMENT ' || col_description(c.oid, a.attnum)
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = current_schema() AND c.relkind IN ('r','p','v','m','f')
          AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> 'alembic_version'
        ORDER BY c.relname, a.attnum"""),
    ("constraint", """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid)
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relname <> 'alembic_version'
        ORDER BY 1, 2"""),
    ("index", """
        SELECT indexname, indexdef FROM pg_indexes
        WHERE schemaname = current_schema() AND tablename <> 'alembic_version'
        ORDER BY 1"""),
    ("view", """
        SELECT c.relname, pg_get_viewdef(c.oid)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relkind IN ('v','m') ORDER BY 1"""),
    ("type", """
        SELECT t.typname, string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
        FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
        JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = current_schema() GROUP BY 1 ORDER BY 1"""),
    ("trigger", """
        SELECT t.tgname, pg_get_triggerdef(t.oid)
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND NOT t.tgisinternal ORDER BY 1"""),
]


class Db:
    """A fresh, empty database for one scenario: a schema of its own (the
    only one on the search_path) on PostgreSQL, a file on SQLite. One
    connection serves the scenario, Alembic's commands included."""

    def __init__(self, runner, dialect, name, where):
        self.runner = runner
        self.dialect = dialect
        self.name = name
        if dialect == "postgresql":
            if runner.pg_url is None:
                raise OracleError("no PostgreSQL server (--pg)")
            runner.admin.exec_driver_sql('CREATE SCHEMA "%s"' % name)
            self.url = str(runner.pg_url)
            self.engine = sa.create_engine(
                runner.pg_url, poolclass=sa.pool.NullPool,
                connect_args={"options": "-c search_path=%s" % name})
        else:
            os.makedirs(where, exist_ok=True)
            self.path = os.path.join(where, name + ".sqlite")
            self.url = "sqlite:///" + self.path
            self.engine = sa.create_engine(self.url, poolclass=sa.pool.NullPool)
        self.conn = self.engine.connect()

    def close(self):
        self.conn.close()
        self.engine.dispose()
        if self.dialect == "postgresql":
            self.runner.admin.exec_driver_sql('DROP SCHEMA "%s" CASCADE' % self.name)

    def execute(self, statements):
        with self.conn.begin():
            for s in statements:
                self.conn.exec_driver_sql(s)

    def tables(self):
        return sorted(t for t in sa.inspect(self.conn).get_table_names()
                      if t != "alembic_version")

    def schema(self):
        """The schema as lines of text, to compare and to show."""
        c = self.conn
        lines = []
        if self.dialect == "postgresql":
            prefix = self.name + "."
            for kind, q in PG_SCHEMA_QUERIES:
                for r in c.exec_driver_sql(q):
                    lines.append(" ".join([kind] + [str(v).replace(prefix, "")
                                                    for v in r if v is not None]))
            return lines
        for t in self.tables():
            for r in c.exec_driver_sql('PRAGMA table_info("%s")' % t):
                lines.append("column %s.%s %s%s%s%s" % (
                    t, r[1], r[2], " NOT NULL" if r[3] else "",
                    " DEFAULT %s" % r[4] if r[4] is not None else "",
                    " PK%d" % r[5] if r[5] else ""))
            for r in c.exec_driver_sql('PRAGMA index_list("%s")' % t):
                cols = [i[2] for i in c.exec_driver_sql(
                    'PRAGMA index_info("%s")' % r[1])]
                lines.append("index %s on %s (%s)%s" % (
                    r[1], t, ", ".join(map(str, cols)),
                    " UNIQUE" if r[2] else ""))
            for r in c.exec_driver_sql('PRAGMA foreign_key_list("%s")' % t):
                lines.append("foreign key %s.%s -> %s.%s" % (t, r[3], r[2], r[4]))
        for r in c.exec_driver_sql(
                "SELECT type, name FROM sqlite_master WHERE type IN ('view', 'trigger')"):
            lines.append("%s %s" % r)
        return sorted(lines)

    def insert_rows(self, mode):
        """One row in every empty table; returns the tables with rows."""
        filled = []
        md = sa.MetaData()
        c = self.conn
        with c.begin():
            names = self.tables()
            for n in names:
                sa.Table(n, md, autoload_with=c)
            for t in md.sorted_tables:
                if c.execute(sa.select(sa.func.count()).select_from(t)).scalar():
                    filled.append(t.name + " (rows from setup)")
                    continue
                values = {}
                for col in t.columns:
                    if is_autoincrement(col, t, self.dialect):
                        continue
                    required = not col.nullable and col.server_default is None
                    if mode == "minimal" and not required:
                        continue
                    fks = list(col.foreign_keys)
                    if fks:
                        v = c.execute(sa.select(fks[0].column).limit(1)).scalar()
                        v = NOVALUE if v is None else v
                    else:
                        v = value_for(col, mode)
                    if v is NOVALUE:
                        if required:
                            raise OracleError("no value for %s.%s of type %s"
                                              % (t.name, col.name, col.type))
                        continue
                    values[col.name] = v
                c.execute(t.insert().values(**values))
                filled.append(t.name)
        return filled

    def rows(self):
        """{table: [{column: value}]} and {table.column: type}."""
        data, types = {}, {}
        md = sa.MetaData()
        c = self.conn
        if True:
            for n in self.tables():
                t = sa.Table(n, md, autoload_with=c)
                for col in t.columns:
                    types["%s.%s" % (n, col.name)] = str(col.type)
                order = list(t.primary_key.columns) or list(t.columns)
                data[n] = [dict(r._mapping) for r in
                           c.execute(sa.select(t).order_by(*order))]
        return data, types


def schema_diff(a, b, limit=3):
    out = [ln for ln in difflib.unified_diff(a, b, lineterm="", n=0)
           if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]
    shown = ["%s %s" % (ln[0], ln[1:].strip().rstrip(",;")) for ln in out[:limit]]
    if len(out) > limit:
        shown.append("...")
    return shown


def data_losses(before, after):
    """Values that changed, for columns that exist before and after."""
    losses = []
    for t, rows in before.items():
        new = after.get(t)
        if new is None:
            continue
        if len(new) != len(rows):
            losses.append(("%s" % t, "%d rows" % len(rows), "%d rows" % len(new)))
            continue
        for r0, r1 in zip(rows, new):
            for k, v in r0.items():
                if k in r1 and norm(v) != norm(r1[k]):
                    losses.append(("%s.%s" % (t, k), show(v), show(r1[k])))
    return losses


# -------------------------------------------------------------- fixtures

class Tree:
    """A runnable copy of a fixture's migrations: alembic.ini, the generic
    env.py and the fixture's versions/ (every folder with .py files is a
    version location: Alembic 1.8 has no recursive_version_locations)."""

    def __init__(self, src, dst):
        versions = os.path.join(src, "migrations", "versions")
        if not os.path.isdir(versions):
            raise OracleError("no migrations/versions/ in %s" % src)
        mig = os.path.join(dst, "migrations")
        shutil.copytree(versions, os.path.join(mig, "versions"),
                        ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(os.path.join(HERE, "env.py"), os.path.join(mig, "env.py"))
        locations = sorted(d for d, _, files in os.walk(os.path.join(mig, "versions"))
                           if any(f.endswith(".py") for f in files))
        self.ini = os.path.join(dst, "alembic.ini")
        with open(self.ini, "w") as f:
            f.write("[alembic]\nscript_location = %s\nversion_locations = %s\n"
                    "version_path_separator = os\n"
                    % (mig, os.pathsep.join(locations)))
        self.cfg = Config(self.ini)
        self.root = dst

    def script(self):
        with quiet():
            return ScriptDirectory.from_config(self.cfg)

    def run(self, db, cmd, rev):
        """alembic upgrade|downgrade REV on db; None or the Err."""
        os.environ["SCHEMACHECK_ORACLE_URL"] = db.url
        self.cfg.attributes["connection"] = db.conn
        try:
            with quiet():
                getattr(command, cmd)(self.cfg, rev)
        except (Exception, SystemExit) as e:  # what the migration raised
            return Err(e)
        return None


@contextlib.contextmanager
def quiet():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with contextlib.redirect_stdout(io.StringIO()), \
                contextlib.redirect_stderr(io.StringIO()):
            yield


def stand_ins(versions):
    """The stubs/ modules that the fixture's migrations import."""
    have = set(os.listdir(STUBS)) if os.path.isdir(STUBS) else set()
    used = set()
    for d, _, files in os.walk(versions):
        for f in files:
            if not f.endswith(".py"):
                continue
            try:
                tree = ast.parse(open(os.path.join(d, f), encoding="utf-8").read())
            except (SyntaxError, ValueError, UnicodeDecodeError):
                continue
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names = []
                    for a in node.names:  # from myapp.db import ids: myapp.db.ids
                        sub = os.path.join(STUBS, *(node.module + "." + a.name).split("."))
                        ok = os.path.exists(sub + ".py") or os.path.isdir(sub)
                        names.append(node.module + "." + a.name if ok else node.module)
                else:
                    continue
                used.update(n for n in names if n.split(".")[0] in have)
    return sorted(used)


class Fixture:
    def __init__(self, runner, rule, rule_dir, name, meta):
        self.runner = runner
        self.rule = rule
        self.name = name
        self.path = os.path.join(rule_dir, name)
        self.meta = meta
        diag = os.path.join(self.path, "expected.diag")
        lines = open(diag, encoding="utf-8").read().splitlines() if os.path.exists(diag) else []
        self.diags = [ln for ln in lines if re.match(r"^\S.*:\d+:\d+: \w+\[%s\]" % rule, ln)]
        self.bad = bool(self.diags)
        self.expect = meta.get("expect", [""])[0].split(":")[0].strip() or (
            "bad" if self.bad else "ok")
        self.why = meta.get("expect", [""])[0].partition(":")[2].strip()
        self.setup = meta.get("setup", [])
        self.staged = os.path.isdir(os.path.join(self.path, "after"))
        self.ntree = 0

    def tree(self, which=None):
        if which is None and self.staged:
            which = "after"
        self.ntree += 1
        src = os.path.join(self.path, which) if which else self.path
        dst = os.path.join(self.runner.work, self.rule, self.name,
                           "%s%d" % (which or "t", self.ntree))
        return Tree(src, dst)

    def diag_column(self):
        for d in self.diags:
            m = COLUMN_RE.search(d)
            if m:
                return m.group(1), m.group(2)
        return None

    def target(self, tree):
        """The migration under test (the file the diagnostic names, or the
        head) and the revision before it."""
        script = tree.script()
        want = None
        if self.diags:
            rel = self.diags[0].split(":", 1)[0]
            want = os.path.realpath(os.path.join(tree.root, rel))
        with quiet():
            revs = list(script.walk_revisions())
            heads = script.get_heads()
        if want:
            for sc in revs:
                if os.path.realpath(sc.path) == want:
                    return sc
            raise OracleError("no revision in %s (named by expected.diag)" % rel)
        if len(heads) != 1:
            raise OracleError("%d heads; which migration is under test?" % len(heads))
        return script.get_revision(heads[0])

    def new_db(self, dialect):
        db = self.runner.new_db(dialect, os.path.join(self.runner.work, self.rule, self.name))
        try:
            if self.setup:
                db.execute(self.setup)
        except Exception:
            db.close()
            raise
        return db


def arrow(pre, target):
    p = ",".join(pre) if isinstance(pre, tuple) else (pre or "base")
    return "%s -> %s" % (p, target.revision)


def upgrade_pre(fx, tree, db, target):
    pre = target.down_revision
    for r in (pre if isinstance(pre, tuple) else (pre,)):
        if r is None:
            continue
        e = tree.run(db, "upgrade", r)
        if e:
            raise OracleError("the history before %s does not apply: %s" % (target.revision, e))


# ------------------------------------------------------------- scenarios

def roundtrip(fx, dialect):
    tree = fx.tree()
    target = fx.target(tree)
    pre = target.down_revision
    back = "base" if pre is None else ("-1" if isinstance(pre, tuple) else pre)
    skip = fx.meta.get("skip-" + dialect)
    db = fx.new_db(dialect)
    try:
        upgrade_pre(fx, tree, db, target)
        s0 = db.schema()
        e = tree.run(db, "upgrade", target.revision)
        if e:
            if skip:
                return None, "not run (%s): upgrade %s fails: %s" % (skip[0], arrow(pre, target), e)
            raise OracleError("upgrade %s fails: %s" % (arrow(pre, target), e))
        s1 = db.schema()
        e = tree.run(db, "downgrade", back)
        if e:
            outcome = "refused"
            d = schema_diff(s1, db.schema())
            text = "downgrade %s -> %s refuses: %s; the schema %s" % (
                target.revision, back, e,
                "is left as it was" if not d else "is half changed: " + "; ".join(d))
            ok = fx.expect == "refuses" and not d
        else:
            d0 = schema_diff(s0, db.schema())
            e2 = tree.run(db, "upgrade", target.revision)
            d1 = [] if e2 else schema_diff(s1, db.schema())
            parts = ["upgrade %s, downgrade, upgrade" % arrow(pre, target)]
            if d0:
                outcome = "differs"
                parts.append("after the downgrade the schema differs from %s's: %s"
                             % (back, "; ".join(d0)))
            if e2:
                outcome = "differs" if d0 else "reupgrade-failed"
                parts.append("the second upgrade fails: %s" % e2)
            elif d1:
                outcome = "differs"
                parts.append("after the second upgrade the schema differs: %s" % "; ".join(d1))
            if not (d0 or e2 or d1):
                outcome = "clean"
                parts.append("identical schemas (clean round trip)")
            text = ": ".join(parts[:2]) + ("; " + "; ".join(parts[2:]) if parts[2:] else "")
            ok = None
        if fx.expect in ("bad", "policy"):
            allowed = ROUNDTRIP_BAD[fx.rule] if fx.expect == "bad" else {
                "refused", "differs", "reupgrade-failed"}
            ok = outcome in allowed
            if fx.rule == "SC101" and fx.expect == "bad":  # no downgrade() to call
                ok = ok and "downgrade" in e.msg
        elif fx.expect == "ok":
            ok = outcome == "clean"
        elif ok is None:  # refuses expected, but the downgrade ran
            ok = False
        if skip:
            ok = False
            text += " (fixtures.tsv says %s cannot run it, but it does: remove the entry)" % dialect
        return ok, text
    finally:
        db.close()


def rows_scenario(fx, dialect):
    tree = fx.tree()
    target = fx.target(tree)
    pre = target.down_revision
    db = fx.new_db(dialect)
    try:
        upgrade_pre(fx, tree, db, target)
        filled = db.insert_rows("minimal")
        e = tree.run(db, "upgrade", target.revision)
    finally:
        db.close()
    where = "with a row in %s" % ", ".join(filled) if filled else "with no table to fill"
    if not e:
        text = "upgrade %s %s succeeds" % (arrow(pre, target), where)
        return fx.expect == "ok", text
    text = "upgrade %s %s fails: %s" % (arrow(pre, target), where, e)
    if fx.expect == "ok":
        return False, text
    col = fx.diag_column()
    ok = e.pgcode == "23502" and (col is None or '"%s"' % col[1] in e.msg)
    if not ok:
        return False, text + " (expected a NOT NULL violation on %s)" % ".".join(col or ("?",))
    # the control: the same upgrade on empty tables
    db = fx.new_db(dialect)
    try:
        upgrade_pre(fx, tree, db, target)
        e0 = tree.run(db, "upgrade", target.revision)
    finally:
        db.close()
    if e0:
        return False, text + "; but it fails on empty tables too: %s" % e0
    return True, text + "; on empty tables it succeeds"


def narrowing(fx, dialect):
    tree = fx.tree()
    target = fx.target(tree)
    pre = target.down_revision
    db = fx.new_db(dialect)
    try:
        upgrade_pre(fx, tree, db, target)
        db.insert_rows("full")
        before, types0 = db.rows()
        e = tree.run(db, "upgrade", target.revision)
        after, types1 = (None, {}) if e else db.rows()
    finally:
        db.close()
    col = fx.diag_column()
    key = ".".join(col) if col else None
    changes = ["%s %s -> %s" % (k, types0[k], types1[k]) for k in sorted(types0)
               if k in types1 and types0[k] != types1[k]]
    head = "upgrade %s with rows that fill every column" % arrow(pre, target)
    if e:
        text = "%s fails: %s" % (head, e)
        # a data exception (22xxx: value too long, out of range) or a
        # type that cannot be cast (42804); not any error at all
        return fx.expect == "bad" and bool(e.pgcode) and (
            e.pgcode.startswith("22") or e.pgcode == "42804"), text
    losses = data_losses(before, after)
    text = "%s succeeds (%s); %s" % (
        head, ", ".join(changes) or "no column changes type",
        "values changed: " + ", ".join("%s %s became %s" % l for l in losses)
        if losses else "every value kept")
    if fx.expect != "bad":
        return not losses, text
    narrowed = any("narrowed" in d for d in fx.diags)
    if narrowed:
        return any(l[0] == key for l in losses), text
    return any(c.startswith(key + " ") for c in changes) if key else bool(changes), text


def using(fx, dialect):
    tree = fx.tree()
    target = fx.target(tree)
    pre = target.down_revision
    db = fx.new_db(dialect)
    try:
        upgrade_pre(fx, tree, db, target)
        db.insert_rows("neutral")
        before, types0 = db.rows()
        e = tree.run(db, "upgrade", target.revision)
        after, types1 = (None, {}) if e else db.rows()
    finally:
        db.close()
    head = "upgrade %s with castable rows" % arrow(pre, target)
    if e:
        text = "%s is refused: %s" % (head, e)
        col = fx.diag_column()
        ok = fx.expect in ("bad", "policy") and e.pgcode == "42804" and (
            col is None or '"%s"' % col[1] in e.msg)
        return ok, text
    changes = ["%s %s -> %s" % (k, types0[k], types1[k]) for k in sorted(types0)
               if k in types1 and types0[k] != types1[k]]
    losses = data_losses(before, after)
    text = "%s succeeds (%s); %s" % (
        head, ", ".join(changes) or "no column changes type",
        "values changed: " + ", ".join("%s %s became %s" % l for l in losses)
        if losses else "every value kept")
    return fx.expect == "ok" and not losses, text


def load(fx, dialect):
    tree = fx.tree()
    db = fx.new_db(dialect)
    try:
        e = tree.run(db, "upgrade", "heads")
    finally:
        db.close()
    if not e:
        return fx.expect == "ok", "alembic upgrade heads succeeds"
    text = "alembic upgrade heads is refused: %s" % e
    named = [m.group(1) for d in fx.diags for m in [re.search(r"names '([^']+)'", d)] if m]
    return fx.expect == "bad" and all(n in str(e.exc) for n in named), text


def heads_of(fx, which):
    """(accepted?, text, heads) for one tree of the fixture."""
    tree = fx.tree(which)
    try:
        script = tree.script()
        with quiet():
            heads = sorted(script.get_heads())
            labels = sorted({lb for sc in script.walk_revisions() for lb in sc.branch_labels})
    except Exception as e:  # a history Alembic cannot read
        return False, "Alembic cannot read the history: %s" % Err(e), []
    targets = ["%s@head" % lb for lb in labels] or ["head"]
    db = fx.new_db("sqlite")
    try:
        for t in targets:
            e = tree.run(db, "upgrade", t)
            if e:
                return False, "alembic upgrade %s is refused: %s (heads: %s)" % (
                    t, e, ", ".join(heads)), heads
    finally:
        db.close()
    return True, "alembic upgrade %s succeeds (heads: %s)" % (
        ", ".join(targets), ", ".join(heads)), heads


def heads(fx, dialect):
    accepted, text, hs = heads_of(fx, None)
    if fx.staged:
        b_accepted, b_text, b_hs = heads_of(fx, "before")
        text = "after: %s; before: %s" % (text, b_text)
    if fx.expect == "stricter":
        # bad only by the configuration's stricter limit: Alembic accepts it
        return accepted, text
    if fx.expect == "ok":
        if accepted:
            return True, text
        # refused, but so was the history before this change
        return fx.staged and not b_accepted and len(b_hs) >= len(hs), \
            text + " (the change adds no head)" if fx.staged and not b_accepted else text
    if accepted:
        return False, text
    named = set(re.findall(r"revision '([^']+)'|also '([^']+)'", " ".join(fx.diags)))
    named = {a or b for a, b in named}
    ok = "ultiple head" in text and named <= set(hs)
    if fx.staged:
        ok = ok and b_accepted
    return ok, text


SCENARIOS = {"roundtrip": roundtrip, "rows": rows_scenario, "narrowing": narrowing,
             "using": using, "load": load, "heads": heads}


# ------------------------------------------------------------------ main

def read_meta(path):
    """fixtures.tsv: rule, fixture, key, value (tab-separated)."""
    meta = {}
    if not os.path.exists(path):
        return meta
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        f = line.split("\t", 3)
        if len(f) != 4:
            raise SystemExit("%s:%d: expected 4 tab-separated fields" % (path, n))
        meta.setdefault((f[0], f[1]), {}).setdefault(f[2], []).append(f[3])
    return meta


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--testdata", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--pg", help="SQLAlchemy URL of the PostgreSQL server (no database)")
    ap.add_argument("--rule", action="append", help="only these rules")
    ap.add_argument("--fixture", help="only fixtures whose name contains this")
    args = ap.parse_args()
    sys.path.insert(0, STUBS)
    runner = Runner(args)
    meta = read_meta(os.path.join(HERE, "fixtures.tsv"))
    used_meta = set()
    passed = failed = skipped = 0
    uncovered = []
    for rule, (scenario, dialects) in RULES.items():
        if args.rule and rule not in args.rule:
            continue
        rule_dirs = sorted(d for d in os.listdir(args.testdata)
                           if d.startswith(rule + "-")
                           and os.path.isdir(os.path.join(args.testdata, d)))
        names = []
        for rd in rule_dirs:
            names += [(rd, n) for n in sorted(os.listdir(os.path.join(args.testdata, rd)))
                      if n.endswith(".d") and (n.startswith("bad-") or n.startswith("ok-"))]
        if not names:
            uncovered.append(rule)
            continue
        for rd, name in names:
            if args.fixture and args.fixture not in name:
                continue
            used_meta.add((rule, name))
            fx = Fixture(runner, rule, os.path.join(args.testdata, rd), name,
                         meta.get((rule, name), {}))
            results = []
            ok = True
            try:
                if fx.bad != name.startswith("bad-"):
                    raise OracleError("named %s but expected.diag %s [%s]" % (
                        name.split("-")[0], "has" if fx.bad else "lacks", rule))
                for dialect in dialects:
                    r_ok, text = SCENARIOS[scenario](fx, dialect)
                    if r_ok is not None:
                        ok = ok and r_ok
                    results.append("%s: %s" % (dialect, text) if len(dialects) > 1 else text)
            except OracleError as e:
                ok = False
                results.append("cannot run: %s" % e)
            except Exception as e:  # a bug in the oracle or an unusable fixture
                ok = False
                results.append("cannot run: %s" % Err(e))
            unrunnable = fx.meta.get("unrunnable")
            if unrunnable and not ok:
                skipped += 1
                print("skip %s %s: not runnable under real Alembic: %s: %s" % (
                    rule, name, unrunnable[0], " | ".join(results)), flush=True)
                continue
            if unrunnable:
                ok = False
                results.append("fixtures.tsv says it cannot run, but it does: remove the entry")
            note = ""
            if fx.expect == "policy":
                note = " [rule off by configuration: %s]" % fx.why
            elif fx.expect == "refuses":
                note = " [%s]" % fx.why
            elif fx.expect == "stricter":
                note = " [rule made stricter than Alembic by configuration: %s]" % fx.why
            stands = _stand_ins_of(fx)
            if stands:
                note += " [stand-in: %s]" % ", ".join(stands)
            if ok:
                passed += 1
            else:
                failed += 1
            verdict = {"bad": "as predicted", "ok": "as predicted",
                       "policy": "as expected", "refuses": "as expected",
                       "stricter": "as expected"}[fx.expect] \
                if ok else "CONTRADICTS the %s fixture" % fx.expect
            print("%s %s %s: %s: %s%s" % ("ok  " if ok else "FAIL", rule, name, verdict,
                                          " | ".join(results), note), flush=True)
    if not args.fixture and not args.rule:
        for key in sorted(set(meta) - used_meta):
            failed += 1
            print("FAIL %s %s: fixtures.tsv names a fixture that does not exist" % key)
    for rule in uncovered:
        print("--   %s: not yet covered (no fixtures in testdata/%s-*)" % (rule, rule))
    print("oracle db: %d passed, %d failed%s%s" % (
        passed, failed,
        ", %d not runnable (fixtures.tsv)" % skipped if skipped else "",
        ", %d rules not yet covered" % len(uncovered) if uncovered else ""))
    return 1 if failed else 0


def _stand_ins_of(fx):
    src = os.path.join(fx.path, "after") if fx.staged else fx.path
    versions = os.path.join(src, "migrations", "versions")
    return stand_ins(versions) if os.path.isdir(versions) else []


if __name__ == "__main__":
    sys.exit(main())
