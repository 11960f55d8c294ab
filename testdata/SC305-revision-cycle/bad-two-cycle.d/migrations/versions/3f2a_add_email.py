"""add email

Revision ID: 3f2a
Revises: 7b1d
"""
from alembic import op
import sqlalchemy as sa

revision = '3f2a'
down_revision = '7b1d'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
