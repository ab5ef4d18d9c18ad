// SPDX-License-Identifier: GPL-2.0
/*
 * prog_id[] is an output: the shim writes the members' program ids there.
 * A plugin that presets it is refused, and told why.
 * EXPECT: plugin 'progid' sets prog_id, which is the shim's to fill in
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("progid"),
	.prog_id	= { [2] = 42 },
};
