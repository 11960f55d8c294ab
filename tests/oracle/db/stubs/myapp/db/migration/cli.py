"""neutron-style branch heads (SC303 ok-opaque-depends-on: depends_on =
(cli.EXPAND_HEAD,)): a revision of the fixture's history."""
EXPAND_HEAD = "3f2a"
