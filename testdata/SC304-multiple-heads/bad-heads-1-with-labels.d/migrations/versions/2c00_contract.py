"""contract branch

Revision ID: 2c00
Revises: 1c9e
"""
from alembic import op
import sqlalchemy as sa

revision = '2c00'
down_revision = '1c9e'
branch_labels = ('contract',)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
