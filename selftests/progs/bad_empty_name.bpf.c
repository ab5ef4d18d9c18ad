// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin without a name cannot be told apart in npactl or sysfs.
 * EXPECT: plugin name must be 1 to 15 characters
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3(""),
};
