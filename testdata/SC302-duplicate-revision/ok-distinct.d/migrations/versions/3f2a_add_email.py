"""add email

Revision ID: 3f2a
Revises: 1c9e
"""
from alembic import op
import sqlalchemy as sa

revision = '3f2a'
down_revision = '1c9e'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
