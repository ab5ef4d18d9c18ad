#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh - build the debug test guest's kernel (make check-debug):
# linux-source-6.12 (Debian's tarball), x86_64 defconfig with
# selftests/vm/debug.config merged over it (KASAN, lockdep, kmemleak, fault
# injection, DMA-API debugging, module BTF; what the guest needs built in).
#
#   debug-kernel.sh            build unless up to date; print nothing else then
#   debug-kernel.sh --release  print the kernel release (after building)
#
# Everything goes under .output/debug-kernel/ (OUT):
#   src/                 the extracted source (only this script writes there)
#   build/               the build tree (make O=...): bzImage, vmlinux with
#                        BTF, what an out-of-tree module builds against
#   build/.npa-key       what build/ was made from (see key below)
#   modules/lib/modules/RELEASE/   modules_install: the few modules
#                        (in-tree baselines), modules.builtin for modprobe
# Cached: a second run with the same fragment, source package, compiler and
# pahole does nothing. Environment: LINUX_SOURCE_TAR (default
# /usr/src/linux-source-6.12.tar.xz), JOBS (default: nproc), NICE (default 19).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
proj=$(cd "$here/../.." && pwd -P)
TAR=${LINUX_SOURCE_TAR:-/usr/src/linux-source-6.12.tar.xz}
JOBS=${JOBS:-$(nproc)}
NICE=${NICE:-19}
FRAGMENT=$here/debug.config
OUT=$proj/.output/debug-kernel
SRC=$OUT/src
BUILD=$OUT/build
MODS=$OUT/modules
# Bump when the recipe below changes in a way the key does not see.
RECIPE=1

die() { echo "debug-kernel.sh: error: $*" >&2; exit 1; }
say() { echo "  DEBUGK  $*" >&2; }

print_release=0
case ${1:-} in
'') ;;
--release) print_release=1 ;;
-h|--help) sed -n '3,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
*) die "unknown argument '$1' (see --help)" ;;
esac

[ -r "$TAR" ] || die "$TAR missing: install linux-source-6.12 (make deps)"
[ -r "$FRAGMENT" ] || die "$FRAGMENT missing"
for t in make gcc flex bison bc pahole xz depmod; do
	command -v "$t" >/dev/null || die "$t missing (make deps)"
done
[ -r /usr/include/openssl/ssl.h ] || die "OpenSSL headers missing: install libssl-dev (make deps)"
[ -r /usr/include/libelf.h ] || die "libelf headers missing: install libelf-dev (make deps)"

# What the build depends on: the fragment, the source package, the tools.
src_id=$(stat -L -c '%s %Y' "$TAR")
src_id+=" $(dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null || echo unknown)"
key=$(
	{
		echo "recipe $RECIPE"
		echo "source $src_id"
		gcc --version | head -1
		pahole --version
		cat "$FRAGMENT"
	} | sha256sum | cut -d' ' -f1
)

mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9

release() { cat "$BUILD/include/config/kernel.release"; }

if [ -f "$BUILD/arch/x86/boot/bzImage" ] && [ "$(cat "$BUILD/.npa-key" 2>/dev/null)" = "$key" ]; then
	[ $print_release = 0 ] || release
	exit 0
fi

t0=$(date +%s)
# The source: extracted again when the package changed.
if [ "$(cat "$SRC/.npa-source" 2>/dev/null)" != "$src_id" ]; then
	say "extracting $TAR"
	rm -rf "$SRC" "$SRC.tmp" "$BUILD"
	mkdir -p "$SRC.tmp"
	nice -n "$NICE" tar -xJf "$TAR" -C "$SRC.tmp" --strip-components=1 ||
		die "extracting $TAR failed"
	echo "$src_id" > "$SRC.tmp/.npa-source"
	mv "$SRC.tmp" "$SRC"
fi

kmake() { nice -n "$NICE" make -s -C "$SRC" O="$BUILD" ARCH=x86_64 "$@"; }

say "configuring ($BUILD/.config)"
mkdir -p "$BUILD"
rm -f "$BUILD/.npa-key"
kmake x86_64_defconfig > /dev/null
(cd "$BUILD" && "$SRC/scripts/kconfig/merge_config.sh" -m -O "$BUILD" "$BUILD/.config" "$FRAGMENT") \
	> "$BUILD/merge_config.log" 2>&1 || { cat "$BUILD/merge_config.log" >&2; die "merge_config.sh failed"; }
kmake olddefconfig > /dev/null

# Every line of the fragment must have survived Kconfig's dependencies.
bad=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF -- "$line" "$BUILD/.config" || bad+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$BUILD/.config" || echo absent))") ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -qE "^$opt=[ym]" "$BUILD/.config" || bad+=("$line (got: $(grep -E "^$opt=" "$BUILD/.config"))") ;;
	esac
done < "$FRAGMENT"
if [ ${#bad[@]} -gt 0 ]; then
	printf '  %s\n' "${bad[@]}" >&2
	die "$FRAGMENT: these settings did not survive olddefconfig (a dependency is missing?)"
fi

say "building with $JOBS jobs, nice $NICE (the first build takes long)"
kmake -j"$JOBS" bzImage modules > "$BUILD/build.log" 2>&1 ||
	{ tail -40 "$BUILD/build.log" >&2; die "the kernel build failed (log: $BUILD/build.log)"; }
rm -rf "$MODS"
kmake INSTALL_MOD_PATH="$MODS" modules_install > "$BUILD/modules_install.log" 2>&1 ||
	{ tail -20 "$BUILD/modules_install.log" >&2; die "modules_install failed"; }
# the build and source links would point into the host's build tree
rm -f "$MODS/lib/modules/$(release)/build" "$MODS/lib/modules/$(release)/source"
echo "$key" > "$BUILD/.npa-key"
say "built $BUILD/arch/x86/boot/bzImage ($(release)) in $(( $(date +%s) - t0 )) s"
[ $print_release = 0 ] || release
