#!/usr/bin/env bats
# Completion shows each code's name beside it (issue 20): bash, where
# there are no descriptions, offers "CODE  -- Name" while several codes
# match and the bare code once one is left; zsh describes them with
# _describe (completions/_grv; only its syntax is tested, in
# tests/completion.bats, where zsh is installed).  The names come from the
# masters through --complete WHAT+names (completions/grv.bash says why so).

load test_helper

setup() {
	grv_sample_sandbox
	# shellcheck source=../completions/grv.bash
	source "$REPO_DIR/completions/grv.bash"
}

complete_line() {	# as tests/completion.bats: COMPREPLY one a line, sorted
	COMP_WORDS=("$@")
	COMP_CWORD=$(($# - 1))
	COMP_LINE="$*"
	COMP_POINT=${#COMP_LINE}
	COMPREPLY=()
	if [ "$1" = grv ]; then
		_grv
	else
		_grv_cmd
	fi
	printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort
}

# The longest common beginning of the lines on stdin: what bash inserts.
common() {
	awk 'NR == 1 { p = $0; next }
	     { while (substr($0, 1, length(p)) != p) p = substr(p, 1, length(p) - 1) }
	     END { print p }'
}

@test "--complete WHAT+names gives each code, a tab and its English name, as the master has them" {
	run -0 grv-list --complete depts+names
	[ "$output" = "$(tail -n +2 "$GRV_DIR/masters/departments.csv" |
		/usr/bin/python3 -c 'import csv, sys
for r in csv.reader(sys.stdin): print(r[0] + "\t" + r[1])')" ]
	run -0 grv-list --complete districts+names
	[ "$output" = "$(awk -F, -v OFS='\t' '$2 == "district" { print $1, $3 }' "$GRV_DIR/masters/locations.csv")" ]
	# Without +names, the codes alone, as before.
	run -0 grv-list --complete districts
	[ "$output" = "$(awk -F, '$2 == "district" { print $1 }' "$GRV_DIR/masters/locations.csv")" ]
}

@test "bash: several districts match: each is offered with its name, in one column of codes, and bash inserts only a code's beginning" {
	run -0 complete_line grv-list --district ''
	n=$(awk -F, '$2 == "district"' "$GRV_DIR/masters/locations.csv" | wc -l)
	[ "${#lines[@]}" -eq "$n" ]
	grep -qx 'SML  -- Shimla' <<< "$output"
	grep -qx 'KGR  -- Kangra' <<< "$output"
	# Every line "CODE  -- Name", the codes padded to one width.
	[ "$(awk '{ print index($0, "  -- ") }' <<< "$output" | sort -u | wc -l)" -eq 1 ]
	[ -z "$(common <<< "$output")" ]
	# Two beginning with K: their common beginning is "K" plus what is
	# common to their codes, never a name.
	run -0 complete_line grv-list --district K
	[ "${#lines[@]}" -ge 2 ]
	c=$(common <<< "$output")
	[[ "$c" != *" "* ]]
}

@test "bash: one code left is offered bare, so the line gets the code and a space, not its name" {
	run -0 complete_line grv-list --district SM
	[ "$output" = SML ]
	run -0 complete_line grv-add --category EN-SU
	[ "$output" = EN-SUPPLY ]
	run -0 complete_line grv-resolve HP-1 --officer REV-L1-BL
	[ "$output" = REV-L1-BLP ]
}

@test "bash: departments, categories, places and officers are named too" {
	run -0 complete_line grv-list --dept ''
	grep -qx 'REV *-- Revenue' <<< "$output"
	run -0 complete_line grv-add --category EN-
	[ "${#lines[@]}" -ge 2 ]
	grep -q '^EN-SUPPLY *-- ' <<< "$output"
	run -0 complete_line grv-add --loc SML-THEOG
	grep -qx 'SML-THEOG-B *-- Theog' <<< "$output"
	run -0 complete_line grv-resolve HP-1 --officer REV-L1-
	[ "${#lines[@]}" -ge 2 ]
	o=$(sed -n 2p <<< "$output" | sed 's/ .*//')
	name=$(grep "^$o," "$GRV_DIR/masters/officers.csv" | cut -d, -f2)
	[[ "$(sed -n 2p <<< "$output")" == "$o"*"  -- $name" ]]
}
