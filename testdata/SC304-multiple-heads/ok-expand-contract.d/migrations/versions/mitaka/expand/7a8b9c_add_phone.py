"""add phone

Revision ID: 7a8b9c
Revises: 1a2b3c
"""
from alembic import op
import sqlalchemy as sa

revision = '7a8b9c'
down_revision = '1a2b3c'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
