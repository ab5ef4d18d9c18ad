// SPDX-License-Identifier: GPL-2.0
/*
 * Placing a ring address in descriptor memory is for probe only: a
 * datapath member may not call it.
 * EXPECT: calling kernel function npa_ring_put_base is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	return npa_ring_put_base(port, 0, 1, 0, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("putbaseopen"),
	.open		= (void *)bad_open,
};
