"""Revision ids kept as constants (SC303 ok-unreadable-revision: revision =
ids.NEXT, which 7b1d's down_revision '9d9d' names)."""
NEXT = "9d9d"
