// SPDX-License-Identifier: GPL-2.0
/*
 * npa plugin for VMware's paravirtual NIC, vmxnet3 (15ad:07b0), as QEMU
 * models it: revision 1, doorbells and interrupt masks in BAR0, control
 * registers in BAR1, MSI-X in BAR2.
 *
 * The device learns everything from a "driver shared area" in guest memory
 * whose address goes to DSAL/DSAH: queue counts, MTU, interrupt routing,
 * the RX filter and a table of queue descriptors holding the ring
 * addresses. The shim writes those addresses (npa_ring_put_base()); the
 * plugin never sees them. One TX queue (TX ring + completion ring) and one
 * RX queue (ring 0 of 2 KiB buffers, an unused tiny ring 1, completion
 * ring), both on MSI-X vector 0, device events on vector 1. Ownership of a
 * descriptor goes by its generation bit, which flips on every wrap; the
 * device may take an RX descriptor as soon as that bit says so, so the
 * plugin writes it through npa_ring_publish(). The device computes TCP/UDP
 * checksums on transmit.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

#define VMXNET3_VENDOR		0x15ad
#define VMXNET3_DEVICE		0x07b0

/* BAR0: doorbells and interrupt masks (ignored while the device is inactive) */
#define BAR_REGS		0
#define REG_IMR(v)		(0x000 + 8 * (v))
#define REG_TXPROD		0x600
#define REG_RXPROD		0x800

/* BAR1: control registers */
#define BAR_CTRL		1
#define REG_VRRS		0x00	/* device revision report/select */
#define REG_UVRS		0x08	/* UPT revision report/select */
#define REG_DSAL		0x10	/* driver shared area address */
#define REG_DSAH		0x18
#define REG_CMD			0x20
#define REG_ECR			0x40	/* event cause: write 1s to acknowledge */

#define CMD_ACTIVATE_DEV	0xCAFE0000
#define CMD_QUIESCE_DEV		0xCAFE0001
#define CMD_RESET_DEV		0xCAFE0002
#define CMD_GET_LINK		0xF00D0002
#define CMD_GET_PERM_MAC_LO	0xF00D0003
#define CMD_GET_PERM_MAC_HI	0xF00D0004

#define REV_1			0x1

/*
 * The driver shared area (0x320 bytes) and the queue descriptor table (one
 * 256-byte descriptor per queue, TX queues first) are rings of 256-byte
 * chunks; a field at byte X lives in chunk X / 256.
 */
#define CHUNK			256
#define SHARED_CHUNKS		4
#define SH_MAGIC		0x000
#define  SHARED_MAGIC		0xbabefee1
#define SH_DRV_VERSION		0x008
#define SH_GOS			0x00c
#define  GOS_64BIT_LINUX	(2 | 1 << 2)	/* gosBits 64, gosType Linux */
#define SH_REV_SPT		0x010
#define SH_UPT_SPT		0x014
#define SH_UPT_FEATURES		0x018
#define  UPT_F_RXCSUM		0x1
#define SH_QUEUE_DESC_PA	0x028
#define SH_QUEUE_DESC_LEN	0x034
#define SH_MTU			0x038
#define SH_RX_SG_QUEUES		0x03c	/* maxNumRxSG u16, numTxQueues, numRxQueues */
#define SH_INTR_CONF		0x050	/* autoMask, numIntrs, eventIntrIdx, ... */
#define SH_INTR_CTRL		0x06c
#define SH_RX_MODE		0x078
#define  RXM_UCAST		0x1
#define  RXM_MCAST		0x2
#define  RXM_BCAST		0x4
#define  RXM_ALL_MULTI		0x8
#define SH_VF_TABLE		0x088	/* 4096 VLAN bits */
#define SH_ECR			0x2b8	/* events the device raised */
#define  ECR_LINK		0x4

/* Queue descriptor (TX and RX alike where named so) */
#define QD_RX_CTRL		0x00	/* RX queue: updateRxProd, its first byte */
#define QD_RING_PA		0x10	/* TX ring, or RX ring 0 */
#define QD_RING2_PA		0x18	/* RX ring 1 */
#define QD_COMP_PA		0x20
#define QD_RING_SIZE		0x38
#define QD_RING2_SIZE		0x3c
#define QD_COMP_SIZE		0x40
#define QD_INTR_IDX		0x48
#define QD_TX			0
#define QD_RX			1

/* TX descriptor: address (0), len/gen/msscof (8), hlen/om/eop/cq (12) */
#define TXD_WORD		8
#define TXD_LEN_MASK		0x3fff
#define TXD_GEN			(1u << 14)
#define TXD_MSSCOF_SHIFT	18
#define TXD_OM_CSUM		(2u << 10)
#define TXD_EOP			(1u << 12)
#define TXD_CQ			(1u << 13)
/* TX completion: txdIdx (0), gen (bit 31 of 12) */
#define TCD_IDX_MASK		0xfff
/* RX descriptor: address (0), len/btype/gen (8); btype 0 = head buffer */
#define RXD_WORD		8
#define RXD_LEN_MASK		0x3fff
#define RXD_GEN_SHIFT		31
/* RX completion: rxdIdx/sop/eop/cnc (0), len (8), csum bits/gen (12) */
#define RCD_IDX_MASK		0xfff
#define RCD_CNC			(1u << 30)	/* checksum not calculated */
#define RCD_LEN_MASK		0x3fff
#define RCD_TUC			(1u << 16)	/* TCP/UDP checksum correct */
#define RCD_UDP			(1u << 17)
#define RCD_TCP			(1u << 18)
#define COMP_GEN_SHIFT		31

#define DESC_SIZE		16
#define TX_RING			0
#define TXC_RING		1
#define RX_RING			2
#define RX1_RING		3
#define RXC_RING		4
#define SHARED_RING		5
#define QDESC_RING		6

/* RX ring 1 takes body buffers of frames larger than one buffer: never here. */
#define RX1_SIZE		32
#define MTU			1500
#define VEC_QUEUES		0
#define VEC_EVENTS		1
#define NR_VECS			2
#define INTR_AUTO_MASK		1	/* intrConf.autoMask, its first byte */
#define IPPROTO_TCP_		6
#define TCP_CSUM_OFF		16
#define UDP_CSUM_OFF		6

/*
 * Test hooks: selftests/progs/vmxnet3_*.bpf.c include this file with one
 * of them redefined to misbehave, to prove the shim contains such a plugin.
 */
#ifndef vmxnet3_rx_slot
#define vmxnet3_rx_slot(slot)		(slot)
#endif
#ifndef vmxnet3_tx_reaped
#define vmxnet3_tx_reaped(port, slot)	do { } while (0)
#endif
#ifndef vmxnet3_tx_queued
#define vmxnet3_tx_queued(desc)		do { } while (0)
#endif
/* a variant that hooks between an RX post and its publish makes two calls */
#if defined(vmxnet3_rx_posted) || defined(vmxnet3_rx_publish_slot)
#define VMXNET3_RX_POST_APART
#endif
#ifndef vmxnet3_rx_publish_slot
#define vmxnet3_rx_publish_slot(slot)	(slot)
#endif
#ifndef vmxnet3_rx_post_slot
#define vmxnet3_rx_post_slot(slot)	(slot)
#endif
#ifndef vmxnet3_rx_post_ring
#define vmxnet3_rx_post_ring		RX_RING
#endif
#ifndef vmxnet3_rx_post_word
#define vmxnet3_rx_post_word		RXD_WORD
#endif
/* vmxnet3_rx_posted(desc): unset, a refill does not touch the descriptor */
#ifndef vmxnet3_irq_seen
#define vmxnet3_irq_seen(port, vector)	do { } while (0)
#endif
/* vmxnet3_irq_vectors: the vectors whose interrupts call the irq member */
#ifndef vmxnet3_irq_vectors
#define vmxnet3_irq_vectors		(1 << VEC_EVENTS)
#endif
#ifndef vmxnet3_rx_kick
#define vmxnet3_rx_kick(port)	npa_ring_kick(port, RX_RING, BAR_REGS, REG_RXPROD, rx_ntu)
#endif
#ifndef vmxnet3_before_activate
#define vmxnet3_before_activate(port)	do { } while (0)
#endif

/*
 * Ring sizes, chosen at load time, unless ethtool -G asked for others: probe
 * sets tx_size and rx_size from one or the other. The device takes 32 to
 * 4096 descriptors a ring, in multiples of 32 (VMXNET3_RING_SIZE_ALIGN).
 * A setting outside that is refused; what ethtool -G asks is rounded up to
 * a multiple of 32, at most 4096, as in-tree vmxnet3 does.
 */
#define RING_SIZE_MIN		32
#define RING_SIZE_MAX		4096
const volatile __u32 tx_ring_size = 256;
const volatile __u32 rx_ring_size = 256;
static __u32 tx_size, rx_size;

static __always_inline bool ring_size_ok(__u32 n)
{
	return n >= RING_SIZE_MIN && n <= RING_SIZE_MAX && !(n % 32);
}

/* the ring size ethtool -G asked for @queue, or else the setting */
static __always_inline __u32 ring_size(struct npa_port *port, __u32 queue,
				       __u32 setting)
{
	__u32 n = npa_port_ring_size(port, queue);

	if (!n)
		return setting;
	return n > RING_SIZE_MAX ? RING_SIZE_MAX : (n + 31) & ~31;
}

/*
 * Queue state: next to use / next to clean and the generation the next
 * descriptor written gets; for completion rings the next entry and the
 * generation that marks it as written by the device.
 */
static __u32 tx_ntu, tx_ntc, tx_gen, txc_next, txc_gen;
static __u32 rx_ntu, rx_gen, rx_unposted, rxc_next, rxc_gen;
/* what the device may write into one RX buffer (npa_port_rx_buf_len()) */
static __u32 rx_buf_len;

/* A 32-bit field of the shared area or the queue descriptor table. */
static __always_inline __u32 *area_field(struct npa_port *port, __u32 ring,
					 __u32 off)
{
	__u8 *chunk = npa_ring_desc(port, ring, off / CHUNK, CHUNK);

	return chunk ? (__u32 *)(chunk + off % CHUNK) : NULL;
}

static __always_inline void area_write(struct npa_port *port, __u32 ring,
				       __u32 off, __u32 val)
{
	__u32 *f = area_field(port, ring, off);

	if (f)
		*f = val;
}

/*
 * The device asks for RXPROD writes by setting its RX queue's updateRxProd
 * (QEMU's model never does, and ignores them): as in-tree vmxnet3, a poll
 * writes it only then.
 */
static __always_inline bool vmxnet3_rx_prod_wanted(struct npa_port *port)
{
	__u32 *ctrl = area_field(port, QDESC_RING, QD_RX * CHUNK + QD_RX_CTRL);

	return ctrl && (*ctrl & 0xff);
}

static __always_inline __u32 vmxnet3_cmd(struct npa_port *port, __u32 cmd)
{
	npa_reg_write32(port, BAR_CTRL, REG_CMD, cmd);
	return npa_reg_read32(port, BAR_CTRL, REG_CMD);
}

static __always_inline void vmxnet3_update_link(struct npa_port *port)
{
	__u32 link = vmxnet3_cmd(port, CMD_GET_LINK);

	/* bit 0: link up; bits 31..16: speed in Mb/s */
	npa_port_set_link(port, link & 1, link >> 16);
	npa_port_publish(port, "link", link);
}

/* The device keeps the shared area's address until RESET_DEV clears it. */
static __always_inline void vmxnet3_set_shared(struct npa_port *port)
{
	npa_ring_write_base(port, SHARED_RING, BAR_CTRL, REG_DSAL, REG_DSAH);
}

static __always_inline void imr_write(struct npa_port *port, __u32 masked)
{
	npa_reg_write32(port, BAR_REGS, REG_IMR(VEC_QUEUES), masked);
	npa_reg_write32(port, BAR_REGS, REG_IMR(VEC_EVENTS), masked);
}

/* Rings, the shared area and the queue descriptors that point at the rings. */
static __always_inline int vmxnet3_setup_memory(struct npa_port *port)
{
	int err;

	err = npa_ring_create(port, TX_RING, tx_size, DESC_SIZE, 0);
	err = err ?: npa_ring_create(port, TXC_RING, tx_size, DESC_SIZE,
				     NPA_RING_NO_ADDR);
	err = err ?: npa_ring_create(port, RX_RING, rx_size, DESC_SIZE, 0);
	err = err ?: npa_ring_create(port, RX1_RING, RX1_SIZE, DESC_SIZE,
				     NPA_RING_NO_ADDR);
	/* the most a poll can ask for: rx_poll takes it whole, at a constant size */
	err = err ?: npa_ring_create(port, RXC_RING, RING_SIZE_MAX, DESC_SIZE,
				     NPA_RING_NO_ADDR);
	err = err ?: npa_ring_create(port, SHARED_RING, SHARED_CHUNKS, CHUNK,
				     NPA_RING_NO_ADDR);
	err = err ?: npa_ring_create(port, QDESC_RING, 2, CHUNK, NPA_RING_NO_ADDR);
	err = err ?: npa_ring_set_queue(port, TX_RING, NPA_QUEUE_TX, RING_SIZE_MAX);
	err = err ?: npa_ring_set_queue(port, RX_RING, NPA_QUEUE_RX, RING_SIZE_MAX);
	if (err)
		return err;

	/* where the rings are: the shim writes their addresses */
	err = npa_ring_put_base(port, QDESC_RING, SHARED_RING, 0, SH_QUEUE_DESC_PA);
	err = err ?: npa_ring_put_base(port, TX_RING, QDESC_RING, QD_TX, QD_RING_PA);
	err = err ?: npa_ring_put_base(port, TXC_RING, QDESC_RING, QD_TX, QD_COMP_PA);
	err = err ?: npa_ring_put_base(port, RX_RING, QDESC_RING, QD_RX, QD_RING_PA);
	err = err ?: npa_ring_put_base(port, RX1_RING, QDESC_RING, QD_RX, QD_RING2_PA);
	err = err ?: npa_ring_put_base(port, RXC_RING, QDESC_RING, QD_RX, QD_COMP_PA);
	if (err)
		return err;

	area_write(port, SHARED_RING, SH_MAGIC, SHARED_MAGIC);
	area_write(port, SHARED_RING, SH_DRV_VERSION, 1);
	area_write(port, SHARED_RING, SH_GOS, GOS_64BIT_LINUX);
	area_write(port, SHARED_RING, SH_REV_SPT, REV_1);
	area_write(port, SHARED_RING, SH_UPT_SPT, REV_1);
	area_write(port, SHARED_RING, SH_UPT_FEATURES, UPT_F_RXCSUM);
	area_write(port, SHARED_RING, SH_QUEUE_DESC_LEN, 2 * CHUNK);
	area_write(port, SHARED_RING, SH_MTU, MTU);
	/* one RX buffer per frame, one TX and one RX queue */
	area_write(port, SHARED_RING, SH_RX_SG_QUEUES, 1 | 1 << 16 | 1 << 24);
	/*
	 * The device masks a vector as it fires it (autoMask, as in-tree
	 * vmxnet3 asks of QEMU's model): no register write per interrupt.
	 * 2 vectors, events on VEC_EVENTS.
	 */
	area_write(port, SHARED_RING, SH_INTR_CONF,
		   INTR_AUTO_MASK | NR_VECS << 8 | VEC_EVENTS << 16);
	area_write(port, SHARED_RING, SH_INTR_CTRL, 0);
	/* as Linux: unicast to us, broadcast, all multicast (IPv6 ND) */
	area_write(port, SHARED_RING, SH_RX_MODE,
		   RXM_UCAST | RXM_BCAST | RXM_MCAST | RXM_ALL_MULTI);
	/* as Linux: VLAN 0 (priority tags) passes */
	area_write(port, SHARED_RING, SH_VF_TABLE, 1);

	area_write(port, QDESC_RING, QD_TX * CHUNK + QD_RING_SIZE, tx_size);
	area_write(port, QDESC_RING, QD_TX * CHUNK + QD_COMP_SIZE, tx_size);
	area_write(port, QDESC_RING, QD_TX * CHUNK + QD_INTR_IDX, VEC_QUEUES);
	area_write(port, QDESC_RING, QD_RX * CHUNK + QD_RING_SIZE, rx_size);
	area_write(port, QDESC_RING, QD_RX * CHUNK + QD_RING2_SIZE, RX1_SIZE);
	area_write(port, QDESC_RING, QD_RX * CHUNK + QD_COMP_SIZE, rx_size);
	area_write(port, QDESC_RING, QD_RX * CHUNK + QD_INTR_IDX, VEC_QUEUES);
	return 0;
}

SEC("struct_ops.s/probe")
int BPF_PROG(vmxnet3_probe, struct npa_port *port)
{
	__u32 vrrs, uvrs, lo, hi;
	__u64 mac;
	int err;

	vrrs = npa_reg_read32(port, BAR_CTRL, REG_VRRS);
	if (!(vrrs & REV_1))
		return -95; /* -EOPNOTSUPP: no revision we speak */
	npa_reg_write32(port, BAR_CTRL, REG_VRRS, REV_1);
	uvrs = npa_reg_read32(port, BAR_CTRL, REG_UVRS);
	if (!(uvrs & REV_1))
		return -95;
	npa_reg_write32(port, BAR_CTRL, REG_UVRS, REV_1);
	npa_port_publish(port, "vrrs", vrrs);
	npa_port_publish(port, "uvrs", uvrs);

	tx_size = ring_size(port, NPA_QUEUE_TX, tx_ring_size);
	rx_size = ring_size(port, NPA_QUEUE_RX, rx_ring_size);
	if (!ring_size_ok(tx_size) || !ring_size_ok(rx_size))
		return -22; /* -EINVAL */
	err = vmxnet3_setup_memory(port);
	if (err)
		return err;

	/*
	 * The device may write events into the shared area at any time: it
	 * must never point at address 0, so set it before the reset, which
	 * forgets it, and again after.
	 */
	vmxnet3_set_shared(port);
	vmxnet3_cmd(port, CMD_RESET_DEV);
	vmxnet3_set_shared(port);

	lo = vmxnet3_cmd(port, CMD_GET_PERM_MAC_LO);
	hi = vmxnet3_cmd(port, CMD_GET_PERM_MAC_HI);
	/* The device gives the MAC little-endian: octet 0 in bits 7..0 of lo. */
	mac = (__u64)(lo & 0xff) << 40 | (__u64)((lo >> 8) & 0xff) << 32 |
	      (__u64)((lo >> 16) & 0xff) << 24 | (__u64)(lo >> 24) << 16 |
	      (__u64)(hi & 0xff) << 8 | ((hi >> 8) & 0xff);
	npa_port_publish(port, "perm_mac", mac);
	if (npa_port_set_mac(port, mac))
		return -22; /* -EINVAL */

	vmxnet3_update_link(port);
	return 0;
}

static __always_inline __u32 ring_next(__u32 i, __u32 size)
{
	return i + 1 == size ? 0 : i + 1;
}

/*
 * Give the next RX slot without a buffer one (there is one: rx_unposted);
 * false if it could not.
 *
 * The device never writes an RX descriptor and open zeroed them: of a
 * descriptor only its address (the shim's, at the post) and the word with
 * the length and generation (the publish) change. (The ring state stays in
 * globals: a local the verifier could follow through every wrap would
 * never converge.)
 */
static __always_inline bool rx_refill_one(struct npa_port *port)
{
	int len;

#ifdef VMXNET3_RX_POST_APART
	len = npa_rx_post(port, RX_RING, rx_ntu);
	if (len < 0)
		return false;
#ifdef vmxnet3_rx_posted
	{
		__u32 *d = (__u32 *)npa_ring_desc(port, RX_RING, rx_ntu, DESC_SIZE);

		if (!d)
			return false;
		vmxnet3_rx_posted(d);
	}
#endif
	/* head buffer; the generation bit hands it to the device */
	if (npa_ring_publish(port, RX_RING, vmxnet3_rx_publish_slot(rx_ntu),
			     RXD_WORD, (len & RXD_LEN_MASK) | rx_gen << RXD_GEN_SHIFT))
		return false;
#else
	/* a head buffer, handed over by the generation bit: one call */
	len = npa_rx_post_publish(port, vmxnet3_rx_post_ring,
				  vmxnet3_rx_post_slot(rx_ntu),
				  vmxnet3_rx_post_word,
				  (rx_buf_len & RXD_LEN_MASK) | rx_gen << RXD_GEN_SHIFT);
	if (len < 0)
		return false;
#endif
	rx_ntu = ring_next(rx_ntu, rx_size);
	if (!rx_ntu)
		rx_gen ^= 1;
	rx_unposted--;
	return true;
}

/* Give every RX slot without a buffer one, in ring order. */
static __always_inline void rx_refill(struct npa_port *port)
{
	int i;

	bpf_for(i, 0, rx_size) {
		if (!rx_unposted || !rx_refill_one(port))
			break;
	}
}

/* Zero a ring's descriptors: nothing stale may look owned by the device. */
static __always_inline void ring_clear(struct npa_port *port, __u32 ring,
				       __u32 count)
{
	__u32 *d;
	int i;

	bpf_for(i, 0, count) {
		d = (__u32 *)npa_ring_desc(port, ring, i, DESC_SIZE);
		if (!d)
			break;
		d[2] = 0;
		d[3] = 0;
	}
}

SEC("struct_ops/open")
int BPF_PROG(vmxnet3_open, struct npa_port *port)
{
	ring_clear(port, TX_RING, tx_size);
	ring_clear(port, TXC_RING, tx_size);
	ring_clear(port, RX_RING, rx_size);
	ring_clear(port, RXC_RING, rx_size);
	tx_ntu = 0;
	tx_ntc = 0;
	tx_gen = 1;
	txc_next = 0;
	txc_gen = 1;
	rx_ntu = 0;
	rx_gen = 1;
	rx_unposted = rx_size;
	rxc_next = 0;
	rxc_gen = 1;
	rx_buf_len = npa_port_rx_buf_len(port);
	rx_refill(port);

	vmxnet3_set_shared(port);
	vmxnet3_before_activate(port);
	if (vmxnet3_cmd(port, CMD_ACTIVATE_DEV))
		return -5; /* -EIO: the device refused the configuration */
	vmxnet3_rx_kick(port);
	vmxnet3_update_link(port);
	imr_write(port, 0);
	return 0;
}

SEC("struct_ops/stop")
void BPF_PROG(vmxnet3_stop, struct npa_port *port)
{
	imr_write(port, 1);
	vmxnet3_cmd(port, CMD_QUIESCE_DEV);
	vmxnet3_cmd(port, CMD_RESET_DEV);
	vmxnet3_set_shared(port);
}

SEC("struct_ops/xmit")
int BPF_PROG(vmxnet3_xmit, struct npa_port *port, struct npa_tx *tx)
{
	__u32 nsegs = tx->nr_frags + 1, used, ntu = tx_ntu, gen = tx_gen;
	__u32 sop = tx_ntu, hlen = 0, om = 0, msscof = 0, w2, w3;
	__u32 *d, *first = NULL;
	int len, seg;

	used = tx_ntu >= tx_ntc ? tx_ntu - tx_ntc : tx_ntu + tx_size - tx_ntc;
	if (used + nsegs >= tx_size)
		return -28; /* -ENOSPC: the shim stops the queue */

	if (tx->csum_l4) {
		/* the device fills in the checksum at msscof, after hlen bytes */
		hlen = tx->l2_len + tx->l3_len;
		om = TXD_OM_CSUM;
		msscof = hlen + (tx->csum_l4 == IPPROTO_TCP_ ? TCP_CSUM_OFF : UDP_CSUM_OFF);
	}

	bpf_for(seg, 0, nsegs) {
		len = npa_tx_map(port, tx, seg, TX_RING, ntu);
		if (len < 0)
			return len;
		d = (__u32 *)npa_ring_desc(port, TX_RING, ntu, DESC_SIZE);
		if (!d)
			return -22;
		/* the first descriptor stays the driver's until the packet is whole */
		w2 = (len & TXD_LEN_MASK) | (seg ? gen : gen ^ 1) << 14;
		w3 = 0;
		if (!seg) {
			w2 |= msscof << TXD_MSSCOF_SHIFT;
			w3 = hlen | om;
			first = d;
		}
		if (seg + 1 == nsegs)
			w3 |= TXD_EOP | TXD_CQ;
		d[3] = w3;
		d[2] = w2;
		vmxnet3_tx_queued(d);
		ntu = ring_next(ntu, tx_size);
		if (!ntu)
			gen ^= 1;
	}
	/* the packet is whole: its first descriptor goes to the device */
	if (!first || npa_ring_publish(port, TX_RING, sop, TXD_WORD, first[2] ^ TXD_GEN))
		return -22;
	tx_ntu = ntu;
	tx_gen = gen;
	return npa_ring_kick(port, TX_RING, BAR_REGS, REG_TXPROD, tx_ntu);
}

SEC("struct_ops/tx_clean")
int BPF_PROG(vmxnet3_tx_clean, struct npa_port *port, int budget)
{
	__u32 *c, eop, slot;
	int i, j, n = 0;

	bpf_for(i, 0, tx_size) {
		c = (__u32 *)npa_ring_desc(port, TXC_RING, txc_next, DESC_SIZE);
		if (!c || c[3] >> COMP_GEN_SHIFT != txc_gen)
			break;
		/* one completion per packet: every descriptor up to its EOP */
		eop = c[0] & TCD_IDX_MASK;
		bpf_for(j, 0, tx_size) {
			if (tx_ntc == tx_ntu)
				break;
			slot = tx_ntc;
			npa_tx_complete(port, TX_RING, slot);
			vmxnet3_tx_reaped(port, slot);
			tx_ntc = ring_next(tx_ntc, tx_size);
			n++;
			if (slot == eop)
				break;
		}
		txc_next = ring_next(txc_next, tx_size);
		if (!txc_next)
			txc_gen ^= 1;
	}
	return n;
}

/* Device events (link changes) land in the shared area's ECR field. */
static __always_inline void vmxnet3_events(struct npa_port *port)
{
	__u32 *ecr = area_field(port, SHARED_RING, SH_ECR);
	__u32 events;

	if (!ecr)
		return;
	events = *ecr;
	if (!events)
		return;
	npa_reg_write32(port, BAR_CTRL, REG_ECR, events);
	if (events & ECR_LINK)
		vmxnet3_update_link(port);
}

SEC("struct_ops/rx_poll")
int BPF_PROG(vmxnet3_rx_poll, struct npa_port *port, int budget)
{
	__u32 w0, w3, flags, *c;
	/* (a refill of the whole ring brings rx_ntu back, with rx_gen flipped) */
	__u32 ntu = rx_ntu, gen = rx_gen;
	__u8 *ring;
	int i, n = 0;

	/* the completion ring whole: one kfunc call a poll, not one a frame */
	ring = npa_ring_desc(port, RXC_RING, 0, RING_SIZE_MAX * DESC_SIZE);
	if (!ring)
		return 0;
	bpf_for(i, 0, budget) {
		/* (it wraps at rx_size: this is the verifier's bound) */
		if (rxc_next >= RING_SIZE_MAX)
			break;
		c = (__u32 *)(ring + rxc_next * DESC_SIZE);
		w3 = c[3];
		if (w3 >> COMP_GEN_SHIFT != rxc_gen)
			break;
		w0 = c[0];
		flags = 0;
		if (!(w0 & RCD_CNC) && (w3 & RCD_TUC) && (w3 & (RCD_TCP | RCD_UDP)))
			flags |= NPA_RX_CSUM_OK;
		/* one buffer per frame (maxNumRxSG 1): every completion is one */
		npa_rx_indicate(port, RX_RING, vmxnet3_rx_slot(w0 & RCD_IDX_MASK),
				c[2] & RCD_LEN_MASK, flags);
		rxc_next = ring_next(rxc_next, rx_size);
		if (!rxc_next)
			rxc_gen ^= 1;
		rx_unposted++;
		n++;
		/* and the oldest slot without a buffer gets one at once */
		rx_refill_one(port);
	}
	/* what an earlier poll could not post (no memory then) */
	if (rx_unposted)
		rx_refill(port);
	if ((rx_ntu != ntu || rx_gen != gen) && vmxnet3_rx_prod_wanted(port))
		vmxnet3_rx_kick(port);
	vmxnet3_events(port);
	return n;
}

/*
 * The event vector fired (and the device masked it): the next irq_enable
 * unmasks it. Each interrupt is followed by a NAPI poll, so a flag set
 * while irq_enable clears it is seen by the poll after.
 */
static volatile __u32 events_fired;

SEC("struct_ops/irq")
void BPF_PROG(vmxnet3_irq, struct npa_port *port, __u32 vector)
{
	vmxnet3_irq_seen(port, vector);
	if (vector == VEC_EVENTS)
		events_fired = 1;
}

/*
 * The device keeps an interrupt raised while its vector was masked pending
 * and raises it at the unmask (QEMU's model as VMware's; in-tree vmxnet3
 * relies on it too): whatever came in meanwhile brings a poll, no ring
 * needs a look here.
 */
SEC("struct_ops/irq_enable")
int BPF_PROG(vmxnet3_irq_enable, struct npa_port *port)
{
	/* the event vector only if it fired: one register write a poll */
	npa_reg_write32(port, BAR_REGS, REG_IMR(VEC_QUEUES), 0);
	if (events_fired) {
		events_fired = 0;
		npa_reg_write32(port, BAR_REGS, REG_IMR(VEC_EVENTS), 0);
	}
	return 0;
}

SEC("struct_ops.s/remove")
void BPF_PROG(vmxnet3_remove, struct npa_port *port)
{
	vmxnet3_set_shared(port);
	vmxnet3_cmd(port, CMD_QUIESCE_DEV);
	vmxnet3_cmd(port, CMD_RESET_DEV);
}

SEC(".struct_ops.link")
struct npa_ops vmxnet3_ops = {
	.probe		= (void *)vmxnet3_probe,
	.remove		= (void *)vmxnet3_remove,
	.open		= (void *)vmxnet3_open,
	.stop		= (void *)vmxnet3_stop,
	.xmit		= (void *)vmxnet3_xmit,
	.tx_clean	= (void *)vmxnet3_tx_clean,
	.rx_poll	= (void *)vmxnet3_rx_poll,
	.irq		= (void *)vmxnet3_irq,
	.irq_enable	= (void *)vmxnet3_irq_enable,
	/* the queue vector, masked by the device as it fires, needs nothing */
	.irq_vectors	= vmxnet3_irq_vectors,
	.vendor		= VMXNET3_VENDOR,
	.device		= VMXNET3_DEVICE,
	.features	= NPA_F_TX_CSUM,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "vmxnet3",
};
