// SPDX-License-Identifier: GPL-2.0
/*
 * open is a datapath member and may not sleep: npa_sleep_us() from it is
 * refused.
 * EXPECT: program must be sleepable to call sleepable kfunc npa_sleep_us
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	npa_sleep_us(port, 100);
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("sleepopen"),
	.open		= (void *)bad_open,
};
