// SPDX-License-Identifier: GPL-2.0
/*
 * TSO hands the device packets in several segments that need checksums:
 * NPA_F_TSO without NPA_F_SG is refused.
 * EXPECT: NPA_F_TSO needs NPA_F_TX_CSUM and NPA_F_SG
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("tso"),
	.features	= NPA_F_TX_CSUM | NPA_F_TSO,
};
