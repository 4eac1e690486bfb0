# bash completion for grv and grv-NAME.  The option lists, codes and ids
# come from the programs themselves (the hidden --complete option, and
# grv-list for ids), so they never fall out of date.
#
# Codes with their names.  bash has no descriptions (git and systemctl
# offer bare words in bash; zsh's _describe shows "code -- name").  Here,
# as near to _describe as bash goes: while several codes match, each is
# offered as "CODE  -- Name" (--complete WHAT+names: the code, a tab, its
# English name), so the list bash shows names every department, place,
# officer or category; the text bash inserts is their common beginning,
# which is always a part of the codes, since no code holds a space.  Once
# one code is left it is offered alone, so the line gets the bare code and
# a space.  (Under menu-complete, which inserts each candidate whole, the
# name would come too: use plain TAB.)

_grv_ask() {	# _grv_ask PROGRAM WHAT: words from PROGRAM --complete WHAT
	local prog=$1 what=$2 dir=
	local i
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		case ${COMP_WORDS[i]} in
		-d|--dir) dir=${COMP_WORDS[i+1]} ;;
		--dir=*) dir=${COMP_WORDS[i]#--dir=} ;;
		esac
	done
	"$prog" ${dir:+-d "$dir"} --complete "$what" 2>/dev/null
}

# _grv_described PROGRAM WHAT: COMPREPLY from PROGRAM --complete WHAT+names
# for the current word, as said at the top.
_grv_described() {
	local cur=${COMP_WORDS[COMP_CWORD]} code name w=0
	local -a codes=() names=()
	while IFS=$'\t' read -r code name; do
		[[ $code == "$cur"* ]] || continue
		codes+=("$code")
		names+=("$name")
		((${#code} > w)) && w=${#code}
	done < <(_grv_ask "$1" "$2+names")
	COMPREPLY=()
	if ((${#codes[@]} == 1)); then
		COMPREPLY=("${codes[0]}")
		return
	fi
	local i
	for ((i = 0; i < ${#codes[@]}; i++)); do
		COMPREPLY+=("$(printf '%-*s  -- %s' "$w" "${codes[i]}" "${names[i]}")")
	done
}

_grv_ids() {	# _grv_ids [STATUS]: complaint ids (in STATUS), from grv-list
	local dir= i
	for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
		case ${COMP_WORDS[i]} in
		-d|--dir) dir=${COMP_WORDS[i+1]} ;;
		--dir=*) dir=${COMP_WORDS[i]#--dir=} ;;
		esac
	done
	grv-list ${dir:+-d "$dir"} ${1:+--status "$1"} 2>/dev/null |
		tail -n +2 | cut -d, -f1
}

# _grv_prog PROGRAM: complete the words of one grv program, from cword on.
_grv_prog() {
	local prog=$1 cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	local words=
	case $prev in
	-d|--dir|--masters) COMPREPLY=($(compgen -d -- "$cur")); return ;;
	--batch|--key|--vkey|--check-proof) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--inclusion) words=$(_grv_ids) ;;
	-g|--group) COMPREPLY=($(compgen -g -- "$cur")); return ;;
	--dept) _grv_described "$prog" depts; return ;;
	--officer) _grv_described "$prog" officers; return ;;
	--loc) _grv_described "$prog" locs; return ;;
	--district) _grv_described "$prog" districts; return ;;
	--category) _grv_described "$prog" categories; return ;;
	--channel) words="phone web office janmanch cmo email app" ;;
	--status) words="new open hold resolved closed" ;;
	--format) words="csv tsv table json html xlsx" ;;
	--lang) words="en hi" ;;
	--by) words="dept district officer" ;;
	--callback) words="confirmed disputed unreachable" ;;
	--transfer) words=$(_grv_ids open) ;;
	--now|--called|--rating|--from|--to|--actor|--wait|--name|--phone|--text|--ref|--reason|--note|--level|--older|-n|--count|--seed|--sample|--months|--start|--registered)
		return ;;
	*)
		if [[ $cur == -* ]]; then
			words=$(_grv_ask "$prog" options | grep -- '^-')
		else
			case ${prog##*/} in
			grv-report) words=$(_grv_ask "$prog" words) ;;
			grv-export)	# open311, then OUTDIR
				COMPREPLY=($(compgen -W "$(_grv_ask "$prog" words)" -- "$cur") $(compgen -d -- "$cur"))
				return ;;
			grv-show) words=$(_grv_ids) ;;
			grv-resolve) words=$(_grv_ids open,resolved) ;;
			grv-feedback) words=$(_grv_ids resolved) ;;
			grv-verify) COMPREPLY=($(compgen -f -- "$cur")); return ;;
			grv-amend) words=$(_grv_ids new,open) ;;
			esac
		fi
		;;
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

_grv() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	if [[ $COMP_CWORD -eq 1 ]]; then
		local progs
		progs=$(compgen -c grv- | sed 's/^grv-//' | sort -u)
		COMPREPLY=($(compgen -W "$progs help" -- "$cur"))
		return
	fi
	if [[ ${COMP_WORDS[1]} == help ]]; then	# grv help NAME
		[[ $COMP_CWORD -eq 2 ]] &&
			COMPREPLY=($(compgen -W "$(compgen -c grv- | sed 's/^grv-//' | sort -u)" -- "$cur"))
		return
	fi
	# "grv NAME ...": shift the words so NAME is the program.
	local name=${COMP_WORDS[1]}
	COMP_WORDS=("grv-$name" "${COMP_WORDS[@]:2}")
	COMP_CWORD=$((COMP_CWORD - 1))
	_grv_prog "grv-$name"
}

_grv_cmd() {
	_grv_prog "${COMP_WORDS[0]}"
}

# Every grv-NAME: those known here, those on PATH now, and the name this
# file was loaded for (bash-completion loads completions/grv-NAME, a link
# to this file, the first time grv-NAME is completed).
_grv_names() {
	local self=${BASH_SOURCE[0]##*/}
	printf '%s\n' grv-add grv-route grv-resolve grv-feedback grv-escalate \
		grv-list grv-show grv-report grv-check grv-gen grv-init \
		grv-checkpoint grv-verify grv-notify grv-amend grv-export
	compgen -c grv- 2>/dev/null
	[[ $self == grv-* ]] && printf '%s\n' "$self"
}

complete -F _grv grv
complete -F _grv_cmd $(_grv_names | sort -u)
