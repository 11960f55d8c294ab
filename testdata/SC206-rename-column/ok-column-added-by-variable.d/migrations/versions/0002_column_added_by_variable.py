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
    temp_age = sa.Column("temp_age", sa.Integer, nullable=True)
    op.add_column("users", temp_age)
    op.execute("UPDATE users SET temp_age = CAST(age AS INTEGER)")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("age")
        batch_op.alter_column("temp_age", existing_type=sa.Integer, new_column_name="age")


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.alter_column("age", existing_type=sa.Integer, type_=sa.String(10))
