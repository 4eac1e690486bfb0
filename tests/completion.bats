#!/usr/bin/env bats
# completions/: bash completion driven as bash's complete drives it, and the
# zsh file's syntax (issue 9).  The words come from the programs themselves.

load test_helper

setup() {
	grv_sample_sandbox
	# shellcheck source=../completions/grv.bash
	source "$REPO_DIR/completions/grv.bash"
}

# complete WORD...: set COMP_WORDS/COMP_CWORD for the command line WORD...
# (the last word is the one being completed), call the function bash's
# complete would, and print COMPREPLY one a line, sorted.
complete_line() {
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

# codes: the codes of complete_line's lines, their names (while several
# match, "CODE  -- Name") left off.
codes() {
	sed 's/ *  -- .*//'
}

# Two complaints of 2 November, registered and routed; one left new.
register() {
	grv-add --now 2026-11-02T10:00 --category EN-SUPPLY --loc SML-THEOG-B \
		--name 'Ram Lal' --phone 9816012345 --text 'No supply' |
		grv-route - --now 2026-11-02T10:00 >/dev/null
	grv-add --now 2026-11-02T10:05 --category JSV-NOWATER --loc KGR \
		--name 'Kamla Devi' --phone 9418011111 --text 'No water' |
		grv-route - --now 2026-11-02T10:05 >/dev/null
	grv-add --now 2026-11-02T10:10 --category REV-MUTATION --loc MND \
		--name 'Suresh Kumar' --phone 9805522331 --text 'Mutation' >/dev/null
}

@test "bash: after 'grv ' every program name and help are offered" {
	run -0 complete_line grv ''
	for p in add route resolve feedback escalate list show report check gen help; do
		grep -qx "$p" <<< "$output" || { echo "no $p in: $output"; return 1; }
	done
}

@test "bash: 'grv re' narrows to the programs beginning with re" {
	run -0 complete_line grv re
	[ "$output" = "$(printf 'report\nresolve')" ]
}

@test "bash: 'grv help ' offers the program names" {
	run -0 complete_line grv help ''
	grep -qx escalate <<< "$output"
	grep -qx show <<< "$output"
}

@test "bash: options after 'grv-list --' are the program's own and the common ones" {
	run -0 complete_line grv-list --
	for o in --status --dept --district --officer --level --older --overdue --pii \
		--dir --now --help --version; do
		grep -qx -- "$o" <<< "$output" || { echo "no $o in: $output"; return 1; }
	done
	run -1 grep -x -- --complete <<< "$output"
}

@test "bash: options are offered outside any data directory" {
	unset GRV_DIR
	cd "$BATS_TEST_TMPDIR"
	run -0 complete_line grv-route --tr
	[ "$output" = --transfer ]
}

@test "bash: department codes after 'grv-list --dept ' come from the masters" {
	run -0 complete_line grv-list --dept ''
	[ "$(codes <<< "$output")" = "$(tail -n +2 "$GRV_DIR/masters/departments.csv" | cut -d, -f1 | LC_ALL=C sort)" ]
	run -0 complete_line grv-list --dept HPSE
	[ "$output" = HPSEBL ]
}

@test "bash: districts after '--district ' are the district rows of locations.csv" {
	run -0 complete_line grv-list --district ''
	[ "$(codes <<< "$output")" = "$(awk -F, '$2 == "district" { print $1 }' "$GRV_DIR/masters/locations.csv" | LC_ALL=C sort)" ]
	run -1 grep -x SML-THEOG <<< "$(codes <<< "$output")"
}

@test "bash: officer ids and locations complete from the masters" {
	run -0 complete_line grv-resolve HP-1 --officer REV-L1-BL
	[ "$output" = REV-L1-BLP ]
	run -0 complete_line grv-add --loc SML-THEOG-
	grep -qx SML-THEOG-B <<< "$output"
	run -0 complete_line grv-add --category EN-SU
	[ "$output" = EN-SUPPLY ]
}

# Codes with their names (completions/grv.bash says how): bash offers
# "CODE  -- Name" while several codes match and the bare code once one is
# left; zsh describes them with _describe (only its syntax is tested, below,
# where zsh is installed).

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

@test "bash: -d DIR on the line is the data directory the words come from" {
	dir=$GRV_DIR
	unset GRV_DIR
	cd "$BATS_TEST_TMPDIR"
	run -0 complete_line grv-list -d "$dir" --dept HPSE
	[ "$output" = HPSEBL ]
}

@test "bash: report kinds after 'grv-report '" {
	run -0 complete_line grv-report ''
	[ "$output" = "$(printf '%s\n' callbacks districts feedback gaming grading mapping officers pending review sla trend verification)" ]
}

@test "bash: 'grv report --fo' completes to --format, and its values follow" {
	run -0 complete_line grv report --fo
	[ "$output" = --format ]
	run -0 complete_line grv report grading --format ''
	[ "$output" = "$(printf '%s\n' csv html json table tsv xlsx)" ]
}

@test "bash: complaint ids after 'grv-show ' come from the ledger" {
	register
	run -0 complete_line grv-show ''
	[ "$output" = "$(printf '%s\n' HP-1 HP-2 HP-3)" ]
	run -0 complete_line grv show HP-
	[ "$output" = "$(printf '%s\n' HP-1 HP-2 HP-3)" ]
}

@test "bash: grv-resolve offers only complaints an officer can act on" {
	register
	run -0 complete_line grv-resolve ''
	[ "$output" = "$(printf '%s\n' HP-1 HP-2)" ]
	run -0 complete_line grv-route --transfer ''
	[ "$output" = "$(printf '%s\n' HP-1 HP-2)" ]
}

@test "bash: grv-feedback offers only resolved complaints" {
	register
	run -0 complete_line grv-feedback ''
	[ -z "$output" ]
	grv-resolve HP-2 --officer JSV-L1-KGR --now 2026-11-03 \
		--reason 'pipeline repaired at Dari' >/dev/null
	run -0 complete_line grv-feedback ''
	[ "$output" = HP-2 ]
}

@test "bash: fixed value lists complete for --status, --channel and --lang" {
	run -0 complete_line grv-list --status ''
	[ "$output" = "$(printf '%s\n' closed hold new open resolved)" ]
	run -0 complete_line grv-add --channel j
	[ "$output" = janmanch ]
	run -0 complete_line grv-report grading --lang ''
	[ "$output" = "$(printf '%s\n' en hi)" ]
}

@test "bash: free-text options complete nothing" {
	run -0 complete_line grv-add --name ''
	[ -z "$output" ]
	run -0 complete_line grv-feedback HP-1 --satisfied --called ''
	[ -z "$output" ]
}

@test "bash: every program is registered for completion" {
	for p in grv grv-add grv-route grv-resolve grv-feedback grv-escalate \
		grv-list grv-show grv-report grv-check grv-gen grv-checkpoint grv-verify \
		grv-amend grv-notify grv-export; do
		run -0 complete -p "$p"
	done
}

@test "zsh: completions/_grv parses" {
	command -v zsh >/dev/null || skip "zsh is not installed"
	run -0 zsh -n "$REPO_DIR/completions/_grv"
}

@test "bash: grv-route offers --category, and categories after it" {
	run -0 complete_line grv-route --cat
	[ "$output" = --category ]
	run -0 complete_line grv-route --transfer HP-1 --dept REV --category REV-
	[ -n "$output" ]
	while read -r c; do [[ $c == REV-* ]]; done <<< "$output"
}

@test "bash: grv-amend offers the new and open ids, its options, and locations after --loc" {
	register
	grv-resolve HP-2 --now 2026-11-03T10:00 \
		--officer "$(grv-list | grep '^HP-2,' | cut -d, -f5)" \
		--reason 'pipe repaired under rule 4' >/dev/null
	run -0 complete_line grv-amend ''
	[ "$output" = "$(printf '%s\n' HP-1 HP-3)" ]
	run -0 complete_line grv-amend HP-1 --re
	[ "$output" = --reason ]
	run -0 complete_line grv-amend HP-1 --loc SML-THEOG
	grep -qx SML-THEOG-B <<< "$(codes <<< "$output")"
}

@test "bash: grv-export offers its format, then directories" {
	mkdir -p "$BATS_TEST_TMPDIR/feeds"
	cd "$BATS_TEST_TMPDIR"
	run -0 complete_line grv-export ''
	[[ "$output" == *open311* ]]
	run -0 complete_line grv-export open311 fee
	[ "$output" = feeds ]
}

@test "bash: grv-add completes --lang and its languages, grv-amend --name and --phone" {
	run -0 complete_line grv-add --la
	[ "$output" = --lang ]
	run -0 complete_line grv-add --lang ''
	[ "$output" = "$(printf '%s\n' en hi)" ]
	run -0 complete_line grv-amend HP-1 --ph
	[ "$output" = --phone ]
	run -0 complete_line grv-amend HP-1 --na
	[ "$output" = --name ]
	run -0 complete_line grv-amend HP-1 --phone ''
	[ -z "$output" ]
}
