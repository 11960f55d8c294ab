"""create users and orders

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("nickname", sa.String(50)),
        sa.Column("email", sa.String(100)),
        sa.Column("age", sa.String(10)),
    )
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, nullable=False),
        sa.Column("total", sa.Numeric(10, 2)),
    )


def downgrade():
    op.drop_table("orders")
    op.drop_table("users")
