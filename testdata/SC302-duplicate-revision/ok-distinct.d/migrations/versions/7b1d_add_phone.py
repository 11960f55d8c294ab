"""add phone

Revision ID: 7b1d
Revises: 3f2a
"""
from alembic import op
import sqlalchemy as sa

revision = '7b1d'
down_revision = '3f2a'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
