// SPDX-License-Identifier: GPL-2.0
/*
 * A doorbell is rung by the context that owns the ring's buffers (xmit,
 * rx_poll, open): npa_ring_kick() from irq, which can interrupt rx_poll
 * on its own CPU, is refused.
 * EXPECT: calling kernel function npa_ring_kick is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/irq")
void BPF_PROG(bad_irq, struct npa_port *port, __u32 vector)
{
	npa_ring_kick(port, 0, 0, 0, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("kickirq"),
	.irq		= (void *)bad_irq,
};
