"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import app.db.helpers as helpers

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    helpers.transform_table(
        "users", {}, {},
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("email", sa.String(255), nullable=False),
    )


def downgrade():
    pass
