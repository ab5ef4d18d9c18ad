# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# lib.sh - helpers the scripts that run in the test guest share: binding a
# PCI function to a driver, its interrupts, an interface's carrier.
# Sourced, not run; needs nothing but bash and sysfs.

# pci_driver BDF: the name of the driver bound to BDF, empty if none
pci_driver() {
	local l
	l=$(readlink "/sys/bus/pci/devices/$1/driver" 2>/dev/null) || return 0
	echo "${l##*/}"
}

# pci_bind BDF DRIVER: bind BDF to DRIVER (unbound from its driver first)
# with driver_override and drivers_probe; 1, with a message on stderr, if
# it did not take. Nothing to do if DRIVER has it already.
pci_bind() {
	local bdf=$1 drv=$2 cur
	cur=$(pci_driver "$bdf")
	[ "$cur" = "$drv" ] && return 0
	[ -z "$cur" ] || echo "$bdf" > "/sys/bus/pci/devices/$bdf/driver/unbind"
	echo "$drv" > "/sys/bus/pci/devices/$bdf/driver_override"
	if ! echo "$bdf" > /sys/bus/pci/drivers_probe; then
		echo "${0##*/}: drivers_probe of $bdf with driver_override=$drv failed" >&2
		return 1
	fi
	cur=$(pci_driver "$bdf")
	[ "$cur" = "$drv" ] && return 0
	echo "${0##*/}: $bdf is bound to '${cur:-nothing}', not $drv" >&2
	return 1
}

# irqs_of BDF: interrupts taken so far on all MSI-X vectors of BDF, all
# CPUs (0 for a vector no longer in /proc/interrupts)
irqs_of() {
	local irq sum=0
	for irq in "/sys/bus/pci/devices/$1/msi_irqs"/*; do
		[ -e "$irq" ] || continue
		irq=${irq##*/}
		sum=$((sum + $(awk -v i="$irq:" '$1 == i { for (c = 2; c <= NF && $c ~ /^[0-9]+$/; c++) s += $c } END { print s + 0 }' /proc/interrupts)))
	done
	echo $sum
}

# wait_carrier IF: up to 10 s for IF's carrier; 1 if it never came
wait_carrier() {
	local _
	for _ in $(seq 100); do
		[ "$(cat "/sys/class/net/$1/carrier" 2>/dev/null)" = 1 ] && return 0
		sleep 0.1
	done
	return 1
}
