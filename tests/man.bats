#!/usr/bin/env bats
# man/: every program has a current mdoc page (issue 9).

load test_helper

setup() {
	grv_sandbox
	command -v mandoc >/dev/null || skip "mandoc is not installed"
}

# The programs built from cmd/.
programs() {
	local f
	for f in "$REPO_DIR"/cmd/*.c; do
		f=${f##*/}
		echo "${f%.c}"
	done
}

# render PAGE: the page as plain text (no overstrike).
render() {
	mandoc -T utf8 "$1" | sed 's/.\x08//g'
}

# The SYNOPSIS section of a rendered page.
synopsis() {
	render "$1" | awk '/^SYNOPSIS/ { on = 1; next } /^[A-Z]/ { on = 0 } on'
}

# Options named in TEXT on standard input: -x and --word tokens that stand
# alone (not the -add of grv-add).
option_tokens() {
	grep -oE '(^|[][ (|])--?[a-zA-Z][a-zA-Z-]*' | sed 's/^[][ (|]//' | sort -u
}

# The options every program shares, left out of the synopsis comparison.
COMMON='^(-d|--dir|--now|--actor|--wait|-h|--help|--version)$'

@test "every program in cmd/ has its page man/NAME.1" {
	for p in $(programs); do
		[ -f "$REPO_DIR/man/$p.1" ] || { echo "no man/$p.1"; return 1; }
	done
}

@test "mandoc -T lint -W warning finds nothing in any page" {
	run -0 mandoc -T lint -W warning "$REPO_DIR"/man/*.[157]
	[ -z "$output" ]
}

@test "every page renders with its NAME section" {
	local page text
	for page in "$REPO_DIR"/man/*.[157]; do
		text=$(render "$page")
		[ -n "$text" ] || { echo "$page renders empty"; return 1; }
		grep -q '^NAME$' <<< "$text" || { echo "$page: no NAME"; return 1; }
	done
}

@test "every program page has the sections a reader looks for" {
	local p s text
	for p in $(programs); do
		text=$(render "$REPO_DIR/man/$p.1")
		for s in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES \
			'EXIT STATUS' EXAMPLES 'SEE ALSO'; do
			grep -qx "$s" <<< "$text" || { echo "$p.1: no $s"; return 1; }
		done
	done
}

@test "every option a program accepts or prints in --help is in its page" {
	local p o opts text missing=
	for p in $(programs); do
		text=$(render "$REPO_DIR/man/$p.1")
		opts=
		# The getopt table, as the completions see it (grv has none).
		if run "$p" --complete options && [ "$status" -eq 0 ]; then
			opts=$(grep -- '^--' <<< "$output")
		fi
		run -0 "$p" --help
		opts+=$'\n'$(option_tokens <<< "$output" | grep -- '^--')
		for o in $(sort -u <<< "$opts"); do
			grep -qe "$o\\b" <<< "$text" || missing+=" $p:$o"
		done
	done
	[ -z "$missing" ] || { echo "not in the pages:$missing"; return 1; }
}

@test "every short option in a program's --help is in its page" {
	local p o text missing=
	for p in $(programs); do
		text=$(render "$REPO_DIR/man/$p.1")
		run -0 "$p" --help
		for o in $(grep -oE '^ +-[a-zA-Z],' <<< "$output" | tr -d ' ,'); do
			grep -qE -e "(^|[^a-zA-Z-])$o([^a-zA-Z-]|\$)" <<< "$text" ||
				missing+=" $p:$o"
		done
	done
	[ -z "$missing" ] || { echo "not in the pages:$missing"; return 1; }
}

@test "every program but the dispatcher lists its getopt options for completion" {
	for p in $(programs); do
		[ "$p" = grv ] && continue
		run -0 "$p" --complete options
		[[ "$output" == *--dir*--now*--help*--version* ]] || {
			echo "$p --complete options: $output"; return 1; }
	done
}

@test "every program's --help fits one screen of 40 lines" {
	for p in $(programs); do
		run -0 "$p" --help
		[ "${#lines[@]}" -le 40 ] || { echo "$p --help: ${#lines[@]} lines"; return 1; }
	done
}

@test "every page's SYNOPSIS names the options of its program's usage lines" {
	local p usage page bad=
	for p in $(programs); do
		run -0 "$p" --help
		# "usage: P ..." and the "       P ..." lines under it.
		usage=$(awk -v p="$p" 'NR == 1 || $1 == p' <<< "$output" |
			option_tokens | grep -Ev "$COMMON" || true)
		page=$(synopsis "$REPO_DIR/man/$p.1" | option_tokens |
			grep -Ev "$COMMON" || true)
		if [ "$usage" != "$page" ]; then
			echo "$p: --help usage names: $(echo $usage)"
			echo "$p: page SYNOPSIS names: $(echo $page)"
			bad=1
		fi
	done
	[ -z "$bad" ]
}

# The first literal block after the line matching PATTERN in PAGE, as a
# shell script (mdoc's \e back to \).
example_block() {
	awk -v pat="$2" 'index($0, pat) { found = 1 }
		found && /^\.Bd -literal/ { on = 1; next }
		on && /^\.Ed/ { exit }
		on { gsub(/\\e/, "\\"); print }' "$1"
}

@test "the month in grv(7)'s EXAMPLES runs as written on the sample state" {
	script=$(example_block "$REPO_DIR/man/grv.7" "A month of the sample state")
	[ -n "$script" ]
	script=${script//\/tmp\/hp/$BATS_TEST_TMPDIR/hp}
	script=${script//\/tmp\/published/$BATS_TEST_TMPDIR/published}
	cd "$REPO_DIR"
	run -0 --separate-stderr bash -e -o pipefail -c "$script"
	[ -z "$stderr" ]
	[[ "$output" == *"HP-2,escalate,1,2,JSV,JSV-L2-KGR,"* ]]
	[[ "$output" == *"checked 2 ledger files, 10 rows: 0 findings, 0 repaired"* ]]
	[ -s "$BATS_TEST_TMPDIR/published/grading-2026-11.svg" ]
}
