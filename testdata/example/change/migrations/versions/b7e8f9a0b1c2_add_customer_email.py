"""add customer email

Revision ID: b7e8f9a0b1c2
Revises: a1b2c3d4e5f6
"""
from alembic import op
import sqlalchemy as sa

revision = "b7e8f9a0b1c2"
down_revision = "a1b2c3d4e5f6"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("customers", sa.Column("email", sa.String(200), nullable=False))


def downgrade():
    pass
