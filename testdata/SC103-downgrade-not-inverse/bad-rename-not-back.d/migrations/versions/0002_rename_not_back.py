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
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("nickname", new_column_name="handle")
    op.add_column("users", sa.Column("phone", sa.String(20)))


def downgrade():
    op.drop_column("users", "phone")
