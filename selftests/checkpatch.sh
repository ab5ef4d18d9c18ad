#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own style checks on shim/ and include/, with the scripts of
# linux-source-6.12 (extracted once under .output/checkpatch/):
#   checkpatch.sh               checkpatch.pl --strict, no finding allowed
#   checkpatch.sh --kernel-doc  kernel-doc -Wall, no warning allowed
set -eu

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$PROJ"
TAR=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.12.tar.xz}
DIR=.output/checkpatch
PREFIX=linux-source-6.12

if [ ! -e "$DIR/.done" ] || [ "$TAR" -nt "$DIR/.done" ]; then
	rm -rf "$DIR" && mkdir -p "$DIR"
	tar -xf "$TAR" -C "$DIR" --strip-components=1 \
		"$PREFIX/scripts/checkpatch.pl" "$PREFIX/scripts/spelling.txt" \
		"$PREFIX/scripts/const_structs.checkpatch" "$PREFIX/scripts/kernel-doc"
	touch "$DIR/.done"
fi

files=$(ls shim/*.c shim/*.h include/*.h)
if [ "${1:-}" = --kernel-doc ]; then
	out=$(perl "$DIR/scripts/kernel-doc" -none -Wall $files 2>&1)
	[ -z "$out" ] && exit 0
	echo "$out"
	exit 1
fi
# shellcheck disable=SC2086
out=$(perl "$DIR/scripts/checkpatch.pl" --strict --no-tree --terse -f $files 2>&1 |
	grep -E 'ERROR|WARNING|CHECK') || true
[ -z "$out" ] && exit 0
echo "$out"
exit 1
