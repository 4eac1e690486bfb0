#!/usr/bin/env bats
# Masters that change over time (issue 16): an officer deleted from
# masters/officers.csv though old ledger rows name it is shown by its code,
# with one warning a program, never a fatal error; grv-check names it and
# exits 0; no writer writes it.  The right way, active = 0, is in
# grv-ledger(5).

load test_helper

setup() {
	grv_sandbox
}

N=2026-11-20
WARN="ledger/events.csv:2: officer 'EN-JE-B1' is no longer in masters/officers.csv (retire with active = 0)"

# Two complaints with EN-JE-B1, one resolved by it; then its row deleted.
retire_by_deleting() {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	grv-route --now 2026-11-02T10:00 >/dev/null
	grv-resolve --now 2026-11-03T10:00 TS-2 --officer EN-JE-B1 \
		--reason "replaced the fuse" --ref L1 >/dev/null
	grv-list --now "$N" >/dev/null	# a cache/ of the masters before
	sed -i '/^EN-JE-B1,/d' "$GRV_DIR/masters/officers.csv"
}

@test "an officer deleted from the masters: reports, lists and the sweep still work, by its code, with one warning each" {
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 >/dev/null
	grv-route --now 2026-11-02T10:00 >/dev/null
	grv-resolve --now 2026-11-03T10:00 TS-2 --officer EN-JE-B1 \
		--reason "replaced the fuse" --ref L1 >/dev/null
	grading=$(grv-report grading --now $N)
	list=$(grv-list --now $N)
	sweep=$(grv-escalate --now $N --dry-run)
	sed -i '/^EN-JE-B1,/d' "$GRV_DIR/masters/officers.csv"
	# The same figures as while it was listed.
	run --separate-stderr -0 grv-report grading --now $N
	[ "$output" = "$grading" ]
	[ "$stderr" = "grv-report: $WARN" ]
	run --separate-stderr -0 grv-list --now $N
	[ "$output" = "$list" ]
	[ "$stderr" = "grv-list: $WARN" ]
	run --separate-stderr -0 grv-escalate --now $N --dry-run
	[ "$output" = "$sweep" ]
	[ "$stderr" = "grv-escalate: $WARN" ]
	# Under its code, with what the ledger says of it.
	run --separate-stderr -0 grv-report officers --now $N
	[ "${lines[1]}" = "EN-JE-B1,,EN,D1-T1-B1,3,1,2,1,50.00,2,0,0,0,0,1,0,1,1,35.00,D,50.00" ]
	[ "$stderr" = "grv-report: $WARN" ]
	# The sweep itself, not only its dry run: TS-1 climbs from it.
	run --separate-stderr -0 grv-escalate --now $N
	[ "${lines[1]}" = "TS-1,escalate,1,2,EN,EN-EE-T1,2026-11-23T00:00:00+05:30,overdue" ]
}

@test "grv-show names an officer deleted from the masters by its code" {
	retire_by_deleting
	run --separate-stderr -0 grv-show TS-2 --now $N
	[[ "$output" == *"officer: EN-JE-B1 (no longer in masters/officers.csv)"* ]]
	[[ "$output" == *"resolved by EN-JE-B1 (no longer in masters/officers.csv)"* ]]
	[ "$stderr" = "grv-show: $WARN" ]
}

@test "grv-check names an officer deleted from the masters once, as a warning, and exits 0" {
	retire_by_deleting
	run -0 grv-check
	[ "${lines[0]}" = "ledger/events.csv:2: warning: officer 'EN-JE-B1' is no longer in masters/officers.csv (retire with active = 0)" ]
	[ "${lines[1]}" = "checked 2 ledger files, 5 rows: 0 findings, 0 repaired" ]
	[ "${lines[2]}" = "1 warning, not damage" ]
	[ "${#lines[@]}" -eq 3 ]
}

@test "no writer writes an officer the masters no longer list" {
	retire_by_deleting
	before=$(ledger_sum)
	run -65 grv-resolve --now $N TS-1 --officer EN-JE-B1 \
		--reason "replaced the fuse" --ref L2
	[[ "$output" == *"unknown officer 'EN-JE-B1'"* ]]
	assert_unchanged "$before"
}

@test "an officer deleted from the masters: with cache/ and without, the same output" {
	retire_by_deleting
	for cmd in "grv-report officers" "grv-list" "grv-show TS-2" \
		"grv-escalate --dry-run" "grv-report sla"; do
		# cache/ as the last program left it (saved before the
		# deletion, the first time), then none.
		run --separate-stderr $cmd --now $N
		warm="$status|$output|$stderr"
		rm -rf "$GRV_DIR/cache"
		run --separate-stderr $cmd --now $N
		[ "$status|$output|$stderr" = "$warm" ]
	done
}

# sql_import: the ledgers and masters as scripts/bench/run imports them
# for SQLite, into $BATS_TEST_TMPDIR/db.
sql_import() {
	rm -f "$BATS_TEST_TMPDIR/db"
	sqlite3 "$BATS_TEST_TMPDIR/db" \
		".import --csv $GRV_DIR/ledger/complaints.csv complaints" \
		".import --csv $GRV_DIR/ledger/events.csv events" \
		".import --csv $GRV_DIR/masters/departments.csv departments" \
		".import --csv $GRV_DIR/masters/categories.csv categories" \
		".import --csv $GRV_DIR/masters/holidays.csv holidays"
}

# sql_grading NOW WORKING: the bench's SQLite grading of November 2026 at
# NOW (scripts/bench/grading.sqlite.sql, with the parameters
# scripts/bench/run gives it), on stdout.
sql_grading() {
	local from u now
	from=$(date -d 2026-11-01T00:00:00+05:30 +%s)
	now=$(date -d "$1" +%s)
	u=$(( $(date -d 2026-12-01T00:00:00+05:30 +%s) - 1 ))
	[ "$now" -lt "$u" ] && u=$now
	sed -e "s/\${FROM}/$from/g; s/\${U}/$u/g; s/\${OLD}/$((50 * 86400))/g" \
		-e 's/\${W_SAT}/6000/g; s/\${W_OLD}/2000/g; s/\${W_FORCED}/1000/g' \
		-e 's/\${W_UNATT}/1000/g; s/\${GA}/8000/g; s/\${GB}/7000/g' \
		-e 's/\${GC}/6000/g; s/\${G1}/10000/g; s/\${G2}/2000/g; s/\${SLA}/7/g' \
		-e "s/\${TZ}/19800/g; s/\${WORKING}/$2/g; s/\${WEEKEND}/1/g" \
		"$REPO_DIR/scripts/bench/grading.sqlite.sql" >"$BATS_TEST_TMPDIR/q.sql"
	! grep -q '\${' "$BATS_TEST_TMPDIR/q.sql"
	sqlite3 -csv -header "$BATS_TEST_TMPDIR/db" ".read $BATS_TEST_TMPDIR/q.sql"
}

@test "a post vacant at every level: the complaint stays new, is listed, and grading counts it for its category's department" {
	# TS-1 placed (EN-JE-B1, due 11-04 10:00); then every post vacant.
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-01T10:00 >/dev/null
	grv-route --now 2026-11-01T10:00 >/dev/null
	sed -i 's/^\(.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
	add_complaint PWD-ROAD D1-T1-B1 2026-11-02T10:00 >/dev/null
	add_complaint EN-BRIBE D2-T1-B1 2026-11-03T09:00 >/dev/null
	add_complaint REV-DEMARC D1-T2 2026-11-04T18:00 >/dev/null
	add_complaint REV-MUT D1-T1 2026-11-05T12:00 >/dev/null
	run -1 --separate-stderr grv-route --now 2026-11-05T13:00
	[ "$output" = "id,event,level,dept,officer,due" ]
	[[ "$stderr" == *"TS-2: no active officer of PWD at level 1 or any level above for D1-T1-B1 or above; left new"* ]]
	run -0 grv-list --now 2026-11-06 --status new
	[ "${#lines[@]}" -eq 5 ]
	[ "${lines[1]}" = "TS-2,new,,,,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,,3,PWD-ROAD,phone" ]
	# PWD: its due as if placed at registration, 7 days (the conf's):
	# 11-09 10:00.  Not yet unattended: 0 + 20 + 10 + 10.
	run -0 grv-report grading --now 2026-11-09T09:00 --dept PWD
	[ "${lines[1]}" = 'PWD,"Public Works, Roads",3,2,1,0,0,0,0,0,40.00,D' ]
	# Past it: unattended, 0 + 20 + 10 + 0.
	run -0 grv-report grading --now 2026-11-09T11:00 --dept PWD
	[ "${lines[1]}" = 'PWD,"Public Works, Roads",3,3,1,0,0,0,0,1,30.00,D' ]
	# The bench's SQL says the same, on either calendar, at times around
	# each would-be due (EN-BRIBE: level 3's 10 days; REV-DEMARC 30; REV-MUT
	# its department's 15).
	sql_import
	for cal in calendar working; do
		sed -i "s/^calendar = .*/calendar = $cal/" "$GRV_DIR/grv.conf"
		w=0; [ $cal = working ] && w=1
		for now in 2026-11-09T09:00 2026-11-09T11:00 2026-11-13T08:00 \
			2026-11-16T10:00 2026-11-21T13:00 2026-12-05T00:00; do
			now=$now:00+05:30	# for date(1) in sql_grading too
			grv-report grading --now "$now" --from 2026-11-01 --to 2026-12-01 \
				>"$BATS_TEST_TMPDIR/grv.csv"
			sql_grading "$now" "$w" >"$BATS_TEST_TMPDIR/sql.csv"
			echo "# $cal $now" >&2
			diff "$BATS_TEST_TMPDIR/grv.csv" "$BATS_TEST_TMPDIR/sql.csv"
		done
	done
	# At the end of the month, on working days.
	run -0 grv-report grading --now 2026-12-05 --from 2026-11-01 --to 2026-12-01
	# REV: REV-MUT past its 15 days, REV-DEMARC not past its 30; EN: TS-1
	# (placed, ignored) and EN-BRIBE (level 3's 10 days).
	[ "$output" = 'dept,name,group,rank,n,sat,old,old_sat,forced,unattended,score,grade
REV,Revenue,3,1,2,0,0,0,0,1,35.00,D
EN,Energy,3,2,2,0,0,0,0,2,30.00,D
PWD,"Public Works, Roads",3,3,1,0,0,0,0,1,30.00,D' ]
}

@test "a location deleted from the masters: lists, grv-show, reports, the sweep and grv-check read on by its code, with one warning" {
	# TS-1 at block D1-T1-B2 (its JE inactive: the tehsil's took it),
	# TS-2 there too, never placed; then the block and its JE deleted.
	add_complaint EN-SUPPLY D1-T1-B2 2026-11-02T10:00 >/dev/null
	grv-route --now 2026-11-02T10:00 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B2 2026-11-02T11:00 >/dev/null
	grading=$(grv-report grading --now $N)
	sed -i '/^D1-T1-B2,/d' "$GRV_DIR/masters/locations.csv"
	sed -i '/^EN-JE-B2,/d' "$GRV_DIR/masters/officers.csv"
	warn="ledger/complaints.csv:2: location 'D1-T1-B2' is no longer in masters/locations.csv (keep its row: the ledger names it)"
	run --separate-stderr -0 grv-list --now $N
	[ "$stderr" = "grv-list: $warn" ]
	# Its code, and no district: the masters no longer say where it lies.
	[ "${lines[1]}" = "TS-1,open,1,EN,EN-JE-T1,D1-T1-B2,,2026-11-02T10:00:00+05:30,2026-11-05T10:00:00+05:30,17,EN-SUPPLY,phone" ]
	[ "${lines[2]}" = "TS-2,new,,,,D1-T1-B2,,2026-11-02T11:00:00+05:30,,17,EN-SUPPLY,phone" ]
	run --separate-stderr -0 grv-show TS-1 --now $N
	[[ "$output" == *"Place:      (no longer in masters/locations.csv)  [D1-T1-B2]"* ]]
	run --separate-stderr -0 grv-report grading --now $N
	[ "$output" = "$grading" ]
	[ "$stderr" = "grv-report: $warn" ]
	# No officer is over a place the masters do not know: it stays, said.
	run --separate-stderr -1 grv-escalate --now $N --dry-run
	[[ "$stderr" == "grv-escalate: $warn"*"TS-1: no active officer of EN at level 2 for D1-T1-B2 or above; stays at level 1"* ]]
	run -0 grv-check
	[ "${lines[0]}" = "${warn/:2: /:2: warning: }" ]
	before=$(ledger_sum)
	run -65 grv-add --now $N --category EN-SUPPLY --loc D1-T1-B2 --name X \
		--phone 9876543210 --text t
	[[ "$output" == *"--loc: unknown location 'D1-T1-B2'"* ]]
	assert_unchanged "$before"
	# Warm and cold alike.
	run --separate-stderr grv-list --now $N
	warm="$status|$output|$stderr"
	rm -rf "$GRV_DIR/cache"
	run --separate-stderr grv-list --now $N
	[ "$status|$output|$stderr" = "$warm" ]
}

@test "the sweep climbs over a vacant level to the next that has an officer, and the row's note says why" {
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:00 >/dev/null
	grv-route --now 2026-11-02T10:00 >/dev/null
	# Level 2 of EN over D1-T1-B1 is EN-EE-T1 alone: the post falls vacant.
	sed -i 's/^\(EN-EE-T1,.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
	grep -q '^EN-EE-T1,.*,0$' "$GRV_DIR/masters/officers.csv"
	run -0 grv-escalate --now $N --dry-run
	[[ "${lines[1]}" == TS-1,escalate,1,3,EN,EN-SE-D1,*,overdue ]]
	run -0 grv-escalate --now $N
	[[ "${lines[1]}" == TS-1,escalate,1,3,EN,EN-SE-D1,*,overdue ]]
	row=$(tail -n 1 "$GRV_DIR/ledger/events.csv")
	[[ "$row" == *",TS-1,escalate,3,EN,EN-SE-D1,"* ]]
	[[ "$row" == *"vacant post: no active officer of EN at level 2 for D1-T1-B1 or above; placed at level 3"* ]]
	chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check --now $N
	run -0 grv-list --now $N
	warm=$output
	rm -rf "$GRV_DIR/cache"
	run -0 grv-list --now $N
	[ "$output" = "$warm" ]
	[[ "${lines[1]}" == TS-1,open,3,EN,EN-SE-D1,* ]]
	# Vacant at every level above: it stays, said, exit 1.
	sed -i 's/^\(EN-SE-D1,.*\),1$/\1,0/; s/^\(EN-CE,.*\),1$/\1,0/' \
		"$GRV_DIR/masters/officers.csv"
	add_complaint EN-SUPPLY D1-T1-B1 $N >/dev/null
	grv-route --now $N >/dev/null
	run --separate-stderr -1 grv-escalate --now 2026-12-31 --dry-run
	[[ "$stderr" == *"TS-2: no active officer of EN at level 2 for D1-T1-B1 or above; stays at level 1"* ]]
}

# A department and a category deleted from the masters (issue 16): six
# complaints at Theog Block, TS-1 open and TS-2 closed in PWD (PWD-ROAD),
# TS-3 open and TS-4 closed in EN-BILL, TS-5 transferred from EN to PWD,
# TS-6 open in EN; a cache/ of the masters before.
gone_ledger() {
	local c
	for c in PWD-ROAD PWD-ROAD EN-BILL EN-BILL EN-SUPPLY EN-SUPPLY; do
		add_complaint $c D1-T1-B1 2026-11-02T10:00 >/dev/null
	done
	grv-route --now 2026-11-02T10:05 >/dev/null
	grv-resolve TS-2 --now 2026-11-03T10:00 --officer PWD-EE \
		--reason "road repaired under rule 5" --ref L1 >/dev/null
	grv-feedback TS-2 --now 2026-11-03T12:00 --satisfied >/dev/null
	grv-resolve TS-4 --now 2026-11-03T12:30 --officer EN-JE-B1 \
		--reason "bill corrected under rule 5" --ref L2 >/dev/null
	grv-feedback TS-4 --now 2026-11-03T12:40 --satisfied >/dev/null
	grv-route --now 2026-11-03T13:00 --transfer TS-5 --dept PWD \
		--reason "road, not supply" >/dev/null
	cp "$TESTS_DIR/fixtures/notify/templates.csv" "$GRV_DIR/masters/"
	grv-list --now 2026-11-08 >/dev/null
}

# Every reader, at --now 2026-11-08 (nothing of PWD past its due yet).
GONE_N=2026-11-08
gone_readers() {
	cat <<CMDS
grv-check
grv-list --now $GONE_N
grv-list --now $GONE_N --dept PWD
grv-list --now $GONE_N --category PWD-ROAD
grv-list --now $GONE_N --category EN-BILL
grv-show TS-1 --now $GONE_N
grv-show TS-3 --now $GONE_N
grv-escalate --now $GONE_N --dry-run
grv-notify --now $GONE_N --dry-run
CMDS
	for k in grading officers districts pending sla trend mapping feedback \
		verification gaming; do
		echo "grv-report $k --now $GONE_N"
	done
	echo "grv-report callbacks --sample 3 --seed 7 --now $GONE_N"
	echo "grv-report review --district D1 --now $GONE_N"
}

# gone_snap FILE: each reader's command, output, warnings and exit status.
gone_snap() {
	local c
	: >"$1"
	while read -r c; do
		printf '== %s\n' "$c" >>"$1"
		$c >>"$1" 2>"$BATS_TEST_TMPDIR/err" && set -- "$1" 0 || set -- "$1" $?
		sed 's/^/stderr: /' "$BATS_TEST_TMPDIR/err" >>"$1"
		printf 'exit %s\n' "$2" >>"$1"
	done < <(gone_readers)
}

# gone_snaps CMD...: gone_ledger; every reader's snapshot in $before;
# CMD (the masters edited); the snapshots $warm, then $cold without
# cache/: the same, and every reader exited 0.
gone_snaps() {
	gone_ledger
	before=$BATS_TEST_TMPDIR/before warm=$BATS_TEST_TMPDIR/warm
	cold=$BATS_TEST_TMPDIR/cold
	gone_snap "$before"
	"$@"
	gone_snap "$warm"
	rm -rf "$GRV_DIR/cache"
	gone_snap "$cold"
	diff "$warm" "$cold"
	[ "$(grep -c '^exit ' "$warm")" = "$(grep -c '^exit 0$' "$warm")" ]
}

# gone_out FILE CMD: what CMD printed on stdout in snapshot FILE.
gone_out() {
	awk -v c="== $2" '$0 == c { on = 1; next } /^== / { on = 0 }
		on && !/^stderr: / && !/^exit / { print }' "$1"
}

@test "a department deleted from the masters: every reader exits 0 with the same figures under its code and one warning, warm and cold" {
	# The department merged away: its row, its categories, its officers.
	gone_snaps sed -i '/^PWD/d' "$GRV_DIR/masters/departments.csv" \
		"$GRV_DIR/masters/categories.csv" "$GRV_DIR/masters/officers.csv"
	# A warning once a code, at the row that first names it.
	run -0 grv-check
	[ "${lines[0]}" = "ledger/complaints.csv:2: warning: category 'PWD-ROAD' is no longer in masters/categories.csv (keep its row: the ledger names it)" ]
	[ "${lines[2]}" = "ledger/events.csv:2: warning: department 'PWD' is no longer in masters/departments.csv (keep its row: the ledger names it)" ]
	[ "${lines[4]}" = "3 warnings, not damage" ]
	run --separate-stderr -0 grv-list --now $GONE_N
	[ "${stderr_lines[1]}" = "grv-list: ledger/events.csv:2: department 'PWD' is no longer in masters/departments.csv (keep its row: the ledger names it)" ]
	# Lists and the sweep: as before, byte for byte.
	for c in "grv-list --now $GONE_N" "grv-list --now $GONE_N --dept PWD" \
		"grv-list --now $GONE_N --category PWD-ROAD" \
		"grv-escalate --now $GONE_N --dry-run"; do
		[ -n "$(gone_out "$warm" "$c")" ]
		[ "$(gone_out "$warm" "$c")" = "$(gone_out "$before" "$c")" ]
	done
	[ "$(gone_out "$warm" "grv-list --now $GONE_N --dept PWD" | cut -d, -f1 | tr '\n' ' ')" = "id TS-1 TS-2 TS-5 " ]
	# Reports: the same figures, the department by its code, no name.
	for k in grading officers districts pending sla trend mapping feedback \
		verification gaming "callbacks --sample 3 --seed 7" "review --district D1"; do
		c="grv-report $k --now $GONE_N"
		[ -n "$(gone_out "$warm" "$c")" ]
		[ "$(gone_out "$warm" "$c")" = "$(gone_out "$before" "$c" |
			sed 's/"Public Works, Roads"//; s/लोक निर्माण विभाग//;
			     s/"Potholes, road damaged",PWD,/,,/')" ]
	done
	[[ "$(gone_out "$warm" "grv-report grading --now $GONE_N")" == *"
PWD,,3,"* ]]
	# grv-show names it, grv-notify writes its code.
	[[ "$(gone_out "$warm" "grv-show TS-1 --now $GONE_N")" == "TS-1  (no longer in masters/categories.csv)  [PWD-ROAD]"*"Department: PWD (no longer in masters/departments.csv)"*"routed to PWD (no longer in masters/departments.csv), level 2"* ]]
	[[ "$(gone_out "$warm" "grv-notify --now $GONE_N --dry-run")" == *",RC TS-1 PWD 09-11-2026 10:05,"* ]]
	# Past the due no officer of PWD is left to climb to: said, exit 1
	# (grv-route --transfer moves them to a department that is).
	run --separate-stderr -1 grv-escalate --now 2026-11-20 --dry-run
	[[ "$stderr" == *"TS-1: no active officer of PWD at level 3 for D1-T1-B1 or above; stays at level 2"* ]]
	run --separate-stderr -0 grv-route --now 2026-11-20 --transfer TS-1 --dept EN --reason "PWD merged"
	[ "${lines[1]}" = "TS-1,transfer,2,EN,EN-EE-T1,2026-11-27T00:00:00+05:30" ]
	run -0 grv-check
	# No writer names it again.
	before=$(ledger_sum)
	run -65 grv-route --now 2026-11-20 --transfer TS-6 --dept PWD --reason x
	[[ "$output" == *"unknown department 'PWD'"* ]]
	run -65 grv-add --now 2026-11-20 --category PWD-ROAD --loc D1-T1-B1 \
		--name X --phone 9876543210 --text t
	[[ "$output" == *"--category: unknown category 'PWD-ROAD'"* ]]
	assert_unchanged "$before"
}

@test "a category deleted from the masters: every reader exits 0 with one warning, warm and cold; grv-add still refuses it" {
	gone_snaps sed -i '/^EN-BILL,/d' "$GRV_DIR/masters/categories.csv"
	run -0 grv-check
	[ "$output" = "ledger/complaints.csv:4: warning: category 'EN-BILL' is no longer in masters/categories.csv (keep its row: the ledger names it)
checked 2 ledger files, 19 rows: 0 findings, 0 repaired
1 warning, not damage" ]
	# Everything keyed by department is as it was: EN-BILL's complaints
	# are EN's by their placement.
	for c in "grv-list --now $GONE_N" "grv-list --now $GONE_N --category EN-BILL" \
		"grv-escalate --now $GONE_N --dry-run" "grv-report grading --now $GONE_N" \
		"grv-report pending --now $GONE_N" "grv-report sla --now $GONE_N" \
		"grv-report feedback --now $GONE_N" "grv-report trend --now $GONE_N" \
		"grv-report verification --now $GONE_N" \
		"grv-report callbacks --sample 3 --seed 7 --now $GONE_N"; do
		[ -n "$(gone_out "$warm" "$c")" ]
		[ "$(gone_out "$warm" "$c")" = "$(gone_out "$before" "$c")" ]
	done
	# Mapping: its row by its code, no name, no department.
	[[ "$(gone_out "$warm" "grv-report mapping --now $GONE_N")" == *"
EN-BILL,,,2,0,0,0.00,,0"* ]]
	[[ "$(gone_out "$warm" "grv-show TS-3 --now $GONE_N")" == "TS-3  (no longer in masters/categories.csv)  [EN-BILL]"*"Department: Energy"* ]]
	# The sweep climbs it as before; a writer acts on it as before.
	run -0 grv-escalate --now 2026-11-20
	[[ "$output" == *"TS-3,escalate,1,2,EN,EN-EE-T1,"* ]]
	run -0 grv-resolve TS-3 --now 2026-11-21 --officer EN-EE-T1 \
		--reason "bill corrected under rule 5" --ref L3
	run -0 grv-check
	before=$(ledger_sum)
	run -65 grv-add --now 2026-11-21 --category EN-BILL --loc D1-T1-B1 \
		--name X --phone 9876543210 --text t
	[[ "$output" == *"--category: unknown category 'EN-BILL'"* ]]
	run -65 grv-amend TS-6 --now 2026-11-21 --category EN-BILL --reason typo
	assert_unchanged "$before"
}

@test "a complaint never placed whose category was deleted stays new: grv-route says why, exit 1, until grv-amend gives it a category" {
	add_complaint EN-BILL D1-T1-B1 2026-11-02T10:00 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:00 >/dev/null
	sed -i '/^EN-BILL,/d' "$GRV_DIR/masters/categories.csv"
	before=$(ledger_sum)
	run --separate-stderr -1 grv-route --now 2026-11-02T10:05
	[ "${stderr_lines[1]}" = "grv-route: TS-1: category 'EN-BILL' is no longer in masters/categories.csv: no department to route it to; left new (grv-amend --category corrects it)" ]
	[ "${lines[1]}" = "TS-2,route,1,EN,EN-JE-B1,2026-11-05T10:05:00+05:30" ]
	[ "${#lines[@]}" = 2 ]
	# Listed as new; counted for no department (the masters no longer
	# say which it belonged to).
	run --separate-stderr -0 grv-list --now 2026-11-03 --status new
	[[ "${lines[1]}" == TS-1,new,,,,D1-T1-B1,D1,*,EN-BILL,phone ]]
	run --separate-stderr -0 grv-report grading --now 2026-11-03
	[ "$output" = "dept,name,group,rank,n,sat,old,old_sat,forced,unattended,score,grade
EN,Energy,3,1,1,0,0,0,0,0,40.00,D" ]
	run -0 grv-export open311 "$BATS_TEST_TMPDIR/feed" --now 2026-11-03
	run -0 grv-amend TS-1 --now 2026-11-03 --category EN-SUPPLY --reason "category retired"
	run --separate-stderr -0 grv-route --now 2026-11-03T00:05
	[ "${lines[1]}" = "TS-1,route,1,EN,EN-JE-B1,2026-11-06T00:05:00+05:30" ]
	run -0 grv-check
}

@test "grv-report --dept takes a department only old rows name, as grv-list --dept does, warm and cold; a code nothing names is still refused" {
	local k c
	gone_ledger
	kinds=(grading officers districts pending sla trend mapping feedback
		verification gaming "callbacks --sample 3 --seed 7")
	for k in "${kinds[@]}"; do
		grv-report $k --now $GONE_N --dept PWD > "$BATS_TEST_TMPDIR/before-${k%% *}"
	done
	sed -i '/^PWD/d' "$GRV_DIR/masters/departments.csv" \
		"$GRV_DIR/masters/categories.csv" "$GRV_DIR/masters/officers.csv"
	for c in warm cold; do
		[ "$c" = cold ] && rm -rf "$GRV_DIR/cache"
		for k in "${kinds[@]}"; do
			run --separate-stderr -0 grv-report $k --now $GONE_N --dept PWD
			# the same figures, the department by its code, no
			# name; mapping's row of a category the masters no
			# longer list names no department, so none keeps it
			[ "$output" = "$(sed 's/"Public Works, Roads"//; s/लोक निर्माण विभाग//;
				/^PWD-ROAD,"Potholes, road damaged",PWD,/d' "$BATS_TEST_TMPDIR/before-${k%% *}")" ] ||
				{ echo "$k ($c):"; diff <(echo "$output") "$BATS_TEST_TMPDIR/before-${k%% *}"; false; }
			[[ "$stderr" == *"department 'PWD' is no longer in masters/departments.csv"* ]]
		done
	done
	[[ "$(grv-report grading --now $GONE_N --dept PWD)" == *"
PWD,,3,"* ]]
	run --separate-stderr -0 grv-report pending --now $GONE_N --dept PWD --format table
	[[ "${lines[0]}" == *"department PWD"* ]]
	# A code neither the masters nor any row names: 65, nothing printed.
	for c in "grading" "pending" "gaming" "callbacks --sample 3"; do
		run --separate-stderr -65 grv-report $c --now $GONE_N --dept PWX
		[ "$output" = "" ]
		[[ "$stderr" == *"unknown department 'PWX'"* ]]
	done
	# Rows after --now are not read: a code they alone name is unknown.
	run --separate-stderr -65 grv-report grading --now 2026-11-02T10:01 --dept PWD
	[[ "$stderr" == *"unknown department 'PWD'"* ]]
}
