#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of npa's test guest (busybox sh, PID 1). Built into the initramfs by
# mkinitramfs.sh; run.sh boots it. It:
#  1. loads the 9p modules and mounts three virtio-9p shares:
#       hostroot  the host's "/", read-only, at /newroot
#       results   run.sh's per-run directory (rw), at /results
#       project   the project directory (rw), at its own path in /newroot
#  2. prepares /newroot (proc, sys, dev, debugfs, tracefs, bpffs, cgroup2,
#     tmpfs on /tmp /run /var/tmp) and chroots into it to run, with bash,
#     $NPA_PROJ/selftests/vm/guest-init.sh and then the command that run.sh
#     wrote to results/cmd;
#  3. writes the exit status to results/rc (results/stage says which step
#     it belongs to: guest-init or command), the kernel log to
#     results/dmesg, syncs and leaves QEMU through isa-debug-exit (port 0xf4),
#     or poweroff -f if that device is missing.
# Kernel command line: npa_proj=DIR (the project directory, required).

export PATH=/bin
R=/newroot
OPTS=trans=virtio,version=9p2000.L,msize=524288
ROOT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

say() { echo "npa-init: $*"; }

# Leave QEMU: the status byte goes to isa-debug-exit (QEMU exits with
# (byte << 1) | 1); run.sh reads the real status from results/rc.
leave() {
	sync
	# shellcheck disable=SC2059 # an octal escape made on purpose
	printf "\\$(printf %03o $(($1 & 0x7f)))" |
		dd of=/dev/port bs=1 seek=244 count=1 2>/dev/null
	poweroff -f
	sleep 10
}

fatal() {
	echo "npa-init: FATAL: $*" >&2
	if [ -d /results ] && mountpoint -q /results; then
		echo init > /results/stage
		echo 125 > /results/rc
	fi
	leave 125
}

mnt() { # mnt TYPE SRC DIR [OPTIONS]
	mkdir -p "$3" 2>/dev/null
	mount -t "$1" ${4:+-o "$4"} "$2" "$3" || fatal "mount -t $1 $2 $3 failed"
}

mnt proc proc /proc
mnt sysfs sysfs /sys
mnt devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1

PROJ=''
for w in $(cat /proc/cmdline); do
	case $w in
	npa_proj=*) PROJ=${w#npa_proj=} ;;
	esac
done
[ -n "$PROJ" ] || fatal "no npa_proj= on the kernel command line"

for m in $(cat /lib/npa-vm/load-order); do
	insmod "/lib/npa-vm/$m.ko" || fatal "insmod $m failed"
done

mnt 9p hostroot $R ro,$OPTS,cache=loose
mnt 9p results /results $OPTS

mnt proc proc $R/proc
mnt sysfs sysfs $R/sys
mnt devtmpfs devtmpfs $R/dev
mnt devpts devpts $R/dev/pts gid=5,mode=620,ptmxmode=666
# what udev would add: bash's <(...) needs /dev/fd
ln -sf /proc/self/fd $R/dev/fd
ln -sf /proc/self/fd/0 $R/dev/stdin
ln -sf /proc/self/fd/1 $R/dev/stdout
ln -sf /proc/self/fd/2 $R/dev/stderr
mnt tmpfs tmpfs $R/dev/shm mode=1777
mnt debugfs debugfs $R/sys/kernel/debug
mnt tracefs tracefs $R/sys/kernel/tracing
mnt bpf bpf $R/sys/fs/bpf mode=0700
mnt cgroup2 cgroup2 $R/sys/fs/cgroup
mnt tmpfs tmpfs $R/tmp mode=1777
mnt tmpfs tmpfs $R/run mode=0755
mnt tmpfs tmpfs $R/var/tmp mode=1777
mkdir -p $R/run/npa-vm
mount -o bind /results $R/run/npa-vm || fatal "bind mount of results failed"
# The project share goes on top of everything, at its own path: it stays
# visible (and writable) even when it lives under /tmp.
mnt 9p project "$R$PROJ" $OPTS

# request_module() from the kernel: use the host's modprobe (see npa-modprobe)
echo /bin/npa-modprobe > /proc/sys/kernel/modprobe
# Show kernel messages up to KERN_INFO on the console from now on (the boot
# itself is "quiet"); results/dmesg has everything anyway.
echo 7 > /proc/sys/kernel/printk

in_root() { # in_root SCRIPT: run bash SCRIPT in the host root, clean env
	chroot $R /usr/bin/env -i PATH=$ROOT_PATH HOME=/root TERM=linux \
		NPA_PROJ="$PROJ" /bin/bash --noprofile --norc -c "$1"
}

echo guest-init > /results/stage
# shellcheck disable=SC2016 # expanded in the chroot
in_root 'set -a; . /run/npa-vm/env; set +a
	exec /bin/bash "$NPA_PROJ/selftests/vm/guest-init.sh"'
rc=$?
if [ $rc -eq 0 ]; then
	echo command > /results/stage
	# shellcheck disable=SC2016
	in_root 'set -a; . /run/npa-vm/env; . /run/npa-guest.env; set +a
		. /run/npa-vm/cmd'
	rc=$?
else
	say "guest-init.sh failed with status $rc; command not run" >&2
fi
echo $rc > /results/rc
dmesg > /results/dmesg 2>&1
leave $rc
