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
    sqlite_alter_columns("users", [
        sa.Column("email", sa.String(255), nullable=False),
    ])


def downgrade():
    pass
