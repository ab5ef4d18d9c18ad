// SPDX-License-Identifier: GPL-2.0
/*
 * struct npa_tx is 20 bytes: reading a word past its end is refused.
 * EXPECT: access beyond struct npa_tx at off 20 size 4
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	return ((volatile __u32 *)tx)[5];
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("txpastend"),
	.xmit		= (void *)bad_xmit,
};
