import sqlalchemy as sa

metadata = sa.MetaData()

users = sa.Table ("users", metadata,
                  sa.Column("id", sa.Integer, primary_key=True),
                  sa.Column("name", sa.String(50), nullable=False),
                  sa.Column("nickname", sa.String(50)))

audit = sa.Table \
    ("audit_log", metadata,
     sa.Column("id", sa.Integer, primary_key=True))
