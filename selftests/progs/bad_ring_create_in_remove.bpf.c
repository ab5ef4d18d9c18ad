// SPDX-License-Identifier: GPL-2.0
/*
 * Creating a ring from remove (sleepable, but not probe) is refused.
 * EXPECT: calling kernel function npa_ring_create is not allowed
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/remove")
void BPF_PROG(bad_remove, struct npa_port *port)
{
	npa_ring_create(port, 0, 64, 16, 0);
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.remove		= (void *)bad_remove,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "ringremove",
};
