import enum

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from app.types import JSONEncodedDict


class Base(DeclarativeBase):
    pass


class Status(enum.Enum):
    active = "active"


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        sa.UniqueConstraint("email", name="uq_users_email"),
        sa.Index("ix_users_name_lower", "name"),
        {"mysql_engine": "InnoDB"},
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    email: Mapped[str | None] = mapped_column(sa.String(255))
    status = sa.Column(sa.Enum(Status, native_enum=False), nullable=False)
    nick: Mapped[str] = mapped_column(sa.String(30), index=True)
    bio: Mapped[str]
    extra = sa.Column(JSONEncodedDict)
    code = sa.Column(sa.String(10), unique=True, index=True)


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (sa.PrimaryKeyConstraint("user_id", "group_id"),)
    user_id = sa.Column(sa.Integer)
    group_id = sa.Column(sa.Integer)
