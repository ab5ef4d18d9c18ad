#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-failover.sh: the failover rows of `make bench`, run in the test guest
# by bench.sh (or alone). One interface made of the vmxnet3 and VF 0 (which
# gets the vmxnet3's MAC through the PF, as a hypervisor sets a failover
# pair up) receives a steady pktgen stream from the peer while the VF goes
# away (the PF's sriov_numvfs to 0) and comes back, in interleaved rounds
# (NPA_BENCH_FAILOVER_ROUNDS, 5; the stream NPA_BENCH_FAILOVER_PPS, 5000)
# of:
#
#  - npa: vmxnet3.bpf on the vmxnet3 and igbvf.bpf on VF 0: one pair; then
#    `npactl plugin swap` of the VF's plugin under the same stream;
#  - bonding: an active-backup bond of in-tree igbvf on VF 0 (primary) and
#    in-tree vmxnet3 (fail_over_mac active, miimon 100).
#
# What reaches the interface is counted by selftests/progs/bench_seq.bpf.c
# at tcx ingress. Prints one line per metric: NAME UNIT NPA BASELINE DRIVER
# lower (medians; "-" for no baseline); every round on stderr ("bench: ").
# Leaves the VFs with the MACs guest-init.sh gave them, bound to npa
# without plugin, and the vmxnet3 bound to npa without plugin.
set -eu

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
# shellcheck disable=SC1091
. /run/npa-guest.env
# shellcheck source=selftests/lib.sh
. "$PROJ/selftests/lib.sh"
NPACTL=$PROJ/.output/tools/npactl
BPFTOOL=$PROJ/.output/bpftool/bpftool
SEQ_OBJ=$PROJ/.output/selftests/progs/bench_seq.bpf.o
PKTGEN=$PROJ/selftests/pktgen.sh
ROUNDS=${NPA_BENCH_FAILOVER_ROUNDS:-5}
# (pktgen busy-waits between frames under 100 us apart: at 20 kpps it took
# a vCPU of the two and sent 4-8 kpps; at 5 kpps it sleeps and keeps to it)
PPS=${NPA_BENCH_FAILOVER_PPS:-5000}
# RX descriptors of the npa plugins: in-tree vmxnet3's and igbvf's default
# (npa's plugins default to 256, which the PV port overflows whenever TCG
# gives the receiver no CPU for 13 ms; see BENCHMARKS.md)
RING="set rx_ring_size=1024"
VMX=$NPA_VMXNET3_BDF
VF0=$NPA_VF0_BDF
VF1=$NPA_VF1_BDF
MAC=$NPA_VMXNET3_MAC	# the pair's and the bond's
PF=/sys/bus/pci/devices/$NPA_PF_BDF
PCI=/sys/bus/pci/devices
PEER="ip netns exec $NPA_PEER_NS"
PIN=/sys/fs/bpf/npa-bench-seq
BOND=fo0 BVF=fovf BPV=fopv
RES=$(mktemp -d /tmp/npa-bench-fo.XXXXXX)

log() { echo "bench: $*" >&2; }
die() { log "error: $*"; exit 1; }

bind() { pci_bind "$@" || die "binding $1 to $2 failed"; }

port_of() { cat "$PCI/$1/npa/port_id"; }
netdev_of() { ls "$PCI/$1/net"; }

# vfs_add DRIVER: the VFs back (sriov_numvfs 2), VF 0 with the pair's MAC
# under DRIVER, VF 1 with its own under npa, as after guest-init.sh
vfs_add() {
	echo 2 > "$PF/sriov_numvfs"
	ip link set "$NPA_PF" vf 0 mac "$MAC"
	ip link set "$NPA_PF" vf 1 mac "$NPA_VF1_MAC"
	bind "$VF1" npa
	bind "$VF0" "$1"
}

# if_up DEV: addresses as bench.sh's up(), no IPv6, carrier within 10 s
if_up() {
	sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	ip addr add 10.99.0.1/24 dev "$1"
	ip link set "$1" up
	ip neigh replace 10.99.0.2 lladdr "$NPA_PEER_MAC" dev "$1" nud permanent
	wait_carrier "$1" || die "no carrier on $1"
}

# until_true TRIES CMD...: CMD succeeds within TRIES tenths of a second
until_true() {
	local n=$1
	shift
	for _ in $(seq "$n"); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# --- the stream and what reaches the interface ---------------------------------

pg_sofar() {
	$PEER cat "/proc/net/pktgen/$NPA_PEER_IF" 2>/dev/null |
		sed -n 's/.*pkts-sofar: \([0-9]*\).*/\1/p'
}
pg_flowing() { [ "$(pg_sofar)" -ge $((PPS / 2)) ] 2>/dev/null; }

# stream_start DEV: the counter on DEV, then pktgen from the peer to the
# pair's MAC at $PPS until stream_stop; returns once it has run for 1.5 s
stream_start() {
	rm -rf "$PIN"
	mkdir -p "$PIN"
	"$BPFTOOL" prog load "$SEQ_OBJ" "$PIN/prog" pinmaps "$PIN"
	"$BPFTOOL" net attach tcx_ingress pinned "$PIN/prog" dev "$1"
	SEQ_DEV=$1
	$PEER "$PKTGEN" "$NPA_PEER_IF" 10.99.0.1 "$MAC" 1000000000 $((1000000000 / PPS)) \
		> "$RES/pg" 2>&1 &
	PG_PID=$!
	until_true 200 pg_flowing || die "pktgen did not start"
	sleep 1
}

seqstat() { jq -r ".$1" "$RES/stats.json"; }

# stream_stop: pktgen stopped, the counter read (seqstat NAME) and detached;
# sets SENT, LOST, DUPS
stream_stop() {
	$PEER sh -c 'echo stop > /proc/net/pktgen/pgctrl'
	wait "$PG_PID" || { cat "$RES/pg" >&2; die pktgen; }
	sleep 1	# what QEMU and the receiver still hold
	"$BPFTOOL" net detach tcx_ingress dev "$SEQ_DEV"
	"$BPFTOOL" -j map dump pinned "$PIN/stats" |
		jq '.[0] | .formatted.value // .value' > "$RES/stats.json"
	"$BPFTOOL" -j map dump pinned "$PIN/seen" > "$RES/seen.json"
	rm -rf "$PIN"
	# "Result: OK: 3069953(c...+d...) usec, 61384 (60byte,0frags)"
	SENT=$(sed -n 's/^Result: OK: [0-9]*([^)]*) usec, \([0-9]*\) .*/\1/p' "$RES/pg")
	[ -n "$SENT" ] || { cat "$RES/pg" >&2; die "no pktgen result"; }
	[ "$(seqstat out_of_range)" = 0 ] || die "sequence numbers past the bitmap"
	LOST=$((SENT - $(seqstat distinct)))
	DUPS=$(($(seqstat frames) - $(seqstat distinct)))
	missing > "$RES/missing"
}

# missing: the sequence numbers (pktgen's start at 1) never seen, as ranges,
# placed relative to the first frame from the other port, in ms of stream
missing() {
	python3 - "$RES/seen.json" "$SENT" "$(seqstat switch_seq)" "$PPS" <<'EOF'
import json, sys
dump, sent, sw, pps = json.load(open(sys.argv[1])), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
words = {}
for e in dump:
    f = e.get("formatted", e)
    words[int(f["key"])] = int(f["value"])
runs, start = [], None
for s in range(1, sent + 1):
    if words.get(s // 64, 0) >> (s % 64) & 1:
        if start is not None:
            runs.append((start, s - 1))
            start = None
    elif start is None:
        start = s
if start is not None:
    runs.append((start, sent))
out = ["%d-%d (%d) at %+.1f ms" % (a, b, b - a + 1, (a - sw) * 1000.0 / pps) for a, b in runs[:8]]
if len(runs) > 8:
    out.append("and %d more" % (len(runs) - 8))
print("missing: " + (", ".join(out) if out else "none"))
EOF
}

# the stream's figures of a phase, for the log
describe() {
	echo "sent $SENT at $(grep -o '[0-9]*pps' "$RES/pg"), lost $LOST, twice $DUPS;" \
		"$(seqstat from_first) from NAPI $(seqstat first_napi), $(seqstat from_other) from NAPI $(seqstat other_napi)," \
		"first of those seq $(seqstat switch_seq) after $(seqstat switch_prev_seq); $(cat "$RES/missing")"
}

# TAI - REALTIME, ns (0 unless something set the kernel's TAI offset)
TAI_OFF=$(python3 -c 'import time; print(time.clock_gettime_ns(time.CLOCK_TAI) - time.time_ns())')
TAI_OFF=$(( (TAI_OFF + 500000) / 1000000 * 1000000 ))	# whole ms

ns_of() { echo $(( ${1%.*} * 1000000000 + 10#${1#*.} * 1000 )); }	# EPOCHREALTIME to ns
mark() { T0_NS=$(ns_of "$EPOCHREALTIME"); }

# remove_vfs: sriov_numvfs 0, the time right before the write in T0_NS
# (CLOCK_REALTIME, from bash's $EPOCHREALTIME; the file is open already)
remove_vfs() {
	local t
	exec 8> "$PF/sriov_numvfs"
	t=$EPOCHREALTIME
	echo 0 >&8
	exec 8>&-
	T0_NS=$(ns_of "$t")
}

# first_other_us: from T0_NS to the first frame from the other port, µs
first_other_us() {
	[ "$(seqstat from_other)" -gt 0 ] || { echo none; return 0; }
	echo $(( ($(seqstat switch_tai_ns) - TAI_OFF - T0_NS) / 1000 ))
}

# --- npa: the pair ---------------------------------------------------------------

npa_active() { [ "$(cat "/sys/class/net/$DEV/npa/active_port")" = "$(port_of "$1")" ]; }

npa_vf_join() {
	# shellcheck disable=SC2086
	"$NPACTL" plugin load igbvf port "$(port_of "$VF0")" $RING > /dev/null
	[ "$(cat "$PCI/$VF0/npa/ifname")" = "$DEV" ] || die "VF 0 did not join $DEV"
	until_true 100 npa_active "$VF0" || die "$DEV: traffic not on VF 0"
}

npa_round() {
	local r=$1 us
	bind "$VMX" npa
	# shellcheck disable=SC2086
	"$NPACTL" plugin load vmxnet3 port "$(port_of "$VMX")" $RING > /dev/null
	DEV=$(cat "$PCI/$VMX/npa/ifname")
	if_up "$DEV"
	ip link set "$NPA_PF" vf 0 mac "$MAC"
	npa_vf_join
	log "npa rings (VF 0): $(rings "$DEV")"

	stream_start "$DEV"
	remove_vfs
	until_true 100 npa_active "$VMX" || die "$DEV: traffic not on the PV port"
	sleep 1
	stream_stop
	us=$(first_other_us)
	[ "$us" != none ] || die "no frame through the other port"
	echo "$LOST" >> "$RES/npa.failover_lost"
	echo "$us" >> "$RES/npa.failover_us"
	log "npa failover $r: first frame through the PV port $us us after the removal; $(describe)"

	stream_start "$DEV"
	mark
	vfs_add npa
	npa_vf_join
	sleep 1
	stream_stop
	echo "$LOST" >> "$RES/npa.failback_lost"
	log "npa failback $r: first frame through VF 0 $(first_other_us) us after sriov_numvfs 2; $(describe)"

	stream_start "$DEV"
	mark
	# shellcheck disable=SC2086
	"$NPACTL" plugin swap igbvf port "$(port_of "$VF0")" $RING > /dev/null
	until_true 100 npa_active "$VF0" || die "$DEV: traffic not back on VF 0 after the swap"
	sleep 1
	stream_stop
	echo "$LOST" >> "$RES/npa.swap_lost"
	log "npa swap $r: first frame through the PV port $(first_other_us) us after the swap started; $(describe)"

	"$NPACTL" plugin unload port "$(port_of "$VF0")" > /dev/null
	ip addr flush dev "$DEV"
	ip link set "$DEV" down
	"$NPACTL" plugin unload port "$(port_of "$VMX")" > /dev/null
}

# --- bonding: active-backup of in-tree igbvf (primary) and vmxnet3 ----------------

bond_active() { [ "$(cat "/sys/class/net/$BOND/bonding/active_slave")" = "$1" ]; }

# bond_vf_enslave: in-tree igbvf's interface on VF 0 as $BVF, in the bond
bond_vf_enslave() {
	ip link set "$(netdev_of "$VF0")" name "$BVF"
	sysctl -qw "net.ipv6.conf.$BVF.disable_ipv6=1"
	ip link set "$BVF" master "$BOND"
}

bond_round() {
	local r=$1 us
	ip link set "$NPA_PF" vf 0 mac "$MAC"
	bind "$VF0" igbvf
	bind "$VMX" vmxnet3
	ip link set "$(netdev_of "$VMX")" name "$BPV"
	sysctl -qw "net.ipv6.conf.$BPV.disable_ipv6=1"
	ip link add "$BOND" type bond mode active-backup miimon 100 fail_over_mac active
	bond_vf_enslave
	ip link set "$BPV" master "$BOND"
	ip link set "$BOND" type bond primary "$BVF"
	if_up "$BOND"
	until_true 100 bond_active "$BVF" || die "$BOND: $BVF not active"
	log "bonding rings: $BVF $(rings "$BVF"), $BPV $(rings "$BPV")"

	stream_start "$BOND"
	remove_vfs
	until_true 100 bond_active "$BPV" || die "$BOND: $BPV not active"
	sleep 1
	stream_stop
	us=$(first_other_us)
	[ "$us" != none ] || die "no frame through the other port"
	echo "$LOST" >> "$RES/bond.failover_lost"
	echo "$us" >> "$RES/bond.failover_us"
	log "bonding failover $r: first frame through $BPV $us us after the removal; $(describe)"

	stream_start "$BOND"
	mark
	vfs_add igbvf
	bond_vf_enslave
	until_true 100 bond_active "$BVF" || die "$BOND: $BVF not active again"
	sleep 1
	stream_stop
	echo "$LOST" >> "$RES/bond.failback_lost"
	log "bonding failback $r: first frame through $BVF $(first_other_us) us after sriov_numvfs 2; $(describe)"

	ip link del "$BOND"
	bind "$VF0" npa
	bind "$VMX" npa
}

# rings DEV: RX and TX descriptors, from ethtool -g
rings() { ethtool -g "$1" | awk '/^Current/ { c = 1 } c && /^(RX|TX):/ { printf "%s%s %s", n++ ? ", " : "", $1, $2 }'; }

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
rounds() { paste -sd/ "$1" | sed 's|/| / |g'; }

mount | grep -q ' /sys/fs/bpf ' || mount -t bpf bpf /sys/fs/bpf
modprobe -a vmxnet3 igbvf
lsmod | grep -q '^bonding ' || modprobe bonding max_bonds=0
# nothing from the peer but the stream: no IPv6 (neighbour discovery, MLD)
$PEER sysctl -qw "net.ipv6.conf.$NPA_PEER_IF.disable_ipv6=1"
$PEER ip neigh replace 10.99.0.1 lladdr "$MAC" dev "$NPA_PEER_IF" nud permanent
log "failover: $PPS pps from the peer, $ROUNDS rounds"
for r in $(seq "$ROUNDS"); do
	npa_round "$r"
	bond_round "$r"
done
ip link set "$NPA_PF" vf 0 mac "$NPA_VF0_MAC"
log "left: VF 0 $(pci_driver "$VF0"), VF 1 $(pci_driver "$VF1"), vmxnet3 $(pci_driver "$VMX");" \
	"$(ip link show "$NPA_PF" | grep -o 'vf [01] .*link/ether [0-9a-f:]*' | sed 's/link\/ether //' | tr -s ' ' | paste -sd,)"
$PEER ip neigh del 10.99.0.1 dev "$NPA_PEER_IF"
$PEER sysctl -qw "net.ipv6.conf.$NPA_PEER_IF.disable_ipv6=0"
$PEER ip addr add "$NPA_PEER_IP6/64" dev "$NPA_PEER_IF" nodad

for m in failover_lost failover_us failback_lost swap_lost; do
	if [ -f "$RES/bond.$m" ]; then
		log "$m per round: npa $(rounds "$RES/npa.$m"), bonding $(rounds "$RES/bond.$m")"
	else
		log "$m per round: npa $(rounds "$RES/npa.$m")"
	fi
done
echo "pair_failover_lost frames $(median "$RES/npa.failover_lost") $(median "$RES/bond.failover_lost") bonding lower"
echo "pair_failover_pv_rx_us us $(median "$RES/npa.failover_us") $(median "$RES/bond.failover_us") bonding lower"
echo "pair_failback_lost frames $(median "$RES/npa.failback_lost") $(median "$RES/bond.failback_lost") bonding lower"
echo "pair_swap_lost frames $(median "$RES/npa.swap_lost") - none lower"
rm -rf "$RES"
