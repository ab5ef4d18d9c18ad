// SPDX-License-Identifier: GPL-2.0
/*
 * npa pairs: one interface per PV+VF pair. A PV port has an interface from
 * PCI probe on; a VF port gets one at its first plugin attach, unless its
 * MAC is that of a PV interface without a VF, which it then joins (as
 * net_failover pairs). The interface's packets go out of, and come in on,
 * one port at a time: the VF when it has a plugin and link, else the PV.
 * Moving between them changes nothing the stack sees but the counters.
 */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>

#include "npa_shim.h"

static const char * const npa_role_names[NPA_NR_ROLES] = {
	[NPA_ROLE_VF] = "vf",
	[NPA_ROLE_PV] = "pv",
};

/**
 * npa_role_name() - the user-visible name of a port role
 * @role: the role
 *
 * Return: "pv" or "vf".
 */
const char *npa_role_name(enum npa_role role)
{
	return npa_role_names[role];
}

/**
 * npa_dev_active() - the port carrying an interface's traffic
 * @ndev: the interface
 *
 * Context: RTNL held.
 * Return: the port, or NULL when none can.
 */
struct npa_port *npa_dev_active(struct npa_dev *ndev)
{
	return rtnl_dereference(ndev->active);
}

#define NPA_PLUGIN_FEATURES	(NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM | \
				 NETIF_F_SG | NETIF_F_TSO | NETIF_F_TSO6)

/**
 * npa_dev_set_features() - offer what the active port's device does
 * @ndev: the interface
 * @features: NPA_F_* of the active port's plugin, 0 for none
 *
 * Context: RTNL held.
 */
void npa_dev_set_features(struct npa_dev *ndev, u32 features)
{
	struct net_device *dev = ndev->netdev;
	netdev_features_t f = 0;

	if (features & NPA_F_TX_CSUM)
		f |= NETIF_F_IP_CSUM | NETIF_F_IPV6_CSUM;
	if (features & NPA_F_SG)
		f |= NETIF_F_SG;
	if (features & NPA_F_TSO)
		f |= NETIF_F_TSO | NETIF_F_TSO6;
	dev->hw_features = (dev->hw_features & ~NPA_PLUGIN_FEATURES) | f;
	/* on by default; ethtool -K may turn them off again */
	dev->wanted_features = (dev->wanted_features & ~NPA_PLUGIN_FEATURES) | f;
	netdev_update_features(dev);
}

/* A port can carry the traffic: its plugin runs and reports link, not damped. */
static bool npa_port_usable(struct npa_port *port)
{
	return port && port->state == NPA_PLUGIN_ATTACHED &&
	       rcu_access_pointer(port->ops) && npa_port_link_ok(port);
}

/**
 * npa_dev_select() - choose the port that carries an interface's traffic
 * @ndev: the interface
 *
 * The VF when it can (unless the mode says PV), else the PV. The carrier
 * drops only when neither port can carry anything: a failover is not a
 * link change.
 *
 * Context: RTNL held.
 */
void npa_dev_select(struct npa_dev *ndev)
{
	struct npa_port *pv = ndev->port[NPA_ROLE_PV];
	struct npa_port *vf = ndev->port[NPA_ROLE_VF];
	struct net_device *dev = ndev->netdev;
	struct npa_port *old, *new = NULL;
	bool drain;

	ASSERT_RTNL();
	if (npa_port_usable(vf) && ndev->mode == NPA_MODE_AUTO)
		new = vf;
	else if (npa_port_usable(pv))
		new = pv;
	else if (npa_port_usable(vf))
		new = vf;
	old = rtnl_dereference(ndev->active);
	if (new != old) {
		/*
		 * The old port delivers what it still holds (at most a ring),
		 * until a poll begun after the move finds its RX ring empty:
		 * armed before the move is seen, and that poll scheduled.
		 */
		drain = old && new && rcu_access_pointer(old->ops) &&
			netif_running(dev);
		if (drain)
			atomic_set(&old->rx_drain, npa_port_slots(old, NPA_RING_RX));
		rcu_assign_pointer(ndev->active, new);
		if (drain)
			npa_napi_schedule_task(old, NULL);
		/* netlink's queue-get names the NAPI context behind the queues */
		netif_queue_set_napi(dev, 0, NETDEV_QUEUE_TYPE_RX,
				     new ? &new->napi : NULL);
		netif_queue_set_napi(dev, 0, NETDEV_QUEUE_TYPE_TX,
				     new ? &new->napi : NULL);
		npa_dev_set_features(ndev, new ? new->plugin->features : 0);
		if (new)
			netdev_info(dev, "traffic on port %u (%s)\n", new->id,
				    npa_role_name(new->role));
		else
			netdev_info(dev, "no port can carry traffic\n");
	}
	if (!new) {
		netif_carrier_off(dev);
		return;
	}
	netif_carrier_on(dev);
	/* a queue the old port's full ring stopped */
	if (new != old && netif_running(dev))
		netif_tx_wake_all_queues(dev);
}

/**
 * npa_dev_select_work() - npa_dev_select() for a link change
 * @work: the interface's select_work
 */
void npa_dev_select_work(struct work_struct *work)
{
	struct npa_dev *ndev = container_of(work, struct npa_dev, select_work);

	rtnl_lock();
	if (ndev->netdev->reg_state == NETREG_REGISTERED)
		npa_dev_select(ndev);
	rtnl_unlock();
}

/* Give @port its NAPI context, page_pool and XDP queue on @ndev. */
static int npa_port_bind(struct npa_dev *ndev, struct npa_port *port)
{
	struct net_device *dev = ndev->netdev;
	int err;

	ASSERT_RTNL();
	port->ndev = ndev;
	port->netdev = dev;
	netif_napi_add(dev, &port->napi, npa_napi_poll);
	err = npa_pool_create(port);
	if (err)
		goto err_del_napi;
	err = npa_xdp_init(port);
	if (err)
		goto err_destroy_pool;
	/* a port's NAPI is enabled while its interface runs */
	if (netif_running(dev))
		napi_enable(&port->napi);
	WRITE_ONCE(ndev->port[port->role], port);
	return 0;

err_destroy_pool:
	npa_pool_destroy(port);
err_del_napi:
	netif_napi_del(&port->napi);
	port->ndev = NULL;
	port->netdev = NULL;
	return err;
}

/**
 * npa_dev_create() - create the interface of a port that has none
 * @port: the port, without a plugin or right after its plugin's probe
 *
 * Context: RTNL held.
 * Return: 0 or a negative errno.
 */
int npa_dev_create(struct npa_port *port)
{
	struct net_device *dev;
	int err;

	ASSERT_RTNL();
	dev = npa_netdev_alloc();
	if (!dev)
		return -ENOMEM;
	SET_NETDEV_DEV(dev, &port->pdev->dev);
	eth_hw_addr_set(dev, port->mac);
	err = register_netdevice(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	err = npa_port_bind(netdev_priv(dev), port);
	if (err) {
		unregister_netdevice(dev);	/* frees it */
		return err;
	}
	dev_info(&port->pdev->dev, "port %u: interface %s\n", port->id,
		 netdev_name(dev));
	return 0;
}

/**
 * npa_dev_leave() - take a port out of its interface
 * @port: the port, its plugin detached (no ring holds a buffer)
 *
 * The interface goes on with its other port; it goes away with its last.
 * Its counters keep what this port counted.
 *
 * Context: RTNL held.
 */
void npa_dev_leave(struct npa_port *port)
{
	u64_stats_t *c = (u64_stats_t *)&port->stats;
	struct npa_dev *ndev = port->ndev;
	u64 vals[NPA_NR_STATS];
	int i;

	ASSERT_RTNL();
	if (!ndev)
		return;
	WRITE_ONCE(ndev->port[port->role], NULL);
	npa_dev_select(ndev);
	/* readers of ndev->port[] and of the active port are done */
	synchronize_net();
	if (netif_running(ndev->netdev))
		napi_disable(&port->napi);
	npa_xdp_exit(port);
	npa_pool_destroy(port);
	netif_napi_del(&port->napi);
	npa_port_stats_read(port, vals);
	for (i = 0; i < NPA_NR_STATS; i++) {
		ndev->gone[i] += vals[i];
		u64_stats_set(&c[i], 0);
	}
	port->ndev = NULL;
	port->netdev = NULL;
	if (!ndev->port[NPA_ROLE_PV] && !ndev->port[NPA_ROLE_VF])
		unregister_netdevice(ndev->netdev);	/* frees it */
}

/**
 * npa_port_join() - give a port whose plugin just probed an interface
 * @port: the port, with the MAC its plugin read from the device
 *
 * A VF whose MAC is a PV interface's joins it; any other port without an
 * interface gets its own.
 *
 * Context: RTNL held.
 * Return: 0 or a negative errno.
 */
int npa_port_join(struct npa_port *port)
{
	struct npa_dev *ndev;

	ASSERT_RTNL();
	if (port->ndev)
		return 0;
	ndev = port->role == NPA_ROLE_VF ? npa_dev_find_partner(port->mac) : NULL;
	if (!ndev)
		return npa_dev_create(port);
	netdev_info(ndev->netdev, "port %u (vf) joins port %u (pv)\n", port->id,
		    ndev->port[NPA_ROLE_PV]->id);
	return npa_port_bind(ndev, port);
}

/*
 * Move @port to @to (or to an interface of its own, @to NULL): its plugin,
 * if any, detaches from the old interface and attaches to the new one.
 */
static int npa_port_move(struct npa_port *port, struct npa_dev *to)
{
	struct npa_ops *ops = port->plugin;
	struct bpf_link *link = port->link;
	int err;

	if (ops)
		npa_plugin_detach(port, NPA_PLUGIN_NONE);
	npa_dev_leave(port);
	err = to ? npa_port_bind(to, port) : npa_dev_create(port);
	if (!err && ops)
		err = npa_plugin_reattach(port, ops, link);
	return err;
}

static int npa_dev_pair(struct npa_dev *ndev, u32 id)
{
	struct npa_port *vf = npa_port_find(id);
	int err;

	if (!vf)
		return -ENODEV;
	if (vf->role != NPA_ROLE_VF || !ndev->port[NPA_ROLE_PV])
		return -EINVAL;
	if (vf->ndev == ndev)
		return 0;
	if (ndev->port[NPA_ROLE_VF] || (vf->ndev && vf->ndev->port[NPA_ROLE_PV]))
		return -EBUSY;
	/* the VF answers to the interface's address from now on */
	err = npa_port_change_mac(vf, ether_addr_to_u64(ndev->netdev->dev_addr));
	if (err)
		return err;
	ether_addr_copy(vf->mac, ndev->netdev->dev_addr);
	return npa_port_move(vf, ndev);
}

static int npa_dev_unpair(struct npa_dev *ndev)
{
	struct npa_port *vf = ndev->port[NPA_ROLE_VF];

	if (!vf || !ndev->port[NPA_ROLE_PV])
		return 0;
	return npa_port_move(vf, NULL);
}

/* --- /sys/class/net/<ifname>/npa/ ------------------------------------------ */

static struct npa_dev *npa_attr_dev(struct device *d)
{
	return netdev_priv(to_net_dev(d));
}

/*
 * Under RTNL, taken as net-sysfs does (trylock and restart): unregistering
 * an interface, which holds RTNL, waits for the readers of its files.
 */
static ssize_t npa_show_port(struct device *d, char *buf, int role)
{
	struct npa_dev *ndev = npa_attr_dev(d);
	struct npa_port *port;
	ssize_t len;

	if (!rtnl_trylock())
		return restart_syscall();
	port = role < 0 ? npa_dev_active(ndev) : ndev->port[role];
	if (port)
		len = sysfs_emit(buf, "%u\n", port->id);
	else
		len = sysfs_emit(buf, role < 0 ? "0\n" : "\n");
	rtnl_unlock();
	return len;
}

static ssize_t pv_port_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	return npa_show_port(d, buf, NPA_ROLE_PV);
}
static DEVICE_ATTR_RO(pv_port);

static ssize_t vf_port_show(struct device *d, struct device_attribute *attr,
			    char *buf)
{
	return npa_show_port(d, buf, NPA_ROLE_VF);
}

static ssize_t vf_port_store(struct device *d, struct device_attribute *attr,
			     const char *buf, size_t len)
{
	struct npa_dev *ndev = npa_attr_dev(d);
	u32 id;
	int err;

	err = kstrtou32(buf, 0, &id);
	if (err)
		return err;
	if (!rtnl_trylock())
		return restart_syscall();
	if (ndev->netdev->reg_state != NETREG_REGISTERED)
		err = -ENODEV;
	else
		err = id ? npa_dev_pair(ndev, id) : npa_dev_unpair(ndev);
	rtnl_unlock();
	return err ?: len;
}
static DEVICE_ATTR_RW(vf_port);

static ssize_t active_port_show(struct device *d, struct device_attribute *attr,
				char *buf)
{
	return npa_show_port(d, buf, -1);
}
static DEVICE_ATTR_RO(active_port);

static ssize_t mode_show(struct device *d, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", READ_ONCE(npa_attr_dev(d)->mode) ==
			  NPA_MODE_PV ? "pv" : "auto");
}

static ssize_t mode_store(struct device *d, struct device_attribute *attr,
			  const char *buf, size_t len)
{
	struct npa_dev *ndev = npa_attr_dev(d);
	enum npa_mode mode;

	if (sysfs_streq(buf, "auto"))
		mode = NPA_MODE_AUTO;
	else if (sysfs_streq(buf, "pv"))
		mode = NPA_MODE_PV;
	else
		return -EINVAL;
	if (!rtnl_trylock())
		return restart_syscall();
	WRITE_ONCE(ndev->mode, mode);
	if (ndev->netdev->reg_state == NETREG_REGISTERED)
		npa_dev_select(ndev);
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RW(mode);

static struct attribute *npa_dev_attrs[] = {
	&dev_attr_pv_port.attr,
	&dev_attr_vf_port.attr,
	&dev_attr_active_port.attr,
	&dev_attr_mode.attr,
	NULL
};

const struct attribute_group npa_dev_attr_group = {
	.name	= "npa",
	.attrs	= npa_dev_attrs,
};
