// SPDX-License-Identifier: GPL-2.0
/*
 * A ring address placed into another ring must fit inside the descriptor
 * it goes into: one past a 4-byte descriptor is refused, and the probe
 * that tried fails.
 * EXPECT: ring 1 address into ring 0: bad field 0+0xfffffff8
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
	int err;

	err = npa_ring_create(port, 0, 64, 4, NPA_RING_NO_ADDR);
	err = err ?: npa_ring_create(port, 1, 64, 16, NPA_RING_NO_ADDR);
	return err ?: npa_ring_put_base(port, 1, 0, 0, 0xfffffff8);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)bad_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "putbasepast",
};
