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
    op.create_table(
        "orders_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("total", sa.Numeric(12, 2)),
    )
    op.execute("INSERT INTO orders_new (id, user_id, total) SELECT id, user_id, total FROM orders")
    op.drop_table("orders")
    op.rename_table("orders_new", "orders")


def downgrade():
    op.alter_column("orders", "total", type_=sa.Numeric(10, 2))
