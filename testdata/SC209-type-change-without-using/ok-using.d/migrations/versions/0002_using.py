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
    op.alter_column(
        "users", "age", existing_type=sa.String(10), type_=sa.Integer(),
        postgresql_using="age::integer",
    )


def downgrade():
    op.alter_column("users", "age", existing_type=sa.Integer(), type_=sa.String(10))
