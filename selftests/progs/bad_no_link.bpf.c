// SPDX-License-Identifier: GPL-2.0
/*
 * Plugins attach through a BPF link, so they can be swapped atomically.
 * EXPECT: must attach through a BPF link
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("nolink"),
};
