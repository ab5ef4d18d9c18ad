// SPDX-License-Identifier: GPL-2.0
/*
 * What a port and its plugin look like from userspace, without npactl:
 * sysfs attributes under /sys/bus/pci/devices/<bdf>/npa/ (one value each)
 * and a readable summary in debugfs, /sys/kernel/debug/npa/<bdf>/info.
 */
#include <linux/bpf.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/seq_file.h>

#include "npa_shim.h"

static struct dentry *npa_debugfs_root;

static struct npa_port *npa_dev_port(struct device *dev)
{
	return pci_get_drvdata(to_pci_dev(dev));
}

static ssize_t port_id_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%u\n", npa_dev_port(dev)->id);
}
static DEVICE_ATTR_RO(port_id);

static ssize_t ifname_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct npa_port *port = npa_dev_port(dev);
	ssize_t len;

	rtnl_lock();
	/* empty for a VF whose plugin never attached: it has no interface */
	len = sysfs_emit(buf, "%s\n", port->netdev ? netdev_name(port->netdev) : "");
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RO(ifname);

static ssize_t role_show(struct device *dev, struct device_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", npa_role_name(npa_dev_port(dev)->role));
}
static DEVICE_ATTR_RO(role);

static ssize_t active_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct npa_port *port = npa_dev_port(dev);
	ssize_t len;

	rtnl_lock();
	len = sysfs_emit(buf, "%d\n", port->ndev && npa_dev_active(port->ndev) == port);
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RO(active);

static ssize_t plugin_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct npa_port *port = npa_dev_port(dev);
	ssize_t len;

	rtnl_lock();
	len = sysfs_emit(buf, "%s\n", port->plugin ? port->plugin->name : "");
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RO(plugin);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	struct npa_port *port = npa_dev_port(dev);
	ssize_t len;

	rtnl_lock();
	len = sysfs_emit(buf, "%s\n", npa_plugin_state_name(port->state));
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RO(state);

static ssize_t link_id_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct npa_port *port = npa_dev_port(dev);
	ssize_t len;

	rtnl_lock();
	/* The link's id is assigned after reg: read it now, not at attach. */
	len = sysfs_emit(buf, "%u\n", port->link ? port->link->id : 0);
	rtnl_unlock();
	return len;
}
static DEVICE_ATTR_RO(link_id);

static ssize_t prog_ids_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct npa_port *port = npa_dev_port(dev);
	ssize_t len = 0;
	int i;

	rtnl_lock();
	for (i = 0; port->plugin && i < NPA_OPS_NR_FUNCS; i++) {
		if (!port->plugin->prog_id[i])
			continue;
		len += sysfs_emit_at(buf, len, "%s%s=%u", len ? " " : "",
				     npa_plugin_member_name(i),
				     port->plugin->prog_id[i]);
	}
	rtnl_unlock();
	len += sysfs_emit_at(buf, len, "\n");
	return len;
}
static DEVICE_ATTR_RO(prog_ids);

static ssize_t faults_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&npa_dev_port(dev)->faults));
}
static DEVICE_ATTR_RO(faults);

static struct attribute *npa_port_attrs[] = {
	&dev_attr_port_id.attr,
	&dev_attr_ifname.attr,
	&dev_attr_role.attr,
	&dev_attr_active.attr,
	&dev_attr_plugin.attr,
	&dev_attr_state.attr,
	&dev_attr_link_id.attr,
	&dev_attr_prog_ids.attr,
	&dev_attr_faults.attr,
	NULL
};

const struct attribute_group npa_port_attr_group = {
	.name	= "npa",
	.attrs	= npa_port_attrs,
};

static int npa_info_show(struct seq_file *s, void *unused)
{
	struct npa_port *port = s->private;
	unsigned long flags;
	int i;

	rtnl_lock();
	seq_printf(s, "port: %u\n", port->id);
	seq_printf(s, "pci: %s %04x:%04x\n", pci_name(port->pdev),
		   port->pdev->vendor, port->pdev->device);
	seq_printf(s, "role: %s\n", npa_role_name(port->role));
	seq_printf(s, "ifname: %s\n", port->netdev ? netdev_name(port->netdev) : "");
	for (i = 0; i < NPA_MAX_BARS; i++)
		if (port->bar[i])
			seq_printf(s, "bar%d: %llu\n", i, (u64)port->bar_len[i]);
	seq_printf(s, "msix_vectors: %d\n", port->nvecs);
	for (i = 0; i < port->nvecs; i++)
		seq_printf(s, "irqs%d: %lld\n", i, atomic64_read(&port->vecs[i].count));
	seq_printf(s, "plugin: %s\n", port->plugin ? port->plugin->name : "");
	seq_printf(s, "state: %s\n", npa_plugin_state_name(port->state));
	seq_printf(s, "link_id: %u\n", port->link ? port->link->id : 0);
	seq_printf(s, "faults: %d\n", atomic_read(&port->faults));
	seq_printf(s, "link: %d\n", READ_ONCE(port->link_up));
	seq_printf(s, "carrier: %d\n", port->netdev && netif_carrier_ok(port->netdev));
	seq_printf(s, "speed: %u\n", READ_ONCE(port->link_speed));
	seq_printf(s, "link_changes: %u\n", READ_ONCE(port->link_changes));
	seq_printf(s, "link_damped: %u\n", READ_ONCE(port->link_damped));
	seq_printf(s, "link_held: %d\n", !!READ_ONCE(port->link_hold_until));
	seq_printf(s, "napi_polls: %u\n", READ_ONCE(port->napi_polls));
	seq_printf(s, "napi_idle: %u\n", READ_ONCE(port->napi_idle));
	seq_printf(s, "rx_frames: %u\n", READ_ONCE(port->rx_frames));
	seq_printf(s, "irqs_missed: %u\n", READ_ONCE(port->irqs_missed));
	seq_printf(s, "rx_mode_failed: %u\n", READ_ONCE(port->rx_mode_failed));
	seq_printf(s, "mmio_peak: datapath %d control %d probe %d\n",
		   READ_ONCE(port->mmio_peak[NPA_MMIO_DATAPATH]),
		   READ_ONCE(port->mmio_peak[NPA_MMIO_CONTROL]),
		   READ_ONCE(port->mmio_peak[NPA_MMIO_PROBE]));
	for (i = 0; i < NPA_MAX_RINGS; i++)
		if (port->rings[i].va)
			seq_printf(s, "ring%d: %u x %u\n", i, port->rings[i].count,
				   port->rings[i].desc_size);
	spin_lock_irqsave(&port->facts_lock, flags);
	for (i = 0; i < NPA_MAX_FACTS; i++)
		if (port->facts[i].key[0])
			seq_printf(s, "fact.%s: %#llx\n", port->facts[i].key,
				   port->facts[i].val);
	spin_unlock_irqrestore(&port->facts_lock, flags);
	rtnl_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(npa_info);

/**
 * npa_debugfs_port_add() - create /sys/kernel/debug/npa/<bdf>/
 * @port: the new port
 */
void npa_debugfs_port_add(struct npa_port *port)
{
	port->debugfs = debugfs_create_dir(pci_name(port->pdev), npa_debugfs_root);
	debugfs_create_file("info", 0444, port->debugfs, port, &npa_info_fops);
}

/**
 * npa_debugfs_port_del() - remove a port's debugfs directory
 * @port: the port going away
 */
void npa_debugfs_port_del(struct npa_port *port)
{
	debugfs_remove_recursive(port->debugfs);
	port->debugfs = NULL;
}

/**
 * npa_debugfs_init() - create /sys/kernel/debug/npa/
 */
void npa_debugfs_init(void)
{
	npa_debugfs_root = debugfs_create_dir(NPA_DRV_NAME, NULL);
}

/**
 * npa_debugfs_exit() - remove /sys/kernel/debug/npa/
 */
void npa_debugfs_exit(void)
{
	debugfs_remove_recursive(npa_debugfs_root);
}
