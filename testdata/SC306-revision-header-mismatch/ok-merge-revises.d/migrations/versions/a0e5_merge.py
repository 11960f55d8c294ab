"""merge

Revision ID: a0e5
Revises: 7b1d, 9c4e
"""
from alembic import op
import sqlalchemy as sa

revision = 'a0e5'
down_revision = ('9c4e', '7b1d')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
