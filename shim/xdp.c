// SPDX-License-Identifier: GPL-2.0
/*
 * npa XDP: native XDP on every port, whichever plugin drives the device.
 * The interface's program is attached here and run by the shim on each
 * received frame before any skb exists (rx.c); the plugin only ever sees
 * XDP_TX and redirected frames, sent from here, as packets to send.
 */
#include <linux/bpf.h>
#include <linux/bpf_trace.h>
#include <linux/filter.h>
#include <linux/if_vlan.h>
#include <linux/netdevice.h>
#include <net/page_pool/helpers.h>
#include <net/xdp.h>

#include "npa_shim.h"

/* The largest frame must fit the buffer the device writes into. */
#define NPA_XDP_MAX_MTU	(NPA_RX_BUF_LEN - ETH_HLEN - VLAN_HLEN)

/*
 * Hand one frame to the plugin's xmit, under the TX queue's lock like any
 * packet, its doorbell held for the caller to write. Return 0 when it is
 * queued: the slot owns the frame then.
 */
static int npa_xdp_xmit_one(struct npa_port *port, struct npa_ops *ops,
			    struct xdp_frame *xdpf, bool own)
{
	struct npa_tx_ctx ctx = {
		.tx = { .len = xdpf->len },
		.xdpf = xdpf,
		.xdp_own = own,
	};
	struct npa_mmio mmio;
	int ret;

	mmio = npa_mmio_begin_xmit(true);
	ret = ops->xmit(port, &ctx.tx);
	npa_mmio_end(port, NPA_MMIO_DATAPATH, mmio);
	/* a ring full of frames the device was not told of yet */
	if (ret == -ENOSPC)
		npa_tx_doorbell_flush(port->ndev);
	if (!ret && ctx.mapped != 1) {
		npa_port_fault(port, "xmit queued %u of 1 segments", ctx.mapped);
		ret = -EINVAL;
	}
	if (ret && !npa_tx_unmap_ctx(port, &ctx)) {
		/* sent and completed: the slot gave the frame back */
		npa_port_fault(port, "xmit failed a packet the device had sent");
		ret = 0;
	}
	if (ret)
		return ret;
	u64_stats_update_begin(&port->stats.tx_syncp);
	u64_stats_inc(&port->stats.tx_packets);
	u64_stats_add(&port->stats.tx_bytes, xdpf->len);
	u64_stats_update_end(&port->stats.tx_syncp);
	return 0;
}

int npa_xdp_tx(struct npa_port *port, struct xdp_frame *xdpf)
{
	struct netdev_queue *txq = netdev_get_tx_queue(port->netdev, 0);
	struct npa_ops *ops = rcu_dereference(port->ops);
	int ret = -ENETDOWN;

	if (!ops || !ops->xmit)
		return ret;
	__netif_tx_lock(txq, smp_processor_id());
	ret = npa_xdp_xmit_one(port, ops, xdpf, true);
	__netif_tx_unlock(txq);
	/* the doorbell waits for the poll's end: npa_xdp_tx_flush() */
	if (!ret)
		port->xdp_tx_queued = true;
	return ret;
}

/**
 * npa_xdp_tx_flush() - write the doorbell the XDP_TX frames of a poll held
 * @port: the port whose NAPI poll sent them
 *
 * Context: NAPI.
 */
void npa_xdp_tx_flush(struct npa_port *port)
{
	struct netdev_queue *txq = netdev_get_tx_queue(port->netdev, 0);

	__netif_tx_lock(txq, smp_processor_id());
	npa_tx_doorbell_flush(port->ndev);
	__netif_tx_unlock(txq);
}

/**
 * npa_ndo_bpf() - attach or detach the interface's native XDP program
 * @dev: the interface
 * @bpf: the command
 *
 * The program belongs to the interface, not to a port or its plugin: it
 * stays across failovers, plugin swaps, detaches and resets.
 *
 * Context: RTNL held.
 * Return: 0 or a negative errno.
 */
int npa_ndo_bpf(struct net_device *dev, struct netdev_bpf *bpf)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	struct bpf_prog *old;

	if (bpf->command != XDP_SETUP_PROG)
		return -EINVAL;
	if (bpf->prog && dev->mtu > NPA_XDP_MAX_MTU) {
		NL_SET_ERR_MSG_FMT_MOD(bpf->extack,
				       "MTU %u too large for XDP (at most %u)",
				       dev->mtu, NPA_XDP_MAX_MTU);
		return -EINVAL;
	}
	old = rcu_replace_pointer(ndev->xdp_prog, bpf->prog,
				  lockdep_rtnl_is_held());
	if (old)
		bpf_prog_put(old);
	return 0;
}

/**
 * npa_ndo_xdp_xmit() - send frames other devices redirected to this one
 * @dev: the interface
 * @n: number of frames
 * @frames: the frames
 * @flags: XDP_XMIT_FLUSH: write the doorbell, for these frames and those
 *	of the calls before without it
 *
 * Context: softirq.
 * Return: the number of frames queued (the caller frees the rest), or a
 * negative errno.
 */
int npa_ndo_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		     u32 flags)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	struct netdev_queue *txq = netdev_get_tx_queue(dev, 0);
	struct npa_ops *ops = NULL;
	struct npa_port *port;
	int i, sent = 0;

	if (unlikely(flags & ~XDP_XMIT_FLAGS_MASK))
		return -EINVAL;
	rcu_read_lock();
	/* out of the port carrying the interface's traffic */
	port = rcu_dereference(ndev->active);
	if (port)
		ops = rcu_dereference(port->ops);
	if (!ops || !ops->xmit || !netif_running(dev) ||
	    !netif_carrier_ok(dev)) {
		rcu_read_unlock();
		/* frames of the calls before, for a port still attached */
		if (flags & XDP_XMIT_FLUSH) {
			__netif_tx_lock(txq, smp_processor_id());
			npa_tx_doorbell_flush(ndev);
			__netif_tx_unlock(txq);
		}
		return -ENETDOWN;
	}
	__netif_tx_lock(txq, smp_processor_id());
	for (i = 0; i < n; i++) {
		if (npa_xdp_xmit_one(port, ops, frames[i], false))
			break;
		sent++;
	}
	if (flags & XDP_XMIT_FLUSH)
		npa_tx_doorbell_flush(ndev);
	/* (the TX counters' writers hold the queue's lock) */
	u64_stats_update_begin(&port->stats.tx_syncp);
	u64_stats_add(&port->stats.xdp_xmit, sent);
	u64_stats_add(&port->stats.xdp_xmit_errors, n - sent);
	u64_stats_update_end(&port->stats.tx_syncp);
	__netif_tx_unlock(txq);
	rcu_read_unlock();
	return sent;
}

/**
 * npa_xdp_init() - make a port's RX queue known to XDP
 * @port: the port, its page_pool created
 *
 * Return: 0 or a negative errno.
 */
int npa_xdp_init(struct npa_port *port)
{
	int err;

	err = xdp_rxq_info_reg(&port->xdp_rxq, port->netdev, 0,
			       port->napi.napi_id);
	if (err)
		return err;
	err = xdp_rxq_info_reg_mem_model(&port->xdp_rxq, MEM_TYPE_PAGE_POOL,
					 port->pool);
	if (err) {
		xdp_rxq_info_unreg(&port->xdp_rxq);
		return err;
	}
	return 0;
}

/**
 * npa_xdp_exit() - undo npa_xdp_init()
 * @port: the port, its NAPI disabled
 */
void npa_xdp_exit(struct npa_port *port)
{
	xdp_rxq_info_unreg(&port->xdp_rxq);
}
