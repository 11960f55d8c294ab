from app.models import Base


def main(engine):
    Base.metadata.create_all(engine)
