"""Stand-in for oslo_db.sqlalchemy.types: String takes MySQL NDB options
(mysql_ndb_length, mysql_ndb_type) that change the type only on MySQL
Cluster; everywhere else it is sqlalchemy.String(length)."""
import sqlalchemy as sa


class String(sa.String):
    def __init__(self, length, mysql_ndb_length=None, mysql_ndb_type=None,
                 **kw):
        super().__init__(length, **kw)
        self.mysql_ndb_length = mysql_ndb_length
        self.mysql_ndb_type = mysql_ndb_type
