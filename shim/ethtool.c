// SPDX-License-Identifier: GPL-2.0
/*
 * npa ethtool: driver and plugin identity, link settings and the port's
 * counters (ethtool -i, ethtool, ethtool -S).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "npa_shim.h"

struct npa_stat_desc {
	char name[ETH_GSTRING_LEN];
	size_t off;	/* in struct npa_stats */
};

#define NPA_STAT(name, field) { name, offsetof(struct npa_stats, field) }

static const struct npa_stat_desc npa_rx_stats[] = {
	NPA_STAT("rx_packets", rx_packets),
	NPA_STAT("rx_bytes", rx_bytes),
	NPA_STAT("rx_dropped", rx_dropped),
	NPA_STAT("rx_csum_ok", rx_csum_ok),
	/* one RX queue per port: the queue's counters are the port's */
	NPA_STAT("rx_xdp_pass", xdp_pass),
	NPA_STAT("rx_xdp_drop", xdp_drop),
	NPA_STAT("rx_xdp_tx", xdp_tx),
	NPA_STAT("rx_xdp_tx_errors", xdp_tx_errors),
	NPA_STAT("rx_xdp_redirect", xdp_redirect),
	NPA_STAT("rx_xdp_aborted", xdp_aborted),
	NPA_STAT("rx_queue_0_packets", rx_packets),
	NPA_STAT("rx_queue_0_bytes", rx_bytes),
};

static const struct npa_stat_desc npa_tx_stats[] = {
	NPA_STAT("tx_packets", tx_packets),
	NPA_STAT("tx_bytes", tx_bytes),
	NPA_STAT("tx_dropped", tx_dropped),
	NPA_STAT("tx_busy", tx_busy),
	NPA_STAT("tx_csum", tx_csum),
	NPA_STAT("tx_tso", tx_tso),
	NPA_STAT("tx_xdp_xmit", xdp_xmit),
	NPA_STAT("tx_xdp_xmit_errors", xdp_xmit_errors),
	NPA_STAT("tx_queue_0_packets", tx_packets),
	NPA_STAT("tx_queue_0_bytes", tx_bytes),
};

/* after them: plugin_faults, then irq_<n> for each MSI-X vector */
#define NPA_FIXED_STATS	(ARRAY_SIZE(npa_rx_stats) + ARRAY_SIZE(npa_tx_stats) + 1)

static void npa_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	struct npa_port *port = npa_netdev_port(dev);
	struct npa_ops *ops = port->plugin;

	strscpy(info->driver, NPA_DRV_NAME, sizeof(info->driver));
	strscpy(info->bus_info, pci_name(port->pdev), sizeof(info->bus_info));
	/* the plugin is the device's firmware, as far as the stack goes */
	if (ops)
		snprintf(info->fw_version, sizeof(info->fw_version),
			 "%s abi %u prog %u", ops->name, ops->abi_version,
			 ops->prog_id[0]);
	else
		strscpy(info->fw_version, "no plugin", sizeof(info->fw_version));
}

static int npa_get_link_ksettings(struct net_device *dev,
				  struct ethtool_link_ksettings *cmd)
{
	struct npa_port *port = npa_netdev_port(dev);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	if (netif_carrier_ok(dev)) {
		cmd->base.speed = READ_ONCE(port->link_speed);
		cmd->base.duplex = DUPLEX_FULL;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

/*
 * The descriptors of the rings that carried RX buffers and TX packets.
 * The plugin chose them at load time (npactl ... set rx_ring_size=N):
 * ethtool -G cannot change them, and the maximum is the shim's limit.
 */
static void npa_get_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct npa_port *port = npa_netdev_port(dev);
	int i;

	ASSERT_RTNL();
	for (i = 0; i < NPA_MAX_RINGS; i++) {
		struct npa_ring *r = &port->rings[i];

		if (!r->va)
			continue;
		if (r->role == NPA_RING_RX) {
			ring->rx_pending += r->count;
			ring->rx_max_pending = NPA_RING_MAX_BYTES / r->desc_size;
		} else if (r->role == NPA_RING_TX) {
			ring->tx_pending += r->count;
			ring->tx_max_pending = NPA_RING_MAX_BYTES / r->desc_size;
		}
	}
}

static int npa_get_sset_count(struct net_device *dev, int sset)
{
	struct npa_port *port = npa_netdev_port(dev);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	return NPA_FIXED_STATS + port->nvecs;
}

static void npa_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct npa_port *port = npa_netdev_port(dev);
	int i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(npa_rx_stats); i++)
		ethtool_puts(&data, npa_rx_stats[i].name);
	for (i = 0; i < ARRAY_SIZE(npa_tx_stats); i++)
		ethtool_puts(&data, npa_tx_stats[i].name);
	ethtool_puts(&data, "plugin_faults");
	for (i = 0; i < port->nvecs; i++)
		ethtool_sprintf(&data, "irq_%d", i);
}

static void npa_read_stats(const struct npa_stats *st,
			   const struct u64_stats_sync *syncp,
			   const struct npa_stat_desc *desc, int n, u64 *data)
{
	unsigned int start;
	int i;

	do {
		start = u64_stats_fetch_begin(syncp);
		for (i = 0; i < n; i++)
			data[i] = u64_stats_read((const u64_stats_t *)
						 ((const void *)st + desc[i].off));
	} while (u64_stats_fetch_retry(syncp, start));
}

static void npa_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct npa_port *port = npa_netdev_port(dev);
	struct npa_stats *st = &port->stats;
	int i;

	npa_read_stats(st, &st->rx_syncp, npa_rx_stats,
		       ARRAY_SIZE(npa_rx_stats), data);
	data += ARRAY_SIZE(npa_rx_stats);
	npa_read_stats(st, &st->tx_syncp, npa_tx_stats,
		       ARRAY_SIZE(npa_tx_stats), data);
	data += ARRAY_SIZE(npa_tx_stats);
	*data++ = atomic_read(&port->faults);
	for (i = 0; i < port->nvecs; i++)
		*data++ = atomic64_read(&port->vecs[i].count);
}

const struct ethtool_ops npa_ethtool_ops = {
	.get_drvinfo		= npa_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= npa_get_link_ksettings,
	.get_ringparam		= npa_get_ringparam,
	.get_sset_count		= npa_get_sset_count,
	.get_strings		= npa_get_strings,
	.get_ethtool_stats	= npa_get_ethtool_stats,
};
