import sqlalchemy as sa


def upgrade(migrate_engine):
    meta = sa.MetaData()
    shadow = sa.Table("shadow_users", meta, sa.Column("id", sa.Integer))
    shadow.create(migrate_engine)
    idx = sa.Index("ix_shadow_id", shadow.c.id)
    idx.create(migrate_engine)
    with migrate_engine.connect() as conn:
        conn.exec_driver_sql("ALTER TABLE migrate_version CONVERT TO CHARACTER SET utf8")
