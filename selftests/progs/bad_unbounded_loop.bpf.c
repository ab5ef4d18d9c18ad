// SPDX-License-Identifier: GPL-2.0
/*
 * Waiting for a register without a bound never ends: refused.
 * EXPECT: infinite loop detected
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	while (npa_reg_read32(port, 1, 0x20) != 0)
		;
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("loop"),
	.open		= (void *)bad_open,
};
