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
    op.add_column("orders", sa.Column("total_cents", sa.Integer))
    op.execute("UPDATE orders SET total_cents = total * 100")
    op.execute("UPDATE orders SET total = total_cents / 100.0")
    op.drop_column("orders", "total_cents")
    op.add_column("orders", sa.Column("note", sa.Text))


def downgrade():
    op.drop_column("orders", "note")
