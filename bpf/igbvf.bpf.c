// SPDX-License-Identifier: GPL-2.0
/*
 * npa plugin for the Intel 82576 SR-IOV Virtual Function (8086:10ca), as
 * QEMU's igb model exposes it: 16 KiB of registers in BAR0, 4-byte access.
 *
 * probe resets the VF and runs the PF mailbox handshake that gives the VF
 * its MAC address and lets it send and receive; open sets up one TX and
 * one RX queue of advanced descriptors, on MSI-X vectors 0 and 1. TCP and
 * UDP checksums are the device's work, both ways, and so is cutting TCP
 * into segments (TSO).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

#define IGBVF_VENDOR		0x8086
#define IGBVF_DEVICE		0x10ca

#define BAR_REGS		0
#define REG_CTRL		0x0000
#define REG_STATUS		0x0008
#define REG_V2PMAILBOX		0x0c40
#define REG_VMBMEM		0x0800

#define REG_EIMS		0x1524
#define REG_EIMC		0x1528
#define REG_EIAC		0x152c
#define REG_EIAM		0x1530
#define REG_EITR(v)		(0x1680 + 4 * (v))	/* interrupt throttling */
#define EITR_SHIFT		2	/* interval in us, bits 14..2 */
#define EITR_MAX_USECS		8191
#define REG_IVAR0		0x1700
#define REG_IVAR_MISC		0x1740
/* queue 0 registers */
#define REG_RDBAL		0x2800
#define REG_RDBAH		0x2804
#define REG_RDLEN		0x2808
#define REG_SRRCTL		0x280c
#define REG_RDH			0x2810
#define REG_RDT			0x2818
#define REG_RXDCTL		0x2828
#define REG_TDBAL		0x3800
#define REG_TDBAH		0x3804
#define REG_TDLEN		0x3808
#define REG_TDH			0x3810
#define REG_TDT			0x3818
#define REG_TXDCTL		0x3828

#define CTRL_RST		0x04000000
#define STATUS_LU		0x00000002
#define XDCTL_ENABLE		0x02000000
#define SRRCTL_ONEBUF		0x02000000
#define SRRCTL_DROP_EN		0x80000000
#define IVAR_VALID		0x80
/*
 * Vectors as in-tree igbvf lays them out (QEMU keeps a VF's queue-to-vector
 * map across drivers, so another layout would inherit its entries): TX0 on
 * vector 0, RX0 on vector 1, the PF mailbox on vector 2.
 */
#define VEC_TX			0
#define VEC_RX			1
#define VEC_MBX			2
#define EIMS_QUEUE		(1 << VEC_TX | 1 << VEC_RX)
#define EIMS_MBX		(1 << VEC_MBX)
#define EIMS_ALL		0x7

/* Advanced TX data descriptor: address (0), cmd_type_len (8), olinfo (12) */
#define TXD_DTYP_DATA		0x00300000
#define TXD_DEXT		0x20000000
#define TXD_IFCS		0x02000000
#define TXD_EOP			0x01000000
#define TXD_RS			0x08000000
#define TXD_TSE			0x80000000	/* segment the packet */
#define TXD_PAYLEN_SHIFT	14
#define TXD_POPTS_IXSM		0x100	/* olinfo: insert the IPv4 checksum */
#define TXD_POPTS_TXSM		0x200	/* olinfo: insert the L4 checksum */
#define TXD_STAT_DD		0x1

/* Advanced TX context descriptor: vlan_macip_lens (0), type_tucmd (8) */
#define TXC_DTYP_CTXT		0x00200000
#define TXC_MACLEN_SHIFT	9
#define TXC_TUCMD_IPV4		0x00000400
#define TXC_TUCMD_L4T_TCP	0x00000800
#define TXC_L4LEN_SHIFT		8	/* mss_l4len_idx (12) */
#define TXC_MSS_SHIFT		16
#define IPPROTO_TCP_		6

/* Advanced RX descriptor: read: packet (0), header (8) addresses;
 * write-back: status_error (8), length (12).
 */
#define RXD_STAT_DD		0x1
#define RXD_STAT_EOP		0x2
#define RXD_STAT_UDPCS		0x10
#define RXD_STAT_TCPCS		0x20
#define RXD_ERR_TCPE		0x20000000

#define DESC_SIZE		16
#define TX_RING			0
#define RX_RING			1

/*
 * Test hooks: selftests/progs/igbvf_*.bpf.c include this file with one of
 * them redefined to misbehave, to prove the shim contains such a plugin
 * (or, for igbvf_tx_clean_packets, to prove the plugin's own state holds).
 */
#ifndef igbvf_rx_slot
#define igbvf_rx_slot(slot)		(slot)
#endif
#ifndef igbvf_rx_len
#define igbvf_rx_len(len)		(len)
#endif
#ifndef igbvf_tx_done
#define igbvf_tx_done(status)		((status) & TXD_STAT_DD)
#endif
#ifndef igbvf_tx_reaped
#define igbvf_tx_reaped(port, slot)	do { } while (0)
#endif
#ifndef igbvf_tx_nsegs
#define igbvf_tx_nsegs(tx)		((tx)->nr_frags + 1)
#endif
#ifndef igbvf_tx_queued
#define igbvf_tx_queued(desc)		do { } while (0)
#endif
#ifndef igbvf_tx_before_kick
#define igbvf_tx_before_kick(port)	do { } while (0)
#endif
#ifndef igbvf_tx_clean_packets
#define igbvf_tx_clean_packets		tx_size	/* a tx_clean's most */
#endif
#ifndef igbvf_tx_full
#define igbvf_tx_full()			do { } while (0)
#endif
#ifndef igbvf_rx_stuck
#define igbvf_rx_stuck			0
#endif
#ifndef igbvf_rx_polled
#define igbvf_rx_polled(port)		do { } while (0)
#endif
#ifndef igbvf_probe_wait
#define igbvf_probe_wait(port)		do { } while (0)
#endif
#ifndef igbvf_link
#define igbvf_link(status)		((status) & STATUS_LU)
#endif
#ifndef igbvf_watchdog_ret
#define igbvf_watchdog_ret		0
#endif
#ifndef igbvf_irq_rearm_reg
#define igbvf_irq_rearm_reg		REG_EIMS
#endif
#ifndef igbvf_pf_busy
#define igbvf_pf_busy()			0
#endif

/*
 * Ring sizes, chosen at load time (npactl, or the skeleton's rodata), unless
 * ethtool -G asked for others: probe sets tx_size and rx_size from one or
 * the other. A multiple of 8 descriptors (the length registers count in
 * 128 bytes), at least 64 (room for a packet of 17 segments and its
 * context descriptor, several times over). A setting outside that is
 * refused; what ethtool -G asks is brought into it, as in-tree igbvf does.
 */
#define RING_SIZE_MIN		64
#define RING_SIZE_MAX		4096
const volatile __u32 tx_ring_size = 256;
const volatile __u32 rx_ring_size = 256;
static __u32 tx_size, rx_size;

static __always_inline bool ring_size_ok(__u32 n)
{
	return n >= RING_SIZE_MIN && n <= RING_SIZE_MAX && !(n % 8);
}

/* the ring size ethtool -G asked for @queue, or else the setting */
static __always_inline __u32 ring_size(struct npa_port *port, __u32 queue,
				       __u32 setting)
{
	__u32 n = npa_port_ring_size(port, queue);

	if (!n)
		return setting;
	if (n < RING_SIZE_MIN)
		return RING_SIZE_MIN;
	return n > RING_SIZE_MAX ? RING_SIZE_MAX : (n + 7) & ~7;
}

/*
 * Interrupt throttling of the queue vectors, in microseconds (0 to 8191):
 * 122 is where in-tree igbvf starts (about 8000 interrupts a second).
 * ethtool -C rx-usecs changes it while the plugin runs.
 */
const volatile __u32 itr_usecs = 122;

/*
 * Per packet, at the slot of its first descriptor: whether that is a
 * context descriptor (no buffer), and the slot of its last descriptor,
 * the only one the device reports done (RS).
 */
static __u8 tx_is_ctx[RING_SIZE_MAX];
static __u16 tx_eop[RING_SIZE_MAX];

/* Queue state: next to use / next to clean, as in every NIC driver. */
static __u32 tx_ntu, tx_ntc, rx_ntu, rx_ntc;

/* V2PMAILBOX bits; PFSTS, PFACK and RSTD clear when read. */
#define MBX_REQ			0x01
#define MBX_ACK			0x02
#define MBX_VFU			0x04
#define MBX_PFSTS		0x10
#define MBX_PFACK		0x20
#define MBX_RSTI		0x40
#define MBX_RSTD		0x80

/* Mailbox messages */
#define VF_RESET		0x01
#define VF_SET_MAC_ADDR		0x02
#define VF_SET_MULTICAST	0x03
#define VF_SET_PROMISC		0x06
#define PROMISC_MULTICAST	0x00020000	/* VF_SET_PROMISC: allmulti */
#define PF_CONTROL_MSG		0x0100		/* PF to VF: a ping */
#define MSG_COUNT_SHIFT		16
#define MBX_WORDS		16
#define MC_HASHES_MAX		30	/* what fits in one message */
#define MSG_ACK			0x80000000
#define MSG_NACK		0x40000000
#define MSG_CTS			0x20000000

/*
 * Polls of the mailbox: the PF answers from its IRQ thread, within a few
 * milliseconds unless its CPU is busy. The first ones 1 ms apart, the rest
 * 5 ms: about a second in all, as in-tree igbvf (2000 polls 500 us apart).
 */
#define MBX_POLLS		200
#define MBX_POLLS_FAST		50

/* Bits of V2PMAILBOX seen so far: reading clears some of them. */
static __u32 mbx_seen;
/* The PF reset the VF behind our back: it needs the handshake again. */
static bool pf_reset;
/* The multicast filter the PF holds for us: allmulti or not. */
static bool mc_promisc;

/* the TX and RX vectors raise at most one interrupt every @usecs */
static __always_inline void queue_eitr_write(struct npa_port *port, __u32 usecs)
{
	npa_reg_write32(port, BAR_REGS, REG_EITR(VEC_TX), usecs << EITR_SHIFT);
	npa_reg_write32(port, BAR_REGS, REG_EITR(VEC_RX), usecs << EITR_SHIFT);
}

static __always_inline __u32 mbx_read(struct npa_port *port)
{
	mbx_seen |= npa_reg_read32(port, BAR_REGS, REG_V2PMAILBOX);
	return mbx_seen;
}

/* Wait until one of @bits is seen, and consume it. */
static __always_inline int mbx_wait(struct npa_port *port, __u32 bits)
{
	int i;

	for (i = 0; i < MBX_POLLS; i++) {
		if (mbx_read(port) & bits) {
			mbx_seen &= ~bits;
			return 0;
		}
		npa_sleep_us(port, i < MBX_POLLS_FAST ? 1000 : 5000);
	}
	return -110; /* -ETIMEDOUT */
}

/* Send a message of @n words and wait for the PF to take it. */
static __always_inline int mbx_send(struct npa_port *port, __u32 *msg, int n)
{
	int i;

	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_VFU);
	if (!(mbx_read(port) & MBX_VFU))
		return -16; /* -EBUSY: the PF holds the mailbox */
	/* A stale message or ack would be taken for the answer. */
	mbx_seen &= ~(MBX_PFSTS | MBX_PFACK);
	bpf_for(i, 0, n)
		npa_reg_write32(port, BAR_REGS, REG_VMBMEM + 4 * i,
				msg[i & (MBX_WORDS - 1)]);
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_REQ);
	return mbx_wait(port, MBX_PFACK);
}

/* Take the PF's message: return its first word. */
static __always_inline __u32 mbx_take(struct npa_port *port)
{
	__u32 msg;

	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_VFU);
	msg = npa_reg_read32(port, BAR_REGS, REG_VMBMEM);
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_ACK);
	return msg;
}

/*
 * Send a message of type @msg[0] and wait for the PF's answer: 0 if the
 * PF acked it, a negative errno otherwise.
 */
static __always_inline int mbx_call(struct npa_port *port, __u32 *msg, int n)
{
	__u32 type = msg[0] & 0xffff, reply;
	int err;

	err = mbx_send(port, msg, n);
	if (!err)
		err = mbx_wait(port, MBX_PFSTS);
	if (err)
		return err;
	reply = mbx_take(port);
	if ((reply & 0xffff) != type)
		return -71; /* -EPROTO: an answer to something else */
	return reply & MSG_ACK ? 0 : -95; /* -EOPNOTSUPP: NACK */
}

static __always_inline int mbx_send_reset(struct npa_port *port)
{
	__u32 msg[MBX_WORDS] = { VF_RESET };

	return mbx_send(port, msg, 1);
}

/* Ask the PF to receive for the VF on @mac: 0, or -EPERM if it refuses
 * (an administrator set the VF's MAC through the PF).
 */
static __always_inline int mbx_set_mac(struct npa_port *port, __u64 mac)
{
	__u32 msg[MBX_WORDS] = { VF_SET_MAC_ADDR };
	int err;

	/* the MAC as bytes, octet 0 in bits 7..0 of word 1 */
	msg[1] = (mac >> 40 & 0xff) | (mac >> 32 & 0xff) << 8 |
		 (mac >> 24 & 0xff) << 16 | (mac >> 16 & 0xff) << 24;
	msg[2] = (mac >> 8 & 0xff) | (mac & 0xff) << 8;
	err = mbx_call(port, msg, 3);
	return err == -95 ? -1 : err;
}

SEC("struct_ops.s/probe")
int BPF_PROG(igbvf_probe, struct npa_port *port)
{
	__u32 status, reply, w1, w2;
	__u64 mac;
	int i, err;

	mbx_seen = 0;
	pf_reset = false;
	mc_promisc = false;
	npa_reg_write32(port, BAR_REGS, REG_CTRL, CTRL_RST);
	npa_sleep_us(port, 1000);
	igbvf_probe_wait(port);
	/* The PF must finish its side of the reset first. */
	for (i = 0; i < MBX_POLLS; i++) {
		mbx_seen = 0;
		if (!(mbx_read(port) & (MBX_RSTI | MBX_RSTD)))
			break;
		npa_sleep_us(port, 1000);
	}
	if (i == MBX_POLLS)
		return -110; /* PF still in reset: is its interface up? */

	err = mbx_send_reset(port);
	if (err)
		return err;
	err = mbx_wait(port, MBX_PFSTS);
	if (err)
		return err;
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_VFU);
	reply = npa_reg_read32(port, BAR_REGS, REG_VMBMEM);
	w1 = npa_reg_read32(port, BAR_REGS, REG_VMBMEM + 4);
	w2 = npa_reg_read32(port, BAR_REGS, REG_VMBMEM + 8);
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_ACK);
	npa_port_publish(port, "mbx_reply", reply);

	if ((reply & ~MSG_CTS) == (VF_RESET | MSG_NACK)) {
		/* No MAC from the PF: the interface's random one it is. */
		err = mbx_set_mac(port, npa_port_mac(port));
		if (err)
			return err;
		goto link;
	}
	if ((reply & ~MSG_CTS) != (VF_RESET | MSG_ACK))
		return -71; /* -EPROTO */
	/* VMBMEM holds the MAC as bytes: octet 0 in bits 7..0 of word 1. */
	mac = (__u64)(w1 & 0xff) << 40 | (__u64)((w1 >> 8) & 0xff) << 32 |
	      (__u64)((w1 >> 16) & 0xff) << 24 | (__u64)(w1 >> 24) << 16 |
	      (__u64)(w2 & 0xff) << 8 | ((w2 >> 8) & 0xff);
	npa_port_publish(port, "perm_mac", mac);
	err = npa_port_set_mac(port, mac);
	if (err)
		return err;

link:
	status = npa_reg_read32(port, BAR_REGS, REG_STATUS);
	npa_port_publish(port, "status", status);
	npa_port_set_link(port, status & STATUS_LU, 1000);

	tx_size = ring_size(port, NPA_QUEUE_TX, tx_ring_size);
	rx_size = ring_size(port, NPA_QUEUE_RX, rx_ring_size);
	if (!ring_size_ok(tx_size) || !ring_size_ok(rx_size) ||
	    itr_usecs > EITR_MAX_USECS)
		return -22;
	/* what ethtool -c shows until open programs it */
	npa_port_rx_usecs(port, itr_usecs);
	err = npa_ring_create(port, TX_RING, tx_size, DESC_SIZE, 0);
	err = err ?: npa_ring_create(port, RX_RING, rx_size, DESC_SIZE, 0);
	err = err ?: npa_ring_set_queue(port, TX_RING, NPA_QUEUE_TX, RING_SIZE_MAX);
	return err ?: npa_ring_set_queue(port, RX_RING, NPA_QUEUE_RX, RING_SIZE_MAX);
}

static __always_inline __u32 ring_next(__u32 i, __u32 size)
{
	return i + 1 == size ? 0 : i + 1;
}

/* Give the RX slot at rx_ntu a buffer; false when none is to be had. */
static __always_inline bool rx_refill_one(struct npa_port *port)
{
	__u32 *d;

	if (npa_rx_post(port, RX_RING, rx_ntu) < 0)
		return false;
	d = (__u32 *)npa_ring_desc(port, RX_RING, rx_ntu, DESC_SIZE);
	if (!d)
		return false;
	/* one-buffer mode: no header address; clears the last write-back */
	d[2] = 0;
	d[3] = 0;
	rx_ntu = ring_next(rx_ntu, rx_size);
	return true;
}

SEC("struct_ops/open")
int BPF_PROG(igbvf_open, struct npa_port *port)
{
	int i;

	/* TX queue 0 */
	npa_reg_write32(port, BAR_REGS, REG_TXDCTL, 0);
	npa_ring_write_base(port, TX_RING, BAR_REGS, REG_TDBAL, REG_TDBAH);
	npa_reg_write32(port, BAR_REGS, REG_TDLEN, tx_size * DESC_SIZE);
	npa_reg_write32(port, BAR_REGS, REG_TDH, 0);
	npa_reg_write32(port, BAR_REGS, REG_TDT, 0);
	npa_reg_write32(port, BAR_REGS, REG_TXDCTL, XDCTL_ENABLE);
	tx_ntu = 0;
	tx_ntc = 0;
	bpf_for(i, 0, tx_size)
		tx_is_ctx[i & (RING_SIZE_MAX - 1)] = 0;

	/* RX queue 0: 2 KiB buffers, one per frame */
	npa_reg_write32(port, BAR_REGS, REG_RXDCTL, 0);
	npa_ring_write_base(port, RX_RING, BAR_REGS, REG_RDBAL, REG_RDBAH);
	npa_reg_write32(port, BAR_REGS, REG_RDLEN, rx_size * DESC_SIZE);
	npa_reg_write32(port, BAR_REGS, REG_SRRCTL,
			SRRCTL_DROP_EN | SRRCTL_ONEBUF | 2);
	npa_reg_write32(port, BAR_REGS, REG_RDH, 0);
	npa_reg_write32(port, BAR_REGS, REG_RDT, 0);
	npa_reg_write32(port, BAR_REGS, REG_RXDCTL, XDCTL_ENABLE);
	rx_ntu = 0;
	rx_ntc = 0;
	/* All but one slot: RDT == RDH would mean an empty ring. */
	bpf_for(i, 1, rx_size)
		if (!rx_refill_one(port))
			break;
	npa_ring_kick(port, RX_RING, BAR_REGS, REG_RDT, rx_ntu);

	/* TX0, RX0 and the mailbox on vectors of their own */
	npa_reg_write32(port, BAR_REGS, REG_IVAR0,
			(IVAR_VALID | VEC_RX) | (IVAR_VALID | VEC_TX) << 8);
	npa_reg_write32(port, BAR_REGS, REG_IVAR_MISC, IVAR_VALID | VEC_MBX);
	/*
	 * Queue interrupts at most every itr_usecs, or what ethtool -C asked
	 * since; none on the mailbox.
	 */
	queue_eitr_write(port, npa_port_rx_usecs(port, itr_usecs));
	npa_reg_write32(port, BAR_REGS, REG_EITR(VEC_MBX), 0);
	npa_reg_write32(port, BAR_REGS, REG_EIAC, EIMS_QUEUE | EIMS_MBX);
	npa_reg_write32(port, BAR_REGS, REG_EIAM, EIMS_QUEUE | EIMS_MBX);
	npa_reg_write32(port, BAR_REGS, REG_EIMS, EIMS_QUEUE | EIMS_MBX);
	return 0;
}

SEC("struct_ops/stop")
void BPF_PROG(igbvf_stop, struct npa_port *port)
{
	npa_reg_write32(port, BAR_REGS, REG_EIMC, EIMS_ALL);
	npa_reg_write32(port, BAR_REGS, REG_RXDCTL, 0);
	npa_reg_write32(port, BAR_REGS, REG_TXDCTL, 0);
}

SEC("struct_ops/xmit")
int BPF_PROG(igbvf_xmit, struct npa_port *port, struct npa_tx *tx)
{
	__u32 nsegs = igbvf_tx_nsegs(tx), used, cmd, olinfo, paylen, first, ntu;
	__u32 *d;
	int len, seg;

	used = tx_ntu >= tx_ntc ? tx_ntu - tx_ntc : tx_ntu + tx_size - tx_ntc;
	if (used + nsegs + 2 > tx_size) {
		igbvf_tx_full();
		return -28; /* -ENOSPC: the shim stops the queue */
	}

	/*
	 * Descriptors go from tx_ntu on, and tx_ntu moves past them once the
	 * packet is whole: a segment that cannot be mapped leaves nothing
	 * the next kick would hand to the device.
	 */
	first = tx_ntu;
	ntu = tx_ntu;
	cmd = TXD_DTYP_DATA | TXD_DEXT | TXD_IFCS;
	paylen = tx->len;
	olinfo = 0;
	if (tx->csum_l4) {
		/* A context descriptor tells the device where the headers are. */
		d = (__u32 *)npa_ring_desc(port, TX_RING, ntu, DESC_SIZE);
		if (!d)
			return -22;
		d[0] = tx->l3_len | (__u32)tx->l2_len << TXC_MACLEN_SHIFT;
		d[1] = 0;
		d[2] = TXD_DEXT | TXC_DTYP_CTXT |
		       (tx->l3 == 4 ? TXC_TUCMD_IPV4 : 0) |
		       (tx->csum_l4 == IPPROTO_TCP_ ? TXC_TUCMD_L4T_TCP : 0);
		d[3] = 0;
		olinfo = TXD_POPTS_TXSM;
		if (tx->mss) {
			d[3] = (__u32)tx->mss << TXC_MSS_SHIFT |
			       (__u32)tx->l4_len << TXC_L4LEN_SHIFT;
			cmd |= TXD_TSE;
			paylen -= tx->l2_len + tx->l3_len + tx->l4_len;
			if (tx->l3 == 4)
				olinfo |= TXD_POPTS_IXSM;
		}
		tx_is_ctx[ntu & (RING_SIZE_MAX - 1)] = 1;
		ntu = ring_next(ntu, tx_size);
	} else {
		tx_is_ctx[ntu & (RING_SIZE_MAX - 1)] = 0;
	}
	olinfo |= paylen << TXD_PAYLEN_SHIFT;

	bpf_for(seg, 0, nsegs) {
		len = npa_tx_map(port, tx, seg, TX_RING, ntu);
		if (len < 0)
			return len;
		d = (__u32 *)npa_ring_desc(port, TX_RING, ntu, DESC_SIZE);
		if (!d)
			return -22;
		if (seg + 1 == nsegs) {
			d[2] = cmd | TXD_EOP | TXD_RS | len;
			tx_eop[first & (RING_SIZE_MAX - 1)] = ntu;
		} else {
			d[2] = cmd | len;
		}
		d[3] = olinfo;
		igbvf_tx_queued(d);
		ntu = ring_next(ntu, tx_size);
	}
	tx_ntu = ntu;
	igbvf_tx_before_kick(port);
	return npa_ring_kick(port, TX_RING, BAR_REGS, REG_TDT, tx_ntu);
}

/* Is the packet starting at slot @first sent? */
static __always_inline bool tx_packet_done(struct npa_port *port, __u32 first)
{
	__u32 *d;

	d = (__u32 *)npa_ring_desc(port, TX_RING,
				   tx_eop[first & (RING_SIZE_MAX - 1)], DESC_SIZE);
	return d && igbvf_tx_done(d[3]);
}

SEC("struct_ops/tx_clean")
int BPF_PROG(igbvf_tx_clean, struct npa_port *port, int budget)
{
	__u32 eop, slot, *d;
	int i, j, n = 0;

	/*
	 * A whole packet a turn, so tx_ntc only ever rests on a packet's
	 * first slot: tx_eop[] and tx_is_ctx[] say nothing about the others.
	 * (An xmit on the other CPU can keep one call busy for more than a
	 * ring's worth of slots; a call that ran out of turns inside a packet
	 * left the next one to read a stale tx_eop[], and TX stopped.)
	 */
	bpf_for(i, 0, igbvf_tx_clean_packets) {
		if (tx_ntc == tx_ntu || !tx_packet_done(port, tx_ntc))
			break;
		slot = tx_ntc;
		eop = tx_eop[slot & (RING_SIZE_MAX - 1)];
		if (tx_is_ctx[slot & (RING_SIZE_MAX - 1)])
			slot = ring_next(slot, tx_size);
		bpf_for(j, 0, tx_size) {
			npa_tx_complete(port, TX_RING, slot);
			igbvf_tx_reaped(port, slot);
			d = (__u32 *)npa_ring_desc(port, TX_RING, slot, DESC_SIZE);
			if (d)
				d[3] = 0;
			n++;
			if (slot == eop)
				break;
			slot = ring_next(slot, tx_size);
		}
		/* the slots' descriptors are clear before xmit may reuse them */
		tx_ntc = ring_next(eop, tx_size);
	}
	return n;
}

SEC("struct_ops/rx_poll")
int BPF_PROG(igbvf_rx_poll, struct npa_port *port, int budget)
{
	__u32 *d, status, flags;
	int i, n = 0, posted = 0;

	igbvf_rx_polled(port);
	if (igbvf_rx_stuck)
		return 0;
	bpf_for(i, 0, budget) {
		/*
		 * Nothing posted from rx_ntu on: a ring that refills could not
		 * fill runs empty, and the descriptor at rx_ntc is then an old
		 * write-back, its DD bit still set.
		 */
		if (rx_ntc == rx_ntu)
			break;
		d = (__u32 *)npa_ring_desc(port, RX_RING, rx_ntc, DESC_SIZE);
		if (!d)
			break;
		status = d[2];
		if (!(status & RXD_STAT_DD))
			break;
		flags = 0;
		if ((status & (RXD_STAT_TCPCS | RXD_STAT_UDPCS)) &&
		    !(status & RXD_ERR_TCPE))
			flags |= NPA_RX_CSUM_OK;
		npa_rx_indicate(port, RX_RING, igbvf_rx_slot(rx_ntc),
				igbvf_rx_len(d[3] & 0xffff), flags);
		rx_ntc = ring_next(rx_ntc, rx_size);
		n++;
	}
	/* Every slot but one gets a buffer, also those a failed refill left. */
	bpf_for(i, 0, rx_size) {
		if (ring_next(rx_ntu, rx_size) == rx_ntc)
			break;
		if (!rx_refill_one(port))
			break;
		posted++;
	}
	if (posted)
		npa_ring_kick(port, RX_RING, BAR_REGS, REG_RDT, rx_ntu);
	return n;
}

SEC("struct_ops/irq_enable")
int BPF_PROG(igbvf_irq_enable, struct npa_port *port)
{
	__u32 *d;

	npa_reg_write32(port, BAR_REGS, igbvf_irq_rearm_reg, EIMS_QUEUE);
	/* QEMU's VF does not raise again what came in while masked. */
	d = (__u32 *)npa_ring_desc(port, RX_RING, rx_ntc, DESC_SIZE);
	if (d && (d[2] & RXD_STAT_DD))
		return 1;
	return tx_ntc != tx_ntu && tx_packet_done(port, tx_ntc);
}

SEC("struct_ops.s/set_mac")
int BPF_PROG(igbvf_set_mac, struct npa_port *port, __u64 mac)
{
	return mbx_set_mac(port, mac);
}

/* ethtool -C rx-usecs: both queue vectors' throttling, at once */
SEC("struct_ops.s/set_coalesce")
int BPF_PROG(igbvf_set_coalesce, struct npa_port *port, __u32 rx_usecs)
{
	if (rx_usecs > EITR_MAX_USECS)
		return -22; /* -EINVAL: the interval field has 13 bits */
	queue_eitr_write(port, rx_usecs);
	return 0;
}

/* The 12-bit MTA hash of a multicast address (filter type 0). */
static __always_inline __u32 mc_hash(__u64 mac)
{
	return ((mac >> 12) & 0xf) | ((mac & 0xff) << 4);
}

SEC("struct_ops.s/set_rx_mode")
int BPF_PROG(igbvf_set_rx_mode, struct npa_port *port)
{
	__u32 msg[MBX_WORDS] = {}, n, i, h;
	bool promisc;
	int ret;

	if (igbvf_pf_busy())
		return -110; /* -ETIMEDOUT, as a mailbox wait that ran out */
	/* a VF cannot see other stations' unicast: PROMISC means allmulti */
	promisc = npa_port_rx_flags(port) & (NPA_RXM_PROMISC | NPA_RXM_ALLMULTI);
	if (promisc || mc_promisc) {
		msg[0] = VF_SET_PROMISC | (promisc ? PROMISC_MULTICAST : 0);
		ret = mbx_call(port, msg, 1);
		if (ret)
			return ret;
		mc_promisc = promisc;
		npa_port_publish(port, "allmulti", promisc);
	}

	n = npa_port_mc_count(port);
	if (n > MC_HASHES_MAX)
		n = MC_HASHES_MAX;
	/* two 16-bit hashes a word, after the header word */
	bpf_for(i, 0, n) {
		h = mc_hash(npa_port_mc_addr(port, i));
		msg[(1 + i / 2) & (MBX_WORDS - 1)] |= h << (16 * (i & 1));
	}
	msg[0] = VF_SET_MULTICAST | n << MSG_COUNT_SHIFT;
	npa_port_publish(port, "mc_hashes", n);
	return mbx_call(port, msg, 1 + (n + 1) / 2);
}

/*
 * The PF pings every VF when its link changes and when it resets; a ping
 * without CTS, or a reset indication, means the PF forgot us (it also
 * stopped our queues) and the handshake must run again.
 */
SEC("struct_ops.s/watchdog")
int BPF_PROG(igbvf_watchdog, struct npa_port *port)
{
	__u32 mbx, msg, status;

	mbx = mbx_read(port);
	if (mbx & MBX_PFSTS) {
		mbx_seen &= ~MBX_PFSTS;
		msg = mbx_take(port);
		npa_port_publish(port, "pf_msg", msg);
		if ((msg & PF_CONTROL_MSG) && !(msg & MSG_CTS))
			pf_reset = true;
	}
	if (mbx & (MBX_RSTI | MBX_RSTD)) {
		mbx_seen &= ~MBX_RSTD;
		pf_reset = true;
	}
	if (pf_reset) {
		npa_port_set_link(port, 0, 0);
		/* the PF is back once it no longer holds us in reset */
		if (npa_reg_read32(port, BAR_REGS, REG_V2PMAILBOX) & MBX_RSTI)
			return 0;
		return NPA_WATCHDOG_RESET;
	}
	status = npa_reg_read32(port, BAR_REGS, REG_STATUS);
	npa_port_set_link(port, igbvf_link(status), 1000);
	return igbvf_watchdog_ret;
}

/* The mailbox vector: what the PF says is for the watchdog. */
SEC("struct_ops/irq")
void BPF_PROG(igbvf_irq, struct npa_port *port, __u32 vector)
{
	if (vector != VEC_MBX)
		return;
	npa_port_service(port);
	/* auto-masked when it fired: the watchdog takes it from here */
	npa_reg_write32(port, BAR_REGS, REG_EIMS, EIMS_MBX);
}

SEC("struct_ops.s/remove")
void BPF_PROG(igbvf_remove, struct npa_port *port)
{
	/* Reset stops both queues; the PF sees the reset through RSTI. */
	npa_reg_write32(port, BAR_REGS, REG_CTRL, CTRL_RST);
}

SEC(".struct_ops.link")
struct npa_ops igbvf_ops = {
	.probe		= (void *)igbvf_probe,
	.remove		= (void *)igbvf_remove,
	.open		= (void *)igbvf_open,
	.stop		= (void *)igbvf_stop,
	.xmit		= (void *)igbvf_xmit,
	.tx_clean	= (void *)igbvf_tx_clean,
	.rx_poll	= (void *)igbvf_rx_poll,
	.irq		= (void *)igbvf_irq,
	.irq_enable	= (void *)igbvf_irq_enable,
	.set_rx_mode	= (void *)igbvf_set_rx_mode,
	.watchdog	= (void *)igbvf_watchdog,
	.set_mac	= (void *)igbvf_set_mac,
	.set_coalesce	= (void *)igbvf_set_coalesce,
	/* only the mailbox vector needs the irq member */
	.irq_vectors	= 1 << VEC_MBX,
	.vendor		= IGBVF_VENDOR,
	.device		= IGBVF_DEVICE,
	.features	= NPA_F_TX_CSUM | NPA_F_SG | NPA_F_TSO,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "igbvf",
};
