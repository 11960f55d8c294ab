import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    created_at = sa.Column(sa.DateTime, nullable=False)
    active = sa.Column(sa.Boolean, nullable=False, default=True)
    visits = sa.Column(sa.Integer, nullable=False)
