#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks, run in the test guest by `make bench`: the same igb VF
# driven by npa + igbvf.bpf and by the in-tree igbvf driver, one after the
# other, ROUNDS rounds each, same traffic against the peer namespace.
# Prints one line per metric: NAME UNIT NPA BASELINE (medians).
set -eu

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck disable=SC1091
. /run/npa-guest.env
NPACTL=$PROJ/.output/tools/npactl
PKTGEN=$PROJ/selftests/pktgen.sh
ROUNDS=${NPA_BENCH_ROUNDS:-3}
VF=$NPA_VF0_BDF
PEER="ip netns exec $NPA_PEER_NS"
RES=$(mktemp -d /tmp/npa-bench.XXXXXX)

log() { echo "bench: $*" >&2; }

bind() { # bind DRIVER: rebind the VF
	local cur
	cur=$(basename "$(readlink "/sys/bus/pci/devices/$VF/driver" 2>/dev/null)" 2>/dev/null || true)
	[ -n "$cur" ] && echo "$VF" > "/sys/bus/pci/drivers/$cur/unbind"
	echo "$1" > "/sys/bus/pci/devices/$VF/driver_override"
	echo "$VF" > /sys/bus/pci/drivers_probe
}

up() { # up npa|igbvf: the VF under that driver, configured; sets DEV
	if [ "$1" = npa ]; then
		bind npa
		"$NPACTL" plugin load igbvf port "$(cat "/sys/bus/pci/devices/$VF/npa/port_id")" >/dev/null
	else
		modprobe igbvf
		bind igbvf
	fi
	DEV=$(ls "/sys/bus/pci/devices/$VF/net")
	sysctl -qw "net.ipv6.conf.$DEV.disable_ipv6=1"
	ip addr add 10.99.0.1/24 dev "$DEV"
	ip link set "$DEV" up
	ip neigh replace 10.99.0.2 lladdr "$NPA_PEER_MAC" dev "$DEV" nud permanent
	for _ in $(seq 100); do
		[ "$(cat "/sys/class/net/$DEV/carrier" 2>/dev/null)" = 1 ] && break
		sleep 0.1
	done
	sleep 1
}

down() { # down npa|igbvf
	ip addr flush dev "$DEV"
	ip link set "$DEV" down
	[ "$1" = npa ] && "$NPACTL" plugin unload port "$(cat "/sys/bus/pci/devices/$VF/npa/port_id")" >/dev/null
	return 0
}

# interrupts taken so far on all of the VF's MSI-X vectors
vf_irqs() {
	local irq sum=0
	for irq in $(ls "/sys/bus/pci/devices/$VF/msi_irqs"); do
		sum=$((sum + $(awk -v i="$irq:" '$1 == i { s = 0; for (c = 2; c <= NF && $c ~ /^[0-9]+$/; c++) s += $c; print s }' /proc/interrupts)))
	done
	echo $sum
}

xdp_mode() { [ "$1" = npa ] && echo native || echo skb; }

pps_of() { grep -o '[0-9]*pps' | tr -d 'pps'; }
usec_of() { sed -n 's/^Result: OK: \([0-9]*\)(.*/\1/p'; }
rx_packets() { "$@" ip -j -s link show "$DEV" | jq '.[0].stats64.rx.packets'; }

measure() { # measure DRIVER: append this round's figures to $RES/DRIVER.*
	local d=$1 out rx0 usec irq0 n=20000
	up "$d"
	# TX: pktgen on the VF, 64-byte frames
	irq0=$(vf_irqs)
	"$PKTGEN" "$DEV" 10.99.0.2 "$NPA_PEER_MAC" $n > "$RES/pg" 2>&1
	pps_of < "$RES/pg" >> "$RES/$d.tx_pps"
	log "$d: $(( $(vf_irqs) - irq0 )) interrupts for $n TX packets"
	# RX: pktgen on the peer as fast as it goes, counted at the VF
	rx0=$(rx_packets)
	irq0=$(vf_irqs)
	$PEER "$PKTGEN" "$NPA_PEER_IF" 10.99.0.1 "$NPA_VF0_MAC" $n > "$RES/pg" 2>&1
	sleep 0.5
	usec=$(usec_of < "$RES/pg")
	echo $(( ($(rx_packets) - rx0) * 1000000 / usec )) >> "$RES/$d.rx_pps"
	log "$d: $(( $(vf_irqs) - irq0 )) interrupts for $(( $(rx_packets) - rx0 )) RX packets"
	# XDP_DROP: xdp-bench drop, native on npa, generic (skb) on igbvf,
	# which has no native XDP; counted at the VF like RX
	xdp-bench drop -m "$(xdp_mode "$d")" "$DEV" > /dev/null 2>&1 &
	local xpid=$!
	sleep 2
	rx0=$(rx_packets)
	$PEER "$PKTGEN" "$NPA_PEER_IF" 10.99.0.1 "$NPA_VF0_MAC" $n > "$RES/pg" 2>&1
	sleep 0.5
	usec=$(usec_of < "$RES/pg")
	echo $(( ($(rx_packets) - rx0) * 1000000 / usec )) >> "$RES/$d.xdp_drop_pps"
	kill -INT $xpid
	wait $xpid || true
	# TCP: iperf3 to the peer, 4 s
	out=$(timeout 30 iperf3 -c 10.99.0.2 -t 4 -J 2>/dev/null | jq '.end.sum_received.bits_per_second / 1000000 | floor')
	echo "${out:-0}" >> "$RES/$d.tcp_mbps"
	down "$d"
	log "$d: tx $(tail -1 "$RES/$d.tx_pps") pps, rx $(tail -1 "$RES/$d.rx_pps") pps, xdp_drop $(tail -1 "$RES/$d.xdp_drop_pps") pps, tcp $(tail -1 "$RES/$d.tcp_mbps") Mbit/s"
}

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

$PEER iperf3 -s -D -1 >/dev/null 2>&1 || true
$PEER ip neigh replace 10.99.0.1 lladdr "$NPA_VF0_MAC" dev "$NPA_PEER_IF" nud permanent
# Rounds interleave, so drift on a shared machine hits both drivers alike.
for r in $(seq "$ROUNDS"); do
	for d in npa igbvf; do
		log "$d: round $r of $ROUNDS"
		$PEER pkill -x iperf3 || true
		$PEER iperf3 -s -D >/dev/null
		measure "$d"
	done
done
$PEER pkill -x iperf3 || true
bind npa

echo "vf_tx_pps_64B pps $(median "$RES/npa.tx_pps") $(median "$RES/igbvf.tx_pps")"
echo "vf_rx_pps_64B pps $(median "$RES/npa.rx_pps") $(median "$RES/igbvf.rx_pps")"
echo "vf_xdp_drop_64B pps $(median "$RES/npa.xdp_drop_pps") $(median "$RES/igbvf.xdp_drop_pps")"
echo "vf_tcp_tx Mbit/s $(median "$RES/npa.tcp_mbps") $(median "$RES/igbvf.tcp_mbps")"
rm -rf "$RES"
