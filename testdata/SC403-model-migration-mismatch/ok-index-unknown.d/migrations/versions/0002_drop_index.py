"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

from app.naming import INDEX_NAMES

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index(INDEX_NAMES["users"], table_name="users")


def downgrade():
    pass
