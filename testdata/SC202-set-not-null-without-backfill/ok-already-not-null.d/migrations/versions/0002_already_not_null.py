"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("users", "name", existing_type=sa.String(100), nullable=False,
                    server_default="")


def downgrade():
    op.alter_column("users", "name", existing_type=sa.String(100), server_default=None)
