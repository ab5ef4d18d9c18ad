// SPDX-License-Identifier: GPL-2.0
/*
 * The most descriptors a plugin tells ethtool it takes must fit in one
 * ring (NPA_RING_MAX_BYTES): 65536 of 32 bytes do not, and the probe
 * that said so fails.
 * EXPECT: ring 0 cannot carry queue 1 of up to 65536 descriptors
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
	int err = npa_ring_create(port, 0, 64, 32, 0);

	return err ?: npa_ring_set_queue(port, 0, NPA_QUEUE_TX, 65536);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)bad_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "ringmax",
};
