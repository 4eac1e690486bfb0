#!/usr/bin/env bats
# grv-gen: issue 7 (scale): a realistic helpline, valid by every check.

load test_helper

setup() {
	grv_sandbox
	export D="$BATS_TEST_TMPDIR/gen"
}

@test "500 generated complaints make ledgers whose chains Python's zlib accepts" {
	run -0 grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 500 --seed 7
	[ "${lines[0]}" = "complaints,events,new,open,closed_satisfied,closed_forced,closed_unverified,closed_duplicate,escalations,transfers,start,end" ]
	[[ "${lines[1]}" == 500,* ]]
	[ "$(( $(wc -l < "$D/ledger/complaints.csv") - 1 ))" -eq 500 ]
	chain_ok "$D/ledger/complaints.csv" "$D/ledger/events.csv"
}

@test "grv-check finds nothing wrong in a generated directory" {
	grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 500 >/dev/null
	run -0 grv-check -d "$D"
}

@test "the same seed gives the same bytes, another seed other bytes" {
	grv-gen -d "$D/a" --masters "$REPO_DIR/data/sample" -n 300 --seed 5 >/dev/null
	grv-gen -d "$D/b" --masters "$REPO_DIR/data/sample" -n 300 --seed 5 >/dev/null
	grv-gen -d "$D/c" --masters "$REPO_DIR/data/sample" -n 300 --seed 6 >/dev/null
	cmp "$D/a/ledger/events.csv" "$D/b/ledger/events.csv"
	cmp "$D/a/ledger/complaints.csv" "$D/b/ledger/complaints.csv"
	run -1 cmp -s "$D/a/ledger/events.csv" "$D/c/ledger/events.csv"
}

@test "event times never go back and nothing is stamped after --now" {
	grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 400 \
		--start 2025-03-01 --now 2025-06-15T12:00 >/dev/null
	run -0 awk -F, 'NR > 1 { if ($1 < prev) { print "back at " NR; exit 1 }
		if ($1 > "2025-06-15T12:00:00+05:30") { print "after now at " NR; exit 1 }
		prev = $1 }' "$D/ledger/events.csv"
}

@test "the lives are varied: routes, resolutions, escalations, closures of every kind" {
	grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 2000 >/dev/null
	for kind in route resolve feedback escalate close transfer note; do
		grep -q "^[^,]*,[^,]*,$kind," "$D/ledger/events.csv"
	done
	for reason in satisfied forced unverified duplicate; do
		grep -q ",close,.*,$reason," "$D/ledger/events.csv"
	done
	grep -q ',escalate,.*,overdue,' "$D/ledger/events.csv"
	grep -q ',escalate,.*,unsatisfied,' "$D/ledger/events.csv"
	# Hindi text, and fields quoted for their commas and quotes
	grep -q 'कृपया' "$D/ledger/complaints.csv"
	grep -q '""' "$D/ledger/complaints.csv"
}

@test "grv-gen refuses a ledger that already holds rows and changes nothing" {
	grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 20 >/dev/null
	before=$(cd "$D/ledger" && sha256sum *.csv)
	run -73 grv-gen -d "$D" -n 20
	[[ "$output" == *"already holds rows"* ]]
	[ "$before" = "$(cd "$D/ledger" && sha256sum *.csv)" ]
}

@test "a bad count is a usage error" {
	run -64 grv-gen -d "$D" -n lots
}

@test "on a ledger big enough to be read ahead on the other core, an edited row is still caught at its line" {
	grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 40000 >/dev/null
	[ "$(stat -c %s "$D/ledger/events.csv")" -gt $((8 * 1024 * 1024)) ]
	run -0 grv-report grading -d "$D" --now 2025-12-31T23:59:59
	good=$output
	# the same answer from cache/ and from a fold from scratch
	rm -rf "$D/cache"
	run -0 grv-report grading -d "$D" --now 2025-12-31T23:59:59
	[ "$output" = "$good" ]
	line=$(( $(wc -l < "$D/ledger/events.csv") * 2 / 3 ))
	sed -i "${line}s/,route,/,rOute,/; ${line}s/,resolve,/,rEsolve,/; ${line}s/,feedback,/,fEedback,/; ${line}s/,close,/,cLose,/; ${line}s/,escalate,/,eScalate,/; ${line}s/,note,/,nOte,/; ${line}s/,transfer,/,tRansfer,/" "$D/ledger/events.csv"
	rm -rf "$D/cache"
	run -65 grv-report grading -d "$D" --now 2025-12-31T23:59:59
	[[ "$output" == *"ledger/events.csv:$line: crc does not match the chain"* ]]
}

@test "a few percent are closed duplicate, each naming a complaint not closed then, from the same phone, and counted in no grading figure" {
	run -0 grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 5000 --seed 4
	dups=$(cut -d, -f8 <<<"${lines[1]}")
	[ "$dups" -ge 50 ] && [ "$dups" -le 200 ]	# 2 in 100, as grv-gen(1) says
	[ "$(grep -c ',close,[^,]*,[^,]*,[^,]*,,[^,]*,duplicate,' "$D/ledger/events.csv")" -eq "$dups" ]
	# checked by Python from the ledger alone: the id in the note was not
	# closed at the time, and shares the phone; no phone has three
	run -0 /usr/bin/python3 - "$D" <<'PY'
import csv, sys
from collections import Counter
d = sys.argv[1]
phone = {r["id"]: r["phone"] for r in csv.DictReader(open(d + "/ledger/complaints.csv"))}
status, bad, n = {}, [], 0
for r in csv.DictReader(open(d + "/ledger/events.csv")):
    if r["event"] == "close" and r["reason"] == "duplicate":
        n += 1
        o = r["note"]
        if status.get(o) not in ("open", "resolved", "hold") or phone[o] != phone[r["id"]]:
            bad.append(r["id"])
    if r["event"] in ("route", "transfer", "escalate", "reopen", "move", "resume"):
        status[r["id"]] = "open"
    elif r["event"] == "resolve":
        status[r["id"]] = "resolved"
    elif r["event"] == "hold":
        status[r["id"]] = "hold"
    elif r["event"] == "close":
        status[r["id"]] = "closed"
print(n, bad, max(Counter(phone.values()).values()))
PY
	[ "$output" = "$dups [] 2" ]
	run -0 grv-check -d "$D"
	# N of the year's grading: every complaint of the year (one never
	# placed counts for its category's department), less the duplicates
	run -0 grv-report -d "$D" grading --now 2026-01-01 --from 2025-01-01 --to 2026-01-01 --format tsv
	n=$(tail -n +2 <<<"$output" | awk -F'\t' '{ s += $5 } END { print s }')
	[ "$n" -eq $(( 5000 - dups )) ]
}
