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
    op.create_table("change", sa.Column("key", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("change")
