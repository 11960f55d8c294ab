"""expand initial

Revision ID: 1a2b3c
Revises: liberty
"""
from alembic import op
import sqlalchemy as sa

EXPAND_BRANCH = "expand"
CONTRACT_BRANCH = "contract"

revision = '1a2b3c'
down_revision = 'liberty'
branch_labels = (EXPAND_BRANCH,)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
