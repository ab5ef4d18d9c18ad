// SPDX-License-Identifier: GPL-2.0
/*
 * The size of a descriptor pointer must be a constant the verifier knows.
 * EXPECT: R4 is not a const
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	__u32 size = npa_reg_read32(port, 1, 0) & 0xf;
	__u32 *desc = (__u32 *)npa_ring_desc(port, 0, 0, size);

	return desc ? 1 : 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("nonconst"),
	.open		= (void *)bad_open,
};
