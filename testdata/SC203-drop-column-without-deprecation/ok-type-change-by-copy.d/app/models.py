import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Node(Base):
    __tablename__ = "nodes"
    uuid = sa.Column(sa.String(36), primary_key=True)
    started_at = sa.Column(sa.DateTime, nullable=True)
