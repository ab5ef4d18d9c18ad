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
#include <net/ip6_checksum.h>
#include <net/tcp.h>

#include "npa_shim.h"

struct npa_netdev_priv {
	struct npa_port *port;
};

/**
 * npa_netdev_port() - the port behind an npa interface
 * @dev: the interface
 *
 * Return: its port.
 */
struct npa_port *npa_netdev_port(struct net_device *dev)
{
	struct npa_netdev_priv *priv = netdev_priv(dev);

	return priv->port;
}

static int npa_ndo_open(struct net_device *dev)
{
	struct npa_port *port = npa_netdev_port(dev);
	int err;

	netdev_tx_reset_queue(netdev_get_tx_queue(dev, 0));
	napi_enable(&port->napi);
	err = npa_plugin_open(port);
	if (err) {
		napi_disable(&port->napi);
		return err;
	}
	netif_tx_start_all_queues(dev);
	return 0;
}

static int npa_ndo_stop(struct net_device *dev)
{
	struct npa_port *port = npa_netdev_port(dev);

	netif_tx_disable(dev);
	npa_plugin_stop(port);
	napi_disable(&port->napi);
	/* open posts fresh buffers: what the device held comes back now. */
	npa_rings_reclaim(port);
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

static netdev_tx_t npa_ndo_start_xmit(struct sk_buff *skb,
				      struct net_device *dev)
{
	struct npa_port *port = npa_netdev_port(dev);
	struct netdev_queue *txq = skb_get_tx_queue(dev, skb);
	struct npa_tx_ctx ctx = {
		.tx = {
			.len = skb->len,
			.nr_frags = skb_shinfo(skb)->nr_frags,
			.queue = skb_get_queue_mapping(skb),
		},
		.skb = skb,
	};
	unsigned int segs = 1, len = skb->len;
	struct npa_ops *ops;
	int ret = -ENODEV;

	if (skb_is_gso(skb)) {
		/* as on the wire: every segment carries the headers */
		segs = skb_shinfo(skb)->gso_segs;
		len += (segs - 1) * skb_tcp_all_headers(skb);
	}
	rcu_read_lock();
	ops = rcu_dereference(port->ops);
	if (ops && ops->xmit) {
		ret = npa_tx_offload(skb, &ctx.tx, ops->features);
		if (!ret)
			ret = ops->xmit(port, &ctx.tx);
	}
	rcu_read_unlock();

	if (likely(!ret)) {
		if (ctx.mapped != ctx.tx.nr_frags + 1) {
			/* The segments mapped stay until they complete. */
			npa_port_fault(port, "xmit queued %u of %u segments",
				       ctx.mapped, ctx.tx.nr_frags + 1);
			goto drop;
		}
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
	npa_tx_unmap_ctx(port, &ctx);
	if (ret == -ENOSPC) {
		/*
		 * Ring full: tx_clean wakes the queue. Poll once more in case
		 * it reaped the last completions before the queue stopped.
		 */
		netif_tx_stop_queue(txq);
		u64_stats_update_begin(&port->stats.tx_syncp);
		u64_stats_inc(&port->stats.tx_busy);
		u64_stats_update_end(&port->stats.tx_syncp);
		napi_schedule(&port->napi);
		return NETDEV_TX_BUSY;
	}
drop:
	npa_count_tx_drop(port);
	dev_kfree_skb_any(skb);
	return NETDEV_TX_OK;
}

static void npa_ndo_get_stats64(struct net_device *dev,
				struct rtnl_link_stats64 *stats)
{
	struct npa_port *port = npa_netdev_port(dev);
	struct npa_stats *st = &port->stats;
	unsigned int start;

	do {
		start = u64_stats_fetch_begin(&st->rx_syncp);
		stats->rx_packets = u64_stats_read(&st->rx_packets);
		stats->rx_bytes = u64_stats_read(&st->rx_bytes);
		stats->rx_dropped = u64_stats_read(&st->rx_dropped);
	} while (u64_stats_fetch_retry(&st->rx_syncp, start));
	do {
		start = u64_stats_fetch_begin(&st->tx_syncp);
		stats->tx_packets = u64_stats_read(&st->tx_packets);
		stats->tx_bytes = u64_stats_read(&st->tx_bytes);
		stats->tx_dropped = u64_stats_read(&st->tx_dropped);
	} while (u64_stats_fetch_retry(&st->tx_syncp, start));
}

static void npa_ndo_tx_timeout(struct net_device *dev, unsigned int queue)
{
	struct npa_port *port = npa_netdev_port(dev);

	/* The plugin stopped completing what it sent: it loses the port. */
	npa_port_fault(port, "TX queue %u stalled", queue);
	atomic_set(&port->faults, NPA_FAULT_LIMIT);
	schedule_work(&port->fault_work);
}

static int npa_ndo_set_mac_address(struct net_device *dev, void *p)
{
	struct npa_port *port = npa_netdev_port(dev);
	struct npa_ops *ops = port->plugin;
	struct sockaddr *sa = p;
	int err;

	ASSERT_RTNL();
	err = eth_prepare_mac_addr_change(dev, p);
	if (err)
		return err;
	/* a port without a plugin has nothing to tell */
	if (ops && port->state == NPA_PLUGIN_ATTACHED) {
		if (!ops->set_mac)
			return -EOPNOTSUPP;
		err = ops->set_mac(port, ether_addr_to_u64(sa->sa_data));
		if (err > 0)
			err = -EIO;
		if (err)
			return err;
	}
	eth_commit_mac_addr_change(dev, p);
	return 0;
}

/* Called with the address lists locked: take a copy, program it later. */
static void npa_ndo_set_rx_mode(struct net_device *dev)
{
	struct npa_port *port = npa_netdev_port(dev);
	struct npa_rx_mode *m = &port->rx_mode_new;
	struct netdev_hw_addr *ha;

	spin_lock_bh(&port->rx_mode_lock);
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
	spin_unlock_bh(&port->rx_mode_lock);
	set_bit(NPA_SVC_RX_MODE, &port->svc_flags);
	mod_delayed_work(system_wq, &port->service_work, 0);
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
};

static void npa_tx_clean(struct npa_port *port, struct npa_ops *ops,
			 int budget)
{
	struct netdev_queue *txq = netdev_get_tx_queue(port->netdev, 0);

	port->tx_done_pkts = 0;
	port->tx_done_bytes = 0;
	ops->tx_clean(port, budget);
	if (port->tx_done_pkts)
		netdev_tx_completed_queue(txq, port->tx_done_pkts,
					  port->tx_done_bytes);
	/* xmit says again if the ring is still full */
	if (netif_tx_queue_stopped(txq) && netif_carrier_ok(port->netdev))
		netif_tx_wake_queue(txq);
}

static int npa_napi_poll(struct napi_struct *napi, int budget)
{
	struct npa_port *port = container_of(napi, struct npa_port, napi);
	struct npa_ops *ops;
	int done = 0;

	rcu_read_lock();
	ops = rcu_dereference(port->ops);
	if (!ops)
		goto out_unlock;
	if (ops->tx_clean)
		npa_tx_clean(port, ops, budget);
	if (ops->rx_poll && budget)
		done = ops->rx_poll(port, budget);
	if (port->xdp_redirected) {
		port->xdp_redirected = false;
		xdp_do_flush();
	}
	if (done < 0 || done > budget) {
		npa_port_fault(port, "rx_poll returned %d for budget %d",
			       done, budget);
		done = 0;
	}
	/* A device may not raise what arrived while it was masked. */
	if (done < budget && napi_complete_done(napi, done) &&
	    ops->irq_enable && ops->irq_enable(port))
		napi_schedule(napi);
	rcu_read_unlock();
	return done;

out_unlock:
	rcu_read_unlock();
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
	if (ops && ops->irq)
		ops->irq(port, vec->index);
	rcu_read_unlock();

	napi_schedule(&port->napi);
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
				      "%s-%d", netdev_name(port->netdev), i);
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

/**
 * npa_netdev_create() - create and register the netdev of a port
 * @port: the port
 *
 * The interface starts without carrier: only a plugin reports link.
 *
 * Return: 0 or a negative errno.
 */
int npa_netdev_create(struct npa_port *port)
{
	struct npa_netdev_priv *priv;
	struct net_device *dev;
	int err;

	dev = alloc_netdev(sizeof(*priv), "npa%d", NET_NAME_ENUM, ether_setup);
	if (!dev)
		return -ENOMEM;
	priv = netdev_priv(dev);
	priv->port = port;
	port->netdev = dev;

	dev->netdev_ops = &npa_netdev_ops;
	dev->ethtool_ops = &npa_ethtool_ops;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_DATA_LEN;
	dev->watchdog_timeo = NPA_TX_TIMEOUT;
	/* the shim's own: the rest comes and goes with the plugin */
	dev->priv_flags |= IFF_LIVE_ADDR_CHANGE;
	dev->hw_features = NETIF_F_RXCSUM;
	dev->features = NETIF_F_RXCSUM | NETIF_F_HIGHDMA;
	SET_NETDEV_DEV(dev, &port->pdev->dev);
	eth_hw_addr_random(dev);
	netif_napi_add(dev, &port->napi, npa_napi_poll);
	netif_carrier_off(dev);
	u64_stats_init(&port->stats.rx_syncp);
	u64_stats_init(&port->stats.tx_syncp);

	err = npa_pool_create(port);
	if (err)
		goto err_del_napi;
	err = npa_xdp_init(port);
	if (err)
		goto err_destroy_pool;
	err = register_netdev(dev);
	if (err)
		goto err_xdp_exit;
	return 0;

err_xdp_exit:
	npa_xdp_exit(port);
err_destroy_pool:
	npa_pool_destroy(port);
err_del_napi:
	netif_napi_del(&port->napi);
	free_netdev(dev);
	port->netdev = NULL;
	return err;
}

/**
 * npa_netdev_destroy() - unregister and free the netdev of a port
 * @port: the port, with no plugin attached
 */
void npa_netdev_destroy(struct npa_port *port)
{
	unregister_netdev(port->netdev);
	/* No ndo runs now, and without a plugin the work does not re-arm. */
	cancel_delayed_work_sync(&port->service_work);
	npa_xdp_exit(port);
	npa_pool_destroy(port);
	netif_napi_del(&port->napi);
	free_netdev(port->netdev);
	port->netdev = NULL;
}
