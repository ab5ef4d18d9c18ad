#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the host-side tests, then the guest tests in the QEMU test
# guest; one KTAP stream, then the line "N passed, N failed".
#
#   selftests/check.sh [NAME]     all tests, or only the one called NAME
set -u

PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$PROJ" || exit 1
OUT=.output/check
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
	for cmd in "port list" "port show" "plugin load" "plugin swap" "plugin unload" "plugin list" \
		   "plugin settings" pair unpair switch stats; do
		grep -q "$cmd" tools/npactl/npactl.8 || grep -q "${cmd/ /\\\\fR \\\\fB}" tools/npactl/npactl.8 ||
			grep -qF "B ${cmd#* }" tools/npactl/npactl.8 || { echo "man page lacks '$cmd'"; return 1; }
	done
}

HOST_TESTS=(module_info checkpatch_strict kernel_doc npactl_usage npactl_manpage npactl_host)
# Run again in a second boot with a vIOMMU (intel-iommu, intel_iommu=on),
# reported with an iommu_ prefix: the datapaths, and the plugins that
# forge DMA addresses, must work with no DMA fault.
IOMMU_TESTS=(vf_ping vf_tcp_sha256 vf_forged_tx_address vf_xdp_tx vf_xdp_redirect
	     pv_ping pv_tcp_sha256 pv_forged_ring_address pv_pktgen_rx_exact pair_by_mac rmmod_clean)
if [ -n "$ONLY" ]; then
	plan=1
else
	plan=$(( ${#HOST_TESTS[@]} + $(selftests/guest-tests.sh --list | wc -l) +
		$(tools/npactl/test_npactl.sh --list | wc -l) + 1 + ${#IOMMU_TESTS[@]} + 1 ))
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

# Guest tests, in one boot: npactl's own (tools/npactl/test_npactl.sh,
# reported with an npactl_ prefix), then selftests/guest-tests.sh.
GUEST=$(selftests/guest-tests.sh --list)
NPACTL_TESTS=$(tools/npactl/test_npactl.sh --list)
guest_sel=all npactl_sel=all
if [ -n "$ONLY" ]; then
	guest_sel=none npactl_sel=none
	grep -qx -- "$ONLY" <<< "$GUEST" && guest_sel=$ONLY
	grep -qx -- "${ONLY#npactl_}" <<< "$NPACTL_TESTS" && [ "${ONLY#npactl_}" != "$ONLY" ] &&
		npactl_sel=${ONLY#npactl_}
fi
if [ "$guest_sel" != none ] || [ "$npactl_sel" != none ]; then
	start=$(date +%s)
	rm -f "$OUT/guest.ktap" "$OUT/npactl.ktap"
	# npactl's first: the guest tests end by unloading the module.
	cmd=":"
	[ "$npactl_sel" = none ] ||
		cmd="$cmd; tools/npactl/test_npactl.sh ${npactl_sel#all} > $OUT/npactl.ktap 2>&1"
	[ "$guest_sel" = none ] ||
		cmd="$cmd; selftests/guest-tests.sh ${guest_sel#all} > $OUT/guest.ktap 2>&1"
	selftests/vm/run.sh -q -t 1200 --ko .output/shim/npa.ko -- bash -c "$cmd"
	vm_rc=$?
	collect npactl_ "$OUT/npactl.ktap"
	collect "" "$OUT/guest.ktap"
	if [ -z "$ONLY" ] || [ "$vm_rc" != 0 ]; then
		if [ "$vm_rc" != 0 ]; then
			echo "# the guest run failed (status $vm_rc): see the console log under .output/vm/"
			record "not ok" guest_console_clean
		else
			record ok guest_console_clean
		fi
	fi
	echo "# guest run: $(( $(date +%s) - start )) s"
fi

iommu_sel="${IOMMU_TESTS[*]}"
if [ -n "$ONLY" ]; then
	iommu_sel=
	[ "${ONLY#iommu_}" != "$ONLY" ] && printf '%s\n' "${IOMMU_TESTS[@]}" | grep -qx -- "${ONLY#iommu_}" &&
		iommu_sel=${ONLY#iommu_}
fi
if [ -n "$iommu_sel" ]; then
	start=$(date +%s)
	rm -f "$OUT/iommu.ktap"
	selftests/vm/run.sh -q --iommu --ko .output/shim/npa.ko -- \
		bash -c "selftests/guest-tests.sh $iommu_sel > $OUT/iommu.ktap 2>&1"
	vm_rc=$?
	collect iommu_ "$OUT/iommu.ktap"
	if [ -z "$ONLY" ] || [ "$vm_rc" != 0 ]; then
		if [ "$vm_rc" != 0 ]; then
			echo "# the vIOMMU guest run failed (status $vm_rc): see the console log under .output/vm/"
			record "not ok" iommu_guest_console_clean
		else
			record ok iommu_guest_console_clean
		fi
	fi
	echo "# vIOMMU guest run: $(( $(date +%s) - start )) s"
fi

passed=$(grep -c '^ok ' "$results")
failed=$(grep -c '^not ok ' "$results")
skipped=$(grep -c '^skip ' "$results")
total=$((passed + failed + skipped))
[ "$total" -gt 0 ] || { echo "# no test ran${ONLY:+ (no test named $ONLY)}"; failed=1; }
[ -n "$ONLY" ] || [ "$total" = "$plan" ] || { echo "# planned $plan tests, ran $total"; failed=$((failed + 1)); }
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" = 0 ]
