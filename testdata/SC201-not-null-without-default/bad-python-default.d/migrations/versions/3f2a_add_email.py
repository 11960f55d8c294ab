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
    op.add_column("users", sa.Column("email", sa.String(100), nullable=False, default=""))


def downgrade():
    op.drop_column("users", "email")
