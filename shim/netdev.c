// SPDX-License-Identifier: GPL-2.0
/*
 * npa netdev: the network interface of a port, its NAPI context and its
 * interrupts. Every device-specific step is a call into the plugin.
 */
#include <linux/etherdevice.h>
#include <linux/interrupt.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/gso.h>
#include <net/ip6_checksum.h>
#include <net/netdev_queues.h>
#include <net/tcp.h>

#include "npa_shim.h"

/**
 * npa_netdev_dev() - the npa interface behind a net_device
 * @dev: the net_device
 *
 * Return: its npa_dev.
 */
struct npa_dev *npa_netdev_dev(struct net_device *dev)
{
	return netdev_priv(dev);
}

/**
 * npa_port_open() - start a port's half of its interface's datapath
 * @port: a port of a running interface
 *
 * The plugin's open fills its rings with NAPI still off, so that no poll
 * works on them meanwhile; the first poll comes right after. An open that
 * fails is undone as a close.
 *
 * Context: RTNL held.
 * Return: 0 or the plugin's negative errno.
 */
int npa_port_open(struct npa_port *port)
{
	int err;

	err = npa_plugin_open(port);
	napi_enable(&port->napi);
	if (err) {
		npa_port_close(port);
		return err;
	}
	/* an interrupt taken while NAPI was off scheduled nothing */
	if (port->plugin)
		npa_napi_schedule_task(port, NULL);
	return 0;
}

/**
 * npa_port_close() - stop what npa_port_open() started
 * @port: the port
 *
 * No poll runs once the plugin's stop starts: none can unmask what stop
 * masked, or refill a queue it stopped.
 *
 * Context: RTNL held.
 */
void npa_port_close(struct npa_port *port)
{
	napi_disable(&port->napi);
	npa_plugin_stop(port);
	/* open posts fresh buffers: what the device held comes back now. */
	npa_rings_reclaim(port);
}

static int npa_ndo_open(struct net_device *dev)
{
	struct npa_dev *ndev = netdev_priv(dev);
	int r, err;

	for (r = 0; r < NPA_NR_ROLES; r++) {
		if (!ndev->port[r])
			continue;
		err = npa_port_open(ndev->port[r]);
		if (err)
			goto err_close_ports;
	}
	netif_tx_start_all_queues(dev);
	return 0;

err_close_ports:
	while (r--)
		if (ndev->port[r])
			npa_port_close(ndev->port[r]);
	return err;
}

static int npa_ndo_stop(struct net_device *dev)
{
	struct npa_dev *ndev = netdev_priv(dev);
	int r;

	netif_tx_disable(dev);
	for (r = 0; r < NPA_NR_ROLES; r++)
		if (ndev->port[r])
			npa_port_close(ndev->port[r]);
	return 0;
}

static void npa_count_tx_drop(struct npa_port *port)
{
	u64_stats_update_begin(&port->stats.tx_syncp);
	u64_stats_inc(&port->stats.tx_dropped);
	u64_stats_update_end(&port->stats.tx_syncp);
}

/*
 * Headers of a packet the device will segment, as NPA_F_TSO says: no
 * lengths in the IP header, and the TCP checksum seeded with the
 * pseudo-header sum without the length.
 */
static int npa_tx_tso_prep(struct sk_buff *skb, struct npa_tx *tx)
{
	struct tcphdr *th;
	int err;

	err = skb_cow_head(skb, 0);
	if (err)
		return err;
	th = tcp_hdr(skb);
	if (tx->l3 == 4) {
		struct iphdr *iph = ip_hdr(skb);

		iph->tot_len = 0;
		iph->check = 0;
		th->check = ~tcp_v4_check(0, iph->saddr, iph->daddr, 0);
	} else {
		tcp_v6_gso_csum_prep(skb);
	}
	tx->mss = skb_shinfo(skb)->gso_size;
	tx->l4_len = tcp_hdrlen(skb);
	return 0;
}

/*
 * Describe the checksum and segmentation the device must do, when the
 * plugin's device can; otherwise do it here. Return 0 or a negative errno.
 */
static int npa_tx_offload(struct sk_buff *skb, struct npa_tx *tx,
			  u32 features)
{
	u8 l4;

	if (skb_is_gso(skb) && !(features & NPA_F_TSO))
		return -EPROTONOSUPPORT; /* built for the plugin swapped out */
	if (skb->ip_summed != CHECKSUM_PARTIAL)
		return 0;
	if (!(features & NPA_F_TX_CSUM))
		return skb_checksum_help(skb);
	switch (skb->protocol) {
	case htons(ETH_P_IP):
		tx->l3 = 4;
		l4 = ip_hdr(skb)->protocol;
		break;
	case htons(ETH_P_IPV6):
		tx->l3 = 6;
		l4 = ipv6_hdr(skb)->nexthdr;
		break;
	default:
		return skb_checksum_help(skb);
	}
	if (l4 != IPPROTO_TCP && l4 != IPPROTO_UDP)
		return skb_checksum_help(skb);
	tx->csum_l4 = l4;
	tx->l2_len = skb_network_offset(skb);
	tx->l3_len = skb_checksum_start_offset(skb) - skb_network_offset(skb);
	if (skb_is_gso(skb)) {
		if (l4 != IPPROTO_TCP)
			return -EPROTONOSUPPORT;
		return npa_tx_tso_prep(skb, tx);
	}
	return 0;
}

/*
 * Send one packet out of @port; NETDEV_TX_BUSY leaves @skb the caller's.
 * With @more, the doorbell may be held for the packets that follow.
 */
static netdev_tx_t npa_xmit_skb(struct npa_port *port, struct npa_ops *ops,
				struct sk_buff *skb, bool more)
{
	/* the plugin's ring state as of this tx_clean, or newer */
	u32 mark = smp_load_acquire(&port->tx_reaped);
	struct npa_tx_ctx ctx = { .skb = skb };
	unsigned int segs = 1, len;
	int ret;

	/* a packet built for the other port of the pair */
	if (skb_shinfo(skb)->nr_frags && !(ops->features & NPA_F_SG) &&
	    skb_linearize(skb))
		goto drop;
	ctx.tx.len = skb->len;
	ctx.tx.nr_frags = skb_shinfo(skb)->nr_frags;
	ctx.tx.queue = skb_get_queue_mapping(skb);
	len = skb->len;
	if (skb_is_gso(skb)) {
		/* as on the wire: every segment carries the headers */
		segs = skb_shinfo(skb)->gso_segs;
		len += (segs - 1) * skb_tcp_all_headers(skb);
	}
	ret = npa_tx_offload(skb, &ctx.tx, ops->features);
	if (!ret) {
		struct npa_mmio mmio = npa_mmio_begin_xmit(more);

		ret = ops->xmit(port, &ctx.tx);
		npa_mmio_end(port, NPA_MMIO_DATAPATH, mmio);
	}
	if (likely(!ret) && unlikely(ctx.mapped != ctx.tx.nr_frags + 1)) {
		/* undone as a failed xmit: no slot holds the packet */
		npa_port_fault(port, "xmit queued %u of %u segments",
			       ctx.mapped, ctx.tx.nr_frags + 1);
		ret = -EINVAL;
	}
	if (likely(!ret)) {
		u64_stats_update_begin(&port->stats.tx_syncp);
		u64_stats_add(&port->stats.tx_packets, segs);
		u64_stats_add(&port->stats.tx_bytes, len);
		if (ctx.tx.csum_l4)
			u64_stats_inc(&port->stats.tx_csum);
		if (ctx.tx.mss)
			u64_stats_inc(&port->stats.tx_tso);
		u64_stats_update_end(&port->stats.tx_syncp);
		return NETDEV_TX_OK;
	}
	if (!npa_tx_unmap_ctx(port, &ctx)) {
		npa_port_fault(port, "xmit failed a packet the device had sent");
		return NETDEV_TX_OK;
	}
	if (ret == -ENOSPC) {
		struct netdev_queue *txq = skb_get_tx_queue(port->netdev, skb);

		/* Ring full: a poll wakes the queue (npa_tx_wake()). */
		WRITE_ONCE(port->tx_stop_mark, mark);
		netif_tx_stop_queue(txq);
		u64_stats_update_begin(&port->stats.tx_syncp);
		u64_stats_inc(&port->stats.tx_busy);
		u64_stats_update_end(&port->stats.tx_syncp);
		/*
		 * The interface moved to the other port of the pair since this
		 * xmit began: its ring has room, and npa_dev_select() woke the
		 * queues before this stop, or this sees the move.
		 */
		smp_mb__after_atomic();
		if (rcu_access_pointer(port->ndev->active) != port)
			netif_tx_wake_queue(txq);
		napi_schedule(&port->napi);
		return NETDEV_TX_BUSY;
	}
drop:
	npa_count_tx_drop(port);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

/*
 * A GSO packet built while the other port of a pair, one with TSO, carried
 * the traffic: segment it here rather than lose it.
 */
static netdev_tx_t npa_xmit_segmented(struct npa_port *port,
				      struct npa_ops *ops, struct sk_buff *skb,
				      bool more)
{
	struct sk_buff *segs, *seg, *next;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs)) {
		npa_count_tx_drop(port);
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	consume_skb(skb);
	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (npa_xmit_skb(port, ops, seg, more || next) == NETDEV_TX_BUSY) {
			npa_count_tx_drop(port);
			dev_kfree_skb_any(seg);
		}
	}
	return NETDEV_TX_OK;
}

static netdev_tx_t npa_ndo_start_xmit(struct sk_buff *skb,
				      struct net_device *dev)
{
	struct netdev_queue *txq = skb_get_tx_queue(dev, skb);
	struct npa_dev *ndev = netdev_priv(dev);
	netdev_tx_t ret = NETDEV_TX_OK;
	bool more = netdev_xmit_more();
	struct npa_port *port;
	struct npa_ops *ops;

	rcu_read_lock();
	port = rcu_dereference(ndev->active);
	ops = port ? rcu_dereference(port->ops) : NULL;
	if (!ops || !ops->xmit) {
		dev_core_stats_tx_dropped_inc(dev);
		dev_kfree_skb_any(skb);
	} else if (skb_is_gso(skb) && !(ops->features & NPA_F_TSO)) {
		ret = npa_xmit_segmented(port, ops, skb, more);
	} else {
		ret = npa_xmit_skb(port, ops, skb, more);
	}
	/* the stack calls again before the batch ends, unless it stopped */
	if (!more || netif_xmit_stopped(txq))
		npa_tx_doorbell_flush(ndev);
	rcu_read_unlock();
	return ret;
}

/**
 * npa_port_stats_read() - a port's counters, as an array
 * @port: the port
 * @vals: NPA_NR_STATS counters, in the order of struct npa_stats
 */
void npa_port_stats_read(struct npa_port *port, u64 *vals)
{
	const u64_stats_t *c = (const u64_stats_t *)&port->stats;
	struct npa_stats *st = &port->stats;
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(&st->rx_syncp);
		for (i = 0; i < NPA_NR_RX_STATS; i++)
			vals[i] = u64_stats_read(&c[i]);
	} while (u64_stats_fetch_retry(&st->rx_syncp, start));
	do {
		start = u64_stats_fetch_begin(&st->tx_syncp);
		for (i = NPA_NR_RX_STATS; i < NPA_NR_STATS; i++)
			vals[i] = u64_stats_read(&c[i]);
	} while (u64_stats_fetch_retry(&st->tx_syncp, start));
}

/**
 * npa_dev_stats_read() - an interface's counters: its ports' and those of
 *	the ports it had before
 * @ndev: the interface
 * @vals: NPA_NR_STATS counters, in the order of struct npa_stats
 *
 * Context: RTNL held, or the RCU read lock (ports leave under RTNL and
 * after a grace period).
 */
void npa_dev_stats_read(struct npa_dev *ndev, u64 *vals)
{
	u64 pvals[NPA_NR_STATS];
	struct npa_port *port;
	int r, i;

	memcpy(vals, ndev->gone, sizeof(ndev->gone));
	for (r = 0; r < NPA_NR_ROLES; r++) {
		port = READ_ONCE(ndev->port[r]);
		if (!port)
			continue;
		npa_port_stats_read(port, pvals);
		for (i = 0; i < NPA_NR_STATS; i++)
			vals[i] += pvals[i];
	}
}

static void npa_ndo_get_stats64(struct net_device *dev,
				struct rtnl_link_stats64 *stats)
{
	u64 v[NPA_NR_STATS];

	rcu_read_lock();
	npa_dev_stats_read(netdev_priv(dev), v);
	rcu_read_unlock();
	stats->rx_packets = v[NPA_STAT_IDX(rx_packets)];
	stats->rx_bytes = v[NPA_STAT_IDX(rx_bytes)];
	stats->rx_dropped = v[NPA_STAT_IDX(rx_dropped)] +
			    v[NPA_STAT_IDX(rx_inactive)];
	stats->tx_packets = v[NPA_STAT_IDX(tx_packets)];
	stats->tx_bytes = v[NPA_STAT_IDX(tx_bytes)];
	stats->tx_dropped = v[NPA_STAT_IDX(tx_dropped)];
}

/*
 * Queue statistics (netlink's qstats, as in ynl --family netdev --dump
 * qstats-get): an interface has one RX and one TX queue, whichever of its
 * ports carries it, so queue 0 counts everything the interface has counted
 * (its ports' and the ports it had), and the base, what no queue counted,
 * is zero. Counters npa does not keep are left unset, as the core asks.
 */
static void npa_get_queue_stats_rx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_rx *rx)
{
	u64 v[NPA_NR_STATS];

	npa_dev_stats_read(netdev_priv(dev), v);
	rx->packets = v[NPA_STAT_IDX(rx_packets)];
	rx->bytes = v[NPA_STAT_IDX(rx_bytes)];
	/* no page for a descriptor, or no skb for a frame */
	rx->alloc_fail = v[NPA_STAT_IDX(rx_alloc_failed)] +
			 v[NPA_STAT_IDX(rx_dropped)];
	rx->csum_unnecessary = v[NPA_STAT_IDX(rx_csum_ok)];
}

static void npa_get_queue_stats_tx(struct net_device *dev, int idx,
				   struct netdev_queue_stats_tx *tx)
{
	u64 v[NPA_NR_STATS];

	npa_dev_stats_read(netdev_priv(dev), v);
	tx->packets = v[NPA_STAT_IDX(tx_packets)];
	tx->bytes = v[NPA_STAT_IDX(tx_bytes)];
	tx->needs_csum = v[NPA_STAT_IDX(tx_csum)];
	tx->hw_gso_packets = v[NPA_STAT_IDX(tx_tso)];
	tx->stop = v[NPA_STAT_IDX(tx_busy)];
}

static void npa_get_base_stats(struct net_device *dev,
			       struct netdev_queue_stats_rx *rx,
			       struct netdev_queue_stats_tx *tx)
{
	rx->packets = 0;
	rx->bytes = 0;
	rx->alloc_fail = 0;
	rx->csum_unnecessary = 0;
	tx->packets = 0;
	tx->bytes = 0;
	tx->needs_csum = 0;
	tx->hw_gso_packets = 0;
	tx->stop = 0;
}

static const struct netdev_stat_ops npa_stat_ops = {
	.get_queue_stats_rx	= npa_get_queue_stats_rx,
	.get_queue_stats_tx	= npa_get_queue_stats_tx,
	.get_base_stats		= npa_get_base_stats,
};

static void npa_ndo_tx_timeout(struct net_device *dev, unsigned int queue)
{
	struct npa_dev *ndev = netdev_priv(dev);
	struct npa_port *port;

	rcu_read_lock();
	port = rcu_dereference(ndev->active);
	if (port) {
		/* The plugin stopped completing what it sent: it loses the port. */
		u32 done = READ_ONCE(port->tx_completions);

		npa_port_fault(port,
			       "TX queue %u stalled: %u slots in flight, %u completed since it stopped",
			       queue, READ_ONCE(port->tx_posted) - done,
			       READ_ONCE(port->tx_reaped) -
			       READ_ONCE(port->tx_stop_mark));
		atomic_set(&port->faults, NPA_FAULT_LIMIT);
		schedule_work(&port->fault_work);
	}
	rcu_read_unlock();
}

/**
 * npa_port_change_mac() - give a port's device a new address
 * @port: the port, or NULL
 * @mac: the address, first octet in bits 47..40
 *
 * A port without a plugin has nothing to tell.
 *
 * Context: RTNL held.
 * Return: 0 or the plugin's negative errno (-EOPNOTSUPP without set_mac).
 */
int npa_port_change_mac(struct npa_port *port, u64 mac)
{
	struct npa_mmio mmio;
	struct npa_ops *ops;
	int err;

	ASSERT_RTNL();
	if (!port || !port->plugin || port->state != NPA_PLUGIN_ATTACHED)
		return 0;
	ops = port->plugin;
	if (!ops->set_mac)
		return -EOPNOTSUPP;
	mmio = npa_mmio_begin(NPA_MMIO_CONTROL);
	err = ops->set_mac(port, mac);
	npa_mmio_end(port, NPA_MMIO_CONTROL, mmio);
	if (err > 0)
		err = -EIO;
	if (!err)
		u64_to_ether_addr(mac, port->mac);
	return err;
}

static int npa_ndo_set_mac_address(struct net_device *dev, void *p)
{
	struct npa_dev *ndev = netdev_priv(dev);
	u64 old = ether_addr_to_u64(dev->dev_addr);
	struct sockaddr *sa = p;
	int r, err;

	err = eth_prepare_mac_addr_change(dev, p);
	if (err)
		return err;
	/* every port of a pair answers to the interface's address */
	for (r = 0; r < NPA_NR_ROLES; r++) {
		err = npa_port_change_mac(ndev->port[r],
					  ether_addr_to_u64(sa->sa_data));
		if (err)
			goto err_restore_macs;
	}
	eth_commit_mac_addr_change(dev, p);
	return 0;

err_restore_macs:
	while (r--)
		npa_port_change_mac(ndev->port[r], old);
	return err;
}

/* Called with the address lists locked: take a copy, program it later. */
static void npa_ndo_set_rx_mode(struct net_device *dev)
{
	struct npa_dev *ndev = netdev_priv(dev);
	struct npa_rx_mode *m = &ndev->rx_mode;
	struct netdev_hw_addr *ha;
	int r;

	spin_lock_bh(&ndev->rx_mode_lock);
	m->flags = 0;
	if (dev->flags & IFF_PROMISC)
		m->flags |= NPA_RXM_PROMISC;
	if ((dev->flags & IFF_ALLMULTI) || netdev_mc_count(dev) > NPA_MC_MAX)
		m->flags |= NPA_RXM_ALLMULTI;
	m->count = 0;
	netdev_for_each_mc_addr(ha, dev) {
		if (m->count == NPA_MC_MAX)
			break;
		ether_addr_copy(m->mc[m->count++], ha->addr);
	}
	spin_unlock_bh(&ndev->rx_mode_lock);
	/* (BH off: a port leaving waits for this in synchronize_net()) */
	for (r = 0; r < NPA_NR_ROLES; r++) {
		struct npa_port *port = READ_ONCE(ndev->port[r]);

		if (!port)
			continue;
		set_bit(NPA_SVC_RX_MODE, &port->svc_flags);
		mod_delayed_work(system_wq, &port->service_work, 0);
	}
}

static int npa_ndo_get_phys_port_name(struct net_device *dev, char *name,
				      size_t len)
{
	struct npa_dev *ndev = netdev_priv(dev);
	struct npa_port *port;
	int n = -EOPNOTSUPP;

	/* which port carries the traffic: ip -d link shows it as portname */
	rcu_read_lock();
	port = rcu_dereference(ndev->active);
	if (port)
		n = snprintf(name, len, "%s%u", npa_role_name(port->role),
			     port->id);
	rcu_read_unlock();
	return n < 0 ? n : (n >= len ? -EINVAL : 0);
}

static const struct net_device_ops npa_netdev_ops = {
	.ndo_open		= npa_ndo_open,
	.ndo_stop		= npa_ndo_stop,
	.ndo_start_xmit		= npa_ndo_start_xmit,
	.ndo_get_stats64	= npa_ndo_get_stats64,
	.ndo_set_rx_mode	= npa_ndo_set_rx_mode,
	.ndo_tx_timeout		= npa_ndo_tx_timeout,
	.ndo_validate_addr	= eth_validate_addr,
	.ndo_set_mac_address	= npa_ndo_set_mac_address,
	.ndo_bpf		= npa_ndo_bpf,
	.ndo_xdp_xmit		= npa_ndo_xdp_xmit,
	.ndo_get_phys_port_name	= npa_ndo_get_phys_port_name,
};

/*
 * Wake the queue xmit stopped on a full ring once a tx_clean that ended
 * after the plugin looked has completed a slot. Every poll of the active
 * port checks, not only one with slots in flight: the last slots may
 * complete between the plugin's answer and the queue's stop, and the poll
 * xmit then schedules has nothing left to clean. A plugin that stalled
 * keeps its queue stopped: the TX watchdog sees it.
 */
static void npa_tx_wake(struct npa_port *port)
{
	struct netdev_queue *txq = netdev_get_tx_queue(port->netdev, 0);

	if (netif_tx_queue_stopped(txq) && netif_carrier_ok(port->netdev) &&
	    rcu_access_pointer(port->ndev->active) == port &&
	    READ_ONCE(port->tx_reaped) != READ_ONCE(port->tx_stop_mark))
		netif_tx_wake_queue(txq);
}

/**
 * npa_napi_schedule_task() - schedule a port's NAPI poll from a task
 * @port: the port
 * @mark: if not NULL, set to true before the poll can run (when this call
 *	scheduled it)
 *
 * Context: process; the poll runs in this CPU's softirq once it is over.
 */
void npa_napi_schedule_task(struct npa_port *port, bool *mark)
{
	local_bh_disable();
	if (napi_schedule_prep(&port->napi)) {
		if (mark)
			WRITE_ONCE(*mark, true);
		__napi_schedule(&port->napi);
	}
	local_bh_enable();
}

/**
 * npa_napi_poll() - a port's NAPI poll: the plugin's tx_clean and rx_poll
 * @napi: the port's NAPI context
 * @budget: frames it may receive
 *
 * The poll's tx_clean (called only while TX slots are in flight), rx_poll
 * and irq_enable share one register budget.
 * A poll in which the plugin indicates no frame and completes no TX slot
 * counts as idle, for the service work's RX stall check.
 *
 * Return: frames received.
 */
int npa_napi_poll(struct napi_struct *napi, int budget)
{
	struct npa_port *port = container_of(napi, struct npa_port, napi);
	u32 frames = port->rx_frames, completions;
	struct npa_port *active;
	struct npa_mmio mmio;
	struct npa_ops *ops;
	bool idle, draining;
	int done = 0;

	rcu_read_lock();
	ops = rcu_dereference(port->ops);
	if (!ops)
		goto out_unlock;
	/*
	 * Moved off the port before this poll: the drain was armed first. A
	 * stale 0 here only leaves the clearing to the next poll.
	 */
	draining = false;
	if (unlikely(atomic_read(&port->rx_drain) > 0)) {
		active = rcu_dereference(port->ndev->active);
		smp_rmb();	/* pairs with rcu_assign_pointer() in npa_dev_select() */
		draining = active && active != port &&
			   atomic_read(&port->rx_drain) > 0;
	}
	mmio = npa_mmio_begin(NPA_MMIO_DATAPATH);
	completions = READ_ONCE(port->tx_completions);
	/*
	 * Nothing in flight, nothing to reap. A slot mapped after this read
	 * was counted before its doorbell: its completion's interrupt brings
	 * a poll that sees it.
	 */
	if (ops->tx_clean && READ_ONCE(port->tx_posted) != completions) {
		ops->tx_clean(port, budget);
		/* after the plugin's ring state, for xmit's acquire */
		smp_store_release(&port->tx_reaped, port->tx_completions);
	}
	npa_tx_wake(port);
	if (ops->rx_poll && budget)
		done = ops->rx_poll(port, budget);
	if (port->xdp_redirected) {
		port->xdp_redirected = false;
		xdp_do_flush();
	}
	if (port->xdp_tx_queued) {
		port->xdp_tx_queued = false;
		npa_xdp_tx_flush(port);
	}
	if (done < 0 || done > budget) {
		npa_port_fault(port, "rx_poll returned %d for budget %d",
			       done, budget);
		done = 0;
	}
	/* a poll begun after a move found the ring empty: drained */
	if (unlikely(draining) && done < budget)
		atomic_set(&port->rx_drain, 0);
	WRITE_ONCE(port->napi_polls, port->napi_polls + 1);
	idle = port->rx_frames == frames &&
	       READ_ONCE(port->tx_completions) == completions;
	if (idle)
		WRITE_ONCE(port->napi_idle, port->napi_idle + 1);
	if (unlikely(READ_ONCE(port->svc_polled))) {
		/* the service work's poll found what no interrupt announced */
		WRITE_ONCE(port->svc_polled, false);
		if (!idle)
			WRITE_ONCE(port->irqs_missed, port->irqs_missed + 1);
	}
	/* A device may not raise what arrived while it was masked. */
	if (done < budget && napi_complete_done(napi, done) &&
	    ops->irq_enable && ops->irq_enable(port))
		napi_schedule(napi);
	npa_mmio_end(port, NPA_MMIO_DATAPATH, mmio);
	rcu_read_unlock();
	return done;

out_unlock:
	rcu_read_unlock();
	atomic_set(&port->rx_drain, 0);
	napi_complete_done(napi, 0);
	return 0;
}

static irqreturn_t npa_irq(int irq, void *data)
{
	struct npa_vector *vec = data;
	struct npa_port *port = vec->port;
	struct npa_ops *ops;

	atomic64_inc(&vec->count);
	rcu_read_lock();
	ops = rcu_dereference(port->ops);
	/* (a port has its NAPI context before it gets its plugin) */
	if (ops) {
		/* (set only with an irq member: npa_ops_validate()) */
		if (ops->irq_vectors & BIT(vec->index)) {
			struct npa_mmio mmio = npa_mmio_begin(NPA_MMIO_DATAPATH);

			ops->irq(port, vec->index);
			npa_mmio_end(port, NPA_MMIO_DATAPATH, mmio);
		}
		napi_schedule(&port->napi);
	}
	rcu_read_unlock();
	return IRQ_HANDLED;
}

/**
 * npa_irqs_request() - request every MSI-X vector of a port
 * @port: the port
 *
 * Return: 0 or a negative errno.
 */
int npa_irqs_request(struct npa_port *port)
{
	int i, err;

	for (i = 0; i < port->nvecs; i++) {
		port->vecs[i].port = port;
		port->vecs[i].index = i;
		err = pci_request_irq(port->pdev, i, npa_irq, NULL, &port->vecs[i],
				      "npa-%s-%d", pci_name(port->pdev), i);
		if (err)
			goto err_free_irqs;
	}
	return 0;

err_free_irqs:
	while (i--)
		pci_free_irq(port->pdev, i, &port->vecs[i]);
	return err;
}

/**
 * npa_irqs_free() - free the vectors taken by npa_irqs_request()
 * @port: the port
 */
void npa_irqs_free(struct npa_port *port)
{
	int i;

	for (i = 0; i < port->nvecs; i++)
		pci_free_irq(port->pdev, i, &port->vecs[i]);
}

static void npa_netdev_free_priv(struct net_device *dev)
{
	struct npa_dev *ndev = netdev_priv(dev);

	/* unregistered: the work finds nothing to do if it still runs */
	cancel_work_sync(&ndev->select_work);
}

/**
 * npa_netdev_alloc() - a new npa interface, not registered yet
 *
 * It starts without carrier (only a plugin reports link), with a random
 * address, and frees itself when unregistered.
 *
 * Return: the net_device, or NULL.
 */
struct net_device *npa_netdev_alloc(void)
{
	struct npa_dev *ndev;
	struct net_device *dev;

	dev = alloc_netdev(sizeof(*ndev), "npa%d", NET_NAME_ENUM, ether_setup);
	if (!dev)
		return NULL;
	ndev = netdev_priv(dev);
	ndev->netdev = dev;
	ndev->rx_copybreak = NPA_RX_COPYBREAK;
	spin_lock_init(&ndev->rx_mode_lock);
	INIT_WORK(&ndev->select_work, npa_dev_select_work);

	dev->netdev_ops = &npa_netdev_ops;
	dev->ethtool_ops = &npa_ethtool_ops;
	dev->stat_ops = &npa_stat_ops;
	dev->sysfs_groups[0] = &npa_dev_attr_group;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->watchdog_timeo = NPA_NETDEV_TX_TIMEOUT;
	/* the shim's own: the rest comes and goes with the plugin */
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->hw_features = NETIF_F_RXCSUM;
	dev->features = NETIF_F_RXCSUM | NETIF_F_HIGHDMA;
	dev->needs_free_netdev = true;
	dev->priv_destructor = npa_netdev_free_priv;
	xdp_set_features_flag(dev, NETDEV_XDP_ACT_BASIC |
			      NETDEV_XDP_ACT_REDIRECT |
			      NETDEV_XDP_ACT_NDO_XMIT);
	eth_hw_addr_random(dev);
	netif_carrier_off(dev);
	return dev;
}
