#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# guest-init.sh - set the test guest's devices up; runs as root inside the
# guest (in the chroot into the host's root) before the test command.
#
#  - igb PF: driver igb, up in the root netns without an address (and
#    answering no ARP for the namespace's addresses), two VFs
#    (8086:10ca) created with sriov_drivers_autoprobe=0, so no driver binds
#    them; VF MACs set through the PF, each its own (the pair tests give
#    a VF vmxnet3's MAC, as a hypervisor sets a failover pair up);
#  - virtio-net peer: driver virtio_net, moved to netns "peer", up, with
#    10.99.0.2/24 and fd00:99::2/64;
#  - if $NPA_KO names an existing file: insmod it, bind every VF to it with
#    driver_override + drivers_probe, check vmxnet3 is bound to it (bind it
#    the same way if not);
#  - facts for the tests go to /run/npa-guest.env (sourced before the
#    command runs, see the end of this file).
# Another kernel than the stock one (run.sh --kernel, the debug kernel) has
# igb and virtio_net built in and no /lib/modules/RELEASE in the host's
# root: $NPA_VM_MODULES (run.sh --modules) is its modules_install tree,
# mounted there so that modprobe works (built-in modules included).
# Any failure stops here with a message on stderr and a non-zero status.
set -euo pipefail
if [ -n "${NPA_VM_TRACE:-}" ]; then	# run.sh -e NPA_VM_TRACE=1
	PS4='+ ${EPOCHREALTIME} guest-init.sh:${LINENO}: '
	set -x
fi
trap 'echo "guest-init.sh: line $LINENO: \"$BASH_COMMAND\" failed (status $?)" >&2' ERR

ENV_FILE=/run/npa-guest.env
PCI=/sys/bus/pci/devices
VMXNET3_MAC=52:54:00:12:34:56	# run.sh gives vmxnet3 this one
VF0_MAC=52:54:00:12:34:5a
VF1_MAC=52:54:00:12:34:58
NUM_VFS=2
PEER_NS=peer
PEER_IP4=10.99.0.2/24
PEER_IP6=fd00:99::2/64

die() { echo "guest-init.sh: error: $*" >&2; exit 1; }
# shellcheck source=selftests/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# pci_find VENDOR:DEVICE...: BDFs of the matching functions, in bus order
pci_find() {
	local d v p want
	for d in "$PCI"/*; do
		read -r v < "$d/vendor"
		read -r p < "$d/device"
		for want in "$@"; do
			[ "${v#0x}:${p#0x}" = "$want" ] && echo "${d##*/}"
		done
	done
	return 0
}

# wait_for PATH-GLOB [TRIES]: wait (0.1 s steps) until the glob matches
wait_for() {
	local i tries=${2:-50} m
	for ((i = 0; i < tries; i++)); do
		for m in $1; do [ -e "$m" ] && return 0; done
		sleep 0.1
	done
	die "timed out waiting for $1"
}

# netdev_of BDF: the interface name of a PCI function (virtio: one level down)
netdev_of() {
	local bdf=$1 n
	wait_for "$PCI/$bdf/net/* $PCI/$bdf/virtio*/net/*"
	for n in "$PCI/$bdf"/net/* "$PCI/$bdf"/virtio*/net/*; do
		[ -e "$n" ] && { echo "${n##*/}"; return 0; }
	done
	die "no netdev under $bdf"
}

# bind BDF DRIVER: pci_bind (selftests/lib.sh), or stop here
bind() { pci_bind "$1" "$2" || die "binding $1 to $2 failed"; }

# --- another kernel's modules -------------------------------------------------
if [ -n "${NPA_VM_MODULES:-}" ]; then
	rel=$(uname -r)
	[ -f "$NPA_VM_MODULES/modules.builtin" ] ||
		die "NPA_VM_MODULES=$NPA_VM_MODULES has no modules.builtin (modules_install tree?)"
	if [ ! -d "/lib/modules/$rel" ]; then
		# the host's root is read-only: a tmpfs over /lib/modules
		mount -t tmpfs -o mode=0755 tmpfs /lib/modules
		mkdir "/lib/modules/$rel"
		mount --bind "$NPA_VM_MODULES" "/lib/modules/$rel"
	fi
fi

# load_drivers BUS/DRIVER...: modprobe (once) the drivers not registered
# yet; a built-in one is, and needs no modprobe
load_drivers() {
	local d todo=()
	for d in "$@"; do
		[ -d "/sys/bus/${d%%/*}/drivers/${d#*/}" ] || todo+=("${d#*/}")
	done
	[ ${#todo[@]} -eq 0 ] || modprobe -a "${todo[@]}"
}

# --- igb PF and its VFs -----------------------------------------------------
mapfile -t pf_bdfs < <(pci_find 8086:10c9)
[ ${#pf_bdfs[@]} -eq 1 ] || die "expected one igb PF (8086:10c9), found ${#pf_bdfs[@]}"
PF_BDF=${pf_bdfs[0]}
# Nothing on the hub answers IPv6 router solicitations, and their retries
# (for minutes) would land in the tests' exact packet counts: none, on
# every interface created from now on (a new namespace starts from the
# kernel's defaults: the peer's interface gets it again below).
sysctl -qw net.ipv6.conf.default.router_solicitations=0
# igb first: the PF is eth0, the peer eth1 (no udev renames them)
load_drivers pci/igb virtio/virtio_net
PF=$(netdev_of "$PF_BDF")
# The PF has no address, but the root namespace has the tests' (on npa
# interfaces): with arp_ignore 0 the PF answers the peer's ARP for them
# too, and the peer, keeping the last answer, may send to the PF instead
# of the port under test (the frames still reach the stack, on eth0).
sysctl -qw "net.ipv4.conf.$PF.arp_ignore=1"
# No IPv6 on the PF, so its multicast list holds at most IPv4's all-hosts
# group and never grows while VFs reset. igb rebuilds the list from its
# interrupt handler on every VF reset without the address lock, sized by
# one read of the count and filled by a second: when IPv6 added its groups
# in between (carrier came up as SR-IOV was being enabled), the debug
# kernel's KASAN reported igb_update_mc_addr_list reading past the copy.
sysctl -qw "net.ipv6.conf.$PF.disable_ipv6=1"
# The PF must be up before the VFs exist, else the VFs get no carrier.
ip link set dev "$PF" up
echo 0 > "$PCI/$PF_BDF/sriov_drivers_autoprobe"
echo "$NUM_VFS" > "$PCI/$PF_BDF/sriov_numvfs"
VF_BDFS=()
for ((i = 0; i < NUM_VFS; i++)); do
	wait_for "$PCI/$PF_BDF/virtfn$i"
	VF_BDFS+=("$(basename "$(readlink "$PCI/$PF_BDF/virtfn$i")")")
done
mapfile -t all_vfs < <(pci_find 8086:10ca)
[ "${all_vfs[*]}" = "${VF_BDFS[*]}" ] ||
	die "VFs of $PF_BDF: ${VF_BDFS[*]}; functions 8086:10ca: ${all_vfs[*]}"
for bdf in "${VF_BDFS[@]}"; do
	[ ! -e "$PCI/$bdf/driver" ] ||
		die "VF $bdf got bound to $(pci_driver "$bdf") despite sriov_drivers_autoprobe=0"
done

# --- vmxnet3 ------------------------------------------------------------------
mapfile -t vmx < <(pci_find 15ad:07b0)
[ ${#vmx[@]} -eq 1 ] || die "expected one vmxnet3 (15ad:07b0), found ${#vmx[@]}"
VMXNET3_BDF=${vmx[0]}

# --- virtio-net peer in netns "peer" ------------------------------------------
mapfile -t peer < <(pci_find 1af4:1000 1af4:1041)
[ ${#peer[@]} -eq 1 ] || die "expected one virtio-net (1af4:1000/1041), found ${#peer[@]}"
PEER_BDF=${peer[0]}
PEER_IF=$(netdev_of "$PEER_BDF")
read -r PEER_MAC < "/sys/class/net/$PEER_IF/address"

# One ip process per namespace (each exec costs ~0.1 s under TCG); ip -batch
# stops at the first failing line and names it.
ip -batch - <<EOF
link set dev $PF vf 0 mac $VF0_MAC
link set dev $PF vf 1 mac $VF1_MAC
netns add $PEER_NS
link set dev $PEER_IF netns $PEER_NS
EOF
ip -n "$PEER_NS" -batch - <<EOF
link set dev lo up
EOF
ip netns exec "$PEER_NS" sysctl -qw "net.ipv6.conf.$PEER_IF.router_solicitations=0"
ip -n "$PEER_NS" -batch - <<EOF
link set dev $PEER_IF up
addr add $PEER_IP4 dev $PEER_IF
addr add $PEER_IP6 dev $PEER_IF nodad
EOF

# --- npa.ko -------------------------------------------------------------------
NPA_DRIVER=
if [ -n "${NPA_KO:-}" ]; then
	if [ -f "$NPA_KO" ]; then
		insmod "$NPA_KO"
		mod=$(modinfo -F name "$NPA_KO")
		mod=${mod:-$(basename "$NPA_KO" .ko)}
		# the PCI driver's name, as registered by the module
		for d in /sys/module/"$mod"/drivers/pci:*; do
			[ -e "$d" ] && NPA_DRIVER=${d##*/pci:}
		done
		[ -n "$NPA_DRIVER" ] || die "$NPA_KO (module $mod) registered no PCI driver"
		for bdf in "${VF_BDFS[@]}"; do
			bind "$bdf" "$NPA_DRIVER"
		done
		# vmxnet3 is in the module's id table: it should be bound already
		cur=$(pci_driver "$VMXNET3_BDF")
		if [ "$cur" != "$NPA_DRIVER" ]; then
			echo "guest-init.sh: vmxnet3 $VMXNET3_BDF not bound to $NPA_DRIVER by its id table (bound: ${cur:-nothing}); binding it" >&2
			bind "$VMXNET3_BDF" "$NPA_DRIVER"
		fi
	else
		echo "guest-init.sh: NPA_KO=$NPA_KO does not exist; npa not loaded" >&2
	fi
fi

# --- facts for the tests --------------------------------------------------------
{
	echo "# written by selftests/vm/guest-init.sh; sourced before the test command"
	v() { printf '%s=%q\n' "$1" "$2"; }
	v NPA_PF "$PF"
	v NPA_PF_BDF "$PF_BDF"
	v NPA_VF_BDFS "${VF_BDFS[*]}"
	for ((i = 0; i < NUM_VFS; i++)); do v "NPA_VF${i}_BDF" "${VF_BDFS[$i]}"; done
	v NPA_VF0_MAC "$VF0_MAC"
	v NPA_VF1_MAC "$VF1_MAC"
	v NPA_VMXNET3_BDF "$VMXNET3_BDF"
	v NPA_VMXNET3_MAC "$VMXNET3_MAC"
	v NPA_PEER_NS "$PEER_NS"
	v NPA_PEER_IF "$PEER_IF"
	v NPA_PEER_BDF "$PEER_BDF"
	v NPA_PEER_MAC "$PEER_MAC"
	v NPA_PEER_IP4 "${PEER_IP4%/*}"
	v NPA_PEER_IP6 "${PEER_IP6%/*}"
	v NPA_KO "${NPA_KO:-}"
	v NPA_DRIVER "$NPA_DRIVER"
} > "$ENV_FILE"
