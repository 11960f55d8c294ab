"""migration 0003

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_user_id")


# schemacheck: ignore[SC102] -- the downgrade keeps the constraint validated on purpose
def downgrade():
    pass
