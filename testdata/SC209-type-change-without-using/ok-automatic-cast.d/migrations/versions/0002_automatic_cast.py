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
    op.alter_column("orders", "user_id", existing_type=sa.Integer(), type_=sa.String(20))
    op.alter_column("orders", "total", type_=sa.Float())


def downgrade():
    op.alter_column("orders", "total", type_=sa.Numeric(10, 2))
    op.alter_column("orders", "user_id", existing_type=sa.String(20), type_=sa.Integer(),
                    postgresql_using="user_id::integer")
