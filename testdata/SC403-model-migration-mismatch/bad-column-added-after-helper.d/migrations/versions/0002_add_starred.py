"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

from app.dbsupport import sqlite_alter_columns

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("change", sa.Column("starred", sa.Boolean()))
    connection = op.get_bind()
    change = sa.sql.table("change", sa.sql.column("starred", sa.Boolean()))
    connection.execute(change.update().values({"starred": False}))
    sqlite_alter_columns("change", [
        sa.Column("starred", sa.Boolean(), index=True, nullable=False),
    ])


def downgrade():
    pass
