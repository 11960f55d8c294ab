"""migration 0002

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


flags = sa.table("user_flags", sa.column("user_id"), sa.column("flag"))
users = sa.table("users", sa.column("id"), sa.column("nickname"))


def get_values():
    session = sa.orm.Session(bind=op.get_bind())
    values = []
    for row in session.query(users).filter(users.c.nickname.isnot(None)).all():
        values.append({"user_id": row[0], "flag": "nick:" + row[1]})
    session.commit()
    return values

revision = "0002"
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.bulk_insert(flags, get_values())
    op.drop_column("users", "nickname")


def downgrade():
    op.add_column("users", sa.Column("nickname", sa.String(50)))
