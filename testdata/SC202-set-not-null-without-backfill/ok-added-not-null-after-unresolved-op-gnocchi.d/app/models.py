import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(100), nullable=False, server_default="")
    nickname = sa.Column(sa.String(50))
    email = sa.Column(sa.String(100))
    age = sa.Column(sa.String(10))

class Order(Base):
    __tablename__ = "orders"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, nullable=False)
    total = sa.Column(sa.Numeric(10, 2))
