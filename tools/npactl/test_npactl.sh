#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test_npactl.sh - npactl's own tests, KTAP output. Runs as root in the npa
# test guest (npa.ko loaded, ports: vmxnet3 and two igb VFs):
#
#   make vm-run CMD='tools/npactl/test_npactl.sh [TEST...]'
#
# Uses the refused plugins of selftests/progs when they are built, and
# skips what needs one that is not. --list prints the test names.
#
#   tools/npactl/test_npactl.sh --host
#
# runs the tests that need no shim (HOST_TESTS) on the build host; make
# check does.
set -u

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
OUT=$PROJ/.output
NPACTL=$OUT/tools/npactl
BPFTOOL=$OUT/bpftool/bpftool
PROGS=$OUT/selftests/progs
DRV=/sys/bus/pci/drivers/npa
PIN=/sys/fs/bpf/npa

# --- helpers ----------------------------------------------------------------

say() { echo "# $*"; }
fail() { say "FAIL: $*"; return 1; }
skip() { SKIP_REASON=$*; return 4; }

# run ARGS...: npactl ARGS, stdout in $OUT_F, stderr in $ERR_F, status in $RC
run() {
	"$NPACTL" "$@" > "$OUT_F" 2> "$ERR_F"
	RC=$?
}

expect_rc() { # expect_rc WANT WHAT
	[ "$RC" = "$1" ] && return 0
	fail "$2: exit $RC, want $1"
	sed 's/^/#   out: /' "$OUT_F" | head -20
	sed 's/^/#   err: /' "$ERR_F" | head -20
	return 1
}

expect_eq() { # expect_eq WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: got '$2', want '$3'"
}

expect_in() { # expect_in WHAT FILE TEXT
	grep -qF -- "$3" "$2" && return 0
	fail "$1: '$3' not in:"
	sed 's/^/#   /' "$2" | head -30
	return 1
}

expect_json() { # expect_json WHAT: stdout parses as JSON
	jq -e . "$OUT_F" > /dev/null 2>&1 || { fail "$1: not JSON:"; sed 's/^/#   /' "$OUT_F"; return 1; }
}

expect_err() { # expect_err WHAT RC STDERR: exit status and the whole stderr
	expect_rc "$2" "$1" || return 1
	expect_eq "$1: stderr" "$(cat "$ERR_F")" "$3" || return 1
	[ ! -s "$OUT_F" ] || fail "$1: an error wrote to stdout"
}

attr() { cat "$DRV/$1/npa/$2"; }
info() { sed -n "s/^$2: //p" "/sys/kernel/debug/npa/$1/info"; }
port_id() { attr "$1" port_id; }

# Detach every plugin npactl pinned, and check no port keeps one.
reset_ports() {
	local d
	rm -rf "$PIN"
	for d in "$DRV"/0000:*; do
		[ -z "$(cat "$d/npa/plugin")" ] && continue
		say "reset: $(basename "$d") still has plugin $(cat "$d/npa/plugin")"
		return 1
	done
}

need_prog() { # need_prog NAME: a refused plugin of selftests/progs
	[ -f "$PROGS/$1.bpf.o" ] || skip "$PROGS/$1.bpf.o not built"
}

# --- tests ------------------------------------------------------------------

test_usage() {
	run --help; expect_rc 0 "--help" || return 1
	expect_in "--help" "$OUT_F" "Usage: npactl" || return 1
	run help; expect_rc 0 "help" || return 1
	run plugin help; expect_rc 0 "plugin help" || return 1
	expect_in "plugin help" "$OUT_F" "plugin swap PLUGIN port PORT" || return 1
	run port --help; expect_rc 0 "port --help" || return 1
	expect_in "port --help" "$OUT_F" "port show PORT" || return 1
	local args
	for args in "" "frobnicate" "port" "port frob" "port show" "port show 1 2" \
		    "port list x" "plugin load" "plugin load vmxnet3 port" \
		    "plugin load vmxnet3 bogus" "plugin swap vmxnet3" "plugin unload" \
		    "plugin unload 1" "--bogus-option port list" "-x port list" "p list" \
		    "plugin l" "plugin autoload" "plugin autoload 1 2"; do
		# shellcheck disable=SC2086
		run $args
		expect_rc 2 "npactl $args" || return 1
		expect_in "npactl $args" "$ERR_F" "Error: " || return 1
		[ ! -s "$OUT_F" ] || fail "npactl $args: usage error wrote to stdout" || return 1
	done
}

# the ABI version npactl and the shim are built for
abi_version() { awk '$1 == "#define" && $2 == "NPA_ABI_VERSION" { print $3 }' "$PROJ/include/npa.h"; }

test_version() {
	local abi

	abi=$(abi_version)
	run -V; expect_rc 0 "-V" || return 1
	expect_in "-V" "$OUT_F" "npa ABI version $abi" || return 1
	run -j --version; expect_rc 0 "-j --version" || return 1
	expect_json "-j --version" || return 1
	expect_eq "abi_version" "$(jq .abi_version "$OUT_F")" "$abi"
}

test_port_list() {
	run port list; expect_rc 0 "port list" || return 1
	expect_eq "lines" "$(wc -l < "$OUT_F")" 4 || return 1
	expect_in "header" "$OUT_F" "ID  PCI           VENDOR:DEVICE  IFNAME  PLUGIN  STATE" || return 1
	expect_in "vmxnet3 row" "$OUT_F" "$VMX  15ad:07b0      $(attr "$VMX" ifname)" || return 1
	run -j port list; expect_rc 0 "-j port list" || return 1
	expect_json "-j port list" || return 1
	expect_eq "ports" "$(jq length "$OUT_F")" 3 || return 1
	expect_eq "vmxnet3" "$(jq -r ".[] | select(.pci == \"$VMX\") | \"\(.id) \(.vendor):\(.device) \(.ifname) \(.plugin) \(.state) \(.link_id) \(.faults)\"" "$OUT_F")" \
		"$(port_id "$VMX") 0x15ad:0x07b0 $(attr "$VMX" ifname) null none 0 0" || return 1
	run -p port list; expect_rc 0 "-p port list" || return 1
	expect_json "-p port list" || return 1
	[ "$(wc -l < "$OUT_F")" -gt 3 ] || fail "--pretty is not indented"
}

test_load_auto() {
	local p
	run plugin load vmxnet3; expect_rc 0 "load vmxnet3" || return 1
	p=$(port_id "$VMX")
	expect_in "says which" "$OUT_F" "attached to port $p ($VMX" || return 1
	expect_in "says why" "$OUT_F" "first free port" || return 1
	expect_eq state "$(attr "$VMX" state)" attached || return 1
	[ -e "$PIN/port$p" ] || fail "no pin $PIN/port$p" || return 1
	run plugin load igbvf; expect_rc 0 "load igbvf (1)" || return 1
	expect_in "first VF" "$OUT_F" "to port $(port_id "$VF0") ($VF0" || return 1
	run -j plugin load igbvf; expect_rc 0 "load igbvf (2)" || return 1
	expect_json "-j plugin load" || return 1
	expect_eq "second VF" "$(jq -r '"\(.port) \(.pci) \(.chosen) \(.plugin) \(.pinned)"' "$OUT_F")" \
		"$(port_id "$VF1") $VF1 true igbvf $PIN/port$(port_id "$VF1")" || return 1
	run plugin load igbvf; expect_rc 1 "third igbvf" || return 1
	expect_in "third igbvf" "$ERR_F" "Error: no free port for plugin 'igbvf'" || return 1
	run plugin load vmxnet3; expect_rc 1 "second vmxnet3" || return 1
	expect_in "second vmxnet3" "$ERR_F" "Error: no free port" || return 1
}

test_load_port_forms() {
	local p form short
	p=$(port_id "$VMX")
	short=${VMX#0000:}
	for form in "$p" "$VMX" "$short" "$(attr "$VMX" ifname)"; do
		run plugin load vmxnet3 port "$form"; expect_rc 0 "load port $form" || return 1
		expect_in "port $form" "$OUT_F" "to port $p ($VMX" || return 1
		run port show "$form"; expect_rc 0 "port show $form" || return 1
		expect_in "port show $form" "$OUT_F" "port $p" || return 1
		run plugin unload port "$form"; expect_rc 0 "unload port $form" || return 1
	done
}

test_load_taken_port() {
	local p ids
	p=$(port_id "$VF0")
	run plugin load igbvf port "$p"; expect_rc 0 "first" || return 1
	ids=$(attr "$VF0" prog_ids)
	run plugin load igbvf port "$p"; expect_rc 1 "second" || return 1
	expect_in "second" "$ERR_F" "Error: port $p already has plugin 'igbvf'" || return 1
	expect_eq "first keeps running" "$(attr "$VF0" prog_ids)" "$ids" || return 1
	expect_eq state "$(attr "$VF0" state)" attached || return 1
	[ -e "$PIN/port$p" ] || fail "the first one's pin is gone"
}

test_load_errors() {
	run plugin load igbvf port 99; expect_rc 1 "unknown port" || return 1
	expect_in "unknown port" "$ERR_F" "Error: no port '99'" || return 1
	run plugin load igbvf port npa99; expect_rc 1 "unknown ifname" || return 1
	run plugin load igbvf port "$(port_id "$VMX")"; expect_rc 1 "wrong device" || return 1
	expect_in "wrong device" "$ERR_F" "Error: plugin 'igbvf' drives PCI 8086:10ca, port $(port_id "$VMX") ($VMX) is 15ad:07b0" || return 1
	expect_eq "vmxnet3 untouched" "$(attr "$VMX" state)" none || return 1
	run plugin load nosuchplugin; expect_rc 1 "unknown plugin" || return 1
	expect_in "unknown plugin" "$ERR_F" "Error: no plugin 'nosuchplugin'" || return 1
	run plugin load ./nosuch.bpf.o; expect_rc 1 "missing file" || return 1
	expect_in "missing file" "$ERR_F" "Error: cannot open plugin object './nosuch.bpf.o'" || return 1
	run plugin load "$NPACTL"; expect_rc 1 "not an object" || return 1
	expect_in "not an object" "$ERR_F" "Error: " || return 1
}

test_load_abi_mismatch() {
	need_prog bad_abi_version || return
	run plugin load "$PROGS/bad_abi_version.bpf.o" port "$(port_id "$VMX")"
	expect_rc 1 "bad ABI" || return 1
	expect_in "bad ABI" "$ERR_F" "built for npa ABI $(($(abi_version) + 1)), this npactl and shim speak $(abi_version)" || return 1
	expect_eq state "$(attr "$VMX" state)" none
}

test_load_verifier_log() {
	need_prog bad_desc_past_size || return
	need_prog bad_ring_create_in_remove || return
	run plugin load "$PROGS/bad_desc_past_size.bpf.o" port "$(port_id "$VMX")"
	expect_rc 1 "desc past size" || return 1
	expect_in "desc past size" "$ERR_F" "Error: plugin 'desc_oob' failed to load, the verifier refused it" || return 1
	expect_in "desc past size" "$ERR_F" "invalid access to memory, mem_size=16 off=16 size=4" || return 1
	run plugin load "$PROGS/bad_ring_create_in_remove.bpf.o" port "$(port_id "$VMX")"
	expect_rc 1 "ring create in remove" || return 1
	expect_in "ring create in remove" "$ERR_F" "calling kernel function npa_ring_create is not allowed" || return 1
	expect_eq state "$(attr "$VMX" state)" none || return 1
	[ ! -e "$PIN/port$(port_id "$VMX")" ] || fail "pin left behind"
}

test_load_kernel_refusal() {
	need_prog bad_no_probe || return
	need_prog bad_reg_past_bar || return
	run plugin load "$PROGS/bad_no_probe.bpf.o" port "$(port_id "$VMX")"
	expect_rc 1 "no probe" || return 1
	expect_in "no probe" "$ERR_F" "Error: cannot attach plugin 'noprobe' to port $(port_id "$VMX"): Invalid argument" || return 1
	expect_in "no probe" "$ERR_F" "kernel: npa: plugin 'noprobe' has no probe member" || return 1
	run plugin load "$PROGS/bad_reg_past_bar.bpf.o" port "$(port_id "$VMX")"
	expect_rc 1 "reg past BAR" || return 1
	expect_in "reg past BAR" "$ERR_F" "Error: cannot attach plugin" || return 1
	expect_in "reg past BAR" "$ERR_F" "outside the BAR" || return 1
	expect_eq state "$(attr "$VMX" state)" none
}

test_load_object_file() {
	local p
	run plugin load "$OUT/bpf/igbvf.bpf.o"; expect_rc 0 "load igbvf.bpf.o" || return 1
	p=$(port_id "$VF0")
	expect_in "object file" "$OUT_F" "plugin 'igbvf' attached to port $p" || return 1
	expect_eq plugin "$(attr "$VF0" plugin)" igbvf || return 1
	run plugin load "$OUT/bpf/vmxnet3.bpf.o" port "$(attr "$VMX" ifname)"
	expect_rc 0 "load vmxnet3.bpf.o port ifname" || return 1
	expect_eq plugin "$(attr "$VMX" plugin)" vmxnet3 || return 1
	run plugin unload port "$p"; expect_rc 0 "unload" || return 1
	# an object that names its own port, without port PORT
	need_prog bad_unknown_port || return
	run plugin load "$PROGS/bad_unknown_port.bpf.o"; expect_rc 1 "object's own port" || return 1
	expect_in "object's own port" "$ERR_F" "Error: plugin 'noport' names port 999, and there is no such port"
}

test_swap() {
	local p link before
	p=$(port_id "$VMX")
	run plugin swap vmxnet3 port "$p"; expect_rc 1 "swap without plugin" || return 1
	expect_in "swap without plugin" "$ERR_F" "Error: port $p has no plugin to swap" || return 1
	run plugin load vmxnet3 port "$p"; expect_rc 0 load || return 1
	link=$(attr "$VMX" link_id)
	before=$(attr "$VMX" prog_ids)
	run plugin swap "$OUT/bpf/vmxnet3.bpf.o" port "$p"; expect_rc 0 swap || return 1
	expect_in swap "$OUT_F" "plugin 'vmxnet3' swapped for 'vmxnet3'" || return 1
	expect_eq "link kept" "$(attr "$VMX" link_id)" "$link" || return 1
	[ "$(attr "$VMX" prog_ids)" != "$before" ] || fail "prog ids unchanged" || return 1
	expect_eq state "$(attr "$VMX" state)" attached || return 1
	expect_eq "pin" "$($BPFTOOL -j link show pinned "$PIN/port$p" | jq .id)" "$link" || return 1
	before=$(attr "$VMX" prog_ids)
	run plugin swap igbvf port "$p"; expect_rc 1 "swap to wrong device" || return 1
	expect_in "swap to wrong device" "$ERR_F" "drives PCI 8086:10ca" || return 1
	expect_eq "old one stays" "$(attr "$VMX" prog_ids)" "$before" || return 1
	run -j plugin swap vmxnet3 port "$p"; expect_rc 0 "-j swap" || return 1
	expect_json "-j swap" || return 1
	expect_eq "-j swap" "$(jq -r '"\(.old_plugin) \(.plugin) \(.link_id)"' "$OUT_F")" "vmxnet3 vmxnet3 $link"
}

test_unload() {
	local p
	p=$(port_id "$VF1")
	run plugin load igbvf port "$p"; expect_rc 0 load || return 1
	run plugin unload port "$p"; expect_rc 0 unload || return 1
	expect_in unload "$OUT_F" "plugin 'igbvf' detached from port $p" || return 1
	expect_eq state "$(attr "$VF1" state)" none || return 1
	[ ! -e "$PIN/port$p" ] || fail "pin left behind" || return 1
	run plugin unload port "$p"; expect_rc 1 "second unload" || return 1
	expect_in "second unload" "$ERR_F" "Error: port $p has no plugin pinned by npactl" || return 1
	run plugin unload port 99; expect_rc 1 "unknown port" || return 1
	expect_in "unknown port" "$ERR_F" "Error: no port 99, and nothing pinned for it" || return 1
}

test_unload_other_link_holder() {
	# A second pin holds the link too: unload detaches the plugin anyway.
	local p rc=0
	p=$(port_id "$VMX")
	run plugin load vmxnet3 port "$p"; expect_rc 0 load || return 1
	"$BPFTOOL" link pin pinned "$PIN/port$p" /sys/fs/bpf/npactl-test-extra ||
		fail "bpftool link pin" || return 1
	run plugin unload port "$p"; expect_rc 0 unload || rc=1
	expect_eq state "$(attr "$VMX" state)" none || rc=1
	[ -e /sys/fs/bpf/npactl-test-extra ] || fail "the other pin is gone" || rc=1
	rm -f /sys/fs/bpf/npactl-test-extra
	return $rc
}

test_plugin_list() {
	run plugin list; expect_rc 0 "empty list" || return 1
	[ ! -s "$OUT_F" ] || fail "empty list printed something" || return 1
	run -j plugin list; expect_rc 0 "-j empty list" || return 1
	expect_eq "-j empty" "$(jq -c . "$OUT_F")" "[]" || return 1
	run plugin load vmxnet3 && run plugin load igbvf || return 1
	run plugin list; expect_rc 0 list || return 1
	expect_in list "$OUT_F" "PORT  NAME     PROG_IDS" || return 1
	expect_in list "$OUT_F" "$(port_id "$VMX")     vmxnet3  $(attr "$VMX" prog_ids)" || return 1
	expect_in list "$OUT_F" "$PIN/port$(port_id "$VF0")" || return 1
	run -j plugin list; expect_rc 0 "-j list" || return 1
	expect_json "-j list" || return 1
	expect_eq "-j list" "$(jq -r '.[] | "\(.port) \(.name) \(.link_id) \(.state) \(.pinned) \(.prog_ids.probe)"' "$OUT_F" | head -1)" \
		"$(port_id "$VMX") vmxnet3 $(attr "$VMX" link_id) attached $PIN/port$(port_id "$VMX") $(attr "$VMX" prog_ids | sed 's/probe=\([0-9]*\).*/\1/')"
}

test_stale_pin() {
	# The link is detached behind npactl's back: the pin stays, stale.
	local p link
	p=$(port_id "$VMX")
	run plugin load vmxnet3 port "$p"; expect_rc 0 load || return 1
	link=$(attr "$VMX" link_id)
	"$BPFTOOL" link detach id "$link" || fail "bpftool link detach" || return 1
	expect_eq state "$(attr "$VMX" state)" none || return 1
	run plugin list; expect_rc 0 list || return 1
	expect_in list "$OUT_F" "$PIN/port$p (stale)" || return 1
	run plugin swap vmxnet3 port "$p"; expect_rc 1 "swap on stale pin" || return 1
	expect_in "swap on stale pin" "$ERR_F" "no longer drives port $p" || return 1
	run plugin load vmxnet3 port "$p"; expect_rc 0 "load over stale pin" || return 1
	expect_in "load over stale pin" "$ERR_F" "Note: removing $PIN/port$p" || return 1
	expect_eq state "$(attr "$VMX" state)" attached
}

test_port_gone() {
	# A port that goes away leaves its pin; unload by the old id cleans up.
	local old
	old=$(port_id "$VF1")
	run plugin load igbvf port "$old"; expect_rc 0 load || return 1
	echo "$VF1" > "$DRV/unbind" || return 1
	echo "$VF1" > /sys/bus/pci/drivers_probe || return 1
	[ "$(port_id "$VF1")" != "$old" ] || fail "port id reused" || return 1
	run plugin list; expect_rc 0 list || return 1
	expect_in list "$OUT_F" "$PIN/port$old (stale)" || return 1
	expect_in list "$OUT_F" "gone" || return 1
	run plugin unload port "$old"; expect_rc 0 "unload gone port" || return 1
	[ ! -e "$PIN/port$old" ] || fail "pin left behind"
}

test_port_show() {
	local p
	p=$(port_id "$VMX")
	run plugin load vmxnet3 port "$p"; expect_rc 0 load || return 1
	run port show "$p"; expect_rc 0 "port show" || return 1
	expect_in show "$OUT_F" "pinned           $PIN/port$p" || return 1
	expect_in show "$OUT_F" "perm_mac       $(mac_hex "$NPA_VMXNET3_MAC")" || return 1
	expect_in show "$OUT_F" "msix_vectors" || return 1
	run -j port show "$(attr "$VMX" ifname)"; expect_rc 0 "-j port show" || return 1
	expect_json "-j port show" || return 1
	expect_eq "-j facts" "$(jq -r '.facts.perm_mac' "$OUT_F")" "$(mac_hex "$NPA_VMXNET3_MAC")" || return 1
	expect_eq "-j info" "$(jq -r '.info.carrier' "$OUT_F")" 1 || return 1
	expect_eq "-j plugin" "$(jq -r '"\(.plugin) \(.pinned) \(.link_id)"' "$OUT_F")" \
		"vmxnet3 $PIN/port$p $(attr "$VMX" link_id)" || return 1
	run port show 99; expect_rc 1 "unknown port" || return 1
	# npactl mounts debugfs when it is not
	umount /sys/kernel/debug || return 1
	run port show "$p"; expect_rc 0 "port show without debugfs" || return 1
	expect_in "debugfs mounted again" "$OUT_F" "perm_mac" || return 1
	mountpoint -q /sys/kernel/debug || fail "debugfs not mounted"
}

test_bpffs_mount() {
	# npactl mounts bpffs at /sys/fs/bpf when it is not
	umount /sys/fs/bpf || return 1
	run plugin load vmxnet3; expect_rc 0 "load without bpffs" || return 1
	mountpoint -q /sys/fs/bpf || fail "bpffs not mounted" || return 1
	[ -e "$PIN/port$(port_id "$VMX")" ] || fail "no pin"
}

test_json_errors() {
	run -j plugin load igbvf port 99; expect_rc 1 "-j error" || return 1
	expect_json "-j error" || return 1
	expect_eq "-j error" "$(jq -r .error "$OUT_F")" "no port '99' (npactl port list shows them)" || return 1
	expect_in "-j error on stderr" "$ERR_F" "Error: no port '99'" || return 1
	run -j bogus; expect_rc 2 "-j usage error" || return 1
	expect_json "-j usage error"
}

# Load-time settings that npactl refuses before it looks at a port: these
# need no shim (HOST_TESTS).
test_settings_errors() {
	local names="tx_ring_size, rx_ring_size, itr_usecs" arg
	run plugin settings igbvf; expect_rc 0 "plugin settings" || return 1
	expect_in "plugin settings" "$OUT_F" "rx_ring_size  __u32  256" || return 1
	run -j plugin settings "$OUT/bpf/igbvf.bpf.o"; expect_rc 0 "-j plugin settings" || return 1
	expect_json "-j plugin settings" || return 1
	expect_eq "-j plugin settings" "$(jq -r '.settings[] | "\(.name)=\(.default)"' "$OUT_F" | tr '\n' ' ')" \
		"tx_ring_size=256 rx_ring_size=256 itr_usecs=122 " || return 1
	run plugin settings vmxnet3; expect_rc 0 "vmxnet3 settings" || return 1
	expect_in "vmxnet3 settings" "$OUT_F" "rx_ring_size  __u32  256" || return 1
	run plugin settings "$OUT/selftests/progs/ring_test.bpf.o"; expect_rc 0 "ring_test settings" || return 1
	expect_in "ring_test settings" "$OUT_F" "plugin 'ring_test' has no load-time settings" || return 1
	run plugin settings; expect_rc 2 "settings without PLUGIN" || return 1

	run plugin load igbvf port 1 set foo=1
	expect_err "unknown setting" 1 "Error: plugin 'igbvf' has no setting 'foo' (settings: $names)" || return 1
	run plugin swap "$OUT/bpf/igbvf.bpf.o" port 1 set rx_ring_size=512 set Foo=2
	expect_err "unknown setting, object file" 1 "Error: plugin 'igbvf' has no setting 'Foo' (settings: $names)" || return 1
	run plugin load "$OUT/selftests/progs/ring_test.bpf.o" set rx_ring_size=512
	expect_err "plugin without settings" 1 "Error: plugin 'ring_test' has no setting 'rx_ring_size' (it has no settings)" || return 1
	for arg in rx_ring_size rx_ring_size= =512 rx_ring_size=12x rx_ring_size=+5 \
		   "rx_ring_size= 5" 9x=1 rx-ring=1; do
		run plugin load igbvf set "$arg"
		expect_err "set '$arg'" 2 "Error: plugin load: 'set $arg' is not NAME=VALUE (a setting's name, an integer)
Try 'npactl plugin help'." || return 1
	done
	run plugin load igbvf set
	expect_err "set without NAME=VALUE" 2 "Error: plugin load: 'set' needs NAME=VALUE
Try 'npactl plugin help'." || return 1
	run plugin swap igbvf port 1 set itr_usecs=1 set itr_usecs=2
	expect_err "set twice" 2 "Error: plugin swap: setting 'itr_usecs' given twice
Try 'npactl plugin help'." || return 1
	run plugin unload port 1 set itr_usecs=1
	expect_err "unload with set" 2 "Error: plugin unload: unexpected argument 'set'
Try 'npactl plugin help'." || return 1
	for arg in 4294967296 -1 0x100000000 99999999999999999999999; do
		run plugin load igbvf port 1 set rx_ring_size="$arg"
		expect_err "rx_ring_size=$arg" 1 "Error: setting 'rx_ring_size' of plugin 'igbvf' (__u32) cannot be $arg: out of range 0 to 4294967295" || return 1
	done
	run -j plugin load igbvf set foo=1; expect_rc 1 "-j unknown setting" || return 1
	expect_eq "-j unknown setting" "$(jq -r .error "$OUT_F")" \
		"plugin 'igbvf' has no setting 'foo' (settings: $names)"
}

# Settings of every integer kind (selftests/progs/settings_types.bpf.c);
# needs no shim (HOST_TESTS).
test_settings_types() {
	local obj=$PROGS/settings_types.bpf.o arg
	local names="s8_val, s16_val, u16_val, s64_val, u64_val, bool_val, speed"
	need_prog settings_types || return
	run plugin settings "$obj"; expect_rc 0 "plugin settings" || return 1
	expect_eq "settings" "$(awk 'NR > 1 { printf "%s %s %s|", $1, $2, $NF }' "$OUT_F")" \
		"s8_val __s8 -5|s16_val __s16 -300|u16_val __u16 65535|s64_val __s64 -1|u64_val __u64 1099511627776|bool_val bool 1|speed enum 2|" || return 1
	expect_in "enum" "$OUT_F" "speed     enum speed  2" || return 1
	run plugin load "$obj" set plain_const=1
	expect_err "plain const" 1 "Error: plugin 'settings' has no setting 'plain_const' (settings: $names)" || return 1
	for arg in s8_val=-129:-128:127 s8_val=128:-128:127 s16_val=-32769:-32768:32767 \
		   u16_val=65536:0:65535 u16_val=-1:0:65535 bool_val=2:0:1 \
		   s64_val=9223372036854775808:-9223372036854775808:9223372036854775807 \
		   u64_val=18446744073709551616:0:18446744073709551615; do
		local set=${arg%%:*} range=${arg#*:}
		run plugin load "$obj" set "$set"
		expect_rc 1 "set $set" || return 1
		expect_in "set $set" "$ERR_F" "Error: setting '${set%%=*}' of plugin 'settings' (" || return 1
		expect_in "set $set" "$ERR_F" ") cannot be ${set#*=}: out of range ${range%:*} to ${range#*:}" || return 1
	done
	# in range: refused only for the port that does not exist
	run plugin load "$obj" port 99 set s8_val=-128 set s64_val=-9223372036854775808 \
		set u64_val=0xffffffffffffffff set bool_val=0 set speed=1
	expect_rc 1 "in range" || return 1
	grep -q setting "$ERR_F" && { fail "in range: $(cat "$ERR_F")"; return 1; }
	return 0
}

# The values reach the plugin's programs
test_load_settings_types() {
	need_prog settings_types || return
	run plugin load "$PROGS/settings_types.bpf.o" port "$(port_id "$VMX")" set s8_val=-128 \
		set u64_val=0xffffffffffffffff set bool_val=0 set speed=1 set u16_val=7
	expect_rc 0 load || return 1
	expect_eq "facts" "$(sed -n 's/^fact\.\([a-z0-9_]*\): /\1=/p' "/sys/kernel/debug/npa/$VMX/info" | tr '\n' ' ')" \
		"s8_val=0xffffffffffffff80 s16_val=0xfffffffffffffed4 u16_val=0x7 s64_val=0xffffffffffffffff u64_val=0xffffffffffffffff bool_val=0x0 speed=0x1 others=0x11 " || return 1
	run -j port show "$(port_id "$VMX")"; expect_rc 0 "-j port show" || return 1
	# jq rounds what a double cannot hold: u64_val from the text
	expect_eq "-j port show" "$(jq -c '.settings | del(.u64_val)' "$OUT_F")" \
		'{"s8_val":-128,"s16_val":-300,"u16_val":7,"s64_val":-1,"bool_val":0,"speed":1}' || return 1
	expect_in "-j u64_val" "$OUT_F" '"u64_val":18446744073709551615'
}

# Settings given at load and swap, read back from the running plugin
test_load_settings() {
	local p
	p=$(port_id "$VF1")
	run plugin load igbvf port "$p" set rx_ring_size=128 set itr_usecs=0x32
	expect_rc 0 "load with settings" || return 1
	expect_in "load" "$OUT_F" "settings tx_ring_size=256 rx_ring_size=128 itr_usecs=50" || return 1
	expect_eq "RX ring" "$(info "$VF1" ring1)" "128 x 16" || return 1
	run plugin list; expect_rc 0 list || return 1
	expect_in list "$OUT_F" "$PIN/port$p  tx_ring_size=256 rx_ring_size=128 itr_usecs=50" || return 1
	run port show "$p"; expect_rc 0 "port show" || return 1
	expect_in "port show" "$OUT_F" "settings         tx_ring_size=256 rx_ring_size=128 itr_usecs=50" || return 1
	run -j plugin list; expect_rc 0 "-j list" || return 1
	expect_eq "-j list" "$(jq -c ".[] | select(.port == $p) | .settings" "$OUT_F")" \
		'{"tx_ring_size":256,"rx_ring_size":128,"itr_usecs":50}' || return 1
	# a swap takes the settings it is given, and the defaults for the rest
	run -j plugin swap igbvf port "$p" set tx_ring_size=64; expect_rc 0 "swap with settings" || return 1
	expect_eq "-j swap" "$(jq -c .settings "$OUT_F")" \
		'{"tx_ring_size":64,"rx_ring_size":256,"itr_usecs":122}' || return 1
	run -j port show "$p"; expect_rc 0 "-j port show" || return 1
	expect_eq "-j port show" "$(jq -c .settings "$OUT_F")" \
		'{"tx_ring_size":64,"rx_ring_size":256,"itr_usecs":122}' || return 1
	expect_eq "TX ring after swap" "$(info "$VF1" ring0)" "64 x 16" || return 1
	# a plugin without settings: none; a port without a plugin: unknown
	run plugin load vmxnet3; expect_rc 0 "load vmxnet3" || return 1
	run -j port show "$VMX"; expect_eq "vmxnet3" "$(jq -c .settings "$OUT_F")" \
		'{"tx_ring_size":256,"rx_ring_size":256}' || return 1
	run -j port show "$VF0"; expect_eq "no plugin" "$(jq -c .settings "$OUT_F")" null || return 1
	# the probe refuses what it cannot take: the kernel's error
	run plugin swap igbvf port "$p" set tx_ring_size=8192; expect_rc 1 "swap refused" || return 1
	expect_in "swap refused" "$ERR_F" "Error: cannot swap plugin 'igbvf' on port $p for 'igbvf': Invalid argument" || return 1
	expect_eq "old one stays" "$(attr "$VF1" state)" attached
}

# Argument errors of pair, unpair and switch, and their help; need no shim
# (HOST_TESTS).
test_pair_usage() {
	local none=npactl-none0 args
	run pair help; expect_rc 0 "pair help" || return 1
	expect_in "pair help" "$OUT_F" "switch IFACE { pv | vf | auto }" || return 1
	run switch --help; expect_rc 0 "switch --help" || return 1
	expect_in "switch --help" "$OUT_F" "npactl [OPTIONS] pair IFACE PORT" || return 1
	run unpair help; expect_rc 0 "unpair help" || return 1
	run --help; expect_in "--help" "$OUT_F" "npactl switch IFACE { pv | vf | auto }" || return 1
	for args in switch "switch npa0"; do
		# shellcheck disable=SC2086
		run $args
		expect_err "$args" 2 "Error: switch needs IFACE and pv, vf or auto
Try 'npactl switch help'." || return 1
	done
	run pair npa0
	expect_err "pair npa0" 2 "Error: pair needs IFACE and PORT
Try 'npactl pair help'." || return 1
	run unpair
	expect_err "unpair" 2 "Error: unpair needs an IFACE
Try 'npactl unpair help'." || return 1
	for args in "switch npa0 pv" "pair npa0 1" "unpair npa0"; do
		# shellcheck disable=SC2086
		run $args x
		expect_err "$args x" 2 "Error: unexpected argument 'x'
Try 'npactl ${args%% *} help'." || return 1
	done
	run pair list x
	expect_err "pair list x" 2 "Error: pair list takes no arguments
Try 'npactl pair help'." || return 1
	for args in foo PV vfx ""; do
		run switch npa0 "$args"
		expect_err "switch npa0 '$args'" 2 "Error: switch: '$args' is not pv, vf or auto
Try 'npactl switch help'." || return 1
	done
	for args in ../npa0 "a b" x: . 0123456789abcdef ""; do
		run switch "$args" pv
		expect_err "switch '$args'" 2 "Error: switch: '$args' is not an interface name
Try 'npactl switch help'." || return 1
	done
	run pair ../npa0 1
	expect_err "pair ../npa0" 2 "Error: pair: '../npa0' is not an interface name
Try 'npactl pair help'." || return 1
	for args in "switch $none vf" "switch $none pv" "pair $none 1" "unpair $none"; do
		# shellcheck disable=SC2086
		run $args
		expect_err "$args" 1 "Error: no interface '$none'" || return 1
	done
	run -j switch "$none" auto; expect_rc 1 "-j switch" || return 1
	expect_eq "-j switch" "$(jq -r .error "$OUT_F")" "no interface '$none'" || return 1
	run -j switch "$none" up; expect_rc 2 "-j switch up" || return 1
	expect_json "-j switch up"
}

# --- a fake sysfs ---------------------------------------------------------------
#
# npactl reads the shim's ports and interfaces from sysfs only; run_fake
# runs it in a user and mount namespace (unshare -rm) where a tree under
# $FAKE stands in for /sys/bus/pci/drivers, /sys/bus/pci/devices and
# /sys/class/net. What npactl writes stays in the files for the test to
# read; the kernel's refusals cannot be faked.

fake_file() { mkdir -p "${1%/*}" && printf '%s\n' "$2" > "$1"; }

fake_port() { # fake_port BDF ID IFNAME ROLE ACTIVE PLUGIN VENDOR:DEVICE
	local d=$FAKE/drivers/npa/$1/npa a v
	for a in port_id:"$2" ifname:"$3" role:"$4" active:"$5" plugin:"$6" \
		 state:"$([ -n "$6" ] && echo attached || echo none)" link_id:0 prog_ids: faults:0; do
		v=${a#*:}
		fake_file "$d/${a%%:*}" "$v"
	done
	fake_file "$FAKE/devices/$1/vendor" "0x${7%:*}"
	fake_file "$FAKE/devices/$1/device" "0x${7#*:}"
}

fake_iface() { # fake_iface NAME PV VF ACTIVE_PORT MODE
	local d=$FAKE/net/$1/npa
	fake_file "$d/pv_port" "$2"
	fake_file "$d/vf_port" "$3"
	fake_file "$d/active_port" "$4"
	fake_file "$d/mode" "$5"
}

# npa0: a PV port alone; npa1: a VF port alone; npa2: a pair on its VF;
# npa10: a pair whose VF port has no plugin; npa11: whose VF has no link.
# Port 2 is a VF port without a plugin, so without an interface.
fake_tree() {
	FAKE=$TMP/fake
	rm -rf "$FAKE"
	mkdir -p "$FAKE/net/eth0"
	fake_port 0000:00:04.0 1 npa0 pv 1 vmxnet3 15ad:07b0
	fake_port 0000:00:05.0 2 "" vf 0 "" 8086:10ca
	fake_port 0000:00:06.0 3 npa1 vf 1 igbvf 8086:10ca
	fake_port 0000:00:07.0 4 npa2 pv 0 vmxnet3 15ad:07b0
	fake_port 0000:00:08.0 5 npa2 vf 1 igbvf 8086:10ca
	fake_port 0000:00:09.0 6 npa10 pv 1 vmxnet3 15ad:07b0
	fake_port 0000:00:0a.0 7 npa10 vf 0 "" 8086:10ca
	fake_port 0000:00:0b.0 8 npa11 pv 1 vmxnet3 15ad:07b0
	fake_port 0000:00:0c.0 9 npa11 vf 0 igbvf 8086:10ca
	fake_iface npa0 1 "" 1 auto
	fake_iface npa1 "" 3 3 auto
	fake_iface npa2 4 5 5 auto
	fake_iface npa10 6 7 6 auto
	fake_iface npa11 8 9 8 pv
}

# The inner shell's commands that put $FAKE ($0 there) over sysfs
# shellcheck disable=SC2016 # for the inner shell
FAKE_MOUNT='mount --bind "$0/drivers" /sys/bus/pci/drivers &&
	mount --bind "$0/devices" /sys/bus/pci/devices &&
	mount --bind "$0/net" /sys/class/net || exit 99'

# run_fake ARGS...: run ARGS... with $FAKE as sysfs, in a user namespace
# (FAKE_UNSHARE=-m: without, as root)
run_fake() {
	# shellcheck disable=SC2016 # for the inner shell
	unshare "${FAKE_UNSHARE:--rm}" sh -c "$FAKE_MOUNT"'
		exec "$@"' "$FAKE" "$NPACTL" "$@" > "$OUT_F" 2> "$ERR_F"
	RC=$?
}

# run_fake_veth ARGS...: run_fake in a network namespace of its own, with
# veth0 and veth1, whose counters ethtool -S gives; veth0's are in
# $TMP/ethtool-S after. Status 98: no veth pair can be made here.
run_fake_veth() {
	# shellcheck disable=SC2016 # for the inner shell
	ETHTOOL_S=$TMP/ethtool-S unshare -rmn sh -c '
		ip link add veth0 type veth peer name veth1 || exit 98
		'"$FAKE_MOUNT"'
		"$@" || exit
		ethtool -S veth0 > "$ETHTOOL_S"' "$FAKE" "$NPACTL" "$@" > "$OUT_F" 2> "$ERR_F"
	RC=$?
}

need_fake() {
	fake_tree
	run_fake --version
	[ "$RC" = 0 ] || skip "no fake sysfs: unshare -rm and bind mounts over /sys fail here"
}

expect_out() { # expect_out WHAT WANT: exit 0 and the whole stdout
	expect_rc 0 "$1" || return 1
	expect_eq "$1" "$(cat "$OUT_F")" "$2"
}

expect_attr() { # expect_attr IFACE ATTR WANT: what npactl wrote
	expect_eq "$1/npa/$2" "$(cat "$FAKE/net/$1/npa/$2")" "$3"
}

test_pair_list_fake() {
	local want
	need_fake || return
	want="IFNAME  PV  VF  ACTIVE  MODE
npa0    1   -   1 (pv)  auto
npa1    -   3   3 (vf)  auto
npa2    4   5   5 (vf)  auto
npa10   6   7   6 (pv)  auto
npa11   8   9   8 (pv)  pv"
	run_fake pair list; expect_out "pair list" "$want" || return 1
	run_fake pair; expect_out "pair" "$want" || return 1
	run_fake -j pair; expect_rc 0 "-j pair" || return 1
	expect_eq "-j pair" "$(jq -c '.[0], .[1], .[2]' "$OUT_F")" \
'{"ifname":"npa0","pv_port":1,"vf_port":null,"active_port":1,"active":"pv","mode":"auto"}
{"ifname":"npa1","pv_port":null,"vf_port":3,"active_port":3,"active":"vf","mode":"auto"}
{"ifname":"npa2","pv_port":4,"vf_port":5,"active_port":5,"active":"vf","mode":"auto"}' || return 1
	expect_eq "-j pair: names" "$(jq -r 'map(.ifname) | join(" ")' "$OUT_F")" \
		"npa0 npa1 npa2 npa10 npa11" || return 1
	fake_file "$FAKE/net/npa0/npa/active_port" 0
	run_fake -j pair; expect_eq "no active port" "$(jq -c '.[0] | [.active_port, .active]' "$OUT_F")" \
		"[null,null]" || return 1
	rm -rf "$FAKE/net/npa"*
	run_fake pair list; expect_out "no interface" "" || return 1
	run_fake -j pair list; expect_out "-j no interface" "[]" || return 1
	rm -rf "$FAKE/drivers/npa"
	run_fake pair list
	expect_err "no shim" 1 "Error: the npa shim is not loaded (no /sys/bus/pci/drivers/npa): insmod npa.ko first"
}

test_switch_fake() {
	need_fake || return
	run_fake switch npa11 auto
	expect_out "switch npa11 auto" "npa11: active port 8 (pv); pv port 8, vf port 9, mode auto" || return 1
	expect_attr npa11 mode auto || return 1
	run_fake switch npa2 pv
	expect_out "switch npa2 pv" "npa2: active port 5 (vf); pv port 4, vf port 5, mode pv" || return 1
	expect_attr npa2 mode pv || return 1
	run_fake -j switch npa2 vf; expect_rc 0 "-j switch npa2 vf" || return 1
	expect_eq "-j switch npa2 vf" "$(jq -c . "$OUT_F")" \
		'{"ifname":"npa2","pv_port":4,"vf_port":5,"active_port":5,"active":"vf","mode":"auto"}' || return 1
	expect_attr npa2 mode auto || return 1
	run_fake switch npa1 vf
	expect_out "switch npa1 vf (a VF alone)" "npa1: active port 3 (vf); pv port -, vf port 3, mode auto" || return 1
	# the kernel left the traffic on the PV port: why
	run_fake switch npa0 vf
	expect_err "no VF port" 1 "Error: npa0: the VF port is not ready: npa0 has no VF port; npa0 stays on its PV port 1 (mode auto)" || return 1
	run_fake switch npa10 vf
	expect_err "no plugin" 1 "Error: npa10: the VF port is not ready: VF port 7 has no plugin; npa10 stays on its PV port 6 (mode auto)" || return 1
	run_fake switch npa11 vf
	expect_err "no link" 1 "Error: npa11: the VF port is not ready: the link of VF port 9 is down; npa11 stays on its PV port 8 (mode auto)" || return 1
	expect_attr npa11 mode auto || return 1
	run_fake -j switch npa10 vf; expect_rc 1 "-j not ready" || return 1
	expect_eq "-j not ready" "$(jq -r .error "$OUT_F")" \
		"npa10: the VF port is not ready: VF port 7 has no plugin; npa10 stays on its PV port 6 (mode auto)" || return 1
	run_fake switch eth0 pv
	expect_err "not npa" 1 "Error: eth0 is not an npa interface (no /sys/class/net/eth0/npa)"
}

test_pair_fake() {
	local form
	need_fake || return
	# PORT in each of its forms (the fake kernel takes anything)
	for form in 3 0000:00:06.0 00:06.0 npa1; do
		fake_iface npa0 1 "" 1 auto
		run_fake pair npa0 "$form"
		expect_out "pair npa0 $form" "port 3 (0000:00:06.0) paired with npa0
npa0: active port 1 (pv); pv port 1, vf port 3, mode auto" || return 1
		expect_attr npa0 vf_port 3 || return 1
	done
	fake_iface npa0 1 "" 1 auto
	run_fake -j pair npa0 2; expect_rc 0 "-j pair" || return 1
	expect_eq "-j pair" "$(jq -c . "$OUT_F")" \
		'{"ifname":"npa0","pv_port":1,"vf_port":2,"active_port":1,"active":"pv","mode":"auto","port":2,"port_ifname":null}' || return 1
	run_fake pair npa0 99
	expect_err "no port" 1 "Error: no port '99' (npactl port list shows them)" || return 1
	# npa2 names its PV port; the kernel would refuse it (EINVAL)
	run_fake pair npa0 npa2; expect_rc 0 "pair npa0 npa2" || return 1
	expect_attr npa0 vf_port 4 || return 1
	run_fake pair eth0 2
	expect_err "not npa" 1 "Error: eth0 is not an npa interface (no /sys/class/net/eth0/npa)" || return 1

	run_fake unpair npa2
	expect_out "unpair npa2" "port 5 (0000:00:08.0) left npa2, its interface is npa2
npa2: active port 5; pv port 4, vf port -, mode auto" || return 1
	expect_attr npa2 vf_port 0 || return 1
	fake_iface npa10 6 7 6 auto
	fake_file "$FAKE/drivers/npa/0000:00:0a.0/npa/ifname" npa12
	run_fake -j unpair npa10; expect_rc 0 "-j unpair" || return 1
	expect_eq "-j unpair" "$(jq -c '[.vf_port, .port, .port_ifname]' "$OUT_F")" '[null,7,"npa12"]' || return 1
	fake_iface npa0 1 "" 1 auto
	run_fake unpair npa0
	expect_err "unpair without VF" 1 "Error: npa0 has no VF port"
}

# port list and show: role, active, and a VF port without an interface
test_port_role_fake() {
	need_fake || return
	run_fake port list; expect_rc 0 "port list" || return 1
	expect_eq "port list" "$(sed -n '1,3p' "$OUT_F")" \
"ID  PCI           VENDOR:DEVICE  IFNAME  PLUGIN   STATE     ROLE  ACTIVE
1   0000:00:04.0  15ad:07b0      npa0    vmxnet3  attached  pv    yes
2   0000:00:05.0  8086:10ca      -       -        none      vf    no" || return 1
	run_fake -j port list; expect_rc 0 "-j port list" || return 1
	expect_eq "-j port list" "$(jq -c '.[:2][] | [.id, .ifname, .role, .active, .plugin]' "$OUT_F")" \
		'[1,"npa0","pv",true,"vmxnet3"]
[2,null,"vf",false,null]' || return 1
	rm "$FAKE/drivers/npa/0000:00:04.0/npa/"{role,active}
	run_fake -j port list; expect_eq "an older shim" "$(jq -c '.[0] | [.role, .active]' "$OUT_F")" \
		'[null,null]' || return 1
	run_fake port list; expect_in "an older shim" "$OUT_F" "attached  -     -" || return 1
	# an empty PORT is no port, not the one without an interface
	run_fake -j port show ""; expect_rc 1 "port show ''"
}

# On the shim, without a pair: interfaces that are not the shim's, and
# the modes of the PV port's interface.
test_pair_guest() {
	local ifn n
	ifn=$(attr "$VMX" ifname)
	run switch lo vf
	expect_err "switch lo" 1 "Error: lo is not an npa interface (no /sys/class/net/lo/npa)" || return 1
	run pair lo "$(port_id "$VF0")"
	expect_err "pair lo" 1 "Error: lo is not an npa interface (no /sys/class/net/lo/npa)" || return 1
	run -j pair list; expect_rc 0 "-j pair list" || return 1
	expect_json "-j pair list" || return 1
	n=$(find /sys/class/net/*/npa -maxdepth 0 2>/dev/null | wc -l)
	expect_eq "-j pair list" "$(jq length "$OUT_F")" "$n" || return 1
	expect_eq "$ifn" "$(jq -r ".[] | select(.ifname == \"$ifn\") | .pv_port" "$OUT_F")" \
		"$(port_id "$VMX")" || return 1
	run switch "$ifn" pv; expect_rc 0 "switch $ifn pv" || return 1
	expect_eq "mode" "$(cat "/sys/class/net/$ifn/npa/mode")" pv || return 1
	run switch "$ifn" vf; expect_rc 1 "switch $ifn vf" || return 1
	expect_in "switch $ifn vf" "$ERR_F" "Error: $ifn: the VF port is not ready: $ifn has no VF port; $ifn " || return 1
	expect_eq "mode" "$(cat "/sys/class/net/$ifn/npa/mode")" auto
}

# Argument errors of stats, and its help; need no shim (HOST_TESTS).
test_stats_usage() {
	local none=npactl-none0 args
	run stats help; expect_rc 0 "stats help" || return 1
	expect_in "stats help" "$OUT_F" "npactl [OPTIONS] stats [IFACE | PORT]" || return 1
	run stats --help; expect_rc 0 "stats --help" || return 1
	expect_in "stats --help" "$OUT_F" "PORT  := { ID | PCI address" || return 1
	run --help; expect_in "--help" "$OUT_F" "npactl stats [IFACE | PORT]" || return 1
	run stats lo x
	expect_err "stats lo x" 2 "Error: unexpected argument 'x'
Try 'npactl stats help'." || return 1
	for args in ../npa0 "a b" . 0123456789abcdef ""; do
		run stats "$args"
		expect_err "stats '$args'" 2 "Error: stats: '$args' is not an interface name
Try 'npactl stats help'." || return 1
	done
	run stats "$none"
	expect_err "stats $none" 1 "Error: no interface '$none'" || return 1
	run stats lo
	expect_err "stats lo" 1 "Error: lo is not an npa interface (no /sys/class/net/lo/npa)" || return 1
	run -j stats lo; expect_rc 1 "-j stats lo" || return 1
	expect_eq "-j stats lo" "$(jq -r .error "$OUT_F")" \
		"lo is not an npa interface (no /sys/class/net/lo/npa)" || return 1
	run st lo
	expect_err "st lo" 1 "Error: lo is not an npa interface (no /sys/class/net/lo/npa)" || return 1
	run s lo
	expect_err "s lo" 2 "Error: 's' is ambiguous: switch or stats?
Try 'npactl help'."
}

# "name value" lines: of npactl stats (text, one interface), of its JSON
# object, of ethtool -S
stats_text_lines() { awk 'NR > 1 { print $1, $2 }' "$1"; }
stats_json_lines() { jq -r '.stats | to_entries[] | "\(.key) \(.value)"' "$1"; }
ethtool_s_lines() { awk 'NR > 1 { sub(/:$/, "", $1); print $1, $2 }' "$1"; }

# npactl stats on the fake sysfs, where veth0 and veth1 (in a network
# namespace of their own) stand for the shim's interfaces; port 10 is
# veth1's. Their counters as ethtool -S has them, and the ports' errors.
test_stats_fake() {
	need_fake || return
	command -v ethtool > /dev/null || skip "no ethtool"
	fake_iface veth0 "" "" 0 auto
	fake_iface veth1 10 "" 10 auto
	fake_port 0000:00:0d.0 10 veth1 pv 1 vmxnet3 15ad:07b0
	run_fake_veth stats veth0
	[ "$RC" = 98 ] && skip "no veth pair here (unshare -rmn, ip link add)"
	expect_rc 0 "stats veth0" || return 1
	expect_eq "stats veth0: header" "$(head -1 "$OUT_F")" veth0 || return 1
	expect_eq "stats veth0" "$(stats_text_lines "$OUT_F")" \
		"$(ethtool_s_lines "$TMP/ethtool-S")" || return 1
	grep -q "^	peer_ifindex  *[1-9]" "$OUT_F" || fail "stats veth0: peer_ifindex 0" || return 1
	run_fake_veth -j stats veth0; expect_rc 0 "-j stats veth0" || return 1
	expect_eq "-j stats veth0" "$(jq -r .ifname "$OUT_F")" veth0 || return 1
	expect_eq "-j stats veth0" "$(stats_json_lines "$OUT_F")" \
		"$(ethtool_s_lines "$TMP/ethtool-S")" || return 1
	expect_in "-j stats veth0" "$OUT_F" '"peer_ifindex":' || return 1
	# every interface: npa0 ... are not in this namespace, left out
	run_fake_veth -j stats; expect_rc 0 "-j stats" || return 1
	expect_eq "-j stats" "$(jq -r 'map(.ifname) | join(" ")' "$OUT_F")" "veth0 veth1" || return 1
	expect_eq "-j stats: veth0" "$(jq -r '.[0].stats | to_entries[] | "\(.key) \(.value)"' "$OUT_F")" \
		"$(ethtool_s_lines "$TMP/ethtool-S")" || return 1
	run_fake_veth stats; expect_rc 0 "stats" || return 1
	expect_eq "stats: headers" "$(grep -v '^	' "$OUT_F" | tr '\n' ' ')" "veth0 veth1 " || return 1
	# PORT: its interface
	for args in 10 0000:00:0d.0 00:0d.0; do
		run_fake_veth -j stats "$args"; expect_rc 0 "-j stats $args" || return 1
		expect_eq "-j stats $args" "$(jq -r .ifname "$OUT_F")" veth1 || return 1
	done
	run_fake_veth stats 2
	expect_err "port without interface" 1 "Error: port 2 (0000:00:05.0) has no interface" || return 1
	run_fake_veth stats 99
	expect_err "no port" 1 "Error: no port '99' (npactl port list shows them)" || return 1
	run_fake_veth stats 00:1f.0
	expect_err "no PCI port" 1 "Error: no port '00:1f.0' (npactl port list shows them)" || return 1
	# sysfs says npa0 is the shim's, the kernel knows no npa0
	run_fake_veth stats npa0
	expect_err "interface gone" 1 "Error: no interface 'npa0'" || return 1
	run_fake_veth stats 1
	expect_err "port's interface gone" 1 "Error: no interface 'npa0'" || return 1
	run_fake_veth stats eth0
	expect_err "not npa" 1 "Error: eth0 is not an npa interface (no /sys/class/net/eth0/npa)" || return 1
	run_fake -j stats; expect_out "-j stats, none there" "[]" || return 1
	run_fake stats; expect_out "stats, none there" "" || return 1
	rm -rf "$FAKE/drivers/npa"
	run_fake stats
	expect_err "no shim" 1 "Error: the npa shim is not loaded (no /sys/bus/pci/drivers/npa): insmod npa.ko first"
}

# plugin autoload: argument errors, a port that has a plugin, a port no
# shipped plugin drives (HOST_TESTS: the load itself needs the kernel)
test_autoload_fake() {
	local args
	run plugin autoload
	expect_err "autoload" 2 "Error: plugin autoload needs a PORT
Try 'npactl plugin help'." || return 1
	run plugin autoload 1 x
	expect_err "autoload 1 x" 2 "Error: plugin autoload: unexpected argument 'x'
Try 'npactl plugin help'." || return 1
	run plugin help; expect_in "plugin help" "$OUT_F" "plugin autoload PORT" || return 1
	need_fake || return
	fake_port 0000:00:0d.0 10 "" vf 0 "" 1af4:1000
	for args in 1 0000:00:04.0 00:04.0 npa0; do
		run_fake plugin autoload "$args"
		expect_out "autoload $args" "port 1 (0000:00:04.0, npa0) already has plugin 'vmxnet3'; nothing to do" ||
			return 1
		[ ! -s "$ERR_F" ] || fail "autoload $args: wrote to stderr" || return 1
	done
	run_fake -j plugin autoload 3; expect_rc 0 "-j autoload 3" || return 1
	expect_eq "-j autoload 3" "$(jq -c '[.plugin, .port, .pci, .ifname, .already_attached, .state]' "$OUT_F")" \
		'["igbvf",3,"0000:00:06.0","npa1",true,"attached"]' || return 1
	run_fake plugin autoload 10
	expect_err "autoload 10" 1 "Error: no shipped plugin drives port 10 (0000:00:0d.0, PCI 1af4:1000): vmxnet3 drives 15ad:07b0, igbvf 8086:10ca" ||
		return 1
	run_fake -j plugin autoload 10; expect_rc 1 "-j autoload 10" || return 1
	expect_eq "-j autoload 10" "$(jq -r .error "$OUT_F")" \
		"no shipped plugin drives port 10 (0000:00:0d.0, PCI 1af4:1000): vmxnet3 drives 15ad:07b0, igbvf 8086:10ca" ||
		return 1
	run_fake plugin autoload 99
	expect_err "autoload 99" 1 "Error: no port '99' (npactl port list shows them)" || return 1
	rm -rf "$FAKE/drivers/npa"
	run_fake plugin autoload 1
	expect_err "no shim" 1 "Error: the npa shim is not loaded (no /sys/bus/pci/drivers/npa): insmod npa.ko first"
}

# plugin autoload in the guest: the shipped plugin for the port's PCI ids,
# pinned as plugin load pins it; a second autoload changes nothing.
test_autoload() {
	local p
	p=$(port_id "$VF0")
	run plugin autoload "$VF0"; expect_rc 0 "autoload $VF0" || return 1
	expect_in "autoload $VF0" "$OUT_F" "plugin 'igbvf' attached to port $p" || return 1
	expect_eq "VF0 plugin" "$(attr "$VF0" plugin)" igbvf || return 1
	[ -e "$PIN/port$p" ] || fail "no pin $PIN/port$p" || return 1
	run -j plugin autoload "$p"; expect_rc 0 "again" || return 1
	expect_eq "again" "$(jq -c '[.plugin, .port, .already_attached]' "$OUT_F")" "[\"igbvf\",$p,true]" || return 1
	expect_eq "same link" "$(attr "$VF0" link_id)" "$(jq .link_id "$OUT_F")" || return 1
	run -j plugin autoload "$VMX"; expect_rc 0 "autoload $VMX" || return 1
	expect_eq "-j autoload $VMX" "$(jq -c '[.plugin, .already_attached, .chosen]' "$OUT_F")" \
		'["vmxnet3",false,false]' || return 1
	expect_eq "vmxnet3 plugin" "$(attr "$VMX" plugin)" vmxnet3 || return 1
	expect_eq "VF1 untouched" "$(attr "$VF1" plugin)" "" || return 1
	run plugin unload port "$p"; expect_rc 0 "unload" || return 1
	run plugin unload port "$VMX"; expect_rc 0 "unload vmxnet3"
}

# prog_fdinfo ID KEY: KEY of program ID as the kernel's fdinfo of it has
# it (verified_insns, which bpftool prog show does not print)
prog_fdinfo() {
	python3 -c '
import ctypes, os, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
attr = ctypes.create_string_buffer(struct.pack("III", int(sys.argv[1]), 0, 0), 12)
fd = libc.syscall(321, 13, attr, 12)  # bpf(BPF_PROG_GET_FD_BY_ID, ...) on x86-64
if fd < 0:
    sys.exit("BPF_PROG_GET_FD_BY_ID: " + os.strerror(ctypes.get_errno()))
for line in open("/proc/self/fdinfo/%d" % fd):
    key, _, val = line.partition(":")
    if key == sys.argv[2]:
        print(val.strip())
' "$1" "$2"
}

# near A B: seconds at most 1 apart (two reads of the clocks)
near() { [ $(($1 - $2)) -le 1 ] && [ $(($2 - $1)) -le 1 ]; }

# expect_prog PORT MEMBER ID LIST_JSON LIST_TEXT: plugin list's program
# MEMBER of PORT, in JSON and in text, is program ID as bpftool prog show
# and the program's fdinfo have it.
expect_prog() {
	local p=$1 m=$2 id=$3 b=$TMP/bpftool got want insns at bat txt
	"$BPFTOOL" -j prog show id "$id" > "$b" || fail "$m: bpftool prog show id $id" || return 1
	insns=$(prog_fdinfo "$id" verified_insns)
	[ "${insns:-0}" -gt 0 ] || fail "$m: fdinfo of program $id: verified_insns '$insns'" || return 1
	got=$(jq -r --argjson p "$p" --arg m "$m" '.[] | select(.port == $p) | .progs[$m] |
		"\(.id) \(.tag) \(.verified_insns) \(.bytes_xlated) \(.bytes_jited) \(.load_time > 0)"' "$4")
	want="$id $(jq -r '"\(.tag) '"$insns"' \(.bytes_xlated) \(.bytes_jited // 0)"' "$b") true"
	expect_eq "$m (JSON)" "$got" "$want" || return 1
	at=$(jq -r --argjson p "$p" --arg m "$m" '.[] | select(.port == $p) | .progs[$m].loaded_at' "$4")
	bat=$(jq .loaded_at "$b")
	near "$at" "$bat" || fail "$m: loaded_at $at, bpftool says $bat" || return 1
	# PORT MEMBER PROG_ID TAG VERIFIED_INSNS XLATED JITED LOADED_AT
	txt=$(awk -v p="$p" -v m="$m" '$1 == p && $2 == m' "$5")
	want="$p $m $id $(jq -r '"\(.tag) '"$insns"' \(.bytes_xlated)B \(.bytes_jited // "-")B"' "$b" | sed 's/ -B$/ -/')"
	expect_eq "$m (text)" "$(echo "$txt" | awk '{ print $1, $2, $3, $4, $5, $6, $7 }')" "$want" || return 1
	at=$(date -d "$(echo "$txt" | awk '{ print $8 }')" +%s) || fail "$m: LOADED_AT: $txt" || return 1
	near "$at" "$bat" || fail "$m: LOADED_AT $txt, bpftool says $bat"
}

# plugin list's programs, for a real program (an XDP example, loaded by
# bpftool) that the fake port says is its plugin's probe and remove;
# without CAP_SYS_ADMIN (in a user namespace) their ids alone.
test_plugin_list_progs_fake() {
	local pin=/sys/fs/bpf/npactl-test-prog id rc=0 m nulls
	need_fake || return
	[ "$(id -u)" = 0 ] || skip "not root: no program to load"
	command -v python3 > /dev/null || skip "no python3 to read verified_insns"
	rm -f "$pin"
	"$BPFTOOL" prog load "$OUT/bpf/xdp/drop_udp_port.bpf.o" "$pin" > /dev/null 2>&1 ||
		skip "bpftool prog load fails here"
	id=$("$BPFTOOL" -j prog show pinned "$pin" | jq .id)
	fake_file "$FAKE/drivers/npa/0000:00:04.0/npa/prog_ids" "probe=$id remove=$id"
	FAKE_UNSHARE=-m run_fake -j plugin list; cp "$OUT_F" "$TMP/list.json"
	expect_rc 0 "-j plugin list" || rc=1
	expect_eq "-j plugin list: members" "$(jq -c '.[] | select(.port == 1) | .progs | keys_unsorted' "$TMP/list.json")" \
		'["probe","remove"]' || rc=1
	expect_eq "-j plugin list: prog_ids" "$(jq -c '.[] | select(.port == 1) | .prog_ids' "$TMP/list.json")" \
		"{\"probe\":$id,\"remove\":$id}" || rc=1
	expect_eq "-j plugin list: ports without programs" \
		"$(jq -c '[.[] | select(.port != 1) | .progs] | unique' "$TMP/list.json")" '[{}]' || rc=1
	FAKE_UNSHARE=-m run_fake plugin list; cp "$OUT_F" "$TMP/list.txt"
	expect_rc 0 "plugin list" || rc=1
	expect_in "plugin list" "$TMP/list.txt" "PORT  MEMBER  PROG_ID  TAG               VERIFIED_INSNS  XLATED  JITED  LOADED_AT" || rc=1
	for m in probe remove; do
		[ $rc = 0 ] && { expect_prog 1 "$m" "$id" "$TMP/list.json" "$TMP/list.txt" || rc=1; }
	done
	# without CAP_SYS_ADMIN: the ids, a note once, exit 0
	nulls='"tag":null,"verified_insns":null,"load_time":null,"loaded_at":null,"bytes_xlated":null,"bytes_jited":null'
	run_fake -j plugin list; expect_rc 0 "-j plugin list, unprivileged" || rc=1
	expect_eq "-j plugin list, unprivileged" "$(jq -c '.[] | select(.port == 1) | .progs' "$OUT_F")" \
		"{\"probe\":{\"id\":$id,$nulls},\"remove\":{\"id\":$id,$nulls}}" || rc=1
	expect_eq "note" "$(cat "$ERR_F")" \
		"Note: program ids only: reading their tag, verified instructions and load time needs CAP_SYS_ADMIN" || rc=1
	run_fake plugin list; expect_rc 0 "plugin list, unprivileged" || rc=1
	expect_eq "plugin list, unprivileged" "$(awk '$2 == "probe" || $2 == "remove"' "$OUT_F" | tr -s ' ')" \
		"1 probe $id - - - - -
1 remove $id - - - - -" || rc=1
	rm -f "$pin"
	return $rc
}

# plugin list: each program of the vmxnet3 plugin, with its tag, verified
# instructions, sizes and load time as bpftool and the kernel have them
test_plugin_list_progs() {
	local p pair n=0
	command -v python3 > /dev/null || skip "no python3 to read verified_insns"
	p=$(port_id "$VMX")
	run plugin load vmxnet3 port "$p"; expect_rc 0 load || return 1
	run -j plugin list; expect_rc 0 "-j plugin list" || return 1
	expect_json "-j plugin list" || return 1
	cp "$OUT_F" "$TMP/list.json"
	run plugin list; expect_rc 0 "plugin list" || return 1
	[ ! -s "$ERR_F" ] || fail "plugin list as root wrote to stderr: $(cat "$ERR_F")" || return 1
	cp "$OUT_F" "$TMP/list.txt"
	expect_in "plugin list" "$TMP/list.txt" "PORT  MEMBER" || return 1
	expect_eq "members" "$(jq -r --argjson p "$p" '.[] | select(.port == $p) | .progs | keys_unsorted | join(" ")' "$TMP/list.json")" \
		"$(attr "$VMX" prog_ids | sed 's/=[0-9]*//g')" || return 1
	for pair in $(attr "$VMX" prog_ids); do
		expect_prog "$p" "${pair%%=*}" "${pair#*=}" "$TMP/list.json" "$TMP/list.txt" || return 1
		n=$((n + 1))
	done
	[ $n -ge 2 ] || fail "vmxnet3 has $n programs"
}

# expect_between BEFORE ETHTOOL AFTER: "name value" lines; the same names
# in the same order, each of ethtool's values between npactl's two
expect_between() {
	paste -d ' ' "$1" "$2" "$3" | awk '
		NF != 6 || $1 != $3 || $1 != $5 { print "# FAIL: line " NR ": " $0; bad = 1; next }
		!($2 <= $4 && $4 <= $6) { print "# FAIL: " $1 ": npactl " $2 " then " $6 ", ethtool -S " $4; bad = 1 }
		END { exit bad }'
}

expect_stats_of() { # expect_stats_of PORT IFNAME: stats PORT shows IFNAME's
	run -j stats "$1"; expect_rc 0 "-j stats $1" || return 1
	expect_eq "-j stats $1" "$(jq -r .ifname "$OUT_F")" "$2"
}

# npactl stats: the counters ethtool -S shows, of an interface given by
# name or by port, and of every interface
test_stats() {
	local p ifn vf1
	p=$(port_id "$VMX")
	run plugin load vmxnet3 port "$p"; expect_rc 0 "load vmxnet3" || return 1
	run plugin load igbvf port "$(port_id "$VF0")"; expect_rc 0 "load igbvf on VF0" || return 1
	run plugin load igbvf port "$(port_id "$VF1")"; expect_rc 0 "load igbvf on VF1" || return 1
	ifn=$(attr "$VMX" ifname)
	vf1=$(attr "$VF1" ifname)
	# ethtool -S between two reads of npactl's
	run -j stats "$ifn"; expect_rc 0 "-j stats $ifn" || return 1
	expect_json "-j stats $ifn" || return 1
	expect_eq "-j stats $ifn" "$(jq -r .ifname "$OUT_F")" "$ifn" || return 1
	stats_json_lines "$OUT_F" > "$TMP/before"
	ethtool -S "$ifn" > "$TMP/ethtool-S" || fail "ethtool -S $ifn" || return 1
	ethtool_s_lines "$TMP/ethtool-S" > "$TMP/ethtool"
	run -j stats "$ifn"; expect_rc 0 "-j stats $ifn (2)" || return 1
	stats_json_lines "$OUT_F" > "$TMP/after"
	[ "$(wc -l < "$TMP/ethtool")" -gt 20 ] || fail "ethtool -S $ifn: $(cat "$TMP/ethtool-S")" || return 1
	expect_between "$TMP/before" "$TMP/ethtool" "$TMP/after" || return 1
	# VF0 has the vmxnet3 port's MAC: it joined its interface
	if [ "$(attr "$VF0" ifname)" = "$ifn" ]; then
		grep -q '^vf_plugin_faults ' "$TMP/ethtool" && grep -q '^pv_plugin_faults ' "$TMP/ethtool" ||
			fail "a pair without pv_ and vf_ counters: $(cat "$TMP/ethtool-S")" || return 1
	fi
	# the same in text
	run stats "$ifn"; expect_rc 0 "stats $ifn" || return 1
	expect_eq "stats $ifn: header" "$(head -1 "$OUT_F")" "$ifn" || return 1
	expect_eq "stats $ifn: names" "$(stats_text_lines "$OUT_F" | cut -d' ' -f1)" \
		"$(cut -d' ' -f1 "$TMP/ethtool")" || return 1
	# a port: its interface (its pair's for VF0)
	expect_stats_of "$p" "$ifn" && expect_stats_of "$VMX" "$ifn" &&
		expect_stats_of "${VMX#0000:}" "$ifn" &&
		expect_stats_of "$(port_id "$VF0")" "$(attr "$VF0" ifname)" &&
		expect_stats_of "$(port_id "$VF1")" "$vf1" || return 1
	# every interface, sorted by name
	run -j stats; expect_rc 0 "-j stats" || return 1
	expect_json "-j stats" || return 1
	expect_eq "-j stats" "$(jq -r '.[].ifname' "$OUT_F" | sort)" \
		"$(find /sys/class/net/*/npa -maxdepth 0 | cut -d/ -f5 | sort)" || return 1
	expect_eq "-j stats: $vf1" "$(jq -r --arg i "$vf1" '.[] | select(.ifname == $i) | .stats | keys_unsorted | join(" ")' "$OUT_F")" \
		"$(ethtool -S "$vf1" | awk 'NR > 1 { sub(/:$/, "", $1); print $1 }' | tr '\n' ' ' | sed 's/ $//')" || return 1
	run stats lo
	expect_err "stats lo" 1 "Error: lo is not an npa interface (no /sys/class/net/lo/npa)"
}

mac_hex() { echo "0x${1//:/}" | tr 'A-F' 'a-f' | sed 's/^0x0*/0x/'; }

# --- runner -------------------------------------------------------------------

TESTS=(
	usage version port_list load_auto load_port_forms load_taken_port
	load_errors load_abi_mismatch load_verifier_log load_kernel_refusal
	load_object_file swap unload unload_other_link_holder plugin_list
	stale_pin port_gone port_show bpffs_mount json_errors settings_errors
	settings_types load_settings load_settings_types pair_usage pair_guest
	plugin_list_progs stats_usage stats autoload
)
# the tests that need no shim
HOST_TESTS=(settings_errors settings_types pair_usage pair_list_fake switch_fake
	pair_fake port_role_fake stats_usage stats_fake plugin_list_progs_fake autoload_fake)
HOST=false
if [ "${1:-}" = --list ]; then
	printf '%s\n' "${TESTS[@]}"
	exit 0
fi
if [ "${1:-}" = --host ]; then
	HOST=true
	TESTS=("${HOST_TESTS[@]}")
	shift
fi
[ $# -gt 0 ] && TESTS=("$@")

[ -x "$NPACTL" ] || { echo "Bail out! $NPACTL not built"; exit 1; }
$HOST || [ -d "$DRV" ] || { echo "Bail out! npa.ko not loaded (run in the test guest)"; exit 1; }
# shellcheck disable=SC1091
[ -r /run/npa-guest.env ] && . /run/npa-guest.env
VMX=${NPA_VMXNET3_BDF:-}
VF0=${NPA_VF0_BDF:-}
VF1=${NPA_VF1_BDF:-}

TMP=$(mktemp -d /tmp/npactl-test.XXXXXX)
OUT_F=$TMP/out
ERR_F=$TMP/err
trap 'rm -rf "$TMP"' EXIT

echo "KTAP version 1"
echo "1..${#TESTS[@]}"
n=0 passed=0 failed=0 skipped=0
for t in "${TESTS[@]}"; do
	n=$((n + 1))
	SKIP_REASON=
	$HOST || reset_ports
	"test_$t"
	rc=$?
	if [ $rc = 4 ]; then
		echo "ok $n $t # SKIP $SKIP_REASON"
		skipped=$((skipped + 1))
	elif [ $rc = 0 ]; then
		echo "ok $n $t"
		passed=$((passed + 1))
	else
		echo "not ok $n $t"
		failed=$((failed + 1))
	fi
done
$HOST || reset_ports
echo "# $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
