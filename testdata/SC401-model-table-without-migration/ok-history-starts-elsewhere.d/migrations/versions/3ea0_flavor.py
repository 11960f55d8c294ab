"""add index on tenant_id (pattern of neutron-vpnaas 3ea02b2a773e)

Revision ID: 3ea0
Revises: start_vpn
"""
from alembic import op
import sqlalchemy as sa

revision = "3ea0"
down_revision = "start_vpn"


def upgrade():
    op.add_column("vpnservices", sa.Column("flavor_id", sa.String(36)))


def downgrade():
    op.drop_column("vpnservices", "flavor_id")
