// SPDX-License-Identifier: GPL-2.0
/*
 * A descriptor is 16 bytes: reading the word at offset 16 is refused.
 * EXPECT: invalid access to memory, mem_size=16 off=16 size=4
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	__u32 *desc = (__u32 *)npa_ring_desc(port, 0, 0, 16);

	if (!desc)
		return 0;
	return desc[4];
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.open		= (void *)bad_open,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "desc_oob",
};
