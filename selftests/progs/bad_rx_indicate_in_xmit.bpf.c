// SPDX-License-Identifier: GPL-2.0
/*
 * Frames go up the stack from NAPI only: npa_rx_indicate() from xmit is
 * refused.
 * EXPECT: calling kernel function npa_rx_indicate is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	return npa_rx_indicate(port, 0, 0, 64, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("rxindxmit"),
	.xmit		= (void *)bad_xmit,
};
