from app.models import Base


def setup(engine):
    Base.metadata.create_all(engine)
