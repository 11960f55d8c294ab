"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    connection = op.get_bind()
    table = sa.Table("users", sa.MetaData(), autoload_with=connection)
    existing_type = table.c.active.type
    op.alter_column("users", "active", existing_type=existing_type,
                    type_=sa.Boolean(), nullable=True)


def downgrade():
    op.alter_column("users", "active", existing_type=sa.Boolean(), nullable=False)
