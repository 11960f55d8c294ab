"""add avatar

Revision ID: 3b01
Revises: 2b00
"""
from alembic import op
import sqlalchemy as sa

revision = '3b01'
down_revision = '2b00'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
