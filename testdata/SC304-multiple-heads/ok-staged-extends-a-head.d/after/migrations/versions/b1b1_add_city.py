"""add city

Revision ID: b1b1
Revises: 9c4e
"""
from alembic import op
import sqlalchemy as sa

revision = 'b1b1'
down_revision = '9c4e'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
