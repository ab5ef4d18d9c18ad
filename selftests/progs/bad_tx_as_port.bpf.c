// SPDX-License-Identifier: GPL-2.0
/*
 * A kfunc checks each argument's type: the packet given as the port is
 * refused.
 * EXPECT: expected pointer to STRUCT npa_port but R1 has a pointer to STRUCT npa_tx
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	return npa_tx_map((struct npa_port *)tx, tx, 0, 0, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("txasport"),
	.xmit		= (void *)bad_xmit,
};
