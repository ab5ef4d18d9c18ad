// SPDX-License-Identifier: GPL-2.0
/*
 * A fact key must be a constant string: one in writable global data is
 * refused.
 * EXPECT: R2 does not point to a readonly map
 * WHERE: verifier
 */
#include "bad_plugin.h"

char key[8] = "temp";

SEC("struct_ops.s/watchdog")
int BPF_PROG(bad_watchdog, struct npa_port *port)
{
	return npa_port_publish(port, key, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("keyrw"),
	.watchdog	= (void *)bad_watchdog,
};
