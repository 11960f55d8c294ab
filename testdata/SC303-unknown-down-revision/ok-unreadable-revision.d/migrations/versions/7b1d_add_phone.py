"""add phone

Revision ID: 7b1d
Revises: 9d9d
"""
from alembic import op
import sqlalchemy as sa

revision = '7b1d'
down_revision = '9d9d'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
