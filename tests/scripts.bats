#!/usr/bin/env bats
# scripts/: the call-centre importer, the monthly grading publication and
# the crontab example (issue 9).

load test_helper

setup() {
	grv_sample_sandbox
	export PATH="$REPO_DIR/scripts:$PATH"
	export=$REPO_DIR/data/callcentre/export-2026-11-02.csv
}

# The sample state with the call centre's export of 2 November registered
# and routed at noon.
import_day() {
	import-callcentre "$export" |
		grv-add --batch - --now 2026-11-02T12:00 |
		grv-route - --now 2026-11-02T12:00
}

# xml_ok FILE: FILE parses as XML.
xml_ok() {
	python3 -c 'import xml.dom.minidom, sys; xml.dom.minidom.parse(sys.argv[1])' "$1"
}

@test "import-callcentre turns the export into grv-add --batch columns" {
	run -0 import-callcentre "$export"
	[ "${lines[0]}" = "registered,channel,category,loc,name,phone,text,ref" ]
	[ "${lines[1]}" = "2026-11-02T09:12,phone,EN-SUPPLY,SML-THEOG-B,Ram Lal,98160 12345,\"No electricity since Saturday, transformer burnt\",CALL-181-0001" ]
	[ "${lines[3]}" = "2026-11-02T10:05,phone,REV-MUTATION,MND,Suresh Kumar,09805522331,Mutation pending for 3 months,PSG-2026-0042" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "the day's export piped through grv-add and grv-route registers and places 3 complaints" {
	run -0 import_day
	[ "${lines[0]}" = "id,event,level,dept,officer,due" ]
	[ "${lines[1]}" = "HP-1,route,1,HPSEBL,HPSEBL-L1-SML-THEOG-B,2026-11-04T12:00:00+05:30" ]
	[ "${lines[2]}" = "HP-2,route,1,JSV,JSV-L1-KGR,2026-11-05T12:00:00+05:30" ]
	[ "${lines[3]}" = "HP-3,route,1,REV,REV-L1-MND,2026-11-21T12:00:00+05:30" ]
	[ "$(rows complaints)" -eq 3 ]
	[ "$(rows events)" -eq 3 ]
	# Registered at the time of the call, Hindi and quotes intact.
	run -0 grv-show HP-2 --now 2026-11-02T12:00
	[[ "$output" == *"Registered: 2026-11-02 09:40 by phone"* ]]
	[[ "$output" == *'पिछले तीन दिनों से पानी नहीं आ रहा, "टंकी" खाली है'* ]]
	[[ "$output" == *"Citizen:    कमला देवी, 9418011111"* ]]
	chain_ok "$GRV_DIR/ledger/complaints.csv" "$GRV_DIR/ledger/events.csv"
}

@test "import-callcentre reads an Excel export with a BOM and CR-LF from standard input" {
	printf '\xef\xbb\xbf%s\r\n' "$(head -1 "$export")" > "$BATS_TEST_TMPDIR/x.csv"
	sed -n 2p "$export" | sed 's/$/\r/' >> "$BATS_TEST_TMPDIR/x.csv"
	run -0 import-callcentre - < "$BATS_TEST_TMPDIR/x.csv"
	[ "${lines[0]}" = "registered,channel,category,loc,name,phone,text,ref" ]
	[[ "${lines[1]}" == "2026-11-02T09:12,phone,EN-SUPPLY,"*",CALL-181-0001" ]]
}

@test "import-callcentre skips a row without its values, names its line and exits 65" {
	{ cat "$export"; echo '181-0004,02-11-2026,11:00,,9816000000,SML,EN-SUPPLY,No light,'; } \
		> "$BATS_TEST_TMPDIR/x.csv"
	run -65 --separate-stderr import-callcentre "$BATS_TEST_TMPDIR/x.csv"
	[ "${#lines[@]}" -eq 4 ]
	[[ "$stderr" == *"x.csv:5: empty name; row skipped"* ]]
}

@test "a bad category in the export is refused by grv-add with a suggestion, nothing added" {
	sed 's/JSV-NOWATER/JSV-NOWATR/' "$export" > "$BATS_TEST_TMPDIR/x.csv"
	run -65 --separate-stderr grv-add --batch - --now 2026-11-02T12:00 \
		< <(import-callcentre "$BATS_TEST_TMPDIR/x.csv")
	[[ "$stderr" == *"unknown category 'JSV-NOWATR' (did you mean 'JSV-NOWATER'?)"* ]]
	[ ! -s "$GRV_DIR/ledger/complaints.csv" ]
}

@test "monthly-grading writes the month's CSV with a BOM and an SVG bar per graded department" {
	import_day >/dev/null
	out=$BATS_TEST_TMPDIR/out
	run -0 monthly-grading -d "$GRV_DIR" -m 2026-11 -o "$out"
	[ "${lines[0]}" = "$out/grading-2026-11.csv" ]
	[ "${lines[1]}" = "$out/grading-2026-11.svg" ]
	csv=$out/grading-2026-11.csv
	svg=$out/grading-2026-11.svg
	[ "$(head -c 3 "$csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	[ "$(head -1 "$csv" | tail -c +4)" = "dept,name,group,rank,n,sat,old,old_sat,forced,unattended,score,grade" ]
	# Exactly what grv-report says for November, recomputed as of 1 December.
	grv-report grading --now 2026-12-01 --from 2026-11-01 --to 2026-12-01 \
		--format csv --bom | cmp - "$csv"
	[ "$(tail -n +2 "$csv" | wc -l)" -eq 3 ]
	xml_ok "$svg"
	[ "$(grep -c '<rect class="bar"' "$svg")" -eq 3 ]
	[ ! -e "$csv.tmp" ] && [ ! -e "$svg.tmp" ]
}

@test "monthly-grading charts a generated state: one bar per CSV row, valid XML" {
	rm -rf "$GRV_DIR"
	grv-gen -d "$GRV_DIR" --masters "$REPO_DIR/data/sample" -n 1500 --months 2 \
		--now 2026-12-01 >/dev/null
	out=$BATS_TEST_TMPDIR/out
	run -0 monthly-grading -d "$GRV_DIR" -m 2026-11 -o "$out"
	n=$(tail -n +2 "$out/grading-2026-11.csv" | wc -l)
	[ "$n" -gt 20 ]
	xml_ok "$out/grading-2026-11.svg"
	[ "$(grep -c '<rect class="bar"' "$out/grading-2026-11.svg")" -eq "$n" ]
}

@test "monthly-grading refuses a malformed month with exit 64" {
	run -64 monthly-grading -d "$GRV_DIR" -m 2026-13x -o "$BATS_TEST_TMPDIR/out"
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
}

@test "scripts/crontab.example schedules the grv-escalate sweep" {
	[ -f "$REPO_DIR/scripts/crontab.example" ]
	run -0 grep -E '^[^#].*grv-escalate' "$REPO_DIR/scripts/crontab.example"
	# A five-field schedule before it.
	[[ "${lines[0]}" =~ ^[0-9*/,-]+\ +[0-9*/,-]+\ +[0-9*/,-]+\ +[0-9*/,-]+\ +[0-9*/,-]+\  ]]
}
