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
        batch_op.add_column(sa.Column("phone", sa.String(20)))
        batch_op.alter_column("nickname", existing_type=sa.String(50), server_default="anon")


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("phone")
