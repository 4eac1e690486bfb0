#!/usr/bin/env bats
# grv-report loads libxlsxwriter (and the libcrypto and libminizip under
# it) only to write a workbook; without it, --format xlsx exits 69 and
# every other format works.  What the dynamic linker opens is read from
# its own LD_DEBUG trace; a machine without the library is made by hiding
# it in a mount namespace of this test (tests/unit/test_xlsx.c covers a
# library that is not there at all).

load test_helper

NOV=(--now 2026-12-05 --from 2026-11-01 --to 2026-12-01)

setup() {
	grv_sandbox report
}

# The files the dynamic linker opens for the command, one a line.
opened() {
	LD_DEBUG=files "$@" 2>&1 >/dev/null |
	    sed -n 's/.*file=\([^ ]*\) \[[0-9]*\]; *generating link map.*/\1/p'
}

@test "grv-report loads libxlsxwriter and libcrypto only to write a workbook" {
	opened grv-report --version >"$BATS_TEST_TMPDIR/version"
	grep -q 'libc\.so' "$BATS_TEST_TMPDIR/version"	# the trace is read
	for f in csv tsv json table; do
		opened grv-report grading "${NOV[@]}" --format "$f" >>"$BATS_TEST_TMPDIR/other"
	done
	opened grv-report review --district D2 "${NOV[@]}" --format html >>"$BATS_TEST_TMPDIR/other"
	run -1 grep -E 'xlsxwriter|crypto|minizip' "$BATS_TEST_TMPDIR/version" "$BATS_TEST_TMPDIR/other"
	[ -z "$output" ]
	opened grv-report grading "${NOV[@]}" --format xlsx >"$BATS_TEST_TMPDIR/xlsx"
	grep -q 'libxlsxwriter\.so' "$BATS_TEST_TMPDIR/xlsx"
	grep -q 'libcrypto\.so' "$BATS_TEST_TMPDIR/xlsx"
}

@test "without libxlsxwriter a workbook exits 69 naming the library and its package, and every other format still works" {
	unshare -rm true 2>/dev/null || skip "no user and mount namespaces here (unshare -rm)"
	T=$BATS_TEST_TMPDIR
	# the file dlopen takes, as the dynamic linker reports it
	lib=$(LD_DEBUG=libs grv-report grading "${NOV[@]}" --format xlsx 2>&1 >/dev/null |
	    sed -n 's/.*calling init: \(.*libxlsxwriter[^ ]*\)$/\1/p')
	[ -n "$lib" ]
	[ -f "$lib" ]
	# the package that ships it, as dpkg knows it
	pkg=$(dpkg -S "$(readlink -f "$lib")" | sed -n '1s/^\([^:]*\):.*/\1/p')
	[ -n "$pkg" ]
	# hidden: the same path, now an empty file
	hidden() {
		unshare -rm sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' \
		    sh "$lib" "$@"
	}
	mkdir "$T/tmp"
	export TMPDIR=$T/tmp
	run -69 --separate-stderr hidden grv-report grading "${NOV[@]}" --format xlsx
	[ -z "$output" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "grv-report: --format xlsx: cannot load libxlsxwriter (install the package $pkg): $lib: "* ]]
	run -69 --separate-stderr hidden grv-report review --district D2 "${NOV[@]}" --format xlsx
	[ -z "$output" ]
	[ -z "$(ls -A "$T/tmp")" ]
	for f in csv tsv json table; do
		grv-report grading "${NOV[@]}" --format "$f" >"$T/want"
		hidden grv-report grading "${NOV[@]}" --format "$f" >"$T/got"
		cmp "$T/want" "$T/got"
	done
	grv-report review --district D2 "${NOV[@]}" --format html >"$T/want"
	hidden grv-report review --district D2 "${NOV[@]}" --format html >"$T/got"
	cmp "$T/want" "$T/got"
}
