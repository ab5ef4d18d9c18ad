// SPDX-License-Identifier: GPL-2.0
/*
 * A port pointer the plugin was not given (another port's, forged from
 * a number) cannot reach a kfunc.
 * EXPECT: arg#0 pointer type STRUCT npa_port must point to scalar
 * WHERE: verifier
 */
#include "bad_plugin.h"

/* Address of another port, as a buggy or hostile loader might plant it. */
__u64 other_port = 0xffff888000000000ULL;

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	struct npa_port *other = (struct npa_port *)other_port;

	return npa_reg_read32(other, 1, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("otherport"),
	.open		= (void *)bad_open,
};
