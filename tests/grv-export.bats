#!/usr/bin/env bats
# grv-export open311 over tests/fixtures/report (EXPECTED.md): the feed
# checked against JSON Schemas written from the GeoReport v2 specification
# (tests/open311/, validated with ajv from npm) and for XML well-formedness
# (xmllint).

load test_helper

NOW=(--now 2026-12-05)

setup_file() {
	tests_npm	# ajv and ajv-formats
}

setup() {
	grv_sandbox report
}

@test "the Open311 feed meets the GeoReport v2 schemas, its XML is well-formed, and it holds every complaint without personal data" {
	O=$BATS_TEST_TMPDIR/feed
	run -0 grv-export open311 "$O" "${NOW[@]}" --url https://grv.example.org/open311 --contact "181 helpline"
	[ -z "$output" ]
	run -0 node "$TESTS_DIR/open311/validate.mjs" "$O"
	for f in discovery services requests; do
		xmllint --noout "$O/$f.xml"
	done
	# 22 complaints registered by 12-05 (TS-23 is in January), statuses as
	# grv-list says: closed is closed, everything else open
	python3 - "$O" <<'PY'
import csv, json, sys, xml.etree.ElementTree as ET
o = sys.argv[1]
rq = json.load(open(f"{o}/requests.json", encoding="utf-8"))
assert [r["service_request_id"] for r in rq] == [f"TS-{i}" for i in range(1, 23)], rq
by = {r["service_request_id"]: r for r in rq}
# by hand (EXPECTED.md): TS-4 closed satisfied, TS-6 closed forced, TS-1
# open at L4 due 2025-11-03 with REV, TS-20 never placed (EN's)
assert (by["TS-4"]["status"], by["TS-4"]["status_notes"]) == ("closed", "closed satisfied")
assert (by["TS-6"]["status"], by["TS-6"]["status_notes"]) == ("closed", "closed forced")
assert by["TS-1"]["status"] == "open" and by["TS-1"]["expected_datetime"] == "2025-11-03T00:05:00+05:30", by["TS-1"]
assert by["TS-1"]["agency_responsible"] == "Revenue" and by["TS-1"]["address_id"] == "D2-T1-B1"
assert by["TS-1"]["address"] == "Dharamshala Block, Dharamshala, Kangra, Teststate", by["TS-1"]["address"]
assert by["TS-20"]["status_notes"] == "registered, not yet placed" and by["TS-20"]["agency_responsible"] == "Energy"
assert all(r["description"] is None for r in rq)
# the XML and the bulk CSV say the same
x = ET.parse(f"{o}/requests.xml").getroot()
assert x.tag == "service_requests" and len(x) == 22
for e in x:
    r = by[e.findtext("service_request_id")]
    for k, v in r.items():
        assert (e.findtext(k) or None) == v, (k, e.findtext(k), v)
rows = list(csv.DictReader(open(f"{o}/requests.csv", encoding="utf-8")))
assert [(r["service_request_id"], r["status"], r["service_code"]) for r in rows] == \
    [(r["service_request_id"], r["status"], r["service_code"]) for r in rq]
sv = json.load(open(f"{o}/services.json", encoding="utf-8"))
cats = list(csv.DictReader(open(sys.argv[1] + "/../d/masters/categories.csv", encoding="utf-8")))
assert [s["service_code"] for s in sv] == [c["category"] for c in cats]
d = json.load(open(f"{o}/discovery.json"))
assert (d["contact"], d["endpoints"][0]["url"], d["changeset"]) == ("181 helpline", "https://grv.example.org/open311", "2026-12-05T00:00:00+05:30"), d
PY
	# no name, no phone, no text, in any file
	! grep -rE 'Citizen|98160000|HYPERLINK' "$O"
}

@test "--with-text adds each complaint's text as its description, guarded in the CSV" {
	O=$BATS_TEST_TMPDIR/feed
	run -0 grv-export open311 "$O" "${NOW[@]}" --with-text
	run -0 node "$TESTS_DIR/open311/validate.mjs" "$O"
	xmllint --noout "$O/requests.xml"
	python3 - "$O" <<'PY'
import csv, json, sys
o = sys.argv[1]
by = {r["service_request_id"]: r for r in json.load(open(f"{o}/requests.json", encoding="utf-8"))}
assert by["TS-20"]["description"] == '=HYPERLINK("http://example.com/x","click")', by["TS-20"]
rows = {r["service_request_id"]: r for r in csv.DictReader(open(f"{o}/requests.csv", encoding="utf-8"))}
assert rows["TS-20"]["description"] == "'" + by["TS-20"]["description"], rows["TS-20"]
PY
	! grep -rE 'Citizen|98160000' "$O"
}

@test "the schemas catch a feed that breaks the specification" {
	O=$BATS_TEST_TMPDIR/feed
	grv-export open311 "$O" "${NOW[@]}"
	sed -i '0,/"status":"open"/s//"status":"pending"/' "$O/requests.json"
	run -1 node "$TESTS_DIR/open311/validate.mjs" "$O"
	[[ "$output" == *"requests.json/0/status: must be equal to one of the allowed values"* ]]
	grv-export open311 "$O" "${NOW[@]}"
	sed -i '0,/"service_request_id":"TS-1",/s//"service_request_id":"TS-1","phone":"9816000001",/' "$O/requests.json"
	run -1 node "$TESTS_DIR/open311/validate.mjs" "$O"
}

@test "grv-export refuses a bad command line and an OUTDIR it cannot make" {
	run -64 grv-export
	run -64 grv-export geojson "$BATS_TEST_TMPDIR/x"
	run -64 grv-export open311
	run -64 grv-export open311 a b
	run -73 grv-export open311 /dev/null/feed "${NOW[@]}"
	[[ "$output" == "grv-export: /dev/null/feed: "* ]]
	# a damaged ledger: nothing written
	sed -i '3s/phone/fhone/' "$GRV_DIR/ledger/complaints.csv"
	run -65 grv-export open311 "$BATS_TEST_TMPDIR/feed" "${NOW[@]}"
	[ ! -e "$BATS_TEST_TMPDIR/feed/requests.json" ]
}
