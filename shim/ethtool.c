// SPDX-License-Identifier: GPL-2.0
/*
 * npa ethtool: driver and plugin identity, link settings, ring sizes,
 * channels, the port's counters and rx-copybreak (ethtool -i, ethtool, -g,
 * -l, -S, --get-tunable).
 */
#include <linux/ethtool.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "npa_shim.h"

struct npa_stat_desc {
	char name[ETH_GSTRING_LEN];
	int idx;	/* in npa_dev_stats_read()'s array */
};

#define NPA_STAT(name, field) { name, NPA_STAT_IDX(field) }

/* The interface's counters: those of its ports, and of ports it had. */
static const struct npa_stat_desc npa_dev_stats[] = {
	NPA_STAT("rx_packets", rx_packets),
	NPA_STAT("rx_bytes", rx_bytes),
	NPA_STAT("rx_dropped", rx_dropped),
	NPA_STAT("rx_csum_ok", rx_csum_ok),
	NPA_STAT("rx_copybreak", rx_copybreak),
	NPA_STAT("rx_inactive", rx_inactive),
	NPA_STAT("rx_drained", rx_drained),
	NPA_STAT("rx_xdp_pass", xdp_pass),
	NPA_STAT("rx_xdp_drop", xdp_drop),
	NPA_STAT("rx_xdp_tx", xdp_tx),
	NPA_STAT("rx_xdp_tx_errors", xdp_tx_errors),
	NPA_STAT("rx_xdp_redirect", xdp_redirect),
	NPA_STAT("rx_xdp_aborted", xdp_aborted),
	NPA_STAT("rx_alloc_failed", rx_alloc_failed),
	/* one RX and one TX queue: the queue's counters are the interface's */
	NPA_STAT("rx_queue_0_packets", rx_packets),
	NPA_STAT("rx_queue_0_bytes", rx_bytes),
	NPA_STAT("tx_packets", tx_packets),
	NPA_STAT("tx_bytes", tx_bytes),
	NPA_STAT("tx_dropped", tx_dropped),
	NPA_STAT("tx_busy", tx_busy),
	NPA_STAT("tx_csum", tx_csum),
	NPA_STAT("tx_tso", tx_tso),
	NPA_STAT("tx_xdp_xmit", xdp_xmit),
	NPA_STAT("tx_xdp_xmit_errors", xdp_xmit_errors),
	NPA_STAT("tx_map_failed", tx_map_failed),
	NPA_STAT("tx_doorbells", tx_doorbells),
	NPA_STAT("tx_queue_0_packets", tx_packets),
	NPA_STAT("tx_queue_0_bytes", tx_bytes),
};

/* Each port of a pair on its own, as <role>_<name> */
static const struct npa_stat_desc npa_pair_port_stats[] = {
	NPA_STAT("rx_packets", rx_packets),
	NPA_STAT("rx_bytes", rx_bytes),
	NPA_STAT("rx_inactive", rx_inactive),
	NPA_STAT("rx_drained", rx_drained),
	NPA_STAT("tx_packets", tx_packets),
	NPA_STAT("tx_bytes", tx_bytes),
};

/* The port whose device ethtool describes: the active one, else the PV. */
static struct npa_port *npa_shown_port(struct net_device *dev)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	struct npa_port *port = npa_dev_active(ndev);

	return port ?: ndev->port[NPA_ROLE_PV] ?: ndev->port[NPA_ROLE_VF];
}

static bool npa_is_pair(struct npa_dev *ndev)
{
	return ndev->port[NPA_ROLE_PV] && ndev->port[NPA_ROLE_VF];
}

static void npa_get_drvinfo(struct net_device *dev,
			    struct ethtool_drvinfo *info)
{
	struct npa_port *port = npa_shown_port(dev);
	struct npa_ops *ops = port ? port->plugin : NULL;

	strscpy(info->driver, NPA_DRV_NAME, sizeof(info->driver));
	if (port)
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
	struct npa_port *port = npa_shown_port(dev);

	ethtool_link_ksettings_zero_link_mode(cmd, supported);
	ethtool_link_ksettings_zero_link_mode(cmd, advertising);
	cmd->base.port = PORT_OTHER;
	cmd->base.autoneg = AUTONEG_DISABLE;
	if (netif_carrier_ok(dev) && port) {
		cmd->base.speed = READ_ONCE(port->link_speed);
		cmd->base.duplex = DUPLEX_FULL;
	} else {
		cmd->base.speed = SPEED_UNKNOWN;
		cmd->base.duplex = DUPLEX_UNKNOWN;
	}
	return 0;
}

/*
 * The descriptors of the rings of the RX and the TX queue (named by the
 * plugin's probe with npa_ring_set_queue(), or else by the first buffer
 * through them), as the probe sized them (its settings, or what ethtool
 * -G asked), and the most it takes (without npa_ring_set_queue(), what one
 * ring may hold).
 */
static u32 npa_ring_max(const struct npa_port *port, u32 queue,
			const struct npa_ring *r)
{
	return port->ring_max[queue] ?: npa_ring_max_count(r->desc_size);
}

static void npa_get_ringparam(struct net_device *dev,
			      struct ethtool_ringparam *ring,
			      struct kernel_ethtool_ringparam *kring,
			      struct netlink_ext_ack *extack)
{
	struct npa_port *port = npa_shown_port(dev);
	int i;

	ASSERT_RTNL();
	if (!port)
		return;
	ring->rx_pending = npa_port_slots(port, NPA_RING_RX);
	ring->tx_pending = npa_port_slots(port, NPA_RING_TX);
	for (i = 0; i < NPA_MAX_RINGS; i++) {
		struct npa_ring *r = &port->rings[i];

		if (!r->va)
			continue;
		if (r->role == NPA_RING_RX)
			ring->rx_max_pending = npa_ring_max(port, NPA_QUEUE_RX, r);
		else if (r->role == NPA_RING_TX)
			ring->tx_max_pending = npa_ring_max(port, NPA_QUEUE_TX, r);
	}
}

/*
 * One port's plugin probes again with the sizes asked, unless it has them
 * or was asked for them already (its probe rounded them). Return 1 if it
 * probed again, 0 if it had no need, or the probe's negative errno.
 */
static int npa_port_resize(struct npa_port *port, u32 rx, u32 tx,
			   struct netlink_ext_ack *extack)
{
	const char *name = port->plugin->name;
	int err;

	if ((rx == npa_port_slots(port, NPA_RING_RX) &&
	     tx == npa_port_slots(port, NPA_RING_TX)) ||
	    (rx == port->ring_req[NPA_QUEUE_RX] &&
	     tx == port->ring_req[NPA_QUEUE_TX]))
		return 0;
	err = npa_plugin_resize(port, rx, tx);
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "plugin '%s' refused RX %u TX %u: %d",
				   name, rx, tx, err);
		return err;
	}
	return 1;
}

/*
 * ethtool -G: the plugin of each port of the interface with one attached
 * probes again and sizes its rings as asked (npa_port_ring_size()),
 * rounded as its device needs: on a pair the standby port first, so the
 * active one's traffic moves to a port already resized while it probes.
 * The core refuses sizes above the maximum ethtool -g shows; a probe that
 * fails with the new sizes (no memory for the rings, say) comes back as
 * its errno, with the old sizes in place again on both ports.
 */
static int npa_set_ringparam(struct net_device *dev,
			     struct ethtool_ringparam *ring,
			     struct kernel_ethtool_ringparam *kring,
			     struct netlink_ext_ack *extack)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	struct npa_port *port = npa_shown_port(dev);
	struct npa_port *other = NULL;
	u32 old_rx = 0, old_tx = 0;
	int moved = 0, err;

	ASSERT_RTNL();
	if (!port || port->state != NPA_PLUGIN_ATTACHED) {
		NL_SET_ERR_MSG(extack, "no plugin attached: its probe sizes the rings");
		return -ENODEV;
	}
	if (!ring->rx_pending || !ring->tx_pending) {
		NL_SET_ERR_MSG(extack, "a ring needs at least one descriptor");
		return -EINVAL;
	}
	if (npa_is_pair(ndev)) {
		other = ndev->port[port->role == NPA_ROLE_PV ? NPA_ROLE_VF : NPA_ROLE_PV];
		if (other->state != NPA_PLUGIN_ATTACHED)
			other = NULL;
	}
	if (other) {
		old_rx = npa_port_slots(other, NPA_RING_RX);
		old_tx = npa_port_slots(other, NPA_RING_TX);
		moved = npa_port_resize(other, ring->rx_pending,
					ring->tx_pending, extack);
		if (moved < 0)
			return moved;
	}
	err = npa_port_resize(port, ring->rx_pending, ring->tx_pending, extack);
	if (err >= 0)
		return 0;
	/* the standby, resized, goes back to the sizes it had */
	if (moved)
		npa_plugin_resize(other, old_rx, old_tx);
	return err;
}

/*
 * One channel: each port has one NAPI context serving its one TX and one
 * RX queue, and the interface one TX queue, whichever port is active and
 * whatever vectors the plugin gives its other interrupts (not counted).
 */
static void npa_get_channels(struct net_device *dev,
			     struct ethtool_channels *ch)
{
	ch->max_combined = 1;
	ch->combined_count = 1;
}

/*
 * The core refuses counts past the maximum ("requested channel count
 * exceeds maximum") before calling this; what reaches it is the one
 * channel there is.
 */
static int npa_set_channels(struct net_device *dev,
			    struct ethtool_channels *ch)
{
	if (ch->combined_count != 1 || ch->rx_count || ch->tx_count ||
	    ch->other_count)
		return -EINVAL;
	return 0;
}

/*
 * After the interface's counters, for each port (prefixed with its role in
 * a pair): its counters if in a pair, plugin_faults, link_changes (as the
 * plugin reported them), link_damped (times the shim held a flapping link
 * down) and irqs_missed (polls the service work started that found work),
 * then irq_<n> for each MSI-X vector.
 */
#define NPA_PLUGIN_STATS	4

static int npa_port_nr_stats(struct npa_port *port, bool pair)
{
	return (pair ? ARRAY_SIZE(npa_pair_port_stats) : 0) +
	       NPA_PLUGIN_STATS + port->nvecs;
}

static int npa_get_sset_count(struct net_device *dev, int sset)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	int r, n = ARRAY_SIZE(npa_dev_stats);

	if (sset != ETH_SS_STATS)
		return -EOPNOTSUPP;
	for (r = NPA_NR_ROLES - 1; r >= 0; r--)
		if (ndev->port[r])
			n += npa_port_nr_stats(ndev->port[r], npa_is_pair(ndev));
	return n;
}

static void npa_get_strings(struct net_device *dev, u32 sset, u8 *data)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	bool pair = npa_is_pair(ndev);
	int r, i;

	if (sset != ETH_SS_STATS)
		return;
	for (i = 0; i < ARRAY_SIZE(npa_dev_stats); i++)
		ethtool_puts(&data, npa_dev_stats[i].name);
	for (r = NPA_NR_ROLES - 1; r >= 0; r--) {
		struct npa_port *port = ndev->port[r];
		const char *p = pair ? npa_role_name(r) : "";
		const char *sep = pair ? "_" : "";

		if (!port)
			continue;
		for (i = 0; pair && i < ARRAY_SIZE(npa_pair_port_stats); i++)
			ethtool_sprintf(&data, "%s_%s", p,
					npa_pair_port_stats[i].name);
		ethtool_sprintf(&data, "%s%splugin_faults", p, sep);
		ethtool_sprintf(&data, "%s%slink_changes", p, sep);
		ethtool_sprintf(&data, "%s%slink_damped", p, sep);
		ethtool_sprintf(&data, "%s%sirqs_missed", p, sep);
		for (i = 0; i < port->nvecs; i++)
			ethtool_sprintf(&data, "%s%sirq_%d", p, sep, i);
	}
}

static void npa_get_ethtool_stats(struct net_device *dev,
				  struct ethtool_stats *stats, u64 *data)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	bool pair = npa_is_pair(ndev);
	u64 vals[NPA_NR_STATS];
	int r, i;

	npa_dev_stats_read(ndev, vals);
	for (i = 0; i < ARRAY_SIZE(npa_dev_stats); i++)
		*data++ = vals[npa_dev_stats[i].idx];
	for (r = NPA_NR_ROLES - 1; r >= 0; r--) {
		struct npa_port *port = ndev->port[r];

		if (!port)
			continue;
		npa_port_stats_read(port, vals);
		for (i = 0; pair && i < ARRAY_SIZE(npa_pair_port_stats); i++)
			*data++ = vals[npa_pair_port_stats[i].idx];
		*data++ = atomic_read(&port->faults);
		*data++ = READ_ONCE(port->link_changes);
		*data++ = READ_ONCE(port->link_damped);
		*data++ = READ_ONCE(port->irqs_missed);
		for (i = 0; i < port->nvecs; i++)
			*data++ = atomic64_read(&port->vecs[i].count);
	}
}

/* rx-copybreak: the interface's, whichever port carries it */
static int npa_get_tunable(struct net_device *dev,
			   const struct ethtool_tunable *tuna, void *data)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);

	if (tuna->id != ETHTOOL_RX_COPYBREAK)
		return -EOPNOTSUPP;
	*(u32 *)data = READ_ONCE(ndev->rx_copybreak);
	return 0;
}

static int npa_set_tunable(struct net_device *dev,
			   const struct ethtool_tunable *tuna, const void *data)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	u32 val = *(const u32 *)data;

	if (tuna->id != ETHTOOL_RX_COPYBREAK)
		return -EOPNOTSUPP;
	/* no frame is longer than a buffer: past it, every frame is copied */
	if (val > NPA_RX_BUF_LEN) {
		netdev_err(dev, "rx-copybreak %u is past the RX buffer's %u bytes\n",
			   val, NPA_RX_BUF_LEN);
		return -EINVAL;
	}
	WRITE_ONCE(ndev->rx_copybreak, val);
	return 0;
}

/* The port's plugin keeps an interval between queue interrupts. */
static bool npa_port_coalesces(struct npa_port *port)
{
	return port && port->state == NPA_PLUGIN_ATTACHED &&
	       port->plugin->set_coalesce;
}

/*
 * ethtool -c: the interval between queue interrupts that the plugin of the
 * port ethtool shows keeps (on a pair, the other port's if that one's
 * keeps none): what it programmed at open (npa_port_rx_usecs()) or took
 * from ethtool -C since.
 */
static int npa_get_coalesce(struct net_device *dev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	struct npa_port *port = npa_shown_port(dev);
	int r;

	ASSERT_RTNL();
	for (r = 0; !npa_port_coalesces(port) && r < NPA_NR_ROLES; r++)
		port = ndev->port[r];
	if (!npa_port_coalesces(port)) {
		NL_SET_ERR_MSG(extack, "no plugin here keeps an interrupt interval");
		return -EOPNOTSUPP;
	}
	if (port->rx_usecs == NPA_RX_USECS_NONE) {
		NL_SET_ERR_MSG_FMT(extack, "plugin '%s' has not programmed an interval yet",
				   port->plugin->name);
		return -ENODATA;
	}
	ec->rx_coalesce_usecs = port->rx_usecs;
	return 0;
}

/* One port's plugin keeps @usecs between queue interrupts from now on. */
static int npa_port_set_coalesce(struct npa_port *port, u32 usecs)
{
	struct npa_mmio mmio;
	int err;

	mmio = npa_mmio_begin(NPA_MMIO_CONTROL);
	err = port->plugin->set_coalesce(port, usecs);
	npa_mmio_end(port, NPA_MMIO_CONTROL, mmio);
	if (err > 0)
		err = -EIO;
	if (!err) {
		port->rx_usecs_req = usecs;
		WRITE_ONCE(port->rx_usecs, usecs);
	}
	return err;
}

/*
 * ethtool -C rx-usecs: every port of the interface whose plugin keeps an
 * interval takes the new one, or none does (a refusal puts the ports done
 * back). The port keeps what was asked through a reset or ethtool -G (its
 * plugin's open reads it), not through a load or swap of a plugin.
 */
static int npa_set_coalesce(struct net_device *dev,
			    struct ethtool_coalesce *ec,
			    struct kernel_ethtool_coalesce *kec,
			    struct netlink_ext_ack *extack)
{
	struct npa_dev *ndev = npa_netdev_dev(dev);
	u32 usecs = ec->rx_coalesce_usecs;
	u32 old[NPA_NR_ROLES], old_req[NPA_NR_ROLES];
	struct npa_port *port;
	int r, done = 0, err;

	ASSERT_RTNL();
	if (usecs == NPA_RX_USECS_NONE) {
		NL_SET_ERR_MSG_FMT(extack, "rx-usecs %u is out of range", usecs);
		return -EINVAL;
	}
	for (r = 0; r < NPA_NR_ROLES; r++) {
		port = ndev->port[r];
		if (!npa_port_coalesces(port))
			continue;
		old[r] = port->rx_usecs;
		old_req[r] = port->rx_usecs_req;
		err = npa_port_set_coalesce(port, usecs);
		if (err) {
			NL_SET_ERR_MSG_FMT(extack, "plugin '%s' refused rx-usecs %u: %d",
					   port->plugin->name, usecs, err);
			goto err_restore;
		}
		done++;
	}
	if (!done) {
		NL_SET_ERR_MSG(extack, "no plugin here keeps an interrupt interval");
		return -EOPNOTSUPP;
	}
	return 0;

err_restore:
	while (r--) {
		port = ndev->port[r];
		if (!npa_port_coalesces(port) || old[r] == NPA_RX_USECS_NONE)
			continue;
		if (!npa_port_set_coalesce(port, old[r]))
			port->rx_usecs_req = old_req[r];
	}
	return err;
}

const struct ethtool_ops npa_ethtool_ops = {
	.supported_coalesce_params = ETHTOOL_COALESCE_RX_USECS,
	.get_drvinfo		= npa_get_drvinfo,
	.get_link		= ethtool_op_get_link,
	.get_link_ksettings	= npa_get_link_ksettings,
	.get_ringparam		= npa_get_ringparam,
	.set_ringparam		= npa_set_ringparam,
	.get_channels		= npa_get_channels,
	.set_channels		= npa_set_channels,
	.get_sset_count		= npa_get_sset_count,
	.get_strings		= npa_get_strings,
	.get_ethtool_stats	= npa_get_ethtool_stats,
	.get_tunable		= npa_get_tunable,
	.set_tunable		= npa_set_tunable,
	.get_coalesce		= npa_get_coalesce,
	.set_coalesce		= npa_set_coalesce,
};
