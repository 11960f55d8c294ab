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
        "invoices",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("order_id", sa.Integer, nullable=False),
    )
    op.create_foreign_key("fk_invoices_order_id", "invoices", "orders", ["order_id"], ["id"])
    op.create_unique_constraint("uq_invoices_order_id", "invoices", ["order_id"])


def downgrade():
    op.drop_table("invoices")
