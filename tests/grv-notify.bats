#!/usr/bin/env bats
# grv-notify (issue 21): one message per recipient and event from
# masters/templates.csv, the officers' reminders, a cursor under ledger/
# that moves only after the gateway took the messages, stable keys.

load test_helper

# life's ledger, made once for the tests that only read it (see life).
setup_file() {
	local d=$BATS_FILE_TMPDIR/life
	mkdir -p "$d" "$BATS_FILE_TMPDIR/home"
	cp -R "$TESTS_DIR/fixtures/state/." "$d/"
	cp "$TESTS_DIR/fixtures/notify/templates.csv" "$d/masters/"
	LC_ALL=C HOME=$BATS_FILE_TMPDIR/home LOGNAME=tester GRV_DIR=$d \
		PATH="$GRV_BIN:$PATH" life_run
}

setup() {
	grv_sandbox
	# One short template per event and recipient: each names itself
	# (RC = route to the citizen...) and shows its placeholders.
	cp "$TESTS_DIR/fixtures/notify/templates.csv" "$GRV_DIR/masters/"
}

citizen() {	# citizen NOW CATEGORY PHONE
	grv-add --now "$1" --category "$2" --loc D1-T1-B1 --name 'Ram Lal' \
		--phone "$3" --text 'No supply' >/dev/null
}

# crc ROW: the crc field of the ROW-th event row (the writers', not grv-notify's).
crc() {
	awk -F, -v n="$(( $1 + 1 ))" 'NR == n { print $NF }' "$GRV_DIR/ledger/events.csv"
}

# life: a copy of the ledger setup_file made with life_run.
life() {
	cp -R "$BATS_FILE_TMPDIR/life/." "$GRV_DIR/"
}

# Two complaints through every kind of event the sample templates name.
life_run() {
	citizen 2026-11-02T10:00 EN-SUPPLY 9876543210
	citizen 2026-11-02T10:01 EN-BILL 9876500002
	grv-route --now 2026-11-02T10:05 >/dev/null
	grv-resolve TS-1 --officer EN-JE-B1 --now 2026-11-03T10:00 --hold \
		--note 'Copy of the last bill' >/dev/null
	grv-feedback TS-1 --supplied --now 2026-11-03T12:00 >/dev/null
	grv-resolve TS-1 --officer EN-JE-B1 --now 2026-11-04T10:00 \
		--reason 'Line repaired, supply on' >/dev/null
	grv-feedback TS-1 --unsatisfied --now 2026-11-04T12:00 >/dev/null
	grv-route --transfer TS-2 --dept REV --reason 'A land matter' \
		--now 2026-11-04T13:00 >/dev/null
	grv-resolve TS-1 --officer EN-SE-D1 --force --now 2026-11-04T14:00 \
		--reason 'Theft of power, connection cut' >/dev/null
	grv-feedback TS-1 --reopen --now 2026-11-04T15:00 >/dev/null
}

# What life's events must give, worked by hand from the fixture masters
# (officers' phones 98160000NN, ऊर्जा विभाग = EN, राजस्व विभाग = REV) and
# the dues grv-route and grv-feedback wrote.  Rows 6 (feedback) gives none.
expected() {
	local mask=${1:-}
	phone() { if [ -n "$mask" ]; then echo "${1:0:2}XXXXXX${1:8:2}"; else echo "$1"; fi; }
	cat <<EOT
to,lang,dlt_template_id,message,id,event_ts,key
$(phone 9876543210),hi,101,RC TS-1 ऊर्जा विभाग 05-11-2026 10:05,TS-1,2026-11-02T10:05:00+05:30,TS-1:route:citizen:$(crc 1)
$(phone 9816000001),hi,103,RO TS-1 बिजली आपूर्ति नहीं Ramesh Negi 05-11-2026 10:05,TS-1,2026-11-02T10:05:00+05:30,TS-1:route:officer:$(crc 1)
$(phone 9876500002),hi,101,RC TS-2 ऊर्जा विभाग 09-11-2026 10:05,TS-2,2026-11-02T10:05:00+05:30,TS-2:route:citizen:$(crc 2)
$(phone 9816000001),hi,103,RO TS-2 गलत बिल Ramesh Negi 09-11-2026 10:05,TS-2,2026-11-02T10:05:00+05:30,TS-2:route:officer:$(crc 2)
$(phone 9876543210),hi,123,HC TS-1 Copy of the last bill,TS-1,2026-11-03T10:00:00+05:30,TS-1:hold:citizen:$(crc 3)
$(phone 9816000001),hi,117,SO TS-1 05-11-2026 12:05,TS-1,2026-11-03T12:00:00+05:30,TS-1:resume:officer:$(crc 4)
$(phone 9876543210),hi,119,"VC TS-1 Line repaired, supply on",TS-1,2026-11-04T10:00:00+05:30,TS-1:resolve:citizen:$(crc 5)
$(phone 9816000005),hi,109,EO TS-1 Anil Chauhan 07-11-2026 12:00,TS-1,2026-11-04T12:00:00+05:30,TS-1:escalate:officer:$(crc 7)
$(phone 9816000001),hi,111,EP TS-1 Anil Chauhan,TS-1,2026-11-04T12:00:00+05:30,TS-1:escalate:previous:$(crc 7)
$(phone 9816000011),hi,105,TO TS-2 राजस्व विभाग Neha Kashyap,TS-2,2026-11-04T13:00:00+05:30,TS-2:transfer:officer:$(crc 8)
$(phone 9816000001),hi,107,TP TS-2 राजस्व विभाग,TS-2,2026-11-04T13:00:00+05:30,TS-2:transfer:previous:$(crc 8)
$(phone 9876543210),hi,121,CC TS-1 forced,TS-1,2026-11-04T14:00:00+05:30,TS-1:close:citizen:$(crc 9)
$(phone 9876543210),hi,113,XC TS-1 07-11-2026 15:00,TS-1,2026-11-04T15:00:00+05:30,TS-1:reopen:citizen:$(crc 10)
$(phone 9816000008),hi,115,XO TS-1 Vijay Mehta,TS-1,2026-11-04T15:00:00+05:30,TS-1:reopen:officer:$(crc 10)
EOT
}

@test "each event kind gives its messages to the right recipients with the right template, phones masked in a dry run" {
	life
	run -0 grv-notify --now 2026-11-04T16:00 --dry-run
	[ "$output" = "$(expected mask)" ]
	[ ! -e "$GRV_DIR/ledger/notify.cursor" ]
	run -0 grv-notify --now 2026-11-04T16:00
	[ "$output" = "$(expected)" ]
	# Sent: the next run has nothing, and neither has one without cache/.
	run -0 grv-notify --now 2026-11-04T16:00
	[ "$output" = "to,lang,dlt_template_id,message,id,event_ts,key" ]
	rm -rf "$GRV_DIR/cache"
	run -0 grv-notify --now 2026-11-04T17:00
	[ "$output" = "to,lang,dlt_template_id,message,id,event_ts,key" ]
}

@test "a run from the cursor through cache/ and one folding the whole ledger send the same messages" {
	citizen 2026-11-02T10:00 EN-SUPPLY 9876543210
	citizen 2026-11-02T10:01 EN-BILL 9876500002
	grv-route --now 2026-11-02T10:05 >/dev/null
	run -0 grv-notify --now 2026-11-02T11:00
	[ "${#lines[@]}" -eq 5 ]
	first=$output
	rm -rf "$GRV_DIR"/ledger/*.csv "$GRV_DIR"/ledger/.*.hwm "$GRV_DIR"/cache "$GRV_DIR"/ledger/notify.*
	life_run	# written here: its marks vouch for cache/, read from the cursor
	# The first five rows again, sent in a run of their own...
	run -0 grv-notify --now 2026-11-02T11:00
	[ "$output" = "$first" ]
	cp -R "$GRV_DIR" "$BATS_TEST_TMPDIR/nocache"
	rm -rf "$BATS_TEST_TMPDIR/nocache/cache"
	# ... then the rest: from the cursor's byte, and by a whole fold.
	run -0 grv-notify --now 2026-11-04T16:00
	warm=$output
	run -0 grv-notify -d "$BATS_TEST_TMPDIR/nocache" --now 2026-11-04T16:00
	[ "$output" = "$warm" ]
	[ "$(head -1 <<< "$warm"; tail -n +2 <<< "$first"; tail -n +2 <<< "$warm")" = "$(expected)" ]
}

@test "the reminder fires once, remind_hours before the due, while the complaint is open" {
	citizen 2026-11-02T10:00 EN-SUPPLY 9876543210
	grv-route --now 2026-11-02T10:05 >/dev/null	# due 2026-11-05T10:05
	echo 'remind_hours = 24' >> "$GRV_DIR/grv.conf"
	run -0 grv-notify --now 2026-11-04T10:04
	[ "${#lines[@]}" -eq 3 ]		# the route's two
	run -0 grv-notify --now 2026-11-04T10:05
	[ "$output" = "to,lang,dlt_template_id,message,id,event_ts,key
9816000001,hi,125,MO TS-1 05-11-2026 10:05,TS-1,2026-11-04T10:05:00+05:30,TS-1:remind:officer:2026-11-05T10:05:00+05:30" ]
	run -0 grv-notify --now 2026-11-04T10:06
	[ "${#lines[@]}" -eq 1 ]
	run -0 grv-notify --now 2026-11-05T09:00
	[ "${#lines[@]}" -eq 1 ]
	# A new due, a new reminder; none once the due has passed unsent.
	grv-escalate --now 2026-11-05T11:00 >/dev/null	# to EN-EE-T1, due 11-08 11:00
	echo 'remind_hours = 48' >> "$GRV_DIR/grv.conf"
	run -0 grv-notify --now 2026-11-06T12:00
	[ "${#lines[@]}" -eq 4 ]
	[ "${lines[3]}" = "9816000005,hi,125,MO TS-1 08-11-2026 11:00,TS-1,2026-11-06T11:00:00+05:30,TS-1:remind:officer:2026-11-08T11:00:00+05:30" ]
	grv-resolve TS-1 --officer EN-EE-T1 --now 2026-11-06T13:00 --reason 'Line repaired' >/dev/null
	run -0 grv-notify --now 2026-11-09T00:00
	[ "${#lines[@]}" -eq 2 ]		# the resolve only
}

@test "a gateway that fails leaves the cursor; the next run sends the same messages, same keys" {
	life
	spool=$BATS_TEST_TMPDIR/spool
	echo "notify_command = cat > '$spool.1'; exit 3" >> "$GRV_DIR/grv.conf"
	run -74 grv-notify --now 2026-11-04T16:00
	[[ "$output" == *"notify_command 'cat > "*"exit status 3; the cursor stays"* ]]
	[ ! -e "$GRV_DIR/ledger/notify.cursor" ]
	[ "$(cat "$spool.1")" = "$(expected)" ]
	sed -i '$d' "$GRV_DIR/grv.conf"
	echo "notify_command = cat > '$spool.2'" >> "$GRV_DIR/grv.conf"
	run -0 grv-notify --now 2026-11-04T16:00
	[ "$output" = "" ]
	cmp "$spool.1" "$spool.2"
	# Nothing new: the gateway is not run at all.
	rm "$spool.2"
	run -0 grv-notify --now 2026-11-04T16:30
	[ ! -e "$spool.2" ]
	# One killed by a signal fails too.
	citizen 2026-11-04T17:00 PWD-ROAD 9876500003
	grv-route --now 2026-11-04T17:05 >/dev/null
	cursor=$(cat "$GRV_DIR/ledger/notify.cursor")
	sed -i '$d' "$GRV_DIR/grv.conf"
	echo 'notify_command = cat >/dev/null; kill -TERM $$' >> "$GRV_DIR/grv.conf"
	run -74 grv-notify --now 2026-11-04T18:00
	[[ "$output" == *"killed by signal 15; the cursor stays"* ]]
	[ "$(cat "$GRV_DIR/ledger/notify.cursor")" = "$cursor" ]
}

@test "a grv-notify killed between the gateway's send and the cursor resends the same messages, same keys" {
	life
	spool=$BATS_TEST_TMPDIR/spool
	# The gateway takes everything, then grv-notify dies before it can
	# move the cursor ($PPID of the shell is grv-notify).
	echo "notify_command = cat > '$spool.1'; kill -KILL \$PPID" >> "$GRV_DIR/grv.conf"
	run -137 grv-notify --now 2026-11-04T16:00
	[ ! -e "$GRV_DIR/ledger/notify.cursor" ]
	sed -i '$d' "$GRV_DIR/grv.conf"
	echo "notify_command = cat > '$spool.2'" >> "$GRV_DIR/grv.conf"
	run -0 grv-notify --now 2026-11-04T16:00
	[ "$(cat "$spool.1")" = "$(expected)" ]
	cmp "$spool.1" "$spool.2"
}

@test "a template with an unknown placeholder or over the length limit is refused at load with its line" {
	life
	t=$GRV_DIR/masters/templates.csv
	sed -i 's/^hold,citizen,en,.*/hold,citizen,en,"HC-en {id} {name}",124/' "$t"
	run -65 grv-notify --now 2026-11-04T16:00
	[ "$output" = "grv-notify: masters/templates.csv:25: field 'template': unknown placeholder '{name}' (known: {id} {department} {officer} {category} {due} {reason})" ]
	sed -i 's/^hold,citizen,en,.*/hold,citizen,en,"HC-en {id",124/' "$t"
	run -65 grv-notify --now 2026-11-04T16:00
	[ "$output" = "grv-notify: masters/templates.csv:25: field 'template': '{' opens no placeholder" ]
	# 3 parts of GSM-7 hold 459 characters: {reason} makes it UCS-2, 201.
	long=$(printf 'x%.0s' $(seq 190))
	sed -i "s/^hold,citizen,en,.*/hold,citizen,en,\"$long {reason}\",124/" "$t"
	run -65 grv-notify --now 2026-11-04T16:00
	[ "$output" = "grv-notify: masters/templates.csv:25: field 'template': up to 221 UCS-2 characters, 4 SMS parts, more than sms_max_parts (3)" ]
	sed -i "s/^hold,citizen,hi,.*/hold,citizen,hi,HC,123,extra/; s/^hold,citizen,en,.*/hold,citizen,en,HC,1x4/" "$t"
	run -65 grv-notify --now 2026-11-04T16:00
	[ "$output" = "grv-notify: masters/templates.csv:25: field 'dlt_template_id': '1x4' is not a DLT template id (1 to 30 digits)" ]
	sed -i '/^hold,citizen,en,/d' "$t"
	run -65 grv-notify --now 2026-11-04T16:00
	[ "$output" = "grv-notify: masters/templates.csv:24: field 'lang': hold,citizen has a template in hi only" ]
	sed -i 's/^hold,citizen,hi,.*/close,officer,hi,HC,123/' "$t"
	run -65 grv-notify --dry-run --now 2026-11-04T16:00
	[ "$output" = "grv-notify: masters/templates.csv:24: field 'recipient': a 'close' event has no officer to tell" ]
	[ ! -e "$GRV_DIR/ledger/notify.cursor" ]
	rm "$t"
	run -66 grv-notify --now 2026-11-04T16:00
}

@test "Devanagari is counted as UCS-2: 70 characters one SMS, 67 a part after; GSM-7 160 and 153, its extension table counting 2" {
	t=$GRV_DIR/masters/templates.csv
	deva() { printf 'क%.0s' $(seq "$1"); }		# U+0915, one UTF-16 unit
	gsm() { printf 'a%.0s' $(seq "$1"); }
	{
		echo 'event,recipient,lang,template,dlt_template_id'
		echo "route,citizen,hi,$(deva 70),1"
		echo "route,citizen,en,$(gsm 160),2"
		echo "close,citizen,hi,$(deva 71),3"
		echo "close,citizen,en,$(gsm 161),4"
		echo "hold,citizen,hi,$(deva 201),5"
		echo "hold,citizen,en,$(gsm 158)[],6"
		echo "resolve,citizen,hi,$(gsm 10)é{id},7"
		echo "resolve,citizen,en,$(gsm 10)€{id}{due},8"
	} > "$t"
	run -0 grv-notify --templates
	[ "$output" = "event,recipient,lang,dlt_template_id,encoding,max_chars,max_parts
route,citizen,hi,1,ucs2,70,1
route,citizen,en,2,gsm7,160,1
close,citizen,hi,3,ucs2,71,2
close,citizen,en,4,gsm7,161,2
hold,citizen,hi,5,ucs2,201,3
hold,citizen,en,6,gsm7,162,2
resolve,citizen,hi,7,gsm7,24,1
resolve,citizen,en,8,gsm7,41,1" ]
	# 202 UCS-2 characters: a fourth part of 67.
	echo "reopen,citizen,hi,$(deva 202),9" >> "$t"
	echo "reopen,citizen,en,a,10" >> "$t"
	run -65 grv-notify --templates
	[ "$output" = "grv-notify: masters/templates.csv:10: field 'template': up to 202 UCS-2 characters, 4 SMS parts, more than sms_max_parts (3)" ]
	echo 'sms_max_parts = 4' >> "$GRV_DIR/grv.conf"
	run -0 grv-notify --templates
	[ "${lines[9]}" = "reopen,citizen,hi,9,ucs2,202,4" ]
}

@test "a placeholder's value is cut to 30 characters and a reason's line breaks become spaces" {
	citizen 2026-11-02T10:00 EN-SUPPLY 9876543210
	grv-route --now 2026-11-02T10:05 >/dev/null
	grv-resolve TS-1 --officer EN-JE-B1 --now 2026-11-03T10:00 \
		--reason "$(printf 'Line repaired\nand the pole, the meter and the fuse replaced')" >/dev/null
	run -0 grv-notify --since 2026-11-03 --now 2026-11-03T11:00
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[1]}" == '9876543210,hi,119,"VC TS-1 Line repaired and the pole,...",TS-1,'* ]]
}

@test "only the system and admin roles send; anyone who can read makes a dry run" {
	citizen 2026-11-02T10:00 EN-SUPPLY 9876543210
	grv-route --now 2026-11-02T10:05 >/dev/null
	me=$(id -un)
	{ echo login,role,officer; echo "$me,operator,"; } > "$GRV_DIR/masters/actors.csv"
	run -64 grv-notify
	[[ "$output" == *"sending messages (grv-notify)"* ]]
	run -0 grv-notify --dry-run
	[ "${#lines[@]}" -eq 3 ]
	[ ! -e "$GRV_DIR/ledger/notify.cursor" ]
	{ echo login,role,officer; echo "$me,system,"; } > "$GRV_DIR/masters/actors.csv"
	run -0 grv-notify --now 2026-11-02T11:00
	[ "${#lines[@]}" -eq 3 ]
	[ -e "$GRV_DIR/ledger/notify.cursor" ]
}

@test "a live events.csv sealed into a segment since the last run: only the new events are sent" {
	citizen 2026-11-02T10:00 EN-SUPPLY 9876543210
	grv-route --now 2026-11-02T10:05 >/dev/null
	run -0 grv-notify --now 2026-11-02T11:00
	[ "${#lines[@]}" -eq 3 ]
	# Sealed by hand, as tests/integrity.bats does.
	gzip -c "$GRV_DIR/ledger/events.csv" > "$GRV_DIR/ledger/events-2026.csv.gz"
	head -1 "$GRV_DIR/ledger/events.csv" > "$GRV_DIR/ledger/events.new"
	mv "$GRV_DIR/ledger/events.new" "$GRV_DIR/ledger/events.csv"
	grv-resolve TS-1 --officer EN-JE-B1 --now 2026-11-03T10:00 --reason 'Line repaired today' >/dev/null
	crc=$(awk -F, 'NR == 2 { print $NF }' "$GRV_DIR/ledger/events.csv")
	run -0 grv-notify --now 2026-11-03T11:00
	[ "$output" = "to,lang,dlt_template_id,message,id,event_ts,key
9876543210,hi,119,VC TS-1 Line repaired today,TS-1,2026-11-03T10:00:00+05:30,TS-1:resolve:citizen:$crc" ]
	run -0 grv-notify --now 2026-11-03T12:00
	[ "${#lines[@]}" -eq 1 ]
}

@test "an en complaint's messages use the English templates, every other complaint's the Hindi ones" {
	grv-add --now 2026-11-02T10:00 --category EN-SUPPLY --loc D1-T1-B1 --name 'Ram Lal' \
		--phone 9876543210 --text 'No supply' --lang en >/dev/null
	citizen 2026-11-02T10:01 EN-SUPPLY 9876500002
	grv-add --now 2026-11-02T10:02 --category EN-SUPPLY --loc D1-T1-B1 --name 'Ram Lal' \
		--phone 9876500003 --text 'No supply' --lang hi >/dev/null
	grv-route --now 2026-11-02T10:05 >/dev/null
	run -0 grv-notify --now 2026-11-02T10:06
	[ "${#lines[@]}" -eq 7 ]
	[ "${lines[1]}" = "9876543210,en,102,RC-en TS-1,TS-1,2026-11-02T10:05:00+05:30,TS-1:route:citizen:$(crc 1)" ]
	[ "${lines[2]}" = "9816000001,en,104,RO-en TS-1,TS-1,2026-11-02T10:05:00+05:30,TS-1:route:officer:$(crc 1)" ]
	[[ "${lines[3]}" == "9876500002,hi,101,RC TS-2 "* ]]
	[[ "${lines[4]}" == "9816000001,hi,103,RO TS-2 "* ]]
	[[ "${lines[5]}" == "9876500003,hi,101,RC TS-3 "* ]]
	[[ "${lines[6]}" == "9816000001,hi,103,RO TS-3 "* ]]
}

@test "the messages go out as they are made: a year of 20 000 complaints' 34 MB of messages is sent within 64 MB of data" {
	if ldd "$GRV_BIN/grv-notify" | grep -q -e libasan -e libubsan; then
		skip "sanitized build: its shadow memory is counted against ulimit -d"
	fi
	d=$BATS_TEST_TMPDIR/year
	grv-gen -d "$d" -n 20000 --masters "$REPO_DIR/data/sample" >/dev/null
	cp "$REPO_DIR/data/sample/masters/templates.csv" "$d/masters/"
	now=2025-12-31T23:59:59+05:30
	# Unlimited, what the first run would send: enough that a program
	# holding it all (once, or twice for the gateway) passes the limit.
	grv-notify -d "$d" --dry-run --now "$now" > "$BATS_TEST_TMPDIR/dry.csv"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/dry.csv")" -gt 90000 ]
	[ "$(wc -c < "$BATS_TEST_TMPDIR/dry.csv")" -gt 32000000 ]
	# The same run under a limit of 64 MB on the heap and every other
	# private writable mapping: first a dry run, then through a gateway.
	run -0 bash -c "ulimit -d 65536 && exec grv-notify -d '$d' --dry-run --now $now > '$BATS_TEST_TMPDIR/dry.2'"
	cmp "$BATS_TEST_TMPDIR/dry.csv" "$BATS_TEST_TMPDIR/dry.2"
	echo "notify_command = cat > '$BATS_TEST_TMPDIR/sent.csv'" >> "$d/grv.conf"
	run -0 bash -c "ulimit -d 65536 && exec grv-notify -d '$d' --now $now"
	[ -e "$d/ledger/notify.cursor" ]
	# The same messages, in the same order, phones in full.
	[ "$(cut -d, -f2- "$BATS_TEST_TMPDIR/sent.csv")" = "$(cut -d, -f2- "$BATS_TEST_TMPDIR/dry.csv")" ]
	[ "$(head -c 1000 "$BATS_TEST_TMPDIR/sent.csv" | grep -c ',[0-9]\{10\},\|^[0-9]\{10\},')" -gt 0 ]
}
