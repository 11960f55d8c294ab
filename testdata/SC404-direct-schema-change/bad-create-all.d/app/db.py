import sqlalchemy as sa

from app import models

engine = sa.create_engine("sqlite://")
meta = sa.MetaData()


def init_db():
    models.Base.metadata.create_all(engine)


def reset_db():
    meta.drop_all(bind=engine)
    models.Base.metadata.create_all(bind=engine)
