"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

INVOICES = "invoices"

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(INVOICES, sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table(INVOICES)
