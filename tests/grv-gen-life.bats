#!/usr/bin/env bats
# grv-gen writes the events of SPEC 7.2 too (amend and move, hold and
# resume, reopen, rate, close duplicate), and the bench's SQLite grading,
# which follows their rules, still equals grv-report grading row for row
# on them.

load test_helper

setup_file() {
	export LC_ALL=C
	D=$BATS_FILE_TMPDIR/gen
	"$GRV_BIN/grv-gen" -d "$D" --masters "$REPO_DIR/data/sample" -n 2500 \
		--seed 11 >/dev/null
}

setup() {
	grv_sandbox
	D=$BATS_FILE_TMPDIR/gen
}

@test "a generated ledger holds every new event at a few percent, and grv-check finds it clean" {
	local total kind k max
	total=$(( $(wc -l < "$D/ledger/complaints.csv") - 1 ))
	for kind in amend move hold resume reopen rate; do
		k=$(cut -d, -f3 "$D/ledger/events.csv" | grep -cx "$kind")
		# at least 1 in 200 complaints, at most 1 in 10 (rate: 1 in 2)
		if [ "$kind" = rate ]; then max=$(( total / 2 )); else max=$(( total / 10 )); fi
		[ "$k" -ge $(( total / 200 )) ] && [ "$k" -le "$max" ] ||
			{ echo "$kind: $k of $total"; return 1; }
	done
	grep -q ',resume,.*,expired,' "$D/ledger/events.csv"
	grep -q ',resume,.*,supplied,' "$D/ledger/events.csv"
	k=$(grep -c ',close,[^,]*,[^,]*,[^,]*,,[^,]*,duplicate,' "$D/ledger/events.csv")
	[ "$k" -ge $(( total / 200 )) ] && [ "$k" -le $(( total / 10 )) ] ||
		{ echo "close duplicate: $k of $total"; return 1; }
	run -0 grv-check -d "$D"
}

# sqlgrade NOW FROM TO: the bench's SQLite grading of $D (its parameters
# from data/sample/grv.conf: working days, Sunday off, 7 days, +05:30)
sqlgrade() {
	local from u to
	from=$(date -d "$2T00:00:00+05:30" +%s)
	to=$(date -d "$3T00:00:00+05:30" +%s)
	u=$(date -d "$1" +%s)
	[ "$u" -lt "$to" ] || u=$(( to - 1 ))
	python3 - "$REPO_DIR/scripts/bench/grading.sqlite.sql" "$BATS_TEST_TMPDIR/q.sql" \
		FROM="$from" U="$u" OLD=$((50 * 86400)) W_SAT=6000 W_OLD=2000 \
		W_FORCED=1000 W_UNATT=1000 GA=8000 GB=7000 GC=6000 G1=10000 G2=2000 \
		SLA=7 TZ=19800 WORKING=1 WEEKEND=1 <<'PY'
import re, sys
src, dst, *pairs = sys.argv[1:]
p = dict(x.split("=", 1) for x in pairs)
sql = open(src, encoding="utf-8").read()
open(dst, "w", encoding="utf-8").write(re.sub(r"\$\{(\w+)\}", lambda m: p[m.group(1)], sql))
PY
	sqlite3 -csv -header "$BATS_TEST_TMPDIR/db" ".read $BATS_TEST_TMPDIR/q.sql"
}

@test "the bench's SQLite grading equals grv-report grading over reopens, holds and moves" {
	command -v sqlite3 >/dev/null || skip "sqlite3 missing (apt-get install sqlite3)"
	sqlite3 "$BATS_TEST_TMPDIR/db" \
		".import --csv $D/ledger/complaints.csv complaints" \
		".import --csv $D/ledger/events.csv events" \
		".import --csv $D/masters/departments.csv departments" \
		".import --csv $D/masters/categories.csv categories" \
		".import --csv $D/masters/holidays.csv holidays"
	for m in "2025-06-20T15:00:00+05:30 2025-06-01 2025-07-01" \
		"2025-12-31T23:59:59+05:30 2025-12-01 2026-01-01"; do
		set -- $m
		sqlgrade "$1" "$2" "$3" >"$BATS_TEST_TMPDIR/sql.csv"
		grv-report grading -d "$D" --now "$1" --from "$2" --to "$3" >"$BATS_TEST_TMPDIR/grv.csv"
		run -0 python3 "$REPO_DIR/scripts/bench/csvcmp" grv "$BATS_TEST_TMPDIR/grv.csv" \
			SQLite "$BATS_TEST_TMPDIR/sql.csv"
	done
}
