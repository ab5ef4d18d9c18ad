// SPDX-License-Identifier: GPL-2.0
/*
 * A fact key must be a constant string: one built on the stack is refused.
 * EXPECT: arg#1 doesn't point to a const string
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops.s/watchdog")
int BPF_PROG(bad_watchdog, struct npa_port *port)
{
	char key[8] = "temp";

	return npa_port_publish(port, key, 0);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("keystack"),
	.watchdog	= (void *)bad_watchdog,
};
