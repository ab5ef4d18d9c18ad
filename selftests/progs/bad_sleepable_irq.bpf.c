// SPDX-License-Identifier: GPL-2.0
/*
 * irq runs in hard IRQ context: a sleepable program for it is refused.
 * EXPECT: attach to unsupported member irq of struct npa_ops
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops.s/irq")
void BPF_PROG(bad_irq, struct npa_port *port, __u32 vector)
{
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("sleepirq"),
	.irq		= (void *)bad_irq,
};
