#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh OUT - build the test guest's initramfs (a gzip'ed newc cpio).
#
# Contents: a static busybox with its applets as symlinks in /bin, the 9p
# modules of the guest kernel (netfs 9pnet 9pnet_virtio 9p, decompressed so
# busybox insmod can load them), /init (initramfs-init.sh) and the kernel's
# modprobe helper (/bin/npa-modprobe, which runs modprobe in the host root).
#
# Cached: OUT.key records what OUT was built from (these scripts, KVER, the
# busybox binary, the module files); when nothing changed OUT is left alone.
# Environment: KVER (default 6.12.117+deb12-amd64), BUSYBOX (default
# /bin/busybox, must be static), NINEP_BUILTIN=1 for a kernel with virtio-pci
# and 9p built in (the debug kernel): no modules then, KVER is not used.
set -euo pipefail

die() { echo "mkinitramfs.sh: error: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: mkinitramfs.sh OUT.cpio.gz"
out=$1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
KVER=${KVER:-6.12.117+deb12-amd64}
BUSYBOX=${BUSYBOX:-/bin/busybox}
MODULES=(netfs 9pnet 9pnet_virtio 9p)
if [ "${NINEP_BUILTIN:-0}" = 1 ]; then
	MODULES=()
	KVER=builtin
fi
init_src=$here/initramfs-init.sh

[ ${#MODULES[@]} -eq 0 ] || [ -d "/lib/modules/$KVER" ] ||
	die "/lib/modules/$KVER missing (install linux-image-$KVER)"
[ -x "$BUSYBOX" ] || die "$BUSYBOX missing (install busybox-static)"
[ -f "$init_src" ] || die "$init_src missing"
if command -v file >/dev/null &&
   LC_ALL=C file -L "$BUSYBOX" 2>/dev/null | grep -q 'dynamically linked'; then
	die "$BUSYBOX is dynamically linked; install busybox-static"
fi

mod_paths=()
for m in "${MODULES[@]}"; do
	p=$(modinfo -k "$KVER" -n "$m" 2>/dev/null) ||
		die "module $m not found for kernel $KVER"
	mod_paths+=("$p")
done

# The cache key: content of our inputs, identity (size, mtime) of the big ones.
key=$(
	{
		echo "kver $KVER"
		cat "${BASH_SOURCE[0]}" "$init_src" | sha256sum
		stat -L -c '%n %s %Y' "$BUSYBOX" "${mod_paths[@]}"
	} | sha256sum | cut -d' ' -f1
)
if [ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ]; then
	exit 0
fi

mkdir -p "$(dirname "$out")"
tmp=$(mktemp -d "$(dirname "$out")/.initramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
mkdir -p "$root"/{bin,dev,proc,sys,newroot,results,lib/npa-vm}

cp "$BUSYBOX" "$root/bin/busybox"
for applet in $("$BUSYBOX" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done

for i in "${!MODULES[@]}"; do
	src=${mod_paths[$i]}
	dst=$root/lib/npa-vm/${MODULES[$i]}.ko
	case $src in
	*.ko.xz)  xz -dc "$src" > "$dst" ;;
	*.ko.zst) zstd -qdc "$src" > "$dst" ;;
	*.ko.gz)  gzip -dc "$src" > "$dst" ;;
	*.ko)     cp "$src" "$dst" ;;
	*)        die "unknown module format: $src" ;;
	esac
done
printf '%s\n' "${MODULES[@]}" | grep -v '^$' > "$root/lib/npa-vm/load-order" || true

install -m 0755 "$init_src" "$root/init"

# The kernel runs this for request_module() (e.g. "ip link add type veth").
# Kernel helpers see the initramfs as "/", so run the host's modprobe in the
# host root, where /lib/modules/$KVER is.
cat > "$root/bin/npa-modprobe" <<'EOF'
#!/bin/sh
exec /bin/chroot /newroot /sbin/modprobe "$@"
EOF
chmod 0755 "$root/bin/npa-modprobe"

# Reproducible archive: sorted names, root owner, fixed mtime.
find "$root" -exec touch -h -d @0 {} +
(cd "$root" && find . -mindepth 1 -print | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) | gzip -n -6 > "$tmp/initramfs.cpio.gz"
mv -f "$tmp/initramfs.cpio.gz" "$out"
echo "$key" > "$out.key"
