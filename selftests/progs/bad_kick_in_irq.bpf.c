// SPDX-License-Identifier: GPL-2.0
/*
 * A doorbell is rung by the context that owns the ring's buffers (xmit,
 * rx_poll, open): npa_ring_kick() from irq, which can interrupt rx_poll
 * on its own CPU, is refused.
 * EXPECT: calling kernel function npa_ring_kick is not allowed
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/irq")
void BPF_PROG(bad_irq, struct npa_port *port, __u32 vector)
{
	npa_ring_kick(port, 0, 0, 0, 0);
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.irq		= (void *)bad_irq,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "kickirq",
};
