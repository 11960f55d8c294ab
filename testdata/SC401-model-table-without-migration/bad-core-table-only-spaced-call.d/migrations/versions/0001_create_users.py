"""migration 0001

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
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("nickname", sa.String(50)),
    )


def downgrade():
    op.drop_table("users")
