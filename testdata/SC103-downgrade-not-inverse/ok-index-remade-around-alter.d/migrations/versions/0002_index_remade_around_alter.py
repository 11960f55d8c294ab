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
    op.drop_index("ix_orders_user_id", table_name="orders")
    op.alter_column("orders", "user_id", existing_type=sa.Integer(), server_default="0")
    op.create_index("ix_orders_user_id", "orders", ["user_id"])


def downgrade():
    op.alter_column("orders", "user_id", existing_type=sa.Integer(), server_default=None)
