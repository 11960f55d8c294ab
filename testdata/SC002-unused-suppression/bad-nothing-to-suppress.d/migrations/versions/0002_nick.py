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
    # schemacheck: ignore[SC201] -- the column is nullable anyway
    op.add_column("users", sa.Column("title", sa.String(50), nullable=True))


def downgrade():
    op.drop_column("users", "title")
