// SPDX-License-Identifier: GPL-2.0
/*
 * npa_ring_desc() may return NULL: using it unchecked is refused.
 * EXPECT: R0 invalid mem access 'mem_or_null'
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	__u32 *desc = (__u32 *)npa_ring_desc(port, 0, 0, 16);

	return desc[0];
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("nullchk"),
	.open		= (void *)bad_open,
};
