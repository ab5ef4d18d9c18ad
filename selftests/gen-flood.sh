#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gen-flood.sh: drive the traffic generator outside the guest (run.sh
# --gen, selftests/trafgen.c) from inside the guest, over the hub. Run it
# in a namespace whose interface is on the hub (the peer's), with
# NPA_GEN_IP4 and NPA_GEN_PORT in the environment (run.sh --gen sets them).
#
#   gen-flood.sh start ID DST_MAC DST_IP MAX PPS
#       the generator floods DST_MAC (60-byte UDP frames to DST_IP port 9),
#       PPS a second, until stopped, MAX frames or 120 s
#   gen-flood.sh stop ID
#       stops it; prints its answer "done ID SENT USEC WHY DROPS BACK
#       BACK_DROPS CPU" (frames sent, microseconds, why it ended, frames
#       QEMU's socket dropped, frames of the flood that came back to the
#       generator and frames its own socket dropped, the host's and QEMU's
#       threads' CPU time: see selftests/trafgen.c)
#
# A command is one UDP datagram; the answer to stop comes back on the same
# socket. No answer within 5 s: the stop is sent again, three times in
# all, then it fails.
set -eu
: "${NPA_GEN_IP4:?not set: run the guest with run.sh --gen}" "${NPA_GEN_PORT:?}"
ctl=/dev/udp/$NPA_GEN_IP4/$NPA_GEN_PORT

case ${1:-} in
start)
	[ $# -eq 6 ] || { echo "usage: gen-flood.sh start ID DST_MAC DST_IP MAX PPS" >&2; exit 2; }
	printf 'start %s %s %s %s %s\n' "$2" "$3" "$4" "$5" "$6" > "$ctl"
	;;
stop)
	[ $# -eq 2 ] || { echo "usage: gen-flood.sh stop ID" >&2; exit 2; }
	for _ in 1 2 3; do
		exec 3<>"$ctl"
		printf 'stop %s\n' "$2" >&3
		# one datagram: "done ...\n", padded with zeros to 60 bytes
		line=$(timeout 5 head -n 1 <&3 | tr -d '\0') || true
		exec 3>&-
		case $line in
		"done $2 "*) echo "$line"; exit 0 ;;
		?*) echo "gen-flood.sh: the generator answered '$line'" >&2; exit 1 ;;
		esac
	done
	echo "gen-flood.sh: no answer from the generator at $NPA_GEN_IP4:$NPA_GEN_PORT" >&2
	exit 1
	;;
*)
	echo "usage: gen-flood.sh start ID DST_MAC DST_IP MAX PPS | stop ID" >&2
	exit 2
	;;
esac
