"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

from app.util import get_tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    for table in get_tables():
        op.add_column(table, sa.Column("email", sa.String(255)))


def downgrade():
    for table in get_tables():
        op.drop_column(table, "email")
