// SPDX-License-Identifier: GPL-2.0
/*
 * RX buffers are posted by rx_poll and open, which never run at once:
 * npa_rx_post() from xmit (on any CPU, beside rx_poll) is refused.
 * EXPECT: calling kernel function npa_rx_post is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	return npa_rx_post(port, 0, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("rxpostxmit"),
	.xmit		= (void *)bad_xmit,
};
