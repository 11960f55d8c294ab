"""create nodes

Revision ID: 0001
Revises:
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None


def upgrade():
    op.create_table(
        "nodes",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("started_at", sa.Float, nullable=True),
    )


def downgrade():
    op.drop_table("nodes")
