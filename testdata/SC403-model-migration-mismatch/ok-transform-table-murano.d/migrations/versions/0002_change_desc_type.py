"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import app.db.migration.helpers as helpers

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    helpers.transform_table(
        "package", {}, {},
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("description", sa.Text(), nullable=False),
    )


def downgrade():
    pass
