#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run.sh - boot npa's QEMU (TCG) test guest and run one command in it.
# See usage() below, and README.md next to this file.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
proj=$(cd "$here/../.." && pwd -P)
KVER=${KVER:-6.12.117+deb12-amd64}
QEMU=${QEMU:-qemu-system-x86_64}
outdir=$proj/.output/vm
KEEP_LOGS=20
SCAN='BUG:|WARNING:|Oops|Kernel panic|kmemleak|general protection|Call Trace|detected stall|DMAR: \[DMA|DMAR: DRHD: handling fault|vtd_.*(fault|failure|error)|detected translation failure'
# the debug kernel's reports (most also start with BUG: or WARNING:)
SCAN+='|BUG: KASAN|WARNING: possible|inconsistent lock state|possible recursive locking|suspicious RCU usage|DMA-API|sleeping function called from invalid context'
# what the debug kernel says at every boot: no problem; and a kmemleak scan's
# count, which includes the boot's objects (make check-debug judges the
# report of selftests/vm/kmemleak.sh instead)
SCAN_IGNORE='kmemleak: Kernel memory leak detector initialized|DMA-API: preallocated [0-9]+ debug entries|DMA-API: debugging enabled by kernel config'
SCAN_IGNORE+='|kmemleak: [0-9]+ new suspected memory leaks'

usage() {
	cat <<EOF
Usage: selftests/vm/run.sh [OPTIONS] [--] CMD [ARG...]
       selftests/vm/run.sh [OPTIONS] --interactive

Boot the test guest (QEMU TCG, kernel $KVER or --kernel's, the host's /
read-only over 9p, the project directory writable at its own path), run
guest-init.sh, then
CMD (as root, in the host's cwd if the guest sees it, else in the project
directory, with the facts of /run/npa-guest.env in its environment).

Options:
  -i, --interactive   a shell on the serial console instead of CMD (Ctrl-A x
                      kills QEMU); the exit status is the shell's
  -t, --timeout SECS  kill QEMU after SECS seconds (default 600; 0 = none;
                      none by default with --interactive)
  -k, --ko PATH       exported as NPA_KO in the guest: guest-init.sh insmods
                      it and binds the VFs and vmxnet3 to it, if it exists
  -e, --env NAME=VAL  export NAME=VAL to guest-init.sh and CMD (repeatable)
  -q, --quiet         do not stream the console to stdout (log file only)
      --mttcg         one host thread per vCPU (default: both vCPUs on one
                      thread: QEMU 10.0's multi-threaded TCG sometimes aborts
                      ("iotlb_to_section: Assertion ... failed") or hangs)
      --iommu         add an emulated Intel IOMMU (intel_iommu=on)
      --kernel PATH   boot this kernel image instead of /boot/vmlinuz-\$KVER;
                      it must have virtio-pci, 9p and the devices' drivers
                      built in (the debug kernel, debug-kernel.sh)
      --modules DIR   that kernel's /lib/modules/RELEASE (modules_install):
                      guest-init.sh mounts it there, for modprobe
      --append ARGS   extra kernel command-line arguments
      --qemu ARG      extra QEMU argument (repeatable)
      --gen           a traffic generator outside the guest on the hub
                      (.output/selftests/trafgen, through a QEMU dgram
                      netdev); its address is in the guest's environment
                      (NPA_GEN_*), selftests/gen-flood.sh drives it
  -h, --help          this text

Exit status: CMD's status; 1 if the console or the kernel log shows a
kernel problem ($SCAN);
guest-init.sh's status if it failed (CMD is not run then); 124 on timeout;
125 if the guest stopped without a status (panic, crash); 2 on usage errors.
The console is logged to .output/vm/console-<UTC time>-<pid>.log (the last
$KEEP_LOGS are kept). Environment: KVER, QEMU.
EOF
}

die() { echo "run.sh: error: $*" >&2; exit 2; }

interactive=0 quiet=0 timeout='' ko='' iommu=0 gen=0 append='' accel=tcg,thread=single
kernel='' modules=''
envs=() qemu_extra=()
while [ $# -gt 0 ]; do
	case $1 in
	-i|--interactive) interactive=1 ;;
	-t|--timeout) [ $# -ge 2 ] || die "$1 needs a value"; timeout=$2; shift ;;
	--timeout=*) timeout=${1#*=} ;;
	-k|--ko) [ $# -ge 2 ] || die "$1 needs a value"; ko=$2; shift ;;
	--ko=*) ko=${1#*=} ;;
	-e|--env) [ $# -ge 2 ] || die "$1 needs a value"; envs+=("$2"); shift ;;
	--env=*) envs+=("${1#*=}") ;;
	-q|--quiet) quiet=1 ;;
	--iommu) iommu=1 ;;
	--kernel) [ $# -ge 2 ] || die "$1 needs a value"; kernel=$2; shift ;;
	--kernel=*) kernel=${1#*=} ;;
	--modules) [ $# -ge 2 ] || die "$1 needs a value"; modules=$2; shift ;;
	--modules=*) modules=${1#*=} ;;
	--gen) gen=1 ;;
	--mttcg) accel=tcg,thread=multi ;;
	--append) [ $# -ge 2 ] || die "$1 needs a value"; append+=" $2"; shift ;;
	--qemu) [ $# -ge 2 ] || die "$1 needs a value"; qemu_extra+=("$2"); shift ;;
	-h|--help) usage; exit 0 ;;
	--) shift; break ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
	shift
done

if [ $interactive = 1 ]; then
	[ $# -eq 0 ] || die "--interactive takes no command"
	timeout=${timeout:-0}
else
	[ $# -gt 0 ] || die "no command given (see --help)"
	timeout=${timeout:-600}
fi
[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout wants whole seconds, not '$timeout'"
for e in "${envs[@]}"; do
	[[ $e =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env wants NAME=VALUE, not '$e'"
done
case $proj in
*[[:space:],]*) die "the project path '$proj' contains white space or a comma" ;;
esac

if [ -z "$kernel" ]; then
	kernel=/boot/vmlinuz-$KVER
	[ -r "$kernel" ] || die "$kernel missing: install linux-image-$KVER (make deps)"
else
	[ -r "$kernel" ] || die "--kernel $kernel: no such file"
fi
[ -z "$modules" ] || [ -d "$modules" ] || die "--modules $modules: no such directory"
command -v "$QEMU" >/dev/null || die "$QEMU missing: install qemu-system-x86 (make deps)"

mkdir -p "$outdir"
stamp=$(date -u +%Y%m%dT%H%M%SZ)-$$
log=$outdir/console-$stamp.log
res=$outdir/run-$stamp
if [ "$kernel" = "/boot/vmlinuz-$KVER" ]; then
	initrd=$outdir/initramfs-$KVER.cpio.gz ninep_builtin=0
else
	# (--kernel: the 9p modules are built in, the initramfs has none)
	initrd=$outdir/initramfs-builtin.cpio.gz ninep_builtin=1
fi

# Build the initramfs unless it is up to date; one builder at a time.
(
	flock 9
	KVER=$KVER NINEP_BUILTIN=$ninep_builtin "$here/mkinitramfs.sh" "$initrd"
) 9>"$outdir/.initramfs.lock" || die "building the initramfs failed"

mkdir "$res"
keep_res=0 gen_pid=''
# shellcheck disable=SC2317 # called by the trap
cleanup() {
	[ -z "$gen_pid" ] || { kill "$gen_pid" 2>/dev/null; wait "$gen_pid" 2>/dev/null; } || true
	[ "$keep_res" = 1 ] || rm -rf "$res"
}
trap cleanup EXIT

# The traffic generator: it binds its UDP socket on 127.0.0.1, picks a
# free port for QEMU's and writes both to $res/gen.ports.
if [ $gen = 1 ]; then
	trafgen=$proj/.output/selftests/trafgen
	[ -x "$trafgen" ] || die "$trafgen missing: make it first (make all)"
	"$trafgen" "$res/gen.ports" &
	gen_pid=$!
	for _ in $(seq 50); do
		[ -s "$res/gen.ports" ] && break
		kill -0 "$gen_pid" 2>/dev/null || die "trafgen exited"
		sleep 0.1
	done
	read -r gen_port qemu_port < "$res/gen.ports" || die "trafgen wrote no ports"
	# shellcheck disable=SC2054 # commas are QEMU's
	qemu_extra+=(
		-netdev "dgram,id=gen,local.type=inet,local.host=127.0.0.1,local.port=$qemu_port,remote.type=inet,remote.host=127.0.0.1,remote.port=$gen_port"
		-netdev hubport,id=hgen,hubid=0,netdev=gen
	)
	envs+=(NPA_GEN=1 NPA_GEN_IP4=10.99.0.3 NPA_GEN_MAC=52:54:00:12:34:ee NPA_GEN_PORT=9999)
fi

# Where the guest sees a host path: everything of the host's / except what
# the guest hides under its own mounts; the project dir is always visible.
guest_visible() {
	case $1 in
	"$proj"|"$proj"/*) return 0 ;;
	/tmp|/tmp/*|/run|/run/*|/var/tmp|/var/tmp/*|/proc/*|/sys/*|/dev/*) return 1 ;;
	esac
	return 0
}

if [ -n "$modules" ]; then
	modules=$(cd "$modules" && pwd -P)
	guest_visible "$modules" || die "--modules $modules: the guest cannot see it (put it in the project directory)"
fi
if [ -n "$ko" ]; then
	case $ko in /*) ;; *) ko=$PWD/$ko ;; esac
	[ -f "$ko" ] || echo "run.sh: note: $ko does not exist; the guest runs without it" >&2
	if [ -f "$ko" ] && ! guest_visible "$ko"; then
		cp "$ko" "$res/$(basename "$ko")"
		ko=/run/npa-vm/$(basename "$ko")
	fi
fi

# Environment of guest-init.sh and the command
{
	printf 'export %s=%q\n' NPA_VM 1 NPA_PROJ "$proj" NPA_RESULTS /run/npa-vm
	[ -z "$ko" ] || printf 'export NPA_KO=%q\n' "$ko"
	[ -z "$modules" ] || printf 'export NPA_VM_MODULES=%q\n' "$modules"
	if [ $interactive = 1 ]; then
		printf 'export TERM=%q\n' "${TERM:-linux}"
	else
		printf 'export TERM=dumb NO_COLOR=1\n'
	fi
	for e in "${envs[@]}"; do
		printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"
	done
} > "$res/env"

# The command, sourced by bash in the guest
# shellcheck disable=SC2016 # expanded in the guest
{
	if guest_visible "$PWD"; then
		printf 'cd -- %q 2>/dev/null || cd -- "$NPA_PROJ"\n' "$PWD"
	else
		printf 'cd -- "$NPA_PROJ"\n'
	fi
	if [ $interactive = 1 ]; then
		size=$(stty size 2>/dev/null || true)
		case $size in
		0\ *|*\ 0|'') ;;
		*) printf 'stty rows %d cols %d </dev/ttyS0\n' "${size% *}" "${size#* }" ;;
		esac
		cat > "$res/bashrc" <<-'EOF'
		[ -r /etc/bash.bashrc ] && . /etc/bash.bashrc
		PS1='npa-vm:\w\$ '
		echo "npa test guest: facts in /run/npa-guest.env; 'exit [N]' powers off"
		EOF
		printf 'exec setsid -c -w /bin/bash --rcfile /run/npa-vm/bashrc -i </dev/ttyS0 >/dev/ttyS0 2>&1\n'
	else
		printf 'exec'
		printf ' %q' "$@"
		printf ' </dev/null\n'
	fi
} > "$res/cmd"

cmdline="console=ttyS0 panic=-1 oops=panic quiet npa_proj=$proj"
[ $iommu = 0 ] || cmdline+=" intel_iommu=on"
cmdline+=$append

fs9p() { # fs9p ID PATH TAG [OPTIONS]: a virtio-9p share
	echo "-fsdev local,id=$1,path=$2,security_model=none,multidevs=remap${4:+,$4}"
	echo "-device virtio-9p-pci,fsdev=$1,mount_tag=$3"
}

# shellcheck disable=SC2054 # commas are QEMU's
args=(
	-M q35 -accel "$accel" -cpu max -m 2G -smp 2
	-nodefaults -display none -no-reboot
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04
	-pidfile "$res/qemu.pid"
	# named threads ("ALL CPUs/TCG", ...): the generator's CPU report
	-name npa,debug-threads=on
)
[ $iommu = 0 ] || args+=(-device intel-iommu)
# shellcheck disable=SC2207,SC2054 # no white space in these words (checked above)
args+=(
	$(fs9p fsroot / hostroot readonly=on)
	$(fs9p fsproj "$proj" project)
	$(fs9p fsres "$res" results)
	# every NIC on hub 0, nothing else on it
	-netdev hubport,id=h0,hubid=0
	-device vmxnet3,netdev=h0,mac=52:54:00:12:34:56
	-device pcie-root-port,id=rp0,slot=1
	-netdev hubport,id=h1,hubid=0
	-device igb,bus=rp0,netdev=h1,mac=52:54:00:12:34:57
	-netdev hubport,id=h2,hubid=0
	-device virtio-net-pci,netdev=h2,mac=52:54:00:12:34:99,romfile=
)
# shellcheck disable=SC2054
if [ $interactive = 1 ]; then
	[ -t 0 ] || echo "run.sh: warning: stdin is not a terminal" >&2
	args+=(-chardev "stdio,id=con,mux=on,signal=off,logfile=$log"
	       -serial chardev:con -mon chardev=con,mode=readline)
elif [ $quiet = 1 ]; then
	args+=(-chardev "file,id=con,path=$log" -serial chardev:con)
else
	args+=(-chardev "stdio,id=con,logfile=$log" -serial chardev:con)
fi
args+=("${qemu_extra[@]}")

t0=$EPOCHREALTIME
set +e
# (the hub is meant to have no host side: drop QEMU's warning about it)
if [ $interactive = 1 ]; then
	timeout --foreground -k 10 "$timeout" "$QEMU" "${args[@]}" \
		2> >(grep -v 'hub 0 is not connected to host network' >&2)
else
	timeout --foreground -k 10 "$timeout" "$QEMU" "${args[@]}" </dev/null 2> "$log.qemu"
fi
qrc=$?
set -e
if [ -f "$log.qemu" ]; then
	grep -v 'hub 0 is not connected to host network' "$log.qemu" >&2 || true
	# the device models' DMA faults (vIOMMU) count as kernel problems
	grep -E 'vtd_.*(fault|failure|error)|detected translation failure' "$log.qemu" >> "$log" || true
	rm -f "$log.qemu"
fi
secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')
[ -f "$log" ] || : > "$log"

fail() { # fail STATUS MESSAGE...
	echo "run.sh: FAIL: ${*:2}" >&2
	echo "run.sh: console log: $log" >&2
	keep_res=1
	[ ! -d "$res" ] || echo "run.sh: guest results: $res" >&2
	rotate
	exit "$1"
}

rotate() { # keep the newest $KEEP_LOGS logs and result directories
	local f
	for pat in 'console-*.log' 'run-*'; do
		# names start with a UTC time stamp: name order is age order
		find "$outdir" -maxdepth 1 -name "$pat" -printf '%f\n' | LC_ALL=C sort -r |
			tail -n +$((KEEP_LOGS + 1)) | while read -r f; do
				[ "$outdir/$f" = "$res" ] || rm -rf "${outdir:?}/$f"
			done
	done
}

# Kernel problems: on the console, or in the guest's kernel log
splats=$(cat "$log" "$res/dmesg" 2>/dev/null | tr -d '\r' | grep -E "$SCAN" |
	grep -Ev "$SCAN_IGNORE" | awk '!seen[$0]++' | head -n 40 || true)

if [ ! -f "$res/rc" ]; then
	case $qrc in
	124|137)
		[ -z "$splats" ] || printf '%s\n' "$splats" >&2
		fail 124 "timeout: no result after ${timeout}s (guest hung or too slow)" ;;
	esac
	[ -z "$splats" ] || printf '%s\n' "$splats" >&2
	fail 125 "the guest stopped without a result (QEMU status $qrc; kernel panic or crash?)"
fi
rc=$(<"$res/rc")
stage=$(cat "$res/stage" 2>/dev/null || echo '?')
[[ $rc =~ ^[0-9]+$ ]] || fail 125 "bad status '$rc' in $res/rc"
if [ -n "$splats" ]; then
	printf '%s\n' "$splats" >&2
	fail 1 "kernel problems in the console or kernel log (status of $stage: $rc)"
fi
case $stage in
init) fail "$rc" "the guest's /init failed (status $rc)" ;;
guest-init) fail "$rc" "guest-init.sh failed (status $rc)" ;;
esac
rotate
if [ "$rc" != 0 ]; then
	echo "run.sh: command exited with status $rc (${secs}s); console log: $log" >&2
elif [ $quiet = 0 ]; then
	echo "run.sh: ok (${secs}s); console log: $log" >&2
fi
exit "$rc"
