// SPDX-License-Identifier: GPL-2.0
/*
 * npa receive path: the kfuncs a plugin's rx_poll calls for each frame
 * (npa_rx_indicate() and npa_rx_post_publish(), or npa_rx_post()), with
 * the slot code and the XDP run behind them in one file, so that a frame
 * costs one call into the shim to receive and one to post a new buffer.
 * (Every call and return is a lookup of the next translated block under
 * QEMU's TCG, where the benchmarks run: BENCHMARKS.md.)
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/btf.h>
#include <linux/etherdevice.h>
#include <linux/filter.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/page_pool/helpers.h>
#include <net/xdp.h>

#include "npa_shim.h"

/**
 * npa_slot_post_rx() - post a fresh RX buffer in a slot
 * @port: the port
 * @ring: the ring, with buffer addresses
 * @slot: a free slot
 * @publish: the caller hands the descriptor over right after: its address
 *	is written now only, not again at the next kick or publish
 *
 * Context: any; allocates atomically.
 * Return: the bytes the device may write, or a negative errno.
 */
static inline int npa_slot_post_rx(struct npa_port *port,
				   struct npa_ring *ring, u32 slot, bool publish)
{
	struct npa_slot *s = &ring->slots[slot];
	struct page *page;

	if (s->state != NPA_SLOT_FREE) {
		npa_port_fault(port, "RX post to busy slot %u", slot);
		return -EBUSY;
	}
	if (!port->pool) {
		npa_port_fault(port, "RX post before the port has an interface");
		return -EINVAL;
	}
	page = page_pool_dev_alloc_pages(port->pool);
	if (!page) {
		/* the slot stays empty: the service work polls again */
		u64_stats_update_begin(&port->stats.rx_syncp);
		u64_stats_inc(&port->stats.rx_alloc_failed);
		u64_stats_update_end(&port->stats.rx_syncp);
		set_bit(NPA_SVC_RX_REFILL, &port->svc_flags);
		return -ENOMEM;
	}
	ring->role = NPA_RING_RX;
	s->page = page;
	s->dma = page_pool_get_dma_addr(page) + NPA_RX_HEADROOM;
	s->len = NPA_RX_BUF_LEN;
	s->state = NPA_SLOT_RX;
	if (publish)
		npa_slot_rewrite(ring, slot);
	else
		npa_slot_fill(ring, slot);
	return s->len;
}

/* Count one frame in an RX-side XDP counter. */
static void npa_xdp_count(struct npa_port *port, u64_stats_t *counter)
{
	u64_stats_update_begin(&port->stats.rx_syncp);
	u64_stats_inc(counter);
	u64_stats_update_end(&port->stats.rx_syncp);
}

/**
 * npa_xdp_run() - run the interface's XDP program on a received frame
 * @port: the port
 * @page: the page the frame is in, synced for the CPU
 * @off: where the frame starts in @page; updated for XDP_PASS
 * @len: its length; updated for XDP_PASS
 *
 * Context: NAPI, RCU read lock held.
 * Return: true if the frame goes on to the stack, false if XDP took it
 * (sent, redirected or dropped: the page is no longer the caller's).
 */
static bool npa_xdp_run(struct npa_port *port, struct page *page, u32 *off,
			u32 *len)
{
	struct bpf_prog *prog = rcu_dereference(port->ndev->xdp_prog);
	struct net_device *dev = port->netdev;
	struct xdp_frame *xdpf;
	struct xdp_buff xdp;
	u32 act;

	if (!prog)
		return true;
	xdp_init_buff(&xdp, PAGE_SIZE, &port->xdp_rxq);
	xdp_prepare_buff(&xdp, page_address(page), *off, *len, false);
	act = bpf_prog_run_xdp(prog, &xdp);
	switch (act) {
	case XDP_PASS:
		*off = xdp.data - xdp.data_hard_start;
		*len = xdp.data_end - xdp.data;
		npa_xdp_count(port, &port->stats.xdp_pass);
		return true;
	case XDP_TX:
		xdpf = xdp_convert_buff_to_frame(&xdp);
		if (xdpf && !npa_xdp_tx(port, xdpf)) {
			npa_xdp_count(port, &port->stats.xdp_tx);
			return false;
		}
		npa_xdp_count(port, &port->stats.xdp_tx_errors);
		trace_xdp_exception(dev, prog, act);
		break;
	case XDP_REDIRECT:
		if (!xdp_do_redirect(dev, &xdp, prog)) {
			port->xdp_redirected = true;
			npa_xdp_count(port, &port->stats.xdp_redirect);
			return false;
		}
		npa_xdp_count(port, &port->stats.xdp_aborted);
		break;
	default:
		bpf_warn_invalid_xdp_action(dev, prog, act);
		fallthrough;
	case XDP_ABORTED:
		trace_xdp_exception(dev, prog, act);
		npa_xdp_count(port, &port->stats.xdp_aborted);
		break;
	case XDP_DROP:
		npa_xdp_count(port, &port->stats.xdp_drop);
		break;
	}
	page_pool_put_full_page(port->pool, page, true);
	return false;
}

/* An skb around the frame's page, which goes back to the pool with it. */
static struct sk_buff *npa_rx_build(struct page *page, u32 off, u32 len)
{
	struct sk_buff *skb = napi_build_skb(page_address(page), PAGE_SIZE);

	if (unlikely(!skb))
		return NULL;
	skb_mark_for_recycle(skb);
	skb_reserve(skb, off);
	skb_put(skb, len);
	return skb;
}

/*
 * A small frame in a small skb of its own, its page back to the pool now:
 * a socket then accounts for the copy (truesize), not the page. The copy
 * is a fragment of a page of the same pool (a whole page past half of
 * one), which goes back to the pool with its last fragment: a page from
 * the page allocator would be zeroed (init_on_alloc) every few frames.
 * NULL if the pool has none to give.
 */
static struct sk_buff *npa_rx_copy(struct npa_port *port, struct page *page,
				   u32 off, u32 len)
{
	unsigned int size = SKB_HEAD_ALIGN(NET_SKB_PAD + len);
	struct sk_buff *skb;
	void *va;

	va = page_pool_dev_alloc_va(port->pool, &size);
	if (unlikely(!va))
		return NULL;
	skb = napi_build_skb(va, size);
	if (unlikely(!skb)) {
		page_pool_free_va(port->pool, va, true);
		return NULL;
	}
	skb_mark_for_recycle(skb);
	skb_reserve(skb, NET_SKB_PAD);
	skb_put_data(skb, page_address(page) + off, len);
	page_pool_put_full_page(port->pool, page, true);
	u64_stats_update_begin(&port->stats.rx_syncp);
	u64_stats_inc(&port->stats.rx_copybreak);
	u64_stats_update_end(&port->stats.rx_syncp);
	return skb;
}

/**
 * npa_slot_receive() - hand the frame in a posted RX slot to the stack
 * @port: the port
 * @ring: the ring
 * @slot: the slot the device wrote
 * @len: frame length the device reported
 * @flags: NPA_RX_* flags
 *
 * Context: NAPI.
 * Return: 0, or a negative errno for a slot never posted or a bad length
 * (plugin faults; the buffer stays posted).
 */
static int npa_slot_receive(struct npa_port *port, struct npa_ring *ring,
			    u32 slot, u32 len, u32 flags)
{
	struct npa_slot *s = &ring->slots[slot];
	struct npa_port *active;
	struct sk_buff *skb;
	struct page *page;
	bool drained;
	u32 off;

	if (s->state != NPA_SLOT_RX) {
		npa_port_fault(port, "RX indication for slot %u, never posted", slot);
		return -EINVAL;
	}
	if (len < ETH_HLEN || len > s->len) {
		npa_port_fault(port, "RX length %u in slot %u (buffer of %u)",
			       len, slot, s->len);
		return -EINVAL;
	}
	WRITE_ONCE(port->rx_frames, port->rx_frames + 1);
	page = s->page;
	s->state = NPA_SLOT_FREE;
	s->page = NULL;
	/* (the pool adds its offset, NPA_RX_HEADROOM, itself) */
	page_pool_dma_sync_for_cpu(port->pool, page, 0, len);

	/*
	 * The other port of the pair carries the traffic (RCU: NAPI). Both
	 * ports see every frame, each at its own pace: a frame the new port
	 * dropped just before a move must still go up from the old one.
	 */
	active = rcu_dereference(port->ndev->active);
	drained = false;
	if (unlikely(active && active != port)) {
		drained = atomic_dec_if_positive(&port->rx_drain) >= 0;
		if (!drained) {
			page_pool_put_full_page(port->pool, page, true);
			u64_stats_update_begin(&port->stats.rx_syncp);
			u64_stats_inc(&port->stats.rx_inactive);
			u64_stats_update_end(&port->stats.rx_syncp);
			return 0;
		}
	}

	u64_stats_update_begin(&port->stats.rx_syncp);
	if (unlikely(drained))
		u64_stats_inc(&port->stats.rx_drained);
	u64_stats_inc(&port->stats.rx_packets);
	u64_stats_add(&port->stats.rx_bytes, len);
	u64_stats_update_end(&port->stats.rx_syncp);

	off = NPA_RX_HEADROOM;
	if (!npa_xdp_run(port, page, &off, &len))
		return 0;	/* XDP took the frame */

	skb = NULL;
	if (len <= READ_ONCE(port->ndev->rx_copybreak))
		skb = npa_rx_copy(port, page, off, len);
	/* (with no memory for a copy, the frame goes up in its page) */
	if (!skb)
		skb = npa_rx_build(page, off, len);
	if (unlikely(!skb)) {
		page_pool_put_full_page(port->pool, page, true);
		u64_stats_update_begin(&port->stats.rx_syncp);
		u64_stats_inc(&port->stats.rx_dropped);
		u64_stats_update_end(&port->stats.rx_syncp);
		return 0;
	}
	skb->protocol = eth_type_trans(skb, port->netdev);
	if ((flags & NPA_RX_CSUM_OK) &&
	    (port->netdev->features & NETIF_F_RXCSUM)) {
		skb->ip_summed = CHECKSUM_UNNECESSARY;
		u64_stats_update_begin(&port->stats.rx_syncp);
		u64_stats_inc(&port->stats.rx_csum_ok);
		u64_stats_update_end(&port->stats.rx_syncp);
	}
	napi_gro_receive(&port->napi, skb);
	return 0;
}

/* The same, for a post: not a ring that carries TX buffers. */
static struct npa_ring *npa_rx_buf_ring(struct npa_port *port, u32 ring,
					u32 slot)
{
	struct npa_ring *r = npa_buf_ring(port, ring, slot);

	if (r && r->role == NPA_RING_TX) {
		npa_port_fault(port, "RX post to ring %u, which carries TX buffers", ring);
		return NULL;
	}
	return r;
}

__bpf_kfunc_start_defs();

/**
 * npa_rx_post() - give a descriptor a fresh receive buffer
 * @port: the plugin's port
 * @ring: a ring created with a buffer address offset
 * @slot: a slot without a buffer
 *
 * The shim takes a page from the port's page_pool and writes its device
 * address into the descriptor; the plugin fills in the rest.
 *
 * Context: rx_poll and open (the verifier refuses it elsewhere).
 * Return: the bytes the device may write into the buffer, -ENOMEM when no
 * memory is left (try again later), or -EINVAL/-EBUSY for a bad or busy
 * slot or a ring that carries TX buffers (plugin faults).
 */
__bpf_kfunc int npa_rx_post(struct npa_port *port, u32 ring, u32 slot)
{
	struct npa_ring *r = npa_rx_buf_ring(port, ring, slot);

	return r ? npa_slot_post_rx(port, r, slot, false) : -EINVAL;
}

/**
 * npa_rx_post_publish() - give a descriptor a fresh receive buffer and hand
 *	it to the device
 * @port: the plugin's port
 * @ring: a ring created with a buffer address offset
 * @slot: a slot without a buffer
 * @off: byte offset of the descriptor's 32-bit word that hands it over
 * @val: the value of that word
 *
 * npa_rx_post() and npa_ring_publish() of one descriptor in one call, for a
 * device that takes RX descriptors by an ownership bit: the shim takes a
 * page from the port's page_pool and writes its device address into the
 * descriptor, then, after a write barrier, @val at @off. The plugin
 * writes the descriptor's other fields before the call; a length in @val
 * is npa_port_rx_buf_len(), as long as every receive buffer is.
 *
 * Context: rx_poll and open (the verifier refuses it elsewhere).
 * Return: as npa_rx_post() (nothing is handed over on an error), or
 * -EINVAL (a plugin fault) for a word that is not in the descriptor or
 * overlaps its buffer address.
 */
__bpf_kfunc int npa_rx_post_publish(struct npa_port *port, u32 ring, u32 slot,
				    u32 off, u32 val)
{
	struct npa_ring *r = npa_rx_buf_ring(port, ring, slot);
	int len;

	if (!r || !npa_publish_word_ok(port, r, ring, slot, off))
		return -EINVAL;
	len = npa_slot_post_rx(port, r, slot, true);
	if (len < 0)
		return len;
	dma_wmb();
	WRITE_ONCE(*(u32 *)(r->va + (size_t)slot * r->desc_size + off), val);
	return len;
}

/**
 * npa_rx_indicate() - hand a received frame to the stack
 * @port: the plugin's port
 * @ring: the ring
 * @slot: the slot whose buffer the device wrote
 * @len: frame length, as the device reported it
 * @flags: NPA_RX_CSUM_OK if the device verified the checksum
 *
 * The shim builds the skb around the buffer and passes it through GRO; the
 * slot is left without a buffer (post a new one with npa_rx_post()).
 *
 * Context: rx_poll.
 * Return: 0, or -EINVAL (a plugin fault) for a slot that holds no posted
 * buffer or a length past the buffer.
 */
__bpf_kfunc int npa_rx_indicate(struct npa_port *port, u32 ring, u32 slot,
				u32 len, u32 flags)
{
	struct npa_ring *r = npa_buf_ring(port, ring, slot);

	return r ? npa_slot_receive(port, r, slot, len, flags) : -EINVAL;
}

__bpf_kfunc_end_defs();
