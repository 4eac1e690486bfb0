#!/usr/bin/env bats
# grv-report review: a district's review pack over tests/fixtures/report,
# whose November 2026 figures are worked out by hand in
# tests/fixtures/report/EXPECTED.md; the HTML page rendered in headless
# Chromium.

load test_helper

NOV=(--now 2026-12-05 --from 2026-11-01 --to 2026-12-01)

setup() {
	grv_sandbox report
}

# part FILE NAME: the rows of part NAME of a review csv, header included.
part() {
	awk -v p="# $2" '$0 == p { on = 1; next } on && /^$/ { exit } on' "$1"
}

@test "review's parts carry the reports' own figures for the district, Hindi names beside" {
	grv-report review --district D2 "${NOV[@]}" >"$BATS_TEST_TMPDIR/rv.csv"
	R=$BATS_TEST_TMPDIR/rv.csv
	# where it stands: the districts row of D2, ranked among all
	[ "$(part "$R" district)" = "$(printf '%s\n' \
		'district,name,name_hi,group,rank,rank_state,districts,n,sat,forced,unattended,score,grade' \
		'D2,Kangra,कांगड़ा,3,2,2,2,5,1,1,2,26.00,D')" ]
	# the grading and pending parts: grading/pending --district D2, with
	# name_hi as their third column
	diff <(part "$R" grading | cut -d, -f1,2,4-) <(grv-report grading --district D2 "${NOV[@]}")
	diff <(part "$R" pending | cut -d, -f1,2,4-) <(grv-report pending --district D2 "${NOV[@]}")
	[ "$(part "$R" grading | sed -n 2p | cut -d, -f3)" = "ऊर्जा विभाग" ]
	# over 100 days: R0 (TS-1), 455 days, at L4 with the divisional
	# commissioner; no name, phone or text anywhere in the pack
	[ "$(part "$R" old)" = "$(printf '%s\n' \
		'id,dept,officer,level,registered,age_days,over_300' \
		'TS-1,REV,REV-DIVCOM,4,2025-09-01,455,1')" ]
	! grep -q "Citizen\|98[0-9]\{8\}\|HYPERLINK" "$R"
	# officers: EN-JE-D2 100.00 best, REV-TEH-D2T1 0.00 lowest (1/(1+0+0),
	# 0/(0+1+1)), as officers --district D2 says
	[ "$(part "$R" best | sed -n 2p | cut -d, -f1,5-10)" = "EN-JE-D2,1,1,0,0,0,100.00" ]
	[ "$(part "$R" worst | sed -n 2p | cut -d, -f1,5-10)" = "REV-TEH-D2T1,2,0,1,1,1,0.00" ]
	# transfers: P1's PWD-ROAD moved to REV; closures: E3 forced
	[ "$(part "$R" transfers | sed -n 2p)" = "PWD-ROAD,\"Potholes, road damaged\",सड़क क्षतिग्रस्त,PWD,1,1,1,100.00,REV,1" ]
	[ "$(part "$R" closures | sed -n 2p)" = "EN,Energy,ऊर्जा विभाग,1,0,0" ]
	# json: the same parts, the period and --now
	grv-report review --district D2 "${NOV[@]}" --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert (d["report"], d["from"], d["now"]) == ("review", "2026-11-01T00:00:00+05:30", "2026-12-05T00:00:00+05:30"), d
p = d["parts"]
assert p["old"] == [{"id": "TS-1", "dept": "REV", "officer": "REV-DIVCOM", "level": 4,
    "registered": "2025-09-01", "age_days": 455, "over_300": 1}], p["old"]
assert p["district"][0]["rank_state"] == 2 and p["district"][0]["score"] == 26.0
assert [r["dept"] for r in p["grading"]] == ["EN", "REV"], p["grading"]'
}

@test "review wants one district and html is review's alone" {
	run -64 grv-report review "${NOV[@]}"
	[[ "$output" == *"--district L is required"* ]]
	run -64 grv-report review --district D1 --dept EN "${NOV[@]}"
	run -64 grv-report grading --format html "${NOV[@]}"
	run -65 grv-report review --district D1-T1 "${NOV[@]}"
	[[ "$output" == *"'D1-T1' is not a district"* ]]
	run -65 grv-report review --district D9 "${NOV[@]}"
	run -74 bash -c 'grv-report review --district D1 --format html --now 2026-12-05 >/dev/full'
}

@test "the html pack renders in headless Chromium: its text has the csv's figures, a non-blank A4 page, a PDF" {
	T=$BATS_TEST_TMPDIR
	grv-report review --district D2 "${NOV[@]}" --format html >"$T/rv.html"
	grv-report review --district D2 "${NOV[@]}" >"$T/rv.csv"
	# self-contained: nothing fetched (the only URL is the SVG namespace)
	! grep -Eo '(src|href)=|url\(|@import|https?://[^"]*' "$T/rv.html" | grep -v '^http://www.w3.org/2000/svg$'
	plain_only Chromium
	# one browser run: the DOM, a screenshot and the PDF
	(cd "$T" && DBUS_SESSION_BUS_ADDRESS=disabled: chromium --headless --no-sandbox \
		--disable-gpu --no-first-run --window-size=800,1200 \
		--screenshot="$T/rv.png" --print-to-pdf="$T/rv.pdf" \
		--dump-dom "file://$T/rv.html" >"$T/dom.html" 2>"$T/chromium.err")
	python3 - "$T" <<'PY'
import csv, html.parser, io, re, sys
t = sys.argv[1]

# The rendered DOM's tables, cell by data-col, against the csv's parts.
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.parts = {}; s.cur = None; s.col = None; s.text = []
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "table" and a.get("id", "").startswith("part-"):
            s.cur = s.parts.setdefault(a["id"][5:], [])
        elif tag == "tr" and s.cur is not None:
            s.row = {}
        elif tag == "td" and s.cur is not None:
            s.col = a["data-col"]; s.buf = ""
    def handle_endtag(s, tag):
        if tag == "td" and s.col:
            s.row[s.col] = s.buf; s.col = None
        elif tag == "tr" and s.cur is not None and s.row:
            s.cur.append(s.row)
        elif tag == "table":
            s.cur = None
    def handle_data(s, d):
        s.text.append(d)
        if s.col: s.buf += d
p = P(); p.feed(open(t + "/dom.html", encoding="utf-8").read())
text = " ".join(p.text)
assert "review, district D2, 2026-11-01 to 2026-11-30, as of 2026-12-01 00:00 +05:30" in text
assert "कांगड़ा" in text and "2 of 2" in text, text[:300]
parts, name, buf = {}, None, []
for line in open(t + "/rv.csv", encoding="utf-8").read().split("\n"):
    if line.startswith("# "):
        name, buf = line[2:], []
    elif line == "" and name:
        parts[name] = list(csv.DictReader(io.StringIO("\n".join(buf)))); name = None
    elif name:
        buf.append(line)
for k, rows in parts.items():
    assert p.parts.get(k, []) == rows, (k, p.parts.get(k), rows)
assert p.parts["old"][0]["id"] == "TS-1"

# The PDF: A4 pages (595 x 842 points).
pdf = open(t + "/rv.pdf", "rb").read()
assert pdf[:5] == b"%PDF-", pdf[:20]
boxes = re.findall(rb"/MediaBox \[0 0 ([0-9.]+) ([0-9.]+)\]", pdf)
assert boxes and all(abs(float(w) - 595.28) < 1 and abs(float(h) - 841.89) < 1 for w, h in boxes), boxes
assert len(re.findall(rb"/Type /Page\b", pdf)) >= 1
PY
	# The screenshot: a PNG of the window's size, mostly white, with ink
	# (Debian's Pillow, under Debian's python3)
	/usr/bin/python3 - "$T/rv.png" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1])
assert im.format == "PNG" and im.size == (800, 1200), (im.format, im.size)
hist = im.convert("L").histogram()
ink, white = sum(hist[:128]), sum(hist[250:])
total = 800 * 1200
assert 0.005 < ink / total < 0.5 and white / total > 0.5, (ink / total, white / total)
PY
}

@test "review's verification part is verification --by dept for the district, Hindi names beside, in csv, json, xlsx and the rendered html" {
	T=$BATS_TEST_TMPDIR
	# TS-14 (D2, EN, closed satisfied in November) called back and
	# confirmed; TS-6 (D2, EN) was closed forced.
	grv-feedback TS-14 --callback confirmed --now 2027-01-06T10:00 --note "fixed, she says" >/dev/null
	AT=(--now 2027-01-10 --from 2026-11-01 --to 2026-12-01)
	grv-report review --district D2 "${AT[@]}" >"$T/rv.csv"
	diff <(part "$T/rv.csv" verification | cut -d, -f1,2,4-) \
		<(grv-report verification --by dept --district D2 "${AT[@]}")
	# By hand: 2 closed, 1 satisfied (50.00), that one confirmed: 100.00,
	# Wilson 95% for 1 of 1 = 1 / (1 + 1.96^2) = 20.65 to 100.00, and
	# 50.00 verified.
	[ "$(part "$T/rv.csv" verification)" = "$(printf '%s\n' \
		'dept,name,name_hi,closed,closed_sat,called,confirmed,disputed,unreachable,confirmed_pct,ci_low,ci_high,reported_pct,verified_pct' \
		'EN,Energy,ऊर्जा विभाग,2,1,1,1,0,0,100.00,20.65,100.00,50.00,50.00')" ]
	# The last part, after closures.
	[ "$(grep '^# ' "$T/rv.csv" | tail -n 2 | tr '\n' ' ')" = "# closures # verification " ]
	grv-report review --district D2 "${AT[@]}" --format json | /usr/bin/python3 -c '
import json, sys
v = json.load(sys.stdin)["parts"]["verification"]
assert v == [{"dept": "EN", "name": "Energy", "name_hi": "ऊर्जा विभाग", "closed": 2,
    "closed_sat": 1, "called": 1, "confirmed": 1, "disputed": 0, "unreachable": 0,
    "confirmed_pct": 100.0, "ci_low": 20.65, "ci_high": 100.0, "reported_pct": 50.0,
    "verified_pct": 50.0}], v'
	grv-report review --district D2 "${AT[@]}" --format xlsx >"$T/rv.xlsx"
	/usr/bin/python3 - "$T/rv.xlsx" <<'PY'
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1])["verification"]
rows = [[c.value for c in r] for r in ws.iter_rows()]
assert rows[1] == ["EN", "Energy", "ऊर्जा विभाग", 2, 1, 1, 1, 0, 0, 100, 20.65, 100, 50, 50], rows
PY
	grv-report review --district D2 "${AT[@]}" --format html >"$T/rv.html"
	plain_only Chromium
	(cd "$T" && DBUS_SESSION_BUS_ADDRESS=disabled: chromium --headless --no-sandbox \
		--disable-gpu --no-first-run --dump-dom "file://$T/rv.html" \
		>"$T/dom.html" 2>"$T/chromium.err")
	/usr/bin/python3 - "$T/dom.html" <<'PY'
import html.parser, sys
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.on = False; s.rows = []; s.col = None; s.head = ""; s.inh = False
    def handle_starttag(s, tag, a):
        a = dict(a)
        if tag == "table":
            s.on = a.get("id") == "part-verification"
        elif tag == "h2" and a.get("id") == "h-verification":
            s.inh = True
        elif tag == "tr" and s.on:
            s.row = {}
        elif tag == "td" and s.on:
            s.col = a["data-col"]; s.buf = ""
    def handle_endtag(s, tag):
        if tag == "td" and s.col:
            s.row[s.col] = s.buf; s.col = None
        elif tag == "tr" and s.on and s.row:
            s.rows.append(s.row)
        elif tag == "table":
            s.on = False
        elif tag == "h2":
            s.inh = False
    def handle_data(s, d):
        if s.col: s.buf += d
        if s.inh: s.head += d
p = P(); p.feed(open(sys.argv[1], encoding="utf-8").read())
assert "Callback verification" in p.head, p.head
r = p.rows
assert len(r) == 1 and r[0]["dept"] == "EN" and r[0]["name_hi"] == "ऊर्जा विभाग", r
assert (r[0]["confirmed_pct"], r[0]["ci_low"], r[0]["ci_high"], r[0]["verified_pct"]) == \
    ("100.00", "20.65", "100.00", "50.00"), r
PY
}
