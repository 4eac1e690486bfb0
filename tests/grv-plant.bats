#!/usr/bin/env bats
# grv-gen --plant: gamed grades planted at known rates in a 100 000
# complaint year, and grv-report gaming finds what was planted and nothing
# else (precision and recall of each detector printed, each >= 0.9).

load test_helper

setup_file() {
	grv_sandbox
	export P="$BATS_FILE_TMPDIR/plant"
	grv-gen -d "$P" --masters "$REPO_DIR/data/sample" -n 100000 --seed 11 \
		--plant "$BATS_FILE_TMPDIR/truth.csv" >/dev/null
}

setup() {
	grv_sandbox
	P="$BATS_FILE_TMPDIR/plant"
}

@test "each detector of grv-report gaming finds the planted subjects with precision and recall >= 0.9" {
	run -0 grv-report -d "$P" gaming --now 2026-01-01 --from 2025-01-01 --to 2026-01-01
	# signal,subject of the report against the truth grv-gen wrote;
	# the signals planted: forced, paper, bounce, habitual
	awk -F, -v out="$BATS_TEST_TMPDIR/pr" '
		FNR == 1 { next }
		FILENAME == ARGV[1] { truth[$1 "," $2] = 1; planted[$1]++; next }
		!($1 in planted) { next }
		{ found[$1]++; if (($1 "," $2) in truth) hit[$1]++ }
		END {
			bad = 0
			for (s in planted) {
				p = found[s] ? hit[s] / found[s] : 0
				r = hit[s] / planted[s]
				printf "%s: planted %d, found %d, precision %.2f, recall %.2f\n",
				    s, planted[s], found[s] + 0, p, r > out
				if (p < 0.9 || r < 0.9)
					bad = 1
			}
			exit bad
		}' "$BATS_FILE_TMPDIR/truth.csv" - <<<"$output" || { cat "$BATS_TEST_TMPDIR/pr"; return 1; }
	sort "$BATS_TEST_TMPDIR/pr" >&3
	[ "$(cut -d: -f1 "$BATS_TEST_TMPDIR/pr" | sort | tr '\n' ' ')" = "bounce forced habitual paper " ]
	[ "$(grep -c . "$BATS_FILE_TMPDIR/truth.csv")" -eq 14 ]
}

@test "planting is deterministic by seed, and without --plant the generator writes the same bytes as ever" {
	G="$BATS_TEST_TMPDIR"
	grv-gen -d "$G/a" --masters "$REPO_DIR/data/sample" -n 1000 --seed 3 --plant "$G/ta" >/dev/null
	grv-gen -d "$G/b" --masters "$REPO_DIR/data/sample" -n 1000 --seed 3 --plant "$G/tb" >/dev/null
	grv-gen -d "$G/c" --masters "$REPO_DIR/data/sample" -n 1000 --seed 3 >/dev/null
	cmp "$G/a/ledger/events.csv" "$G/b/ledger/events.csv"
	cmp "$G/a/ledger/complaints.csv" "$G/b/ledger/complaints.csv"
	cmp "$G/ta" "$G/tb"
	run -1 cmp -s "$G/a/ledger/events.csv" "$G/c/ledger/events.csv"
	# the habitual callers' complaints carry their phones: 8 each, 9000000001..05
	[ "$(grep -c ',90000000[0-5][0-9],' "$G/a/ledger/complaints.csv")" -eq 40 ]
	run -0 grv-check -d "$G/a"
	run -73 grv-gen -d "$G/d" --masters "$REPO_DIR/data/sample" -n 10 --plant "$G/no/such/dir/t"
}
