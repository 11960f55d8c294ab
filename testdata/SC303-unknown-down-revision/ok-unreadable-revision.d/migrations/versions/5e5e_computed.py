"""computed id

Revision ID: 5e5e
Revises: 3f2a
"""
from myapp.db import ids
from alembic import op
import sqlalchemy as sa

revision = ids.NEXT
down_revision = '3f2a'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
