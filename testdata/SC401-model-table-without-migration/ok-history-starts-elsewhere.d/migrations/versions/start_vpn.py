"""start chain: the tables were created by another project's migrations

Revision ID: start_vpn
Revises:
"""
revision = "start_vpn"
down_revision = None


def upgrade():
    pass
