// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin as shipped (irq_vectors: the event vector only),
 * publishing a count of the interrupts its irq member sees: the queue
 * vector's must not call it.
 */
#define vmxnet3_irq_seen(port, vector) \
	({ static __u64 irqs_seen; npa_port_publish(port, "irqs", ++irqs_seen); })
#include "../../bpf/vmxnet3.bpf.c"
