#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where an XDP_DROP frame's time goes on the vmxnet3: the host generator's
# flood (PPS frames a second, below what QEMU takes, so that both drivers
# receive every frame), `xdp-bench drop` native, the igb PF down (QEMU's
# igb would hand it the flood too: BENCHMARKS.md), `perf record -a -e
# cpu-clock -F 4000` for 8 s; first npa + vmxnet3.bpf, then in-tree
# vmxnet3. Prints each driver's top symbols with their sample counts and
# its samples per 100 samples of the XDP program.
#
# The rate counts for little under TCG; what the script reports is how
# many samples the driver's code took against the samples of the XDP
# program, which is the same program, the same instructions a frame, under
# both drivers: "driver samples per 100 XDP-program samples". Boot the
# guest with -icount shift=0, so that the guest's clock counts
# instructions (one nanosecond each) and a sample is 250,000 guest
# instructions, not time the vCPU thread spent waiting for QEMU's lock;
# and with one vCPU: two vCPUs take turns on QEMU's one TCG thread and
# share that clock, so one vCPU's samples would count the other's
# instructions too (the XDP program's samples a frame varied by 60 %
# from boot to boot with two; with one, 6.5 to 6.9 per 100000 frames in
# three boots):
#
#	selftests/vm/run.sh -q -t 900 --gen --qemu -icount --qemu shift=0 \
#		--qemu -smp --qemu 1 --ko .output/shim/npa.ko -- \
#		selftests/perf-xdp-drop.sh
#
# The figure to compare is "non-idle samples per 100000 frames": all the
# guest's work a frame, the driver's and the stack's.
#
# The report is in the console log (.output/vm/console-*.log). It also
# counts each driver's NAPI polls by the work they returned (the napi_poll
# tracepoint) while perf records; in-tree vmxnet3 returns 0 for frames its
# XDP program took, so only npa's "took no frame" counts idle polls. It
# also counts the vmxnet3's interrupts and frames, the guest's context
# switches and the times net_rx_action ran out of budget or time
# (/proc/net/softnet_stat's time_squeeze) over the same 8 s. PPS
# in the environment sets the rate (20000), TOP how many symbols it lists
# (25).
#
# XDP=none profiles the receive path without XDP instead: the frames go
# up the stack (UDP port 9, no socket). COPYBREAK="256 0" profiles npa
# once for each rx-copybreak given (ethtool --set-tunable), in that
# order, before in-tree vmxnet3; unset, npa's default only.
set -eu

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck disable=SC1091
. /run/npa-guest.env
# shellcheck source=selftests/lib.sh
. "$PROJ/selftests/lib.sh"
NPACTL=$PROJ/.output/tools/npactl
GEN=$PROJ/selftests/gen-flood.sh
VMX=$NPA_VMXNET3_BDF
PEER="ip netns exec $NPA_PEER_NS"
PPS=${PPS:-20000}
SECS=8
TMP=$(mktemp -d /tmp/npa-perf.XXXXXX)

[ "${NPA_GEN:-}" = 1 ] || { echo "Error: no generator (boot the guest with run.sh --gen)" >&2; exit 1; }
sysctl -qw kernel.kptr_restrict=0 kernel.perf_event_paranoid=-1
ip link set "$NPA_PF" down

rx() { cat "/sys/class/net/$1/statistics/rx_packets"; }

# context switches so far (all CPUs)
ctxt() { awk '$1 == "ctxt" { print $2 }' /proc/stat; }

# times net_rx_action ran out of budget or time with work left (all CPUs)
squeezed() {
	local _ sq sum=0
	while read -r _ _ sq _; do
		sum=$((sum + 16#$sq))
	done < /proc/net/softnet_stat
	echo $sum
}

# NAPI polls of interface IF by the frames each took, while perf records
TR=/sys/kernel/tracing/events/napi/napi_poll
hist_on() { # hist_on IF
	TRIG="hist:keys=work:vals=hitcount:sort=work if dev_name == \"$1\""
	echo "$TRIG" > "$TR/trigger"
}
hist_off() { # hist_off NAME: print the polls, then drop the histogram
	awk -v n="$1" '$1 == "{" && $2 == "work:" { w = $3 + 0; c = $NF + 0; t += c; if (w == 0) z = c; f += w * c }
		END { printf "%s: %d NAPI polls, %d of them took no frame (%d %%), %.1f frames a poll\n", n, t, z, t ? z * 100 / t : 0, t ? f / t : 0 }' "$TR/hist"
	echo "!$TRIG" > "$TR/trigger"
}

profile() { # profile NAME DRIVER-SYMBOL-REGEX: the vmxnet3 is bound
	local dev mac xpid r0 r1 t0 t1 rate drv xdp q0 q1 all c0 c1 s0 s1
	dev=$(ls "/sys/bus/pci/devices/$VMX/net")
	mac=$(cat "/sys/class/net/$dev/address")
	sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1"
	ip addr add 10.99.0.1/24 dev "$dev"
	ip link set "$dev" up
	sleep 2
	$PEER ip neigh replace "$NPA_GEN_IP4" lladdr "$NPA_GEN_MAC" dev "$NPA_PEER_IF" nud permanent
	xpid=
	if [ "${XDP:-drop}" != none ]; then
		xdp-bench drop -m native "$dev" > /dev/null 2>&1 &
		xpid=$!
	fi
	sleep 2
	$PEER "$GEN" start 1 "$mac" 10.99.0.1 100000000 "$PPS" > /dev/null
	sleep 2
	# the rate the receiver takes, in a window of the guest's clock
	r0=$(rx "$dev"); t0=$EPOCHREALTIME
	sleep 2
	r1=$(rx "$dev"); t1=$EPOCHREALTIME
	rate=$(( (r1 - r0) * 1000000 / (${t1/./} - ${t0/./}) ))
	hist_on "$dev"
	r0=$(rx "$dev"); q0=$(irqs_of "$VMX"); c0=$(ctxt); s0=$(squeezed)
	perf record -q -o "$TMP/perf.$1" -a -e cpu-clock -F 4000 -- sleep $SECS
	r1=$(rx "$dev"); q1=$(irqs_of "$VMX"); c1=$(ctxt); s1=$(squeezed)
	hist_off "$1"
	$PEER "$GEN" stop 1 > /dev/null
	if [ -n "$xpid" ]; then
		kill -INT "$xpid"
		wait "$xpid" || true
	fi
	perf report -i "$TMP/perf.$1" --kallsyms=/proc/kallsyms --stdio -n \
		--no-children --sort sym -g none 2>/dev/null |
		grep -v '^#' | grep -v '^$' | grep -v safe_halt > "$TMP/rep.$1"
	drv=$(grep -E "$2" "$TMP/rep.$1" | awk '{ s += $2 } END { print s + 0 }')
	xdp=$(grep -E ' bpf_prog_[0-9a-f]*_xdp_basic_prog' "$TMP/rep.$1" | awk '{ s += $2 } END { print s + 0 }')
	all=$(awk '{ s += $2 } END { print s + 0 }' "$TMP/rep.$1")
	echo "$1: $rate frames/s received (the guest's clock)"
	echo "$1: while perf recorded: $((r1 - r0)) frames, $((q1 - q0)) interrupts ($(( (q1 - q0) * 1000 / (r1 - r0 + 1) )) per 1000 frames), $(( all * 100000 / (r1 - r0 + 1) )) non-idle samples per 100000 frames"
	echo "$1: $((c1 - c0)) context switches ($(( (c1 - c0) * 1000 / (r1 - r0 + 1) )) per 1000 frames), NET_RX out of budget or time $((s1 - s0)) times"
	echo "$1: driver samples $drv, XDP program samples $xdp: $((drv * 100 / (xdp + (xdp == 0)))) driver samples per 100 XDP-program samples; all non-idle samples $all"
	head -"${TOP:-25}" "$TMP/rep.$1" | sed "s/^/$1: /"
	ip addr flush dev "$dev"
	ip link set "$dev" down
}

pci_bind "$VMX" npa
"$NPACTL" plugin load vmxnet3 port "$(cat "/sys/bus/pci/devices/$VMX/npa/port_id")" \
	set rx_ring_size=1024 > /dev/null
# the shim, the plugin's programs and their struct_ops and iterator calls
NPA_SYMS=' (npa_|bpf_prog_[0-9a-f]*_vmxnet3_|bpf__npa_ops_|bpf_iter_num_|__bpf_prog_(enter|exit)|migrate_(en|dis)able)'
if [ -z "${COPYBREAK:-}" ]; then
	profile npa "$NPA_SYMS"
fi
for cb in ${COPYBREAK:-}; do
	ethtool --set-tunable "$(ls "/sys/bus/pci/devices/$VMX/net")" rx-copybreak "$cb"
	profile "npa-copybreak-$cb" "$NPA_SYMS"
done
"$NPACTL" plugin unload port "$(cat "/sys/bus/pci/devices/$VMX/npa/port_id")" > /dev/null
modprobe vmxnet3
pci_bind "$VMX" vmxnet3
profile vmxnet3 ' vmxnet3_'
pci_bind "$VMX" npa
ip link set "$NPA_PF" up
rm -rf "$TMP"
