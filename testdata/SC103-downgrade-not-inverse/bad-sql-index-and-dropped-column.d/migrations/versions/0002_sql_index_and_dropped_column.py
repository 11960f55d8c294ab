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
    op.execute("CREATE INDEX ix_orders_total ON orders (total)")
    op.drop_column("users", "age")  # schemacheck: ignore[SC205] -- fixture


def downgrade():
    op.drop_index("ix_orders_totals", table_name="orders")
