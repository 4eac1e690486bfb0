#!/usr/bin/env bats
# make install into a clean DESTDIR (issue 9): programs, pages and
# completions in the standard places, working from there.

load test_helper

setup() {
	grv_sandbox
	root=$BATS_TEST_TMPDIR/root
	# The build the suite runs ($GRV_BIN is BUILD/bin); -o all: install
	# what is built, never rebuild it here.
	build=$(cd "$GRV_BIN/.." && pwd)
	run -0 make -C "$REPO_DIR" --no-print-directory -o all install \
		DESTDIR="$root" PREFIX=/usr BUILD="$build"
	# Nothing from the build tree may be found by accident.
	export PATH=/usr/bin:/bin
}

@test "make install puts every program in PREFIX/bin under DESTDIR, executable" {
	for f in "$REPO_DIR"/cmd/*.c; do
		p=${f##*/}
		p=${p%.c}
		[ -x "$root/usr/bin/$p" ] || { echo "no $root/usr/bin/$p"; return 1; }
	done
}

@test "the installed grv prints its version and runs the programs beside it" {
	run -0 "$root/usr/bin/grv" --version
	[[ "$output" == "grv "[0-9]* ]]
	run -0 "$root/usr/bin/grv" list --version
	[[ "$output" == "grv-list (grv) "* ]]
	run -0 "$root/usr/bin/grv" list
	[ "${lines[0]}" = "id,status,level,dept,officer,loc,district,registered,due,age_days" ]
}

@test "every page is installed in its section and man -l renders it" {
	for page in "$REPO_DIR"/man/*.[157]; do
		name=${page##*/}
		sec=${name##*.}
		[ -f "$root/usr/share/man/man$sec/$name" ] || { echo "no man$sec/$name"; return 1; }
	done
	command -v man >/dev/null || skip "man is not installed"
	MANPAGER=cat MANWIDTH=80 run -0 man -l "$root/usr/share/man/man1/grv-add.1"
	[[ "$output" == *"grv-add"*"register grievances"* ]]
	[[ "$output" == *"EXIT STATUS"* ]]
	MANPAGER=cat run -0 man -l "$root/usr/share/man/man7/grv.7"
	[[ "$output" == *"A complaint's life"* ]]
}

@test "man finds the installed pages through MANPATH" {
	command -v man >/dev/null || skip "man is not installed"
	MANPATH=$root/usr/share/man MANPAGER=cat run -0 man 5 grv-ledger
	[[ "$output" == *"crc chain"* ]]
}

@test "the completions are installed where bash-completion and zsh look" {
	[ -f "$root/usr/share/bash-completion/completions/grv" ]
	[ -f "$root/usr/share/zsh/vendor-completions/_grv" ]
	# The installed bash file completes from the installed programs.
	PATH=$root/usr/bin:$PATH
	source "$root/usr/share/bash-completion/completions/grv"
	COMP_WORDS=(grv rep)
	COMP_CWORD=1
	_grv
	[ "${COMPREPLY[*]}" = report ]
}

@test "installed files are not writable by others" {
	run -0 find "$root" -type f -perm /022
	[ -z "$output" ]
	run -0 find "$root/usr/share" -type f -perm /111
	[ -z "$output" ]
}
