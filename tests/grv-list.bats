#!/usr/bin/env bats
# grv-list: the state fold shown as CSV, its filters, any past --now, and
# the same answers from sealed .csv.gz segments.

load test_helper
load fixtures/life-helper

HDR="id,status,level,dept,officer,loc,district,registered,due,age_days,category,channel"
T1=2026-11-03T11:00
T2=2026-11-04T09:00

# TS-1..TS-4 registered 11-02 10:00 and routed at 10:05 (TS-4, a road, with
# every PWD post vacant, stays new); then between T1 and T2: TS-1
# resolved, a note on TS-3, TS-5 registered, TS-2 transferred to EN, TS-1
# closed satisfied.
scenario() {
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-02T10:00 >/dev/null
	add_complaint REV-MUT D1-T1-B1 2026-11-02T10:00 >/dev/null
	add_complaint EN-BILL D2-T1-B1 2026-11-02T10:00 >/dev/null
	add_complaint PWD-ROAD D1-T2-B1 2026-11-02T10:00 >/dev/null
	cp "$GRV_DIR/masters/officers.csv" "$BATS_TEST_TMPDIR/officers.csv"
	sed -i 's/^\(PWD-[A-Z]*,.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
	grv-route --now 2026-11-02T10:05 >/dev/null 2>&1 || true
	cp "$BATS_TEST_TMPDIR/officers.csv" "$GRV_DIR/masters/officers.csv"
	grv-list --now "$T1" > "$BATS_TEST_TMPDIR/t1.before"
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00 >/dev/null
	grv-resolve TS-3 --now 2026-11-03T13:00 --officer EN-JE-D2 --interim \
		--reason "Bill sent for checking to the revenue section" >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-03T14:00 >/dev/null
	grv-route --now 2026-11-03T15:00 --transfer TS-2 --dept EN \
		--reason "Meter dispute, not a mutation" >/dev/null
	grv-feedback TS-1 --now 2026-11-04T08:00 --satisfied >/dev/null
}

setup() {
	grv_sandbox
	scenario
}

@test "the list shows every complaint's state at --now with the SPEC's columns" {
	run -0 grv-list --now "$T1"
	[ "$output" = "$HDR
TS-1,open,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-05T10:05:00+05:30,1,EN-SUPPLY,phone
TS-2,open,1,REV,REV-TEH-D1T1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-17T10:05:00+05:30,1,REV-MUT,phone
TS-3,open,1,EN,EN-JE-D2,D2-T1-B1,D2,2026-11-02T10:00:00+05:30,2026-11-09T10:05:00+05:30,1,EN-BILL,phone
TS-4,new,,,,D1-T2-B1,D1,2026-11-02T10:00:00+05:30,,1,PWD-ROAD,phone" ]
}

@test "a past --now reads the ledger as it was then, later rows ignored" {
	run -0 grv-list --now "$T1"
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/t1.before")" ]
}

@test "two --now values differ exactly as the events between them say" {
	grv-list --now "$T1" > "$BATS_TEST_TMPDIR/a"
	grv-list --now "$T2" > "$BATS_TEST_TMPDIR/b"
	run -1 diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	# The rows that changed, or appeared, are those of the complaints
	# that had a registration or an event between T1 and T2, but for the
	# note on TS-3 (an interim reply moves no column).
	changed=$(diff "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b" | grep '^>' | cut -d, -f1 | cut -c3- | sort -u | tr '\n' ' ')
	touched=$( (awk -F, 'NR > 1 && $2 > "2026-11-03T11:00" && $2 <= "2026-11-04T09:00" { print $1 }' "$GRV_DIR/ledger/complaints.csv"
		awk -F, 'NR > 1 && $1 > "2026-11-03T11:00" && $1 <= "2026-11-04T09:00" && $3 != "note" { print $2 }' "$GRV_DIR/ledger/events.csv") | sort -u | tr '\n' ' ')
	[ "$changed" = "$touched" ]
	[ "$changed" = "TS-1 TS-2 TS-5 " ]
	run -0 grep -c . "$BATS_TEST_TMPDIR/b"
	[ "$output" -eq 6 ]
	run -0 grep -E '^TS-(1|2|5),' "$BATS_TEST_TMPDIR/b"
	[ "$output" = "TS-1,closed,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-05T10:05:00+05:30,1,EN-SUPPLY,phone
TS-2,open,1,EN,EN-JE-B1,D1-T1-B1,D1,2026-11-02T10:00:00+05:30,2026-11-10T15:00:00+05:30,1,REV-MUT,phone
TS-5,new,,,,D1-T1-B1,D1,2026-11-03T14:00:00+05:30,,0,EN-SUPPLY,phone" ]
	# TS-3 and TS-4 did not move.
	[ "$(grep -E '^TS-(3|4),' "$BATS_TEST_TMPDIR/a")" = "$(grep -E '^TS-(3|4),' "$BATS_TEST_TMPDIR/b")" ]
}

@test "each moment between the events shows exactly the events up to it" {
	run -0 grv-list --now 2026-11-03T12:00 --status resolved
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == TS-1,resolved,* ]]
	run -0 grv-list --now 2026-11-03T11:59:59 --status resolved
	[ "$output" = "$HDR" ]
	run -0 grv-list --now 2026-11-03T13:59 --status new
	[ "${#lines[@]}" -eq 2 ]
	run -0 grv-list --now 2026-11-03T14:00 --status new
	[ "${#lines[@]}" -eq 3 ]
}

@test "reading the same ledger sealed into .csv.gz segments gives identical output" {
	for now in "$T1" "$T2" 2026-11-03T13:30; do
		grv-list --now "$now" > "$BATS_TEST_TMPDIR/plain.$now"
		grv-list --now "$now" --pii > "$BATS_TEST_TMPDIR/plainpii.$now"
	done
	grv-show TS-1 --now "$T2" > "$BATS_TEST_TMPDIR/show.plain"
	cd "$GRV_DIR/ledger"
	gzip -n -c complaints.csv > complaints-2026.csv.gz
	gzip -n -c events.csv > events-2026.csv.gz
	rm complaints.csv events.csv
	cd - >/dev/null
	for now in "$T1" "$T2" 2026-11-03T13:30; do
		run -0 grv-list --now "$now"
		[ "$output" = "$(cat "$BATS_TEST_TMPDIR/plain.$now")" ]
		run -0 grv-list --now "$now" --pii
		[ "$output" = "$(cat "$BATS_TEST_TMPDIR/plainpii.$now")" ]
	done
	run -0 grv-show TS-1 --now "$T2"
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/show.plain")" ]
}

@test "a ledger split into a sealed segment and a fresh live file reads the same" {
	grv-list --now "$T2" > "$BATS_TEST_TMPDIR/plain"
	grv-list --now "$T2" --pii > "$BATS_TEST_TMPDIR/plainpii"
	# Seal the first three rows of each ledger; the live file starts over
	# with its header and its own chain (SPEC section 3).
	python3 - "$GRV_DIR/ledger" <<'PY'
import gzip, sys, zlib
d = sys.argv[1]
for stem in ("complaints", "events"):
    lines = open(f"{d}/{stem}.csv", "rb").read().rstrip(b"\n").split(b"\n")
    hdr, rows = lines[0], lines[1:]
    def chain(rs):
        out, prev = [hdr], hdr
        for r in rs:
            body = r.rsplit(b",", 1)[0]
            crc = b"%08x" % (zlib.crc32(prev + body) & 0xFFFFFFFF)
            out.append(body + b"," + crc)
            prev = crc
        return b"\n".join(out) + b"\n"
    with gzip.open(f"{d}/{stem}-2026-a.csv.gz", "wb") as fh:
        fh.write(chain(rows[:3]))
    open(f"{d}/{stem}.csv", "wb").write(chain(rows[3:]))
PY
	chain_ok "$GRV_DIR"/ledger/*.csv "$GRV_DIR"/ledger/*.csv.gz
	run -0 grv-list --now "$T2"
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/plain")" ]
	run -0 grv-list --now "$T2" --pii
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/plainpii")" ]
}

@test "--status, --dept, --district, --officer and --level filter, and all must hold" {
	run -0 grv-list --now "$T2" --status open
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-2 TS-3 " ]
	run -0 grv-list --now "$T2" --status new,closed
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-1 TS-4 TS-5 " ]
	run -0 grv-list --now "$T2" --dept EN
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-1 TS-2 TS-3 " ]
	run -0 grv-list --now "$T1" --dept REV
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-2 " ]
	run -0 grv-list --now "$T2" --district D2
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-3 " ]
	run -0 grv-list --now "$T2" --district D1 --status open
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-2 " ]
	run -0 grv-list --now "$T2" --officer EN-JE-B1
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-1 TS-2 " ]
	run -0 grv-list --now "$T2" --officer EN-JE-B1 --status open
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-2 " ]
	run -0 grv-list --now "$T2" --level 1 --dept EN --district D1
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-1 TS-2 " ]
	run -0 grv-list --now "$T2" --level 2
	[ "$output" = "$HDR" ]
}

@test "--older DAYS keeps complaints registered more than DAYS days before --now" {
	run -0 grv-list --now 2026-11-09T10:00 --older 7
	[ "$output" = "$HDR" ]
	run -0 grv-list --now 2026-11-09T10:01 --older 7
	[ "$(echo "$output" | cut -d, -f1,10 | tr '\n' ' ')" = "id,age_days TS-1,7 TS-2,7 TS-3,7 TS-4,7 " ]
	run -0 grv-list --now 2026-11-10T14:01 --older 7
	[ "$(echo "$output" | cut -d, -f1,10 | tr '\n' ' ')" = "id,age_days TS-1,8 TS-2,8 TS-3,8 TS-4,8 TS-5,7 " ]
}

@test "--overdue keeps the open complaints past due at --now" {
	run -0 grv-list --now 2026-11-09T10:05 --overdue
	[ "$output" = "$HDR" ]
	run -0 grv-list --now 2026-11-09T10:06 --overdue
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-3 " ]
	run -0 grv-list --now 2026-11-10T15:01 --overdue
	[ "$(echo "$output" | cut -d, -f1 | tr '\n' ' ')" = "id TS-2 TS-3 " ]
	# A resolved complaint is not overdue, whatever its old due said.
	run -0 grv-list --now 2026-11-06T00:00 --overdue --officer EN-JE-B1
	[ "$output" = "$HDR" ]
}

@test "personal data appears only with --pii, escaped and formula-guarded" {
	grv-add --now 2026-11-05T10:00 --category EN-BILL --loc D1-T1-B1 \
		--name "=HYPERLINK(\"x\")" --phone +919812345678 \
		--text $'-5 units billed twice\nराम, please check' >/dev/null
	run -0 grv-list --now 2026-11-05T10:00 --status new
	[[ "$output" != *9812345678* ]]
	[[ "$output" != *HYPERLINK* ]]
	[[ "$output" != *"units billed"* ]]
	run -0 grv-list --now 2026-11-05T10:00 --status new --pii
	[ "${lines[0]}" = "$HDR,name,phone,text" ]
	run -0 grep '^TS-6,' <<< "$output"
	[ "$output" = "TS-6,new,,,,D1-T1-B1,D1,2026-11-05T10:00:00+05:30,,0,EN-BILL,phone,\"'=HYPERLINK(\"\"x\"\")\",9812345678,\"'-5 units billed twice\\nराम, please check\"" ]
}

@test "--pii lists the same complaints as without it" {
	run -0 grv-list --now "$T2" --pii --dept EN
	[ "$(echo "$output" | cut -d, -f1-12)" = "$(grv-list --now "$T2" --dept EN)" ]
}

@test "unknown codes in filters are bad input with a suggestion" {
	run -65 grv-list --now "$T2" --dept ENN
	[[ "$output" == *"unknown department 'ENN' (did you mean 'EN'?)"* ]]
	run -65 grv-list --now "$T2" --officer EN-JE-B7
	[[ "$output" == *"did you mean 'EN-JE-B"* ]]
	run -65 grv-list --now "$T2" --district D3
	[[ "$output" == *"unknown district 'D3'"* ]]
	run -65 grv-list --now "$T2" --district D1-T1
	[[ "$output" == *"'D1-T1' is a tehsil, not a district"* ]]
}

@test "bad filter values are usage errors" {
	run -64 grv-list --status pending
	[[ "$output" == *"unknown status 'pending'"* ]]
	run -64 grv-list --level 5
	run -64 grv-list --level x
	run -64 grv-list --older -3
	run -64 grv-list extra
}

@test "an empty data directory lists nothing" {
	rm -rf "$GRV_DIR/ledger"
	run -0 grv-list --now "$T2"
	[ "$output" = "$HDR" ]
}

@test "a damaged ledger is reported, not listed" {
	sed -i '4s/EN-BILL/EN-BILT/' "$GRV_DIR/ledger/complaints.csv"
	run -65 grv-list --now "$T2"
	[[ "$output" == *"ledger/complaints.csv:4"* ]]
}

@test "output to a full disk fails loudly" {
	run -74 bash -c 'grv-list --now 2026-11-04T09:00 > /dev/full'
}

@test "deleting cache/ changes nothing but speed" {
	for now in "$T2" "$T1" "$T2" 2026-11-03T13:30; do
		grv-list --now "$now" > "$BATS_TEST_TMPDIR/warm"
		rm -rf "$GRV_DIR/cache"
		run -0 grv-list --now "$now"
		[ "$output" = "$(cat "$BATS_TEST_TMPDIR/warm")" ]
	done
}

@test "--category and --channel filter, and every row names its category and channel" {
	grv-add --now 2026-11-04T10:00 --category EN-BILL --loc D1-T1-B1 --channel web \
		--name "Web Citizen" --phone 9816012399 --text "bill twice" >/dev/null	# TS-6
	run -0 grv-list --now "$T2" --category EN-SUPPLY
	[ "$(echo "$output" | cut -d, -f1,11,12 | tr '\n' ' ')" = "id,category,channel TS-1,EN-SUPPLY,phone TS-5,EN-SUPPLY,phone " ]
	run -0 grv-list --now 2026-11-05 --channel web
	[ "$(echo "$output" | cut -d, -f1,11,12 | tr '\n' ' ')" = "id,category,channel TS-6,EN-BILL,web " ]
	run -0 grv-list --now 2026-11-05 --channel web --category EN-SUPPLY
	[ "$output" = "$HDR" ]
	run -65 grv-list --now "$T2" --category EN-SUPPL
	[ "$output" = "grv-list: unknown category 'EN-SUPPL' (did you mean 'EN-SUPPLY'?)" ]
	run -64 grv-list --now "$T2" --channel fax
}
