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
        "order_totals",
        sa.Column("order_id", sa.Integer, primary_key=True),
        sa.Column("total", sa.Numeric(10, 2)),
    )
    order_totals = sa.table("order_totals", sa.column("order_id"), sa.column("total"))
    connection = op.get_bind()
    res = connection.execute("SELECT id, total FROM orders")
    rows = [{"order_id": r[0], "total": r[1]} for r in res.fetchall()]
    op.bulk_insert(order_totals, rows)
    op.drop_column("orders", "total")


def downgrade():
    op.add_column("orders", sa.Column("total", sa.Numeric(10, 2)))
    op.drop_table("order_totals")
