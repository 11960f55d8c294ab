"""change started_at type by copy (pattern of ironic-inspector d00d6e3f38c4)

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"


def upgrade():
    temp_started_at = sa.Column("temp_started_at", sa.types.DateTime, nullable=True)
    op.add_column("nodes", temp_started_at)
    op.execute("UPDATE nodes SET temp_started_at = to_timestamp(started_at)")
    with op.batch_alter_table("nodes") as batch_op:
        batch_op.drop_column("started_at")
        batch_op.alter_column(
            "temp_started_at",
            existing_type=sa.types.DateTime,
            nullable=True,
            new_column_name="started_at",
        )


def downgrade():
    pass
