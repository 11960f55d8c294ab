"""migration 0002

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
    op.add_column("users", sa.Column("email", sa.String(255)))
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("phone", sa.String(20)))
    op.alter_column("users", "nick", new_column_name="display_name")
    op.execute("ALTER TABLE Users ADD COLUMN age INTEGER")


def downgrade():
    op.execute("ALTER TABLE users DROP COLUMN age")
    op.alter_column("users", "display_name", new_column_name="nick")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("phone")
    op.drop_column("users", "email")
