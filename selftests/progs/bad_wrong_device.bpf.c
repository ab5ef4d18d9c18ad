// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin for the igb VF bound, by port id, to the vmxnet3 port.
 * EXPECT: plugin 'wrongdev' drives 8086:10ca, not this 15ad:07b0
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.port_id	= 1,
	.vendor		= 0x8086,
	.device		= 0x10ca,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "wrongdev",
};
