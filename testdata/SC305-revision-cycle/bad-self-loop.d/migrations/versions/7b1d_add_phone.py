"""add phone

Revision ID: 7b1d
Revises: 7b1d
"""
from alembic import op
import sqlalchemy as sa

revision = '7b1d'
down_revision = '7b1d'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
