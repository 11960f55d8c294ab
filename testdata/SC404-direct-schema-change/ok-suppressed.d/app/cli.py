from app.models import Base


def bootstrap(engine):
    # schemacheck: ignore[SC404] -- one-off demo database, stamped afterwards
    Base.metadata.create_all(engine)
