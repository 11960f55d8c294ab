#!/bin/sh
# t80-formats.sh: the machine formats of one run with several findings
# (errors and warnings, two files), read by real consumers: jq for sarif,
# gitlab and json, Python's xml.etree.ElementTree for junit, and the
# GitHub workflow-command syntax for github; gitlab fingerprints stay the
# same when lines are inserted above the findings; --statistics, --quiet;
# escaping of awkward paths and messages; an empty run in every format.
. "$(dirname "$0")/lib.sh"
SC=$SCHEMACHECK
PY=/usr/bin/python3

# capture NAME CMD...: stdout to $TMP/NAME, stderr to $TMP/NAME.err,
# status in $RC.
capture() {
	c_name=$1
	shift
	"$@" > "$TMP/$c_name" 2> "$TMP/$c_name.err"
	RC=$?
}
# jq_ok FILE FILTER TITLE [JQ-ARGS...]: jq -e FILTER FILE is true.
jq_ok() {
	j_file=$1 j_filter=$2 j_title=$3
	shift 3
	if jq -e "$@" "$j_filter" "$j_file" > /dev/null 2> "$TMP/jqerr"; then
		ok "$j_title"
	else
		not_ok "$j_title" "jq -e '$j_filter' failed: $(cat "$TMP/jqerr")" "$(head -c 1500 "$j_file")"
	fi
}
# status_is WANT TITLE: $RC is WANT and the .err file of the last capture is empty.
status_is() {
	if [ "$RC" -eq "$1" ]; then ok "$2: exit $1"; else not_ok "$2: exit $1" "got $RC" "$(cat "$TMP/$c_name.err")"; fi
	if [ -s "$TMP/$c_name.err" ]; then not_ok "$2: nothing on stderr" "$(cat "$TMP/$c_name.err")"; else ok "$2: nothing on stderr"; fi
}

# The run: a migration with SC201 (error) and an unused suppression
# (SC002, warning); the models with two tables without migration (SC401
# twice, errors).
r=$(new_repo formats)
base_project "$r"
findings() {
	migration "$r" 0002_email.py 0002 0001 <<PYEOF
$1
def upgrade():
    op.add_column('users', sa.Column('email', sa.String(100), nullable=False))
    op.add_column('users', sa.Column('age', sa.Integer, nullable=True))  # schemacheck: ignore[SC201] -- not needed


def downgrade():
    op.drop_column('users', 'age')
    op.drop_column('users', 'email')
PYEOF
	models_users "$r" yes "$1

class Invoice(Base):
    __tablename__ = \"invoices\"
    id = sa.Column(sa.Integer, primary_key=True)


class Payment(Base):
    __tablename__ = \"payments\"
    id = sa.Column(sa.Integer, primary_key=True)"
	git -C "$r" add -A
}
findings ""

capture json "$SC" -C "$r" --format json
status_is 1 "json"
jq_ok "$TMP/json" '.version == 1 and .mode == "staged"' "json: version 1, mode staged"
jq_ok "$TMP/json" '.diagnostics | length == 4' "json: four diagnostics"
jq_ok "$TMP/json" '[.diagnostics[].code] | sort == ["SC002", "SC201", "SC401", "SC401"]' "json: SC002, SC201, SC401 twice"
jq_ok "$TMP/json" '.summary == {"errors": 3, "warnings": 1, "files": 2}' "json: summary 3 errors, 1 warning, 2 files"
jq_ok "$TMP/json" '[.diagnostics[].path] | unique == ["app/models.py", "migrations/versions/0002_email.py"]' "json: the two files"
jq_ok "$TMP/json" '.diagnostics | map([.path, .line, .column, .code]) as $k | $k == ($k | sort)' "json: sorted by path, line, column, code"
jq_ok "$TMP/json" 'all(.diagnostics[]; .line >= 1 and .column >= 1 and .end_line >= .line)' "json: 1-based positions"
jq_ok "$TMP/json" 'any(.diagnostics[]; .code == "SC201" and .severity == "error" and .subject == {"table": "users", "column": "email", "revision": "0002"})' "json: SC201's subject"
jq_ok "$TMP/json" 'any(.diagnostics[]; .code == "SC002" and .severity == "warning")' "json: SC002 is a warning"

# sarif ---------------------------------------------------------------------
capture sarif "$SC" -C "$r" --format sarif
status_is 1 "sarif"
S="$TMP/sarif"
jq_ok "$S" '.version == "2.1.0"' "sarif: version 2.1.0"
jq_ok "$S" '."$schema" | test("sarif")' "sarif: \$schema names the SARIF schema"
jq_ok "$S" '.runs | length == 1' "sarif: one run"
jq_ok "$S" '.runs[0].tool.driver.name == "schemacheck" and (.runs[0].tool.driver.version | type) == "string"' "sarif: tool.driver name and version"
jq_ok "$S" '[.runs[0].tool.driver.rules[].id] == ["SC002", "SC201", "SC401"]' "sarif: rules[].id = the rules that fired"
jq_ok "$S" '[.runs[0].tool.driver.rules[].id] == ([.runs[0].results[].ruleId] | unique)' "sarif: one rules entry per rule that fired"
jq_ok "$S" 'all(.runs[0].tool.driver.rules[]; (.name | test("^[a-z]+(-[a-z]+)*$")) and (.shortDescription.text | length > 0) and (.help.text | test("What it does")))' "sarif: each rule has name, shortDescription, help text"
jq_ok "$S" 'any(.runs[0].tool.driver.rules[]; .id == "SC201" and .name == "not-null-without-default" and .defaultConfiguration.level == "error")' "sarif: SC201's entry"
jq_ok "$S" '.runs[0].results | length == 4' "sarif: four results"
jq_ok "$S" 'all(.runs[0].results[]; (.ruleId | test("^SC[0-9]{3}$")) and (.level == "error" or .level == "warning") and (.message.text | length > 0))' "sarif: each result has ruleId, level, message"
jq_ok "$S" 'all(.runs[0].results[]; .locations[0].physicalLocation | (.artifactLocation.uri | test("^[^/]")) and .region.startLine >= 1 and .region.startColumn >= 1 and .region.endLine >= .region.startLine)' "sarif: each result has a relative uri and a region"
jq_ok "$S" '.runs[0] as $r | all($r.results[]; $r.tool.driver.rules[.ruleIndex].id == .ruleId)' "sarif: ruleIndex points at the result's rule"
jq_ok "$S" '[.runs[0].results[].partialFingerprints["schemacheck/v1"]] | length == (unique | length)' "sarif: partialFingerprints are unique"
jq_ok "$S" '[.runs[0].results[] | [.ruleId, .level, .locations[0].physicalLocation.artifactLocation.uri, .locations[0].physicalLocation.region.startLine, .locations[0].physicalLocation.region.startColumn, .message.text]] | sort == ($j[0] | [.diagnostics[] | [.code, .severity, .path, .line, .column, .message]] | sort)' \
	"sarif: the results are the json diagnostics (rule, level, file, line, column, message)" --slurpfile j "$TMP/json"
jq_ok "$S" 'any(.runs[0].results[]; .ruleId == "SC002" and .level == "warning")' "sarif: the warning has level warning"

# gitlab (Code Climate) -------------------------------------------------------
capture gitlab "$SC" -C "$r" --format gitlab
status_is 1 "gitlab"
G="$TMP/gitlab"
jq_ok "$G" 'type == "array" and length == 4' "gitlab: an array of four issues"
jq_ok "$G" 'all(.[]; (.description | type) == "string" and (.check_name | type) == "string" and (.fingerprint | type) == "string" and (.severity | type) == "string" and (.location.path | type) == "string" and (.location.lines.begin | type) == "number")' \
	"gitlab: description, check_name, fingerprint, severity, location.path, location.lines.begin"
jq_ok "$G" 'all(.[]; .severity as $s | ["info", "minor", "major", "critical", "blocker"] | index($s))' "gitlab: severities are Code Climate's"
jq_ok "$G" 'map(select(.check_name == "SC002"))[0].severity == "minor" and map(select(.check_name == "SC201"))[0].severity == "major"' "gitlab: a warning is minor, an error major"
jq_ok "$G" '[.[].fingerprint] | length == (unique | length)' "gitlab: fingerprints are unique (two SC401 in one file too)"
jq_ok "$G" '[.[] | [.check_name, .location.path, .location.lines.begin, .description]] | sort == ($j[0] | [.diagnostics[] | [.code, .path, .line, .message]] | sort)' \
	"gitlab: the issues are the json diagnostics" --slurpfile j "$TMP/json"
capture gitlab2 "$SC" -C "$r" --format gitlab
if cmp -s "$TMP/gitlab" "$TMP/gitlab2"; then ok "gitlab: two runs give the same output"; else not_ok "gitlab: two runs give the same output"; fi
# Lines inserted above every finding: the same fingerprints, other lines.
findings '# a comment
# and another one
CONSTANT = 1
'
capture gitlab3 "$SC" -C "$r" --format gitlab
status_is 1 "gitlab after inserting lines"
jq_ok "$TMP/gitlab3" '[.[].fingerprint] | sort == ($g[0] | [.[].fingerprint] | sort)' "gitlab: fingerprints are stable when lines are inserted above" --slurpfile g "$G"
jq_ok "$TMP/gitlab3" '[.[] | [.fingerprint, .location.lines.begin]] | sort as $new | ($g[0] | [.[] | [.fingerprint, .location.lines.begin]] | sort) as $old | [range(0; $new | length) | $new[.][1] - $old[.][1]] | all(. > 0)' \
	"gitlab: every finding moved down, its fingerprint did not change" --slurpfile g "$G"
capture sarif3 "$SC" -C "$r" --format sarif
jq_ok "$TMP/sarif3" '[.runs[0].results[].partialFingerprints["schemacheck/v1"]] | sort == ($s[0] | [.runs[0].results[].partialFingerprints["schemacheck/v1"]] | sort)' "sarif: partialFingerprints are stable too" --slurpfile s "$S"
findings ""

# junit -----------------------------------------------------------------------
capture junit "$SC" -C "$r" --format junit
status_is 1 "junit"
if "$PY" - "$TMP/junit" "$TMP/json" > "$TMP/pyout" 2>&1 <<'PYEOF'
import json, sys
import xml.etree.ElementTree as ET

root = ET.parse(sys.argv[1]).getroot()
diags = json.load(open(sys.argv[2]))["diagnostics"]
problems = []
def want(cond, what):
    if not cond:
        problems.append(what)

want(root.tag == "testsuites", "root is <testsuites>")
suites = root.findall("testsuite")
want(len(suites) == 1, "one <testsuite>")
suite = suites[0]
cases = suite.findall("testcase")
files = sorted({d["path"] for d in diags})
want(sorted(c.get("name") for c in cases) == files, "one testcase per file: %s" % [c.get("name") for c in cases])
failures = suite.findall("testcase/failure")
want(len(failures) == len(diags), "one failure per diagnostic")
for el in (root, suite):
    want(int(el.get("tests")) == len(cases), "<%s tests> = number of testcases" % el.tag)
    want(int(el.get("failures")) == len(failures), "<%s failures> = number of failures" % el.tag)
    want(int(el.get("errors")) == 0, "<%s errors> = 0" % el.tag)
for c in cases:
    mine = sorted((d["code"], d["message"]) for d in diags if d["path"] == c.get("name"))
    got = sorted((f.get("type"), f.get("message")) for f in c.findall("failure"))
    want(mine == got, "failures of %s: %s != %s" % (c.get("name"), got, mine))
    for f in c.findall("failure"):
        want(f.text and f.text.startswith(c.get("name") + ":"), "failure text starts with PATH: %r" % f.text)
print("\n".join(problems))
sys.exit(1 if problems else 0)
PYEOF
then
	ok "junit: ElementTree reads testsuites/testsuite/testcase/failure with matching counts"
else
	not_ok "junit: ElementTree reads testsuites/testsuite/testcase/failure with matching counts" "$(cat "$TMP/pyout")" "$(head -n 20 "$TMP/junit")"
fi

# github ----------------------------------------------------------------------
capture github "$SC" -C "$r" --format github
status_is 1 "github"
if [ "$(wc -l < "$TMP/github")" -eq 4 ]; then ok "github: four lines"; else not_ok "github: four lines" "$(cat "$TMP/github")"; fi
bad=$(grep -Ecv '^::(error|warning) file=[^,:]+,line=[0-9]+,col=[0-9]+,endLine=[0-9]+,endColumn=[0-9]+,title=SC[0-9]{3} [a-z]+(-[a-z]+)*::.+$' "$TMP/github")
if [ "$bad" -eq 0 ]; then ok "github: every line is ::LEVEL file=,line=,col=,endLine=,endColumn=,title=CODE name::message"; else not_ok "github: every line is ::LEVEL file=,line=,col=,endLine=,endColumn=,title=CODE name::message" "$(cat "$TMP/github")"; fi
jq -r '.diagnostics[] | "::\(.severity) file=\(.path),line=\(.line),col=\(.column),endLine=\(.end_line),endColumn=\(.end_column),title=\(.code) \(.name)::\(.message)"' "$TMP/json" > "$TMP/github.want"
if cmp -s "$TMP/github" "$TMP/github.want"; then ok "github: the annotations are the json diagnostics, in order"; else not_ok "github: the annotations are the json diagnostics, in order" "$(diff "$TMP/github.want" "$TMP/github")"; fi
OUT=$(cat "$TMP/github")
expect_contains "::warning file=migrations/versions/0002_email.py,line=" "github: the warning is ::warning"
expect_contains ",title=SC201 not-null-without-default::column 'users.email' is added as NOT NULL" "github: title=SC201 not-null-without-default::message"

# text: --statistics and --quiet ------------------------------------------------
capture stats "$SC" -C "$r" --statistics
status_is 1 "--statistics"
printf '2\tSC401\tmodel-table-without-migration\n1\tSC002\tunused-suppression\n1\tSC201\tnot-null-without-default\nFound 3 errors and 1 warnings in 2 files.\n' > "$TMP/stats.want"
if cmp -s "$TMP/stats" "$TMP/stats.want"; then ok "--statistics: COUNT CODE NAME per rule (most first), then the summary"; else not_ok "--statistics: COUNT CODE NAME per rule (most first), then the summary" "$(diff "$TMP/stats.want" "$TMP/stats")"; fi
jq -r '[.diagnostics[].code] | group_by(.) | map("\(length) \(.[0])") | .[]' "$TMP/json" | sort > "$TMP/stats.json"
awk -F '\t' 'NF == 3 { print $1 " " $2 }' "$TMP/stats" | sort > "$TMP/stats.got"
if cmp -s "$TMP/stats.json" "$TMP/stats.got"; then ok "--statistics: the counts are those of the json diagnostics"; else not_ok "--statistics: the counts are those of the json diagnostics" "$(diff "$TMP/stats.json" "$TMP/stats.got")"; fi
if grep -q '\^\^\^' "$TMP/stats"; then not_ok "--statistics: no snippets"; else ok "--statistics: no snippets"; fi
capture statsq "$SC" -C "$r" --statistics --quiet
status_is 1 "--statistics --quiet"
head -n 3 "$TMP/stats.want" > "$TMP/statsq.want"
if cmp -s "$TMP/statsq" "$TMP/statsq.want"; then ok "--statistics --quiet: the counts without the summary"; else not_ok "--statistics --quiet: the counts without the summary" "$(diff "$TMP/statsq.want" "$TMP/statsq")"; fi
capture stats0 "$SC" -C "$r" --statistics --select SC3
status_is 0 "--statistics with no finding"
if [ "$(cat "$TMP/stats0")" = "All checks passed." ]; then ok "--statistics with no finding: All checks passed."; else not_ok "--statistics with no finding: All checks passed." "$(cat "$TMP/stats0")"; fi
capture quiet "$SC" -C "$r" --quiet
status_is 1 "--quiet"
if [ "$(grep -c 'error\[SC\|warning\[SC' "$TMP/quiet")" -eq 4 ]; then ok "--quiet: the four diagnostics"; else not_ok "--quiet: the four diagnostics" "$(cat "$TMP/quiet")"; fi
if grep -q '^Found \|All checks passed' "$TMP/quiet"; then not_ok "--quiet: no summary line" "$(tail -n 3 "$TMP/quiet")"; else ok "--quiet: no summary line"; fi
capture quiet0 "$SC" -C "$r" --quiet --select SC3
status_is 0 "--quiet with no finding"
if [ -s "$TMP/quiet0" ]; then not_ok "--quiet with no finding prints nothing" "$(cat "$TMP/quiet0")"; else ok "--quiet with no finding prints nothing"; fi
capture quietj "$SC" -C "$r" --quiet --format json
jq_ok "$TMP/quietj" '.diagnostics | length == 4' "--quiet --format json: still the whole json document"

# The exit status does not depend on the format; warnings only exit 0 ----------
printf 'severity = {SC2 = "warning", SC4 = "warning"}\n' > "$TMP/warn.toml"
for f in text json github sarif junit gitlab; do
	capture warn "$SC" -C "$r" --format $f --config "$TMP/warn.toml"
	status_is 0 "--format $f with warnings only"
	if grep -q 'SC201' "$TMP/warn"; then ok "--format $f with warnings only prints them"; else not_ok "--format $f with warnings only prints them" "$(head -n 5 "$TMP/warn")"; fi
	capture warn "$SC" -C "$r" --format $f --config "$TMP/warn.toml" --strict
	status_is 1 "--format $f --strict with warnings only"
done
capture warn "$SC" -C "$r" --format sarif --config "$TMP/warn.toml"
jq_ok "$TMP/warn" 'all(.runs[0].results[]; .level == "warning")' "sarif: a severity override is the result's level"
capture warn "$SC" -C "$r" --format gitlab --config "$TMP/warn.toml"
jq_ok "$TMP/warn" 'all(.[]; .severity == "minor")' "gitlab: a severity override is the issue's severity"
capture warn "$SC" -C "$r" --format github --config "$TMP/warn.toml"
if grep -q '^::error' "$TMP/warn"; then not_ok "github: a severity override gives ::warning" "$(cat "$TMP/warn")"; else ok "github: a severity override gives ::warning"; fi

# An empty run in every format --------------------------------------------------
capture e "$SC" -C "$r" --format sarif --select SC3
status_is 0 "sarif with no finding"
jq_ok "$TMP/e" '.version == "2.1.0" and .runs[0].results == [] and .runs[0].tool.driver.rules == []' "sarif with no finding: no results, no rules"
capture e "$SC" -C "$r" --format gitlab --select SC3
status_is 0 "gitlab with no finding"
jq_ok "$TMP/e" '. == []' "gitlab with no finding: []"
capture e "$SC" -C "$r" --format json --select SC3
jq_ok "$TMP/e" '.diagnostics == [] and .summary == {"errors": 0, "warnings": 0, "files": 0}' "json with no finding"
capture e "$SC" -C "$r" --format github --select SC3
status_is 0 "github with no finding"
if [ -s "$TMP/e" ]; then not_ok "github with no finding prints nothing" "$(cat "$TMP/e")"; else ok "github with no finding prints nothing"; fi
capture e "$SC" -C "$r" --format junit --select SC3
status_is 0 "junit with no finding"
if "$PY" -c 'import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
s = r.find("testsuite")
sys.exit(0 if r.tag == "testsuites" and s is not None and s.get("tests") == "0" and s.get("failures") == "0" and not s.findall("testcase") else 1)' "$TMP/e" 2> "$TMP/pyout"; then
	ok "junit with no finding: an empty testsuite"
else
	not_ok "junit with no finding: an empty testsuite" "$(cat "$TMP/pyout" "$TMP/e")"
fi

# Escaping: a path with ',' and ':' and a table named we"ird<&>%table -----------
x=$(new_repo escaping)
base_project "$x"
write "$x" "app/odd,name:x.py" <<'PYEOF'
import sqlalchemy as sa
from app.models import Base


class Weird(Base):
    __tablename__ = 'we"ird<&>%table'
    id = sa.Column(sa.Integer, primary_key=True)
PYEOF
git -C "$x" add -A
capture ej "$SC" -C "$x" --format json
status_is 1 "escaping: json"
jq_ok "$TMP/ej" '.diagnostics[0].path == "app/odd,name:x.py" and (.diagnostics[0].message | contains("we\"ird<&>%table"))' "escaping: json keeps the path and the table name"
capture eg "$SC" -C "$x" --format github
OUT=$(cat "$TMP/eg")
expect_contains "::error file=app/odd%2Cname%3Ax.py,line=6," "escaping: github escapes ',' and ':' in file="
expect_contains "table 'we\"ird<&>%25table'" "escaping: github escapes '%' in the message"
capture es "$SC" -C "$x" --format sarif
jq_ok "$TMP/es" '.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri == "app/odd%2Cname%3Ax.py"' "escaping: the sarif uri is percent-encoded"
jq_ok "$TMP/es" '.runs[0].results[0].message.text | contains("we\"ird<&>%table")' "escaping: the sarif message is intact"
capture egl "$SC" -C "$x" --format gitlab
jq_ok "$TMP/egl" '.[0].location.path == "app/odd,name:x.py"' "escaping: gitlab location.path"
capture eju "$SC" -C "$x" --format junit
if "$PY" -c 'import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot()
c = r.find("testsuite/testcase")
f = c.find("failure")
sys.exit(0 if c.get("name") == "app/odd,name:x.py" and "we\"ird<&>%table" in f.get("message") and "we\"ird<&>%table" in f.text else 1)' "$TMP/eju" 2> "$TMP/pyout"; then
	ok "escaping: junit round-trips the path and the table name through ElementTree"
else
	not_ok "escaping: junit round-trips the path and the table name through ElementTree" "$(cat "$TMP/pyout" "$TMP/eju")"
fi
