// SPDX-License-Identifier: GPL-2.0
/*
 * A descriptor is 16 bytes: reading the word at offset 16 is refused.
 * EXPECT: invalid access to memory, mem_size=16 off=16 size=4
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	__u32 *desc = (__u32 *)npa_ring_desc(port, 0, 0, 16);

	if (!desc)
		return 0;
	return desc[4];
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("desc_oob"),
	.open		= (void *)bad_open,
};
