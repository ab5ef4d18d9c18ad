#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pktgen.sh DEV DST_IP DST_MAC COUNT [DELAY_NS [UDP_PORT]]: send COUNT
# 60-byte UDP frames (64 on the wire) to UDP_PORT (9) of DST_IP out of DEV,
# from the network namespace it runs in, and wait until they are sent.
# Prints pktgen's result. PKT_SIZE sets another frame size, FRAGS the page
# fragments each frame's payload is split into (0: all in the linear part),
# BURST the frames handed to the driver at a time, all but the last with
# xmit_more (1; a burst cut short by a full ring can make pktgen send a
# few more than COUNT: its result says how many).
set -eu
dev=$1 ip=$2 mac=$3 count=$4 delay=${5:-0} port=${6:-9}
size=${PKT_SIZE:-60} frags=${FRAGS:-0} burst=${BURST:-1}
modprobe pktgen
pg() { echo "$2" > "/proc/net/pktgen/$1"; }
thread=kpktgend_0
pg "$thread" rem_device_all
pg "$thread" "add_device $dev"
pg "$dev" "count $count"
pg "$dev" "pkt_size $size"
pg "$dev" "frags $frags"
pg "$dev" "delay $delay"
pg "$dev" "burst $burst"
pg "$dev" "dst $ip"
pg "$dev" "dst_mac $mac"
pg "$dev" "udp_dst_min $port"
pg "$dev" "udp_dst_max $port"
pg pgctrl start
grep -q "Result: OK" "/proc/net/pktgen/$dev" || { cat "/proc/net/pktgen/$dev" >&2; exit 1; }
# e.g. "Result: OK: 1220093(c1219974+d119) usec, 20000 (60byte,0frags)" and
# "  16392pps 7Mb/sec (7868160bps) errors: 0"
grep -A1 "Result: OK" "/proc/net/pktgen/$dev"
pg "$thread" rem_device_all
