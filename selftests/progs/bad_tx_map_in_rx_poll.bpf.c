// SPDX-License-Identifier: GPL-2.0
/*
 * Only xmit has a packet to map: npa_tx_map() from rx_poll is refused.
 * EXPECT: calling kernel function npa_tx_map is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/rx_poll")
int BPF_PROG(bad_rx_poll, struct npa_port *port, int budget)
{
	return npa_tx_map(port, NULL, 0, 0, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("txmaprx"),
	.rx_poll	= (void *)bad_rx_poll,
};
