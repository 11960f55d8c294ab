"""expand branch

Revision ID: 2b00
Revises: 1c9e
"""
from alembic import op
import sqlalchemy as sa

revision = '2b00'
down_revision = '1c9e'
branch_labels = ('expand',)
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
