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
    op.create_foreign_key(
        "fk_orders_user_id", "orders", "users", ["user_id"], ["id"],
        postgresql_not_valid=True,
    )


def downgrade():
    op.drop_constraint("fk_orders_user_id", "orders", type_="foreignkey")
