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
    op.execute("ALTER TABLE users ADD COLUMN email VARCHAR(100) NOT NULL")


def downgrade():
    op.execute("ALTER TABLE users DROP COLUMN email")
