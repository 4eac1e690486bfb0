#!/usr/bin/env bats
# Reliability (issue 8): killed writers, concurrent writers, full disks and
# failing writes, hostile input.  The long variants run with STRESS=1.

load test_helper

setup_file() {
	cc -shared -fPIC -o "$BATS_FILE_TMPDIR/failio.so" \
		"$TESTS_DIR/shim/failio.c" -ldl
}

setup() {
	grv_sandbox
}

teardown() {
	if [ -n "${small:-}" ]; then
		umount "$small" 2> /dev/null || true
	fi
}

# failio VAR=N... PROGRAM ARGS: run with the failing-I/O shim counting only
# ledger files (sanitized programs accept a preload after their runtime).
failio() {
	env LD_PRELOAD="$BATS_FILE_TMPDIR/failio.so" FAILIO_MATCH=/ledger/ \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		"$@"
}

T0=2026-11-02T10:00

# A state with one complaint of each kind: TS-1 open and overdue on
# 2026-11-06, TS-2 resolved (awaiting feedback), TS-3 new.
small_state() {
	add_complaint EN-SUPPLY D1-T1-B1 $T0 > /dev/null
	add_complaint EN-SUPPLY D1-T1-B1 $T0 > /dev/null
	grv-route --now $T0 > /dev/null
	grv-resolve TS-2 --officer EN-JE-B1 --reason "line repaired under rule 4" \
		--now 2026-11-03T10:00 > /dev/null
	add_complaint EN-SUPPLY D1-T1-B1 2026-11-04T10:00 > /dev/null
}

# The five writers, each with something to write at 2026-11-06.
writers() {
	cat <<-'EOF'
	grv-add --now 2026-11-06T10:00 --category EN-SUPPLY --loc D1-T1-B1 --name A --phone 9876543210 --text x
	grv-route --now 2026-11-06T10:00
	grv-resolve TS-1 --officer EN-JE-B1 --reason "line repaired under rule 4" --now 2026-11-06T10:00
	grv-feedback TS-2 --satisfied --now 2026-11-06T10:00
	grv-escalate --now 2026-11-06T10:00
	EOF
}

@test "writers killed at random moments never lose a printed id, and leave at most a torn tail that --repair fixes" {
	not_sanitized "killing and racing writers is the plain build's (races are not what ASan sees)"
	local trials=200
	[ -n "${STRESS:-}" ] && trials=2000
	run -0 python3 "$REPO_DIR/scripts/killtest" --seed 20261123 --trials $trials
	echo "$output" >&3
	[[ "$output" == "killtest: seed 20261123: $trials trials, "*"grv-check clean" ]]
}

@test "8 writers of each kind at once lose nothing, duplicate nothing, and the chain holds" {
	local n=8 per=25 i T=2026-11-07T10:00 pids=() rc=0
	[ -n "${STRESS:-}" ] && per=250
	out=$BATS_TEST_TMPDIR/out
	mkdir -p "$out"
	# 16 complaints routed on the 2nd (overdue by the 7th), 8 on the 6th.
	{ echo category,loc,name,phone,text
	  for i in $(seq 16); do echo "EN-SUPPLY,D1-T1-B1,Old $i,9876543210,old $i"; done
	} | grv-add --batch - --now $T0 | grv-route --now $T0 - > /dev/null
	{ echo category,loc,name,phone,text
	  for i in $(seq $n); do echo "EN-SUPPLY,D1-T1-B1,Recent $i,9876543210,recent $i"; done
	} | grv-add --batch - --now 2026-11-06T10:00 | grv-route --now 2026-11-06T10:00 - > "$out/recent"
	mapfile -t recent < <(tail -n +2 "$out/recent" | cut -d, -f1)
	for i in $(seq $n); do
		{ echo category,loc,name,phone,text
		  for j in $(seq $per); do echo "REV-MUT,D1-T1,Writer $i row $j,9876543210,text $i $j"; done
		} > "$out/batch$i"
	done
	for i in $(seq $n); do
		grv-add --batch "$out/batch$i" --now $T --wait 300 > "$out/add$i" 2> "$out/add$i.err" & pids+=($!)
		grv-route --now $T --wait 300 > "$out/route$i" 2> "$out/route$i.err" & pids+=($!)
		grv-resolve "${recent[i-1]}" --officer EN-JE-B1 --reason "line repaired under rule 4" \
			--now $T --wait 300 > "$out/resolve$i" 2> "$out/resolve$i.err" & pids+=($!)
		grv-escalate --now $T --wait 300 > "$out/escalate$i" 2> "$out/escalate$i.err" & pids+=($!)
	done
	for p in "${pids[@]}"; do wait "$p" || rc=$?; done
	cat "$out"/*.err >&2
	[ "$rc" = 0 ]
	grv-route --now $T > "$out/route-last"
	local added=$(( 16 + n + n * per ))
	# Every complaint once, in sequence; every printed id in the ledger.
	[ "$(rows complaints)" = $added ]
	[ "$(tail -n +2 "$GRV_DIR/ledger/complaints.csv" | cut -d, -f1 | sort -u | wc -l)" = $added ]
	cat "$out"/add? | grep -v '^id,' | cut -d, -f1 | sort > "$out/add-ids"
	[ "$(sort -u "$out/add-ids" | wc -l)" = $(( n * per )) ]
	[ "$(comm -23 "$out/add-ids" <(tail -n +2 "$GRV_DIR/ledger/complaints.csv" | cut -d, -f1 | sort) | wc -l)" = 0 ]
	# Every complaint routed exactly once, by exactly one of the routers.
	grep -E '^[^,]*,[^,]*,route,' "$GRV_DIR/ledger/events.csv" | cut -d, -f2 | sort > "$out/routed"
	[ "$(wc -l < "$out/routed")" = $added ]
	[ -z "$(uniq -d "$out/routed")" ]
	cat "$out"/route[0-9] "$out"/route-last | grep -v '^id,' | cut -d, -f1 | sort > "$out/route-printed"
	[ "$(wc -l < "$out/route-printed")" = $(( n * per )) ]
	[ -z "$(uniq -d "$out/route-printed")" ]
	# The 16 overdue complaints climbed once each, whatever sweep did it.
	grep -E "^$T:00\\+05:30,[^,]*,escalate," "$GRV_DIR/ledger/events.csv" | cut -d, -f2 | sort > "$out/climbed"
	[ "$(wc -l < "$out/climbed")" = 16 ]
	[ -z "$(uniq -d "$out/climbed")" ]
	# Each recent complaint resolved once.
	[ "$(grep -c ',resolve,' "$GRV_DIR/ledger/events.csv")" = $n ]
	run -0 grv-check -q
	run -0 chain_ok "$GRV_DIR/ledger/complaints.csv" "$GRV_DIR/ledger/events.csv"
	echo "# concurrency: $((4 * n)) writers, $(rows complaints) complaints, $(rows events) events, grv-check clean" >&3
}

@test "a full disk makes every writer exit 74 and leaves the ledger unchanged" {
	small_state
	local sum cmd n=0
	sum=$(ledger_sum)
	mapfile -t cmds < <(writers)
	for cmd in "${cmds[@]}"; do
		n=$((n + 1))
		eval "run -74 failio FAILIO_WRITE=1 $cmd"
		[[ "$output" == *"No space left on device"* ]]
		assert_unchanged "$sum"
	done
	[ "$n" = 5 ]
	run -0 grv-check -q
}

@test "a write error on the disk makes every writer exit 74 and leaves the ledger unchanged" {
	small_state
	local sum cmd
	sum=$(ledger_sum)
	mapfile -t cmds < <(writers)
	for cmd in "${cmds[@]}"; do
		eval "run -74 failio FAILIO_WRITE=1 FAILIO_ERRNO=5 $cmd"
		[[ "$output" == *"Input/output error"* ]]
		assert_unchanged "$sum"
	done
}

@test "a failing fsync makes every writer exit 74 and takes its rows back" {
	small_state
	local sum cmd
	sum=$(ledger_sum)
	mapfile -t cmds < <(writers)
	for cmd in "${cmds[@]}"; do
		eval "run -74 failio FAILIO_FSYNC=1 $cmd"
		[[ "$output" == *"Input/output error"* ]]
		assert_unchanged "$sum"
	done
	run -0 grv-check -q
}

@test "each writer works again once the disk has room, and adds its rows once" {
	local cmd before added
	mapfile -t cmds < <(writers)
	for cmd in "${cmds[@]}"; do
		grv_sandbox
		small_state
		before=$(rows events)
		eval "run -74 failio FAILIO_WRITE=1 $cmd"
		# The sweep counts TS-3, never placed, and exits 1 (grv-escalate(1)).
		if [[ $cmd == grv-escalate* ]]; then
			eval "run -1 --separate-stderr $cmd"
			[[ "$stderr" == "grv-escalate: 1 complaint never placed, status new (TS-3)"* ]]
		else
			# (a repeat caller's warning is on standard error)
			eval "run -0 --separate-stderr $cmd"
		fi
		added=$(( ${#lines[@]} - 1 ))
		[ "$added" -ge 1 ]
		[ "$(( $(rows complaints) + $(rows events) ))" = $(( 3 + before + added )) ]
		run -0 grv-check -q
	done
}

@test "on a small tmpfs that fills up, writers exit 74 and the ledger stays whole" {
	[ "$(id -u)" = 0 ] || skip "mounting a tmpfs needs root"
	mkdir -p "$BATS_TEST_TMPDIR/small"
	mount -t tmpfs -o size=160k tmpfs "$BATS_TEST_TMPDIR/small" ||
		skip "cannot mount a tmpfs here"
	small=$BATS_TEST_TMPDIR/small
	cp -R "$GRV_DIR/." "$small/"
	export GRV_DIR=$small
	{ echo category,loc,name,phone,text
	  for i in $(seq 200); do echo "EN-SUPPLY,D1-T1-B1,Citizen $i,9876543210,no power in ward $i since monday"; done
	} > "$BATS_TEST_TMPDIR/batch.csv"
	local i
	for i in $(seq 50); do
		run grv-add --now $T0 --batch "$BATS_TEST_TMPDIR/batch.csv"
		[ "$status" = 0 ] || break
	done
	[ "$status" = 74 ]
	[[ "$output" == *"No space left on device"* ]]
	# a refused batch leaves nothing: whole batches only
	[ "$(( $(rows complaints) % 200 ))" = 0 ]
	[ "$(rows complaints)" -gt 0 ]
	run -0 grv-check -q
	# routing them all cannot fit either: nothing of it is left
	run -74 grv-route --now $T0
	[[ "$output" == *"No space left on device"* ]]
	run -0 grv-check -q
	[ ! -s "$GRV_DIR/ledger/events.csv" ] || [ "$(rows events)" = 0 ]
}

@test "a new ledger whose header cannot be written is left empty, and everything still reads it" {
	run -74 failio FAILIO_WRITE=1 grv-add --now $T0 --category EN-SUPPLY \
		--loc D1-T1-B1 --name A --phone 9876543210 --text x
	[ ! -s "$GRV_DIR/ledger/complaints.csv" ]
	run -0 grv-check -q
	run -0 grv-list --now $T0
	run -0 add_complaint EN-SUPPLY D1-T1-B1
	[ "$output" = TS-1 ]
	run -0 grv-check -q
}

@test "standard output on a full disk makes every program exit 74 and say so" {
	small_state
	local cmd
	mapfile -t cmds < <(writers; echo "grv-list --now 2026-11-06"
		echo "grv-show TS-1"; echo "grv-check")
	for cmd in "${cmds[@]}"; do
		run -74 bash -c "$cmd > /dev/full"
		[[ "$output" == *"standard output: No space left on device"* ]]
	done
	run -0 grv-check -q
}

# ---- hostile input to grv-add --batch: refused whole, nothing appended ----

# refused RC MESSAGE: grv-add --batch $BATS_TEST_TMPDIR/in.csv exits RC,
# says MESSAGE (a glob), and leaves the ledger unchanged.
refused() {
	local sum
	add_complaint EN-SUPPLY D1-T1-B1 > /dev/null
	sum=$(ledger_sum)
	run -"$1" grv-add --now $T0 --batch "$BATS_TEST_TMPDIR/in.csv"
	[[ "$output" == $2 ]]
	assert_unchanged "$sum"
}

batch() {
	printf "$@" > "$BATS_TEST_TMPDIR/in.csv"
}

H='category,loc,name,phone,text\n'
ROW='EN-SUPPLY,D1-T1-B1,Ram Lal,9876543210,'

@test "hostile batch: invalid UTF-8 is refused" {
	batch "$H${ROW}ok\n${ROW}caf\xc3 \xff\n"
	refused 65 "*in.csv:3: field 'text': not valid UTF-8*nothing added*"
}

@test "hostile batch: a field over 4000 bytes is refused" {
	{ printf "$H${ROW}ok\n$ROW"; head -c 4001 /dev/zero | tr '\0' x; echo; } > "$BATS_TEST_TMPDIR/in.csv"
	refused 65 "*in.csv:3: field 'text': 4001 bytes, at most 4000 allowed*"
}

@test "hostile batch: a line over 1 MiB is refused" {
	{ printf "$H$ROW"; head -c 1100000 /dev/zero | tr '\0' x; echo; } > "$BATS_TEST_TMPDIR/in.csv"
	refused 65 "*in.csv:2: record longer than 1048576 bytes*"
}

@test "hostile batch: a NUL byte is refused" {
	batch "$H${ROW}a\0b\n"
	refused 65 "*in.csv:2: NUL byte in input*"
}

@test "hostile batch: a row with too few or too many columns is refused" {
	batch "$H${ROW}ok\nEN-SUPPLY,D1-T1-B1,Ram Lal,9876543210\n"
	refused 65 "*in.csv:3: 4 fields, the header has 5*"
	batch "$H${ROW}ok,extra\n"
	refused 65 "*in.csv:2: 6 fields, the header has 5*"
}

@test "hostile batch: a header missing a column is refused" {
	batch 'category,loc,name,text\nEN-SUPPLY,D1-T1-B1,Ram Lal,ok\n'
	refused 65 "*in.csv:1: header has no column 'phone'*"
}

@test "hostile batch: an unterminated quote is refused" {
	batch "$H${ROW}\"never closed\n"
	refused 65 "*in.csv:2: *"
}

@test "hostile batch: one bad row at the end of a huge batch refuses all of it" {
	local rows=20000
	[ -n "${STRESS:-}" ] && rows=200000
	{ printf "$H"; for i in $(seq $rows); do echo "${ROW}complaint $i"; done
	  echo "EN-SUPPLY,NOWHERE,Ram Lal,9876543210,last"; } > "$BATS_TEST_TMPDIR/in.csv"
	refused 65 "*in.csv:$((rows + 2)): *NOWHERE*"
}

@test "a batch with columns reordered is read by header name" {
	batch 'text,phone,name,loc,category\nno power,9876543210,Ram Lal,D1-T1-B1,EN-SUPPLY\n'
	run -0 grv-add --now $T0 --batch "$BATS_TEST_TMPDIR/in.csv"
	[ "${lines[1]}" = "TS-1,2026-11-02T10:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	run -0 grv-show TS-1
	[[ "$output" == *"no power"* ]]
}

@test "a CR-LF batch with a BOM, saved by Excel, is read and stored without CR" {
	batch "\xef\xbb\xbf${H%\\n}\r\n${ROW}\"two\r\nlines\"\r\n${ROW}plain\r\n"
	run -0 --separate-stderr grv-add --now $T0 --batch "$BATS_TEST_TMPDIR/in.csv"
	[ "${#lines[@]}" = 3 ]
	run -1 grep -c $'\r' "$GRV_DIR/ledger/complaints.csv"
	run -0 grv-check -q
}

@test "formula-looking text is stored as given and never reaches a spreadsheet as a formula" {
	batch "$H"'EN-SUPPLY,D1-T1-B1,"=HYPERLINK(""http://x"",""y"")",9876543210,@SUM(A1)+1\n'
	run -0 grv-add --now $T0 --batch "$BATS_TEST_TMPDIR/in.csv"
	run -0 grv-list --pii --now $T0
	[[ "${lines[1]}" == *",\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",9876543210,'@SUM(A1)+1" ]]
	run -0 grv-check -q
}

@test "a huge batch is added whole in one append" {
	local rows=20000
	[ -n "${STRESS:-}" ] && rows=200000
	{ printf "$H"; for i in $(seq $rows); do echo "${ROW}complaint $i"; done; } > "$BATS_TEST_TMPDIR/in.csv"
	run -0 --separate-stderr grv-add --now $T0 --batch "$BATS_TEST_TMPDIR/in.csv"
	# every row but the first repeats the caller: each said, naming ten
	[ "$(printf '%s\n' "$stderr" | wc -l)" = $((rows - 1)) ]
	[[ "$(printf '%s\n' "$stderr" | tail -n 1)" == *" open complaints in EN-SUPPLY at D1-T1-B1: TS-1 TS-2 TS-3 TS-4 TS-5 TS-6 TS-7 TS-8 TS-9 TS-10 and $((rows - 11)) more (TS-$rows registered all the same)" ]]
	[ "${#lines[@]}" = $((rows + 1)) ]
	[ "${lines[$rows]}" = "TS-$rows,2026-11-02T10:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	[ "$(rows complaints)" = $rows ]
	run -0 grv-check -q
}

@test "a day of the helpline under valgrind: no leaks, no invalid reads or writes" {
	command -v valgrind > /dev/null || skip "valgrind is not installed"
	if ldd "$GRV_BIN/grv-check" | grep -q -e libasan -e libubsan; then
		skip "sanitized build: valgrind does not mix with ASan"
	fi
	# Leaks are blocks no pointer reaches at exit (definite, indirect).
	local vg=(valgrind -q --leak-check=full --show-leak-kinds=definite,indirect
		--errors-for-leak-kinds=definite,indirect --error-exitcode=99)
	run -0 "${vg[@]}" "$GRV_BIN/grv-add" --now $T0 --category EN-SUPPLY \
		--loc D1-T1-B1 --name "Ram Lal" --phone 9876543210 --text "no power"
	printf "category,loc,name,phone,text\nREV-MUT,D1-T1,Sunita,9876543211,mutation\nEN-BILL,D2-T1-B1,Om,9876543212,bill\n" |
		"${vg[@]}" "$GRV_BIN/grv-add" --now $T0 --batch - > /dev/null
	run -0 "${vg[@]}" "$GRV_BIN/grv-route" --now $T0
	run -0 "${vg[@]}" "$GRV_BIN/grv-resolve" TS-1 --officer EN-JE-B1 \
		--reason "line repaired under rule 4" --now 2026-11-03T10:00
	run -0 "${vg[@]}" "$GRV_BIN/grv-feedback" TS-1 --unsatisfied --now 2026-11-04T10:00
	run -0 "${vg[@]}" "$GRV_BIN/grv-escalate" --now 2026-11-20T10:00
	run -0 "${vg[@]}" "$GRV_BIN/grv-list" --now 2026-11-20T10:00 --pii
	run -0 "${vg[@]}" "$GRV_BIN/grv-show" TS-1 --now 2026-11-20T10:00
	run -0 "${vg[@]}" "$GRV_BIN/grv-report" grading --now 2026-11-20T10:00
	run -0 "${vg[@]}" "$GRV_BIN/grv-check"
	# a writer killed inside its write: part of a row, no newline
	printf '2026-11-20T10:00:00+05:30,TS-1,no' >> "$GRV_DIR/ledger/events.csv"
	run -65 "${vg[@]}" "$GRV_BIN/grv-check"
	run -0 "${vg[@]}" "$GRV_BIN/grv-check" --repair
	run -65 "${vg[@]}" "$GRV_BIN/grv-add" --now 2026-11-20T10:00 --category NOPE \
		--loc D1-T1-B1 --name "Ram Lal" --phone 9876543210 --text "no power"
}
