// SPDX-License-Identifier: GPL-2.0
/*
 * Only the port pointer itself reaches a kfunc: one moved into the port
 * is refused.
 * EXPECT: expected pointer to STRUCT npa_port but R1 has a pointer to
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	return npa_reg_read32((struct npa_port *)((char *)port + 8), 1, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("portoff"),
	.open		= (void *)bad_open,
};
