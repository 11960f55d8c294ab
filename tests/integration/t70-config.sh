#!/bin/sh
# t70-config.sh: configuration (DESIGN.md section 4). Each key changes
# behaviour as documented, in both forms ([tool.schemacheck] in
# pyproject.toml and a top-level .schemacheck.toml); unknown keys, wrong
# types and invalid TOML exit 2 naming the file and line; --config FILE,
# --no-config, and the command line over the file. Last, a project with
# alembic.ini pointing at a non-default folder and models in a package,
# checked with no configuration at all through a real `git commit`.
#
# Keys whose rules are not built yet (dialect: SC209/SC211, heads: SC304,
# code: SC404, downgrade = "forbidden": SC104) are checked for what
# exists now (accepted, validated); their behaviour checks run as soon as
# `schemacheck rules` lists the rule, and print "# pending: ..." until then.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK
FORMS="pyproject dotfile"
top=$(cd "$(dirname "$0")/../.." && pwd)

# pending TITLE: a documented behaviour not built yet (not a failure).
pending() { echo "# pending: $1"; }

# has_rule CODE: `schemacheck rules` lists CODE.
has_rule() { "$SC" rules 2>/dev/null | grep -q "^$1 "; }

# conf FORM REPO < KEYS: the configuration KEYS (TOML, top-level keys and
# inline tables) as FORM: pyproject ([tool.schemacheck] in pyproject.toml)
# or dotfile (.schemacheck.toml); any other configuration is removed.
conf() {
	rm -f "$2/pyproject.toml" "$2/.schemacheck.toml"
	case $1 in
	pyproject) { echo "[tool.schemacheck]"; cat; } > "$2/pyproject.toml" ;;
	dotfile) cat > "$2/.schemacheck.toml" ;;
	*) cat > /dev/null ;;
	esac
}
# file_of FORM: the file name conf writes for FORM.
file_of() { if [ "$1" = pyproject ]; then echo pyproject.toml; else echo .schemacheck.toml; fi; }
# line_of FORM N: the line of the Nth key line in that form.
line_of() { if [ "$1" = pyproject ]; then echo $(($2 + 1)); else echo "$2"; fi; }

# run REPO WANT HAS NOT TITLE [ARGS...]: schemacheck -C REPO ARGS exits
# WANT and reports every code of HAS and none of NOT.
run() {
	r_repo=$1 r_want=$2 r_has=$3 r_not=$4 r_title=$5
	shift 5
	expect_status "$r_want" "$r_title: exit $r_want" "$SC" -C "$r_repo" "$@"
	for c in $r_has; do expect_diag "$c" "$r_title: reports $c"; done
	for c in $r_not; do expect_no_diag "$c" "$r_title: does not report $c"; done
}

# config_error REPO TITLE TEXT [ARGS...]: exit 2, TEXT on stderr, nothing
# on stdout.
config_error() {
	c_repo=$1 c_title=$2 c_text=$3
	shift 3
	(cd "$c_repo" && "$SC" "$@") > "$TMP/stdout" 2> "$TMP/stderr"
	c_rc=$?
	if [ "$c_rc" -eq 2 ]; then ok "$c_title: exit 2"; else not_ok "$c_title: exit 2" "got $c_rc" "$(cat "$TMP/stderr" "$TMP/stdout" | head -n 20)"; fi
	if grep -qF -- "$c_text" "$TMP/stderr"; then ok "$c_title: stderr says '$c_text'"; else not_ok "$c_title: stderr says '$c_text'" "stderr: $(cat "$TMP/stderr")"; fi
	if [ -s "$TMP/stdout" ]; then not_ok "$c_title: nothing on stdout" "stdout: $(head -n 5 "$TMP/stdout")"; else ok "$c_title: nothing on stdout"; fi
}

# mig_email REPO FILE REV DOWN: add_column users.email NOT NULL without a
# server default (SC201), with a downgrade.
mig_email() {
	migration "$1" "$2" "$3" "$4" <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))


def downgrade():
    op.drop_column('users', 'email')
PYEOF
}

# std_repo NAME: the base project, then staged: 0002_invoices.py without
# downgrade (SC101) and 0003_email.py adding a NOT NULL column (SC201).
std_repo() {
	s_r=$(new_repo "$1")
	base_project "$s_r"
	mig_sc101_bad "$s_r"
	mig_email "$s_r" 0003_email.py 0003 0002
	git -C "$s_r" add -A
	echo "$s_r"
}

r=$(std_repo std)
run "$r" 1 "SC101 SC201" "" "no configuration"

# select / ignore ---------------------------------------------------------
for f in $FORMS; do
	conf $f "$r" <<'EOF'
select = ["SC1"]
EOF
	run "$r" 1 SC101 SC201 "$f: select = [\"SC1\"] (prefix)"
	conf $f "$r" <<'EOF'
select = ["not-null-without-default"]
EOF
	run "$r" 1 SC201 SC101 "$f: select = [name]"
	conf $f "$r" <<'EOF'
ignore = ["SC101"]
EOF
	run "$r" 1 SC201 SC101 "$f: ignore = [\"SC101\"]"
	conf $f "$r" <<'EOF'
ignore = ["SC101", "SC2"]
EOF
	run "$r" 0 "" "SC101 SC201" "$f: ignore = [\"SC101\", \"SC2\"]"
	expect_contains "All checks passed." "$f: ignore of everything found: All checks passed."
	conf $f "$r" <<'EOF'
select = ["SC1", "SC2"]
ignore = ["missing-downgrade"]
EOF
	run "$r" 1 SC201 SC101 "$f: select and ignore (a name) together"
	# the command line: --select replaces the file's select, --ignore adds
	conf $f "$r" <<'EOF'
select = ["SC101"]
EOF
	run "$r" 1 SC201 SC101 "$f: --select SC201 overrides the file's select = [\"SC101\"]" --select SC201
	conf $f "$r" <<'EOF'
ignore = ["SC101"]
EOF
	run "$r" 0 "" "SC101 SC201" "$f: --ignore SC201 adds to the file's ignore = [\"SC101\"]" --ignore SC201
done

# severity ----------------------------------------------------------------
for f in $FORMS; do
	conf $f "$r" <<'EOF'
severity = {SC201 = "warning"}
EOF
	run "$r" 1 SC101 "" "$f: severity SC201 = warning, with SC101 still an error"
	expect_contains "warning[SC201]" "$f: severity: SC201 is reported as a warning"
	run "$r" 0 SC201 "" "$f: severity {SC201 = \"warning\"} turns exit 1 into 0" --select SC201
	expect_contains "warning[SC201]" "$f: severity: the warning is printed"
	expect_not_contains "error[SC201]" "$f: severity: no error[SC201]"
	expect_contains "Found 0 errors and 1 warnings in 1 files." "$f: severity: the summary counts a warning"
	run "$r" 1 SC201 "" "$f: severity warning still fails under --strict" --select SC201 --strict
	conf $f "$r" <<'EOF'
severity = {SC2 = "warning", SC1 = "warning"}
EOF
	run "$r" 0 "SC101 SC201" "" "$f: severity with prefix selectors SC1/SC2 = warning"
	expect_contains "warning[SC101]" "$f: prefix severity: warning[SC101]"
	expect_contains "warning[SC201]" "$f: prefix severity: warning[SC201]"
	conf $f "$r" <<'EOF'
severity = {SC201 = "error", SC2 = "warning", missing-downgrade = "warning"}
EOF
	run "$r" 1 "SC101 SC201" "" "$f: the most specific severity selector wins"
	expect_contains "error[SC201]" "$f: SC201 = error beats SC2 = warning"
	expect_contains "warning[SC101]" "$f: severity by rule name (missing-downgrade = warning)"
	conf $f "$r" <<'EOF'
severity = {SC201 = "fatal"}
EOF
	config_error "$r" "$f: severity value 'fatal'" "$(file_of $f):$(line_of $f 1): 'SC201' must be one of \"warning\", \"error\""
	conf $f "$r" <<'EOF'
severity = {SC999 = "warning"}
EOF
	config_error "$r" "$f: severity of an unknown rule" "$(file_of $f):$(line_of $f 1): unknown rule 'SC999'"
done
# a warning made an error: an unused suppression fails
s=$(new_repo sev-up)
base_project "$s"
migration "$s" 0002_email.py 0002 0001 <<'PYEOF'

def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=True))  # schemacheck: ignore[SC201] -- not needed


def downgrade():
    op.drop_column('users', 'email')
PYEOF
git -C "$s" add -A
run "$s" 0 SC002 "" "an unused suppression is a warning by default"
conf dotfile "$s" <<'EOF'
severity = {unused-suppression = "error"}
EOF
run "$s" 1 SC002 "" "severity {unused-suppression = \"error\"} makes it fail"
expect_contains "error[SC002]" "severity: error[SC002]"
# a sub-table in pyproject.toml
rm -f "$r/.schemacheck.toml"
cat > "$r/pyproject.toml" <<'EOF'
[project]
name = "app"

[tool.schemacheck.severity]
SC101 = "warning"
SC201 = "warning"
EOF
run "$r" 0 "SC101 SC201" "" "pyproject: [tool.schemacheck.severity] as a sub-table"

# per-file-ignores --------------------------------------------------------
for f in $FORMS; do
	conf $f "$r" <<'EOF'
per-file-ignores = {"migrations/versions/0003_*.py" = ["SC201"]}
EOF
	run "$r" 1 SC101 SC201 "$f: per-file-ignores silences SC201 in the matching file"
	conf $f "$r" <<'EOF'
per-file-ignores = {"app/**" = ["SC201"], "migrations/versions/0002_*.py" = ["SC201"]}
EOF
	run "$r" 1 "SC101 SC201" "" "$f: per-file-ignores of other files changes nothing"
	conf $f "$r" <<'EOF'
per-file-ignores = {"migrations/**" = ["SC1", "not-null-without-default"]}
EOF
	run "$r" 0 "" "SC101 SC201" "$f: per-file-ignores with ** and prefix/name selectors"
	conf $f "$r" <<'EOF'
per-file-ignores = {"migrations/**" = "SC201"}
EOF
	run "$r" 1 SC101 SC201 "$f: per-file-ignores with a single selector string"
	conf $f "$r" <<'EOF'
per-file-ignores = {"migrations/**" = ["SC201", 7]}
EOF
	config_error "$r" "$f: per-file-ignores with a number" "$(file_of $f):$(line_of $f 1): "
done
rm -f "$r/.schemacheck.toml"
cat > "$r/pyproject.toml" <<'EOF'
[tool.schemacheck.per-file-ignores]
"migrations/versions/0002_invoices.py" = ["SC101"]
EOF
run "$r" 1 SC201 SC101 "pyproject: [tool.schemacheck.per-file-ignores] as a sub-table"

# exclude -----------------------------------------------------------------
for f in $FORMS; do
	conf $f "$r" <<'EOF'
exclude = ["migrations/versions/0003_email.py"]
EOF
	run "$r" 1 SC101 SC201 "$f: exclude of a migration file"
	conf $f "$r" <<'EOF'
exclude = ["**/0002_*.py", "**/0003_*.py"]
EOF
	run "$r" 0 "" "SC101 SC201" "$f: exclude with ** globs"
done
rm -f "$r/pyproject.toml" "$r/.schemacheck.toml"

# models ------------------------------------------------------------------
m=$(new_repo models)
base_project "$m"
write "$m" app/billing.py <<'PYEOF'
import sqlalchemy as sa
from app.models import Base


class Invoice(Base):
    __tablename__ = "invoices"
    id = sa.Column(sa.Integer, primary_key=True)
PYEOF
write "$m" scripts/scratch.py <<'PYEOF'
import sqlalchemy as sa

metadata = sa.MetaData()
scratch = sa.Table("scratch", metadata, sa.Column("id", sa.Integer, primary_key=True))
PYEOF
git -C "$m" add -A
expect_status 1 "models discovered: two tables without migration" "$SC" -C "$m"
expect_contains "app/billing.py" "models discovered: app/billing.py is a model file"
expect_contains "scripts/scratch.py" "models discovered: scripts/scratch.py is a model file"
for f in $FORMS; do
	conf $f "$m" <<'EOF'
models = ["app/**"]
EOF
	expect_status 1 "$f: models = [\"app/**\"]: exit 1" "$SC" -C "$m"
	expect_contains "app/billing.py" "$f: models = [\"app/**\"]: app/billing.py is a model file"
	expect_not_contains "scripts/scratch.py" "$f: models = [\"app/**\"]: scripts/scratch.py is not"
	conf $f "$m" <<'EOF'
models = ["app/models.py", "scripts/*.py"]
EOF
	expect_status 1 "$f: models = [app/models.py, scripts/*.py]: exit 1" "$SC" -C "$m"
	expect_contains "scripts/scratch.py" "$f: models = [..., scripts/*.py]: scripts/scratch.py is a model file"
	expect_not_contains "app/billing.py" "$f: models = [app/models.py, ...]: app/billing.py is not"
	conf $f "$m" <<'EOF'
models = ["app/models.py"]
EOF
	run "$m" 0 "" SC401 "$f: models = [\"app/models.py\"]: only the users model, which has its migration"
	conf $f "$m" <<'EOF'
exclude = ["scripts/"]
EOF
	expect_status 1 "$f: exclude = [\"scripts/\"] (a folder): exit 1" "$SC" -C "$m"
	expect_not_contains "scripts/scratch.py" "$f: exclude of a folder: scripts/scratch.py is never read"
	expect_contains "app/billing.py" "$f: exclude of a folder: app/billing.py still is"
done
rm -f "$m/pyproject.toml" "$m/.schemacheck.toml"

# migrations --------------------------------------------------------------
# A versions folder with no env.py and no alembic.ini: not discovered.
g=$(new_repo migrations)
mkdir -p "$g/schema/revs" "$g/app"
models_users "$g" yes
: > "$g/app/__init__.py"
mkdir -p "$g/migrations/versions"
migration "$g" 0001_create_users.py 0001 None <<'PYEOF'

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
mv "$g/migrations/versions/0001_create_users.py" "$g/schema/revs/"
commit_all "$g" base
mig_email "$g" 0002_email.py 0002 0001
mv "$g/migrations/versions/0002_email.py" "$g/schema/revs/"
rm -rf "$g/migrations"
git -C "$g" add -A
run "$g" 0 "" SC201 "migrations: schema/revs (no env.py) is not discovered"
for f in $FORMS; do
	conf $f "$g" <<'EOF'
migrations = ["schema/revs"]
EOF
	run "$g" 1 SC201 SC401 "$f: migrations = [\"schema/revs\"]"
	expect_contains "schema/revs/0002_email.py" "$f: migrations: the path is the configured folder's"
	conf $f "$g" <<'EOF'
migrations = ["schema/revs"]
exclude = ["schema/revs/0002_email.py"]
EOF
	run "$g" 0 "" SC201 "$f: migrations with exclude of one revision"
	conf $f "$g" <<'EOF'
migrations = "schema/revs"
select = "SC2"
EOF
	run "$g" 1 SC201 "" "$f: a single string is a list of one"
done
rm -f "$g/pyproject.toml" "$g/.schemacheck.toml"

# since / --since ---------------------------------------------------------
h=$(std_repo since)
commit_all "$h" "history with debt"
run "$h" 1 "SC101 SC201" "" "since: --all without since reports both"  --all
for f in $FORMS; do
	conf $f "$h" <<'EOF'
since = "0002"
EOF
	run "$h" 1 SC201 SC101 "$f: since = \"0002\": 0002 is accepted history" --all
	conf $f "$h" <<'EOF'
since = "0003"
EOF
	run "$h" 0 "" "SC101 SC201" "$f: since = \"0003\": everything is accepted history" --all
	run "$h" 1 SC201 SC101 "$f: --since 0002 overrides the file's since = \"0003\"" --all --since 0002
	conf $f "$h" <<'EOF'
since = "nosuch"
EOF
	config_error "$h" "$f: since names no revision" "nosuch" --all
	grep -qF "$(file_of $f)" "$TMP/stderr" && ok "$f: the unknown since revision's message names $(file_of $f)" ||
		not_ok "$f: the unknown since revision's message names $(file_of $f)" "stderr: $(cat "$TMP/stderr")"
done
rm -f "$h/pyproject.toml" "$h/.schemacheck.toml"
run "$h" 1 SC201 SC101 "--since 0002 without a file" --all --since 0002
run "$h" 0 "" "SC101 SC201" "--since=0003" --all --since=0003
config_error "$h" "--since nosuch" "nosuch" --all --since nosuch

# downgrade ---------------------------------------------------------------
d=$(new_repo downgrade)
base_project "$d"
mig_sc101_bad "$d"
migration "$d" 0003_audit.py 0003 0002 <<'PYEOF'

def upgrade():
    op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    pass
PYEOF
git -C "$d" add -A
run "$d" 1 "SC101 SC102" "" "downgrade (default required)"
for f in $FORMS; do
	conf $f "$d" <<'EOF'
downgrade = "required"
EOF
	run "$d" 1 "SC101 SC102" "" "$f: downgrade = \"required\""
	conf $f "$d" <<'EOF'
downgrade = "optional"
EOF
	run "$d" 0 "" "SC101 SC102" "$f: downgrade = \"optional\" silences SC101/SC102"
	conf $f "$d" <<'EOF'
downgrade = "forbidden"
EOF
	run "$d" 0 "" "SC101 SC102" "$f: downgrade = \"forbidden\" silences SC101/SC102"
	conf $f "$d" <<'EOF'
downgrade = "never"
EOF
	config_error "$d" "$f: downgrade = \"never\"" "$(file_of $f):$(line_of $f 1): 'downgrade' must be one of \"required\", \"optional\", \"forbidden\""
done
if has_rule SC104; then
	# a downgrade that does work, under "forbidden"
	x=$(new_repo forbidden)
	base_project "$x"
	mig_sc101_fix "$x"
	git -C "$x" add -A
	run "$x" 0 "" SC104 "downgrade required: a real downgrade is fine"
	conf dotfile "$x" <<'EOF'
downgrade = "forbidden"
EOF
	run "$x" 1 SC104 "" "downgrade = \"forbidden\": a downgrade that does work is SC104"
else
	pending "downgrade = \"forbidden\" reporting a working downgrade (SC104 is not built)"
fi
rm -f "$d/pyproject.toml" "$d/.schemacheck.toml"

# dialect -----------------------------------------------------------------
for f in $FORMS; do
	for v in generic postgresql mysql sqlite; do
		conf $f "$r" <<EOF
dialect = "$v"
EOF
		run "$r" 1 "SC101 SC201" "" "$f: dialect = \"$v\" is accepted"
	done
	conf $f "$r" <<'EOF'
select = ["SC2"]
dialect = "oracle"
EOF
	config_error "$r" "$f: dialect = \"oracle\"" "$(file_of $f):$(line_of $f 2): 'dialect' must be one of \"generic\", \"postgresql\", \"mysql\", \"sqlite\", not \"oracle\""
done
rm -f "$r/pyproject.toml" "$r/.schemacheck.toml"
p=$(new_repo dialect)
base_project "$p"
migration "$p" 0002_pg.py 0002 0001 <<'PYEOF'

def upgrade():
    op.create_index("ix_users_name", "users", ["name"])
    op.alter_column("users", "nickname", type_=sa.Integer)


def downgrade():
    op.alter_column("users", "nickname", type_=sa.String(50))
    op.drop_index("ix_users_name", table_name="users")
PYEOF
git -C "$p" add -A
for c in SC209 SC211; do
	if has_rule $c; then
		conf none "$p" < /dev/null
		expect_status 0 "dialect generic: $c is off (exit 0 with --select $c)" "$SC" -C "$p" --select $c
		expect_no_diag $c "dialect generic: no $c"
		for f in $FORMS; do
			conf $f "$p" <<'EOF'
dialect = "postgresql"
EOF
			OUT=$("$SC" -C "$p" --select $c 2>&1)
			expect_diag $c "$f: dialect = \"postgresql\" enables $c"
		done
	else
		pending "dialect = \"postgresql\" enabling $c ($c is not built)"
	fi
done

# release-tags ------------------------------------------------------------
# 0001 made users.nickname; release v1 is tagged while the model still
# declares it; a later commit removes it from the model; the drop is staged.
t=$(new_repo release)
base_project "$t"
git -C "$t" tag v1
models_users "$t" no
commit_all "$t" "nickname leaves the model"
migration "$t" 0002_drop_nickname.py 0002 0001 <<'PYEOF'

def upgrade():
    op.drop_column("users", "nickname")


def downgrade():
    op.add_column("users", sa.Column("nickname", sa.String(50)))
PYEOF
git -C "$t" add -A
for f in $FORMS; do
	conf $f "$t" <<'EOF'
release-tags = "release-*"
EOF
	run "$t" 0 "" SC203 "$f: release-tags = \"release-*\" (no such tag): the model change one commit ago is enough"
	conf $f "$t" <<'EOF'
release-tags = 1
EOF
	config_error "$t" "$f: release-tags = 1" "$(file_of $f):$(line_of $f 1): 'release-tags' must be a string"
done
conf none "$t" < /dev/null
run "$t" 1 SC203 "" "release-tags default v*: release v1 still declares users.nickname"
expect_contains "users.nickname" "release-tags: the SC203 message names the column"
conf dotfile "$t" <<'EOF'
release-tags = "rel/*"
EOF
run "$t" 0 "" SC203 "release-tags = \"rel/*\": v1 is not a release"
git -C "$t" tag rel/1 v1
run "$t" 1 SC203 "" "release-tags = \"rel/*\": rel/1 is the release"
git -C "$t" tag -d rel/1 > /dev/null
git -C "$t" tag rel/2 HEAD
run "$t" 0 "" SC203 "release-tags = \"rel/*\": rel/2 (without nickname) is the newest release"
conf none "$t" < /dev/null

# heads -------------------------------------------------------------------
for f in $FORMS; do
	conf $f "$r" <<'EOF'
heads = 2
EOF
	run "$r" 1 "SC101 SC201" "" "$f: heads = 2 is accepted"
	conf $f "$r" <<'EOF'
heads = 0
EOF
	config_error "$r" "$f: heads = 0" "$(file_of $f):$(line_of $f 1): 'heads' must be a whole number of at least 1"
	conf $f "$r" <<'EOF'
heads = "2"
EOF
	config_error "$r" "$f: heads = \"2\"" "$(file_of $f):$(line_of $f 1): 'heads' must be an integer, not a string"
done
if has_rule SC304; then
	v=$(new_repo heads)
	base_project "$v"
	mig_sc101_fix "$v"
	mig_email "$v" 0003_email.py 0003 0001
	git -C "$v" add -A
	run "$v" 1 SC304 "" "heads default: two heads are SC304" --select SC304
	for f in $FORMS; do
		conf $f "$v" <<'EOF'
heads = 2
EOF
		run "$v" 0 "" SC304 "$f: heads = 2 allows two heads" --select SC304
	done
else
	pending "heads = 2 allowing two heads (SC304 is not built)"
fi
rm -f "$r/pyproject.toml" "$r/.schemacheck.toml"

# code --------------------------------------------------------------------
for f in $FORMS; do
	conf $f "$r" <<'EOF'
code = ["app/**", "scripts/*.py"]
EOF
	run "$r" 1 "SC101 SC201" "" "$f: code = [globs] is accepted"
	conf $f "$r" <<'EOF'
code = [1]
EOF
	config_error "$r" "$f: code = [1]" "$(file_of $f):$(line_of $f 1): 'code' must be an array of strings"
done
if has_rule SC404; then
	k=$(new_repo code)
	base_project "$k"
	write "$k" app/bootstrap.py <<'PYEOF'
from app.models import Base


def init(engine):
    Base.metadata.create_all(engine)
PYEOF
	write "$k" tests/test_db.py <<'PYEOF'
from app.models import Base


def test_schema(engine):
    Base.metadata.create_all(engine)
PYEOF
	git -C "$k" add -A
	run "$k" 1 SC404 "" "code default: app/bootstrap.py create_all is SC404" --select SC404
	expect_not_contains "tests/test_db.py" "code default: tests are not checked"
	for f in $FORMS; do
		conf $f "$k" <<'EOF'
code = ["lib/**"]
EOF
		run "$k" 0 "" SC404 "$f: code = [\"lib/**\"]: app/ is not checked" --select SC404
	done
else
	pending "code globs limiting SC404 (SC404 is not built)"
fi
rm -f "$r/pyproject.toml" "$r/.schemacheck.toml"

# Errors in the file ------------------------------------------------------
printf '[tool.schemacheck]\nselect = ["SC1"]\nselct = ["SC2"]\n' > "$r/pyproject.toml"
config_error "$r" "a misspelled key in pyproject.toml" "pyproject.toml:3: unknown key 'selct' in [tool.schemacheck]"
expect_status 2 "a misspelled key: also in --all" "$SC" -C "$r" --all
rm -f "$r/pyproject.toml"
printf '# schemacheck\nignroe = ["SC1"]\n' > "$r/.schemacheck.toml"
config_error "$r" "a misspelled key in .schemacheck.toml" ".schemacheck.toml:2: unknown key 'ignroe'"
rm -f "$r/.schemacheck.toml"
printf '[project]\nname = "x"\n\n[tool.schemacheck]\nselect = "SC1"\nheads = "two"\n' > "$r/pyproject.toml"
config_error "$r" "a wrong type in pyproject.toml" "pyproject.toml:6: 'heads' must be an integer, not a string"
printf '[tool.schemacheck]\nselect = [\n  "SC101",\n  3,\n]\n' > "$r/pyproject.toml"
config_error "$r" "a number in the select array" "pyproject.toml:4: 'select' must be an array of strings"
printf '[tool.schemacheck]\nselect = ["SC999"]\n' > "$r/pyproject.toml"
config_error "$r" "an unknown rule in select" "pyproject.toml:2: unknown rule 'SC999' in 'select'"
printf '[tool.schemacheck]\nseverity = "SC201"\n' > "$r/pyproject.toml"
config_error "$r" "severity as a string" "pyproject.toml:2: 'severity' must be a table, not a string"
printf '[tool.schemacheck]\nsince = 42\n' > "$r/pyproject.toml"
config_error "$r" "since as a number" "pyproject.toml:2: 'since' must be a string, not an integer"
rm -f "$r/pyproject.toml"
printf 'select = ["SC1"]\ndowngrade = false\n' > "$r/.schemacheck.toml"
config_error "$r" "a wrong type in .schemacheck.toml" ".schemacheck.toml:2: 'downgrade' must be a string, not a boolean"
printf '\nselect = = ["SC1"]\n' > "$r/.schemacheck.toml"
config_error "$r" "invalid TOML in .schemacheck.toml" ".schemacheck.toml:2: invalid TOML"
printf 'select = ["SC1"]\nselect = ["SC2"]\n' > "$r/.schemacheck.toml"
config_error "$r" "a key given twice in .schemacheck.toml" ".schemacheck.toml:2: key 'select' is defined twice"
rm -f "$r/.schemacheck.toml"
printf '[project]\nname = "app"\n\n[tool.schemacheck]\nselect = ["SC1",\n' > "$r/pyproject.toml"
config_error "$r" "invalid TOML in pyproject.toml" "pyproject.toml:"
if grep -q '^schemacheck: pyproject.toml:[0-9][0-9]*: ' "$TMP/stderr"; then ok "invalid TOML: the message is FILE:LINE: ..."; else not_ok "invalid TOML: the message is FILE:LINE: ..." "$(cat "$TMP/stderr")"; fi
# a pyproject.toml without [tool.schemacheck] configures nothing
printf '[project]\nname = "app"\n\n[tool.ruff]\nselect = ["E"]\n' > "$r/pyproject.toml"
run "$r" 1 "SC101 SC201" "" "a pyproject.toml without [tool.schemacheck] configures nothing"
# both files: .schemacheck.toml is the one read
printf '[tool.schemacheck]\nselect = ["SC101"]\n' > "$r/pyproject.toml"
printf 'select = ["SC201"]\n' > "$r/.schemacheck.toml"
run "$r" 1 SC201 SC101 "with both files, .schemacheck.toml is read"
rm -f "$r/pyproject.toml" "$r/.schemacheck.toml"

# The root's file, wherever schemacheck starts ----------------------------
printf '[tool.schemacheck]\nignore = ["SC101"]\n' > "$r/pyproject.toml"
expect_status 1 "from a subfolder, the root's pyproject.toml is read: exit 1" in_dir "$r/app" "$SC"
expect_no_diag SC101 "from a subfolder: the root's ignore applies"
expect_diag SC201 "from a subfolder: SC201 is still reported"
printf 'select = ["SC101"]\n' > "$r/app/.schemacheck.toml"
expect_status 1 "a .schemacheck.toml in a subfolder is not read" in_dir "$r/app" "$SC"
expect_diag SC201 "a .schemacheck.toml in a subfolder: SC201 is still reported"
rm -f "$r/app/.schemacheck.toml"

# --no-config ---------------------------------------------------------------
run "$r" 1 "SC101 SC201" "" "--no-config ignores the root's pyproject.toml" --no-config
printf '[tool.schemacheck]\nselct = 1\n' > "$r/pyproject.toml"
run "$r" 1 "SC101 SC201" "" "--no-config does not read a broken pyproject.toml" --no-config
printf 'not toml at all = = =\n' > "$r/.schemacheck.toml"
run "$r" 1 "SC101 SC201" "" "--no-config does not read a broken .schemacheck.toml" --no-config
rm -f "$r/pyproject.toml" "$r/.schemacheck.toml"

# --config FILE -------------------------------------------------------------
mkdir -p "$r/ci"
printf 'select = ["SC101"]\n' > "$r/ci/other.toml"
printf '[tool.schemacheck]\nignore = ["SC101"]\n' > "$r/pyproject.toml"
run "$r" 1 SC201 SC101 "without --config the root's pyproject.toml applies"
expect_status 1 "--config ci/other.toml: exit 1" in_dir "$r" "$SC" --config ci/other.toml
expect_diag SC101 "--config ci/other.toml replaces the root's file (SC101 is back)"
expect_no_diag SC201 "--config ci/other.toml: its select applies"
expect_status 1 "--config=FILE with an absolute path" "$SC" -C "$r" --config="$r/ci/other.toml"
expect_no_diag SC201 "--config=FILE: its select applies"
run "$r" 1 SC201 SC101 "--config FILE with --select on top" --config ci/other.toml --select SC201
printf '[tool.schemacheck]\nselect = ["SC201"]\n' > "$r/ci/pyproject.toml"
run "$r" 1 SC201 SC101 "--config ci/pyproject.toml reads its [tool.schemacheck]" --config ci/pyproject.toml
printf '[tool.black]\nline-length = 100\n' > "$r/ci/pyproject.toml"
config_error "$r" "--config of a pyproject.toml without [tool.schemacheck]" "[tool.schemacheck]" --config ci/pyproject.toml
printf 'select = ["SC101"]\nslect = 1\n' > "$r/ci/other.toml"
config_error "$r" "--config FILE with a misspelled key" "ci/other.toml:2: unknown key 'slect'" --config ci/other.toml
config_error "$r" "--config of a missing file" "--config" --config ci/missing.toml
grep -qF "ci/missing.toml" "$TMP/stderr" && ok "--config of a missing file: the message names the file" ||
	not_ok "--config of a missing file: the message names the file" "$(cat "$TMP/stderr")"
rm -rf "$r/ci" "$r/pyproject.toml"

# The configuration in the hook -------------------------------------------
u=$(new_repo hookcfg)
base_project "$u"
"$SC" -C "$u" install > /dev/null 2>&1
mig_sc201_bad "$u"
git -C "$u" add -A
printf '[tool.schemacheck]\nseverity = {SC201 = "warning"}\n' > "$u/pyproject.toml"
git -C "$u" add pyproject.toml
h0=$(head_of "$u")
expect_status 0 "the hook reads pyproject.toml: SC201 as a warning lets the commit through" git_real -C "$u" commit -m "email, warned"
expect_contains "warning[SC201]" "the hook prints the warning"
expect_head_moved "$u" "$h0" "the warned commit was made"
printf '[tool.schemacheck]\nseverity = {SC201 = "warning"}\nselct = 1\n' > "$u/pyproject.toml"
echo more >> "$u/README.txt"
git -C "$u" add -A
h0=$(head_of "$u")
expect_status 1 "a commit with a broken configuration is refused" git_real -C "$u" commit -m "broken config"
expect_contains "pyproject.toml:3: unknown key 'selct'" "the refusal names pyproject.toml:3"
expect_head_same "$u" "$h0" "no commit with a broken configuration"

# Discovery with no configuration at all ------------------------------------
# The issue: "A project with alembic.ini pointing at a non-default folder
# and models in a package is checked with no configuration at all."
a=$(new_repo noconfig)
write "$a" alembic.ini <<'EOF'
# A generic, single-database configuration.

[alembic]
# path to migration scripts
script_location = db/schema
prepend_sys_path = .
sqlalchemy.url = postgresql://app@localhost/app

[loggers]
keys = root
EOF
write "$a" db/schema/env.py <<'PYEOF'
from alembic import context
from myapp.models import Base

target_metadata = Base.metadata
PYEOF
write "$a" db/schema/script.py.mako <<'EOF'
"""${message}"""
EOF
write "$a" db/schema/versions/3f2a9c_create_users.py <<'PYEOF'
"""create users

Revision ID: 3f2a9c
Revises:
Create Date: 2024-01-01 10:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = "3f2a9c"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(200), nullable=False),
    )


def downgrade():
    op.drop_table("users")
PYEOF
write "$a" myapp/__init__.py < /dev/null
write "$a" myapp/models/__init__.py <<'PYEOF'
from .base import Base
from .user import User

__all__ = ["Base", "User"]
PYEOF
write "$a" myapp/models/base.py <<'PYEOF'
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass
PYEOF
write "$a" myapp/models/user.py <<'PYEOF'
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200))
PYEOF
write "$a" myapp/views.py <<'PYEOF'
def index():
    return "hello"
PYEOF
commit_all "$a" "app with users"
if [ -e "$a/pyproject.toml" ] || [ -e "$a/.schemacheck.toml" ]; then not_ok "no-config project: no configuration file"; else ok "no-config project: no configuration file"; fi
expect_status 0 "no-config project: --all is clean" "$SC" -C "$a" --all
expect_status 0 "no-config project: install the hook" "$SC" -C "$a" install
# a bad model change without a migration
write "$a" myapp/models/order.py <<'PYEOF'
from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Order(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
PYEOF
printf 'from .order import Order\n' >> "$a/myapp/models/__init__.py"
git -C "$a" add -A
h0=$(head_of "$a")
expect_status 1 "no-config project: git commit of a model without migration is refused" git_real -C "$a" commit -m "orders model"
expect_contains "myapp/models/order.py" "no-config project: the refusal names myapp/models/order.py"
expect_diag SC401 "no-config project: the refusal is SC401"
expect_contains "'orders'" "no-config project: the refusal names the table"
expect_head_same "$a" "$h0" "no-config project: no commit was made"
# a bad migration in db/schema/versions is found too
write "$a" db/schema/versions/9b1d77_create_orders.py <<'PYEOF'
"""create orders

Revision ID: 9b1d77
Revises: 3f2a9c
"""
from alembic import op
import sqlalchemy as sa

revision = "9b1d77"
down_revision = "3f2a9c"


def upgrade():
    op.create_table(
        "orders",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id")),
    )
PYEOF
git -C "$a" add -A
expect_status 1 "no-config project: a migration without downgrade in db/schema/versions is refused" git_real -C "$a" commit -m "orders"
expect_diag SC101 "no-config project: SC101 in db/schema/versions"
expect_contains "db/schema/versions/9b1d77_create_orders.py" "no-config project: the refusal names the migration"
expect_no_diag SC401 "no-config project: the migration creates orders (no SC401)"
expect_head_same "$a" "$h0" "no-config project: still no commit"
cat >> "$a/db/schema/versions/9b1d77_create_orders.py" <<'PYEOF'


def downgrade():
    op.drop_table("orders")
PYEOF
git -C "$a" add -A
expect_status 0 "no-config project: the model with its migration is accepted" git_real -C "$a" commit -m "orders with migration"
expect_head_moved "$a" "$h0" "no-config project: the commit was made"
# without alembic.ini the folder would not be known: the same change is
# not recognised as migrations (shows that alembic.ini was what found it)
git -C "$a" mv -k alembic.ini alembic.ini.off
git -C "$a" mv -k db/schema/env.py db/schema/env.py.off
write "$a" myapp/models/tag.py <<'PYEOF'
from sqlalchemy import Integer
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class Tag(Base):
    __tablename__ = "tags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
PYEOF
git -C "$a" add -A
expect_status 0 "no-config project: without alembic.ini or env.py no migrations are found (nothing to compare)" "$SC" -C "$a"
expect_no_diag SC101 "no-config project: without alembic.ini db/schema/versions is not read"
git -C "$a" reset -q --hard

# [tool.alembic] in pyproject.toml, %(here)s and version_locations
b=$(new_repo toolalembic)
base_project "$b"
mkdir -p "$b/db"
git -C "$b" mv migrations db/alembic
rm -f "$b/db/alembic/env.py"
printf '[project]\nname = "app"\n\n[tool.alembic]\nscript_location = "%%(here)s/db/alembic"\n' > "$b/pyproject.toml"
commit_all "$b" "layout"
mkdir -p "$b/migrations/versions"
mig_email "$b" 0002_email.py 0002 0001
mkdir -p "$b/db/alembic/versions"
mv "$b/migrations/versions/0002_email.py" "$b/db/alembic/versions/"
rm -rf "$b/migrations"
git -C "$b" add -A
run "$b" 1 SC201 "" "[tool.alembic] script_location with %(here)s (no env.py)"
expect_contains "db/alembic/versions/0002_email.py" "[tool.alembic]: the migration's path"
c=$(new_repo versionlocations)
base_project "$c"
printf '[alembic]\nscript_location = %%(here)s/migrations\nversion_locations = %%(here)s/migrations/versions %%(here)s/extra/revs\n' > "$c/alembic.ini"
commit_all "$c" "ini"
mkdir -p "$c/extra/revs"
mig_email "$c" 0002_email.py 0002 0001
mv "$c/migrations/versions/0002_email.py" "$c/extra/revs/"
git -C "$c" add -A
run "$c" 1 SC201 "" "alembic.ini version_locations with %(here)s"
expect_contains "extra/revs/0002_email.py" "version_locations: the migration's path"

# The README's example configuration is valid (without its `since`, which
# names a revision of another project) ------------------------------------
readme="$top/README.md"
if [ -f "$readme" ] && grep -q '^```toml' "$readme"; then
	awk '/^```toml/ { f = 1; next } /^```/ { f = 0 } f' "$readme" | grep -v '^since' > "$r/pyproject.toml"
	expect_status 0 "README.md's example configuration is accepted" "$SC" -C "$r" --all
	rm -f "$r/pyproject.toml"
else
	not_ok "README.md has an example configuration" "$readme"
fi
