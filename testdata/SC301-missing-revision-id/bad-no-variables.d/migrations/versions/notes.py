"""Notes about the migrations."""

OWNER = "db-team"
