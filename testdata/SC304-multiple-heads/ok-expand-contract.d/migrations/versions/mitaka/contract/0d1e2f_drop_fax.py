"""drop fax

Revision ID: 0d1e2f
Revises: 4d5e6f
"""
from alembic import op
import sqlalchemy as sa

revision = '0d1e2f'
down_revision = '4d5e6f'
branch_labels = None
depends_on = ('7a8b9c',)


def upgrade():
    pass


def downgrade():
    pass
