# SPDX-License-Identifier: GPL-2.0
# bash completion for npactl(8)
# shellcheck disable=SC2207 # COMPREPLY=($(compgen ...)), as completions do

# Ports as PORT takes them: ids, PCI addresses, interface names
_npactl_ports()
{
	local d
	for d in /sys/bus/pci/drivers/npa/*:*/npa; do
		[ -r "$d/port_id" ] || continue
		cat "$d/port_id" "$d/ifname" 2>/dev/null
		basename "$(dirname "$d")"
	done
}

# The interfaces of the shim; with "paired", those that have a VF port
_npactl_ifaces()
{
	local d
	for d in /sys/class/net/*/npa; do
		[ -d "$d" ] || continue
		[ "${1:-}" = paired ] && [ -z "$(cat "$d/vf_port" 2>/dev/null)" ] && continue
		basename "$(dirname "$d")"
	done
}

# VF ports not in a pair, as PORT takes them
_npactl_vf_ports()
{
	local d ifname
	for d in /sys/bus/pci/drivers/npa/*:*/npa; do
		[ "$(cat "$d/role" 2>/dev/null)" = vf ] || continue
		ifname=$(cat "$d/ifname" 2>/dev/null)
		[ -n "$ifname" ] && [ -n "$(cat "/sys/class/net/$ifname/npa/pv_port" 2>/dev/null)" ] &&
			continue
		cat "$d/port_id"
		echo "$ifname"
		basename "$(dirname "$d")"
	done
}

# The settings of a plugin (its name or object file), as NAME=
_npactl_settings()
{
	"${words[0]}" plugin settings "$1" 2>/dev/null |
		awk 'NR > 1 { print $1 "=" }'
}

# Ports that have a pin, for unload and swap
_npactl_pinned_ports()
{
	local f
	for f in /sys/fs/bpf/npa/port*; do
		[ -e "$f" ] && echo "${f##*/port}"
	done
}

_npactl()
{
	local cur prev words cword
	_init_completion -n = || return

	local options='-j --json -p --pretty -v --verbose -h --help -V --version'
	local i object='' command='' nargs=0
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-*) ;;
		*)
			if [ -z "$object" ]; then
				object=${words[i]}
			elif [ -z "$command" ]; then
				command=${words[i]}
			else
				nargs=$((nargs + 1))
			fi
			;;
		esac
	done

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$options" -- "$cur"))
		return
	fi
	if [ -z "$object" ]; then
		COMPREPLY=($(compgen -W 'port plugin pair unpair switch stats help' -- "$cur"))
		return
	fi
	if [ -z "$command" ]; then
		case $object in
		port) COMPREPLY=($(compgen -W 'list show help' -- "$cur")) ;;
		plugin) COMPREPLY=($(compgen -W 'load autoload swap unload list settings help' -- "$cur")) ;;
		# their first word is IFACE (or list, help)
		pair) COMPREPLY=($(compgen -W "list help $(_npactl_ifaces)" -- "$cur")) ;;
		unpair) COMPREPLY=($(compgen -W "help $(_npactl_ifaces paired)" -- "$cur")) ;;
		switch) COMPREPLY=($(compgen -W "help $(_npactl_ifaces)" -- "$cur")) ;;
		# IFACE or PORT
		stats) COMPREPLY=($(compgen -W "help $(_npactl_ifaces) $(_npactl_ports)" -- "$cur")) ;;
		esac
		return
	fi

	case $object/$command in
	port/show)
		[ $nargs = 0 ] && COMPREPLY=($(compgen -W "$(_npactl_ports)" -- "$cur"))
		;;
	plugin/load|plugin/swap)
		if [ $nargs = 0 ]; then
			COMPREPLY=($(compgen -W 'vmxnet3 igbvf' -- "$cur"))
			_filedir o
		elif [ "$prev" = port ]; then
			if [ "$command" = swap ]; then
				COMPREPLY=($(compgen -W "$(_npactl_pinned_ports)" -- "$cur"))
			else
				COMPREPLY=($(compgen -W "$(_npactl_ports)" -- "$cur"))
			fi
		elif [ "$prev" = set ]; then
			# the PLUGIN word: the first after the command
			local plugin
			for ((i = 1; i < cword; i++)); do
				[ "${words[i]}" = "$command" ] && { plugin=${words[i + 1]}; break; }
			done
			compopt -o nospace
			COMPREPLY=($(compgen -W "$(_npactl_settings "$plugin")" -- "$cur"))
		elif [ $((nargs % 2)) = 1 ]; then
			COMPREPLY=($(compgen -W 'port set' -- "$cur"))
		fi
		;;
	plugin/autoload)
		[ $nargs = 0 ] && COMPREPLY=($(compgen -W "$(_npactl_ports)" -- "$cur"))
		;;
	plugin/settings)
		if [ $nargs = 0 ]; then
			COMPREPLY=($(compgen -W 'vmxnet3 igbvf' -- "$cur"))
			_filedir o
		fi
		;;
	pair/list|pair/help|switch/help) ;;
	pair/*)
		[ $nargs = 0 ] && COMPREPLY=($(compgen -W "$(_npactl_vf_ports)" -- "$cur"))
		;;
	switch/*)
		[ $nargs = 0 ] && COMPREPLY=($(compgen -W 'pv vf auto' -- "$cur"))
		;;
	plugin/unload)
		if [ "$prev" = port ]; then
			COMPREPLY=($(compgen -W "$(_npactl_pinned_ports)" -- "$cur"))
		elif [ $nargs = 0 ]; then
			COMPREPLY=($(compgen -W 'port' -- "$cur"))
		fi
		;;
	esac
} &&
complete -F _npactl npactl
