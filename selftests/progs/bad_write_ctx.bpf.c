// SPDX-License-Identifier: GPL-2.0
/*
 * The arguments of a member are read-only: overwriting the port pointer in
 * the context is refused.
 * EXPECT: invalid bpf_context access off=0 size=8
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	((volatile __u64 *)ctx)[0] = 0;
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("ctxwrite"),
	.open		= (void *)bad_open,
};
