#!/usr/bin/env bats
# grv-report over tests/fixtures/report: a ledger whose November 2026
# figures are worked out by hand in tests/fixtures/report/EXPECTED.md.

load test_helper

NOV=(--now 2026-12-05 --from 2026-11-01 --to 2026-12-01)
KINDS=(grading districts officers pending sla trend mapping feedback)
FORMATS=(csv tsv json table)

setup() {
	grv_sandbox report
	GOLD="$TESTS_DIR/fixtures/report"
}

# golden KIND [ARGS...]: compare grv-report's output with a golden file.
golden() {
	local name=$1
	shift
	run -0 grv-report "$@"
	diff -u "$GOLD/report-$name.golden" <(printf '%s\n' "$output")
}

# Keep only ledger rows stamped before DAY (YYYY-MM-DD): the ledger as it
# stood then.  A prefix of a chained file is still a valid chain.
cut_ledger_before() {
	awk -F, -v d="$1" 'NR == 1 || $2 < d' "$GRV_DIR/ledger/complaints.csv" >"$BATS_TEST_TMPDIR/c"
	awk -F, -v d="$1" 'NR == 1 || $1 < d' "$GRV_DIR/ledger/events.csv" >"$BATS_TEST_TMPDIR/e"
	cp "$BATS_TEST_TMPDIR/c" "$GRV_DIR/ledger/complaints.csv"
	cp "$BATS_TEST_TMPDIR/e" "$GRV_DIR/ledger/events.csv"
}

@test "the department grading of November matches the figures worked out by hand" {
	golden grading grading "${NOV[@]}"
}

@test "Energy's score exercises every term of the formula and is not round" {
	run -0 grv-report grading "${NOV[@]}" --dept EN
	# n 13: E11, never placed, counts for EN-SUPPLY's department
	[ "${lines[1]}" = "EN,Energy,3,1,13,6,3,2,1,1,59.49,D" ]
}

@test "the district grading of November matches the figures worked out by hand" {
	golden districts districts "${NOV[@]}"
}

@test "the L1 officers of November are graded and ranked best first, ties by n then code" {
	golden officers officers "${NOV[@]}"
}

@test "pending counts open complaints by age bucket and level at the end of the period" {
	golden pending pending "${NOV[@]}"
}

@test "sla gives placements, resolutions in time, overdue escalations, median and p90 days" {
	golden sla sla "${NOV[@]}"
}

@test "trend gives a month by department time series over the period" {
	golden trend trend --now 2026-12-05 --from 2026-10-01 --to 2026-12-01
}

@test "mapping lists the categories whose complaints were transferred, most first" {
	golden mapping mapping "${NOV[@]}"
}

@test "feedback counts callbacks by answer, unverified closures and the reopen rate" {
	golden feedback feedback "${NOV[@]}"
}

@test "the period defaults to the calendar month containing --now" {
	run -0 grv-report grading --now 2026-11-30T23:59:59
	[ "$output" = "$(cat "$GOLD/report-grading.golden")" ]
	run -0 grv-report trend --now 2026-12-05
	expected=$(grv-report trend --now 2026-12-05 --from 2026-12-01 --to 2027-01-01)
	[ "$output" = "$expected" ]
	[ "${lines[1]%%,*}" = "2026-12" ]
}

@test "an earlier period's figures stay identical after more rows are appended and --now moves on" {
	full_c=$(cat "$GRV_DIR/ledger/complaints.csv")
	full_e=$(cat "$GRV_DIR/ledger/events.csv")
	cut_ledger_before 2026-12-06
	[ "$(rows events)" -lt "$(printf '%s\n' "$full_e" | wc -l)" ]
	for k in "${KINDS[@]}"; do
		grv-report "$k" "${NOV[@]}" >"$BATS_TEST_TMPDIR/then-$k"
	done
	printf '%s\n' "$full_c" >"$GRV_DIR/ledger/complaints.csv"
	printf '%s\n' "$full_e" >"$GRV_DIR/ledger/events.csv"
	for k in "${KINDS[@]}"; do
		run -0 grv-report "$k" --now 2027-02-01 --from 2026-11-01 --to 2026-12-01
		diff -u "$BATS_TEST_TMPDIR/then-$k" <(printf '%s\n' "$output")
	done
	# The later rows do count for a later period: E9 closed in December.
	run -0 grv-report grading --now 2027-02-01 --from 2026-12-01 --to 2027-01-01 --dept EN
	[ "$(echo "${lines[1]}" | cut -d, -f6)" -ge 2 ]
}

@test "rows stamped after --now are ignored" {
	run -0 grv-report pending --now 2026-11-20T00:00 --from 2026-11-01 --to 2026-12-01
	expected=$output
	cut_ledger_before 2026-11-20
	run -0 grv-report pending --now 2026-11-20T00:00 --from 2026-11-01 --to 2026-12-01
	[ "$output" = "$expected" ]
	run -0 grv-report pending --now 2027-02-01 --from 2026-11-01 --to 2026-11-20
	[ "$output" = "$expected" ]
	run -0 grv-report grading --now 2026-10-31 --from 2026-11-01 --to 2026-12-01
	[ "$output" = "dept,name,group,rank,n,sat,old,old_sat,forced,unattended,score,grade" ]
}

@test "json output parses, with numbers as numbers and no value as null" {
	golden grading-json grading "${NOV[@]}" --format json
	for k in "${KINDS[@]}"; do
		grv-report "$k" "${NOV[@]}" --format json | python3 -c '
import json, sys
rows = json.load(sys.stdin)["rows"]
assert isinstance(rows, list) and rows, "no rows"
for r in rows:
    for key, v in r.items():
        assert v is None or isinstance(v, (int, float, str)), (key, v)
'
	done
	grv-report grading "${NOV[@]}" --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)["rows"][0]
assert r["score"] == 59.49 and isinstance(r["n"], int) and r["grade"] == "D", r'
	grv-report sla "${NOV[@]}" --format json | python3 -c '
import json, sys
r = json.load(sys.stdin)["rows"][1]
assert r["level"] == 2 and r["median_days"] is None, r'
}

@test "table aligns a Hindi name by display width, not bytes" {
	golden grading-table grading "${NOV[@]}" --format table
	golden grading-hi-table grading "${NOV[@]}" --format table --lang hi
	grv-report grading "${NOV[@]}" --format table --lang hi | python3 -c '
import re, sys, unicodedata
def width(s):
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in s)
lines = sys.stdin.read().splitlines()[1:]    # the title line aside
assert any(ord(c) > 0x900 for c in lines[1]), lines[1]
cols = set()
for line in lines:
    m = re.match(r"(\S+ +\S+(?: \S+)* +\S+)", line)   # to the end of group
    cols.add(width(m.group(1)))
assert len(cols) == 1, cols
'
}

@test "--lang hi puts the Hindi names of the masters in every format" {
	run -0 grv-report districts "${NOV[@]}" --lang hi
	[ "${lines[1]}" = "D1,शिमला,3,1,14,6,3,2,0,2,57.62,D,1" ]
	run -0 grv-report districts "${NOV[@]}" --lang en
	[ "${lines[1]}" = "D1,Shimla,3,1,14,6,3,2,0,2,57.62,D,1" ]
}

@test "tsv separates cells with tabs" {
	run -0 grv-report grading "${NOV[@]}" --format tsv
	[ "${lines[0]}" = "$(printf 'dept\tname\tgroup\trank\tn\tsat\told\told_sat\tforced\tunattended\tscore\tgrade')" ]
	[ "${lines[2]}" = "$(printf 'PWD\tPublic Works, Roads\t3\t2\t1\t0\t0\t0\t0\t0\t40.00\tD')" ]
}

@test "--bom prefixes csv with a UTF-8 byte-order mark and nothing else changes" {
	grv-report grading "${NOV[@]}" --bom >"$BATS_TEST_TMPDIR/out"
	[ "$(head -c 3 "$BATS_TEST_TMPDIR/out" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	diff "$GOLD/report-grading.golden" <(tail -c +4 "$BATS_TEST_TMPDIR/out")
	grv-report grading "${NOV[@]}" --format json --bom | python3 -c 'import json,sys; json.load(sys.stdin)'
}

@test "a complaint text beginning with = never reaches a report cell" {
	grep -q '=HYPERLINK' "$GRV_DIR/ledger/complaints.csv"
	for k in "${KINDS[@]}"; do
		for f in "${FORMATS[@]}"; do
			run -0 grv-report "$k" "${NOV[@]}" --format "$f"
			[[ "$output" != *HYPERLINK* ]]
			[[ "$output" != *'9816000'* ]]
		done
	done
}

@test "a master name beginning with = + - @ is prefixed with ' in every format" {
	sed -i 's/^EN,Energy,/EN,=SUM(A1),/; s/^REV,Revenue,/REV,@cmd,/; s/^PWD,"Public Works, Roads",/PWD,-1+2,/' \
		"$GRV_DIR/masters/departments.csv"
	run -0 grv-report grading "${NOV[@]}"
	[ "${lines[1]}" = "EN,'=SUM(A1),3,1,13,6,3,2,1,1,59.49,D" ]
	[ "${lines[2]}" = "PWD,'-1+2,3,2,1,0,0,0,0,0,40.00,D" ]
	[ "${lines[3]}" = "REV,'@cmd,3,3,6,1,2,0,0,3,25.00,D" ]
	run -0 grv-report grading "${NOV[@]}" --format tsv
	[ "$(echo "${lines[1]}" | cut -f2)" = "'=SUM(A1)" ]
	run -0 grv-report grading "${NOV[@]}" --format json
	[[ "$output" == *'"name":"'"'"'=SUM(A1)"'* ]]
	run -0 grv-report grading "${NOV[@]}" --format table
	[[ "${lines[2]}" == "EN    '=SUM(A1)  "* ]]
	for k in "${KINDS[@]}"; do
		for f in csv tsv table; do
			run -0 grv-report "$k" "${NOV[@]}" --format "$f"
			bad=$(printf '%s\n' "$output" | grep -E "(^|,|$'\t'|  )[-=@+]" || true)
			[ -z "$bad" ]
		done
	done
}

@test "masters/grading.conf sets the weights, the age threshold and the volume groups" {
	printf '# a state of our own\nw_sat = 50\nw_old = 30.00\ngroups = 10, 2\n' >"$GRV_DIR/masters/grading.conf"
	run -0 grv-report grading "${NOV[@]}"
	# EN: 50*6/13 + 30*2/3 + 10*12/13 + 10*12/13 = 61.54, group 1 (n >= 10)
	[ "${lines[1]}" = "EN,Energy,1,1,13,6,3,2,1,1,61.54,C" ]
	# REV: 50/6 + 0 + 10 + 10*3/6 = 23.33, group 2 (2 <= n < 10)
	[ "${lines[2]}" = "REV,Revenue,2,1,6,1,2,0,0,3,23.33,D" ]
	# PWD: n = 1, group 3: 0 + 30 + 10 + 10 = 50.00
	[ "${lines[3]}" = "PWD,\"Public Works, Roads\",3,1,1,0,0,0,0,0,50.00,D" ]
	printf 'old_days = 30\ngrade_d = 1\n' >"$GRV_DIR/masters/grading.conf"
	run -65 grv-report grading "${NOV[@]}"
	[[ "$output" == *"masters/grading.conf:2: unknown key 'grade_d'"* ]]
	printf 'old_days = 30\ngrade_c = 6O\n' >"$GRV_DIR/masters/grading.conf"
	run -65 grv-report grading "${NOV[@]}"
	[[ "$output" == *"masters/grading.conf:2: grade_c:"*"'6O'"* ]]
	printf 'w_sat = 12.345\n' >"$GRV_DIR/masters/grading.conf"
	run -65 grv-report grading "${NOV[@]}"
	[[ "$output" == *"masters/grading.conf:1: w_sat"* ]]
	printf 'groups = 2000,10000\n' >"$GRV_DIR/masters/grading.conf"
	run -65 grv-report grading "${NOV[@]}"
	[[ "$output" == *"masters/grading.conf:1: groups"* ]]
}

@test "old_days moves complaints in and out of the old term" {
	printf 'old_days = 30\n' >"$GRV_DIR/masters/grading.conf"
	run -0 grv-report grading "${NOV[@]}" --dept EN
	# old now also E4 (registered 10-25, 36 days before 12-01), satisfied:
	# 60*6/13 + 20*3/4 + 10*12/13 + 10*12/13 = 61.15
	[ "${lines[1]}" = "EN,Energy,3,1,13,6,4,3,1,1,61.15,C" ]
}

@test "--dept shows one department with its rank among all" {
	run -0 grv-report grading "${NOV[@]}" --dept REV
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = "REV,Revenue,3,3,6,1,2,0,0,3,25.00,D" ]
	run -0 grv-report pending "${NOV[@]}" --dept REV
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]%%,*}" = REV ]
}

@test "--district counts only the complaints located in the district" {
	run -0 grv-report grading "${NOV[@]}" --district D2
	# EN in D2: E3 E6; REV in D2: R0 R2 P1 (R0 and P1 unattended: 0 + 0 +
	# 10 + 10*1/3); PWD none (see EXPECTED.md)
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[1]}" = "EN,Energy,3,1,2,1,1,0,1,0,45.00,D" ]
	[ "${lines[2]}" = "REV,Revenue,3,2,3,0,1,0,0,2,13.33,D" ]
	run -0 grv-report districts "${NOV[@]}" --district D2
	[ "${lines[1]}" = "D2,Kangra,3,2,5,1,2,0,1,2,26.00,D,2" ]
	run -0 grv-report officers "${NOV[@]}" --district D2
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[1]%%,*}" = EN-JE-D2 ]
	[ "${lines[2]%%,*}" = REV-TEH-D2T1 ]
}

@test "an unknown department or district exits 65 and says what was meant" {
	run -65 grv-report grading "${NOV[@]}" --dept REVV
	[[ "$output" == *"unknown department 'REVV' (did you mean 'REV'?)"* ]]
	run -65 grv-report grading "${NOV[@]}" --district D1-T1
	[[ "$output" == *"'D1-T1' is not a district"* ]]
}

@test "usage errors exit 64 and point to --help" {
	run -64 grv-report
	[[ "$output" == *"missing KIND"* ]]
	[[ "$output" == *"Try 'grv-report --help'."* ]]
	run -64 grv-report grades
	[[ "$output" == *"unknown kind 'grades'"* ]]
	run -64 grv-report grading --format xls
	run -64 grv-report grading --from 2026-12-01 --to 2026-11-01
	run -64 grv-report grading --from yesterday
	run -64 grv-report grading --lang fr
	run -64 grv-report grading sla
}

@test "--help lists the kinds and exits 0" {
	run -0 grv-report --help
	[[ "$output" == "usage: grv-report KIND"* ]]
	for k in "${KINDS[@]}"; do
		[[ "$output" == *"  $k "* ]]
	done
}

@test "a report to a full disk exits 74" {
	run -74 bash -c 'grv-report grading --now 2026-12-05 --from 2026-11-01 --to 2026-12-01 >/dev/full'
	[[ "$output" == *"grv-report: "* ]]
}

@test "a damaged ledger exits 65 naming the line" {
	sed -i '5s/escalate/resolve/' "$GRV_DIR/ledger/events.csv"
	run -65 grv-report grading "${NOV[@]}"
	[[ "$output" == *"ledger/events.csv:5:"* ]]
}

@test "without a ledger the reports have no rows, and trend only zeros" {
	rm -r "$GRV_DIR/ledger"
	for k in grading districts officers pending sla mapping feedback; do
		run -0 grv-report "$k" "${NOV[@]}"
		[ "${#lines[@]}" -eq 1 ]
	done
	# trend keeps its grid: every department, every month, all zeros
	run -0 grv-report trend "${NOV[@]}"
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[1]}" = "2026-11,EN,Energy,0,0,0,0,0" ]
	run -0 grv-report grading "${NOV[@]}" --format json
	[ "$output" = '{"report":"grading","from":"2026-11-01T00:00:00+05:30","to":"2026-12-01T00:00:00+05:30","now":"2026-12-05T00:00:00+05:30","rows":[]}' ]
}

@test "a complaint transferred and then ignored past its new due counts as unattended for the department receiving it" {
	grv_sandbox	# the bats state, not the report fixture
	add_complaint EN-BILL D1-T1-B1 2026-11-02T09:00 >/dev/null	# TS-1
	add_complaint EN-BILL D1-T1-B1 2026-11-02T09:00 >/dev/null	# TS-2
	add_complaint EN-BILL D1-T1-B1 2026-11-02T09:00 >/dev/null	# TS-3
	grv-route --now 2026-11-02T10:00 >/dev/null
	for id in TS-1 TS-2 TS-3; do
		grv-route --now 2026-11-03T10:00 --transfer "$id" --dept REV \
			--reason "land record, not a bill" >/dev/null
	done
	# REV's 15 days: due 11-18.  TS-2 gets an interim reply from REV's
	# officer after the transfer, TS-3 is resolved; TS-1 is left alone.
	grv-resolve TS-2 --now 2026-11-10T10:00 --officer REV-TEH-D1T1 \
		--reason "site visit fixed" --interim >/dev/null
	grv-resolve TS-3 --now 2026-11-10T11:00 --officer REV-TEH-D1T1 \
		--reason "record corrected under rule 5" --ref "L/1 dated 10.11.2026" >/dev/null
	P=(--now 2026-11-25 --from 2026-11-01 --to 2026-12-01)
	run -0 grv-report grading "${P[@]}"
	# REV holds all three (EN, the sender, none): n 3, unattended TS-1:
	# 0 + 20 (no old) + 10 + 10*2/3 = 36.67
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[1]}" = "REV,Revenue,3,1,3,0,0,0,0,1,36.67,D" ]
	run -0 grv-report districts "${P[@]}"
	[ "${lines[1]}" = "D1,Shimla,3,1,3,0,0,0,0,1,36.67,D,1" ]
	run -0 grv-report officers "${P[@]}"
	[ "${#lines[@]}" -eq 2 ]
	[ "$(echo "${lines[1]}" | cut -d, -f1,15)" = "REV-TEH-D1T1,1" ]
	# Before its new due it is not unattended, though the first due
	# (EN-BILL's 7 days, 11-09) has passed.
	run -0 grv-report grading --now 2026-11-17 --from 2026-11-01 --to 2026-12-01
	[ "$(echo "${lines[1]}" | cut -d, -f10)" = 0 ]
}

@test "the bench's SQL grading agrees with grv-report on this fixture, the transferred and ignored P1 included" {
	command -v sqlite3 >/dev/null || skip "sqlite3 missing (apt-get install sqlite3)"
	# The parameters scripts/bench/run gives it, for November 2026.
	from=$(date -d 2026-11-01T00:00:00+05:30 +%s)
	u=$(( $(date -d 2026-12-01T00:00:00+05:30 +%s) - 1 ))
	python3 - "$REPO_DIR/scripts/bench/grading.sqlite.sql" "$BATS_TEST_TMPDIR/q.sql" \
		FROM="$from" U="$u" OLD=$((50 * 86400)) W_SAT=6000 W_OLD=2000 \
		W_FORCED=1000 W_UNATT=1000 GA=8000 GB=7000 GC=6000 G1=10000 G2=2000 \
		SLA=7 TZ=19800 WORKING=0 WEEKEND=1 <<'PY'
import re, sys
src, dst, *pairs = sys.argv[1:]
p = dict(x.split("=", 1) for x in pairs)
sql = open(src, encoding="utf-8").read()
open(dst, "w", encoding="utf-8").write(re.sub(r"\$\{(\w+)\}", lambda m: p[m.group(1)], sql))
PY
	sqlite3 "$BATS_TEST_TMPDIR/db" \
		".import --csv $GRV_DIR/ledger/complaints.csv complaints" \
		".import --csv $GRV_DIR/ledger/events.csv events" \
		".import --csv $GRV_DIR/masters/departments.csv departments" \
		".import --csv $GRV_DIR/masters/categories.csv categories" \
		".import --csv $GRV_DIR/masters/holidays.csv holidays"
	sqlite3 -csv -header "$BATS_TEST_TMPDIR/db" ".read $BATS_TEST_TMPDIR/q.sql" >"$BATS_TEST_TMPDIR/sql.csv"
	run -0 python3 "$REPO_DIR/scripts/bench/csvcmp" golden "$GOLD/report-grading.golden" \
		SQLite "$BATS_TEST_TMPDIR/sql.csv"
}

@test "every report says its period and as-of time: a title in table, from, to and now in json, a comment in csv only when asked" {
	for k in "${KINDS[@]}"; do
		run -0 grv-report "$k" "${NOV[@]}" --format table
		[ "${lines[0]}" = "$k, 2026-11-01 to 2026-11-30, as of 2026-12-01 00:00 +05:30" ]
		run -0 grv-report "$k" "${NOV[@]}" --header-comment
		[ "${lines[0]}" = "# $k, 2026-11-01 to 2026-11-30, as of 2026-12-01 00:00 +05:30" ]
		diff <(printf '%s\n' "${lines[@]:1}") <(grv-report "$k" "${NOV[@]}")
	done
	# two hours into December: the month so far, and it says so
	run -0 grv-report grading --now 2026-12-01T02:00 --format table --district D1
	[ "${lines[0]}" = "grading, district D1, 2026-12-01 to 2026-12-31, as of 2026-12-01 02:00 +05:30 (period not over)" ]
	grv-report grading --now 2026-12-01T02:00 --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert (d["report"], d["from"], d["to"], d["now"]) == ("grading",
    "2026-12-01T00:00:00+05:30", "2027-01-01T00:00:00+05:30",
    "2026-12-01T02:00:00+05:30"), d'
	# a period not on midnights shows its times; csv stays bare
	run -0 grv-report pending --now 2026-12-05 --from 2026-11-03T12:30 --to 2026-11-20T06:00 --format table
	[ "${lines[0]}" = "pending, 2026-11-03 12:30 to 2026-11-20 06:00, as of 2026-11-20 06:00 +05:30" ]
	run -0 grv-report pending "${NOV[@]}"
	[ "${lines[0]:0:5}" = "dept," ]
	# the BOM comes first, the comment after it
	grv-report grading "${NOV[@]}" --bom --header-comment | head -c 5 | od -An -tx1 | grep -q 'ef bb bf 23 20'
}

@test "districts carry a state-wide rank beside the rank within the volume group" {
	echo 'groups = 10' >"$GRV_DIR/masters/grading.conf"
	# D1 (n 14) is now in group 1, D2 (n 5) in group 2: both rank 1 there,
	# 1 and 2 in the state.
	run -0 grv-report districts "${NOV[@]}"
	[ "${lines[1]}" = "D1,Shimla,1,1,14,6,3,2,0,2,57.62,D,1" ]
	[ "${lines[2]}" = "D2,Kangra,2,1,5,1,2,0,1,2,26.00,D,2" ]
	run -0 grv-report districts "${NOV[@]}" --district D2
	[ "${lines[1]}" = "D2,Kangra,2,1,5,1,2,0,1,2,26.00,D,2" ]
}

@test "an officer's disposal never exceeds 100, the old resolved-per-placed figure kept at the end" {
	# EN-JE-B1 resolves in November two complaints placed with them in
	# October and the one placed in November; TS-4, placed in November,
	# is still open with them at the end.
	grv_sandbox
	add_complaint EN-BILL D1-T1-B1 2026-10-20T09:00 >/dev/null
	add_complaint EN-BILL D1-T1-B1 2026-10-20T09:00 >/dev/null
	grv-route --now 2026-10-20T10:00 >/dev/null
	add_complaint EN-BILL D1-T1-B1 2026-11-02T09:00 >/dev/null
	add_complaint EN-BILL D1-T1-B1 2026-11-25T09:00 >/dev/null
	grv-route --now 2026-11-25T10:00 >/dev/null
	for id in TS-1 TS-2 TS-3; do
		grv-resolve "$id" --now 2026-11-26T10:00 --officer EN-JE-B1 \
			--reason "bill corrected" --ref "L/1 dated 26.11.2026" >/dev/null
	done
	run -0 grv-report officers --now 2026-12-05 --from 2026-11-01 --to 2026-12-01
	# placed 2 (TS-3, TS-4), resolved 3, pending 1 (TS-4):
	# disposal 3/(3+0+1) = 75.00; resolved per placed 3/2 = 150.00
	[ "${lines[0]}" = "officer,name,dept,loc,group,rank,placed,resolved,disposal,n,sat,old,old_sat,forced,unattended,escalated,pending,overdue,score,grade,resolved_per_placed" ]
	[ "$(echo "${lines[1]}" | cut -d, -f1,7-9,17,21)" = "EN-JE-B1,2,3,75.00,1,150.00" ]
}
