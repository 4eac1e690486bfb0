#!/usr/bin/env bats
# scripts/: the call-centre importer, the monthly grading publication and
# the crontab example (issue 9).

load test_helper

setup() {
	grv_sample_sandbox
	export PATH="$REPO_DIR/scripts:$PATH"
	export=$REPO_DIR/data/callcentre/export-2026-11-02.csv
}

# The sample state with the call centre's export of 2 November registered
# and routed at noon.
import_day() {
	import-callcentre "$export" |
		grv-add --batch - --now 2026-11-02T12:00 |
		grv-route - --now 2026-11-02T12:00
}

# xml_ok FILE: FILE parses as XML.
xml_ok() {
	python3 -c 'import xml.dom.minidom, sys; xml.dom.minidom.parse(sys.argv[1])' "$1"
}

@test "import-callcentre turns the export into grv-add --batch columns" {
	run -0 import-callcentre "$export"
	[ "${lines[0]}" = "registered,channel,category,loc,name,phone,text,ref" ]
	[ "${lines[1]}" = "2026-11-02T09:12,phone,EN-SUPPLY,SML-THEOG-B,Ram Lal,98160 12345,\"No electricity since Saturday, transformer burnt\",CALL-181-0001" ]
	[ "${lines[3]}" = "2026-11-02T10:05,phone,REV-MUTATION,MND,Suresh Kumar,09805522331,Mutation pending for 3 months,PSG-2026-0042" ]
	[ "${#lines[@]}" -eq 4 ]
}

@test "the day's export piped through grv-add and grv-route registers and places 3 complaints" {
	run -0 import_day
	[ "${lines[0]}" = "id,event,level,dept,officer,due" ]
	[ "${lines[1]}" = "HP-1,route,1,HPSEBL,HPSEBL-L1-SML-THEOG-B,2026-11-04T12:00:00+05:30" ]
	[ "${lines[2]}" = "HP-2,route,1,JSV,JSV-L1-KGR,2026-11-05T12:00:00+05:30" ]
	[ "${lines[3]}" = "HP-3,route,1,REV,REV-L1-MND,2026-11-21T12:00:00+05:30" ]
	[ "$(rows complaints)" -eq 3 ]
	[ "$(rows events)" -eq 3 ]
	# Registered at the time of the call, Hindi and quotes intact.
	run -0 grv-show HP-2 --now 2026-11-02T12:00
	[[ "$output" == *"Registered: 2026-11-02 09:40 by phone"* ]]
	[[ "$output" == *'पिछले तीन दिनों से पानी नहीं आ रहा, "टंकी" खाली है'* ]]
	[[ "$output" == *"Citizen:    कमला देवी, 9418011111"* ]]
	chain_ok "$GRV_DIR/ledger/complaints.csv" "$GRV_DIR/ledger/events.csv"
}

@test "import-callcentre reads an Excel export with a BOM and CR-LF from standard input" {
	printf '\xef\xbb\xbf%s\r\n' "$(head -1 "$export")" > "$BATS_TEST_TMPDIR/x.csv"
	sed -n 2p "$export" | sed 's/$/\r/' >> "$BATS_TEST_TMPDIR/x.csv"
	run -0 import-callcentre - < "$BATS_TEST_TMPDIR/x.csv"
	[ "${lines[0]}" = "registered,channel,category,loc,name,phone,text,ref" ]
	[[ "${lines[1]}" == "2026-11-02T09:12,phone,EN-SUPPLY,"*",CALL-181-0001" ]]
}

@test "import-callcentre skips a row without its values, names its line and exits 65" {
	{ cat "$export"; echo '181-0004,02-11-2026,11:00,,9816000000,SML,EN-SUPPLY,No light,'; } \
		> "$BATS_TEST_TMPDIR/x.csv"
	run -65 --separate-stderr import-callcentre "$BATS_TEST_TMPDIR/x.csv"
	[ "${#lines[@]}" -eq 4 ]
	[[ "$stderr" == *"x.csv:5: empty name; row skipped"* ]]
}

@test "a bad category in the export is refused by grv-add with a suggestion, nothing added" {
	sed 's/JSV-NOWATER/JSV-NOWATR/' "$export" > "$BATS_TEST_TMPDIR/x.csv"
	run -65 --separate-stderr grv-add --batch - --now 2026-11-02T12:00 \
		< <(import-callcentre "$BATS_TEST_TMPDIR/x.csv")
	[[ "$stderr" == *"unknown category 'JSV-NOWATR' (did you mean 'JSV-NOWATER'?)"* ]]
	[ ! -s "$GRV_DIR/ledger/complaints.csv" ]
}

@test "monthly-grading writes the month's CSV with a BOM and an SVG bar per graded department" {
	import_day >/dev/null
	out=$BATS_TEST_TMPDIR/out
	run -0 monthly-grading -d "$GRV_DIR" -m 2026-11 -o "$out"
	[ "${lines[0]}" = "$out/grading-2026-11.csv" ]
	[ "${lines[1]}" = "$out/grading-2026-11.svg" ]
	csv=$out/grading-2026-11.csv
	svg=$out/grading-2026-11.svg
	[ "$(head -c 3 "$csv" | od -An -tx1 | tr -d ' ')" = efbbbf ]
	[ "$(head -1 "$csv" | tail -c +4)" = "dept,name,group,rank,n,sat,old,old_sat,forced,unattended,score,grade" ]
	# Exactly what grv-report says for November, recomputed as of 1 December.
	grv-report grading --now 2026-12-01 --from 2026-11-01 --to 2026-12-01 \
		--format csv --bom | cmp - "$csv"
	[ "$(tail -n +2 "$csv" | wc -l)" -eq 3 ]
	xml_ok "$svg"
	[ "$(grep -c '<rect class="bar"' "$svg")" -eq 3 ]
	[ ! -e "$csv.tmp" ] && [ ! -e "$svg.tmp" ]
}

@test "monthly-grading charts a generated state: one bar per CSV row, valid XML" {
	rm -rf "$GRV_DIR"
	grv-gen -d "$GRV_DIR" --masters "$REPO_DIR/data/sample" -n 1500 --months 2 \
		--now 2026-12-01 >/dev/null
	out=$BATS_TEST_TMPDIR/out
	run -0 monthly-grading -d "$GRV_DIR" -m 2026-11 -o "$out"
	n=$(tail -n +2 "$out/grading-2026-11.csv" | wc -l)
	[ "$n" -gt 20 ]
	xml_ok "$out/grading-2026-11.svg"
	[ "$(grep -c '<rect class="bar"' "$out/grading-2026-11.svg")" -eq "$n" ]
}

# svg_boxes_ok SVG: every <text> of SVG, measured in the font fontconfig
# gives for sans-serif (bold where it is bold) at its size, lies whole
# inside the viewBox; prints the widest label's text and box.
svg_boxes_ok() {
	/usr/bin/python3 - "$1" "$(fc-match -f '%{file}' sans-serif)" \
		"$(fc-match -f '%{file}' sans-serif:bold)" <<'PY'
import sys, xml.dom.minidom
from PIL import ImageFont
svg, regular, bold = sys.argv[1:]
root = xml.dom.minidom.parse(svg).documentElement
vx, vy, vw, vh = (float(v) for v in root.getAttribute("viewBox").split())
base = float(root.getAttribute("font-size"))
widest = None
for t in root.getElementsByTagName("text"):
    text = "".join(n.data for n in t.childNodes if n.nodeType == n.TEXT_NODE)
    size = float(t.getAttribute("font-size") or base)
    font = ImageFont.truetype(bold if t.getAttribute("font-weight") == "bold"
                              else regular, round(size))
    w = font.getlength(text) * size / round(size)
    x, y = float(t.getAttribute("x")), float(t.getAttribute("y"))
    x0 = x - w if t.getAttribute("text-anchor") == "end" else x
    if x0 < vx or x0 + w > vx + vw or y - size < vy or y > vy + vh:
        sys.exit("cut: %r at %.1f..%.1f, viewBox %g %g %g %g"
                 % (text, x0, x0 + w, vx, vy, vw, vh))
    if t.getAttribute("class") == "label" and (widest is None or w > widest[1]):
        widest = (text, w, x0)
print("%s|%.1f|%.1f" % widest)
PY
}

@test "monthly-grading: no label cut, the longest measured in the font; a heading per volume group; xmllint finds it well-formed" {
	rm -rf "$GRV_DIR"
	grv-gen -d "$GRV_DIR" --masters "$REPO_DIR/data/sample" -n 1500 --months 2 \
		--now 2026-12-01 >/dev/null
	# The longest label, of wide capitals and a Hindi-free ASCII run.
	long="WWW MMM Public Health Engineering, Irrigation and Flood Control WWWWWWWW"
	d=$(sed -n 2p "$GRV_DIR/masters/departments.csv" | cut -d, -f1)
	sed -i "2s/^$d,[^,]*,/$d,\"$long\",/" "$GRV_DIR/masters/departments.csv"
	grep -q "^$d,\"$long\"," "$GRV_DIR/masters/departments.csv"
	# Three volume groups in a month of 1500 complaints.
	echo "groups = 100,20" >> "$GRV_DIR/masters/grading.conf"
	out=$BATS_TEST_TMPDIR/out
	run -0 monthly-grading -d "$GRV_DIR" -m 2026-11 -o "$out"
	svg=$out/grading-2026-11.svg
	csv=$out/grading-2026-11.csv
	run -0 xmllint --noout "$svg"
	[ -z "$output" ]
	run -0 svg_boxes_ok "$svg"
	[ "${output%%|*}" = "$long ($d)" ]
	# One heading per volume group the grading has, in order, each
	# before its departments' bars.
	groups=$(tail -n +2 "$csv" | /usr/bin/python3 -c '
import csv, sys
print(" ".join(sorted({r[2] for r in csv.reader(sys.stdin)}, key=int)))')
	[ "$groups" = "1 2 3" ]
	[ "$(grep -o '<text class="group"[^>]*>Volume group [0-9]*' "$svg" | sed 's/.*group //' | tr '\n' ' ')" = "$groups " ]
	[ "$(grep -c '<rect class="bar"' "$svg")" -eq "$(tail -n +2 "$csv" | wc -l)" ]
}

@test "monthly-grading refuses a malformed month with exit 64" {
	run -64 monthly-grading -d "$GRV_DIR" -m 2026-13x -o "$BATS_TEST_TMPDIR/out"
	[ ! -e "$BATS_TEST_TMPDIR/out" ]
}

# The first schedule line of scripts/crontab.example that runs grv-escalate.
cron_line() {
	grep -E '^[^#].*grv-escalate' "$REPO_DIR/scripts/crontab.example" | head -1
}

# shims DIR: fake logger, mail, systemctl and journalctl in DIR, each
# appending its arguments, then its standard input, to DIR/NAME.log.
shims() {
	local n
	mkdir -p "$1"
	for n in logger mail systemctl journalctl; do
		printf '#!/bin/sh\n{ echo "%s $*"; [ -t 0 ] || cat; } >> "%s/%s.log"\n' \
			"$n" "$1" "$n" > "$1/$n"
		chmod +x "$1/$n"
	done
	# systemctl and journalctl read no input: say something instead.
	printf '#!/bin/sh\necho "systemctl $*" >> "%s/systemctl.log"; echo "x failed (Result: exit-code)"\n' "$1" > "$1/systemctl"
	printf '#!/bin/sh\necho "journalctl $*" >> "%s/journalctl.log"; echo "grv[42]: grv-escalate: TS-1: no active officer"\n' "$1" > "$1/journalctl"
}

# A sweep that must fail: in the test fixture, two EN-SUPPLY complaints
# routed ten days ago by the real clock (the cron line runs on the clock),
# and the only level-2 officer over the first one's block made inactive.
failing_sweep() {
	local past
	grv_sandbox
	past=$(date -d '-10 days' +%Y-%m-%dT%H:%M)
	a=$(add_complaint EN-SUPPLY D1-T1-B1 "$past")
	b=$(add_complaint EN-SUPPLY D2-T1-B1 "$past")
	grv-route --now "$past" > /dev/null
	# Every energy officer above level 1 over D1-T1-B1: it cannot climb.
	sed -i 's/^\(EN-EE-T1,.*\),1$/\1,0/; s/^\(EN-SE-D1,.*\),1$/\1,0/; s/^\(EN-CE,.*\),1$/\1,0/' \
		"$GRV_DIR/masters/officers.csv"
	grep -q '^EN-EE-T1,.*,0$' "$GRV_DIR/masters/officers.csv"
}

# run_cron: the command field of cron_line, run as cron runs it: the
# file's SHELL, nothing in the environment but what cron sets and the
# file's PATH (with the shims and the built programs in front), and
# cron's \% turned into %.
run_cron() {
	local cmd path
	cmd=$(cron_line | sed -E 's/^([^[:space:]]+[[:space:]]+){6}//')
	path=$(sed -n 's/^PATH=//p' "$REPO_DIR/scripts/crontab.example")
	# TMPDIR only to see what mktemp leaves behind.
	mkdir -p "$BATS_TEST_TMPDIR/tmp"
	run --separate-stderr env -i HOME="$HOME" LOGNAME=grv SHELL=/bin/sh \
		PATH="$shim:$GRV_BIN:$path" GRV_DIR="$GRV_DIR" \
		TMPDIR="$BATS_TEST_TMPDIR/tmp" /bin/sh -c "$cmd"
}

@test "scripts/crontab.example schedules the grv-escalate sweep" {
	[ -f "$REPO_DIR/scripts/crontab.example" ]
	run -0 cron_line
	# A five-field schedule, then the user (the /etc/cron.d format).
	[[ "$output" =~ ^[0-9*/,-]+\ +[0-9*/,-]+\ +[0-9*/,-]+\ +[0-9*/,-]+\ +[0-9*/,-]+\ +[a-z_][a-z0-9_-]*\ +[^\ ] ]]
	# cron would cut the line at a %, and mails MAILTO what it prints.
	[[ "$output" != *%* ]]
	grep -qE '^MAILTO=[^[:space:]]+' "$REPO_DIR/scripts/crontab.example"
	grep -qx 'SHELL=/bin/sh' "$REPO_DIR/scripts/crontab.example"
}

@test "the crontab line as written: a sweep that fails reaches stderr with timestamps, logger -t grv and the exit status" {
	failing_sweep
	shim=$BATS_TEST_TMPDIR/shim
	shims "$shim"
	run_cron
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	# Each stderr line, stamped with the time.
	ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2} '
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ ^${ts}grv-escalate:\ $a:\ no\ active\ officer\ of\ EN\ at\ level\ 2 ]]
	[[ "${stderr_lines[1]}" =~ ^${ts}grv-escalate:\ exit\ status\ 1$ ]]
	# The same lines to syslog, tagged grv.
	run -0 cat "$shim/logger.log"
	[ "${lines[0]}" = "logger -t grv -p cron.err" ]
	[[ "${lines[1]}" == "grv-escalate: $a: no active officer"* ]]
	[ "${lines[2]}" = "grv-escalate: exit status 1" ]
	# The sweep did the rest: the other complaint climbed, as the cron user.
	grep -q ",$b,escalate,2,EN,EN-EE-D2,.*,grv,overdue," "$GRV_DIR/ledger/events.csv"
	# Nothing left behind in the temporary directory.
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ]
}

@test "the crontab line as written: a damaged ledger exits 65 and says so; a clean sweep says nothing" {
	failing_sweep
	shim=$BATS_TEST_TMPDIR/shim
	shims "$shim"
	cp "$GRV_DIR/ledger/events.csv" "$BATS_TEST_TMPDIR/events.csv"
	sed -i '2s/EN-JE-B1/EN-JE-B2/' "$GRV_DIR/ledger/events.csv"
	run_cron
	[ "$status" -eq 65 ]
	[ -z "$output" ]
	[[ "$stderr" == *" grv-escalate: ledger/events.csv:2: "* ]]
	[[ "$stderr" == *" grv-escalate: exit status 65" ]]
	grep -q '^grv-escalate: ledger/events.csv:2: ' "$shim/logger.log"
	grep -q '^grv-escalate: exit status 65$' "$shim/logger.log"
	# Put back, the officer back: nothing to say, nothing mailed or logged.
	cp "$BATS_TEST_TMPDIR/events.csv" "$GRV_DIR/ledger/events.csv"
	sed -i 's/^\(EN-EE-T1,.*\),0$/\1,1/' "$GRV_DIR/masters/officers.csv"
	rm "$shim/logger.log"
	run_cron
	[ "$status" -eq 0 ]
	[ -z "$output" ] && [ -z "$stderr" ]
	[ ! -e "$shim/logger.log" ]
	[ "$(grep -c ',escalate,2,' "$GRV_DIR/ledger/events.csv")" -eq 2 ]
}

@test "the crontab line as written places complaints left new before it sweeps: a vacant post, then filled" {
	grv_sandbox
	shim=$BATS_TEST_TMPDIR/shim
	shims "$shim"
	past=$(date -d '-2 hours' +%Y-%m-%dT%H:%M)
	# Every EN post vacant (active = 0).
	cp "$GRV_DIR/masters/officers.csv" "$BATS_TEST_TMPDIR/officers.csv"
	sed -i 's/^\(EN-[A-Z0-9-]*,.*\),1$/\1,0/' "$GRV_DIR/masters/officers.csv"
	id=$(add_complaint EN-SUPPLY D1-T1-B1 "$past")
	run_cron
	[ "$status" -eq 1 ]
	[[ "$stderr" == *" grv-route: $id: no active officer of EN at level 1 or any level above for D1-T1-B1 or above; left new"* ]]
	[[ "$stderr" == *" grv-escalate: 1 complaint never placed, status new ($id)"* ]]
	# The posts filled: the next hour places it, and says nothing.
	cp "$BATS_TEST_TMPDIR/officers.csv" "$GRV_DIR/masters/officers.csv"
	run_cron
	[ "$status" -eq 0 ]
	[ -z "$output" ] && [ -z "$stderr" ]
	grep -q ",$id,route,1,EN,EN-JE-B1," "$GRV_DIR/ledger/events.csv"
}

@test "the service places complaints left new, then sweeps: grv-route --quiet, its failure alone not the unit's" {
	local u=$REPO_DIR/scripts/systemd
	run -0 sed -n 's/^ExecStart=//p' "$u/grv-escalate.service"
	[ "${lines[0]}" = "-/usr/local/bin/grv-route --quiet" ]
	[ "${lines[1]}" = "/usr/local/bin/grv-escalate --quiet" ]
	[ "${#lines[@]}" -eq 2 ]
}

# unit_key FILE KEY: the value of KEY in the unit FILE (the last one).
unit_key() {
	sed -n "s/^$2=//p" "$1" | tail -1
}

@test "the systemd units pass systemd-analyze verify: an hourly persistent timer, journal logging, a failure hook" {
	local u=$REPO_DIR/scripts/systemd
	[ "$(unit_key "$u/grv-escalate.timer" OnCalendar)" = hourly ]
	[ "$(unit_key "$u/grv-escalate.timer" Persistent)" = true ]
	[ "$(unit_key "$u/grv-escalate.service" Type)" = oneshot ]
	[ "$(unit_key "$u/grv-escalate.service" OnFailure)" = 'grv-failure@%n.service' ]
	[ "$(unit_key "$u/grv-escalate.service" StandardOutput)" = journal ]
	[ "$(unit_key "$u/grv-escalate.service" StandardError)" = journal ]
	[ "$(unit_key "$u/grv-escalate.service" SyslogIdentifier)" = grv ]
	[ "$(unit_key "$u/grv-failure@.service" SyslogIdentifier)" = grv ]
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	# As installed: the programs where make install put them (here: the build).
	mkdir "$BATS_TEST_TMPDIR/units"
	for f in "$u"/*; do
		sed -e "s|/usr/local/bin|$GRV_BIN|" -e "s|/usr/local/share/grv|$REPO_DIR/scripts|" \
			"$f" > "$BATS_TEST_TMPDIR/units/${f##*/}"
	done
	cd "$BATS_TEST_TMPDIR/units"
	run -0 systemd-analyze verify --man=no ./grv-escalate.timer \
		./grv-escalate.service ./grv-failure@.service
	[ -z "$output" ]
	# It does see a bad setting.
	sed -i 's/^OnCalendar=.*/OnCalendar=hourlyx/' grv-escalate.timer
	run -1 systemd-analyze verify --man=no ./grv-escalate.timer
}

@test "the service's ExecStart, run by hand on a failing sweep, exits 1 with its reason on stderr; grv-failure logs and mails it" {
	local u=$REPO_DIR/scripts/systemd exec argv
	failing_sweep
	exec=$(unit_key "$u/grv-escalate.service" ExecStart)
	exec=${exec//\/usr\/local\/bin/$GRV_BIN}
	read -ra argv <<< "$exec"
	run -1 --separate-stderr env GRV_DIR="$GRV_DIR" "${argv[@]}"
	[ -z "$output" ]
	[[ "$stderr" == "grv-escalate: $a: no active officer of EN at level 2"* ]]
	# OnFailure=grv-failure@%n.service: %n is grv-escalate.service.
	exec=$(unit_key "$u/grv-failure@.service" ExecStart)
	[ "$exec" = '/usr/local/share/grv/grv-failure %i' ]
	shim=$BATS_TEST_TMPDIR/shim
	shims "$shim"
	PATH=$shim:$PATH GRV_MAILTO=ops@example.org \
		run -0 --separate-stderr "$REPO_DIR/scripts/grv-failure" grv-escalate.service
	[ "$stderr" = "grv-failure: grv-escalate.service failed on $(uname -n)" ]
	grep -qx "logger -t grv -p daemon.err grv-escalate.service failed on $(uname -n)" "$shim/logger.log"
	run -0 cat "$shim/mail.log"
	[ "${lines[0]}" = "mail -s grv: grv-escalate.service failed on $(uname -n) ops@example.org" ]
	[[ "$output" == *"x failed (Result: exit-code)"* ]]
	[[ "$output" == *"grv-escalate: TS-1: no active officer"* ]]
	grep -q -- '-u grv-escalate.service' "$shim/journalctl.log"
	# No mail(1): the journal and syslog have it, and the exit status says so.
	rm "$shim/mail"
	PATH=$shim:/usr/bin:/bin run -1 --separate-stderr "$REPO_DIR/scripts/grv-failure" grv-escalate.service
	[[ "$stderr" == *"no mail(1): nothing mailed to root"* ]]
	run -64 "$REPO_DIR/scripts/grv-failure"
}
