#!/usr/bin/env bats
# cache/masters.bin: the masters as last parsed and checked.  It changes
# no output, an edited masters file is always seen, and a snapshot that
# is damaged, cut short or of other files is never trusted
# (grv-ledger(5), "The masters snapshot").

load test_helper

setup() {
	grv_sandbox
	leak_check
	for loc in D1-T1-B1 D1-T1-B2 D2-T1-B1; do
		add_complaint EN-SUPPLY "$loc" 2026-11-02T10:00 > /dev/null
		add_complaint REV-MUT "$loc" 2026-11-02T10:00 > /dev/null
	done
	grv-route --now 2026-11-02T11:00 > /dev/null
	grv-resolve --now 2026-11-03T10:00 TS-1 --officer EN-JE-B1 --reason "meter replaced" > /dev/null
	# A snapshot is written only of files changed a second ago or more.
	sleep 1.1
}

SNAP() { echo "$GRV_DIR/cache/masters.bin"; }

# reads_officers CMD...: whether CMD reads masters/officers.csv's bytes
# (it always opens it, to know its identity).
reads_officers() {
	strace -f -y -e trace=read -o "$BATS_TEST_TMPDIR/strace" "$@" > /dev/null 2>&1 || true
	grep -q 'masters/officers.csv>' "$BATS_TEST_TMPDIR/strace"
}

# run_all DIR DROP: every program over DIR, each line of what it says
# (stdout, stderr, exit status); with DROP=1, cache/masters.bin is
# removed before each program, so all of them parse the CSV files.
run_all() {
	local dir=$1 drop=$2 i
	local -a cmds=(
		"grv-list --now 2026-11-20"
		"grv-list --now 2026-11-20 --officer EN-JE-B1"
		"grv-list --now 2026-11-20 --officer EN-JE-X9"
		"grv-list --now 2026-11-20 --district D1"
		"grv-list --now 2026-11-20 --district Shimla"
		"grv-show --now 2026-11-20 TS-1"
		"grv-report grading --now 2026-11-20"
		"grv-report officers --now 2026-11-20 --format table"
		"grv-report districts --now 2026-11-20 --format json"
		"grv-report pending --now 2026-11-20"
		"grv-escalate --dry-run --now 2026-11-20"
		"grv-add --now 2026-11-20T09:00 --category EN-SUPPLY --loc D1-T1-B2 --name Asha --phone 9876500001 --text again"
		"grv-route --now 2026-11-20T09:05"
		"grv-resolve --now 2026-11-20T10:00 TS-3 --officer EN-JE-T1 --reason 'meter replaced, rule 4'"
		"grv-resolve --now 2026-11-20T10:00 TS-5 --officer NOBODY --reason 'meter replaced, rule 4'"
		"grv-feedback --now 2026-11-20T11:00 TS-1 --satisfied"
		"grv-route --now 2026-11-20T12:00 --transfer TS-4 --dept EN --reason wrong"
		"grv-amend --now 2026-11-20T12:30 TS-5 --loc D1-T1-B2 --reason 'caller gave the wrong block'"
		"grv-escalate --now 2026-11-30"
		"grv-check"
	)
	for i in "${!cmds[@]}"; do
		[ "$drop" = 1 ] && rm -f "$dir/cache/masters.bin"
		echo "== ${cmds[$i]}"
		GRV_DIR=$dir bash -c "${cmds[$i]}" 2>&1 | sed "s|$dir|DIR|g"
		echo "exit ${PIPESTATUS[0]}"
	done
	(cd "$dir/ledger" && sha256sum complaints.csv events.csv)
}

@test "a program writes cache/masters.bin and the next ones read it instead of masters/officers.csv" {
	rm -rf "$GRV_DIR/cache"
	run reads_officers grv-list --now 2026-11-20
	[ "$status" -eq 0 ]
	[ -f "$(SNAP)" ]
	run reads_officers grv-list --now 2026-11-20
	[ "$status" -eq 1 ]
	run reads_officers grv-resolve --now 2026-11-20T10:00 TS-2 --officer EN-JE-B1 --reason done
	[ "$status" -eq 1 ]
	# grv-check always reads everything
	run reads_officers grv-check
	[ "$status" -eq 0 ]
}

@test "every program says the same with the snapshot as without it, and writes the same rows" {
	cp -R "$GRV_DIR" "$BATS_TEST_TMPDIR/a"
	cp -R "$GRV_DIR" "$BATS_TEST_TMPDIR/b"
	rm -rf "$BATS_TEST_TMPDIR/a/cache" "$BATS_TEST_TMPDIR/b/cache"
	sleep 1.1
	grv-list -d "$BATS_TEST_TMPDIR/a" --now 2026-11-20 > /dev/null
	[ -f "$BATS_TEST_TMPDIR/a/cache/masters.bin" ]
	run_all "$BATS_TEST_TMPDIR/a" 0 > "$BATS_TEST_TMPDIR/with"
	# the snapshot was there all along
	[ -f "$BATS_TEST_TMPDIR/a/cache/masters.bin" ]
	run_all "$BATS_TEST_TMPDIR/b" 1 > "$BATS_TEST_TMPDIR/without"
	diff "$BATS_TEST_TMPDIR/without" "$BATS_TEST_TMPDIR/with"
	# and they did something: rows written, refusals, suggestions
	grep -q "NOBODY" "$BATS_TEST_TMPDIR/with"
	grep -q "did you mean 'EN-JE-B1'" "$BATS_TEST_TMPDIR/with"
	grep -q "did you mean 'D1'" "$BATS_TEST_TMPDIR/with"
	[ "$(grep -c ',resolve,' "$BATS_TEST_TMPDIR/a/ledger/events.csv")" -ge 2 ]
	grep -q ',amend,' "$BATS_TEST_TMPDIR/a/ledger/events.csv"
}

@test "an officer renamed in place, same size, modification time put back, is seen at once" {
	grv-show --now 2026-11-20 TS-1 > /dev/null
	[ -f "$(SNAP)" ]
	run grv-show --now 2026-11-20 TS-1
	[[ "$output" == *"Ramesh Negi"* ]]
	touch -r "$GRV_DIR/masters/officers.csv" "$BATS_TEST_TMPDIR/mtime"
	size=$(stat -c %s "$GRV_DIR/masters/officers.csv")
	# the same inode, the same length, the old modification time
	sed 's/Ramesh Negi/Rakesh Negi/' "$GRV_DIR/masters/officers.csv" > "$BATS_TEST_TMPDIR/o"
	cat "$BATS_TEST_TMPDIR/o" > "$GRV_DIR/masters/officers.csv"
	touch -r "$BATS_TEST_TMPDIR/mtime" "$GRV_DIR/masters/officers.csv"
	[ "$(stat -c %s "$GRV_DIR/masters/officers.csv")" = "$size" ]
	[ "$(stat -c %Y "$GRV_DIR/masters/officers.csv")" = "$(stat -c %Y "$BATS_TEST_TMPDIR/mtime")" ]
	run grv-show --now 2026-11-20 TS-1
	[ "$status" -eq 0 ]
	[[ "$output" == *"Rakesh Negi"* ]]
	[[ "$output" != *"Ramesh Negi"* ]]
	# and once the edit is a second old, a new snapshot says the same
	sleep 1.1
	grv-show --now 2026-11-20 TS-1 > /dev/null
	run reads_officers grv-show --now 2026-11-20 TS-1
	[ "$status" -eq 1 ]
	run grv-show --now 2026-11-20 TS-1
	[[ "$output" == *"Rakesh Negi"* ]]
}

@test "a masters file replaced by a copy with the same bytes and times is read again" {
	grv-list --now 2026-11-20 > /dev/null
	[ -f "$(SNAP)" ]
	cp -p "$GRV_DIR/masters/departments.csv" "$BATS_TEST_TMPDIR/dep"
	mv "$BATS_TEST_TMPDIR/dep" "$GRV_DIR/masters/departments.csv"
	run reads_officers grv-list --now 2026-11-20
	[ "$status" -eq 0 ]
}

@test "holidays.csv appearing or going away is seen" {
	grv-list --now 2026-11-20 > /dev/null
	[ -f "$(SNAP)" ]
	mv "$GRV_DIR/masters/holidays.csv" "$BATS_TEST_TMPDIR/h"
	run reads_officers grv-list --now 2026-11-20
	[ "$status" -eq 0 ]
	sleep 1.1
	grv-list --now 2026-11-20 > /dev/null
	mv "$BATS_TEST_TMPDIR/h" "$GRV_DIR/masters/holidays.csv"
	run reads_officers grv-list --now 2026-11-20
	[ "$status" -eq 0 ]
}

@test "a damaged, cut short or empty snapshot is not trusted, and is written again" {
	grv-list --now 2026-11-20 > "$BATS_TEST_TMPDIR/want"
	[ -f "$(SNAP)" ]
	cp "$(SNAP)" "$BATS_TEST_TMPDIR/good"
	size=$(stat -c %s "$(SNAP)")
	for how in flip cut empty; do
		cp "$BATS_TEST_TMPDIR/good" "$(SNAP)"
		case $how in
		flip)	# a byte of the strings, near the end
			printf 'X' | dd of="$(SNAP)" bs=1 seek=$((size - 200)) conv=notrunc 2> /dev/null ;;
		cut)	truncate -s $((size / 2)) "$(SNAP)" ;;
		empty)	: > "$(SNAP)" ;;
		esac
		run reads_officers grv-list --now 2026-11-20
		[ "$status" -eq 0 ]
		run grv-list --now 2026-11-20
		[ "$status" -eq 0 ]
		diff "$BATS_TEST_TMPDIR/want" <(echo "$output")
		cmp "$(SNAP)" "$BATS_TEST_TMPDIR/good"
	done
}

@test "a snapshot from another data directory with other officers is not used" {
	other=$BATS_TEST_TMPDIR/other
	cp -R "$GRV_DIR" "$other"
	sed -i 's/Ramesh Negi/Someone Else/' "$other/masters/officers.csv"
	sleep 1.1
	grv-show -d "$other" --now 2026-11-20 TS-1 | grep -q 'Someone Else'
	mkdir -p "$GRV_DIR/cache"
	cp "$other/cache/masters.bin" "$(SNAP)"
	run grv-show --now 2026-11-20 TS-1
	[ "$status" -eq 0 ]
	[[ "$output" == *"Ramesh Negi"* ]]
	[[ "$output" != *"Someone Else"* ]]
}

@test "masters with a finding get no snapshot, and every run says so" {
	grv-list --now 2026-11-20 > /dev/null
	rm -f "$(SNAP)"
	sed -i 's/^EN-JE-T1,Mohan Thakur,Junior Engineer,EN,1,/EN-JE-T1,Mohan Thakur,Junior Engineer,EN,9,/' \
		"$GRV_DIR/masters/officers.csv"
	sleep 1.1
	for i in 1 2; do
		run -65 grv-list --now 2026-11-20
		[[ "$output" == *"masters/officers.csv:4: bad level '9' (1 to 4)"* ]]
		[ ! -e "$(SNAP)" ]
	done
}

@test "a snapshot of masters read under other levels is not used" {
	grv-list --now 2026-11-20 > /dev/null
	[ -f "$(SNAP)" ]
	# officers at level 4 exist: under levels = 3 the masters are refused
	grep -q "^EN-CE,.*,EN,4,ST," "$GRV_DIR/masters/officers.csv"
	sed -i 's/^levels = 4/levels = 3/' "$GRV_DIR/grv.conf"
	run -65 grv-list --now 2026-11-20
	[[ "$output" == *"bad level '4' (1 to 3)"* ]]
}

@test "a snapshot that is a symbolic link is not followed" {
	grv-list --now 2026-11-20 > /dev/null
	mv "$(SNAP)" "$BATS_TEST_TMPDIR/snap"
	ln -s "$BATS_TEST_TMPDIR/snap" "$(SNAP)"
	run reads_officers grv-list --now 2026-11-20
	[ "$status" -eq 0 ]
}

@test "a dry run writes no snapshot either" {
	rm -rf "$GRV_DIR/cache"
	run -0 grv-escalate --dry-run --now 2026-11-20
	[ ! -e "$GRV_DIR/cache" ]
	run -0 grv-list --now 2026-11-20
	[ -f "$(SNAP)" ]
}
