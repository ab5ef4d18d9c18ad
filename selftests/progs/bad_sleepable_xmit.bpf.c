// SPDX-License-Identifier: GPL-2.0
/*
 * xmit runs in softirq context: a sleepable program for it is refused.
 * EXPECT: attach to unsupported member xmit of struct npa_ops
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops.s/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("sleepxmit"),
	.xmit		= (void *)bad_xmit,
};
