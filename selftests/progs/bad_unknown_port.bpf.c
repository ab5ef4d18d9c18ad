// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin for a port that does not exist.
 * EXPECT: plugin 'noport': no port 999
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("noport"),
	.port_id	= 999,
};
