from app.models import Base


class TestCase:
    def setUp(self):
        Base.metadata.create_all(self.engine)
