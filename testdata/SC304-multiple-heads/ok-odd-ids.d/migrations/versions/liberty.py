"""liberty

Revision ID: liberty
Revises: 001
"""
from alembic import op
import sqlalchemy as sa

revision = 'liberty'
down_revision = '001'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
