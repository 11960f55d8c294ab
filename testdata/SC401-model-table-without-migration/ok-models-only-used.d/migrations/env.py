"""Alembic environment (never executed by schemacheck)."""
from alembic import context
