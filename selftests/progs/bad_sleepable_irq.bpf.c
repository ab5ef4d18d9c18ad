// SPDX-License-Identifier: GPL-2.0
/*
 * irq runs in hard IRQ context: a sleepable program for it is refused.
 * EXPECT: attach to unsupported member irq of struct npa_ops
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/irq")
void BPF_PROG(bad_irq, struct npa_port *port, __u32 vector)
{
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
	.name		= "sleepirq",
};
