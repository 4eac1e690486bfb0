#!/usr/bin/env bats
# grv: the dispatcher (SPEC section 5, issue 3).

load test_helper

setup() {
	grv_sandbox
}

@test "grv alone lists the programs with a one-line summary each" {
	run -0 grv
	[[ "${lines[0]}" == "usage: grv NAME"* ]]
	for p in add route resolve feedback escalate list show report check gen; do
		[[ "$output" == *"  $p "*[a-z]* ]]
	done
	run -0 grep -c '^  add  *register complaints' <<< "$output"
}

@test "grv help and grv --help list the same programs" {
	run -0 grv
	listing=$output
	run -0 grv help
	[ "$output" = "$listing" ]
	run -0 grv --help
	[ "$output" = "$listing" ]
}

@test "grv NAME runs grv-NAME with the remaining arguments" {
	run -0 grv add --now 2026-11-02T10:00 --category EN-SUPPLY --loc D1-T1-B1 \
		--name "Ram" --phone 9816000001 --text "no light"
	[ "${lines[1]}" = "TS-1,2026-11-02T10:00:00+05:30,EN-SUPPLY,D1-T1-B1" ]
	run -0 grv route --now 2026-11-02T10:00
	[ "${lines[1]}" = "TS-1,route,1,EN,EN-JE-B1,2026-11-05T10:00:00+05:30" ]
}

@test "grv passes the program's exit status and messages through" {
	run -65 grv add --now 2026-11-02 --category EN-SUPPLY --loc D1-T1-B1 \
		--name "Ram" --phone 123 --text "no light"
	[[ "$output" == "grv-add: --phone: bad phone '123'"* ]]
	run -64 grv route --no-such-option
	[[ "$output" == *"Try 'grv-route --help'."* ]]
}

@test "grv help NAME shows that program's help" {
	run -0 grv help route
	[[ "${lines[0]}" == "usage: grv-route"* ]]
}

@test "grv finds a program next to itself before PATH" {
	mkdir -p "$BATS_TEST_TMPDIR/bin" "$BATS_TEST_TMPDIR/other"
	cp "$GRV_BIN/grv" "$BATS_TEST_TMPDIR/bin/grv"
	printf '#!/bin/sh\necho "beside: $0 $*"\n' > "$BATS_TEST_TMPDIR/bin/grv-hello"
	printf '#!/bin/sh\necho "on path: $*"\n' > "$BATS_TEST_TMPDIR/other/grv-hello"
	chmod +x "$BATS_TEST_TMPDIR/bin/grv-hello" "$BATS_TEST_TMPDIR/other/grv-hello"
	PATH="$BATS_TEST_TMPDIR/other:$PATH" run -0 "$BATS_TEST_TMPDIR/bin/grv" hello a "b c"
	[ "$output" = "beside: $BATS_TEST_TMPDIR/bin/grv-hello a b c" ]
}

@test "grv finds a program on PATH when none is beside it" {
	mkdir -p "$BATS_TEST_TMPDIR/bin" "$BATS_TEST_TMPDIR/other"
	cp "$GRV_BIN/grv" "$BATS_TEST_TMPDIR/bin/grv"
	printf '#!/bin/sh\necho "on path: $*"\n' > "$BATS_TEST_TMPDIR/other/grv-hello"
	chmod +x "$BATS_TEST_TMPDIR/other/grv-hello"
	PATH="$BATS_TEST_TMPDIR/other:$PATH" run -0 "$BATS_TEST_TMPDIR/bin/grv" hello x
	[ "$output" = "on path: x" ]
}

@test "grv found through a symlink still runs the programs beside the real binary" {
	mkdir -p "$BATS_TEST_TMPDIR/links"
	ln -s "$GRV_BIN/grv" "$BATS_TEST_TMPDIR/links/grv"
	PATH=/usr/bin:/bin run -0 "$BATS_TEST_TMPDIR/links/grv" add --version
	[ "$output" = "grv-add (grv) $(grv --version | cut -d' ' -f2)" ]
}

@test "an unknown program name is a usage error" {
	run -64 grv frobnicate
	[ "$output" = "grv: 'frobnicate' is not a grv program. See 'grv help'." ]
	run -64 grv help frobnicate
	[ "$output" = "grv: 'frobnicate' is not a grv program. See 'grv help'." ]
}

@test "a name that is a path or an option never runs anything" {
	run -64 grv ../bin/sh
	[[ "$output" == *"'../bin/sh' is not a grv program"* ]]
	run -64 grv "ADD"
	run -64 grv --frobnicate
	[[ "$output" == *"unknown option '--frobnicate'"* ]]
}

@test "grv --version prints the version" {
	run -0 grv --version
	[[ "$output" =~ ^grv\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "a full standard output is an I/O error" {
	run -74 sh -c 'grv > /dev/full'
}
