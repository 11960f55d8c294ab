import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class VPNService(Base):
    __tablename__ = "vpnservices"
    id = sa.Column(sa.String(36), primary_key=True)
    flavor_id = sa.Column(sa.String(36))


class IPsecPolicy(Base):
    __tablename__ = "ipsecpolicies"
    id = sa.Column(sa.String(36), primary_key=True)
