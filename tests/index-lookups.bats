#!/usr/bin/env bats
# Single-complaint lookups through cache/ (grv-ledger(5), The state
# cache): grv-add --key through cache/key.bin, and grv-resolve
# --duplicate-of through the row index, each reading the rows it needs and
# not the ledger, and saying exactly what it says with no cache/ at all,
# with the rows in a sealed segment, and with a stale, foreign or damaged
# index.

load test_helper

setup() {
	grv_sandbox
}

# big_ledger N: N complaints in one batch, complaint I (1-based) with key
# K-I and phone 98 followed by I - 1 in eight digits, except that
# complaints 2 and N - 1 share complaint 1's phone; all routed, and cache/
# left behind.
big_ledger() {
	local f=$BATS_TEST_TMPDIR/big.csv i n=$1 phone
	{
		echo category,loc,name,phone,text,key
		for (( i = 1; i <= n; i++ )); do
			printf -v phone '98%08d' $(( i - 1 ))
			if [ "$i" = 2 ] || [ "$i" = $(( n - 1 )) ]; then
				phone=9800000000
			fi
			printf 'EN-SUPPLY,D1-T1-B1,Caller %d,%s,a long enough complaint text to make the ledger weigh,K-%d\n' \
				"$i" "$phone" "$i"
		done
	} > "$f"
	grv-add --now 2026-11-02T09:00 --batch "$f" > /dev/null 2>&1
	grv-route --now 2026-11-02T09:05 > /dev/null
	grv-list --now 2026-11-02T09:10 > /dev/null
}

# bytes_read TRACE PATTERN: the bytes read(2) and pread(2) returned from
# files whose name matches PATTERN, in strace -y output.
bytes_read() {
	awk -v p="$2" '$0 ~ p { n = $NF; if (n ~ /^[0-9]+$/) s += n } END { print s + 0 }' "$1"
}

# traced OUT CMD...: CMD's standard output into OUT, its reads into
# $BATS_TEST_TMPDIR/trace (LeakSanitizer cannot run under ptrace).
traced() {
	local out=$1
	shift
	ASAN_OPTIONS=detect_leaks=0 strace -f -y -e trace=read,pread64 \
		-o "$BATS_TEST_TMPDIR/trace" "$@" > "$out" 2>/dev/null
}

# cold_copy: a copy of the data directory without cache/, in $COLD.
cold_copy() {
	COLD=$BATS_TEST_TMPDIR/cold
	rm -rf "$COLD"
	cp -R "$GRV_DIR" "$COLD"
	rm -rf "$COLD/cache"
}

# first_with_ref REF: the id of the first complaint row whose ref is REF,
# in the segments and the live file, read by Python's csv module.
first_with_ref() {
	python3 - "$GRV_DIR/ledger" "$1" <<'PY'
import csv, glob, gzip, io, sys
d, ref = sys.argv[1], sys.argv[2]
files = sorted(glob.glob(d + "/complaints-*.csv.gz")) + [d + "/complaints.csv"]
for f in files:
    raw = gzip.open(f, "rb").read() if f.endswith(".gz") else open(f, "rb").read()
    rows = csv.reader(io.StringIO(raw.decode("utf-8"), newline=""))
    next(rows, None)
    for r in rows:
        if len(r) == 10 and r[8] == ref:
            print(r[0])
            sys.exit(0)
print("none")
PY
}

# gen_sealed: 6000 generated complaints, both ledgers sealed whole into
# 2025 segments of a gzip member per 500 lines (grv-ledger(5), Segments).
gen_sealed() {
	rm -rf "$GRV_DIR/ledger"
	grv-gen -n 6000 > /dev/null
	(cd "$GRV_DIR/ledger" && for f in complaints events; do
		split -l 500 --filter=gzip $f.csv > $f-2025.csv.gz
		head -1 $f.csv > $f.new && chmod --reference=$f.csv $f.new && mv $f.new $f.csv
	done)
}

ADD=(--category EN-BILL --loc D2 --name Om --phone 9811111111 --text 'bill wrong twice')

@test "grv-add --key finds a key registered long ago through cache/key.bin, reading a few rows, not the ledger" {
	not_sanitized "what it reads is the same in either build; the other tests look keys up sanitized"
	command -v strace > /dev/null || skip "strace not installed"
	local size bytes
	big_ledger 10000
	# the first keyed add after the batch builds the index
	grv-add --now 2026-11-02T09:20 "${ADD[@]}" --key WARM-1 > /dev/null
	[ -s "$GRV_DIR/cache/key.bin" ]
	size=$(stat -c %s "$GRV_DIR/ledger/complaints.csv")
	for key in K-17 K-5000 K-9999 NEW-1; do
		cold_copy
		before=$(ledger_sum)
		traced "$BATS_TEST_TMPDIR/warm.out" grv-add --now 2026-11-02T09:30 "${ADD[@]}" --key "$key"
		bytes=$(bytes_read "$BATS_TEST_TMPDIR/trace" 'complaints\.csv>')
		echo "$key: read $bytes of a ledger of $size bytes"
		[ "$bytes" -lt $(( size / 8 )) ]
		GRV_DIR=$COLD grv-add --now 2026-11-02T09:30 "${ADD[@]}" --key "$key" > "$BATS_TEST_TMPDIR/cold.out" 2>/dev/null
		cmp "$BATS_TEST_TMPDIR/warm.out" "$BATS_TEST_TMPDIR/cold.out"
		case $key in
		K-*)
			[ "$(sed -n 2p "$BATS_TEST_TMPDIR/warm.out" | cut -d, -f1)" = "TS-${key#K-}" ]
			assert_unchanged "$before"
			;;
		*)	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/warm.out" | cut -d, -f1)" = "TS-10002" ] ;;
		esac
	done
	# a batch looks each key up: an old one, a new one, and the new one
	# again, which is registered once
	printf 'category,loc,name,phone,text,key\n%s\n%s\n%s\n' \
		'EN-BILL,D2,A,9811111112,bill wrong twice,K-42' \
		'EN-BILL,D2,B,9811111113,bill wrong twice,NEW-2' \
		'EN-BILL,D2,B,9811111113,bill wrong twice,NEW-2' > "$BATS_TEST_TMPDIR/b.csv"
	cold_copy
	traced "$BATS_TEST_TMPDIR/warm.out" grv-add --now 2026-11-02T09:40 --batch "$BATS_TEST_TMPDIR/b.csv"
	[ "$(bytes_read "$BATS_TEST_TMPDIR/trace" 'complaints\.csv>')" -lt $(( size / 8 )) ]
	GRV_DIR=$COLD grv-add --now 2026-11-02T09:40 --batch "$BATS_TEST_TMPDIR/b.csv" > "$BATS_TEST_TMPDIR/cold.out" 2>/dev/null
	cmp "$BATS_TEST_TMPDIR/warm.out" "$BATS_TEST_TMPDIR/cold.out"
	[ "$(cut -d, -f1 "$BATS_TEST_TMPDIR/warm.out" | tr '\n' ' ')" = "id TS-42 TS-10003 TS-10003 " ]
	# and what was added since is found too
	run --separate-stderr -0 grv-add --now 2026-11-02T09:50 "${ADD[@]}" --key NEW-2
	[ "$(echo "${lines[1]}" | cut -d, -f1)" = "TS-10003" ]
}

@test "a ref given with --ref alone counts as a key, the first row with it wins, and a ref that only begins like the key is not it" {
	grv-add --now 2026-11-02T09:00 "${ADD[@]}" --ref PSG-7 > /dev/null
	grv-add --now 2026-11-02T09:01 "${ADD[@]}" --ref PSG-7 > /dev/null
	grv-add --now 2026-11-02T09:02 "${ADD[@]}" --key PSG-70 > /dev/null
	[ -s "$GRV_DIR/cache/key.bin" ]
	for c in warm cold; do
		[ "$c" = cold ] && rm -rf "$GRV_DIR/cache"
		run --separate-stderr -0 grv-add --now 2026-11-02T09:03 "${ADD[@]}" --key PSG-7
		[ "$(echo "${lines[1]}" | cut -d, -f1)" = "TS-1" ]
		run --separate-stderr -0 grv-add --now 2026-11-02T09:04 "${ADD[@]}" --key PSG-70
		[ "$(echo "${lines[1]}" | cut -d, -f1)" = "TS-3" ]
	done
	run --separate-stderr -0 grv-add --now 2026-11-02T09:05 "${ADD[@]}" --key PSG-700
	[ "$(echo "${lines[1]}" | cut -d, -f1)" = "TS-4" ]
	run --separate-stderr -0 grv-add --now 2026-11-02T09:06 "${ADD[@]}" --key PSG-700
	[ "$(echo "${lines[1]}" | cut -d, -f1)" = "TS-4" ]
}

@test "a key in a sealed segment is found through the index, by inflating the member that holds its row, as with no cache/" {
	command -v strace > /dev/null || skip "strace not installed"
	local gz early late
	gen_sealed
	grv-add --now 2026-01-01 "${ADD[@]}" --key AFTER-SEAL | grv-route --now 2026-01-01 - > /dev/null
	grv-list --now 2026-01-02 > /dev/null
	early=$(zcat "$GRV_DIR/ledger/complaints-2025.csv.gz" | python3 -c '
import csv, sys
rows = [r for r in csv.reader(sys.stdin) if len(r) == 10 and r[8] and r[0] != "id"]
print(rows[0][8], rows[len(rows) // 2][8], rows[-1][8])')
	[ -n "$early" ]
	gz=$(stat -c %s "$GRV_DIR/ledger/complaints-2025.csv.gz")
	# the first read of a row in the segment makes its member table
	grv-add --now 2026-01-02 "${ADD[@]}" --key "${early%% *}" > /dev/null
	[ -s "$GRV_DIR/cache/members-complaints-2025.csv.gz" ]
	for key in $early AFTER-SEAL; do
		cold_copy
		traced "$BATS_TEST_TMPDIR/warm.out" grv-add --now 2026-01-02 "${ADD[@]}" --key "$key"
		read_gz=$(bytes_read "$BATS_TEST_TMPDIR/trace" 'complaints-2025\.csv\.gz>')
		echo "$key: read $read_gz of a segment of $gz bytes"
		[ "$read_gz" -lt $(( gz / 4 )) ]
		[ "$(sed -n 2p "$BATS_TEST_TMPDIR/warm.out" | cut -d, -f1)" = "$(first_with_ref "$key")" ]
		GRV_DIR=$COLD grv-add --now 2026-01-02 "${ADD[@]}" --key "$key" > "$BATS_TEST_TMPDIR/cold.out" 2>/dev/null
		cmp "$BATS_TEST_TMPDIR/warm.out" "$BATS_TEST_TMPDIR/cold.out"
	done
	# a segment sealed after the index was made: the index is made anew
	(cd "$GRV_DIR/ledger" && gzip -c complaints.csv > complaints-2026.csv.gz &&
		head -1 complaints.csv > c.new && chmod --reference=complaints.csv c.new &&
		mv c.new complaints.csv)
	run --separate-stderr -0 grv-add --now 2026-01-03 "${ADD[@]}" --key AFTER-SEAL
	[ "$(echo "${lines[1]}" | cut -d, -f1)" = "$(first_with_ref AFTER-SEAL)" ]
}

@test "a deleted, stale, foreign or damaged cache/key.bin gives the answers of none" {
	local how saved=$BATS_TEST_TMPDIR/saved stale=$BATS_TEST_TMPDIR/stale.bin i
	big_ledger 300
	grv-add --now 2026-11-02T09:20 "${ADD[@]}" --key WARM-1 > /dev/null
	cp "$GRV_DIR/cache/key.bin" "$stale"
	for i in 1 2 3; do
		grv-add --now 2026-11-02T09:2$i "${ADD[@]}" --key "LATE-$i" > /dev/null
	done
	rm -rf "$saved" && cp -R "$GRV_DIR/cache" "$saved"
	# ask KEY: warm (as the index is) and cold give the same id, ID
	ask() {
		cold_copy
		before=$(ledger_sum)
		run --separate-stderr -0 grv-add --now 2026-11-02T10:00 "${ADD[@]}" --key "$1"
		[ "$(echo "${lines[1]}" | cut -d, -f1)" = "$2" ] || { echo "$1: $output"; false; }
		assert_unchanged "$before"
		GRV_DIR=$COLD grv-add --now 2026-11-02T10:00 "${ADD[@]}" --key "$1" > "$BATS_TEST_TMPDIR/cold.out" 2>/dev/null
		[ "$(sed -n 2p "$BATS_TEST_TMPDIR/cold.out" | cut -d, -f1)" = "$2" ]
	}
	rm -f "$GRV_DIR/cache/key.bin"
	ask K-7 TS-7
	[ -s "$GRV_DIR/cache/key.bin" ]
	rm -rf "$GRV_DIR/cache"
	ask LATE-2 TS-303
	# stale: the file as it was before the last three adds, caught up
	rm -rf "$GRV_DIR/cache" && cp -R "$saved" "$GRV_DIR/cache"
	cp "$stale" "$GRV_DIR/cache/key.bin"
	ask LATE-3 TS-304
	ask K-299 TS-299
	# foreign: another directory's, of another ledger
	mkdir -p "$BATS_TEST_TMPDIR/other" && cp -R "$TESTS_DIR/fixtures/state/." "$BATS_TEST_TMPDIR/other/"
	GRV_DIR=$BATS_TEST_TMPDIR/other grv-add --now 2026-11-02T09:00 "${ADD[@]}" --key K-8 > /dev/null
	GRV_DIR=$BATS_TEST_TMPDIR/other grv-add --now 2026-11-02T09:01 "${ADD[@]}" --key K-9 > /dev/null
	cp "$BATS_TEST_TMPDIR/other/cache/key.bin" "$GRV_DIR/cache/key.bin"
	ask K-9 TS-9
	for how in cut grown header entry head empty; do
		rm -rf "$GRV_DIR/cache" && cp -R "$saved" "$GRV_DIR/cache"
		damage "$GRV_DIR/cache/key.bin" "$how"
		ask LATE-1 TS-302
		ask K-150 TS-150
	done
}

@test "grv-resolve --duplicate-of reads the two complaint rows through the row index, not the ledger, and says what a fold says" {
	not_sanitized "what it reads is the same in either build; the sealed test below compares duplicates sanitized"
	command -v strace > /dev/null || skip "strace not installed"
	local size bytes
	big_ledger 10000
	size=$(stat -c %s "$GRV_DIR/ledger/complaints.csv")
	# TS-9999 shares TS-1's phone, TS-5000 does not
	cold_copy
	traced "$BATS_TEST_TMPDIR/warm.out" grv-resolve TS-9999 --now 2026-11-03T09:00 \
		--officer EN-JE-B1 --duplicate-of TS-1
	bytes=$(bytes_read "$BATS_TEST_TMPDIR/trace" 'complaints\.csv>')
	echo "read $bytes of a ledger of $size bytes"
	[ "$bytes" -lt $(( size / 8 )) ]
	[ "$(sed -n 2p "$BATS_TEST_TMPDIR/warm.out")" = "TS-9999,close,1,EN,EN-JE-B1," ]
	GRV_DIR=$COLD grv-resolve TS-9999 --now 2026-11-03T09:00 --officer EN-JE-B1 \
		--duplicate-of TS-1 > "$BATS_TEST_TMPDIR/cold.out"
	cmp "$BATS_TEST_TMPDIR/warm.out" "$BATS_TEST_TMPDIR/cold.out"
	cmp "$GRV_DIR/ledger/events.csv" "$COLD/ledger/events.csv"
	# another phone: refused, warm and cold, after reading as little
	before=$(ledger_sum)
	ASAN_OPTIONS=detect_leaks=0 strace -f -y -e trace=read,pread64 -o "$BATS_TEST_TMPDIR/trace" \
		grv-resolve TS-5000 --now 2026-11-03T09:10 --officer EN-JE-B1 --duplicate-of TS-2 \
		> /dev/null 2> "$BATS_TEST_TMPDIR/warm.err" && false || [ $? = 65 ]
	[ "$(bytes_read "$BATS_TEST_TMPDIR/trace" 'complaints\.csv>')" -lt $(( size / 8 )) ]
	[ "$(cat "$BATS_TEST_TMPDIR/warm.err")" = "grv-resolve: TS-5000: TS-2 was filed from another phone: not a duplicate" ]
	assert_unchanged "$before"
	GRV_DIR=$COLD run -65 grv-resolve TS-5000 --now 2026-11-03T09:10 --officer EN-JE-B1 --duplicate-of TS-2
	[ "$output" = "$(cat "$BATS_TEST_TMPDIR/warm.err")" ]
	# a damaged row index: the fold says, the same
	head -c "$(stat -c %s "$GRV_DIR/cache/crow.bin")" /dev/zero > "$BATS_TEST_TMPDIR/zero"
	cp "$BATS_TEST_TMPDIR/zero" "$GRV_DIR/cache/crow.bin"
	run -0 grv-resolve TS-2 --now 2026-11-03T09:20 --officer EN-JE-B1 --duplicate-of TS-1
	[ "${lines[1]}" = "TS-2,close,1,EN,EN-JE-B1," ]
}

@test "grv-resolve --duplicate-of compares the phones of rows sealed in a segment as a fold does" {
	local pairs same other officer
	gen_sealed
	grv-add --now 2026-01-01 "${ADD[@]}" | grv-route --now 2026-01-01 - > /dev/null
	grv-list --now 2026-01-02 --status open | cut -d, -f1 > "$BATS_TEST_TMPDIR/open"
	# ID2 open; one complaint of its phone and one of another, by Python
	pairs=$(zcat "$GRV_DIR/ledger/complaints-2025.csv.gz" | python3 -c '
import csv, sys
opn = set(open(sys.argv[1]).read().split())
rows = [r for r in csv.reader(sys.stdin) if len(r) == 10 and r[0] != "id"]
by = {}
for r in rows:
    by.setdefault(r[6], []).append(r[0])
for r in rows:
    if r[0] in opn and len(by[r[6]]) > 1:
        same = [i for i in by[r[6]] if i != r[0]][0]
        other = next(x[0] for x in rows if x[6] != r[6])
        print(r[0], same, other)
        break' "$BATS_TEST_TMPDIR/open")
	[ -n "$pairs" ]
	set -- $pairs
	officer=EN-JE-B2	# not active: refused after the phones are compared
	for id in "$2" "$3"; do
		cold_copy
		run -65 grv-resolve "$id" --now 2026-01-02 --officer $officer --duplicate-of "$1"
		warm=$output
		GRV_DIR=$COLD run -65 grv-resolve "$id" --now 2026-01-02 --officer $officer --duplicate-of "$1"
		[ "$output" = "$warm" ]
		if [ "$id" = "$3" ]; then
			[ "$warm" = "grv-resolve: $id: $1 was filed from another phone: not a duplicate" ]
		else
			[[ "$warm" != *"another phone"* ]]
		fi
	done
}
