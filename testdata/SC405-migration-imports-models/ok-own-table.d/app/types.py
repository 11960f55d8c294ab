import sqlalchemy as sa


class Flags(sa.types.TypeDecorator):
    impl = sa.Integer
