#!/usr/bin/env bats
# Signed checkpoints, consistency and inclusion proofs (grv-checkpoint,
# grv-verify): held to tests/tlog_check.py, a verifier written from RFC
# 6962/9162 and the C2SP formats with Python's hashlib and Debian's
# python3-nacl, sharing no code with grv.

load test_helper

PY=/usr/bin/python3

setup() {
	grv_sandbox
	CHECK="$TESTS_DIR/tlog_check.py"
	VKEY="$GRV_DIR/masters/checkpoint.vkey"
}

# batch N FIRST: N complaints numbered from FIRST, registered and routed.
batch() {
	{
		echo category,loc,name,phone,text
		for ((i = $2; i < $2 + $1; i++)); do
			echo "EN-SUPPLY,D1-T1-B1,Citizen $i,98765$(printf %05d "$i"),no supply $i"
		done
	} | grv-add --now "${3:-2026-11-02T10:00}" --batch - >/dev/null
	grv-route --now "${3:-2026-11-02T10:00}" >/dev/null
}

# note K FILE: the K-th note of a checkpoints file (each note is two
# paragraphs: its text, then its signature lines after a blank line).
note() {
	awk -v RS= -v k="$1" 'NR == 2 * k - 1 { printf "%s\n\n", $0 }
		NR == 2 * k { print }' "$2"
}

# proof_holds OLD NEW ORIGIN M N: the consistency proof grv-verify --proof
# prints for the checkpoint files OLD and NEW, of ORIGIN from M rows to N,
# holds for Python; it is left in $BATS_TEST_TMPDIR/proof.
proof_holds() {
	run -0 grv-verify --proof "$1" "$2"
	[ "${lines[0]}" = "consistency $3 $4 $5" ]
	echo "$output" > "$BATS_TEST_TMPDIR/proof"
	run -0 $PY "$CHECK" proof "$VKEY" "$1" "$2" "$BATS_TEST_TMPDIR/proof"
	[ "$output" = "consistent $3 $4 $5" ]
}

# rewrite FILE LINE [SWAP]: change row LINE's text (or swap it with the next
# row), then recompute the whole crc chain, as someone who can write the
# file could; the high-water marks go too, as that someone would remove them.
rewrite() {
	$PY - "$@" <<'PYEOF'
import sys, zlib
path, line = sys.argv[1], int(sys.argv[2])
rows = open(path, "rb").read().split(b"\n")[:-1]
if len(sys.argv) > 3:
    rows[line - 1], rows[line] = rows[line], rows[line - 1]
else:
    rows[line - 1] = rows[line - 1].replace(b"no supply", b"all fine")
prev = rows[0]
for i in range(1, len(rows)):
    body = rows[i][:rows[i].rindex(b",")]
    crc = b"%08x" % zlib.crc32(prev + body)
    rows[i] = body + b"," + crc
    prev = crc
open(path, "wb").write(b"\n".join(rows) + b"\n")
PYEOF
	rm -f "$GRV_DIR"/ledger/.*.hwm
}

@test "tree hashes and every inclusion and consistency proof of sizes 1..64, and random pairs to 300, agree with an independent Python implementation" {
	$PY -c 'import sys
for i in range(300):
    sys.stdout.write("r%d,\"%s\",%s\n" % (i, "x" * (i % 7), "\u00e9" * (i % 3)))' > "$BATS_TEST_TMPDIR/rows"
	"$GRV_BIN/../unit/test_merkle" --dump 64 < "$BATS_TEST_TMPDIR/rows" > "$BATS_TEST_TMPDIR/dump"
	run -0 $PY "$CHECK" dump "$BATS_TEST_TMPDIR/rows" < "$BATS_TEST_TMPDIR/dump"
	# 64 * 65 / 2 inclusion proofs, 64 * 63 / 2 consistency ones, and the
	# random pairs (a consistency pair of equal sizes is not drawn).
	[[ "$output" == "roots 300 inclusion 2280 consistency "* ]]
	(( ${output##* } >= 2016 + 190 ))
}

@test "grv-checkpoint signs notes that Python with python3-nacl accepts, with the roots Python computes from the ledger, and rejects with one byte changed" {
	run -0 grv-checkpoint --new-key
	[ "$output" = "$(cat "$VKEY")" ]
	[[ "$output" == TS+[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]+* ]]
	[ "$(stat -c %a "$GRV_DIR/checkpoint.key")" = 600 ]
	# Run again: the key is kept, a verifier key gone is published again.
	vkey=$output
	rm "$VKEY"
	run -0 grv-checkpoint --new-key
	[ "$output" = "$vkey" ] && [ "$(cat "$VKEY")" = "$vkey" ]
	batch 5 1
	run -0 grv-checkpoint
	[ "${lines[0]}" = origin,size,root ]
	c=$($PY "$CHECK" ledger "$GRV_DIR" complaints)
	e=$($PY "$CHECK" ledger "$GRV_DIR" events)
	[ "${lines[1]}" = "TS/complaints,${c/ /,}" ]
	[ "${lines[2]}" = "TS/events,${e/ /,}" ]
	run -0 $PY "$CHECK" notes "$VKEY" "$GRV_DIR/ledger/checkpoints"
	[ "$output" = "$(printf 'TS/complaints %s\nTS/events %s' "$c" "$e")" ]
	run -0 grv-verify
	[ "${lines[1]}" = "ledger/checkpoints:1,TS/complaints,${c/ /,},ok" ]
	[ "${lines[2]}" = "ledger/checkpoints:7,TS/events,${e/ /,},ok" ]
	# One byte of the second note's text (its size 5 -> 4): Python and grv
	# both refuse its signature.
	cp "$GRV_DIR/ledger/checkpoints" "$BATS_TEST_TMPDIR/cp"
	sed -i '8s/^5$/4/' "$GRV_DIR/ledger/checkpoints"
	! cmp -s "$BATS_TEST_TMPDIR/cp" "$GRV_DIR/ledger/checkpoints"
	run -1 $PY "$CHECK" notes "$VKEY" "$GRV_DIR/ledger/checkpoints"
	[[ "$output" == *"FAIL: signature does not verify" ]]
	run -65 grv-verify
	[ "$output" = "grv-verify: ledger/checkpoints:7: its signature does not verify" ]
	run -65 grv-checkpoint
	# A key that is not the signer's: no signature by it.
	cp "$BATS_TEST_TMPDIR/cp" "$GRV_DIR/ledger/checkpoints"
	mkdir "$BATS_TEST_TMPDIR/other"
	run -0 grv-checkpoint -d "$BATS_TEST_TMPDIR/other" --new-key
	run -65 grv-verify --vkey "$BATS_TEST_TMPDIR/other/masters/checkpoint.vkey"
	[ "$output" = "grv-verify: ledger/checkpoints:1: no signature by the key" ]
}

@test "a checkpoint is signed only for a ledger that grew; consistency proofs between them hold for Python and for --check-proof alone" {
	grv-checkpoint --new-key >/dev/null
	batch 3 1
	grv-checkpoint >/dev/null
	before=$(cat "$GRV_DIR/ledger/checkpoints")
	run -0 grv-checkpoint
	[ "$output" = origin,size,root ]
	[ "$(cat "$GRV_DIR/ledger/checkpoints")" = "$before" ]
	# New complaints not yet routed: only the complaints ledger grew.
	grv-add --now 2026-11-03T10:00 --category EN-SUPPLY --loc D1-T1-B1 \
		--name 'Ram Lal' --phone 9816012345 --text 'No supply' >/dev/null
	run -0 grv-checkpoint
	[ "${#lines[@]}" = 2 ] && [[ "${lines[1]}" == TS/complaints,4,* ]]
	batch 9 10 2026-11-04T10:00
	grv-checkpoint >/dev/null
	rm -rf "$GRV_DIR/cache"		# the proofs come from the ledger alone
	cps="$GRV_DIR/ledger/checkpoints"
	note 1 "$cps" > "$BATS_TEST_TMPDIR/old"
	note 4 "$cps" > "$BATS_TEST_TMPDIR/new"
	proof_holds "$BATS_TEST_TMPDIR/old" "$BATS_TEST_TMPDIR/new" TS/complaints 3 13
	run -0 grv-verify -d /nonexistent --vkey "$VKEY" --check-proof "$BATS_TEST_TMPDIR/proof" "$BATS_TEST_TMPDIR/old" "$BATS_TEST_TMPDIR/new"
	[ "$output" = "consistent,TS/complaints,3,13" ]
	# A proof with one hash changed holds for neither.
	sed -i '2s/^./A/;2s/^AA/BA/' "$BATS_TEST_TMPDIR/proof"
	run -1 $PY "$CHECK" proof "$VKEY" "$BATS_TEST_TMPDIR/old" "$BATS_TEST_TMPDIR/new" "$BATS_TEST_TMPDIR/proof"
	run -65 grv-verify --vkey "$VKEY" --check-proof "$BATS_TEST_TMPDIR/proof" "$BATS_TEST_TMPDIR/old" "$BATS_TEST_TMPDIR/new"
	[[ "$output" == *"the proof does not hold"* ]]
}

@test "an inclusion receipt holds for Python: the complaint row and each event row in the last checkpoints; rows after them are named (exit 1)" {
	grv-checkpoint --new-key >/dev/null
	batch 6 1
	grv-resolve --now 2026-11-03T10:00 TS-3 --officer EN-JE-B1 --reason 'Line repaired' >/dev/null
	grv-checkpoint >/dev/null
	run -0 grv-verify --inclusion TS-3
	echo "$output" > "$BATS_TEST_TMPDIR/receipt"
	[ "${lines[0]}" = "grv-receipt TS-3" ]
	run -0 $PY "$CHECK" receipt "$VKEY" TS-3 "$BATS_TEST_TMPDIR/receipt"
	# Row indexes count from 0: complaint 3 is leaf 2, its route leaf 2,
	# its resolve the seventh event.
	[ "$output" = "included TS/complaints:2 TS/events:2 TS/events:6" ]
	# The receipt's row changed by one byte no longer holds.
	sed -i 's/^TS-3,\(.*\)no supply 3/TS-3,\1no supply 4/' "$BATS_TEST_TMPDIR/receipt"
	run -1 $PY "$CHECK" receipt "$VKEY" TS-3 "$BATS_TEST_TMPDIR/receipt"
	[ "$output" = "FAIL: row 2 is not in TS/complaints 6" ]
	grv-feedback --now 2026-11-04T10:00 TS-3 --satisfied >/dev/null
	run -1 grv-verify --inclusion TS-3
	[[ "$output" == *"grv-verify: ledger/events.csv:9: after the last checkpoint of events (run grv-checkpoint)"* ]]
	run -65 grv-verify --inclusion TS-99
	[ "$output" = "grv-verify: ledger/complaints.csv: no complaint 'TS-99'" ]
	run -64 grv-verify --inclusion 'TS-1,x'
}

@test "a row rewritten with its whole crc chain recomputed: grv-check finds it clean, grv-verify and grv-checkpoint name the checkpoint and the row (65)" {
	grv-checkpoint --new-key >/dev/null
	batch 8 1
	grv-checkpoint >/dev/null
	batch 2 9 2026-11-02T11:00
	rewrite "$GRV_DIR/ledger/complaints.csv" 4
	run -0 grv-check -q
	chain_ok "$GRV_DIR/ledger/complaints.csv"
	run -65 grv-verify
	[[ "$output" == *"grv-verify: ledger/checkpoints:1: TS/complaints 8: the ledger's rows are not those the checkpoint signed: ledger/complaints.csv:4 differs"* ]]
	[[ "$output" == *"ledger/checkpoints:7,TS/events,8,"*",ok"* ]]
	before=$(cat "$GRV_DIR/ledger/checkpoints")
	run -65 grv-checkpoint
	[ "$output" = "grv-checkpoint: ledger/complaints.csv: its first 8 rows are not those the checkpoint at ledger/checkpoints:1 signed (run grv-verify for the row)" ]
	[ "$(cat "$GRV_DIR/ledger/checkpoints")" = "$before" ]
	# Without cache/ the checkpoint is still named, the row no longer.
	rm -rf "$GRV_DIR/cache"
	run -65 grv-verify
	[[ "$output" == *"grv-verify: ledger/checkpoints:1: TS/complaints 8: the ledger's first 8 rows are not those the checkpoint signed"* ]]
}

@test "reordered rows, a ledger cut short and another ledger of the same size each contradict the checkpoint (65)" {
	grv-checkpoint --new-key >/dev/null
	batch 6 1
	grv-checkpoint >/dev/null
	cp -R "$GRV_DIR/ledger" "$BATS_TEST_TMPDIR/saved"
	# Two events swapped, the chain recomputed.
	rewrite "$GRV_DIR/ledger/events.csv" 3 swap
	run -0 grv-check -q
	run -65 grv-verify
	[[ "$output" == *"TS/events 6: the ledger's rows are not those the checkpoint signed: ledger/events.csv:3 differs"* ]]
	# The last two complaints cut off (their events with them).
	rm -rf "$GRV_DIR/ledger" && cp -R "$BATS_TEST_TMPDIR/saved" "$GRV_DIR/ledger"
	head -n 5 "$GRV_DIR/ledger/complaints.csv" > "$BATS_TEST_TMPDIR/c" &&
		cat "$BATS_TEST_TMPDIR/c" > "$GRV_DIR/ledger/complaints.csv"
	rm -f "$GRV_DIR"/ledger/.*.hwm
	run -65 grv-verify
	[[ "$output" == *"grv-verify: ledger/checkpoints:1: TS/complaints 6: ledger/complaints.csv holds 4 rows, fewer than the checkpoint signed"* ]]
	run -65 grv-checkpoint
	[[ "$output" == *"4 rows, fewer than the 6 that the checkpoint at ledger/checkpoints:1 signed"* ]]
	# Another helpline's ledgers of the same sizes, same node.
	rm -rf "$GRV_DIR/ledger" && cp -R "$BATS_TEST_TMPDIR/saved" "$GRV_DIR/ledger"
	mkdir "$BATS_TEST_TMPDIR/twin" && cp -R "$TESTS_DIR/fixtures/state/." "$BATS_TEST_TMPDIR/twin/"
	GRV_DIR="$BATS_TEST_TMPDIR/twin" batch 6 101
	cp "$BATS_TEST_TMPDIR/twin/ledger/"*.csv "$GRV_DIR/ledger/"
	rm -f "$GRV_DIR"/ledger/.*.hwm
	rm -rf "$GRV_DIR/cache"
	[ "$(rows complaints)" = 6 ]
	run -65 grv-verify
	[[ "$output" == *"grv-verify: ledger/checkpoints:1: TS/complaints 6: the ledger's first 6 rows are not those the checkpoint signed"* ]]
	# Its events are the same rows as ours (same ids, times, officers).
	[[ "$output" == *"ledger/checkpoints:7,TS/events,6,"*",ok" ]]
}

@test "a checkpoint of another origin, and a torn ledger/checkpoints, are refused (65); no key is 66" {
	run -66 grv-checkpoint
	[ "$output" = "grv-checkpoint: checkpoint.key: No such file or directory" ]
	grv-checkpoint --new-key >/dev/null
	batch 2 1
	grv-checkpoint >/dev/null
	note 1 "$GRV_DIR/ledger/checkpoints" > "$BATS_TEST_TMPDIR/cp"
	sed -i 's/^node = TS$/node = XX/' "$GRV_DIR/grv.conf"
	run -65 grv-verify "$BATS_TEST_TMPDIR/cp"
	[[ "$output" == *"grv-verify: $BATS_TEST_TMPDIR/cp:1: origin 'TS/complaints' is not a ledger of this data directory ('XX/complaints', 'XX/events', 'XX/corrections')"* ]]
	sed -i 's/^node = XX$/node = TS/' "$GRV_DIR/grv.conf"
	run -0 grv-verify "$BATS_TEST_TMPDIR/cp"
	head -c -1 "$GRV_DIR/ledger/checkpoints" > "$BATS_TEST_TMPDIR/torn"
	cat "$BATS_TEST_TMPDIR/torn" > "$GRV_DIR/ledger/checkpoints"
	batch 1 3 2026-11-02T11:00
	run -65 grv-checkpoint
	[ "$output" = "grv-checkpoint: ledger/checkpoints: its last note is cut short (a torn write); nothing is signed after it" ]
	cmp "$BATS_TEST_TMPDIR/torn" "$GRV_DIR/ledger/checkpoints"
}

# The first literal block after the line of grv-ledger(5) matching $1, as
# text (mdoc's \(em back to the em dash).
ledger_block() {
	awk -v pat="$1" 'index($0, pat) { found = 1 }
		found && /^\.Bd -literal/ { on = 1; next }
		on && /^\.Ed/ { exit }
		on { gsub(/\\\(em/, "\342\200\224"); print }' "$REPO_DIR/man/grv-ledger.5"
}

@test "grv-ledger(5)'s worked checkpoint is what grv-checkpoint signs with the example key, and its hashes are Python's" {
	D="$BATS_TEST_TMPDIR/example"
	mkdir -p "$D/ledger" "$D/masters"
	echo 'node = HP' > "$D/grv.conf"
	ledger_block "A worked example: a ledger of two complaints" > "$D/ledger/complaints.csv"
	ledger_block "and the example key" > "$D/masters/checkpoint.vkey"
	cmp "$D/masters/checkpoint.vkey" "$TESTS_DIR/fixtures/audit/checkpoint.vkey"
	install -m 600 "$TESTS_DIR/fixtures/audit/checkpoint.key" "$D/"
	run -0 grv-checkpoint -d "$D"
	ledger_block "appends to" > "$BATS_TEST_TMPDIR/page"
	cmp "$BATS_TEST_TMPDIR/page" "$D/ledger/checkpoints"
	run -0 $PY "$CHECK" notes "$D/masters/checkpoint.vkey" "$D/ledger/checkpoints"
	[ "$output" = "HP/complaints 2 $($PY "$CHECK" ledger "$D" complaints | cut -d' ' -f2)" ]
	# The leaf and root hashes the page states, by hashlib: each row up to
	# and excluding its final comma.
	run -0 $PY -c 'import hashlib, sys
rows = open(sys.argv[1], "rb").read().split(b"\n")[1:-1]
l = [hashlib.sha256(b"\0" + r[:r.rindex(b",")]).digest() for r in rows]
print(l[0].hex(), l[1].hex(), hashlib.sha256(b"\1" + l[0] + l[1]).hexdigest())' "$D/ledger/complaints.csv"
	page=$(tr '\n' ' ' < "$REPO_DIR/man/grv-ledger.5")
	for h in $output; do
		[[ "$page" == *"$h"* ]] || { echo "not in grv-ledger(5): $h"; return 1; }
	done
	[[ "$page" == *"Leaf 0 is SHA-256 of 0x00 and .Ql HP-1,..., , the row up to its final comma: ${output%% *};"* ]]
}

@test "a report in json and table names the last checkpoint of each ledger; csv is unchanged" {
	grv-checkpoint --new-key >/dev/null
	batch 3 1
	run -0 grv-report grading --now 2026-11-30 --format json
	# No checkpoints yet: the report's object alone.
	echo "$output" | $PY -c 'import json, sys
r = json.load(sys.stdin)
assert "checkpoints" not in r and r["report"] == "grading", r'
	csv=$(grv-report grading --now 2026-11-30)
	grv-checkpoint >/dev/null
	[ "$(grv-report grading --now 2026-11-30)" = "$csv" ]
	batch 1 4 2026-11-03T10:00
	grv-checkpoint >/dev/null
	c=$($PY "$CHECK" ledger "$GRV_DIR" complaints)
	e=$($PY "$CHECK" ledger "$GRV_DIR" events)
	run -0 grv-report grading --now 2026-11-30 --format json
	echo "$output" | $PY -c 'import json, sys
r = json.load(sys.stdin)
cp = [(c["origin"], c["size"], c["root"]) for c in r["checkpoints"]]
c, e = sys.argv[1].split(), sys.argv[2].split()
assert cp == [("TS/complaints", int(c[0]), c[1]), ("TS/events", int(e[0]), e[1])], cp
assert list(r)[0] == "checkpoints" and r["report"] == "grading", list(r)
assert r["rows"][0]["dept"] == "EN" and r["rows"][0]["n"] == 4, r["rows"]' "$c" "$e"
	run -0 grv-report grading --now 2026-11-30 --format table
	[ "${lines[-3]:0:2}" = "EN" ]
	[ "${lines[-2]}" = "checkpoint TS/complaints $c" ]
	[ "${lines[-1]}" = "checkpoint TS/events $e" ]
	run -0 grv-report grading --now 2026-11-30 --format csv
	[ "${#lines[@]}" = 2 ] && [[ "$output" != *checkpoint* ]]
}

@test "the crontab's checkpoint line as written signs in silence, and a contradicted ledger exits 65 to stderr and logger; the systemd units verify" {
	grv-checkpoint --new-key >/dev/null
	batch 3 1
	shim=$BATS_TEST_TMPDIR/shim
	mkdir -p "$shim" "$BATS_TEST_TMPDIR/tmp"
	printf '#!/bin/sh\n{ echo "logger $*"; cat; } >> "%s/logger.log"\n' "$shim" > "$shim/logger"
	chmod +x "$shim/logger"
	line=$(grep -E '^[^#].*grv-checkpoint' "$REPO_DIR/scripts/crontab.example")
	[[ "$line" == "5 * * * *  grv  "* ]] && [[ "$line" != *%* ]]
	cmd=$(sed -E 's/^([^[:space:]]+[[:space:]]+){6}//' <<< "$line")
	path=$(sed -n 's/^PATH=//p' "$REPO_DIR/scripts/crontab.example")
	cron() {
		run --separate-stderr env -i HOME="$HOME" LOGNAME=grv SHELL=/bin/sh \
			PATH="$shim:$GRV_BIN:$path" GRV_DIR="$GRV_DIR" \
			TMPDIR="$BATS_TEST_TMPDIR/tmp" /bin/sh -c "$cmd"
	}
	cron
	[ "$status" -eq 0 ] && [ -z "$output" ] && [ -z "$stderr" ]
	[ "$($PY "$CHECK" notes "$VKEY" "$GRV_DIR/ledger/checkpoints" | wc -l)" = 2 ]
	rewrite "$GRV_DIR/ledger/events.csv" 2 swap
	batch 1 4 2026-11-02T11:00
	cron
	[ "$status" -eq 65 ] && [ -z "$output" ]
	[[ "${stderr_lines[0]}" == *" grv-checkpoint: ledger/events.csv: its first 3 rows are not those the checkpoint at ledger/checkpoints:7 signed"* ]]
	[[ "${stderr_lines[1]}" == *" grv-checkpoint: exit status 65" ]]
	grep -qx "logger -t grv -p cron.err" "$shim/logger.log"
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/tmp")" ]
	command -v systemd-analyze >/dev/null || skip "systemd-analyze is not installed"
	mkdir "$BATS_TEST_TMPDIR/units"
	for f in "$REPO_DIR"/scripts/systemd/*; do
		sed -e "s|/usr/local/bin|$GRV_BIN|" -e "s|/usr/local/share/grv|$REPO_DIR/scripts|" \
			"$f" > "$BATS_TEST_TMPDIR/units/${f##*/}"
	done
	cd "$BATS_TEST_TMPDIR/units"
	run -0 systemd-analyze verify --man=no ./grv-checkpoint.timer \
		./grv-checkpoint.service ./grv-failure@.service
	[ -z "$output" ]
}

@test "a torn last line and an append cut short are never signed: grv-checkpoint refuses them (65) until grv-check --repair" {
	grv-checkpoint --new-key >/dev/null
	batch 2 1
	printf 'TS-3,2026-11-02T10:00:00+05:30,phone,EN-SUP' >> "$GRV_DIR/ledger/complaints.csv"
	run -65 grv-checkpoint
	[[ "$output" == *"ledger/complaints.csv: its last line has no line feed (a torn write); run 'grv-check --repair'"* ]]
	[ ! -s "$GRV_DIR/ledger/checkpoints" ]
	run -65 grv-verify
	run -0 grv-check --repair
	run -0 grv-checkpoint
	[[ "${lines[1]}" == TS/complaints,2,* ]]
	# A marker saying an append of 500 bytes began at the end: 100 of them
	# reached the file.
	sz=$(stat -c %s "$GRV_DIR/ledger/events.csv")
	printf '2026-11-02T10:00:00+05:30,TS-1,note,,,,,tester,,,x,00000000\n' >> "$GRV_DIR/ledger/events.csv"
	printf '%s %s\n' "$sz" 500 > "$GRV_DIR/ledger/.events.pending"
	run -65 grv-checkpoint
	[[ "$output" == *"ledger/events.csv: an append was cut short at byte $sz; run 'grv-check --repair'"* ]]
}

@test "ledgers of several MiB, read in chunks, and a sealed segment hash to Python's roots, cold and then from cache/" {
	D="$BATS_TEST_TMPDIR/gen"
	grv-gen -d "$D" --masters "$REPO_DIR/data/sample" -n 2500 --seed 2 >/dev/null
	(( $(stat -c %s "$D/ledger/events.csv") > 3 * 1024 * 1024 / 2 ))
	# Seal the whole live complaints file, as grv-ledger(5) says.
	(cd "$D/ledger" && gzip -c complaints.csv > complaints-2025.csv.gz &&
		head -1 complaints.csv > c.new && mv c.new complaints.csv)
	grv-checkpoint -d "$D" --new-key >/dev/null
	run -0 grv-checkpoint -d "$D"
	[ "${lines[1]}" = "HP/complaints,$($PY "$CHECK" ledger "$D" complaints | tr ' ' ,)" ]
	[ "${lines[2]}" = "HP/events,$($PY "$CHECK" ledger "$D" events | tr ' ' ,)" ]
	# More rows from grv's writers; the tree goes on from cache/.
	grv-route -d "$D" --now 2026-03-01 >/dev/null
	grv-escalate -d "$D" --now 2026-03-01 >/dev/null
	[ -s "$D/cache/merkle-events" ]
	run -0 grv-checkpoint -d "$D"
	[ "${#lines[@]}" = 2 ]
	[ "${lines[1]}" = "HP/events,$($PY "$CHECK" ledger "$D" events | tr ' ' ,)" ]
	run -0 grv-verify -d "$D"
	[[ "$output" != *contradicted* ]]
}

# flip_sig first|last: one bit of the signature of the first or the
# last note of ledger/checkpoints flipped, in place.
flip_sig() {
	$PY - "$GRV_DIR/ledger/checkpoints" "$1" <<'PYEOF'
import base64, sys
path, which = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
dash = "\u2014 ".encode()
i = data.index(dash) if which == "first" else data.rindex(dash)
j = data.index(b" ", i + 4) + 1
k = data.index(b"\n", j)
sig = bytearray(base64.b64decode(data[j:k]))
sig[10] ^= 1
open(path, "wb").write(data[:j] + base64.b64encode(bytes(sig)) + data[k:])
PYEOF
}

@test "an hourly checkpoint checks the signature of the last note of each ledger only; grv-verify checks every note" {
	grv-checkpoint --new-key >/dev/null
	batch 2 1
	grv-checkpoint >/dev/null
	batch 1 3 2026-11-02T11:00
	grv-checkpoint >/dev/null
	# One signature byte of the first complaints note changed, in place.
	flip_sig first
	run -65 grv-verify
	[[ "$output" == *"ledger/checkpoints:1: "* ]]
	batch 1 4 2026-11-02T12:00
	run -0 grv-checkpoint
	[ "${#lines[@]}" = 3 ]
	# The last note of a ledger is checked: its signature changed, nothing is signed.
	# (One bit of its decoded signature flipped: swapping two characters
	# changed nothing when the two were the same, one key in 64.)
	flip_sig last
	cp "$GRV_DIR/ledger/checkpoints" "$BATS_TEST_TMPDIR/before"
	batch 1 5 2026-11-02T13:00
	run -65 grv-checkpoint
	[[ "$output" == *"ledger/checkpoints:"* ]]
	cmp "$BATS_TEST_TMPDIR/before" "$GRV_DIR/ledger/checkpoints"
}

# seal NAME K: the first K rows of ledger NAME into a new segment
# NAME-2026-10.csv.gz (header, chained from it: the same bytes), the live
# file left with its header and the rows after them chained afresh from
# it, as grv-ledger(5)'s Segments says, done by hand, in Python.
seal() {
	$PY - "$GRV_DIR/ledger" "$1" "$2" <<'PYEOF'
import gzip, os, sys, zlib
d, name, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
live = os.path.join(d, name + ".csv")
rows = open(live, "rb").read().split(b"\n")[:-1]
head, body = rows[0], rows[1:]
with gzip.open(os.path.join(d, name + "-2026-10.csv.gz"), "wb") as f:
    f.write(b"\n".join([head] + body[:k]) + b"\n")
prev, out = head, [head]
for r in body[k:]:
    text = r[:r.rindex(b",")]
    crc = b"%08x" % zlib.crc32(prev + text)
    out.append(text + b"," + crc)
    prev = crc
open(live + ".new", "wb").write(b"\n".join(out) + b"\n")
os.chmod(live + ".new", os.stat(live).st_mode & 0o777)
os.rename(live + ".new", live)
PYEOF
}

@test "a checkpoint signed before a partial seal still verifies after it, and the next checkpoint is consistent with it" {
	grv-checkpoint --new-key >/dev/null
	batch 4 1 2026-10-20T10:00
	grv-checkpoint >/dev/null
	cps="$GRV_DIR/ledger/checkpoints"
	note 1 "$cps" > "$BATS_TEST_TMPDIR/oct-c"	# last month's, both ledgers
	note 2 "$cps" > "$BATS_TEST_TMPDIR/oct-e"
	ne=$(sed -n 2p "$BATS_TEST_TMPDIR/oct-e")
	batch 3 5 2026-11-02T10:00
	grv-checkpoint >/dev/null
	first=$(sed -n 2p "$GRV_DIR/ledger/events.csv")
	before=$(sed -n "$((ne + 2))p" "$GRV_DIR/ledger/events.csv")
	# The monthly seal: October's rows into segments, November's left
	# in the live files and re-chained.
	seal complaints 4
	seal events "$ne"
	[ "$(zcat "$GRV_DIR/ledger/events-2026-10.csv.gz" | sed -n 2p)" = "$first" ]
	# November's first event: the same row, a new crc.
	nov=$(sed -n 2p "$GRV_DIR/ledger/events.csv")
	[ "${nov%,*}" = "${before%,*}" ] && [ "$nov" != "$before" ]
	run -0 grv-check -q
	run -0 grv-verify
	[[ "$output" != *contradicted* ]]
	run -0 grv-verify "$BATS_TEST_TMPDIR/oct-e"
	[[ "$output" != *contradicted* ]]
	# The next checkpoint goes on from the last one, cache/ or not.
	batch 2 8 2026-11-03T10:00
	run -0 grv-checkpoint
	[ "${#lines[@]}" = 3 ]
	[ "${lines[1]}" = "TS/complaints,$($PY "$CHECK" ledger "$GRV_DIR" complaints | tr ' ' ,)" ]
	[ "${lines[2]}" = "TS/events,$($PY "$CHECK" ledger "$GRV_DIR" events | tr ' ' ,)" ]
	note 5 "$cps" > "$BATS_TEST_TMPDIR/now-c"
	note 6 "$cps" > "$BATS_TEST_TMPDIR/now-e"
	for k in c e; do
		run -0 grv-verify --proof "$BATS_TEST_TMPDIR/oct-$k" "$BATS_TEST_TMPDIR/now-$k"
		echo "$output" > "$BATS_TEST_TMPDIR/proof"
		run -0 $PY "$CHECK" proof "$VKEY" "$BATS_TEST_TMPDIR/oct-$k" "$BATS_TEST_TMPDIR/now-$k" "$BATS_TEST_TMPDIR/proof"
		[[ "$output" == consistent* ]]
	done
	rm -rf "$GRV_DIR/cache"
	batch 1 10 2026-11-04T10:00
	run -0 grv-checkpoint
	[ "${#lines[@]}" = 3 ]
	# A receipt for an October complaint, from its segment, holds for Python.
	run -0 grv-verify --inclusion TS-2
	echo "$output" > "$BATS_TEST_TMPDIR/receipt"
	run -0 $PY "$CHECK" receipt "$VKEY" TS-2 "$BATS_TEST_TMPDIR/receipt"
}

# ledger_reads CMD...: the bytes CMD reads from the live ledger files.
ledger_reads() {
	ASAN_OPTIONS=detect_leaks=0 strace -f -y -e trace=read,pread64 \
		-o "$BATS_TEST_TMPDIR/trace" "$@" > "$BATS_TEST_TMPDIR/reads.out"
	awk '/\/ledger\/[a-z]*\.csv>/ { n = $NF; if (n ~ /^[0-9]+$/) s += n }
		END { print s + 0 }' "$BATS_TEST_TMPDIR/trace"
}

# A data directory of 6,000 generated complaints (some 15,000 events, 60
# blocks of 256 leaves), its state and its checkpoints made.
gen_signed() {
	rm -rf "$GRV_DIR/ledger"
	grv-gen -n 6000 > /dev/null
	grv-list --now 2026-01-01 > /dev/null	# the row index in cache/
	grv-checkpoint --new-key > /dev/null
	grv-checkpoint > /dev/null
}

@test "a receipt from cache/ reads the complaint's blocks, not the ledgers, and is byte for byte the receipt of a whole read, which Python accepts" {
	command -v strace > /dev/null || skip "strace not installed"
	gen_signed
	[ -s "$GRV_DIR/cache/merkle-events.sub" ] && [ -s "$GRV_DIR/cache/merkle-events.blk" ]
	size=$(cat "$GRV_DIR"/ledger/*.csv | wc -c)
	ids="TS-1 TS-256 TS-257 TS-3000 TS-5999 TS-6000"
	for id in $ids; do
		read_bytes=$(ledger_reads grv-verify --inclusion "$id")
		[ "$read_bytes" -gt 0 ]
		[ "$read_bytes" -lt $(( size / 8 )) ]
		mv "$BATS_TEST_TMPDIR/reads.out" "$BATS_TEST_TMPDIR/warm-$id"
	done
	rm -rf "$GRV_DIR/cache"
	for id in $ids; do
		grv-verify --inclusion "$id" > "$BATS_TEST_TMPDIR/cold"
		cmp "$BATS_TEST_TMPDIR/warm-$id" "$BATS_TEST_TMPDIR/cold"
		run -0 $PY "$CHECK" receipt "$VKEY" "$id" "$BATS_TEST_TMPDIR/cold"
		[[ "$output" == "included TS/complaints:"* ]]
	done
	# TS-3000 has event rows in several blocks of the events' tree.
	[ "$(grep -c '^row ' "$BATS_TEST_TMPDIR/warm-TS-3000")" -gt 3 ]
}

@test "the hourly checkpoint carries the tree above the blocks on; rows after it are named as a whole read names them" {
	command -v strace > /dev/null || skip "strace not installed"
	gen_signed
	batch 700 1 2026-01-02T10:00	# TS-6001.. (batch numbers its citizens from 1)
	grv-checkpoint > /dev/null
	grv-list --now 2026-01-03 > /dev/null
	grv-resolve --now 2026-01-03T10:00 TS-6500 --officer EN-JE-B1 --reason 'Line repaired' > /dev/null
	for id in TS-6001 TS-6500 TS-6700 TS-4000; do
		read_bytes=$(ledger_reads grv-verify --inclusion "$id") || true
		[ "$read_bytes" -lt $(( $(cat "$GRV_DIR"/ledger/*.csv | wc -c) / 8 )) ]
	done
	run -1 grv-verify --inclusion TS-6500
	warm=$output
	[[ "$warm" == *"grv-verify: ledger/events.csv:"*": after the last checkpoint of events (run grv-checkpoint)"* ]]
	grv-verify --inclusion TS-6700 > "$BATS_TEST_TMPDIR/warm"
	rm -rf "$GRV_DIR/cache"
	run -1 grv-verify --inclusion TS-6500
	[ "$output" = "$warm" ]
	grv-verify --inclusion TS-6700 > "$BATS_TEST_TMPDIR/cold"
	cmp "$BATS_TEST_TMPDIR/warm" "$BATS_TEST_TMPDIR/cold"
	run -0 $PY "$CHECK" receipt "$VKEY" TS-6700 "$BATS_TEST_TMPDIR/cold"
}

@test "a damaged, cut short or foreign tree in cache/ is never trusted: the receipt is the same and the files are made again" {
	command -v strace > /dev/null || skip "strace not installed"
	gen_signed
	grv-verify --inclusion TS-3000 > "$BATS_TEST_TMPDIR/good"
	C="$GRV_DIR/cache"
	cp "$C/merkle-events.sub" "$BATS_TEST_TMPDIR/sub"
	cp "$C/merkle-events.blk" "$BATS_TEST_TMPDIR/blk"
	size=$(cat "$GRV_DIR"/ledger/*.csv | wc -c)
	for damage in hashes offsets header short foreign; do
		case $damage in
		hashes)		# every stored hash changed, the header intact
			$PY -c 'import sys
p = sys.argv[1]; b = bytearray(open(p, "rb").read())
for i in range(96, len(b)): b[i] ^= 0x5a
open(p, "wb").write(b)' "$C/merkle-events.sub" ;;
		offsets)	# every block placed one row later
			$PY -c 'import struct, sys
p = sys.argv[1]; b = open(p, "rb").read()
v = [x + 200 for x in struct.unpack("<%dQ" % (len(b) // 8), b)]
open(p, "wb").write(struct.pack("<%dQ" % len(v), *v))' "$C/merkle-events.blk" ;;
		header)		printf 'X' | dd of="$C/merkle-events.sub" bs=1 seek=40 conv=notrunc 2>/dev/null ;;
		short)		truncate -s 500 "$C/merkle-events.sub" ;;
		foreign)	cp "$C/merkle-complaints.sub" "$C/merkle-events.sub"
				cp "$C/merkle-complaints.blk" "$C/merkle-events.blk" ;;
		esac
		run -0 grv-verify --inclusion TS-3000
		[ "$output" = "$(cat "$BATS_TEST_TMPDIR/good")" ]
		# made again from the ledgers, and fast again
		cmp "$C/merkle-events.sub" "$BATS_TEST_TMPDIR/sub"
		cmp "$C/merkle-events.blk" "$BATS_TEST_TMPDIR/blk"
		read_bytes=$(ledger_reads grv-verify --inclusion TS-3000)
		[ "$read_bytes" -lt $(( size / 8 )) ]
		cmp "$BATS_TEST_TMPDIR/reads.out" "$BATS_TEST_TMPDIR/good"
	done
	run -0 $PY "$CHECK" receipt "$VKEY" TS-3000 "$BATS_TEST_TMPDIR/good"
}

# correct ID FIELD VALUE [TIME]: a correction of personal data, with a
# reason a rewrite() can change.
correct() {
	grv-amend "$1" --now "${4:-2026-11-05T10:00}" "--$2" "$3" --reason "caller said no supply" >/dev/null
}

@test "ledger/corrections.csv is a third log with its own origin: Python accepts its checkpoints and proofs, the ledgers' earlier checkpoints still verify, receipts are unchanged" {
	grv-checkpoint --new-key >/dev/null
	batch 3 1
	run -0 grv-checkpoint
	[ "${#lines[@]}" = 3 ]
	cps="$GRV_DIR/ledger/checkpoints"
	note 1 "$cps" > "$BATS_TEST_TMPDIR/old-c"
	note 2 "$cps" > "$BATS_TEST_TMPDIR/old-e"
	correct TS-1 name "Ramesh K."
	correct TS-2 phone 9816012345
	run -0 grv-checkpoint
	[ "${#lines[@]}" = 2 ]
	[ "${lines[1]}" = "TS/corrections,$($PY "$CHECK" ledger "$GRV_DIR" corrections | tr ' ' ,)" ]
	[ "$($PY "$CHECK" ledger "$GRV_DIR" corrections | cut -d' ' -f1)" = 2 ]
	run -0 $PY "$CHECK" notes "$VKEY" "$cps"
	[ "${#lines[@]}" = 3 ]
	[[ "${lines[2]}" == "TS/corrections 2 "* ]]
	run -0 grv-verify
	[ "${#lines[@]}" = 4 ]
	[[ "${lines[3]}" == "ledger/checkpoints:13,TS/corrections,2,"*",ok" ]]
	run -0 grv-verify "$BATS_TEST_TMPDIR/old-c" "$BATS_TEST_TMPDIR/old-e"
	[[ "$output" != *contradicted* ]]
	# A third correction: the next checkpoint extends the last.
	correct TS-1 phone 9816012346 2026-11-06T10:00
	run -0 grv-checkpoint
	[ "${#lines[@]}" = 2 ]
	note 3 "$cps" > "$BATS_TEST_TMPDIR/x1"
	note 4 "$cps" > "$BATS_TEST_TMPDIR/x2"
	proof_holds "$BATS_TEST_TMPDIR/x1" "$BATS_TEST_TMPDIR/x2" TS/corrections 2 3
	run -0 grv-verify --check-proof "$BATS_TEST_TMPDIR/proof" "$BATS_TEST_TMPDIR/x1" "$BATS_TEST_TMPDIR/x2"
	# A receipt is of the complaint's rows in the two ledgers only.
	run -0 grv-verify --inclusion TS-1
	echo "$output" > "$BATS_TEST_TMPDIR/receipt"
	[ "$(grep -c '^checkpoint$' "$BATS_TEST_TMPDIR/receipt")" = 2 ]
	run -0 $PY "$CHECK" receipt "$VKEY" TS-1 "$BATS_TEST_TMPDIR/receipt"
	[ "$output" = "included TS/complaints:0 TS/events:0" ]
}

@test "corrections.csv rewritten with its chain recomputed, cut short or removed contradicts its checkpoint (65); grv-checkpoint signs nothing" {
	grv-checkpoint --new-key >/dev/null
	batch 3 1
	correct TS-1 name "Ramesh K."
	correct TS-2 name "Sita Devi"
	correct TS-3 phone 9816012345
	grv-checkpoint >/dev/null
	X="$GRV_DIR/ledger/corrections.csv"
	cp -p "$X" "$BATS_TEST_TMPDIR/x.csv"
	cp -p "$GRV_DIR/ledger/.corrections.hwm" "$BATS_TEST_TMPDIR/x.hwm"
	correct TS-3 name "Mohan Lal" 2026-11-06T10:00
	cp "$GRV_DIR/ledger/checkpoints" "$BATS_TEST_TMPDIR/cps"
	# Row 2 rewritten, the chain recomputed, the mark removed.
	rewrite "$X" 3
	run -0 grv-check -q
	run -65 grv-verify
	[[ "$output" == *"ledger/checkpoints:13: TS/corrections 3: the ledger's rows are not those the checkpoint signed: ledger/corrections.csv:3 differs"* ]]
	[[ "$output" == *"TS/corrections,3,"*",contradicted"* ]]
	run -65 grv-checkpoint
	[[ "$output" == *"ledger/corrections.csv: its first 3 rows are not those the checkpoint at ledger/checkpoints:13 signed"* ]]
	cmp "$BATS_TEST_TMPDIR/cps" "$GRV_DIR/ledger/checkpoints"
	# Cut short: the last row gone, the mark kept.
	cp -p "$BATS_TEST_TMPDIR/x.csv" "$X"
	cp -p "$BATS_TEST_TMPDIR/x.hwm" "$GRV_DIR/ledger/.corrections.hwm"
	correct TS-3 name "Mohan Lal" 2026-11-06T10:00
	run -0 grv-verify
	head -n 3 "$X" > "$BATS_TEST_TMPDIR/short" && cat "$BATS_TEST_TMPDIR/short" > "$X"
	run -65 grv-verify
	[[ "$output" == *"ledger/checkpoints:13: TS/corrections 3: ledger/corrections.csv holds 2 rows, fewer than the checkpoint signed"* ]]
	run -65 grv-checkpoint
	[[ "$output" == "grv-checkpoint: ledger/corrections.csv: shorter than grv last wrote it: "* ]]
	cmp "$BATS_TEST_TMPDIR/cps" "$GRV_DIR/ledger/checkpoints"
	# Removed.
	rm "$X"
	run -65 grv-verify
	[[ "$output" == *"TS/corrections 3: ledger/corrections.csv holds 0 rows, fewer than the checkpoint signed"* ]]
	run -65 grv-checkpoint
	[[ "$output" == "grv-checkpoint: ledger/corrections.csv: missing: grv last wrote 4 rows"* ]]
	cmp "$BATS_TEST_TMPDIR/cps" "$GRV_DIR/ledger/checkpoints"
}
