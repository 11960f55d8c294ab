#!/bin/sh
# run.sh [TESTDATA [--rule SC201 ...] [--fixture NAME]]: the database oracle
# (DESIGN.md section 9, issue 7).
#
# Starts a throwaway PostgreSQL cluster (initdb in a temporary folder, as
# the postgres user when run as root; listening on 127.0.0.1 on a free
# port and on a unix socket in that folder only; trust authentication, no
# fsync), then runs
# oracle.py: every fixture of the rules whose claim is about what the
# database does is played under real Alembic (Debian's python3-alembic,
# SQLAlchemy 1.4, psycopg2) on that cluster, and on SQLite where the rule
# does not depend on the dialect. The cluster and every temporary file are
# removed at the end, whatever happens.
#
# Prints one line per (rule, fixture) and "oracle db: N passed, N failed";
# exits 1 on any mismatch, 3 when the oracle cannot run at all.
# Environment: PGBIN (the PostgreSQL bin folder; default: the newest
# /usr/lib/postgresql/*/bin), KEEP=1 (keep the temporary folder).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
testdata=${1:-$here/../../../testdata}
[ $# -gt 0 ] && shift
testdata=$(cd "$testdata" && pwd) || exit 3
PY=/usr/bin/python3

if [ -z "${PGBIN:-}" ]; then
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
fi
for t in initdb pg_ctl; do
	[ -x "$PGBIN/$t" ] || {
		echo "oracle db: no $PGBIN/$t (Debian package postgresql; run scripts/setup.sh)" >&2
		exit 3
	}
done
"$PY" -c 'import alembic, sqlalchemy, psycopg2' 2>/dev/null || {
	echo "oracle db: $PY lacks alembic, sqlalchemy or psycopg2 (Debian packages python3-alembic, python3-sqlalchemy, python3-psycopg2; run scripts/setup.sh)" >&2
	exit 3
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sc-oracle-db.XXXXXX")
pgdir=$tmp/pg
started=
child=
cleanup() {
	if [ -n "$child" ]; then
		kill "$child" 2>/dev/null || true
		wait "$child" 2>/dev/null || true
	fi
	if [ -n "$started" ]; then
		as_pg "'$PGBIN/pg_ctl' -D '$pgdir/data' -m immediate -w stop" >/dev/null 2>&1 || true
	fi
	if [ "${KEEP:-}" = 1 ]; then
		echo "oracle db: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# initdb refuses to run as root: as root, run the server as postgres.
if [ "$(id -u)" = 0 ]; then
	id postgres >/dev/null 2>&1 || { echo "oracle db: no postgres user (Debian package postgresql)" >&2; exit 3; }
	as_pg() { su postgres -s /bin/sh -c "$1"; }
else
	as_pg() { sh -c "$1"; }
fi
mkdir "$pgdir"
if [ "$(id -u)" = 0 ]; then
	chmod 711 "$tmp"
	chown postgres "$pgdir"
fi

if ! as_pg "'$PGBIN/initdb' -D '$pgdir/data' -U postgres -A trust -E UTF8 --locale=C --no-sync" \
	>"$tmp/initdb.log" 2>&1; then
	cat "$tmp/initdb.log" >&2
	echo "oracle db: initdb failed" >&2
	exit 3
fi

# A free port on 127.0.0.1 (asked of the kernel; retried if the server
# loses the race for it).
tries=0
while :; do
	port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$pgdir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c statement_timeout=60s"
	if as_pg "'$PGBIN/pg_ctl' -D '$pgdir/data' -l '$pgdir/server.log' -w -t 60 -o '$opts' start" >/dev/null 2>&1; then
		started=1
		break
	fi
	tries=$((tries + 1))
	if [ $tries -ge 3 ]; then
		cat "$pgdir/server.log" >&2 2>/dev/null || true
		echo "oracle db: the PostgreSQL server did not start" >&2
		exit 3
	fi
done

# In the background, so that a signal reaches the traps at once.
"$PY" "$here/oracle.py" --testdata "$testdata" --work "$tmp/work" \
	--pg "postgresql+psycopg2://postgres@127.0.0.1:$port/" "$@" &
child=$!
rc=0
wait $child || rc=$?
child=
exit $rc
