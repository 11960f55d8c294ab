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
    users = sa.table("users", sa.column("email", sa.String), sa.column("age", sa.String))
    op.execute(users.update().where(users.c.email.is_(None)).values(email=""))
    conn = op.get_bind()
    conn.execute(users.update().where(users.c.age.is_(None)).values(age="0"))
    op.alter_column("users", "email", existing_type=sa.String(100), nullable=False)
    op.alter_column("users", "age", existing_type=sa.String(10), nullable=False)


def downgrade():
    op.alter_column("users", "age", existing_type=sa.String(10), nullable=True)
    op.alter_column("users", "email", existing_type=sa.String(100), nullable=True)
