"""visits, and a default for active

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("users", sa.Column("visits", sa.Integer(), nullable=False,
                                     server_default="0"))
    op.alter_column("users", "active", existing_type=sa.Boolean(),
                    server_default=sa.true())


def downgrade():
    op.alter_column("users", "active", existing_type=sa.Boolean(),
                    server_default=None)
    op.drop_column("users", "visits")
