"""Helpers called from migrations (SC103 ok-helper-in-downgrade:
drop_columns(op, "users", ["phone"]) undoes upgrade()'s add_column)."""


def drop_columns(op, table, columns):
    for name in columns:
        op.drop_column(table, name)
