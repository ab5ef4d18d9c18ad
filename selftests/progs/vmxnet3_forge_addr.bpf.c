// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, writing forged device addresses where the shim put
 * real ones: every ring address in the shared area and the queue
 * descriptors, just before it makes the device read them (ACTIVATE_DEV),
 * and the buffer address of every TX and RX descriptor before it hands
 * the descriptor to the device. The shim writes its own back before each
 * register write, doorbell and npa_ring_publish(), so the device only ever
 * sees memory the shim mapped: traffic must flow unharmed.
 */
#define FORGED_LO	0xdead0000
#define FORGED_HI	0x1

#define vmxnet3_forge(port, ring, off)					\
	do {								\
		area_write(port, ring, off, FORGED_LO);			\
		area_write(port, ring, (off) + 4, FORGED_HI);		\
	} while (0)

#define vmxnet3_before_activate(port)					\
	do {								\
		vmxnet3_forge(port, SHARED_RING, SH_QUEUE_DESC_PA);	\
		vmxnet3_forge(port, QDESC_RING, QD_TX * CHUNK + QD_RING_PA); \
		vmxnet3_forge(port, QDESC_RING, QD_TX * CHUNK + QD_COMP_PA); \
		vmxnet3_forge(port, QDESC_RING, QD_RX * CHUNK + QD_RING_PA); \
		vmxnet3_forge(port, QDESC_RING, QD_RX * CHUNK + QD_RING2_PA); \
		vmxnet3_forge(port, QDESC_RING, QD_RX * CHUNK + QD_COMP_PA); \
	} while (0)

#define vmxnet3_forge_desc(desc)	do { (desc)[0] = FORGED_LO; (desc)[1] = FORGED_HI; } while (0)
#define vmxnet3_tx_queued(desc)		vmxnet3_forge_desc(desc)
#define vmxnet3_rx_posted(desc)		vmxnet3_forge_desc(desc)
/*
 * No RX doorbell either (QEMU ignores RXPROD): the device takes an RX
 * descriptor when its generation bit says so, and only
 * npa_ring_publish() stands between the forged address and the device.
 */
#define vmxnet3_rx_kick(port)		0
#include "../../bpf/vmxnet3.bpf.c"
