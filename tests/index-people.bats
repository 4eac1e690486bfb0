#!/usr/bin/env bats
# The indexes of people's data in cache/ (grv-ledger(5), The state cache):
# a phone's complaints (grv-add's repeat-caller warning and per-phone
# limits) and a complaint's corrections (grv-show, grv-notify, grv-list
# --pii).  Derived only: every command run with cache/ as the programs
# left it says exactly what it says with no cache/ at all, and so does one
# that meets a stale, cut, foreign or damaged index.
#
# Two data directories are driven in lockstep by the same commands at the
# same --now: W keeps its cache/, C loses it before every command.  Exit
# status, standard output and standard error must be the same, and so
# must the ledgers.  INDEX_SEED=N explores other mixes.

load test_helper

PHONES=(9816000001 9816000002 9816000003 9816000004 9816000005 9816000006
	9816000007 9816000008 9816000009 9816000010 01772620000 7612420000)
CATS=(EN-SUPPLY EN-BILL REV-MUT)
LOCS=(D1-T1-B1 D1-T1-B2 D1-T1)
NAMES=(Ram Sita Kamla Om Uma)

setup() {
	grv_sandbox
	W=$BATS_TEST_TMPDIR/w
	C=$BATS_TEST_TMPDIR/c
	printf 'max_per_phone_day = 4\nmax_per_phone_month = 15\n' >> "$GRV_DIR/grv.conf"
	cp -R "$GRV_DIR" "$W"
	cp -R "$GRV_DIR" "$C"
	T=$(date -d 2026-11-02T09:00+05:30 +%s)
	RANDOM=$(( ${INDEX_SEED:-0} + 1717 ))
}

now() {		# bash's own strftime: no date(1) to start per command
	TZ=Asia/Kolkata printf '%(%Y-%m-%dT%H:%M)T\n' "$T"
}

pick() {
	local -n arr=$1
	echo "${arr[RANDOM % ${#arr[@]}]}"
}

# both CMD ARGS: CMD in W, cache/ as it is, and in C, cache/ deleted
# first; the same exit status, standard output and standard error, or the
# test fails showing both.  W's standard error is added to $BOTH_LOG when
# it is set.
both() {
	local rw rc
	rw=0
	GRV_DIR=$W "$@" >"$BATS_TEST_TMPDIR/w.out" 2>"$BATS_TEST_TMPDIR/w.err" || rw=$?
	rm -rf "$C/cache"
	rc=0
	GRV_DIR=$C "$@" >"$BATS_TEST_TMPDIR/c.out" 2>"$BATS_TEST_TMPDIR/c.err" || rc=$?
	if [ -n "${BOTH_LOG:-}" ]; then
		cat "$BATS_TEST_TMPDIR/w.err" >> "$BOTH_LOG"
	fi
	if [ "$rw" != "$rc" ] ||
	    ! cmp -s "$BATS_TEST_TMPDIR/w.out" "$BATS_TEST_TMPDIR/c.out" ||
	    ! cmp -s "$BATS_TEST_TMPDIR/w.err" "$BATS_TEST_TMPDIR/c.err"; then
		echo "differs warm ($rw) and cold ($rc): $*"
		diff "$BATS_TEST_TMPDIR/w.out" "$BATS_TEST_TMPDIR/c.out" || true
		diff "$BATS_TEST_TMPDIR/w.err" "$BATS_TEST_TMPDIR/c.err" || true
		return 1
	fi
	echo "$rw" >"$BATS_TEST_TMPDIR/rc"
}

# scale: how many times smaller the damage test's mixes, and the share
# of complaints it shows, are.  Under the sanitizers (TAMPER_EVERY set by
# the Makefile) a process costs three times as much, and the plain build
# runs them whole: a quarter there.
scale() {
	if [ -n "${TAMPER_EVERY:-}" ]; then echo 4; else echo 1; fi
}

# The number of complaints registered in W.
ncomplaints() {
	echo $(( $(wc -l < "$W/ledger/complaints.csv") - 1 ))
}

# A random registered id, or TS-1.
some_id() {
	local n
	n=$(ncomplaints)
	echo "TS-$(( n > 0 ? RANDOM % n + 1 : 1 ))"
}

add_one() {
	local lang=()
	[ $(( RANDOM % 10 )) -lt 3 ] && lang=(--lang en)
	both grv-add --now "$(now)" --category "$(pick CATS)" --loc "$(pick LOCS)" \
		--name "$(pick NAMES)" --phone "$(pick PHONES)" --text 'no supply' "${lang[@]}"
}

add_batch() {
	local i f=$BATS_TEST_TMPDIR/b.csv
	echo category,loc,name,phone,text,lang > "$f"
	for i in 1 2 3; do
		echo "$(pick CATS),$(pick LOCS),$(pick NAMES),$(pick PHONES),batch row,$( [ $(( RANDOM % 3 )) = 0 ] && echo en)" >> "$f"
	done
	both grv-add --now "$(now)" --batch "$f"
}

# Close an open complaint: resolved by its holder, the citizen satisfied.
close_one() {
	local row id off
	row=$(GRV_DIR=$W grv-list --now "$(now)" --status open | sed 1d | head -n $(( RANDOM % 5 + 1 )) | tail -n 1)
	[ -n "$row" ] || return 0
	id=${row%%,*}
	off=$(echo "$row" | cut -d, -f5)
	both grv-resolve "$id" --now "$(now)" --officer "$off" --reason 'line repaired at the pole' --ref 'L/1'
	T=$(( T + 60 ))
	both grv-feedback "$id" --now "$(now)" --satisfied
}

amend_one() {
	local id
	id=$(some_id)
	case $(( RANDOM % 4 )) in
	0) both grv-amend "$id" --now "$(now)" --phone "$(pick PHONES)" --reason 'misheard digit' ;;
	1) both grv-amend "$id" --now "$(now)" --name "$(pick NAMES) Devi" --reason 'name spelt wrong' ;;
	2) both grv-amend "$id" --now "$(now)" --loc "$(pick LOCS)" --reason 'caller gave the wrong block' ;;
	3) both grv-amend "$id" --now "$(now)" --category "$(pick CATS)" --reason 'wrong category chosen' ;;
	esac
}

show_some() {
	local i
	for i in 1 2; do
		both grv-show "$(some_id)" --now "$(now)"
	done
}

# mix N: N operations, each a few minutes to two hours after the last.
mix() {
	local i k
	for (( i = 0; i < $1; i++ )); do
		T=$(( T + 300 + RANDOM % 7200 ))
		k=$(( RANDOM % 20 ))
		if [ "$k" -lt 9 ]; then add_one
		elif [ "$k" -lt 10 ]; then add_batch
		elif [ "$k" -lt 12 ]; then both grv-route --now "$(now)"
		elif [ "$k" -lt 14 ]; then close_one
		elif [ "$k" -lt 17 ]; then amend_one
		else show_some
		fi
	done
}

# Every complaint's grv-show (every STEP-th with a STEP), both lists with
# personal data, the notifications, and the ledgers byte for byte.
compare_all() {
	local n i step=${1:-1}
	n=$(ncomplaints)
	for (( i = 1; i <= n + 1; i += step )); do
		both grv-show "TS-$i" --now "$(now)"
	done
	both grv-show "TS-$n" --now "$(now)"
	both grv-list --now "$(now)" --pii
	both grv-list --now "$(now)" --pii --district D1
	both grv-list --now "$(now)" --pii --officer EN-JE-B1
	both grv-notify --now "$(now)" --dry-run
	[ "$(cd "$W/ledger" && sha256sum ./*.csv)" = "$(cd "$C/ledger" && sha256sum ./*.csv)" ]
}

@test "after a random mix of adds, amends and English complaints, every output with the indexes is the output without them" {
	not_sanitized "the mix of 320 commands warm and cold is the plain build's (tests 3 to 7 run these programs and indexes sanitized)"
	mix 320
	# The mix is no toy: hundreds of complaints, corrections of names
	# and phones, languages, warnings and refusals by the limits.
	[ "$(ncomplaints)" -ge 150 ]
	[ "$(grep -c ',phone,' "$W/ledger/corrections.csv")" -ge 5 ]
	[ "$(grep -c ',name,' "$W/ledger/corrections.csv")" -ge 5 ]
	[ "$(grep -c ',lang,en,' "$W/ledger/corrections.csv")" -ge 20 ]
	compare_all
	# the indexes were there to be used, with complaints.csv's mode
	[ -s "$W/cache/phone.bin" ] && [ -s "$W/cache/corr.bin" ]
	[ "$(stat -c %a "$W/cache/phone.bin")" = "$(stat -c %a "$W/ledger/complaints.csv")" ]
	[ "$(stat -c %a "$W/cache/corr.bin")" = "$(stat -c %a "$W/ledger/complaints.csv")" ]
}

@test "warnings and refusals, the mix's and one of each for certain: the warm and cold runs agree on them" {
	not_sanitized "the mix warm and cold is the plain build's (tests 3 to 7 run the warnings and refusals sanitized)"
	export BOTH_LOG=$BATS_TEST_TMPDIR/warnings
	local log=$BOTH_LOG i f=$BATS_TEST_TMPDIR/again.csv
	: > "$log"
	mix 200
	# What the mix draws differs from run to run (bash seeds $RANDOM
	# afresh in each $(...)): one caller past the day's limit and a
	# batch that repeats a caller, whatever it drew.
	for i in 1 2 3 4 5; do
		T=$(( T + 60 ))
		both grv-add --now "$(now)" --category EN-BILL --loc D1-T1-B2 \
			--name Om --phone 9816000077 --text 'no bill again'
	done
	printf '%s\n' category,loc,name,phone,text,lang \
		'EN-BILL,D1-T1-B2,Om,9816000078,batch row,' \
		'EN-BILL,D1-T1-B2,Om,9816000078,batch row,' > "$f"
	T=$(( T + 60 ))
	both grv-add --now "$(now)" --batch "$f"
	# repeat callers warned, and some callers over a limit refused
	grep -q 'already has [0-9]* open complaints\? in ' "$log"
	grep -q 'max_per_phone_\(day\|month\) = ' "$log"
	grep -q 'field .phone.: .* already has' "$log"	# a batch row named
}

@test "a stale, cut, grown, foreign or damaged index gives the same outputs as none" {
	local f how saved=$BATS_TEST_TMPDIR/saved stale=$BATS_TEST_TMPDIR/stale
	mix $(( 120 / $(scale) ))
	rm -rf "$stale" && cp -R "$W/cache" "$stale"
	mix $(( 120 / $(scale) ))
	for f in phone.bin corr.bin; do
		# stale: the file as it was 120 operations ago, then caught up
		rm -rf "$saved" && cp -R "$W/cache" "$saved"
		cp "$stale/$f" "$W/cache/$f"
		add_one
		show_some
		compare_all $(( 5 * $(scale) ))
		# foreign: C's own, built from another directory's ledger
		GRV_DIR=$C grv-show TS-1 >/dev/null
		GRV_DIR=$C grv-add --now "$(now)" --category EN-BILL --loc D2 --name X \
			--phone 9816000099 --text 'foreign index' >/dev/null
		GRV_DIR=$W grv-add --now "$(now)" --category EN-BILL --loc D2 --name X \
			--phone 9816000099 --text 'foreign index' >/dev/null
		cp "$C/cache/$f" "$W/cache/$f"
		add_one
		compare_all $(( 5 * $(scale) ))
		for how in cut grown header entry head empty; do
			rm -rf "$W/cache" && cp -R "$saved" "$W/cache"
			[ -e "$W/cache/$f" ] || continue
			damage "$W/cache/$f" "$how"
			T=$(( T + 60 ))
			add_one
			both grv-show "$(some_id)" --now "$(now)"
			both grv-list --now "$(now)" --pii --district D1
		done
	done
	compare_all $(( 5 * $(scale) ))
}

@test "a repeat caller is warned on standard error, naming the open complaint, and registered all the same (exit 0)" {
	export GRV_DIR=$W
	sed -i '/max_per_phone/d' "$W/grv.conf"
	add() {
		grv-add --now "${NOW:-2026-11-02T10:00}" --name Ram --text 'no supply' "$@"
	}
	add --category EN-SUPPLY --loc D1-T1-B1 --phone 9816012345 >/dev/null
	add --category EN-SUPPLY --loc D1-T1-B2 --phone 9816012345 >/dev/null	# another place
	add --category EN-BILL --loc D1-T1-B1 --phone 9816012345 >/dev/null	# another category
	add --category EN-SUPPLY --loc D1-T1-B1 --phone 9816099999 >/dev/null	# another phone
	run -0 --separate-stderr add --category EN-SUPPLY --loc D1-T1-B1 --phone '+91 98160 12345'
	[ "${lines[1]%%,*}" = TS-5 ]
	[ "$stderr" = "grv-add: --phone: 98XXXXXX45 already has 1 open complaint in EN-SUPPLY at D1-T1-B1: TS-1 (TS-5 registered all the same)" ]
	# a closed complaint is no repeat; the other open one still is
	grv-route --now 2026-11-02T10:05 >/dev/null
	grv-resolve TS-1 --now 2026-11-02T11:00 --officer EN-JE-B1 --reason 'line repaired at the pole' --ref L/1 >/dev/null
	grv-feedback TS-1 --now 2026-11-02T11:05 --satisfied >/dev/null
	NOW=2026-11-02T12:00 run -0 --separate-stderr add --category EN-SUPPLY --loc D1-T1-B1 --phone 9816012345
	[ "$stderr" = "grv-add: --phone: 98XXXXXX45 already has 1 open complaint in EN-SUPPLY at D1-T1-B1: TS-5 (TS-6 registered all the same)" ]
	# the place as amended is the one compared: TS-2 moved to B1
	grv-amend TS-2 --now 2026-11-02T12:30 --loc D1-T1-B1 --reason 'caller gave the wrong block' >/dev/null
	NOW=2026-11-02T13:00 run -0 --separate-stderr add --category EN-SUPPLY --loc D1-T1-B1 --phone 9816012345
	[ "$stderr" = "grv-add: --phone: 98XXXXXX45 already has 3 open complaints in EN-SUPPLY at D1-T1-B1: TS-2 TS-5 TS-6 (TS-7 registered all the same)" ]
	# a landline too, masked
	NOW=2026-11-02T13:00 add --category REV-MUT --loc D1-T1 --phone 0177-2620000 >/dev/null
	NOW=2026-11-02T13:00 run -0 --separate-stderr add --category REV-MUT --loc D1-T1 --phone 01772620000
	[ "$stderr" = "grv-add: --phone: 01XXXXXXX00 already has 1 open complaint in REV-MUT at D1-T1: TS-8 (TS-9 registered all the same)" ]
	# the same answers without cache/
	rm -rf "$W/cache"
	NOW=2026-11-02T13:00 run -0 --separate-stderr add --category REV-MUT --loc D1-T1 --phone 01772620000
	[ "$stderr" = "grv-add: --phone: 01XXXXXXX00 already has 2 open complaints in REV-MUT at D1-T1: TS-8 TS-9 (TS-10 registered all the same)" ]
	run -0 grv-check
}

@test "a batch names each repeating row by file and line, earlier rows of the batch included" {
	export GRV_DIR=$W
	sed -i '/max_per_phone/d' "$W/grv.conf"
	grv-add --now 2026-11-02T10:00 --category EN-SUPPLY --loc D1-T1-B1 --name Ram \
		--phone 9816012345 --text 'no supply' >/dev/null
	{
		echo category,loc,name,phone,text
		echo "EN-BILL,D1-T1-B1,Ram,9816012345,bill"
		echo "EN-SUPPLY,D1-T1-B1,Ram,9816012345,again"
		echo "EN-SUPPLY,D1-T1-B1,Sita,9816000001,first time"
		echo "EN-SUPPLY,D1-T1-B1,Sita,09816000001,twice in one batch"
	} > "$BATS_TEST_TMPDIR/calls.csv"
	run -0 --separate-stderr grv-add --now 2026-11-02T11:00 --batch "$BATS_TEST_TMPDIR/calls.csv"
	[ "${#lines[@]}" -eq 5 ] && [ "${lines[4]%%,*}" = TS-5 ]
	[ "$stderr" = "grv-add: $BATS_TEST_TMPDIR/calls.csv:3: field 'phone': 98XXXXXX45 already has 1 open complaint in EN-SUPPLY at D1-T1-B1: TS-1 (TS-3 registered all the same)
grv-add: $BATS_TEST_TMPDIR/calls.csv:5: field 'phone': 98XXXXXX01 already has 1 open complaint in EN-SUPPLY at D1-T1-B1: TS-4 (TS-5 registered all the same)" ]
}

@test "the limits refuse with 65 naming the earlier ids, through the index and without it alike" {
	local before
	export GRV_DIR=$W
	for t in 09:00 10:00 11:00 12:00; do
		grv-add --now "2026-11-02T$t" --category EN-BILL --loc D2 --name Om \
			--phone 9816012345 --text "call at $t" >/dev/null 2>&1
	done
	before=$(ledger_sum)
	run -65 grv-add --now 2026-11-02T13:00 --category PWD-ROAD --loc D2 --name Om --phone 9816012345 --text 'a fifth'
	[ "$output" = "grv-add: --phone: 98XXXXXX45 has 4 complaints on 2026-11-02 already (max_per_phone_day = 4): TS-1 TS-2 TS-3 TS-4
grv-add: 1 complaint over a per-phone limit; nothing added" ]
	assert_unchanged "$before"
	warm=$output
	rm -rf "$W/cache"
	run -65 grv-add --now 2026-11-02T13:00 --category PWD-ROAD --loc D2 --name Om --phone 9816012345 --text 'a fifth'
	[ "$output" = "$warm" ]
	assert_unchanged "$before"
	# a phone corrected later counts where it was registered
	grv-route --now 2026-11-02T13:30 >/dev/null
	grv-amend TS-1 --now 2026-11-02T14:00 --phone 9816000001 --reason 'misheard digit' >/dev/null
	run -65 grv-add --now 2026-11-02T15:00 --category PWD-ROAD --loc D2 --name Om --phone 9816012345 --text 'a fifth'
	[ "$output" = "$warm" ]
}

@test "grv-add with a limit set reads its phone's complaints from the index, not the ledger" {
	not_sanitized "what it reads is the same in either build; 10,000 complaints added sanitized cost 40 s"
	local f=$BATS_TEST_TMPDIR/big.csv i size bytes
	export GRV_DIR=$W
	{
		echo category,loc,name,phone,text
		for (( i = 0; i < 10000; i++ )); do
			printf 'EN-BILL,D2,Caller %d,98%08d,a long enough complaint text to make the ledger weigh\n' "$i" "$i"
		done
	} > "$f"
	grv-add --now 2026-11-02T09:00 --batch "$f" >/dev/null
	grv-route --now 2026-11-02T09:00 >/dev/null
	grv-add --now 2026-11-02T09:01 --category EN-BILL --loc D2 --name Om --phone 9800000007 --text t >/dev/null 2>&1
	size=$(stat -c %s "$W/ledger/complaints.csv")
	ASAN_OPTIONS=detect_leaks=0 strace -y -e trace=read,pread64 -o "$BATS_TEST_TMPDIR/trace" \
		grv-add --now 2026-11-02T09:02 --category EN-BILL --loc D2 --name Om --phone 9800000007 --text t 2>/dev/null
	# what it read of complaints.csv is a few blocks at its tail
	bytes=$(grep 'complaints\.csv>' "$BATS_TEST_TMPDIR/trace" |
		sed -n 's/.*= \([0-9][0-9]*\)$/\1/p' | awk '{ s += $1 } END { print s + 0 }')
	echo "read $bytes of a ledger of $size bytes"
	[ "$bytes" -lt $(( size / 8 )) ]
}
