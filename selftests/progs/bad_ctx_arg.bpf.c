// SPDX-License-Identifier: GPL-2.0
/*
 * open has one argument: reading a third from the context is refused.
 * EXPECT: doesn't have 3-th argument
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
	return ((volatile __u64 *)ctx)[2] ? 1 : 0;
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
	.name		= "ctxarg",
};
