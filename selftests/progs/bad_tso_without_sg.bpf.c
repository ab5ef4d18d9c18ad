// SPDX-License-Identifier: GPL-2.0
/*
 * TSO hands the device packets in several segments that need checksums:
 * NPA_F_TSO without NPA_F_SG is refused.
 * EXPECT: NPA_F_TSO needs NPA_F_TX_CSUM and NPA_F_SG
 * WHERE: dmesg
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.features	= NPA_F_TX_CSUM | NPA_F_TSO,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "tso",
};
