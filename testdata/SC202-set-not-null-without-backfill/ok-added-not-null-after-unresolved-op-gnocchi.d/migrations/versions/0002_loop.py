"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("users", "orders")


def upgrade():
    for table in TABLES:
        op.alter_column(table, "id", existing_type=sa.Integer,
                        autoincrement=True)


def downgrade():
    pass
