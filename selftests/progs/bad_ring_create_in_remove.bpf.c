// SPDX-License-Identifier: GPL-2.0
/*
 * Creating a ring from remove (sleepable, but not probe) is refused.
 * EXPECT: calling kernel function npa_ring_create is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops.s/remove")
void BPF_PROG(bad_remove, struct npa_port *port)
{
	npa_ring_create(port, 0, 64, 16, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("ringremove"),
	.remove		= (void *)bad_remove,
};
