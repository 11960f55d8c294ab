"""add phone

Revision ID: 3b00
Revises: 2b00
"""
from alembic import op
import sqlalchemy as sa

revision = '3b00'
down_revision = '2b00'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
