// SPDX-License-Identifier: GPL-2.0
/*
 * A test plugin whose open member asks for a descriptor of a ring that
 * does not exist, then for the bytes of a whole ring from its second
 * descriptor on (past its end): each time the kfunc returns NULL and the
 * shim counts a fault.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/probe")
int BPF_PROG(fault_probe, struct npa_port *port)
{
	return npa_ring_create(port, 0, 4, 16, NPA_RING_NO_ADDR);
}

SEC("struct_ops/open")
int BPF_PROG(fault_open, struct npa_port *port)
{
	__u32 *d = (__u32 *)npa_ring_desc(port, 5, 1000, 16);

	if (d)
		return d[0];
	d = (__u32 *)npa_ring_desc(port, 0, 1, 4 * 16);
	return d ? d[0] : 0;
}

SEC(".struct_ops.link")
struct npa_ops fault_open_ops = {
	.probe		= (void *)fault_probe,
	.open		= (void *)fault_open,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "fault_open",
};
