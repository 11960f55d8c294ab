import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(50))
    bio: Mapped[str | None]


audit = sa.Table(
    "audit",
    Base.metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("actor", sa.String(50)),
)
