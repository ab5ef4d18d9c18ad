// SPDX-License-Identifier: GPL-2.0
/*
 * irq_vectors names the vectors whose interrupts call the irq member:
 * without one it is a mistake.
 * EXPECT: plugin 'vecsnoirq' sets irq_vectors without an irq member
 * WHERE: dmesg
 */
#include "bad_plugin.h"

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("vecsnoirq"),
	.irq_vectors	= 1,
};
