"""migration 3f2a

Revision ID: 3f2a
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "3f2a"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("created_at", sa.DateTime, nullable=False, server_default=sa.func.now()))
    op.add_column("users", sa.Column("updated_at", sa.DateTime, nullable=False, server_default=sa.text("now()")))


def downgrade():
    op.drop_column("users", "updated_at")
    op.drop_column("users", "created_at")
