#!/usr/bin/env bats
# grv-add: SPEC sections 3 and 5, issue 3 (intake).

load test_helper
leak_check

setup() {
	grv_sandbox
}

N=2026-11-02T10:00

add() {
	grv-add --now "$N" "$@"
}

# one valid complaint, with any option overridden by the arguments
add_ok() {
	add --category EN-SUPPLY --loc D1-T1-B1 --name "Ramesh Kumar" \
		--phone 9876543210 --text "No electricity since yesterday" "$@"
}

@test "a complaint from options is registered and its id, time, category and place are printed" {
	run -0 add_ok
	[ "${lines[0]}" = "id,registered,category,loc" ]
	[ "${lines[1]}" = "TS-1,2026-11-02T10:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(rows complaints)" -eq 1 ]
	run -0 sed -n 2p "$GRV_DIR/ledger/complaints.csv"
	[[ "$output" == "TS-1,2026-11-02T10:00:00+05:30,phone,EN-SUPPLY,D1-T1-B1,Ramesh Kumar,9876543210,No electricity since yesterday,,"* ]]
	chain_ok "$GRV_DIR/ledger/complaints.csv"
}

@test "ids count up from 1 with the node prefix and are never reused" {
	add_ok >/dev/null 2>&1
	add_ok >/dev/null 2>&1
	run -0 --separate-stderr add_ok
	# the same caller, category and place: registered, and said
	[ "$stderr" = "grv-add: --phone: 98XXXXXX10 already has 2 open complaints in EN-SUPPLY at D1-T1-B1: TS-1 TS-2 (TS-3 registered all the same)" ]
	[ "${lines[1]%%,*}" = "TS-3" ]
	run -0 cut -d, -f1 "$GRV_DIR/ledger/complaints.csv"
	[ "$output" = "$(printf 'id\nTS-1\nTS-2\nTS-3')" ]
}

@test "a phone with +91 or 0 before it is stored as its ten digits" {
	add_ok --phone "+91 98765-43210" >/dev/null
	add_ok --phone 09876543210 >/dev/null
	run -0 cut -d, -f7 "$GRV_DIR/ledger/complaints.csv"
	[ "$output" = "$(printf 'phone\n9876543210\n9876543210')" ]
}

@test "a landline is stored as 0, its STD code and number, and a mobile after a 0 as its ten digits" {
	add_ok --phone 0141-2222222 >/dev/null
	add_ok --phone "0761 2420000" >/dev/null
	add_ok --phone 05222223333 >/dev/null
	add_ok --phone 09876543210 >/dev/null
	add_ok --phone 0-7612420000 >/dev/null
	run -0 cut -d, -f7 "$GRV_DIR/ledger/complaints.csv"
	[ "$output" = "$(printf 'phone\n01412222222\n07612420000\n05222223333\n9876543210\n7612420000')" ]
	run -0 grv-check
}

@test "a number that is both 0 and a mobile and a landline is refused, saying how to write each" {
	add_ok >/dev/null
	before=$(ledger_sum)
	run -65 add_ok --phone 07612420000
	[ "$output" = "grv-add: --phone: phone '07612420000' could be a landline or 0 and a mobile: write a landline with a hyphen after its STD code (0761-2420000), a mobile without the 0 (7612420000)" ]
	assert_unchanged "$before"
	printf 'category,loc,name,phone,text\nEN-BILL,D2,Sita,08022223333,a\nEN-BILL,D2,Gita,080-22223333,b\n' > "$BATS_TEST_TMPDIR/b.csv"
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:2: field 'phone': phone '08022223333' could be a landline or 0 and a mobile"* ]]
	[[ "$output" == *"1 bad row; nothing added"* ]]
	assert_unchanged "$before"
}

@test "a landline must have ten digits after its 0 and no +91" {
	add_ok >/dev/null
	refused "bad phone '0141-222222'" --phone 0141-222222
	refused "bad phone '1412222222'" --phone 1412222222
	refused "bad phone '+91 0141 2222222'" --phone "+91 0141 2222222"
}

@test "text with commas, quotes and line breaks is stored on one line and reads back" {
	add_ok --text $'Transformer burnt, "no one came"\nline two' --ref 'PSG/2026/7' \
		--channel web >/dev/null
	[ "$(wc -l < "$GRV_DIR/ledger/complaints.csv")" -eq 2 ]
	run -0 python3 -c '
import csv, sys
r = list(csv.reader(open(sys.argv[1], newline="")))
print(r[1][2], r[1][7], r[1][8], sep="|")' "$GRV_DIR/ledger/complaints.csv"
	[ "$output" = 'web|Transformer burnt, "no one came"\nline two|PSG/2026/7' ]
	chain_ok "$GRV_DIR/ledger/complaints.csv"
}

@test "Hindi text is valid and kept byte for byte" {
	add_ok --name "रमेश कुमार" --text "बिजली नहीं है, कृपया ठीक करें" >/dev/null
	run -0 grep -c "रमेश कुमार,9876543210,\"बिजली नहीं है, कृपया ठीक करें\"" \
		"$GRV_DIR/ledger/complaints.csv"
}

@test "every channel of SPEC section 3 is accepted" {
	for ch in phone web office janmanch cmo email app; do
		add_ok --channel "$ch" >/dev/null
	done
	run -0 cut -d, -f3 "$GRV_DIR/ledger/complaints.csv"
	[ "$output" = "$(printf 'channel\nphone\nweb\noffice\njanmanch\ncmo\nemail\napp')" ]
}

@test "a paper complaint keeps its real registration date" {
	run -0 add_ok --registered 2026-10-30 --channel office
	[ "${lines[1]}" = "TS-1,2026-10-30T00:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
}

# ---- validation: exit 65 and not a byte written ----

refused() {	# refused PATTERN ARGS...: 65, message matches, ledger unchanged
	local pat=$1 before
	shift
	before=$(ledger_sum)
	run -65 add_ok "$@"
	[[ "$output" == *"$pat"* ]] || { echo "output: $output" >&2; return 1; }
	assert_unchanged "$before"
}

@test "an unknown category is refused with a suggestion and nothing is written" {
	refused "grv-add: --category: unknown category 'EN-SUPLY' (did you mean 'EN-SUPPLY'?)" \
		--category EN-SUPLY
	[ ! -e "$GRV_DIR/ledger/complaints.csv" ]
	add_ok >/dev/null
	refused "unknown category 'EN-SUPLY'" --category EN-SUPLY
}

@test "an unknown location is refused" {
	add_ok >/dev/null
	refused "grv-add: --loc: unknown location 'D9'" --loc D9
}

@test "the state itself is not a place for a complaint" {
	add_ok >/dev/null
	refused "'ST' is the state" --loc ST
}

@test "a complaint may be filed at a district or a tehsil" {
	run -0 add_ok --loc D2
	run -0 add_ok --loc D1-T2
}

@test "phone numbers that are not Indian mobiles or landlines of ten digits are refused" {
	add_ok >/dev/null
	refused "grv-add: --phone: bad phone '123' (a mobile: ten digits starting 6-9; a landline: 0, the STD code and the number, ten digits without the 0)" --phone 123
	refused "bad phone '5876543210'" --phone 5876543210
	refused "bad phone '98765432101'" --phone 98765432101
	refused "bad phone '+1 9876543210'" --phone "+1 9876543210"
}

@test "max_per_phone_day and max_per_phone_month refuse one complaint more, naming the earlier ids" {
	printf 'max_per_phone_day = 2\nmax_per_phone_month = 3\n' >> "$GRV_DIR/grv.conf"
	add_ok --now 2026-11-02T09:00 >/dev/null
	add_ok --now 2026-11-02T23:59 >/dev/null
	add_ok --now 2026-11-02T23:59 --phone 9816000000 >/dev/null	# another phone
	before=$(ledger_sum)
	run -65 add_ok --now 2026-11-02T23:59
	[ "$output" = "grv-add: --phone: 98XXXXXX10 has 2 complaints on 2026-11-02 already (max_per_phone_day = 2): TS-1 TS-2
grv-add: 1 complaint over a per-phone limit; nothing added" ]
	assert_unchanged "$before"
	run -0 --separate-stderr add_ok --now 2026-11-03T00:00	# the next day
	[ "${lines[1]%%,*}" = TS-4 ]
	[[ "$stderr" == *"98XXXXXX10 already has 2 open complaints in EN-SUPPLY at D1-T1-B1: TS-1 TS-2 (TS-4 registered all the same)" ]]
	before=$(ledger_sum)
	run -65 add_ok --now 2026-11-30T23:59
	[[ "$output" == *"98XXXXXX10 has 3 complaints in 2026-11 already (max_per_phone_month = 3): TS-1 TS-2 TS-4"* ]]
	assert_unchanged "$before"
	run -0 add_ok --now 2026-12-01T00:00
	printf 'category,loc,name,phone,text\nEN-BILL,D2,Sita,9876543210,a\nEN-BILL,D2,Gita,9816000001,b\nEN-BILL,D2,Sita,09876543210,c\n' > "$BATS_TEST_TMPDIR/b.csv"
	before=$(ledger_sum)
	run -65 grv-add --now 2026-12-01T10:00 --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:4: field 'phone': 98XXXXXX10 has 2 complaints on 2026-12-01 already (max_per_phone_day = 2): TS-5 and 1 earlier in this batch"* ]]
	[[ "$output" == *"1 complaint over a per-phone limit; nothing added"* ]]
	assert_unchanged "$before"
}

@test "an unknown channel is refused" {
	add_ok >/dev/null
	refused "grv-add: --channel: unknown channel 'fax'" --channel fax
}

@test "text that is not UTF-8 is refused" {
	add_ok >/dev/null
	refused "--text: not valid UTF-8" --text $'caf\xe9'
	refused "--name: not valid UTF-8" --name $'\xff'
	refused "--ref: not valid UTF-8" --ref $'\xc3'
}

@test "text of 4000 bytes is accepted and of 4001 refused" {
	run -0 add_ok --text "$(head -c 4000 /dev/zero | tr '\0' x)"
	refused "--text: 4001 bytes, at most 4000 allowed" \
		--text "$(head -c 4001 /dev/zero | tr '\0' x)"
	# 1334 Devanagari letters of 3 bytes each: 4002 bytes
	local ka=$(printf 'क%.0s' $(seq 1334))
	refused "--text: 4002 bytes" --text "$ka"
}

@test "an empty name or text is refused" {
	add_ok >/dev/null
	refused "grv-add: --name: empty" --name ""
	refused "grv-add: --text: empty" --text "   "
}

@test "a registration time later than --now is refused" {
	add_ok >/dev/null
	refused "--registered: '2026-11-03' is later than --now" --registered 2026-11-03
	refused "--registered: bad time '3 Nov'" --registered "3 Nov"
}

@test "a --now earlier than the ledger's last row is refused" {
	add_ok >/dev/null
	before=$(ledger_sum)
	N=2026-11-02T09:59 run -65 add_ok
	[[ "$output" == *"is earlier than the last row of ledger/complaints.csv"* ]]
	assert_unchanged "$before"
}

@test "every bad field of one complaint is reported at once" {
	before=$(ledger_sum)
	run -65 add_ok --category XX --phone 1 --name ""
	[[ "$output" == *"--category"* ]]
	[[ "$output" == *"--phone"* ]]
	[[ "$output" == *"--name"* ]]
	assert_unchanged "$before"
}

@test "a missing required option or a stray argument is a usage error" {
	before=$(ledger_sum)
	run -64 add --category EN-SUPPLY --loc D1 --name X --text T
	[[ "$output" == *"--phone is required"* ]]
	run -64 add_ok extra
	run -64 add_ok --batch /dev/null
	run -64 grv-add --now yesterday --category EN-SUPPLY --loc D1 --name X \
		--phone 9876543210 --text T
	run -64 add_ok --no-such-option
	assert_unchanged "$before"
}

@test "a torn ledger tail is never extended" {
	add_ok >/dev/null
	printf 'TS-2,2026-11-02T10:00:00+05:30,phone,EN-SUPPLY' >> "$GRV_DIR/ledger/complaints.csv"
	before=$(ledger_sum)
	run -65 add_ok
	[[ "$output" == *"torn"* ]]
	assert_unchanged "$before"
}

@test "a ledger locked by another writer past --wait exits 75 with nothing written" {
	add_ok >/dev/null
	before=$(ledger_sum)
	flock "$GRV_DIR/ledger/complaints.csv" sleep 3 &
	sleep 0.5
	run -75 add_ok --wait 0.3
	[[ "$output" == *"locked"* ]]
	assert_unchanged "$before"
	wait
}

# ---- batches ----

@test "a batch finds its columns by header name, in any order, ignoring others" {
	cat > "$BATS_TEST_TMPDIR/b.csv" <<-'EOF'
	text,phone,extra,name,loc,category,channel,ref
	"Meter burnt, please replace",9816012345,zzz,Sita,D2-T1-B1,EN-BILL,web,JM/11
	Road full of potholes,+919816012346,,Ram,D1-T2,PWD-ROAD,,
	EOF
	run -0 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[ "${lines[0]}" = "id,registered,category,loc" ]
	[ "${lines[1]}" = "TS-1,2026-11-02T10:00:00+05:30,EN-BILL,D2-T1-B1" ]
	[ "${lines[2]}" = "TS-2,2026-11-02T10:00:00+05:30,PWD-ROAD,D1-T2" ]
	run -0 sed -n 2,3p "$GRV_DIR/ledger/complaints.csv"
	[[ "${lines[0]}" == 'TS-1,2026-11-02T10:00:00+05:30,web,EN-BILL,D2-T1-B1,Sita,9816012345,"Meter burnt, please replace",JM/11,'* ]]
	[[ "${lines[1]}" == 'TS-2,2026-11-02T10:00:00+05:30,phone,PWD-ROAD,D1-T2,Ram,9816012346,Road full of potholes,,'* ]]
	chain_ok "$GRV_DIR/ledger/complaints.csv"
}

@test "a batch is appended to a ledger with one write" {
	run -0 add_complaint EN-BILL D2 "$N"
	{
		echo category,loc,name,phone,text
		for i in $(seq 300); do echo "EN-BILL,D2,Citizen $i,9816000$(printf %03d $i),bill $i"; done
	} > "$BATS_TEST_TMPDIR/b.csv"
	# (LeakSanitizer cannot run under ptrace)
	ASAN_OPTIONS=detect_leaks=0 run -0 strace -f -s 100 -e trace=write -o "$BATS_TEST_TMPDIR/trace" \
		grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[ "${#lines[@]}" -eq 301 ]
	[ "$(rows complaints)" -eq 301 ]
	# ledger rows (id,registered,channel,...), not the id,registered,category
	# lines printed on stdout: all 300 in one write, no second header
	[ "$(grep -c 'write([0-9]*, "TS-[0-9]*,[^,]*,phone,' "$BATS_TEST_TMPDIR/trace")" -eq 1 ]
	[ "$(grep -c 'write([0-9]*, "id,registered,channel,' "$BATS_TEST_TMPDIR/trace")" -eq 0 ]
}

@test "a new ledger is created whole: its header and the batch in one write" {
	{
		echo category,loc,name,phone,text
		for i in $(seq 300); do echo "EN-BILL,D2,Citizen $i,9816000$(printf %03d $i),bill $i"; done
	} > "$BATS_TEST_TMPDIR/b.csv"
	ASAN_OPTIONS=detect_leaks=0 run -0 strace -f -s 100 -e trace=write -o "$BATS_TEST_TMPDIR/trace" \
		grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[ "$(rows complaints)" -eq 300 ]
	[ "$(grep -c 'write([0-9]*, "id,registered,channel,' "$BATS_TEST_TMPDIR/trace")" -eq 1 ]
	[ "$(grep -c 'write([0-9]*, "TS-[0-9]*,[^,]*,phone,' "$BATS_TEST_TMPDIR/trace")" -eq 0 ]
	chain_ok "$GRV_DIR/ledger/complaints.csv"
	# no temporary file left beside it
	[ "$(ls -A "$GRV_DIR/ledger" | tr '\n' ' ')" = ".complaints.hwm complaints.csv " ]
}

@test "a batch read from standard input keeps paper complaints' real dates" {
	run -0 --separate-stderr grv-add --now "$N" --batch - <<-'EOF'
	category,loc,name,phone,text,registered,channel
	REV-MUT,D1-T1,Kamla,9816012345,इंतकाल नहीं हुआ,2026-10-28T11:30,office
	REV-MUT,D1-T1,Kamla,9816012345,second,,
	EOF
	[ "${lines[1]}" = "TS-1,2026-10-28T11:30:00+05:30,REV-MUT,D1-T1" ]
	[ "${lines[2]}" = "TS-2,2026-11-02T10:00:00+05:30,REV-MUT,D1-T1" ]
	# the second row repeats the first: said, and registered
	[ "$stderr" = "grv-add: standard input:3: field 'phone': 98XXXXXX45 already has 1 open complaint in REV-MUT at D1-T1: TS-1 (TS-2 registered all the same)" ]
}

@test "a batch with one bad row appends nothing and names the line and field" {
	add_ok >/dev/null
	before=$(ledger_sum)
	cat > "$BATS_TEST_TMPDIR/b.csv" <<-'EOF'
	category,loc,name,phone,text
	EN-BILL,D2,Sita,9816012345,fine
	EN-BILL,D2,Gita,123,bad phone
	EN-BILL,D2,Rita,9816012347,fine too
	EOF
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"grv-add: $BATS_TEST_TMPDIR/b.csv:3: field 'phone': bad phone '123' (a mobile: ten digits starting 6-9; a landline: 0, the STD code and the number, ten digits without the 0)"* ]]
	[[ "$output" == *"1 bad row; nothing added"* ]]
	assert_unchanged "$before"
}

@test "every bad row of a batch is reported with its line number" {
	before=$(ledger_sum)
	cat > "$BATS_TEST_TMPDIR/b.csv" <<-'EOF'
	category,loc,name,phone,text,registered,channel
	EN-BILL,D2,Sita,9816012345,fine,,
	EN-BIL,D2,Gita,9816012346,x,,
	EN-BILL,ST,Rita,9816012347,x,,
	EN-BILL,D2,,9816012347,x,,
	"EN-BILL",D2,Mita,9816012347,"multi
	line ok",2026-12-01,
	EN-BILL,D2,Lata,9816012347,x,,fax
	EN-BILL,D2,Lata,9816012347
	EOF
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:3: field 'category': unknown category 'EN-BIL' (did you mean 'EN-BILL'?)"* ]]
	[[ "$output" == *"b.csv:4: field 'loc': 'ST' is the state"* ]]
	[[ "$output" == *"b.csv:5: field 'name': empty"* ]]
	[[ "$output" == *"b.csv:6: field 'registered': '2026-12-01' is later than --now"* ]]
	[[ "$output" == *"b.csv:8: field 'channel': unknown channel 'fax'"* ]]
	[[ "$output" == *"b.csv:9: 4 fields, the header has 7"* ]]
	[[ "$output" == *"6 bad rows; nothing added"* ]]
	[[ "$output" != *"b.csv:2:"* ]]
	assert_unchanged "$before"
}

@test "a batch without a required column is refused naming the header line" {
	before=$(ledger_sum)
	printf 'category,loc,name,text\nEN-BILL,D2,Sita,x\n' > "$BATS_TEST_TMPDIR/b.csv"
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:1: header has no column 'phone'"* ]]
	assert_unchanged "$before"
}

@test "a NUL byte in a batch field is refused" {
	before=$(ledger_sum)
	printf 'category,loc,name,phone,text\nEN-BILL,D2,Sita,9816012345,a\0b\n' > "$BATS_TEST_TMPDIR/b.csv"
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:2: NUL byte"* ]]
	assert_unchanged "$before"
}

@test "a batch saved by a spreadsheet (BOM, CRLF) is read" {
	printf '\xef\xbb\xbfcategory,loc,name,phone,text\r\nEN-BILL,D2,Sita,9816012345,x\r\n' \
		> "$BATS_TEST_TMPDIR/b.csv"
	run -0 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[ "${lines[1]}" = "TS-1,2026-11-02T10:00:00+05:30,EN-BILL,D2" ]
}

@test "a batch file that does not exist exits 66" {
	run -66 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/nope.csv"
	[ ! -e "$GRV_DIR/ledger/complaints.csv" ]
}

@test "a batch with only a header adds nothing and prints only the header" {
	echo category,loc,name,phone,text > "$BATS_TEST_TMPDIR/b.csv"
	run -0 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[ "$output" = "id,registered,category,loc" ]
}

@test "8 parallel writers adding 400 complaints get 400 distinct ids and an intact chain" {
	not_sanitized "racing writers is the plain build's (races are not what ASan sees)"
	for w in 1 2 3 4 5 6 7 8; do
		(
			for i in $(seq 50); do
				grv-add --now "$N" --category EN-BILL --loc D2 \
					--name "Writer $w" --phone 9816000001 \
					--text "complaint $w/$i" --wait 60 | tail -n +2 ||
					echo FAILED
			done > "$BATS_TEST_TMPDIR/out.$w"
		) &
	done
	wait
	run -1 grep -h FAILED "$BATS_TEST_TMPDIR"/out.*
	[ "$(cat "$BATS_TEST_TMPDIR"/out.* | wc -l)" -eq 400 ]
	[ "$(rows complaints)" -eq 400 ]
	run -0 sh -c "tail -n +2 '$GRV_DIR/ledger/complaints.csv' | cut -d, -f1"
	[ "$output" = "$(seq -f 'TS-%g' 400)" ]
	[ "$(cut -d, -f1 "$BATS_TEST_TMPDIR"/out.* | sort -u | wc -l)" -eq 400 ]
	chain_ok "$GRV_DIR/ledger/complaints.csv"
	run -0 grv-check --now "$N"
}

@test "a full standard output is reported after the rows were written" {
	run -74 sh -c "grv-add --now $N --category EN-BILL --loc D2 --name X \
		--phone 9816000001 --text T > /dev/full"
	[ "$(rows complaints)" -eq 1 ]
}

# ---- issue 13: input that must be refused ----

@test "a batch whose header names a column twice is refused naming the column and line 1" {
	add_ok >/dev/null
	before=$(ledger_sum)
	for col in text category phone extra; do
		printf 'category,loc,name,phone,text,extra\nEN-BILL,D2,Sita,9816012345,a,x\n' |
			sed "1s/\$/,$col/;2s/\$/,b/" > "$BATS_TEST_TMPDIR/b.csv"
		run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
		[ "$output" = "grv-add: $BATS_TEST_TMPDIR/b.csv:1: header names column '$col' twice" ]
		assert_unchanged "$before"
	done
}

@test "a data directory that is a regular file is missing (66), not bad data" {
	run -66 add_ok -d "$GRV_DIR/grv.conf"
	[[ "$output" == *"grv.conf: Not a directory"* ]]
	[ ! -e "$GRV_DIR/ledger" ]
	run -66 grv-list -d "$GRV_DIR/grv.conf"
	run -66 grv-check -d "$GRV_DIR/grv.conf"
}

@test "--wait takes only a finite number of seconds from 0 to 86400" {
	for w in nan NaN inf -inf -1 86401 1x '' ' '; do
		run -64 add_ok --wait "$w"
		[[ "$output" == *"--wait: bad number of seconds '$w'"* ]]
	done
	[ ! -e "$GRV_DIR/ledger" ]
	run -0 add_ok --wait 0.5
}

@test "a --now outside the years 1970-9999 at the conf's tz is refused and writes nothing" {
	# 23:59 at -12:00 is 17:29 of the next day, year 10000, at +05:30.
	run -65 add_ok --now 9999-12-31T23:59-12:00
	[ "$output" = "grv-add: --now: '9999-12-31T23:59-12:00' is outside the years 1970-9999 at the tz of grv.conf" ]
	# 18:00Z on 1969-12-31 is 23:30 at +05:30: still 1969.
	run -65 add_ok --now 1969-12-31T18:00Z
	run -65 add_ok --now 1969-06-01
	[ ! -e "$GRV_DIR/ledger" ]
	# 18:30Z is midnight at +05:30: 1970, the first day a row may hold.
	run -0 add_ok --now 1969-12-31T18:30Z
	[ "${lines[1]}" = "TS-1,1970-01-01T00:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	run -0 --separate-stderr add_ok --now 9999-12-31T23:59:59
	[ "${lines[1]}" = "TS-2,9999-12-31T23:59:59+05:30,EN-SUPPLY,D1-T1-B1" ]
	chain_ok "$GRV_DIR/ledger/complaints.csv"
	run -0 grv-check
}

@test "a registered time before 1970 is refused, in a batch and from the option" {
	run -65 add_ok --registered 1969-12-31
	[[ "$output" == *"--registered: '1969-12-31' is outside the years 1970-9999"* ]]
	printf 'category,loc,name,phone,text,registered\nEN-BILL,D2,Sita,9816012345,a,1969-12-31T23:59\n' > "$BATS_TEST_TMPDIR/b.csv"
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:2: field 'registered': '1969-12-31T23:59' is outside the years 1970-9999"* ]]
	[ ! -e "$GRV_DIR/ledger" ]
}

@test "complaints.csv is created without any permission for other; events.csv follows the umask" {
	umask 022
	add_ok >/dev/null
	grv-route --now "$N" >/dev/null
	[ "$(stat -c %a "$GRV_DIR/ledger/complaints.csv")" = 640 ]
	[ "$(stat -c %a "$GRV_DIR/ledger/events.csv")" = 644 ]
	rm -r "$GRV_DIR/ledger"
	umask 002
	add_ok >/dev/null
	[ "$(stat -c %a "$GRV_DIR/ledger/complaints.csv")" = 660 ]
	rm -r "$GRV_DIR/ledger"
	umask 000
	add_ok >/dev/null
	[ "$(stat -c %a "$GRV_DIR/ledger/complaints.csv")" = 660 ]
}

@test "a ledger file or a ledger/ that is a symbolic link is refused (73), nothing written through it" {
	add_ok >/dev/null
	mv "$GRV_DIR/ledger/complaints.csv" "$BATS_TEST_TMPDIR/c.csv"
	cp "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/c.before"
	ln -s "$BATS_TEST_TMPDIR/c.csv" "$GRV_DIR/ledger/complaints.csv"
	run -73 add_ok
	[ "$output" = "grv-add: ledger/complaints.csv: a symbolic link; grv writes nothing through it" ]
	cmp "$BATS_TEST_TMPDIR/c.csv" "$BATS_TEST_TMPDIR/c.before"
	# A dangling one is not created through either.
	rm "$GRV_DIR/ledger/complaints.csv"
	ln -s "$BATS_TEST_TMPDIR/nowhere.csv" "$GRV_DIR/ledger/complaints.csv"
	run -73 add_ok
	[ ! -e "$BATS_TEST_TMPDIR/nowhere.csv" ]
	# ledger/ itself pointing elsewhere.
	rm -r "$GRV_DIR/ledger"
	mkdir "$BATS_TEST_TMPDIR/elsewhere"
	ln -s "$BATS_TEST_TMPDIR/elsewhere" "$GRV_DIR/ledger"
	run -73 add_ok
	[ "$output" = "grv-add: ledger: a symbolic link; grv writes nothing through it" ]
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/elsewhere")" ]
	run -73 grv-route --now "$N"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/elsewhere")" ]
}

# ---- keys (SPEC 7.3): a retried intake registers nothing twice ----

@test "a key already registered prints its complaint and registers nothing" {
	run -0 add_ok --key CALL-181-0001
	[ "${lines[1]}" = "TS-1,2026-11-02T10:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	# stored as the ref, where grep and the reports see it
	[[ "$(sed -n 2p "$GRV_DIR/ledger/complaints.csv")" == *",CALL-181-0001,"* ]]
	before=$(ledger_sum)
	# the same call sent again an hour later: the same complaint
	run -0 add_ok --key CALL-181-0001 --now 2026-11-02T11:00
	[ "${lines[1]}" = "TS-1,2026-11-02T10:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	# a repeat of a key is no new complaint: no repeat-caller warning
	[ "${#lines[@]}" -eq 2 ]
	assert_unchanged "$before"
	run -0 --separate-stderr add_ok --key CALL-181-0002 --now 2026-11-02T11:00
	[ "${lines[1]}" = "TS-2,2026-11-02T11:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	[[ "$stderr" == *"TS-1 (TS-2 registered all the same)" ]]
	[ "$(( $(wc -l < "$GRV_DIR/ledger/complaints.csv") - 1 ))" = 2 ]
}

@test "a batch retried after a kill that came after its write registers only what is new, each row printed in order" {
	{
		echo category,loc,name,phone,text,key
		echo "EN-SUPPLY,D1-T1-B1,Ram,9816012345,no power,CC-1"
		echo "EN-SUPPLY,D1-T1-B1,Sita,9816012346,no power,CC-2"
		echo "EN-SUPPLY,D1-T1-B1,Sita,9816012346,no power,CC-2"
		echo "EN-SUPPLY,D1-T1-B1,Om,9816012347,no key,"
	} > "$BATS_TEST_TMPDIR/b.csv"
	# The first run is written and synced, then killed before it
	# printed: its output is lost, the caller sends the batch again.
	run -0 --separate-stderr grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	first=$output
	[ "${lines[1]%%,*}" = TS-1 ] && [ "${lines[2]%%,*}" = TS-2 ]
	[ "${lines[3]%%,*}" = TS-2 ] && [ "${lines[4]%%,*}" = TS-3 ]
	echo "EN-SUPPLY,D1-T1-B1,Uma,9816012348,new one,CC-4" >> "$BATS_TEST_TMPDIR/b.csv"
	run -0 --separate-stderr grv-add --now 2026-11-02T11:00 --batch "$BATS_TEST_TMPDIR/b.csv"
	# the keyed rows are the complaints of the first run, as it printed
	# them; the row without a key and the new key are registered
	[ "$(printf '%s\n' "${lines[@]:0:4}")" = "$(printf '%s\n' "$first" | sed -n 1,4p)" ]
	[ "${lines[4]}" = "TS-4,2026-11-02T11:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	[ "${lines[5]}" = "TS-5,2026-11-02T11:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	[ "$(( $(wc -l < "$GRV_DIR/ledger/complaints.csv") - 1 ))" = 5 ]
	[ "$(grep -c ',CC-2,' "$GRV_DIR/ledger/complaints.csv")" = 1 ]
	run -0 grv-check
}

@test "a key that differs from the ref given, or that is not plain text, is refused and nothing is written" {
	run -0 add_ok --key K-1
	before=$(ledger_sum)
	run -65 add_ok --key K-2 --ref PSG-77
	[ "$output" = "grv-add: --key: is stored as the ref, and the ref given differs" ]
	run -65 add_ok --key $'K\x01'
	[[ "$output" == "grv-add: --key: at most 128 bytes"* ]]
	run -65 add_ok --key 'K\1'
	run -65 add_ok --key "$(printf 'k%.0s' $(seq 129))"
	printf 'category,loc,name,phone,text,key,ref\nEN-SUPPLY,D1-T1-B1,Ram,9816012345,t,K-3,OTHER\n' > "$BATS_TEST_TMPDIR/b.csv"
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:2: field 'key': is stored as the ref, and the ref given differs"* ]]
	assert_unchanged "$before"
	# the same key as its ref is fine: nothing new, TS-1 printed
	run -0 add_ok --key K-1 --ref K-1
	[ "${lines[1]%%,*}" = TS-1 ]
	assert_unchanged "$before"
}

# ---- the citizen's language ----

@test "--lang en is kept in ledger/corrections.csv; hi, the default, writes nothing there" {
	run -0 add_ok --lang hi
	[ ! -e "$GRV_DIR/ledger/corrections.csv" ]
	run -0 --separate-stderr add_ok --lang en
	[ "${lines[1]%%,*}" = TS-2 ]
	run -0 cat "$GRV_DIR/ledger/corrections.csv"
	[ "${lines[0]}" = "ts,id,field,value,actor,reason,crc" ]
	[[ "${lines[1]}" == "2026-11-02T10:00:00+05:30,TS-2,lang,en,tester,registered,"* ]]
	[ "${#lines[@]}" -eq 2 ]
	chain_ok "$GRV_DIR/ledger/corrections.csv"
	# personal data: never readable by other, like complaints.csv
	[ "$(stat -c %a "$GRV_DIR/ledger/corrections.csv")" = "$(stat -c %a "$GRV_DIR/ledger/complaints.csv")" ]
	[ "$(( 0$(stat -c %a "$GRV_DIR/ledger/corrections.csv") & 7 ))" -eq 0 ]
	run -0 grv-check
}

@test "a batch's lang column gives each complaint its language; empty is hi" {
	printf 'category,loc,name,phone,text,lang\nEN-BILL,D2,A,9816012345,t,en\nEN-BILL,D2,B,9816012346,t,\nEN-BILL,D2,C,9816012347,t,hi\nEN-BILL,D2,D,9816012348,t,en\n' > "$BATS_TEST_TMPDIR/b.csv"
	run -0 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	run -0 cut -d, -f2-4 "$GRV_DIR/ledger/corrections.csv"
	[ "$output" = "id,field,value
TS-1,lang,en
TS-4,lang,en" ]
}

@test "an unknown language is refused: 64 as an option, 65 naming the batch line, nothing written" {
	run -0 add_ok
	before=$(ledger_sum)
	run -64 add_ok --lang fr
	[ "${lines[0]}" = "grv-add: --lang: unknown language 'fr' (hi or en)" ]
	printf 'category,loc,name,phone,text,lang\nEN-BILL,D2,A,9816012345,t,en\nEN-BILL,D2,B,9816012346,t,EN\n' > "$BATS_TEST_TMPDIR/b.csv"
	run -65 grv-add --now "$N" --batch "$BATS_TEST_TMPDIR/b.csv"
	[[ "$output" == *"b.csv:3: field 'lang': unknown language 'EN' (hi or en)"* ]]
	assert_unchanged "$before"
	[ ! -e "$GRV_DIR/ledger/corrections.csv" ]
}

@test "an English complaint whose --now is earlier than the last correction is refused before complaints.csv is written" {
	run -0 add_ok --lang en
	run -0 grv-amend TS-1 --now 2026-11-05T10:00 --name "Ramesh K." --reason "name corrected"
	before=$(ledger_sum)
	run -65 add_ok --lang en
	[[ "$output" == *"earlier than the last row of ledger/corrections.csv"* ]]
	assert_unchanged "$before"
	# Hindi needs no row there: registered as usual
	run -0 --separate-stderr add_ok
	[ "${lines[1]%%,*}" = TS-2 ]
}
