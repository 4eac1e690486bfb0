#!/usr/bin/env bats
# grv-report --format xlsx over tests/fixtures/report: every report's
# workbook read back with Debian's openpyxl (under Debian's python3) and
# compared, value and type, with the same report's csv.

load test_helper

NOV=(--now 2026-12-05 --from 2026-11-01 --to 2026-12-01)
KINDS=(grading districts officers pending sla trend mapping feedback)

setup() {
	grv_sandbox report
}

@test "every report's workbook holds the csv's values as numbers and text, header frozen, columns sized, Hindi intact" {
	T=$BATS_TEST_TMPDIR
	for k in "${KINDS[@]}"; do
		grv-report "$k" "${NOV[@]}" --lang hi --format xlsx >"$T/$k.xlsx"
		grv-report "$k" "${NOV[@]}" --lang hi >"$T/$k.csv"
	done
	grv-report review --district D2 "${NOV[@]}" --format xlsx >"$T/review.xlsx"
	grv-report review --district D2 "${NOV[@]}" >"$T/review.csv"
	/usr/bin/python3 - "$T" "${KINDS[@]}" <<'PY'
import csv, io, re, sys, unicodedata
import openpyxl

def shown(s):   # columns on screen: combining marks take none
    return sum(0 if unicodedata.category(c) in ("Mn", "Me", "Cf") else 1 for c in s)
t, kinds = sys.argv[1], sys.argv[2:]

def same(ws, rows, what):
    got = [list(r) for r in ws.iter_rows(values_only=True)]
    assert got[0] == rows[0], (what, got[0], rows[0])
    assert len(got) == len(rows), (what, len(got), len(rows))
    for i, (g, c) in enumerate(zip(got[1:], rows[1:]), 2):
        for j, (gv, cv) in enumerate(zip(g, c)):
            cell = ws.cell(row=i, column=j + 1)
            if cv == "":
                assert gv is None, (what, i, j, gv)
            elif re.fullmatch(r"-?[0-9]+", cv):
                assert type(gv) is int and gv == int(cv), (what, i, j, gv, cv)
                assert cell.number_format == "General", (what, cell.number_format)
            elif re.fullmatch(r"-?[0-9]+\.[0-9][0-9]", cv):
                assert isinstance(gv, (int, float)) and abs(gv - float(cv)) < 1e-9, (what, i, j, gv, cv)
                assert cell.number_format == "0.00", (what, cell.number_format)
            else:
                assert gv == cv and cell.data_type == "s", (what, i, j, gv, cv)
    assert ws.freeze_panes == "A2", (what, ws.freeze_panes)
    for j, h in enumerate(rows[0]):
        width = ws.column_dimensions[openpyxl.utils.get_column_letter(j + 1)].width
        longest = max(shown(r[j]) for r in rows)
        assert width >= min(longest, 60), (what, h, width, longest)

for k in kinds:
    wb = openpyxl.load_workbook(f"{t}/{k}.xlsx")
    assert wb.sheetnames == [k, "about"], wb.sheetnames
    rows = list(csv.reader(open(f"{t}/{k}.csv", encoding="utf-8")))
    same(wb[k], rows, k)
    about = list(wb["about"].iter_rows(values_only=True))
    assert about[1][:4] == (k, "2026-11-01T00:00:00+05:30", "2026-12-01T00:00:00+05:30",
                            "2026-12-05T00:00:00+05:30"), about
# Hindi as written, no byte-order mark anywhere
g = openpyxl.load_workbook(f"{t}/grading.xlsx")["grading"]
assert g["B2"].value == "ऊर्जा विभाग", g["B2"].value

# review: one sheet per part, each equal to its csv part
parts, name = {}, None
for line in open(f"{t}/review.csv", encoding="utf-8").read().split("\n"):
    if line.startswith("# "):
        name = line[2:]; parts[name] = []
    elif line == "":
        name = None
    elif name:
        parts[name].append(line)
wb = openpyxl.load_workbook(f"{t}/review.xlsx")
assert wb.sheetnames == list(parts) + ["about"], wb.sheetnames
for name, lines in parts.items():
    same(wb[name], list(csv.reader(io.StringIO("\n".join(lines)))), name)
PY
}

@test "a workbook to a full disk exits 74; an unknown format is refused" {
	run -74 bash -c 'grv-report grading --now 2026-12-05 --format xlsx >/dev/full'
	[[ "$output" == *"grv-report: "* ]]
	run -64 grv-report grading --format xls
}

# soffice ARGS: LibreOffice headless, with a profile of its own in the
# test's directory (never the user's), its chatter on stderr dropped.
soffice_() {
	soffice -env:UserInstallation="file://$BATS_TEST_TMPDIR/lo-profile" \
	    --headless "$@" 2>/dev/null
}

@test "LibreOffice converts the workbook back to the csv's values, Hindi intact" {
	T=$BATS_TEST_TMPDIR
	grv-report grading "${NOV[@]}" --lang hi --format xlsx >"$T/grading.xlsx"
	grv-report grading "${NOV[@]}" --lang hi >"$T/grading.csv"
	plain_only LibreOffice
	# 44,34,76,1: comma, double quote, UTF-8, from the first line; cells
	# as shown (the workbook's 0.00 format keeps two decimals)
	soffice_ --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1' \
	    --outdir "$T/lo" "$T/grading.xlsx" >/dev/null
	[ -s "$T/lo/grading.csv" ]
	/usr/bin/python3 - "$T/grading.csv" "$T/lo/grading.csv" <<'PY'
import csv, sys
ours = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
lo = list(csv.reader(open(sys.argv[2], encoding="utf-8")))
assert len(ours) > 2, ours
assert lo == ours, (lo[:3], ours[:3])
assert any("ऊर्जा विभाग" in r for r in lo), lo
PY
}

@test "the --bom csv opened by LibreOffice as grv-report(1) says: header without the mark, Hindi intact, numbers as numbers" {
	T=$BATS_TEST_TMPDIR
	grv-report grading "${NOV[@]}" --lang hi --bom >"$T/grading.csv"
	plain_only LibreOffice
	# the options the page gives: comma, double quote, UTF-8 (76)
	soffice_ --infilter=CSV:44,34,76 --convert-to xlsx --outdir "$T/lo" \
	    "$T/grading.csv" >/dev/null
	[ -s "$T/lo/grading.xlsx" ]
	/usr/bin/python3 - "$T/grading.csv" "$T/lo/grading.xlsx" <<'PY'
import csv, re, sys
import openpyxl
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
got = [list(r) for r in openpyxl.load_workbook(sys.argv[2]).active.iter_rows(values_only=True)]
assert got[0] == rows[0], (got[0], rows[0])          # "dept", no U+FEFF before it
assert len(got) == len(rows), (len(got), len(rows))
for g, c in zip(got[1:], rows[1:]):
    for gv, cv in zip(g, c):
        if cv == "":
            assert gv is None, (gv, cv)
        elif re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cv):
            assert isinstance(gv, (int, float)) and abs(gv - float(cv)) < 1e-9, (gv, cv)
        else:
            assert gv == cv, (gv, cv)
assert got[1][1] == "ऊर्जा विभाग", got[1]
PY
}
