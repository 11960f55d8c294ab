"""Alembic environment."""
from alembic import context

from app.models import Base

target_metadata = Base.metadata


def run(connection):
    Base.metadata.create_all(connection)
    context.configure(connection=connection, target_metadata=target_metadata)
