// SPDX-License-Identifier: GPL-2.0
/*
 * struct npa_tx is 20 bytes: reading a word past its end is refused.
 * EXPECT: access beyond struct npa_tx at off 20 size 4
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	return ((volatile __u32 *)tx)[5];
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.xmit		= (void *)bad_xmit,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "txpastend",
};
