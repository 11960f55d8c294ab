from app.models import Base


def db(engine):
    Base.metadata.create_all(engine)
