// SPDX-License-Identifier: GPL-2.0
/*
 * The packet descriptor is read-only to the plugin.
 * EXPECT: only read is supported
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	tx->len = 0;
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("txwrite"),
	.xmit		= (void *)bad_xmit,
};
