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
    with op.batch_alter_table("orders") as batch_op:
        batch_op.alter_column("total", type_=sa.Integer())


def downgrade():
    with op.batch_alter_table("orders") as batch_op:
        batch_op.alter_column("total", type_=sa.Numeric(10, 2))
