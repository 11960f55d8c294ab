"""liberty initial

Revision ID: liberty
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = 'liberty'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
