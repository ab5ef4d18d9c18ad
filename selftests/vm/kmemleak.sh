#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kmemleak.sh - the debug kernel's leak check, in the test guest (make
# check-debug runs it around the tests):
#
#   kmemleak.sh forget [FILE] scan, then forget what is unreferenced now
#                             (the boot's own objects are not the tests'),
#                             after writing it to FILE if given
#   kmemleak.sh report FILE   scan twice, a pause between (an object must
#                             stay unreferenced), write what kmemleak
#                             reports to FILE; exit 1 if that is not empty
#
# Each scan that finds something says "kmemleak: N new suspected memory
# leaks" in the kernel log: run.sh's console scan lets that line pass, the
# report is what counts.
set -u

KMEMLEAK=/sys/kernel/debug/kmemleak
PAUSE=${KMEMLEAK_PAUSE:-10}

die() { echo "kmemleak.sh: error: $*" >&2; exit 2; }

[ -w "$KMEMLEAK" ] || die "no $KMEMLEAK (a kernel without CONFIG_DEBUG_KMEMLEAK, or kmemleak is off)"

scan() {
	echo scan > "$KMEMLEAK" || die "scan failed (kmemleak disabled itself? see the kernel log)"
}

case ${1:-} in
forget)
	[ $# -le 2 ] || die "usage: kmemleak.sh forget [FILE]"
	scan
	[ $# -lt 2 ] || cat "$KMEMLEAK" > "$2" || die "reading $KMEMLEAK failed"
	echo clear > "$KMEMLEAK" || die "clear failed"
	;;
report)
	[ $# -eq 2 ] || die "usage: kmemleak.sh report FILE"
	t0=$(date +%s)
	scan
	sleep "$PAUSE"
	scan
	cat "$KMEMLEAK" > "$2" || die "reading $KMEMLEAK failed"
	n=$(grep -c '^unreferenced object' "$2")
	# (not the word kmemleak: the console scan would take it for a report)
	echo "leak scan: $n unreferenced objects ($(( $(date +%s) - t0 )) s)" >&2
	[ "$n" = 0 ] && [ ! -s "$2" ]
	;;
*)
	die "usage: kmemleak.sh forget [FILE] | report FILE"
	;;
esac
