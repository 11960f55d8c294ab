"""A generic Alembic environment for the database oracle.

oracle.py puts this file, instead of the fixture's own migrations/env.py
(a stub that schemacheck never executes), next to a copy of the fixture's
migrations/versions/. Online mode only, no target metadata (the models are
never imported), every `upgrade` or `downgrade` in one transaction, as in
Alembic's generic template. The database is the connection oracle.py hands
over in config.attributes (Alembic's "sharing a connection" recipe) or,
when Alembic is run by hand (`python3 -m alembic -c alembic.ini upgrade
head` in a kept work folder), SCHEMACHECK_ORACLE_URL.
"""
import os

from alembic import context
from sqlalchemy import create_engine, pool


def run_migrations(connection):
    context.configure(connection=connection, target_metadata=None)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = create_engine(os.environ["SCHEMACHECK_ORACLE_URL"], poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("the database oracle runs Alembic online only")
run_migrations_online()
