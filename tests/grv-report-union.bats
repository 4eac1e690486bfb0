#!/usr/bin/env bats
# One grading over several data directories: grv-report with several -d,
# and data/sql/grading.duckdb.sql over the same directories by glob.  The
# directories: tests/fixtures/report (node TS, EXPECTED.md) and 400
# complaints of grv-gen over the same masters with node TU.

load test_helper

P=(--now 2026-12-05 --from 2026-11-01 --to 2026-12-01)

setup_file() {
	tests_npm	# @duckdb/node-api
	U=$BATS_FILE_TMPDIR/dirs
	mkdir -p "$U"
	cp -R "$TESTS_DIR/fixtures/report" "$U/a"
	mkdir -p "$U/b"
	cp -R "$TESTS_DIR/fixtures/report/masters" "$U/b/"
	sed 's/^node = TS$/node = TU/' "$TESTS_DIR/fixtures/report/grv.conf" >"$U/b/grv.conf"
	"$GRV_BIN/grv-gen" -d "$U/b" -n 400 --months 3 --now 2026-12-05 >/dev/null
}

setup() {
	grv_sandbox report
	U=$BATS_FILE_TMPDIR/dirs
}

# regrade KIND: each directory's own report, summed by code and graded
# again by the formula of grv-grading(5), in Python.
regrade() {
	grv-report "$1" -d "$U/a" "${P[@]}" >"$BATS_TEST_TMPDIR/a.csv"
	grv-report "$1" -d "$U/b" "${P[@]}" >"$BATS_TEST_TMPDIR/b.csv"
	python3 - "$BATS_TEST_TMPDIR/a.csv" "$BATS_TEST_TMPDIR/b.csv" <<'PY'
import csv, sys
rows, names, head = {}, {}, None
for f in sys.argv[1:]:
    r = list(csv.reader(open(f, encoding="utf-8")))
    head = r[0]
    for x in r[1:]:
        names.setdefault(x[0], x[1])
        c = rows.setdefault(x[0], [0] * 6)
        for i in range(6):
            c[i] += int(x[4 + i])
out = []
for code, (n, sat, old, old_sat, forced, unatt) in rows.items():
    o = old if old else 1
    # hundredths, half away from zero, as grv-grading(5) defines
    num = 6000 * sat * o + (2000 * old_sat * n if old else 2000 * n * o) \
        + 1000 * (n - forced) * o + 1000 * (n - unatt) * o
    score = (2 * num + n * o) // (2 * n * o)
    group = 1 if n >= 10000 else 2 if n >= 2000 else 3
    grade = "A" if score >= 8000 else "B" if score >= 7000 else "C" if score >= 6000 else "D"
    out.append([code, names[code], group, None, n, sat, old, old_sat, forced, unatt, score, grade])
out.sort(key=lambda x: (x[2], -x[10], -x[4], x[0]))
for i, x in enumerate(out):
    x[3] = 1 if i == 0 or out[i - 1][2] != x[2] else out[i - 1][3] + 1
state = sorted(out, key=lambda x: (-x[10], -x[4], x[0]))
w = csv.writer(sys.stdout, lineterminator="\n")
w.writerow(head)
for x in out:
    x[10] = "%d.%02d" % divmod(x[10], 100)
    if "rank_state" in head:
        x.append(state.index(x) + 1)
    w.writerow(x)
PY
}

@test "grading and districts over two directories are each one's counts summed and graded again" {
	run -0 grv-report grading -d "$U/a" -d "$U/b" "${P[@]}"
	[ "${#lines[@]}" -eq 4 ]
	diff <(printf '%s\n' "$output") <(regrade grading)
	run -0 grv-report districts -d "$U/a" --dir "$U/b" "${P[@]}"
	diff <(printf '%s\n' "$output") <(regrade districts)
	# --dept: the row of the union, ranked among all
	run -0 grv-report grading -d "$U/a" -d "$U/b" "${P[@]}" --dept REV
	[ "${lines[1]}" = "$(regrade grading | grep '^REV,')" ]
	# --district for grading counts that district's complaints in both
	run -0 grv-report grading -d "$U/a" -d "$U/b" "${P[@]}" --district D2
	a=$(grv-report grading -d "$U/a" "${P[@]}" --district D2 | awk -F, '$1 == "EN" { print $5 }')
	b=$(grv-report grading -d "$U/b" "${P[@]}" --district D2 | awk -F, '$1 == "EN" { print $5 }')
	[ "$(printf '%s\n' "${lines[@]}" | awk -F, '$1 == "EN" { print $5 }')" -eq $((a + b)) ]
}

@test "the shipped DuckDB SQL over both directories by glob equals grv-report grading row for row" {
	T=$BATS_TEST_TMPDIR
	grv-report grading -d "$U/a" -d "$U/b" "${P[@]}" >"$T/grv.csv"
	plain_only DuckDB
	ln -s "$TESTS_DIR/node_modules" "$T/node_modules"
	cp "$REPO_DIR/scripts/bench/duckdb.mjs" "$T/"
	from=$(date -d 2026-11-01T00:00:00+05:30 +%s)
	u=$(( $(date -d 2026-12-01T00:00:00+05:30 +%s) - 1 ))
	node "$T/duckdb.mjs" "$REPO_DIR/data/sql/grading.duckdb.sql" DIRS="$U/*" \
		FROM="$from" U="$u" OLD=$((50 * 86400)) W_SAT=6000 W_OLD=2000 \
		W_FORCED=1000 W_UNATT=1000 GA=8000 GB=7000 GC=6000 G1=10000 G2=2000 \
		SLA=7 TZ=19800 WORKING=0 WEEKEND=1 HOLIDAYS="$U/a/masters/holidays.csv" >"$T/sql.csv"
	run -0 python3 "$REPO_DIR/scripts/bench/csvcmp" grv "$T/grv.csv" DuckDB "$T/sql.csv"
	# and the union is more than either directory alone
	[ "$(wc -l <"$T/sql.csv")" -eq 4 ]
	! diff -q "$T/sql.csv" <(grv-report grading -d "$U/a" "${P[@]}")
}

@test "several -d: one node twice, or a kind that cannot be summed, is refused" {
	run -65 grv-report grading -d "$U/a" -d "$GRV_DIR" "${P[@]}"
	[[ "$output" == *"both have node 'TS'"* ]]
	run -64 grv-report pending -d "$U/a" -d "$U/b" "${P[@]}"
	[[ "$output" == *"several -d: grading and districts only"* ]]
	run -64 grv-report review --district D1 -d "$U/a" -d "$U/b" "${P[@]}"
	run -65 grv-report grading -d "$U/a" -d "$U/b" "${P[@]}" --dept REVV
	[[ "$output" == *"did you mean 'REV'"* ]]
}
