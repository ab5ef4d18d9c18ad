// SPDX-License-Identifier: GPL-2.0
/*
 * Setting the MAC is for probe only: a datapath member may not call it.
 * EXPECT: calling kernel function npa_port_set_mac is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	return npa_port_set_mac(port, 0x525400000001ULL);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("probeonly"),
	.open		= (void *)bad_open,
};
