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
    op.add_column("users", sa.Column("short_name", sa.String(50)))
    op.execute("UPDATE users SET short_name = LEFT(name, 50)")


def downgrade():
    op.drop_column("users", "short_name")
