// SPDX-License-Identifier: GPL-2.0
/*
 * open has one argument: reading a third from the context is refused.
 * EXPECT: doesn't have 3-th argument
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	return ((volatile __u64 *)ctx)[2] ? 1 : 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("ctxarg"),
	.open		= (void *)bad_open,
};
