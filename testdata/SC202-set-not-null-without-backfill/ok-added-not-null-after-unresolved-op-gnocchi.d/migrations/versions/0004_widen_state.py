"""migration 0004

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

state_type = sa.String(30)


def upgrade():
    op.alter_column("users", "state", type_=state_type, nullable=False,
                    server_default="active")


def downgrade():
    op.alter_column("users", "state", type_=sa.String(20), nullable=False,
                    server_default="active")
