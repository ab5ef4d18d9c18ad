// SPDX-License-Identifier: GPL-2.0
/*
 * Register offset past the 4 KiB BAR1 of vmxnet3: the shim refuses the probe.
 * EXPECT: read at BAR1+0x1000: outside the BAR (4096 bytes) or unaligned
 * WHERE: dmesg
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/probe")
int BPF_PROG(bad_probe, struct npa_port *port)
{
	npa_reg_read32(port, 1, 0x1000);
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)bad_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "reg_oob",
};
