// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin for any device (vendor 0) must name its port: port_id 0 with
 * vendor 0 is refused.
 * EXPECT: plugin 'anydev' names neither a port nor a PCI device
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.port_id	= 0,
	.vendor		= 0,
	.device		= 0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "anydev",
};
