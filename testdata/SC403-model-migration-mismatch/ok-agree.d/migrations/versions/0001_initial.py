"""migration 0001

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("email", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=6), nullable=False),
        sa.Column("nick", sa.String(length=30), nullable=False, index=True),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("extra", sa.Text()),
        sa.Column("code", sa.String(length=10)),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email", name="users_email_key"),
    )
    op.execute("CREATE INDEX ix_users_name_lower ON users (name)")
    op.create_index(op.f("ix_users_code"), "users", ["code"], unique=True)
    op.create_table(
        "memberships",
        sa.Column("user_id", sa.Integer()),
        sa.Column("group_id", sa.Integer()),
        sa.PrimaryKeyConstraint("user_id", "group_id"),
    )


def downgrade():
    op.drop_table("memberships")
    op.drop_table("users")
