"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_log_new",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("message", sa.Text),
    )
    op.execute("INSERT INTO audit_log_new (id, message) SELECT id, message FROM audit_log")
    op.drop_table("audit_log")
    op.rename_table("audit_log_new", "audit_log")


def downgrade():
    pass
