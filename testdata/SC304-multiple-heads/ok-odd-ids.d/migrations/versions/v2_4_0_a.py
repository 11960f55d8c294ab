"""2.4.0 a

Revision ID: v2.4.0.a
Revises: liberty
"""
from alembic import op
import sqlalchemy as sa

revision = 'v2.4.0.a'
down_revision = 'liberty'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
