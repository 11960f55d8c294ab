#!/bin/sh
# t98-cache.sh: the caches through the command line (src/cache.c,
# src/runcache.c, src/folder.c): a second --all run reports what the
# first did (from the report cache when nothing changed); any change of
# a file it depends on, of the folder's files, of the configuration or of
# the command line is seen; a damaged cache is ignored; and with no
# cache at all (SCHEMACHECK_NO_CACHE) the report is the same.
. "$(dirname "$0")/lib.sh"

FIX="$(cd "$(dirname "$0")/../.." && pwd)/testdata/SC201-not-null-without-default/bad-existing-table.d"
CACHE="$TMP/cache"
export SCHEMACHECK_CACHE_DIR="$CACHE"

# run DIR ARGS...: --all in DIR; $OUT the report, $RC the status, $FROM
# "cache" when the report came from the report cache.
run() {
	d=$1
	shift
	OUT=$(cd "$d" && SCHEMACHECK_TRACE=1 "$SCHEMACHECK" --all "$@" \
		2>"$TMP/err")
	RC=$?
	if grep -q "report from the report cache" "$TMP/err"; then
		FROM=cache
	else
		FROM=run
	fi
}

# same TITLE ARGS...: $OUT equals the report of a run of --all ARGS in
# the same folder without any cache.
same() {
	title=$1
	shift
	want=$(cd "$d" && SCHEMACHECK_NO_CACHE=1 "$SCHEMACHECK" --all "$@" \
		2>/dev/null)
	if [ "$OUT" = "$want" ]; then ok "$title"; else
		not_ok "$title" "with the cache:" "$OUT" "without:" "$want"
	fi
}

# A plain folder (not a repository), files older than the "changed in
# the last seconds" window of the caches.
P="$TMP/plain"
mkdir -p "$P"
cp -R "$FIX/." "$P/"
rm -f "$P/expected.diag"
sleep 3

run "$P" --format json
first=$OUT
if [ "$RC" -eq 1 ] && [ "$FROM" = run ]; then ok "first run: a run, status 1"; else
	not_ok "first run: a run, status 1" "rc=$RC from=$FROM"; fi
same "first run: the report without a cache" --format json
run "$P" --format json
if [ "$FROM" = cache ] && [ "$RC" -eq 1 ] && [ "$OUT" = "$first" ]; then
	ok "second run: the report cache, same report and status"
else
	not_ok "second run: the report cache, same report and status" \
		"rc=$RC from=$FROM"
fi
run "$P" --format text --color never
[ "$FROM" = run ] && ok "another format: a run" || not_ok "another format: a run"
same "another format: the report without a cache" --format text --color never

# a dependency changes (the migration is fixed): seen
sed -i 's/nullable=False/nullable=True/' "$P/migrations/versions/3f2a_add_email.py"
run "$P" --format json
[ "$FROM" = run ] && ok "changed migration: a run" || not_ok "changed migration: a run"
expect_not_contains '"SC201"' "changed migration: the finding is gone"
same "changed migration: the report without a cache" --format json
sleep 3
run "$P" --format json
run "$P" --format json
[ "$FROM" = cache ] && ok "settled again: the report cache" || \
	not_ok "settled again: the report cache" "from=$FROM"

# a new file in a folder: seen (the folder listing changes)
write "$P" app/more.py <<'EOF'
import sqlalchemy as sa
from app.models import Base


class Extra(Base):
    __tablename__ = "extras"
    id = sa.Column(sa.Integer, primary_key=True)
EOF
run "$P" --format json
[ "$FROM" = run ] && ok "new model file: a run" || not_ok "new model file: a run"
expect_contains '"SC401"' "new model file: its table without a migration"
same "new model file: the report without a cache" --format json

# a configuration file appears: seen
sleep 3
run "$P" --format json
printf '[tool.schemacheck]\nignore = ["SC401"]\n' > "$P/pyproject.toml"
run "$P" --format json
[ "$FROM" = run ] && ok "configuration added: a run" || not_ok "configuration added: a run"
expect_not_contains '"SC401"' "configuration added: SC401 ignored"
same "configuration added: the report without a cache" --format json

# a plain folder's report is looked up before the folder is walked: its
# folders are dependencies too. A migration in a new sub-folder: seen
sleep 3
run "$P" --format json
write "$P" migrations/versions/2024/4b5c_add_phone.py <<'EOF'
"""migration 4b5c

Revision ID: 4b5c
Revises: 3f2a
"""
from alembic import op
import sqlalchemy as sa

revision = "4b5c"
down_revision = "3f2a"


def upgrade():
    op.add_column("users", sa.Column("phone", sa.String(20), nullable=False))


def downgrade():
    op.drop_column("users", "phone")
EOF
run "$P" --format json
[ "$FROM" = run ] && ok "migration in a new sub-folder: a run" ||
	not_ok "migration in a new sub-folder: a run"
expect_contains '"SC201"' "migration in a new sub-folder: its finding"
same "migration in a new sub-folder: the report without a cache" --format json
# the file deleted: seen
sleep 3
run "$P" --format json
rm "$P/migrations/versions/2024/4b5c_add_phone.py"
run "$P" --format json
[ "$FROM" = run ] && ok "file deleted: a run" || not_ok "file deleted: a run"
expect_not_contains '"SC201"' "file deleted: its finding is gone"
# a folder renamed: seen
sleep 3
run "$P" --format json
mv "$P/app" "$P/application"
run "$P" --format json
[ "$FROM" = run ] && ok "folder renamed: a run" || not_ok "folder renamed: a run"
expect_contains 'application/models.py' "folder renamed: the new path"
same "folder renamed: the report without a cache" --format json
# alembic.ini edited in place (same folder entries): seen
printf '[alembic]\nscript_location = migrations\n' > "$P/alembic.ini"
sleep 3
run "$P" --format json
run "$P" --format json
[ "$FROM" = cache ] && ok "alembic.ini settled: the report cache" ||
	not_ok "alembic.ini settled: the report cache" "from=$FROM"
printf '[alembic]\nscript_location = elsewhere\n' > "$P/alembic.ini"
run "$P" --format json
[ "$FROM" = run ] && ok "alembic.ini edited: a run" || not_ok "alembic.ini edited: a run"
same "alembic.ini edited: the report without a cache" --format json
rm "$P/alembic.ini"

# damaged caches: ignored, the report is right
sleep 3
run "$P" --format json
for f in "$CACHE"/*; do
	printf 'garbage' | dd of="$f" bs=1 seek=70 conv=notrunc 2>/dev/null
done
run "$P" --format json
[ "$FROM" = run ] && ok "damaged caches: a run" || not_ok "damaged caches: a run"
same "damaged caches: the report without a cache" --format json
run "$P" --format json
[ "$FROM" = cache ] && ok "damaged caches: rebuilt" || not_ok "damaged caches: rebuilt" "from=$FROM"

# two runs at once, then a third: all the same report
rm -rf "$CACHE"
(run "$P" --format json; printf '%s' "$OUT" > "$TMP/a") &
(run "$P" --format json; printf '%s' "$OUT" > "$TMP/b") &
wait
run "$P" --format json
if [ "$(cat "$TMP/a")" = "$OUT" ] && [ "$(cat "$TMP/b")" = "$OUT" ]; then
	ok "overlapping runs: the same report"
else
	not_ok "overlapping runs: the same report"
fi
same "overlapping runs: the report without a cache" --format json

# a git work tree: the report cache is under .git/schemacheck
unset SCHEMACHECK_CACHE_DIR
R=$(new_repo git)
cp -R "$FIX/." "$R/"
rm -f "$R/expected.diag"
git -C "$R" add -A && git -C "$R" commit -q -m one
sleep 3
run "$R" --format json
run "$R" --format json
if [ "$FROM" = cache ] && [ -d "$R/.git/schemacheck" ]; then
	ok "git work tree: the report cache in .git/schemacheck"
else
	not_ok "git work tree: the report cache in .git/schemacheck" "from=$FROM"
fi
sed -i 's/nullable=False/nullable=True/' "$R/migrations/versions/3f2a_add_email.py"
run "$R" --format json
[ "$FROM" = run ] && ok "git work tree: an edit is seen" || not_ok "git work tree: an edit is seen"
same "git work tree: the report without a cache" --format json
# the report is kept with no dependency list (the ids are the contents):
# an edit that keeps the size and the modification time is still seen
git -C "$R" commit -q -a -m two
touch -d '2020-01-01 00:00:00' "$R/migrations/versions/3f2a_add_email.py"
sleep 3
run "$R" --format json
run "$R" --format json
[ "$FROM" = cache ] && ok "git work tree: from the cache again" ||
	not_ok "git work tree: from the cache again" "from=$FROM"
sed -i 's/nullable=True/nullable=Fals/' "$R/migrations/versions/3f2a_add_email.py"
touch -d '2020-01-01 00:00:00' "$R/migrations/versions/3f2a_add_email.py"
run "$R" --format json
[ "$FROM" = run ] && ok "git work tree: an edit of the same size and time is seen" ||
	not_ok "git work tree: an edit of the same size and time is seen"
same "git work tree: that report without a cache" --format json

echo "1..$N"
