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
	# every signal is planted
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
	[ "$(cut -d: -f1 "$BATS_TEST_TMPDIR/pr" | sort | tr '\n' ' ')" = "bounce bribe_forced fast forced habitual late one_officer paper " ]
	# the parts of grv_gen_plant.h: 3 forcers, 3 paper officers, 2
	# bouncing and 2 late pairs, 5 habitual and 3 loyal callers, 2 fast
	# officers, 1 bribe department; and a header
	[ "$(grep -c . "$BATS_FILE_TMPDIR/truth.csv")" -eq 22 ]
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
	# the loyal callers': 4 each, 9100000011..13, each with one category
	# and one place
	[ "$(grep -c ',91000000[0-9][0-9],' "$G/a/ledger/complaints.csv")" -eq 12 ]
	for ph in 9100000011 9100000012 9100000013; do
		[ "$(grep ",$ph," "$G/a/ledger/complaints.csv" | cut -d, -f4,5 | sort -u | wc -l)" -eq 1 ]
	done
	# no caller of theirs is one of the habitual ones, nor is any
	# pattern planted without --plant
	[ "$(grep -c ',9[01]000000[0-9][0-9],' "$G/c/ledger/complaints.csv")" -eq 0 ]
	run -0 grv-check -d "$G/a"
	run -73 grv-gen -d "$G/d" --masters "$REPO_DIR/data/sample" -n 10 --plant "$G/no/such/dir/t"
}
