import sqlalchemy as sa


def upgrade(migrate_engine):
    meta = sa.MetaData()
    audit = sa.Table("audit", meta, sa.Column("id", sa.Integer))
    audit.create(migrate_engine)
    migrate_engine.execute("ALTER TABLE users ADD COLUMN x INTEGER")
