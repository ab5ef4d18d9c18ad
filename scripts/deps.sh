#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install everything npa's build, tests and benchmarks need, from Debian's
# registry only. Idempotent: when every package is present it does nothing.
set -euo pipefail

KVER=${KVER:?KVER must be set (see Makefile)}

BACKPORTS=(qemu-system-x86 qemu-utils iproute2)
MAIN=(
	make gcc libc6-dev pkg-config libelf-dev zlib1g-dev libcap-dev
	clang-19 llvm-19 lld-19 dwarves bison flex bc libssl-dev
	"linux-headers-$KVER" "linux-image-$KVER" linux-source-6.12
	busybox-static kmod cpio xz-utils zstd jq patch groff-base
	iputils-ping ethtool pciutils xdp-tools iperf3 tcpdump python3
	python3-yaml socat
)

missing=()
for p in "${MAIN[@]}" "${BACKPORTS[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed$' ||
		missing+=("$p")
done
# iproute2 and qemu must come from backports (QEMU 7.2 has no igb device).
if command -v qemu-system-x86_64 >/dev/null &&
   ! qemu-system-x86_64 -device help 2>/dev/null | grep -q '"igb"'; then
	missing+=(qemu-system-x86)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "Error: missing packages (${missing[*]}); run 'make deps' as root" >&2
	exit 1
fi

src=/etc/apt/sources.list.d/npa-bookworm-backports.sources
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	cat > "$src" <<'EOS'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
fi

echo "  DEPS    ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${MAIN[@]}" >/dev/null
apt-get install -y -qq --no-install-recommends -t bookworm-backports \
	"${BACKPORTS[@]}" >/dev/null
