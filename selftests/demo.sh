#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: runs in the test guest with npa.ko loaded. Shows the ports the
# shim bound, loads the plugin of each device (verified by the kernel), and
# shows what each plugin read from its device.
set -eu
PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
NPACTL=$PROJ/.output/tools/npactl

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

echo
echo "npa demo: one shim (npa.ko), one verified BPF plugin per device."
step lsmod | grep -E '^(Module|npa)' || true
step "$NPACTL" port list
step "$NPACTL" plugin load vmxnet3
step "$NPACTL" plugin load igbvf
step "$NPACTL" plugin load igbvf
step "$NPACTL" port list
for p in $(cat /sys/bus/pci/drivers/npa/0000:*/npa/port_id); do
	step "$NPACTL" port show "$p"
done
step "$NPACTL" plugin list
step ip -br link show
step "$PROJ/.output/bpftool/bpftool" struct_ops list
echo
echo "Kernel log of the shim:"
dmesg | grep ' npa ' | sed 's/^/  /'
echo
echo "The registers behind those facts were read through the shim's kfuncs;"
echo "the MACs are the ones QEMU and the igb PF gave each function."
