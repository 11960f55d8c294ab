"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa
from oslo_db.sqlalchemy import types as db_types

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.alter_column("users", "nickname", existing_type=sa.String(length=50),
                    type_=db_types.String(512, mysql_ndb_type=sa.TEXT))


def downgrade():
    op.alter_column("users", "nickname", existing_type=sa.String(512), type_=sa.String(50))
