#!/usr/bin/env bats
# grv-feedback --rating (SPEC 7.2 rate) and --called (SPEC 7.3): the
# citizen's rating in the same append as the answer, grv-report feedback's
# mean and distribution, and the time of the call held between the resolve,
# the ledger's last row and now.  Rows compared byte for byte.

load test_helper
load fixtures/life-helper

setup() {
	grv_sandbox
	life_supply
	life_resolve TS-1 EN-JE-B1 2026-11-03T12:00 >/dev/null
}

# The last N rows of events.csv, the crc column cut off.
last_rows() {
	tail -n "$1" "$GRV_DIR/ledger/events.csv" | sed 's/,[0-9a-f]\{8\}$//'
}

@test "a rating is a rate row between the answer and its close or escalation" {
	run -0 grv-feedback TS-1 --now 2026-11-04T09:00 --satisfied --rating 5
	[ "$output" = "id,event,level,dept,officer,due
TS-1,feedback,1,EN,,
TS-1,rate,1,EN,,
TS-1,close,1,EN,," ]
	run -0 last_rows 3
	[ "$output" = "2026-11-04T09:00:00+05:30,TS-1,feedback,1,EN,,,tester,satisfied,,
2026-11-04T09:00:00+05:30,TS-1,rate,1,EN,,,tester,5,,
2026-11-04T09:00:00+05:30,TS-1,close,1,EN,,,tester,satisfied,," ]
	run -0 chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-show TS-1 --now 2026-11-04T09:00
	[[ "$output" == *"citizen's rating of the service: 5 of 5  [tester]"* ]]
	before=$(ledger_sum)
	run -64 grv-feedback TS-1 --satisfied --rating 6
	[ "${lines[0]}" = "grv-feedback: --rating: '6' is not a whole number from 1 to 5" ]
	run -64 grv-feedback TS-1 --satisfied --rating 0
	run -64 grv-feedback TS-1 --satisfied --rating 4.5
	run -64 grv-feedback TS-1 --unreachable --rating 3
	[ "${lines[0]}" = "grv-feedback: --rating goes with --satisfied or --unsatisfied" ]
	run -64 grv-feedback TS-1 --reopen --rating 3
	assert_unchanged "$before"
}

@test "grv-report feedback gives each department's ratings, their mean and distribution" {
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-03T12:00 >/dev/null
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-03T12:00 >/dev/null
	add_complaint REV-MUT D1-T1 2026-11-03T12:00 >/dev/null
	grv-route --now 2026-11-03T12:00 >/dev/null
	life_resolve TS-2 EN-JE-B1 2026-11-03T12:01 >/dev/null
	life_resolve TS-3 EN-JE-B1 2026-11-03T12:02 >/dev/null
	life_resolve TS-4 REV-TEH-D1T1 2026-11-03T12:03 >/dev/null
	grv-feedback TS-1 --now 2026-11-04T09:00 --satisfied --rating 5 >/dev/null
	grv-feedback TS-2 --now 2026-11-04T09:01 --unsatisfied --rating 2 >/dev/null
	grv-feedback TS-3 --now 2026-11-04T09:02 --satisfied --rating 4 >/dev/null
	grv-feedback TS-4 --now 2026-11-04T09:03 --satisfied --rating 3 >/dev/null
	# by hand: EN rated 5, 2, 4: mean 11/3 = 3.67; REV rated 3
	run -0 grv-report feedback --now 2026-11-20
	[ "$output" = "dept,name,resolved,satisfied,unsatisfied,unreachable,unverified,reopened,reopen_rate,rated,mean_rating,rating_1,rating_2,rating_3,rating_4,rating_5
EN,Energy,3,2,1,0,0,1,33.33,3,3.67,0,1,0,1,1
REV,Revenue,1,1,0,0,0,0,0.00,1,3.00,0,0,1,0,0" ]
	rm -rf "$GRV_DIR/cache"
	run -0 grv-report feedback --now 2026-11-20 --dept REV
	[ "${lines[1]}" = "REV,Revenue,1,1,0,0,0,0,0.00,1,3.00,0,0,1,0,0" ]
	run -0 grv-check
}

@test "grv-check refuses a rating out of range and one with no answer before it" {
	echo "2026-11-04T09:00:00+05:30,TS-1,rate,,,,,tester,4,," | append_rows
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:4: rate of 'TS-1' while resolved: a rating goes with a satisfied or unsatisfied answer" ]
	sed -i '$d' "$GRV_DIR/ledger/events.csv"
	grv-feedback TS-1 --now 2026-11-04T08:00 --satisfied >/dev/null
	echo "2026-11-04T09:00:00+05:30,TS-1,rate,,,,,tester,7,," | append_rows
	run -65 grv-check -q
	[ "$output" = "ledger/events.csv:6: bad rating '7' (expected 1 to 5)" ]
}

@test "--called stamps the answer with the call's time, between the resolve, the last row and now" {
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-05T09:00 --satisfied --called 2026-11-03T11:59
	[ "$output" = "grv-feedback: TS-1: --called 2026-11-03T11:59:00+05:30 is before the resolve it answers (2026-11-03T12:00:00+05:30)" ]
	run -65 grv-feedback TS-1 --now 2026-11-05T09:00 --satisfied --called 2026-11-05T09:01
	[ "$output" = "grv-feedback: TS-1: --called 2026-11-05T09:01:00+05:30 is after now (2026-11-05T09:00:00+05:30)" ]
	run -64 grv-feedback TS-1 --now 2026-11-05T09:00 --satisfied --called yesterday
	run -64 grv-feedback TS-1 --now 2026-11-05T09:00 --reopen --called 2026-11-04
	assert_unchanged "$before"
	# another complaint's row at 14:00: the call cannot be stamped before it
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-03T13:00 >/dev/null
	grv-route --now 2026-11-03T14:00 >/dev/null
	before=$(ledger_sum)
	run -65 grv-feedback TS-1 --now 2026-11-05T09:00 --unsatisfied --called 2026-11-03T13:59
	[ "$output" = "grv-feedback: TS-1: --called 2026-11-03T13:59:00+05:30 is before the last row of ledger/events.csv (2026-11-03T14:00:00+05:30): timestamps never go back" ]
	assert_unchanged "$before"
	# at the bound: every row of the append at the call's time, the new due from it
	run -0 grv-feedback TS-1 --now 2026-11-05T09:00 --unsatisfied --rating 1 --called 2026-11-03T14:00
	[ "${lines[3]}" = "TS-1,escalate,2,EN,EN-EE-T1,2026-11-06T14:00:00+05:30" ]
	run -0 last_rows 3
	[ "$output" = "2026-11-03T14:00:00+05:30,TS-1,feedback,1,EN,,,tester,unsatisfied,,
2026-11-03T14:00:00+05:30,TS-1,rate,1,EN,,,tester,1,,
2026-11-03T14:00:00+05:30,TS-1,escalate,2,EN,EN-EE-T1,2026-11-06T14:00:00+05:30,tester,unsatisfied,," ]
	run -0 chain_ok "$GRV_DIR/ledger/events.csv"
	run -0 grv-check
}
