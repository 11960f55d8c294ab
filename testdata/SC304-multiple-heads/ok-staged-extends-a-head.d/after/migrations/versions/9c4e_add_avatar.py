"""add avatar

Revision ID: 9c4e
Revises: 3f2a
"""
from alembic import op
import sqlalchemy as sa

revision = '9c4e'
down_revision = '3f2a'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
