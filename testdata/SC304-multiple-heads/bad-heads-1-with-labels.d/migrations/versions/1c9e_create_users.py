"""create users

Revision ID: 1c9e
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = '1c9e'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
