import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Package(Base):
    __tablename__ = "package"
    id = sa.Column(sa.String(36), primary_key=True)
    description = sa.Column(sa.Text(), nullable=False)
