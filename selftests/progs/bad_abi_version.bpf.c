// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin built for another ABI version.
 * EXPECT: plugin built for ABI version NPA_ABI_VERSION+1, the shim speaks version NPA_ABI_VERSION
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION + 1,
	.name		= "abi",
};
