// SPDX-License-Identifier: GPL-2.0
/*
 * npa datapath: the buffers behind descriptors. The plugin names slots;
 * the shim owns what is in them (page_pool pages for RX, mapped skbs for
 * TX), writes their device addresses into the descriptors and refuses any
 * use of a slot that does not match what it put there.
 */
#include <linux/dma-mapping.h>
#include <linux/error-injection.h>
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <net/page_pool/helpers.h>

#include "npa_shim.h"

/**
 * npa_pool_create() - create the page_pool a port's RX buffers come from
 * @port: the port
 *
 * Return: 0 or a negative errno.
 */
int npa_pool_create(struct npa_port *port)
{
	struct page_pool_params pp = {
		.order		= 0,
		.pool_size	= 1024,
		.nid		= dev_to_node(&port->pdev->dev),
		.dev		= &port->pdev->dev,
		.napi		= &port->napi,
		.netdev		= port->netdev,
		/* XDP_TX sends from the page the frame came in */
		.dma_dir	= DMA_BIDIRECTIONAL,
		.offset		= NPA_RX_HEADROOM,
		.max_len	= NPA_RX_BUF_LEN,
		.flags		= PP_FLAG_DMA_MAP | PP_FLAG_DMA_SYNC_DEV,
	};

	port->pool = page_pool_create(&pp);
	if (IS_ERR(port->pool)) {
		int err = PTR_ERR(port->pool);

		port->pool = NULL;
		return err;
	}
	return 0;
}

/**
 * npa_pool_destroy() - destroy a port's page_pool, every slot emptied
 * @port: the port
 */
void npa_pool_destroy(struct npa_port *port)
{
	page_pool_destroy(port->pool);
	port->pool = NULL;
}

/**
 * npa_slots_alloc() - allocate the slot table of a new ring
 * @ring: the ring, with @count set
 *
 * fail_function can make it fail (make check-debug's fi_attach_nomem).
 *
 * Return: 0 or -ENOMEM.
 */
int npa_slots_alloc(struct npa_ring *ring)
{
	ring->slots = kvcalloc(ring->count, sizeof(*ring->slots), GFP_KERNEL);
	ring->dirty = kvcalloc(ring->count, sizeof(*ring->dirty), GFP_KERNEL);
	if (!ring->slots || !ring->dirty) {
		kvfree(ring->slots);
		kvfree(ring->dirty);
		ring->slots = NULL;
		ring->dirty = NULL;
		return -ENOMEM;
	}
	return 0;
}
ALLOW_ERROR_INJECTION(npa_slots_alloc, ERRNO);

/* Undo a TX slot's DMA mapping (a page of the port's pool stays mapped). */
static void npa_slot_unmap_tx(struct npa_port *port, struct npa_slot *s,
			      u32 state)
{
	struct device *dev = &port->pdev->dev;

	switch (state) {
	case NPA_SLOT_TX_HEAD:
	case NPA_SLOT_TX_XDPF:
		dma_unmap_single(dev, s->dma, s->len, DMA_TO_DEVICE);
		break;
	case NPA_SLOT_TX_FRAG:
		dma_unmap_page(dev, s->dma, s->len, DMA_TO_DEVICE);
		break;
	}
}

/* Unmap a TX slot whose frame is done with, and give an XDP frame back. */
static void npa_slot_release_tx(struct npa_port *port, struct npa_slot *s,
				u32 state)
{
	npa_slot_unmap_tx(port, s, state);
	if (state >= NPA_SLOT_TX_XDP) {
		xdp_return_frame(s->xdpf);
		s->xdpf = NULL;
	}
}

/*
 * Take a TX slot in flight, for its completion or to undo an xmit: a
 * plugin that rang its doorbell and then failed the xmit lets tx_clean, on
 * another CPU, complete a slot the xmit path is undoing. Whichever comes
 * first gets the slot. Return the TX state it had, or NPA_SLOT_FREE if it
 * had none (not in flight, or taken already).
 */
static u32 npa_slot_take_tx(struct npa_slot *s)
{
	u32 state = READ_ONCE(s->state);

	do {
		if (state < NPA_SLOT_TX_HEAD)
			return NPA_SLOT_FREE;
	} while (!try_cmpxchg(&s->state, &state, NPA_SLOT_TX_TAKEN));
	return state;
}

static void npa_slots_empty(struct npa_port *port, struct npa_ring *ring)
{
	u32 i;

	for (i = 0; ring->slots && i < ring->count; i++) {
		struct npa_slot *s = &ring->slots[i];

		switch (s->state) {
		case NPA_SLOT_RX:
			page_pool_put_full_page(port->pool, s->page, false);
			break;
		case NPA_SLOT_TX_HEAD:
		case NPA_SLOT_TX_FRAG:
			npa_slot_unmap_tx(port, s, s->state);
			dev_kfree_skb_any(s->skb);
			port->tx_completions++;
			break;
		case NPA_SLOT_TX_XDP:
		case NPA_SLOT_TX_XDPF:
			npa_slot_release_tx(port, s, s->state);
			port->tx_completions++;
			break;
		}
		memset(s, 0, sizeof(*s));
	}
	ring->ndirty = 0;
}

/**
 * npa_slots_free() - empty every slot of a ring and free the table
 * @port: the port, its device no longer bus master
 * @ring: the ring
 */
void npa_slots_free(struct npa_port *port, struct npa_ring *ring)
{
	npa_slots_empty(port, ring);
	kvfree(ring->slots);
	kvfree(ring->dirty);
	ring->slots = NULL;
	ring->dirty = NULL;
}

/**
 * npa_port_slots() - the descriptors of a port's rings of one role
 * @port: the port
 * @role: NPA_RING_RX or NPA_RING_TX
 *
 * Return: the sum of the counts of the rings that carried buffers of @role.
 */
u32 npa_port_slots(const struct npa_port *port, u8 role)
{
	u32 i, n = 0;

	for (i = 0; i < NPA_MAX_RINGS; i++)
		if (port->rings[i].va && port->rings[i].role == role)
			n += port->rings[i].count;
	return n;
}

/**
 * npa_rings_reclaim() - take every buffer back from a stopped device
 * @port: the port, its plugin stopped and NAPI disabled
 *
 * Bus mastering is off while the buffers are freed, so the device cannot
 * write into a page that is already somebody else's.
 */
void npa_rings_reclaim(struct npa_port *port)
{
	int i;

	pci_clear_master(port->pdev);
	for (i = 0; i < NPA_MAX_RINGS; i++)
		npa_slots_empty(port, &port->rings[i]);
	/* a queue a full ring stopped wakes in the first poll after open */
	WRITE_ONCE(port->tx_reaped, port->tx_completions);
	if (port->plugin)
		pci_set_master(port->pdev);
}

/**
 * npa_slots_refresh() - rewrite the address of every slot filled since the
 *	last kick or publish, so the device sees only buffers the shim mapped
 * @ring: the ring about to be kicked, or a descriptor of it published
 *
 * The slots are then no longer remembered as filled: each is rewritten
 * once, just before the kick or publish that hands it to the device.
 */
void npa_slots_refresh(struct npa_ring *ring)
{
	u32 i;

	if (unlikely(ring->ndirty == ring->count)) {
		/*
		 * The list is full, perhaps with slots filled again since (a
		 * batch of held TX doorbells is long): every slot, then.
		 */
		for (i = 0; i < ring->count; i++)
			if (ring->slots[i].state != NPA_SLOT_FREE)
				npa_slot_rewrite(ring, i);
		ring->ndirty = 0;
		return;
	}
	for (i = 0; i < ring->ndirty; i++) {
		struct npa_slot *s = &ring->slots[ring->dirty[i]];

		if (s->state != NPA_SLOT_FREE)
			npa_desc_write_addr(ring, ring->dirty[i], s->dma);
	}
	ring->ndirty = 0;
}

/**
 * npa_slot_dma_map_tx() - DMA-map one segment of a packet for the device
 * @dev: the port's device
 * @s: the slot it goes into
 * @ctx: the packet: an skb, or an XDP frame of another device's memory
 * @seg: 0 for the linear part (or the XDP frame), 1.. for the page fragments
 * @state: set to the slot's state to be, once its other fields are set
 *
 * Sets the slot's address and length. Only npa_slot_map_tx() calls it; it
 * is a function of its own so that fail_function can make a mapping fail,
 * as an exhausted IOMMU would (make check-debug's fi_tx_map).
 *
 * Return: 0, or -ENOMEM (the slot is left as it was).
 */
noinline int npa_slot_dma_map_tx(struct device *dev, struct npa_slot *s,
				 const struct npa_tx_ctx *ctx, u32 seg, u32 *state)
{
	struct sk_buff *skb = ctx->skb;
	const skb_frag_t *frag;
	dma_addr_t dma;
	u32 len;

	if (!skb) {
		len = ctx->xdpf->len;
		dma = dma_map_single(dev, ctx->xdpf->data, len, DMA_TO_DEVICE);
		*state = NPA_SLOT_TX_XDPF;
	} else if (!seg) {
		len = skb_headlen(skb);
		dma = dma_map_single(dev, skb->data, len, DMA_TO_DEVICE);
		*state = NPA_SLOT_TX_HEAD;
	} else {
		frag = &skb_shinfo(skb)->frags[seg - 1];
		len = skb_frag_size(frag);
		dma = skb_frag_dma_map(dev, frag, 0, len, DMA_TO_DEVICE);
		*state = NPA_SLOT_TX_FRAG;
	}
	if (dma_mapping_error(dev, dma))
		return -ENOMEM;
	s->dma = dma;
	s->len = len;
	return 0;
}
ALLOW_ERROR_INJECTION(npa_slot_dma_map_tx, ERRNO);

/**
 * npa_slot_map_tx() - map one segment of the packet being sent into a slot
 * @port: the port
 * @ctx: the packet
 * @seg: 0 for the linear part, 1.. for the page fragments, in order
 * @ring: the ring, with buffer addresses
 * @slot: a free slot
 *
 * The skb goes with the slot of its last segment and is freed when that
 * slot completes.
 *
 * Context: xmit.
 * Return: the segment's length, or a negative errno.
 */
int npa_slot_map_tx(struct npa_port *port, struct npa_tx_ctx *ctx, u32 seg,
		    struct npa_ring *ring, u32 slot)
{
	struct npa_slot *s = &ring->slots[slot];
	struct sk_buff *skb = ctx->skb;
	struct device *dev = &port->pdev->dev;
	u32 nsegs = skb ? skb_shinfo(skb)->nr_frags + 1 : 1;
	u32 state;

	if (seg != ctx->mapped || seg >= nsegs) {
		npa_port_fault(port, "TX segment %u mapped out of order (next %u of %u)",
			       seg, ctx->mapped, nsegs);
		return -EINVAL;
	}
	if (s->state != NPA_SLOT_FREE) {
		npa_port_fault(port, "TX map to busy slot %u", slot);
		return -EBUSY;
	}
	if (!skb && ctx->xdp_own) {
		struct xdp_frame *xdpf = ctx->xdpf;
		struct page *page = virt_to_page(xdpf->data);

		/* a page of the port's pool: mapped already */
		s->len = xdpf->len;
		s->dma = page_pool_get_dma_addr(page) +
			 (xdpf->data - page_address(page));
		dma_sync_single_for_device(dev, s->dma, s->len,
					   DMA_BIDIRECTIONAL);
		state = NPA_SLOT_TX_XDP;
	} else if (npa_slot_dma_map_tx(dev, s, ctx, seg, &state)) {
		u64_stats_update_begin(&port->stats.tx_syncp);
		u64_stats_inc(&port->stats.tx_map_failed);
		u64_stats_update_end(&port->stats.tx_syncp);
		return -ENOMEM;
	}
	if (!skb)
		s->xdpf = ctx->xdpf;
	else
		s->skb = seg == nsegs - 1 ? skb : NULL;
	/*
	 * In flight only now that its fields are set: a tx_clean on another
	 * CPU may complete any slot in flight, even one not yet kicked.
	 */
	smp_store_release(&s->state, state);
	ring->role = NPA_RING_TX;
	port->tx_posted++;
	ctx->slots[ctx->mapped++] = (ring - port->rings) << 16 | slot;
	npa_slot_fill(ring, slot);
	return s->len;
}

/**
 * npa_tx_unmap_ctx() - undo the mappings of a packet the plugin refused
 * @port: the port
 * @ctx: the packet
 *
 * A plugin may have rung its doorbell before it failed the xmit, and its
 * tx_clean completed some slots meanwhile: those stay completed. If the
 * slot holding the packet (its last segment) was one, the packet is gone.
 *
 * Context: xmit.
 * Return: true if the caller still owns the packet.
 */
bool npa_tx_unmap_ctx(struct npa_port *port, struct npa_tx_ctx *ctx)
{
	/* (not from the skb: a completion may have freed it) */
	u32 holder = ctx->tx.nr_frags;
	bool owned = true;

	while (ctx->mapped--) {
		u32 id = ctx->slots[ctx->mapped];
		struct npa_slot *s = &port->rings[id >> 16].slots[id & 0xffff];
		u32 state = npa_slot_take_tx(s);

		if (state == NPA_SLOT_FREE) {
			/* completed: the packet went with the slot holding it */
			if (ctx->mapped == holder)
				owned = false;
			continue;
		}
		port->tx_posted--;
		npa_slot_unmap_tx(port, s, state);	/* the caller keeps the packet */
		s->skb = NULL;
		/* done with its fields before the slot can be mapped again */
		smp_store_release(&s->state, NPA_SLOT_FREE);
	}
	ctx->mapped = 0;
	return owned;
}

/**
 * npa_slot_complete_tx() - the device is done with a TX slot
 * @port: the port
 * @ring: the ring
 * @slot: a slot holding a mapped segment
 *
 * Context: NAPI (tx_clean).
 * Return: 0, or -EINVAL for a slot with nothing in flight (a plugin fault).
 */
int npa_slot_complete_tx(struct npa_port *port, struct npa_ring *ring, u32 slot)
{
	struct npa_slot *s = &ring->slots[slot];
	u32 state = npa_slot_take_tx(s);

	if (state == NPA_SLOT_FREE) {
		npa_port_fault(port, "TX completion for slot %u, nothing in flight", slot);
		return -EINVAL;
	}
	npa_slot_release_tx(port, s, state);
	if (state <= NPA_SLOT_TX_FRAG && s->skb)
		dev_consume_skb_any(s->skb);
	WRITE_ONCE(port->tx_completions, port->tx_completions + 1);
	s->skb = NULL;
	/* done with its fields before the slot can be mapped again */
	smp_store_release(&s->state, NPA_SLOT_FREE);
	return 0;
}
