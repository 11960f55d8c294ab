"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

from app.naming import TABLES

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    for table in TABLES:
        op.alter_column(table, "name", nullable=True)


def downgrade():
    pass
