"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

import shop.db.models.order

revision = "0002"
down_revision = "0001"


def upgrade():
    from shop.db.models import user
    op.execute(sa.update(user.User.__table__).values(active=True))
    op.execute(sa.delete(shop.db.models.order.Order.__table__))


def downgrade():
    pass
