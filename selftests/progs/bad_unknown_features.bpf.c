// SPDX-License-Identifier: GPL-2.0
/*
 * A feature bit the shim does not know is refused, not ignored.
 * EXPECT: plugin asks for unknown features 0x8
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("feat"),
	.features	= NPA_F_TX_CSUM | 0x8,
};
