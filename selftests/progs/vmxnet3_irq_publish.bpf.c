// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, publishing a count of its interrupts from its irq
 * member, which runs in hard interrupt context: npa_port_publish() must
 * work there (a lock taken with bottom halves off would not). Its
 * irq_vectors asks for every vector (0), so the queue vector's interrupts
 * are counted too.
 */
#define vmxnet3_irq_vectors	0
#define vmxnet3_irq_seen(port, vector) \
	({ static __u64 irqs_seen; npa_port_publish(port, "irqs", ++irqs_seen); })
#include "../../bpf/vmxnet3.bpf.c"
