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
    op.execute("CREATE TABLE audit_log_tmp AS SELECT * FROM audit_log")
    op.drop_table("audit_log_tmp")


def downgrade():
    pass
