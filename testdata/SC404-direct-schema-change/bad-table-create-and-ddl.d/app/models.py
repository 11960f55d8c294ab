import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)


audit = sa.Table("audit", Base.metadata, sa.Column("id", sa.Integer, primary_key=True))


def setup(engine):
    audit.create(engine, checkfirst=True)
    User.__table__.create(bind=engine)
    sa.Index("ix_audit_id", audit.c.id).create(engine)
    Base.metadata.tables["audit"].drop(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("ALTER TABLE users ADD COLUMN email VARCHAR(255)"))
        conn.exec_driver_sql("CREATE INDEX ix_users_email ON users (email)")
        conn.execute("DROP TABLE legacy")
