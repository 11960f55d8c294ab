"""contract initial

Revision ID: 4d5e6f
Revises: liberty
"""
from alembic import op
import sqlalchemy as sa

EXPAND_BRANCH = "expand"
CONTRACT_BRANCH = "contract"

revision = '4d5e6f'
down_revision = 'liberty'
branch_labels = (CONTRACT_BRANCH,)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
