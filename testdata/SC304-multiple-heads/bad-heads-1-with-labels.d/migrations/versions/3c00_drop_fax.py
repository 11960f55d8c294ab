"""drop fax

Revision ID: 3c00
Revises: 2c00
"""
from alembic import op
import sqlalchemy as sa

revision = '3c00'
down_revision = '2c00'
branch_labels = None
depends_on = '3b00'


def upgrade():
    pass


def downgrade():
    pass
