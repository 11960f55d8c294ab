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
    op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))
    op.add_column("invoices", sa.Column("total", sa.Integer, nullable=False))


def downgrade():
    op.drop_table("invoices")
