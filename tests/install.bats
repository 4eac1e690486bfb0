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
	[ "${lines[0]}" = "id,status,level,dept,officer,loc,district,registered,due,age_days,category,channel" ]
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
	# Nothing under share is executable but the scripts of share/grv.
	run -0 find "$root/usr/share" -type f -perm /111
	[ "$(sort <<< "$output")" = "$(printf "$root/usr/share/grv/%s\n" \
		chaincheck grv-failure import-callcentre monthly-grading sms-gateway-example)" ]
}

# The paths under PREFIX/share/grv that the installed pages name.
named_paths() {
	grep -rhoE '/usr/share/grv(/[A-Za-z0-9@._-]*[A-Za-z0-9@_-])*' \
		"$root/usr/share/man" | sort -u
}

@test "every path the installed pages name under PREFIX/share/grv is installed, the scripts executable" {
	run -0 named_paths
	[ "${#lines[@]}" -ge 6 ]
	for p in "${lines[@]}"; do
		[ -e "$root$p" ] || { echo "named, not installed: $p"; return 1; }
	done
	for p in import-callcentre monthly-grading chaincheck crontab.example \
		systemd/grv-escalate.service systemd/grv-escalate.timer \
		systemd/grv-failure@.service; do
		grep -qx "/usr/share/grv/$p" <<< "$output" || { echo "no page names $p"; return 1; }
	done
	for p in import-callcentre monthly-grading chaincheck grv-failure; do
		[ "$(stat -c %a "$root/usr/share/grv/$p")" = 755 ]
	done
	# Pages and units name this PREFIX's places, not the source tree's.
	run -1 grep -rlE '/usr/local/(share/grv|bin)' "$root/usr/share/man" "$root/usr/share/grv"
	u=$root/usr/share/grv/systemd
	grep -qx 'ExecStart=/usr/bin/grv-escalate --quiet' "$u/grv-escalate.service"
	grep -qx 'ExecStart=/usr/share/grv/grv-failure %i' "$u/grv-failure@.service"
	grep -q '^PATH=/usr/bin:' "$root/usr/share/grv/crontab.example"
	# The installed importer runs from there.
	PATH=$root/usr/bin:$PATH run -0 "$root/usr/share/grv/import-callcentre" \
		"$REPO_DIR/data/callcentre/export-2026-11-02.csv"
	[ "${lines[0]}" = "registered,channel,category,loc,name,phone,text,ref" ]
}

@test "bash completes each grv-NAME from its own completion file, without grv completed first" {
	local c=$root/usr/share/bash-completion/completions p
	for f in "$REPO_DIR"/cmd/grv-*.c; do
		p=${f##*/}
		p=${p%.c}
		[ -e "$c/$p" ] || { echo "no $c/$p"; return 1; }
	done
	# As bash-completion's loader does: source completions/grv-add on the
	# first grv-add<TAB>, then complete.
	run -0 env -i PATH="$root/usr/bin:/usr/bin:/bin" bash --norc --noprofile -c '
		source "$1"
		complete -p grv-add
		COMP_WORDS=(grv-add --cat)
		COMP_CWORD=1
		_grv_cmd
		echo "${COMPREPLY[*]}"' _ "$c/grv-add"
	[ "${lines[0]}" = "complete -F _grv_cmd grv-add" ]
	[ "${lines[1]}" = --category ]
	# A name not in the file's own list, on PATH: loaded for it, it completes it.
	mkdir "$BATS_TEST_TMPDIR/bin"
	ln -s "$root/usr/bin/grv-list" "$BATS_TEST_TMPDIR/bin/grv-later"
	ln -s grv "$c/grv-later"
	run -0 env -i PATH="$BATS_TEST_TMPDIR/bin:/usr/bin:/bin" bash --norc --noprofile -c '
		source "$1"; complete -p grv-later' _ "$c/grv-later"
	[ "$output" = "complete -F _grv_cmd grv-later" ]
}

@test "bash-completion's own loader finds the completion of grv-add" {
	local bc=/usr/share/bash-completion/bash_completion
	[ -f "$bc" ] || skip "bash-completion is not installed"
	run -0 env -i PATH="$root/usr/bin:/usr/bin:/bin" HOME="$HOME" \
		XDG_DATA_DIRS="$root/usr/share:/usr/share" bash --norc --noprofile -c '
		source "$1"
		__load_completion grv-add 2>/dev/null || _completion_loader grv-add
		complete -p grv-add' _ "$bc"
	[[ "$output" == *"complete -F _grv_cmd grv-add"* ]]
}
