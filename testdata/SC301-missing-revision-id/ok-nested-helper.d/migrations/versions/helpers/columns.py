"""Column helpers for migrations."""
import sqlalchemy as sa


def id_column():
    return sa.Column("id", sa.Integer, primary_key=True)
