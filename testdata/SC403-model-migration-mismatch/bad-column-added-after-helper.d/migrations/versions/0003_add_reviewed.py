"""migration 0003

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("change", sa.Column("reviewed", sa.Boolean()))


def downgrade():
    op.drop_column("change", "reviewed")
