// SPDX-License-Identifier: GPL-2.0
/*
 * The multicast list is read in set_rx_mode only, under its lock:
 * npa_port_mc_addr() from watchdog is refused.
 * EXPECT: calling kernel function npa_port_mc_addr is not allowed
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops.s/watchdog")
int BPF_PROG(bad_watchdog, struct npa_port *port)
{
	return npa_port_mc_addr(port, 0) ? 1 : 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("mcwatchdog"),
	.watchdog	= (void *)bad_watchdog,
};
