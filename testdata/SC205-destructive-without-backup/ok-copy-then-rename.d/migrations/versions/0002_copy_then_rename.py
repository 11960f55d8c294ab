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
    op.add_column("users", sa.Column("age_new", sa.Integer))
    op.execute("UPDATE users SET age_new = CAST(age AS INTEGER)")
    op.drop_column("users", "age")
    op.alter_column("users", "age_new", new_column_name="age")


def downgrade():
    op.add_column("users", sa.Column("age_old", sa.String(10)))
    op.execute("UPDATE users SET age_old = CAST(age AS VARCHAR)")
    op.drop_column("users", "age")
    op.alter_column("users", "age_old", new_column_name="age")
