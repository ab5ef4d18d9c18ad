// SPDX-License-Identifier: GPL-2.0
/*
 * A ring whose descriptors carry no buffer (a completion ring) belongs to
 * no queue: naming it as one is refused, and the probe that asked fails.
 * EXPECT: ring 0 cannot carry queue 0 of up to 4096 descriptors
 * WHERE: dmesg
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/probe")
int BPF_PROG(bad_probe, struct npa_port *port)
{
	int err = npa_ring_create(port, 0, 64, 16, NPA_RING_NO_ADDR);

	return err ?: npa_ring_set_queue(port, 0, NPA_QUEUE_RX, 4096);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)bad_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "ringqueue",
};
