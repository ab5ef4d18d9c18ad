#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where a sent frame's time goes: pktgen TX on VF 0, 40,000 64-byte frames,
# first with npa + igbvf.bpf, then with in-tree igbvf, under `perf record`
# (cpu-clock, all CPUs). Prints each driver's rate, its top symbols and
# the share of samples in driver code. Run in the test guest:
#
#	make vm-run CMD=selftests/perf-tx.sh
set -eu

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck disable=SC1091
. /run/npa-guest.env
NPACTL=$PROJ/.output/tools/npactl
VF=$NPA_VF0_BDF
N=40000
TMP=$(mktemp -d /tmp/npa-perf.XXXXXX)

sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1

profile() { # profile NAME: the VF's interface is up
	local dev
	dev=$(ls "/sys/bus/pci/devices/$VF/net")
	sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
	ip addr add 10.99.0.1/24 dev "$dev"
	ip link set "$dev" up
	sleep 2
	ip neigh replace 10.99.0.2 lladdr "$NPA_PEER_MAC" dev "$dev" nud permanent
	perf record -q -o "$TMP/perf.$1" -a -e cpu-clock -F 2000 -- \
		"$PROJ/selftests/pktgen.sh" "$dev" 10.99.0.2 "$NPA_PEER_MAC" $N > "$TMP/pg" 2>&1
	echo "$1: $(grep -o '[0-9]*pps' "$TMP/pg") under perf"
	perf report -i "$TMP/perf.$1" --kallsyms=/proc/kallsyms --stdio --sort sym 2>/dev/null |
		grep -v '^#' | grep -v '^$' > "$TMP/rep.$1"
	grep -v safe_halt "$TMP/rep.$1" | head -8
	echo "$1: driver code $(grep -E ' (npa_|bpf_prog_|igbvf_)' "$TMP/rep.$1" | awk '{ s += $1 } END { print s }')% of samples:"
	grep -E ' (npa_|bpf_prog_|igbvf_)' "$TMP/rep.$1" | head -12
	ip addr flush dev "$dev"
	ip link set "$dev" down
}

"$NPACTL" plugin load igbvf port "$(cat "/sys/bus/pci/devices/$VF/npa/port_id")" > /dev/null
profile npa
"$NPACTL" plugin unload port "$(cat "/sys/bus/pci/devices/$VF/npa/port_id")" > /dev/null
echo "$VF" > /sys/bus/pci/drivers/npa/unbind
modprobe igbvf
echo igbvf > "/sys/bus/pci/devices/$VF/driver_override"
echo "$VF" > /sys/bus/pci/drivers_probe
profile igbvf
echo "$VF" > /sys/bus/pci/drivers/igbvf/unbind
echo npa > "/sys/bus/pci/devices/$VF/driver_override"
echo "$VF" > /sys/bus/pci/drivers_probe
rm -rf "$TMP"
