# lib.sh: helpers for the integration tests (sourced). Each test script
# makes real git repositories under a temporary folder that is removed on
# exit, runs the real binary ($SCHEMACHECK) and the real `git commit`
# through the installed hook, and reports TAP-like "ok"/"not ok" lines.
set -u
: "${SCHEMACHECK:?set SCHEMACHECK to the binary under test}"
TMP=$(mktemp -d /tmp/sc-it-XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export GIT_CONFIG_NOSYSTEM=1
export HOME="$TMP/home"
mkdir -p "$HOME"
git config --global user.email it@example.com
git config --global user.name "Integration Test"
git config --global init.defaultBranch main
git config --global commit.gpgsign false
git config --global gc.auto 0
N=0

ok() { N=$((N + 1)); echo "ok $N - $1"; }
not_ok() { N=$((N + 1)); echo "not ok $N - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

# new_repo NAME: an empty repository; prints its path.
new_repo() {
	d="$TMP/$1"
	mkdir -p "$d"
	git -C "$d" init -q
	echo "$d"
}

# write REPO PATH <<EOF ... : write a file from stdin.
write() {
	mkdir -p "$(dirname "$1/$2")"
	cat > "$1/$2"
}

# expect_status WANT TITLE CMD...: run CMD, compare its exit status;
# the output is kept in $OUT.
expect_status() {
	want=$1
	title=$2
	shift 2
	OUT=$("$@" 2>&1)
	got=$?
	if [ "$got" -eq "$want" ]; then
		ok "$title"
	else
		not_ok "$title" "expected exit $want, got $got" "$(printf '%s' "$OUT" | head -n 30)"
	fi
}

# expect_contains TEXT TITLE: $OUT contains TEXT.
expect_contains() {
	case "$OUT" in
	*"$1"*) ok "$2" ;;
	*) not_ok "$2" "output lacks: $1" "$(printf '%s' "$OUT" | head -n 30)" ;;
	esac
}

expect_not_contains() {
	case "$OUT" in
	*"$1"*) not_ok "$2" "output has: $1" "$(printf '%s' "$OUT" | head -n 30)" ;;
	*) ok "$2" ;;
	esac
}

# ---- project helpers (shared by the t*.sh scripts) ----

# in_dir DIR CMD...: run CMD in DIR (for expect_status).
in_dir() {
	(cd "$1" && shift && "$@")
}

# git_real ARGS...: git, with SCHEMACHECK unset so that an installed hook
# runs the binary path written into it, as it does for a user.
git_real() {
	(unset SCHEMACHECK; git "$@")
}

# head_of REPO: the commit id of HEAD (empty if unborn).
head_of() {
	git -C "$1" rev-parse -q --verify HEAD 2>/dev/null
}

# expect_head_moved REPO OLD TITLE / expect_head_same REPO OLD TITLE
expect_head_moved() {
	if [ "$(head_of "$1")" != "$2" ]; then ok "$3"; else not_ok "$3" "HEAD did not move"; fi
}
expect_head_same() {
	if [ "$(head_of "$1")" = "$2" ]; then ok "$3"; else not_ok "$3" "HEAD moved to $(head_of "$1")"; fi
}

# models_users REPO yes|no [EXTRA]: app/models.py declaring User(id, name)
# plus nickname when yes; EXTRA (lines of Python) is appended after it.
models_users() {
	write "$1" app/models.py <<PYEOF
import sqlalchemy as sa
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50), nullable=False)
$( [ "$2" = yes ] && echo '    nickname = sa.Column(sa.String(50))' )
${3:-}
PYEOF
}

# migration REPO FILE REV DOWNREV < BODY: a migration file in
# migrations/versions/ with the header and BODY (upgrade/downgrade).
migration() {
	if [ "$4" = None ]; then dr=None; else dr="'$4'"; fi
	{
		cat <<PYEOF
"""migration $3

Revision ID: $3
Revises: $( [ "$4" = None ] || echo "$4" )
"""
from alembic import op
import sqlalchemy as sa

revision = '$3'
down_revision = $dr
branch_labels = None
depends_on = None

PYEOF
		cat
	} > "$1/migrations/versions/$2"
}

# base_project REPO: env.py, migration 0001 creating users(id, name,
# nickname), app/models.py declaring the same, README.txt; committed.
base_project() {
	mkdir -p "$1/migrations/versions"
	write "$1" migrations/env.py <<'PYEOF'
"""Alembic environment (never executed by schemacheck)."""
from alembic import context
PYEOF
	mkdir -p "$1/app"
	: > "$1/app/__init__.py"
	models_users "$1" yes
	migration "$1" 0001_create_users.py 0001 None <<'PYEOF'

def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("nickname", sa.String(50)),
    )


def downgrade():
    op.drop_table("users")
PYEOF
	echo "a project" > "$1/README.txt"
	git -C "$1" add -A
	git -C "$1" commit -q --no-verify -m base
}

# commit_all REPO MSG: commit everything without the hook (history setup).
commit_all() {
	git -C "$1" add -A
	git -C "$1" commit -q --no-verify -m "$2"
}

# Bad and corrected migrations for rules, on top of base_project.
mig_sc201_bad() {
	migration "$1" 0002_email.py 0002 0001 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
}
mig_sc201_fix() {
	migration "$1" 0002_email.py 0002 0001 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False, server_default=''))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
}
mig_sc101_bad() {
	migration "$1" 0002_invoices.py 0002 0001 <<'PYEOF'

def upgrade():
    op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))
PYEOF
}
mig_sc101_fix() {
	migration "$1" 0002_invoices.py 0002 0001 <<'PYEOF'

def upgrade():
    op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("invoices")
PYEOF
}
mig_sc102_bad() {
	migration "$1" 0002_invoices.py 0002 0001 <<'PYEOF'

def upgrade():
    op.create_table("invoices", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    pass
PYEOF
}
mig_sc102_fix() { mig_sc101_fix "$1"; }

# expect_diag CODE TITLE / expect_no_diag CODE TITLE: $OUT (text format)
# has / has no diagnostic CODE ("error[CODE]" or "warning[CODE]"; a bare
# "[CODE]" could be a suppression comment quoted from the source).
expect_diag() {
	case "$OUT" in
	*"error[$1]"* | *"warning[$1]"*) ok "$2" ;;
	*) not_ok "$2" "output lacks a $1 diagnostic" "$(printf '%s' "$OUT" | head -n 30)" ;;
	esac
}
expect_no_diag() {
	case "$OUT" in
	*"error[$1]"* | *"warning[$1]"*) not_ok "$2" "output has a $1 diagnostic" "$(printf '%s' "$OUT" | head -n 30)" ;;
	*) ok "$2" ;;
	esac
}
