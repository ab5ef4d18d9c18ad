// SPDX-License-Identifier: GPL-2.0
/*
 * Only the port pointer itself reaches a kfunc: one moved into the port
 * is refused.
 * EXPECT: expected pointer to STRUCT npa_port but R1 has a pointer to
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
	return npa_reg_read32((struct npa_port *)((char *)port + 8), 1, 0);
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
	.name		= "portoff",
};
