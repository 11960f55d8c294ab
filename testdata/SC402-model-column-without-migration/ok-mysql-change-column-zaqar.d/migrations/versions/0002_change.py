"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("alter table Users change column name email varchar(255)")


def downgrade():
    op.execute("alter table Users change column email name varchar(50)")
