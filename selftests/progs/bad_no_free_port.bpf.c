// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin bound by PCI ids to a device the machine does not have.
 * EXPECT: plugin 'nodev': no free port with PCI id 1234:5678
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.port_id	= 0,
	.vendor		= 0x1234,
	.device		= 0x5678,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "nodev",
};
