import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Change(Base):
    __tablename__ = "change"
    key = sa.Column(sa.Integer, primary_key=True)
    starred = sa.Column(sa.Boolean, index=True, nullable=False)
    reviewed = sa.Column(sa.Boolean, nullable=False)
