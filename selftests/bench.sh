#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks, run in the test guest by `make bench`: the same function
# driven by npa + its plugin and by the in-tree driver, one after the
# other (npa first in odd rounds, the in-tree driver in even ones), ROUNDS
# interleaved rounds each, same traffic against the peer
# namespace: the igb VF (igbvf.bpf against igbvf) and the vmxnet3
# (vmxnet3.bpf against vmxnet3). Prints one line per metric: NAME UNIT NPA BASELINE DRIVER
# (medians; DRIVER is the in-tree baseline's name). Then how long a plugin
# takes to load (the verifier) and attach (its probe), against the in-tree
# driver's probe. Then the failover rows of bench-failover.sh (the vmxnet3
# and VF 0 as one interface, against bonding).
#
# The "gen" rows (only when asked for, and the guest booted with run.sh
# --gen): RX and XDP_DROP on both functions with the flood coming from
# outside the guest (selftests/trafgen.c on QEMU's hub), so that the
# guest's emulated CPUs only receive; counted at the receiver over a
# window of the guest's own time.
#
#   selftests/bench.sh [vf] [pv] [gen] [load] [failover]    those rows only;
#                                                          all but gen without
set -eu
ROWS=" ${*:-vf pv load failover} "
has() { [[ $ROWS == *" $1 "* ]]; }

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck disable=SC1091
. /run/npa-guest.env
# shellcheck source=selftests/lib.sh
. "$PROJ/selftests/lib.sh"
NPACTL=$PROJ/.output/tools/npactl
PLAIN_LOAD=$PROJ/.output/selftests/plain_load
PKTGEN=$PROJ/selftests/pktgen.sh
ROUNDS=${NPA_BENCH_ROUNDS:-3}
VF=$NPA_VF0_BDF
VMX=$NPA_VMXNET3_BDF
PEER="ip netns exec $NPA_PEER_NS"
RES=$(mktemp -d /tmp/npa-bench.XXXXXX)

log() { echo "bench: $*" >&2; }

port_of() { cat "/sys/bus/pci/devices/$1/npa/port_id"; }

up() { # up BDF DRIVER [PLUGIN]: the function under DRIVER (npa: with PLUGIN), configured; sets DEV, MAC
	if [ "$2" = npa ]; then
		pci_bind "$1" npa
		# shellcheck disable=SC2086 # PLUGIN_SET: words
		"$NPACTL" plugin load "$3" port "$(port_of "$1")" ${PLUGIN_SET:-} >/dev/null
	else
		modprobe "$2"
		pci_bind "$1" "$2"
	fi
	DEV=$(ls "/sys/bus/pci/devices/$1/net")
	MAC=$(cat "/sys/class/net/$DEV/address")
	sysctl -qw "net.ipv6.conf.$DEV.disable_ipv6=1"
	ip addr add 10.99.0.1/24 dev "$DEV"
	ip link set "$DEV" up
	ip neigh replace 10.99.0.2 lladdr "$NPA_PEER_MAC" dev "$DEV" nud permanent
	$PEER ip neigh replace 10.99.0.1 lladdr "$MAC" dev "$NPA_PEER_IF" nud permanent
	wait_carrier "$DEV" || true
	sleep 1
}

down() { # down BDF DRIVER
	ip addr flush dev "$DEV"
	ip link set "$DEV" down
	[ "$2" = npa ] && "$NPACTL" plugin unload port "$(port_of "$1")" >/dev/null
	return 0
}

# XDP mode of a driver: native on npa and vmxnet3, generic (skb) on igbvf,
# which has no native XDP
xdp_mode() { [ "$1" = igbvf ] && echo skb || echo native; }

# peer_flood N: N 64-byte frames from the peer as fast as it goes; prints
# the frames per second the receiver counted
peer_flood() {
	local rx0 usec
	rx0=$(rx_packets)
	$PEER "$PKTGEN" "$NPA_PEER_IF" 10.99.0.1 "$MAC" "$1" > "$RES/pg" 2>&1
	sleep 0.5
	usec=$(usec_of < "$RES/pg")
	echo $(( ($(rx_packets) - rx0) * 1000000 / usec ))
}

pps_of() { grep -o '[0-9]*pps' | tr -d 'pps'; }
usec_of() { sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p'; }
rx_packets_peer() { $PEER ip -j -s link show "$NPA_PEER_IF" | jq '.[0].stats64.rx.packets'; }
rx_packets() { "$@" ip -j -s link show "$DEV" | jq '.[0].stats64.rx.packets'; }

# measure NAME TCP BDF DRIVER [PLUGIN]: append this round's figures to
# $RES/NAME.*; TCP 1 for an iperf3 run too
measure() {
	local name=$1 tcp=$2 out irq0 xpid peer_rx0 n=20000
	shift 2
	up "$@"
	# TX: pktgen on the function, 64-byte frames
	irq0=$(irqs_of "$1")
	"$PKTGEN" "$DEV" 10.99.0.2 "$NPA_PEER_MAC" $n > "$RES/pg" 2>&1
	pps_of < "$RES/pg" >> "$RES/$name.tx_pps"
	log "$name: $(( $(irqs_of "$1") - irq0 )) interrupts for $n TX frames"
	# the same in bursts of 8, all but the last with xmit_more
	BURST=8 "$PKTGEN" "$DEV" 10.99.0.2 "$NPA_PEER_MAC" $n > "$RES/pg" 2>&1
	pps_of < "$RES/pg" >> "$RES/$name.tx_burst_pps"
	# RX: pktgen on the peer as fast as it goes, counted at the receiver
	irq0=$(irqs_of "$1")
	peer_flood $n >> "$RES/$name.rx_pps"
	log "$name: $(( $(irqs_of "$1") - irq0 )) interrupts for $n RX frames"
	# XDP_DROP: xdp-bench drop, counted at the receiver like RX
	xdp-bench drop -m "$(xdp_mode "$2")" "$DEV" > /dev/null 2>&1 &
	xpid=$!
	sleep 2
	peer_flood $n >> "$RES/$name.xdp_drop_pps"
	kill -INT $xpid
	wait $xpid || true
	# XDP_TX: xdp-bench tx bounces every frame back, counted at the peer
	xdp-bench tx -m "$(xdp_mode "$2")" -p swap-macs "$DEV" > /dev/null 2>&1 &
	xpid=$!
	sleep 2
	peer_rx0=$(rx_packets_peer)
	$PEER "$PKTGEN" "$NPA_PEER_IF" 10.99.0.1 "$MAC" $n > "$RES/pg" 2>&1
	sleep 0.5
	echo $(( ($(rx_packets_peer) - peer_rx0) * 1000000 / $(usec_of < "$RES/pg") )) >> "$RES/$name.xdp_tx_pps"
	kill -INT $xpid
	wait $xpid || true
	if [ "$tcp" = 1 ]; then
		# TCP: iperf3 to the peer, 4 s
		out=$(timeout 30 iperf3 -c 10.99.0.2 -t 4 -J 2>/dev/null | jq '.end.sum_received.bits_per_second / 1000000 | floor')
		echo "${out:-0}" >> "$RES/$name.tcp_mbps"
	fi
	down "$1" "$2"
	log "$name: tx $(tail -1 "$RES/$name.tx_pps") pps, tx_burst8 $(tail -1 "$RES/$name.tx_burst_pps") pps, rx $(tail -1 "$RES/$name.rx_pps") pps, xdp_drop $(tail -1 "$RES/$name.xdp_drop_pps") pps, xdp_tx $(tail -1 "$RES/$name.xdp_tx_pps") pps${out:+, tcp $out Mbit/s}"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# --- the host generator's rows (gen) ---------------------------------------------
GEN=$PROJ/selftests/gen-flood.sh
GEN_PPS=${NPA_GEN_PPS:-150000}	# offered: more than any receiver here takes
GEN_SETTLE=${NPA_GEN_SETTLE:-1}	# s of flood before the window opens
GEN_WINDOW=${NPA_GEN_WINDOW:-3}	# s the window lasts
# the plugins with as many RX descriptors as in-tree igbvf and vmxnet3
# have by default (ethtool -g); the plugins' own default is 256
GEN_RX_RING=${NPA_GEN_RX_RING:-1024}
# "N NS": both drivers' napi_defer_hard_irqs N and gro_flush_timeout NS
# (the kernel's NAPI deferral) for the gen rows; unset, the defaults (0 0)
GEN_DEFER=${NPA_GEN_DEFER:-}
# which functions the gen rows measure: "vf pv" (both), "vf" or "pv"
GEN_PORTS=" ${NPA_GEN_PORTS:-vf pv} "
GEN_ID=0

rx_now() { read -r "$1" < "/sys/class/net/$DEV/statistics/rx_packets"; }
# cpu_now: the guest's CPU time so far (/proc/stat, ticks): busy softirq idle
cpu_now() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $8, $5 + $6; exit }' /proc/stat; }
usecs() { local t=${1/./}; echo $((10#$t)); }

# gen_flood NAME: flood the function (DEV, MAC) from the host generator;
# appends to $RES/NAME the frames per second the receiver counted in a
# window of GEN_WINDOW s (guest time) that opens GEN_SETTLE s into the
# flood, and logs what the generator sent, what QEMU's socket dropped and
# what the receiver counted over the whole flood; sets GEN_BACK_PPS to the
# frames a second that came back to the generator over the whole flood
gen_flood() {
	local n0 n1 n2 n3 t1 t2 q1 q2 b1 b2 s1 s2 i1 i2 i id answer sent us why drops back bdrops cpu rate ticks
	id=$((GEN_ID += 1))
	rx_now n0
	$PEER "$GEN" start "$id" "$MAC" 10.99.0.1 100000000 "$GEN_PPS"
	for i in $(seq 100); do
		rx_now n1
		[ "$n1" -gt $((n0 + 100)) ] && break
		[ "$i" -lt 100 ] || { log "$1: no frame of flood $id arrived in 10 s"; $PEER "$GEN" stop "$id" >&2 || true; return 1; }
		sleep 0.1
	done
	sleep "$GEN_SETTLE"
	rx_now n1; t1=$EPOCHREALTIME; q1=$(irqs_of "$BDF"); read -r b1 s1 i1 < <(cpu_now)
	sleep "$GEN_WINDOW"
	rx_now n2; t2=$EPOCHREALTIME; q2=$(irqs_of "$BDF"); read -r b2 s2 i2 < <(cpu_now)
	answer=$($PEER "$GEN" stop "$id")
	sleep 0.5
	rx_now n3
	read -r _ _ sent us why drops back bdrops cpu <<< "$answer"
	[ "$why" = stop ] || { log "$1: flood $id ended by '$why' before the window closed ($answer)"; return 1; }
	GEN_BACK_PPS=$((back * 1000000 / us))
	rate=$(( (n2 - n1) * 1000000 / ($(usecs "$t2") - $(usecs "$t1")) ))
	echo "$rate" >> "$RES/$1"
	ticks=$(( b2 - b1 + i2 - i1 ))
	[ "$ticks" -gt 0 ] || ticks=1
	log "$1: in the window: $((q2 - q1)) interrupts ($(( (q2 - q1) * 1000 / (n2 - n1 + 1) )) per 1000 frames); guest CPUs busy $(( (b2 - b1) * 100 / ticks )) %, softirq $(( (s2 - s1) * 100 / ticks )) %"
	log "$1: $rate pps in the window; flood: $sent frames in $((us / 1000)) ms ($((sent * 1000000 / us)) pps), $drops dropped at QEMU's socket, $((sent - drops)) into the hub, $((n3 - n0)) counted by the receiver, $back back at the generator ($GEN_BACK_PPS pps; $bdrops dropped at its socket); host CPU % meanwhile: $cpu"
}

# measure_gen NAME BDF DRIVER [PLUGIN]: RX, XDP_DROP and XDP_TX under the
# host generator's flood; appends to $RES/NAME.gen_rx_pps,
# .gen_xdp_drop_pps, .gen_xdp_tx_pps (and the receiver's rate under XDP_TX
# to .gen_xdp_tx_rx_pps)
measure_gen() {
	local name=$1 xpid
	shift
	BDF=$1
	PLUGIN_SET="set rx_ring_size=$GEN_RX_RING" up "$@"
	log "$name: $DEV, $(ethtool -g "$DEV" 2>/dev/null | awk '/^Current/ { c = 1 } c && /^RX:/ { print "RX ring " $2; exit }')"
	$PEER ip neigh replace "$NPA_GEN_IP4" lladdr "$NPA_GEN_MAC" dev "$NPA_PEER_IF" nud permanent
	ip neigh replace "$NPA_GEN_IP4" lladdr "$NPA_GEN_MAC" dev "$DEV" nud permanent
	if [ -n "$GEN_DEFER" ]; then
		echo "${GEN_DEFER% *}" > "/sys/class/net/$DEV/napi_defer_hard_irqs"
		echo "${GEN_DEFER#* }" > "/sys/class/net/$DEV/gro_flush_timeout"
	fi
	gen_flood "$name.gen_rx_pps"
	xdp-bench drop -m "$(xdp_mode "$2")" "$DEV" > /dev/null 2>&1 &
	xpid=$!
	sleep 2
	gen_flood "$name.gen_xdp_drop_pps"
	kill -INT $xpid
	wait $xpid || true
	# XDP_TX: every frame back to the generator, counted there over the
	# whole flood (in-tree igbvf's counters lag by its 2 s watchdog)
	xdp-bench tx -m "$(xdp_mode "$2")" -p swap-macs "$DEV" > /dev/null 2>&1 &
	xpid=$!
	sleep 2
	gen_flood "$name.gen_xdp_tx_rx_pps"
	echo "$GEN_BACK_PPS" >> "$RES/$name.gen_xdp_tx_pps"
	kill -INT $xpid
	wait $xpid || true
	down "$1" "$2"
}

# pf_down / pf_up: the igb PF out of the way of a flood to the vmxnet3.
# QEMU's igb gives its default pool, the PF, every unicast frame on the hub
# that no pool's address matches: with the PF up, the flood to the vmxnet3
# also goes through the PF's stack, on the same two vCPUs (60 % of the busy
# one in a profile), and the PV rows measure how the vCPU is shared, not
# the driver. Frames to a VF's address go to that VF's pool only.
pf_down() { ip link set "$NPA_PF" down; }
pf_up() {
	ip link set "$NPA_PF" up
	wait_carrier "$NPA_PF" || { log "the PF $NPA_PF has no carrier 10 s after up"; return 1; }
}

# in_turn R A B: run the functions A (npa) and B (the in-tree driver) for
# round R, A first in odd rounds and B first in even ones: whatever the
# first leaves behind, or a round's drift, falls on each driver alike
in_turn() {
	if [ $(($1 % 2)) = 1 ]; then
		"$2"
		"$3"
	else
		"$3"
		"$2"
	fi
}

# one driver's part of a round, for in_turn
gen_vf_npa() { measure_gen vf_npa "$VF" npa igbvf; }
gen_vf_igbvf() { measure_gen vf_igbvf "$VF" igbvf; }
gen_pv_npa() { measure_gen pv_npa "$VMX" npa vmxnet3; }
gen_pv_vmxnet3() { measure_gen pv_vmxnet3 "$VMX" vmxnet3; }
# vf_measure DRIVER [PLUGIN]: a VF row, against a fresh iperf3 server
vf_measure() {
	$PEER pkill -x iperf3 || true
	$PEER iperf3 -s -D >/dev/null
	measure "vf_$1" 1 "$VF" "$@"
}
vf_npa() { vf_measure npa igbvf; }
vf_igbvf() { vf_measure igbvf; }
pv_npa() { measure pv_npa 0 "$VMX" npa vmxnet3; }
pv_vmxnet3() { measure pv_vmxnet3 0 "$VMX" vmxnet3; }

if has gen; then
	[ "${NPA_GEN:-}" = 1 ] || { log "gen rows: no generator (boot the guest with run.sh --gen)"; exit 1; }
	for r in $(seq "$ROUNDS"); do
		log "gen: round $r of $ROUNDS"
		if [[ $GEN_PORTS == *" vf "* ]]; then
			in_turn "$r" gen_vf_npa gen_vf_igbvf
		fi
		if [[ $GEN_PORTS == *" pv "* ]]; then
			pf_down
			in_turn "$r" gen_pv_npa gen_pv_vmxnet3
			pf_up
		fi
	done
	pci_bind "$VF" npa
	pci_bind "$VMX" npa
fi

# Rounds interleave, so drift on a shared machine hits both drivers alike
# (in_turn: npa first in odd rounds, the in-tree driver in even ones).
if has vf; then
	for r in $(seq "$ROUNDS"); do
		log "VF: round $r of $ROUNDS"
		in_turn "$r" vf_npa vf_igbvf
	done
	$PEER pkill -x iperf3 || true
	pci_bind "$VF" npa
fi
# The VF stays under npa without a plugin from here on, so without an
# interface: 10.99.0.1 is the vmxnet3's. npa and the in-tree vmxnet3
# rounds interleaved.
if has pv; then
	pf_down
	for r in $(seq "$ROUNDS"); do
		log "PV: round $r of $ROUNDS"
		in_turn "$r" pv_npa pv_vmxnet3
	done
	pf_up
	pci_bind "$VMX" npa
fi

if has vf; then
	echo "vf_tx_pps_64B pps $(median "$RES/vf_npa.tx_pps") $(median "$RES/vf_igbvf.tx_pps") igbvf"
	echo "vf_tx_pps_64B_burst8 pps $(median "$RES/vf_npa.tx_burst_pps") $(median "$RES/vf_igbvf.tx_burst_pps") igbvf"
	echo "vf_rx_pps_64B pps $(median "$RES/vf_npa.rx_pps") $(median "$RES/vf_igbvf.rx_pps") igbvf"
	echo "vf_xdp_drop_64B pps $(median "$RES/vf_npa.xdp_drop_pps") $(median "$RES/vf_igbvf.xdp_drop_pps") igbvf-generic"
	echo "vf_xdp_tx_64B pps $(median "$RES/vf_npa.xdp_tx_pps") $(median "$RES/vf_igbvf.xdp_tx_pps") igbvf-generic"
	echo "vf_tcp_tx Mbit/s $(median "$RES/vf_npa.tcp_mbps") $(median "$RES/vf_igbvf.tcp_mbps") igbvf"
fi
if has gen; then
	echo "vf_rx_pps_64B_gen pps $(median "$RES/vf_npa.gen_rx_pps") $(median "$RES/vf_igbvf.gen_rx_pps") igbvf"
	echo "vf_xdp_drop_64B_gen pps $(median "$RES/vf_npa.gen_xdp_drop_pps") $(median "$RES/vf_igbvf.gen_xdp_drop_pps") igbvf-generic"
	echo "pv_rx_pps_64B_gen pps $(median "$RES/pv_npa.gen_rx_pps") $(median "$RES/pv_vmxnet3.gen_rx_pps") vmxnet3"
	echo "pv_xdp_drop_64B_gen pps $(median "$RES/pv_npa.gen_xdp_drop_pps") $(median "$RES/pv_vmxnet3.gen_xdp_drop_pps") vmxnet3"
	echo "vf_xdp_tx_64B_gen pps $(median "$RES/vf_npa.gen_xdp_tx_pps") $(median "$RES/vf_igbvf.gen_xdp_tx_pps") igbvf-generic"
	echo "pv_xdp_tx_64B_gen pps $(median "$RES/pv_npa.gen_xdp_tx_pps") $(median "$RES/pv_vmxnet3.gen_xdp_tx_pps") vmxnet3"
fi
if has pv; then
	echo "pv_tx_pps_64B pps $(median "$RES/pv_npa.tx_pps") $(median "$RES/pv_vmxnet3.tx_pps") vmxnet3"
	echo "pv_tx_pps_64B_burst8 pps $(median "$RES/pv_npa.tx_burst_pps") $(median "$RES/pv_vmxnet3.tx_burst_pps") vmxnet3"
	echo "pv_rx_pps_64B pps $(median "$RES/pv_npa.rx_pps") $(median "$RES/pv_vmxnet3.rx_pps") vmxnet3"
	echo "pv_xdp_drop_64B pps $(median "$RES/pv_npa.xdp_drop_pps") $(median "$RES/pv_vmxnet3.xdp_drop_pps") vmxnet3"
	echo "pv_xdp_tx_64B pps $(median "$RES/pv_npa.xdp_tx_pps") $(median "$RES/pv_vmxnet3.xdp_tx_pps") vmxnet3"
fi

# plugin_load NAME BDF OBJ: one load and attach of OBJ on the port (it
# detaches again when plain_load exits); appends the verifier's share
# (bpf_object__load), the attach's (the link: the shim's attach and the
# plugin's probe) and their sum, in ms, to $RES/NAME.*
plugin_load() {
	local out load attach
	out=$("$PLAIN_LOAD" "$3" "$(port_of "$2")" --time)
	load=$(echo "$out" | awk '$1 == "time" {print $3}')
	attach=$(echo "$out" | awk '$1 == "time" {print $5}')
	if [ -z "$load" ] || [ -z "$attach" ]; then
		log "$1: no time from plain_load: $out"
		return 1
	fi
	ms "$load" >> "$RES/$1.verify_ms"
	ms "$attach" >> "$RES/$1.attach_ms"
	ms $((load + attach)) >> "$RES/$1.total_ms"
}

# driver_probe NAME BDF DRIVER: the in-tree DRIVER binds the function (its
# probe runs in the write to drivers_probe); appends that write's time in
# ms to $RES/NAME.probe_ms, then gives the function back to npa
driver_probe() {
	local t0 t1
	echo "$2" > /sys/bus/pci/drivers/npa/unbind
	echo "$3" > "/sys/bus/pci/devices/$2/driver_override"
	t0=$EPOCHREALTIME
	echo "$2" > /sys/bus/pci/drivers_probe
	t1=$EPOCHREALTIME
	[ -e "/sys/bus/pci/drivers/$3/$2" ] || { log "$1: $3 did not bind $2"; return 1; }
	ms $(( ${t1/./} - ${t0/./} )) >> "$RES/$1.probe_ms"
	pci_bind "$2" npa
}

ms() { awk -v us="$1" 'BEGIN { printf "%.1f\n", us / 1000 }'; }

if has load; then
	LOADS=${NPA_BENCH_LOADS:-20}
	modprobe igbvf
	modprobe vmxnet3
	for r in $(seq "$LOADS"); do
		plugin_load igbvf "$VF" "$PROJ/.output/bpf/igbvf.bpf.o"
		driver_probe igbvf "$VF" igbvf
		plugin_load vmxnet3 "$VMX" "$PROJ/.output/bpf/vmxnet3.bpf.o"
		driver_probe vmxnet3 "$VMX" vmxnet3
		log "load round $r of $LOADS: igbvf $(tail -1 "$RES/igbvf.verify_ms") + $(tail -1 "$RES/igbvf.attach_ms") ms (in-tree probe $(tail -1 "$RES/igbvf.probe_ms")), vmxnet3 $(tail -1 "$RES/vmxnet3.verify_ms") + $(tail -1 "$RES/vmxnet3.attach_ms") ms (in-tree probe $(tail -1 "$RES/vmxnet3.probe_ms"))"
	done
	for p in igbvf vmxnet3; do
		echo "plugin_load_attach_$p ms $(median "$RES/$p.total_ms") $(median "$RES/$p.probe_ms") $p lower"
		echo "plugin_verify_$p ms $(median "$RES/$p.verify_ms") - none lower"
		echo "plugin_attach_$p ms $(median "$RES/$p.attach_ms") - none lower"
	done
fi
rm -rf "$RES"
# Last: they take the VFs away and make them again
if has failover; then
	"$PROJ/selftests/bench-failover.sh"
fi
