"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("orders") as batch_op:
        batch_op.drop_index("ix_orders_user_id")


def downgrade():
    with op.batch_alter_table("orders") as batch_op:
        batch_op.create_index("ix_orders_user_id", ["user_id"])
