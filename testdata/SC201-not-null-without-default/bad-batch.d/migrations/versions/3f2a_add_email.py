"""migration 3f2a

Revision ID: 3f2a
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "3f2a"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("email", sa.String(100), nullable=False))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("email")
