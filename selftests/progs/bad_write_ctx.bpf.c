// SPDX-License-Identifier: GPL-2.0
/*
 * The arguments of a member are read-only: overwriting the port pointer in
 * the context is refused.
 * EXPECT: invalid bpf_context access off=0 size=8
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
	((volatile __u64 *)ctx)[0] = 0;
	return 0;
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
	.name		= "ctxwrite",
};
