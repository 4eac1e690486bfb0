#!/usr/bin/env bats
# Identities and roles (issue 16): masters/actors.csv says who may write
# what.  The first tests run as any user, naming the tester's own login in
# actors.csv; the last ones, as root only, make real users with useradd and
# drive a day through programs installed setgid to the helpline's group.

load test_helper

setup() {
	grv_sandbox
	ME=$(id -un)
}

# actors LINE...: masters/actors.csv with these lines after the header.
actors() {
	{ echo login,role,officer; printf '%s\n' "$@"; } > "$GRV_DIR/masters/actors.csv"
}

# One complaint at D1-T1-B1 (held by EN-JE-B1), one at D2 (EN-JE-D2),
# registered and routed by whoever the file lists as $ME.
two_complaints() {
	grv-add --category EN-SUPPLY --loc D1-T1-B1 --name 'Ram Lal' \
		--phone 9816012345 --text 'No supply' | grv-route - >/dev/null
	grv-add --category EN-SUPPLY --loc D2 --name 'Kamla Devi' \
		--phone 9816012346 --text 'No supply' | grv-route - >/dev/null
}

@test "with actors.csv the actor is the real login, whatever LOGNAME says; without it, LOGNAME as before" {
	LOGNAME=someone-else run -0 grv-add --now 2026-11-02T10:00 --category EN-SUPPLY \
		--loc D1-T1-B1 --name 'Ram Lal' --phone 9816012345 --text 'No supply'
	actors "$ME,operator,"
	LOGNAME=someone-else run -0 grv-route
	[ "$(cut -d, -f8 "$GRV_DIR/ledger/events.csv" | tail -1)" = "$ME" ]
	rm "$GRV_DIR/masters/actors.csv"
	LOGNAME=someone-else run -0 grv-route --transfer TS-1 --dept REV --reason 'wrong department'
	[ "$(cut -d, -f8 "$GRV_DIR/ledger/events.csv" | tail -1)" = someone-else ]
}

@test "an operator registers, routes, transfers and records feedback, and is refused (64, ledger unchanged) a resolve, a force, --now, another --actor, the sweep, a repair" {
	actors "$ME,operator,"
	two_complaints
	[ "$(rows events)" = 2 ]
	before=$(ledger_sum)
	run -64 grv-resolve TS-1 --officer EN-SE-D1 --force --reason 'closed specially'
	[ "$output" = "grv-resolve: masters/actors.csv:2: '$ME' is an operator; a special closure (grv-resolve --force) is for the officer and admin roles" ]
	run -64 grv-resolve TS-1 --officer EN-JE-B1 --reason 'line repaired today'
	[[ "$output" == *"a resolve (grv-resolve) is for the officer and admin roles" ]]
	run -64 grv-add --now 2026-01-01 --category EN-SUPPLY --loc D1-T1-B1 \
		--name 'Ram Lal' --phone 9816012345 --text 'No supply'
	[ "$output" = "grv-add: --now: replays and tests only: the admin and system roles may use it, and '$ME' is an operator (masters/actors.csv:2)" ]
	run -64 grv-add --actor someone-else --category EN-SUPPLY --loc D1-T1-B1 \
		--name 'Ram Lal' --phone 9816012345 --text 'No supply'
	[[ "$output" == "grv-add: --actor: '$ME' writes as itself, not as 'someone-else'"* ]]
	run -64 grv-escalate
	[[ "$output" == *"the sweep (grv-escalate) is for the admin and system roles" ]]
	run -64 grv-check --repair
	[[ "$output" == *"a repair (grv-check --repair) is for the admin role" ]]
	assert_unchanged "$before"
	# Readers stay open; a dry run writes nothing, so anyone may.
	run -0 grv-list
	run -0 grv-escalate --dry-run --now 2099-01-01
	run -0 grv-route --transfer TS-1 --dept REV --reason 'wrong department'
}

@test "an officer acts only as its own officer code, transfers only what it holds; cmo records feedback; system sweeps with --now" {
	actors "$ME,operator,"
	two_complaints
	actors "$ME,officer,EN-JE-B1"
	before=$(ledger_sum)
	run -64 grv-resolve TS-2 --officer EN-JE-D2 --reason 'line repaired today'
	[ "$output" = "grv-resolve: --officer: '$ME' acts as officer 'EN-JE-B1' only, not as 'EN-JE-D2' (masters/actors.csv:2)" ]
	run -64 grv-route --transfer TS-2 --dept REV --reason 'wrong department'
	[ "$output" = "grv-route: TS-2: '$ME' (officer 'EN-JE-B1') transfers only a complaint it holds; officer 'EN-JE-D2' holds it" ]
	# As itself it still may not resolve what another officer holds (65).
	run -65 grv-resolve TS-2 --officer EN-JE-B1 --reason 'line repaired today'
	# Nor force-close below level 3, as before roles.
	run -65 grv-resolve TS-1 --officer EN-JE-B1 --force --reason 'closed specially'
	assert_unchanged "$before"
	run -0 grv-resolve TS-1 --officer EN-JE-B1 --reason 'line repaired today'
	actors "$ME,cmo,"
	run -0 grv-feedback TS-1 --satisfied
	[ "${lines[2]}" = TS-1,close,1,EN,, ]
	actors "$ME,system,"
	run -0 grv-escalate --now 2099-01-01
	[[ "$output" == *TS-2,escalate,1,2,EN,EN-EE-D2,* ]]
	[ "$(cut -d, -f8 "$GRV_DIR/ledger/events.csv" | sort -u | tr '\n' ' ')" = "actor $ME " ]
	# The admin may replay the clock and write as another actor.
	actors "$ME,admin,"
	run -0 grv-add --now 2099-01-02T10:00 --actor callcentre --category EN-SUPPLY \
		--loc D1-T1-B1 --name 'Ram Lal' --phone 9816012345 --text 'No supply'
}

@test "a login actors.csv does not list may read but not write (64); a bad actors.csv names file, line and field (65)" {
	actors "somebody-else,operator,"
	before=$(ledger_sum)
	run -64 grv-add --category EN-SUPPLY --loc D1-T1-B1 --name 'Ram Lal' \
		--phone 9816012345 --text 'No supply'
	[ "$output" = "grv-add: masters/actors.csv: no line for login '$ME': only the logins it lists may write" ]
	run -0 grv-list
	actors "$ME,opertor," "x,officer," "y,admin,EN-JE-B1" "x,cmo,"
	run -65 grv-add --category EN-SUPPLY --loc D1-T1-B1 --name 'Ram Lal' \
		--phone 9816012345 --text 'No supply'
	[ "${lines[0]}" = "grv-add: masters/actors.csv:2: unknown role 'opertor' (did you mean 'operator'?)" ]
	[ "${lines[1]}" = "grv-add: masters/actors.csv:3: login 'x' of role officer needs its officer code" ]
	[ "${lines[2]}" = "grv-add: masters/actors.csv:4: officer 'EN-JE-B1' given for role 'admin': only role officer has one" ]
	[ "${lines[3]}" = "grv-add: masters/actors.csv:5: login 'x' listed twice (first at line 3)" ]
	actors "$ME,officer,EN-NOPE"
	run -65 grv-resolve TS-1 --officer EN-JE-B1 --reason 'line repaired today'
	[ "$output" = "grv-resolve: masters/actors.csv:2: unknown officer 'EN-NOPE'" ]
	assert_unchanged "$before"
}

# ---- real users, programs installed setgid (root only) ----

# as USER CMD...: run CMD as USER with the installed programs, in the
# helpline's directory.
as() {
	local u=$1
	shift
	runuser -u "$u" -- env -i PATH="$T/bin:/usr/bin:/bin" GRV_DIR="$T/d" \
		LOGNAME="$u" LC_ALL=C "$@"
}

# The day's users: one name each per run, made here, removed in teardown.
real_users() {
	[ "$(id -u)" = 0 ] || skip "needs root to make users (useradd)"
	command -v useradd >/dev/null && command -v runuser >/dev/null ||
		skip "needs useradd and runuser"
	# A setgid process is not dumpable: LeakSanitizer cannot trace it, and
	# the sanitizer cannot read ASAN_OPTIONS from its /proc/self/environ.
	if ldd "$GRV_BIN/grv-add" 2>/dev/null | grep -q libasan; then
		skip "setgid programs cannot run under LeakSanitizer; the plain build runs this test"
	fi
	S=$$
	GRP=grvg$S
	USERS="grvop$S grvoff1$S grvoff2$S grvcmo$S grvsys$S grvout$S"
	T=$(mktemp -d /tmp/grv-roles.XXXXXX)
	chmod 755 "$T"
	groupadd "$GRP"
	for u in $USERS; do
		useradd -M -N -s /bin/sh "$u"
	done
	# Installed the classic way: the programs setgid to the group.
	mkdir "$T/bin"
	cp "$GRV_BIN"/grv-* "$T/bin/"
	chgrp "$GRP" "$T/bin"/grv-*
	chmod 2755 "$T/bin"/grv-*
	grv-init "$T/d" --group "$GRP" --masters "$TESTS_DIR/fixtures/state/masters" >/dev/null
	install -m 640 -g "$GRP" "$TESTS_DIR/fixtures/state/grv.conf" "$T/d/grv.conf"
	{
		echo login,role,officer
		echo "grvop$S,operator,"
		echo "grvoff1$S,officer,EN-JE-B1"
		echo "grvoff2$S,officer,EN-JE-D2"
		echo "grvcmo$S,cmo,"
		echo "grvsys$S,system,"
	} > "$T/d/masters/actors.csv"
	chmod 640 "$T/d/masters/actors.csv"
	export GRV_DIR=$T/d
}

teardown() {
	if [ -n "${USERS:-}" ]; then
		for u in $USERS; do userdel -r "$u" 2>/dev/null || userdel "$u" || true; done
		groupdel "$GRP" || true
	fi
	if [ -n "${T:-}" ]; then rm -rf "$T"; fi
}

@test "real users: a day through setgid programs, each allowed action done, each refused one leaving every byte of ledger/ as it was" {
	real_users
	run -0 as grvop$S sh -c 'grv-add --category EN-SUPPLY --loc D1-T1-B1 --name "Ram Lal" --phone 9816012345 --text "No supply" | grv-route -'
	[ "${lines[1]}" = "TS-1,route,1,EN,EN-JE-B1,${lines[1]#TS-1,route,1,EN,EN-JE-B1,}" ]
	run -0 as grvop$S sh -c 'grv-add --category EN-SUPPLY --loc D2 --name "Kamla Devi" --phone 9816012346 --text "No supply" | grv-route -'
	[ "$(stat -c %G "$T/d/ledger/events.csv")" = "$GRP" ]
	[ "$(stat -c %U "$T/d/ledger/complaints.csv")" = root ]	# made by grv-init
	[ "$(cut -d, -f8 "$T/d/ledger/events.csv" | tail -1)" = grvop$S ]
	before=$(ledger_sum)
	# An officer resolving another officer's complaint, as that officer.
	run -64 as grvoff1$S grv-resolve TS-2 --officer EN-JE-D2 --reason 'line repaired today'
	[[ "$output" == *"'grvoff1$S' acts as officer 'EN-JE-B1' only, not as 'EN-JE-D2'"* ]]
	# An operator force-closing; an operator backdating; LOGNAME changes nothing.
	run -64 as grvop$S grv-resolve TS-1 --officer EN-SE-D1 --force --reason 'closed specially'
	[[ "$output" == *"'grvop$S' is an operator; a special closure"* ]]
	run -64 as grvop$S grv-route --transfer TS-1 --dept REV --reason 'wrong department' --now 2026-01-01
	[[ "$output" == *"--now: replays and tests only"* ]]
	run -64 as grvop$S env LOGNAME=grvsys$S grv-escalate
	[[ "$output" == *"'grvop$S' is an operator; the sweep"* ]]
	# Someone actors.csv does not list: no writing, and no reading either
	# (the programs give the group up, and ledger/ is the group's).
	run -64 as grvout$S grv-add --category EN-SUPPLY --loc D1-T1-B1 --name X --phone 9816012345 --text 'No supply'
	[ "$output" = "grv-add: masters/actors.csv: no line for login 'grvout$S': only the logins it lists may write" ]
	run as grvout$S grv-list --pii
	[ "$status" -ne 0 ]
	[[ "$output" != *"Ram Lal"* ]]
	# Writing ledger/ directly, with the shell.
	run as grvop$S sh -c "echo forged >> '$T/d/ledger/events.csv'"
	[ "$status" -ne 0 ]
	[[ "$output" == *"Permission denied"* ]]
	assert_unchanged "$before"
	# The allowed ones: the officer resolves its own, the cmo records
	# the citizen's answer, the system user sweeps (with --now).
	run -0 as grvoff1$S grv-resolve TS-1 --officer EN-JE-B1 --reason 'line repaired today'
	run -0 as grvcmo$S grv-feedback TS-1 --satisfied
	run -0 as grvsys$S grv-escalate --now 2099-01-01
	[[ "$output" == *"TS-2,escalate,1,2,EN,EN-EE-D2,"* ]]
	[ "$(cut -d, -f3,8 "$T/d/ledger/events.csv" | tail -n +2 | tr '\n' ' ')" = \
		"route,grvop$S route,grvop$S resolve,grvoff1$S feedback,grvcmo$S close,grvcmo$S escalate,grvsys$S " ]
	# An operator registers one and leaves it new; an operator may not
	# sweep under its own login either, and leaves every byte as it was;
	# the system user places it (grv-route with no id: every new one).
	run -0 as grvop$S grv-add --category EN-SUPPLY --loc D2 --name "Hari Ram" --phone 9816012347 --text "No supply"
	[[ "${lines[1]}" == TS-3,* ]]
	before=$(ledger_sum)
	run -64 as grvop$S grv-escalate
	[[ "$output" == *"'grvop$S' is an operator; the sweep (grv-escalate) is for the admin and system roles"* ]]
	assert_unchanged "$before"
	run -0 as grvsys$S grv-route --now 2099-01-01T10:00
	[ "${lines[1]}" = "TS-3,route,1,EN,EN-JE-D2,2099-01-04T10:00:00+05:30" ]
	[ "$(tail -n 1 "$T/d/ledger/events.csv" | cut -d, -f1-8)" = \
		"2099-01-01T10:00:00+05:30,TS-3,route,1,EN,EN-JE-D2,2099-01-04T10:00:00+05:30,grvsys$S" ]
	run -0 grv-check -d "$T/d" -q
	[ -z "$(find "$T/d/ledger" "$T/d/cache" -perm /007)" ]
}

@test "real users: a directory of one's own with a forged actors.csv and links into the helpline's gets neither the group nor its ledger" {
	real_users
	run -0 as grvop$S sh -c 'grv-add --category EN-SUPPLY --loc D1-T1-B1 --name "Ram Lal" --phone 9816012345 --text "No supply"'
	before=$(ledger_sum)
	F=$T/fake
	mkdir -p "$F/masters"
	cp "$TESTS_DIR/fixtures/state/masters/"*.csv "$TESTS_DIR/fixtures/state/grv.conf" "$F/masters/"
	mv "$F/masters/grv.conf" "$F/"
	printf 'login,role,officer\ngrvop%s,admin,\n' "$S" > "$F/masters/actors.csv"
	ln -s "$T/d/ledger" "$F/ledger"
	chown -R grvop$S "$F"
	run as grvop$S grv-add -d "$F" --now 2026-01-01 --category EN-SUPPLY --loc D1-T1-B1 --name X --phone 9816012345 --text 'No supply'
	[ "$status" -eq 73 ]
	[ "$output" = "grv-add: ledger: a symbolic link; grv writes nothing through it" ]
	# Reading through the link fails: the forged file kept no group.
	run -74 as grvop$S grv-show -d "$F" TS-1
	[ "$output" = "grv-show: ledger/complaints.csv: Permission denied" ]
	[[ "$output" != *"Ram Lal"* ]]
	assert_unchanged "$before"
}
