#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the host-side tests, then the guest tests in the QEMU test
# guest; one KTAP stream, then the line "N passed, N failed".
#
#   selftests/check.sh [NAME]     all tests, or only the one called NAME
#   selftests/check.sh "A B ..."  only these guest tests, in one boot
#
# Environment (make check-debug sets them; make check leaves them unset):
#   NPA_CHECK_OUT       results directory (default .output/check)
#   NPA_CHECK_KO        the module the guests load (default .output/shim/npa.ko)
#   NPA_CHECK_TIMEOUT   seconds per guest boot (default 1800, vIOMMU boot 1200)
#   NPA_VM_KERNEL       the guests boot this kernel (run.sh --kernel)
#   NPA_VM_MODULES      ... with these modules (run.sh --modules)
#   NPA_VM_APPEND       ... and these kernel arguments (run.sh --append)
#   NPA_CHECK_CYCLES    VF remove/return cycles of pair_failover_cycles
#                       (default its own, 20)
#   NPA_CHECK_KMEMLEAK  1: each guest boot ends with a kmemleak scan (the
#                       kernel must have CONFIG_DEBUG_KMEMLEAK), reported as
#                       the tests kmemleak_clean (boots guest and guest2)
#                       and iommu_kmemleak_clean
set -u

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$PROJ" || exit 1
OUT=${NPA_CHECK_OUT:-.output/check}
KO=${NPA_CHECK_KO:-.output/shim/npa.ko}
KMEMLEAK=${NPA_CHECK_KMEMLEAK:-0}
# run.sh options of every guest boot
VM_OPTS=(-q --ko "$KO")
[ -z "${NPA_VM_KERNEL:-}" ] || VM_OPTS+=(--kernel "$NPA_VM_KERNEL")
[ -z "${NPA_VM_MODULES:-}" ] || VM_OPTS+=(--modules "$NPA_VM_MODULES")
[ -z "${NPA_VM_APPEND:-}" ] || VM_OPTS+=(--append "$NPA_VM_APPEND")
[ -z "${NPA_CHECK_CYCLES:-}" ] || VM_OPTS+=(-e "NPA_CYCLES=$NPA_CHECK_CYCLES")
mkdir -p "$OUT"
ONLY=${1:-}
results=$OUT/results.ktap
: > "$results"

n=0
# record ok|"not ok" NAME: count a result and print its KTAP line
record() {
	n=$((n + 1))
	echo "$1 $2" >> "$results"
	echo "$1 $n $2"
}

run_host_test() { # NAME CMD...
	local name=$1; shift
	[ -n "$ONLY" ] && [ "$ONLY" != "$name" ] && return 0
	local log=$OUT/$name.log
	if "$@" > "$log" 2>&1; then
		record ok "$name"
	else
		sed 's/^/# /' "$log" | tail -40
		record "not ok" "$name"
	fi
}

NPACTL=.output/tools/npactl

host_module_info() {
	local ko=.output/shim/npa.ko
	modinfo "$ko" | grep -qx 'license: *GPL' || { echo "no GPL licence"; return 1; }
	modinfo "$ko" | grep -q 'alias: *pci:v000015ADd000007B0' || { echo "no vmxnet3 alias"; return 1; }
	modinfo "$ko" | grep -q 'alias: *pci:v00008086d000010CA' || { echo "no igb VF alias"; return 1; }
	modinfo "$ko" | grep -q "vermagic: *${KVER:-6.12.117+deb12-amd64} " || { echo "wrong vermagic"; return 1; }
	readelf -S "$ko" | grep -q '\.BTF ' || { echo "no BTF"; return 1; }
}

host_npactl_usage() {
	local rc
	$NPACTL --help | grep -q 'Usage' || { echo "--help prints no usage"; return 1; }
	$NPACTL frobnicate 2> "$OUT/err"; rc=$?
	[ $rc = 2 ] || { echo "unknown object: exit $rc, want 2"; return 1; }
	grep -q '^Error: ' "$OUT/err" || { echo "no 'Error:' on stderr"; cat "$OUT/err"; return 1; }
	$NPACTL plugin load 2> "$OUT/err"; rc=$?
	[ $rc = 2 ] || { echo "missing argument: exit $rc, want 2"; return 1; }
	$NPACTL --bogus-option port list 2> "$OUT/err"; rc=$?
	[ $rc = 2 ] || { echo "unknown option: exit $rc, want 2"; return 1; }
	grep -q '^Error: ' "$OUT/err" || { echo "no 'Error:' on stderr"; return 1; }
}

host_manpage() {
	local cmd
	man -l tools/npactl/npactl.8 > /dev/null 2>&1 || MANWIDTH=80 groff -man -Tutf8 tools/npactl/npactl.8 > /dev/null || return 1
	for cmd in "port list" "port show" "plugin load" "plugin autoload" "plugin swap" "plugin unload" "plugin list" \
		   "plugin settings" pair unpair switch stats; do
		grep -q "$cmd" tools/npactl/npactl.8 || grep -q "${cmd/ /\\\\fR \\\\fB}" tools/npactl/npactl.8 ||
			grep -qF "B ${cmd#* }" tools/npactl/npactl.8 || { echo "man page lacks '$cmd'"; return 1; }
	done
}

# make install DESTDIR=...: exactly these files, the rule naming the
# installed npactl; make uninstall removes them; depmod only without DESTDIR
host_install_destdir_in() { # DIR: a temporary directory
	local d kver=${KVER:-6.12.117+deb12-amd64} want got f
	d=$1
	make -s --no-print-directory install DESTDIR="$d" || { echo "make install failed"; return 1; }
	want="/lib/modules/$kver/extra/npa.ko
/usr/local/lib/npa/igbvf.bpf.o
/usr/local/lib/npa/vmxnet3.bpf.o
/usr/local/lib/udev/rules.d/80-npa.rules
/usr/local/sbin/npactl
/usr/local/share/bash-completion/completions/npactl
/usr/local/share/man/man8/npactl.8"
	got=$(cd "$d" && find . ! -type d | sed 's/^\.//' | sort)
	[ "$got" = "$want" ] || { echo "installed:"; echo "$got"; echo "want:"; echo "$want"; return 1; }
	cmp "$d/lib/modules/$kver/extra/npa.ko" .output/shim/npa.ko || return 1
	cmp "$d/usr/local/sbin/npactl" .output/tools/npactl || return 1
	[ -x "$d/usr/local/sbin/npactl" ] || { echo "npactl not executable"; return 1; }
	for f in igbvf vmxnet3; do cmp "$d/usr/local/lib/npa/$f.bpf.o" ".output/bpf/$f.bpf.o" || return 1; done
	cmp "$d/usr/local/share/man/man8/npactl.8" tools/npactl/npactl.8 || return 1
	cmp "$d/usr/local/share/bash-completion/completions/npactl" tools/npactl/npactl.bash || return 1
	f=$d/usr/local/lib/udev/rules.d/80-npa.rules
	grep -qxF 'ACTION=="add|bind", SUBSYSTEM=="pci", DRIVER=="npa", RUN+="/usr/local/sbin/npactl plugin autoload $kernel"' "$f" ||
		{ echo "udev rule:"; cat "$f"; return 1; }
	! grep -q @ "$f" || { echo "unreplaced @...@ in the udev rule"; return 1; }
	udevadm verify --help > /dev/null 2>&1 && { udevadm verify "$f" || return 1; }
	make -s --no-print-directory uninstall DESTDIR="$d" || { echo "make uninstall failed"; return 1; }
	got=$(cd "$d" && find . ! -type d)
	[ -z "$got" ] || { echo "left after uninstall: $got"; return 1; }
	make -s --no-print-directory install DESTDIR="$d" PREFIX=/usr || return 1
	grep -qF 'RUN+="/usr/sbin/npactl plugin autoload $kernel"' "$d/usr/lib/udev/rules.d/80-npa.rules" ||
		{ echo "PREFIX=/usr: no /usr/lib/udev/rules.d/80-npa.rules for /usr/sbin/npactl"; return 1; }
	[ -x "$d/usr/sbin/npactl" ] || { echo "PREFIX=/usr: no /usr/sbin/npactl"; return 1; }
	# depmod: for the real tree only
	make -n install DESTDIR="$d" | grep -q depmod && { echo "depmod with DESTDIR"; return 1; }
	make -n install | grep -q "depmod -a $kver" || { echo "no depmod without DESTDIR"; return 1; }
	make -n uninstall | grep -q "depmod -a $kver" || { echo "no depmod after uninstall"; return 1; }
}

# dkms.conf against the Makefile: its name and version are the module's and
# npactl's; make dkms-source holds what it builds from; its MAKE line, run
# as dkms runs it (in a copy of the source, its variables set), builds an
# npa.ko for KVER at BUILT_MODULE_LOCATION. dkms itself is not needed.
host_dkms_conf_in() { # DIR: a temporary directory
	local d kver=${KVER:-6.12.117+deb12-amd64} version src build ko
	local PACKAGE_NAME PACKAGE_VERSION BUILT_MODULE_NAME BUILT_MODULE_LOCATION \
		DEST_MODULE_LOCATION MAKE CLEAN AUTOINSTALL
	version=$(sed -n 's/^NPACTL_VERSION := //p' tools/npactl/npactl.mk)
	d=$1
	make -s --no-print-directory dkms-source DESTDIR="$d" || { echo "make dkms-source failed"; return 1; }
	src=$d/usr/src/npa-$version
	[ -f "$src/dkms.conf" ] || { echo "no $src/dkms.conf (version $version?)"; return 1; }
	# what dkms does: the source copied to its build directory, the
	# configuration sourced with these set
	build=$d/dkms/npa/$version/build
	mkdir -p "$build" && cp -a "$src/." "$build/" || return 1
	# shellcheck disable=SC2034 # read by dkms.conf
	local kernelver=$kver kernel_source_dir=/usr/src/linux-headers-$kver dkms_tree=$d/dkms
	# shellcheck disable=SC1091
	. "$build/dkms.conf" || return 1
	[ "$PACKAGE_NAME" = npa ] || { echo "PACKAGE_NAME '$PACKAGE_NAME'"; return 1; }
	[ "$PACKAGE_VERSION" = "$version" ] ||
		{ echo "PACKAGE_VERSION '$PACKAGE_VERSION', npactl.mk's NPACTL_VERSION '$version'"; return 1; }
	grep -qx "obj-m += ${BUILT_MODULE_NAME[0]}.o" shim/Kbuild ||
		{ echo "BUILT_MODULE_NAME '${BUILT_MODULE_NAME[0]}' is not shim/Kbuild's obj-m"; return 1; }
	[ "${BUILT_MODULE_LOCATION[0]}" = shim/ ] || { echo "BUILT_MODULE_LOCATION '${BUILT_MODULE_LOCATION[0]}'"; return 1; }
	[ -n "${DEST_MODULE_LOCATION[0]}" ] && [ "$AUTOINSTALL" = yes ] || { echo "DEST_MODULE_LOCATION/AUTOINSTALL"; return 1; }
	(cd "$build" && eval "${MAKE[0]}") > "$d/make.log" 2>&1 || { tail -20 "$d/make.log"; return 1; }
	ko=$build/${BUILT_MODULE_LOCATION[0]}${BUILT_MODULE_NAME[0]}.ko
	[ -f "$ko" ] || { echo "no $ko after MAKE[0]"; return 1; }
	modinfo "$ko" | grep -q "vermagic: *$kver " || { echo "$ko: wrong vermagic"; return 1; }
	modinfo "$ko" | grep -q 'alias: *pci:v00008086d000010CA' || { echo "$ko: no igb VF alias"; return 1; }
	(cd "$build" && eval "$CLEAN") > "$d/clean.log" 2>&1 || { tail -20 "$d/clean.log"; return 1; }
	[ ! -f "$ko" ] || { echo "CLEAN left $ko"; return 1; }
}

# in_tmpdir FUNC: FUNC DIR, DIR a new temporary directory removed after
in_tmpdir() {
	local d rc
	d=$(mktemp -d) || return 1
	"$1" "$d"
	rc=$?
	rm -rf "$d"
	return $rc
}

HOST_TESTS=(module_info checkpatch_strict kernel_doc npactl_usage npactl_manpage npactl_host
	    install_destdir dkms_conf)
# Run again in a second boot with a vIOMMU (intel-iommu, intel_iommu=on),
# reported with an iommu_ prefix: the datapaths, and the plugins that
# forge DMA addresses, must work with no DMA fault.
IOMMU_TESTS=(vf_ping vf_tcp_sha256 vf_forged_tx_address vf_xdp_tx vf_xdp_redirect
	     pv_ping pv_tcp_sha256 pv_forged_ring_address pv_pktgen_rx_exact pair_by_mac rmmod_clean)
if [ -n "$ONLY" ]; then
	plan=$(wc -w <<< "$ONLY")
	[ "$KMEMLEAK" != 1 ] || plan=$((plan + 1))
else
	plan=$(( ${#HOST_TESTS[@]} + $(selftests/guest-tests.sh --list | wc -l) +
		$(tools/npactl/test_npactl.sh --list | wc -l) + 1 + ${#IOMMU_TESTS[@]} + 1 ))
	[ "$KMEMLEAK" != 1 ] || plan=$((plan + 2))
fi
echo "KTAP version 1"
echo "1..$plan"
run_host_test module_info host_module_info
run_host_test checkpatch_strict selftests/checkpatch.sh
run_host_test kernel_doc selftests/checkpatch.sh --kernel-doc
run_host_test npactl_usage host_npactl_usage
run_host_test npactl_manpage host_manpage
# npactl's tests that need no shim (plugin settings refused before the load)
run_host_test npactl_host tools/npactl/test_npactl.sh --host
run_host_test install_destdir in_tmpdir host_install_destdir_in
run_host_test dkms_conf in_tmpdir host_dkms_conf_in

# collect PREFIX FILE: the results of one guest KTAP file
collect() {
	local line name
	while IFS= read -r line; do
		case $line in
		"ok "[0-9]*" # SKIP"*)
			name=${line#ok * }
			echo "$line" | sed "s/^ok [0-9]* /ok $((n + 1)) $1/"
			n=$((n + 1)); echo "skip $1${name%% *}" >> "$results" ;;
		"ok "[0-9]*) record ok "$1${line#ok * }" ;;
		"not ok "[0-9]*) record "not ok" "$1${line#not ok * }" ;;
		"#"*) echo "$line" ;;
		esac
	done < <(cat "$2" 2>/dev/null)
}

# guest_cmd CMD REPORT: CMD, inside kmemleak's bracket when it is on (the
# boot's own unreferenced objects forgotten first, REPORT written after);
# the status stays CMD's
guest_cmd() {
	if [ "$KMEMLEAK" = 1 ]; then
		rm -f "$2"
		echo "selftests/vm/kmemleak.sh forget ${2%.txt}-boot.txt; $1; rc=\$?;" \
			"selftests/vm/kmemleak.sh report $2; exit \$rc"
	else
		echo "$1"
	fi
}

# record_kmemleak NAME BOOT...: NAME ok if each boot's kmemleak scan ran
# and found nothing
record_kmemleak() {
	local t=$1 b f bad=0
	[ "$KMEMLEAK" = 1 ] || return 0
	shift
	for b in "$@"; do
		f=$OUT/$b-kmemleak.txt
		if [ ! -f "$f" ]; then
			echo "# boot $b: no kmemleak report ($f): the scan did not run"
			bad=1
		elif [ -s "$f" ]; then
			echo "# boot $b: kmemleak: $(grep -c '^unreferenced object' "$f") unreferenced objects (kept in $f):"
			sed 's/^/# /' "$f" | head -200
			bad=1
		fi
	done
	if [ $bad = 0 ]; then record ok "$t"; else record "not ok" "$t"; fi
}

# boot NAME [run.sh OPTION...] -- CMD: one guest boot running CMD (in
# kmemleak's bracket when it is on, its report in $OUT/NAME-kmemleak.txt);
# its exit status and time in seconds go to $OUT/NAME.rc and $OUT/NAME.time
boot() {
	local name=$1 opts=() start
	shift
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	rm -f "$OUT/$name.rc" "$OUT/$name.time"
	start=$(date +%s)
	selftests/vm/run.sh "${VM_OPTS[@]}" "${opts[@]}" -- \
		bash -c "$(guest_cmd "$2" "$OUT/$name-kmemleak.txt")"
	echo $? > "$OUT/$name.rc"
	echo $(( $(date +%s) - start )) > "$OUT/$name.time"
}

# console_clean TEST BOOT...: TEST is ok if every boot ran to its end with
# a clean console (run.sh's status 0)
console_clean() {
	local t=$1 b rc bad=0
	shift
	for b in "$@"; do
		rc=$(cat "$OUT/$b.rc" 2>/dev/null || echo 125)
		echo "# boot $b: $(cat "$OUT/$b.time" 2>/dev/null) s, status $rc"
		[ "$rc" = 0 ] && continue
		echo "# the guest run $b failed (status $rc): see the console log under .output/vm/"
		bad=1
	done
	if [ $bad = 0 ]; then record ok "$t"; else record "not ok" "$t"; fi
}

# The guest tests: npactl's own (tools/npactl/test_npactl.sh, reported
# with an npactl_ prefix), selftests/guest-tests.sh, and some of those
# again under a vIOMMU (iommu_ prefix). A full run spreads them over three
# boots, two at a time: each QEMU (TCG, one thread) keeps one host core
# busy, and the guests share nothing writable but the results. Boot
# "guest" runs npactl's tests, then guest tests; beside it boot "iommu"
# runs the vIOMMU tests, then boot "guest2" guest tests. The two share
# one list of guest tests: each boot takes the next test nobody has taken
# yet (guest-tests.sh --claim), so both end within a test of each other
# however fast each test is on this kernel. rmmod_clean (the guest tests
# end by unloading the module) comes last in boot "guest".
GUEST=$(selftests/guest-tests.sh --list)
NPACTL_TESTS=$(tools/npactl/test_npactl.sh --list)
# seconds per boot: a TCG guest on a loaded machine runs at a third of its
# quiet speed, a debug kernel at a tenth
T_GUEST=${NPA_CHECK_TIMEOUT:-1800}
T_IOMMU=${NPA_CHECK_TIMEOUT:-1200}
rm -f "$OUT"/guest.ktap "$OUT"/guest2.ktap "$OUT"/npactl.ktap "$OUT"/iommu.ktap
if [ -z "$ONLY" ]; then
	shared=$(grep -vx rmmod_clean <<< "$GUEST" | tr '\n' ' ')
	claims=$OUT/claims
	rm -rf "$claims"
	mkdir -p "$claims"
	start=$(date +%s)
	{
		boot iommu --iommu -t "$T_IOMMU" -- "selftests/guest-tests.sh ${IOMMU_TESTS[*]} > $OUT/iommu.ktap 2>&1"
		boot guest2 -t "$T_GUEST" -- "selftests/guest-tests.sh --claim $claims $shared > $OUT/guest2.ktap 2>&1"
	} &
	others=$!
	boot guest -t "$T_GUEST" -- "tools/npactl/test_npactl.sh > $OUT/npactl.ktap 2>&1;
		selftests/guest-tests.sh --claim $claims $shared rmmod_clean > $OUT/guest.ktap 2>&1"
	wait $others
	collect npactl_ "$OUT/npactl.ktap"
	collect "" "$OUT/guest.ktap"
	collect "" "$OUT/guest2.ktap"
	console_clean guest_console_clean guest guest2
	record_kmemleak kmemleak_clean guest guest2
	collect iommu_ "$OUT/iommu.ktap"
	console_clean iommu_guest_console_clean iommu
	record_kmemleak iommu_kmemleak_clean iommu
	echo "# guest runs: $(( $(date +%s) - start )) s"
elif [ "$ONLY" != "${ONLY// /}" ]; then
	# several guest tests, in one boot
	for t in $ONLY; do
		grep -qx -- "$t" <<< "$GUEST" || { echo "# no guest test named $t"; ONLY=; }
	done
	if [ -n "$ONLY" ]; then
		boot guest -t "$T_GUEST" -- "selftests/guest-tests.sh $ONLY > $OUT/guest.ktap 2>&1"
		collect "" "$OUT/guest.ktap"
		[ "$(cat "$OUT/guest.rc")" = 0 ] || console_clean guest_console_clean guest
		record_kmemleak kmemleak_clean guest
	fi
elif grep -qx -- "$ONLY" <<< "$GUEST"; then
	boot guest -t "$T_GUEST" -- "selftests/guest-tests.sh $ONLY > $OUT/guest.ktap 2>&1"
	collect "" "$OUT/guest.ktap"
	[ "$(cat "$OUT/guest.rc")" = 0 ] || console_clean guest_console_clean guest
	record_kmemleak kmemleak_clean guest
elif [ "${ONLY#npactl_}" != "$ONLY" ] && grep -qx -- "${ONLY#npactl_}" <<< "$NPACTL_TESTS"; then
	boot guest -t "$T_GUEST" -- "tools/npactl/test_npactl.sh ${ONLY#npactl_} > $OUT/npactl.ktap 2>&1"
	collect npactl_ "$OUT/npactl.ktap"
	[ "$(cat "$OUT/guest.rc")" = 0 ] || console_clean guest_console_clean guest
	record_kmemleak kmemleak_clean guest
elif [ "${ONLY#iommu_}" != "$ONLY" ] && printf '%s\n' "${IOMMU_TESTS[@]}" | grep -qx -- "${ONLY#iommu_}"; then
	boot iommu --iommu -t "$T_IOMMU" -- "selftests/guest-tests.sh ${ONLY#iommu_} > $OUT/iommu.ktap 2>&1"
	collect iommu_ "$OUT/iommu.ktap"
	[ "$(cat "$OUT/iommu.rc")" = 0 ] || console_clean iommu_guest_console_clean iommu
	record_kmemleak iommu_kmemleak_clean iommu
fi

passed=$(grep -c '^ok ' "$results")
failed=$(grep -c '^not ok ' "$results")
skipped=$(grep -c '^skip ' "$results")
total=$((passed + failed + skipped))
[ "$total" -gt 0 ] || { echo "# no test ran${ONLY:+ (no test named $ONLY)}"; failed=1; }
[ -n "$ONLY" ] || [ "$total" = "$plan" ] || { echo "# planned $plan tests, ran $total"; failed=$((failed + 1)); }
# (the last line stays "N passed, N failed": skips, never counted as
# passed, are named before it)
[ "$skipped" = 0 ] || echo "# $skipped skipped: $(sed -n 's/^skip //p' "$results" | paste -sd ' ')"
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
