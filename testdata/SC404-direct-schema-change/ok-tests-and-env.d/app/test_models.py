from app.models import Base


def test_x(engine):
    Base.metadata.drop_all(engine)
