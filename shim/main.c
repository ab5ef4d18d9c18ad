// SPDX-License-Identifier: GPL-2.0
/*
 * npa: the device-agnostic shim that drives PCI network functions through
 * verified BPF plugins. This file binds PCI functions and manages ports.
 */
#include <linux/error-injection.h>
#include <linux/etherdevice.h>
#include <linux/module.h>
#include <linux/pci.h>
#include <linux/rtnetlink.h>
#include <linux/xarray.h>

#include "npa_shim.h"

/* Ports by id, ids handed out cyclically so a stale id never names a new port. */
static DEFINE_XARRAY_ALLOC1(npa_ports);
static u32 npa_next_id;

/**
 * npa_port_find() - look a port up by id
 * @id: port id
 *
 * Context: RTNL held, which keeps the port alive.
 * Return: the port or NULL.
 */
struct npa_port *npa_port_find(u32 id)
{
	ASSERT_RTNL();
	return xa_load(&npa_ports, id);
}

/**
 * npa_port_find_free() - find a port a device-specific plugin can take
 * @ops: the plugin
 *
 * Context: RTNL held.
 * Return: the first port without a plugin whose device @ops drives, or NULL.
 */
struct npa_port *npa_port_find_free(const struct npa_ops *ops)
{
	struct npa_port *port;
	unsigned long id;

	ASSERT_RTNL();
	if (!ops->vendor)
		return NULL;
	xa_for_each(&npa_ports, id, port)
		if (!port->plugin && npa_plugin_drives(ops, port))
			return port;
	return NULL;
}

/**
 * npa_dev_find_partner() - find the PV interface a VF with this MAC pairs with
 * @mac: the VF's address
 *
 * Context: RTNL held.
 * Return: the interface of a PV port that has @mac and no VF yet, or NULL.
 */
struct npa_dev *npa_dev_find_partner(const u8 *mac)
{
	struct npa_port *port;
	unsigned long id;

	ASSERT_RTNL();
	xa_for_each(&npa_ports, id, port)
		if (port->role == NPA_ROLE_PV && port->ndev &&
		    !port->ndev->port[NPA_ROLE_VF] &&
		    ether_addr_equal(port->netdev->dev_addr, mac))
			return port->ndev;
	return NULL;
}

/**
 * npa_port_fault() - count a plugin fault and log it
 * @port: the port whose plugin misbehaved
 * @fmt: what happened
 *
 * Context: any.
 */
void npa_port_fault(struct npa_port *port, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	/* A probe that faults fails its attach; later, too many faults cost
	 * the plugin its port.
	 */
	if (atomic_inc_return(&port->faults) == NPA_FAULT_LIMIT && !port->in_probe)
		schedule_work(&port->fault_work);
	/* the port's own limit: no other port's or driver's storm hides it */
	if (!__ratelimit(&port->fault_rs))
		return;
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_warn(&port->pdev->dev, "port %u: plugin fault: %pV\n", port->id, &vaf);
	va_end(args);
}

/**
 * npa_port_fail() - a plugin fault that costs the plugin its port at once
 * @port: the port whose plugin misbehaved
 * @fmt: what happened
 *
 * For misbehaviour one occurrence of which is enough (a stalled queue, a
 * register storm): counted and logged as npa_port_fault() does, then the
 * fault count is set to the limit and the plugin detached, unless it is
 * probing (the attach fails then).
 *
 * Context: any.
 */
void npa_port_fail(struct npa_port *port, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	npa_port_fault(port, "%pV", &vaf);
	va_end(args);
	if (atomic_read(&port->faults) < NPA_FAULT_LIMIT) {
		atomic_set(&port->faults, NPA_FAULT_LIMIT);
		if (!port->in_probe)
			schedule_work(&port->fault_work);
	}
}

static void npa_fault_work(struct work_struct *work)
{
	struct npa_port *port = container_of(work, struct npa_port, fault_work);

	rtnl_lock();
	if (port->plugin && atomic_read(&port->faults) >= NPA_FAULT_LIMIT) {
		dev_err(&port->pdev->dev, "port %u: plugin '%s' detached after %d faults\n",
			port->id, port->plugin->name, atomic_read(&port->faults));
		npa_plugin_detach(port, NPA_PLUGIN_FAULTED);
	}
	rtnl_unlock();
}

/* set_rx_mode, from the filter the interface asked for last */
static void npa_service_rx_mode(struct npa_port *port, struct npa_ops *ops)
{
	int err;

	struct npa_mmio mmio;

	spin_lock_bh(&port->ndev->rx_mode_lock);
	port->rx_mode = port->ndev->rx_mode;
	spin_unlock_bh(&port->ndev->rx_mode_lock);
	mmio = npa_mmio_begin(NPA_MMIO_CONTROL);
	err = ops->set_rx_mode(port);
	npa_mmio_end(port, NPA_MMIO_CONTROL, mmio);
	if (!err) {
		if (port->rx_mode_retrying)
			dev_info(&port->pdev->dev, "port %u: receive filter set\n",
				 port->id);
		port->rx_mode_retrying = false;
		return;
	}
	/*
	 * The device refused or did not answer (a PF slow to take a mailbox
	 * message), as in-tree drivers see it: not a plugin fault. The next
	 * run tries again; the log says so once, not at every try.
	 */
	WRITE_ONCE(port->rx_mode_failed, port->rx_mode_failed + 1);
	set_bit(NPA_SVC_RX_MODE, &port->svc_flags);
	if (!port->rx_mode_retrying)
		dev_warn(&port->pdev->dev,
			 "port %u: set_rx_mode returned %d, trying again every %u ms\n",
			 port->id, err, NPA_WATCHDOG_MS);
	port->rx_mode_retrying = true;
}

/*
 * An interrupt can go missing (a device that does not raise what it wrote
 * back while the vector was masked, a plugin that does not re-arm it). As
 * in-tree igb and igbvf fire a software interrupt from their watchdog, the
 * service work polls a running port whose NAPI has not run since its last
 * look; a poll it started that finds work counts in @irqs_missed.
 */
static void npa_service_poll(struct npa_port *port)
{
	u32 polls = READ_ONCE(port->napi_polls);

	if (polls == port->svc_poll_mark && port->netdev &&
	    netif_running(port->netdev))
		npa_napi_schedule_task(port, &port->svc_polled);
	port->svc_poll_mark = polls;
}

/*
 * TX slots in flight and none completed since the last look, while the
 * link is up, even after a poll of the port: the plugin stopped completing
 * what it sent (in-tree drivers call it a TX unit hang). It loses the
 * port, as on a TX queue timeout, which a sender that stops at its
 * socket's limit never reaches.
 */
static void npa_service_tx_hang(struct npa_port *port)
{
	bool busy;
	u32 done;

	/* a batch's doorbell that no later call wrote (none should be left) */
	if (READ_ONCE(port->ndev->tx_db.port) == port)
		npa_port_tx_doorbell_flush(port);
	done = READ_ONCE(port->tx_completions);
	busy = READ_ONCE(port->tx_posted) != done &&
	       npa_port_link_ok(port) && netif_running(port->netdev);

	if (!busy) {
		port->tx_hang_since = 0;
		return;
	}
	if (!port->tx_hang_since || done != port->tx_hang_mark) {
		port->tx_hang_mark = done;
		port->tx_hang_since = jiffies ?: 1;
		port->tx_hang_polled = false;
		return;
	}
	if (!port->tx_hang_polled) {
		/* the completions may only wait for a poll */
		port->tx_hang_polled = true;
		npa_napi_schedule_task(port, &port->svc_polled);
		return;
	}
	if (time_before(jiffies, port->tx_hang_since + NPA_TX_TIMEOUT))
		return;
	npa_port_fail(port, "TX queue 0 stalled: %u slots in flight",
		      READ_ONCE(port->tx_posted) - done);
}

/*
 * NAPI polls keep coming (the device keeps interrupting, or the plugin's
 * irq_enable keeps saying work is pending), and for NPA_RX_STALL_TIMEOUT
 * nearly all of them found no work while not one frame was indicated: the
 * plugin stopped taking what its device receives. A plugin that masks its
 * interrupts and goes silent looks like an idle link from here. Not while
 * RX buffers cannot be had: a ring the page_pool leaves empty receives
 * nothing either, and that is no fault of the plugin's.
 */
static void npa_service_rx_stall(struct npa_port *port)
{
	u32 now[4] = {
		READ_ONCE(port->rx_frames),
		READ_ONCE(port->napi_polls),
		READ_ONCE(port->napi_idle),
		u64_stats_read(&port->stats.rx_alloc_failed),
	};
	u32 *mark = port->rx_stall_marks;
	u32 polls = now[1] - mark[1], idle = now[2] - mark[2];
	bool stalled = now[0] == mark[0] && now[3] == mark[3] &&
		       idle >= NPA_RX_STALL_POLLS &&
		       idle >= polls / 4 * 3 && npa_port_link_ok(port) &&
		       netif_running(port->netdev);

	memcpy(mark, now, sizeof(now));
	if (!stalled) {
		port->rx_stall_since = 0;
		return;
	}
	if (!port->rx_stall_since) {
		port->rx_stall_since = jiffies ?: 1;
		return;
	}
	if (time_before(jiffies, port->rx_stall_since + NPA_RX_STALL_TIMEOUT))
		return;
	npa_port_fail(port, "RX stalled: %u of %u NAPI polls idle, no frame for %u ms",
		      idle, polls, jiffies_to_msecs(jiffies - port->rx_stall_since));
}

/* The link was damped and its plugin has reported no change since: free it. */
static void npa_service_link_hold(struct npa_port *port)
{
	unsigned long until = READ_ONCE(port->link_hold_until);
	bool freed = false;

	if (!until || time_before(jiffies, until))
		return;
	spin_lock_irq(&port->link_lock);
	if (port->link_hold_until == until) {
		WRITE_ONCE(port->link_hold_until, 0);
		freed = true;
	}
	spin_unlock_irq(&port->link_lock);
	if (!freed)
		return;
	dev_info(&port->pdev->dev, "port %u: link stable for %u s, no longer held down\n",
		 port->id, NPA_LINK_HOLD / HZ);
	if (port->ndev)
		npa_dev_select(port->ndev);
}

/*
 * An RX refill found no buffer: the ring may have run empty, and a device
 * with nowhere to write raises no interrupt. Poll once more, to refill.
 */
static void npa_service_rx_refill(struct npa_port *port)
{
	if (!test_and_clear_bit(NPA_SVC_RX_REFILL, &port->svc_flags) ||
	    !port->netdev || !netif_running(port->netdev))
		return;
	npa_napi_schedule_task(port, NULL);
}

/**
 * npa_service_work() - run a plugin's set_rx_mode and watchdog members,
 *	and look for a TX hang
 * @work: the port's service_work
 *
 * Runs under RTNL, like every other control member, so the plugin never
 * runs two of them at once (a device mailbox needs that).
 */
void npa_service_work(struct work_struct *work)
{
	struct npa_port *port = container_of(to_delayed_work(work),
					     struct npa_port, service_work);
	struct npa_mmio mmio;
	struct npa_ops *ops;
	int ret;

	rtnl_lock();
	ops = port->plugin;
	if (!ops || port->state != NPA_PLUGIN_ATTACHED)
		goto out_unlock;
	if (test_and_clear_bit(NPA_SVC_RX_MODE, &port->svc_flags) &&
	    ops->set_rx_mode && port->netdev && netif_running(port->netdev))
		npa_service_rx_mode(port, ops);
	if (ops->watchdog) {
		mmio = npa_mmio_begin(NPA_MMIO_CONTROL);
		ret = ops->watchdog(port);
		npa_mmio_end(port, NPA_MMIO_CONTROL, mmio);
		if (ret == NPA_WATCHDOG_RESET) {
			npa_plugin_reset(port);
		} else if (ret) {
			dev_err(&port->pdev->dev, "port %u: plugin '%s' gives up the device: %d\n",
				port->id, ops->name, ret);
			npa_plugin_detach(port, NPA_PLUGIN_FAULTED);
		}
	}
	if (port->plugin) {
		npa_service_rx_refill(port);
		npa_service_link_hold(port);
		npa_service_tx_hang(port);
		npa_service_rx_stall(port);
		npa_service_poll(port);
		queue_delayed_work(system_wq, &port->service_work,
				   msecs_to_jiffies(NPA_WATCHDOG_MS));
	}
out_unlock:
	rtnl_unlock();
}

static void npa_unmap_bars(struct npa_port *port)
{
	int bar;

	for (bar = 0; bar < NPA_MAX_BARS; bar++) {
		if (port->bar[bar])
			pci_iounmap(port->pdev, port->bar[bar]);
		port->bar[bar] = NULL;
	}
}

static int npa_map_bars(struct npa_port *port)
{
	struct pci_dev *pdev = port->pdev;
	int bar;

	for (bar = 0; bar < NPA_MAX_BARS; bar++) {
		if (!(pci_resource_flags(pdev, bar) & IORESOURCE_MEM) ||
		    !pci_resource_len(pdev, bar))
			continue;
		port->bar[bar] = pci_iomap(pdev, bar, 0);
		if (!port->bar[bar]) {
			npa_unmap_bars(port);
			return -ENOMEM;
		}
		port->bar_len[bar] = pci_resource_len(pdev, bar);
	}
	return 0;
}

/**
 * npa_alloc_vectors() - allocate a new port's MSI-X vectors
 * @pdev: the function
 * @nvec: vectors in its MSI-X table
 *
 * As many as it has, up to NPA_MAX_VECS, and at least one. Only the PCI
 * probe calls it; it is a function of its own so that fail_function can
 * make the allocation fail (make check-debug's fi_msix_probe).
 *
 * Return: the number of vectors, or a negative errno.
 */
noinline int npa_alloc_vectors(struct pci_dev *pdev, int nvec)
{
	return pci_alloc_irq_vectors(pdev, 1, min(nvec, NPA_MAX_VECS),
				     PCI_IRQ_MSIX);
}
ALLOW_ERROR_INJECTION(npa_alloc_vectors, ERRNO);

static int npa_pci_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct npa_port *port;
	int nvec, err;

	err = pci_enable_device_mem(pdev);
	if (err)
		return err;
	err = pci_request_mem_regions(pdev, NPA_DRV_NAME);
	if (err)
		goto err_disable_device;
	err = dma_set_mask_and_coherent(&pdev->dev, DMA_BIT_MASK(64));
	if (err)
		goto err_release_regions;
	/*
	 * Bus mastering comes with a plugin (npa_plugin_attach): a device
	 * nobody set up must not read memory. (QEMU's vmxnet3 reads its
	 * shared area at address 0 otherwise.)
	 */

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port) {
		err = -ENOMEM;
		goto err_release_regions;
	}
	port->pdev = pdev;
	port->role = id->driver_data;
	/* until a plugin reads the device's */
	eth_random_addr(port->mac);
	port->rx_usecs_req = NPA_RX_USECS_NONE;
	port->rx_usecs = NPA_RX_USECS_NONE;
	spin_lock_init(&port->facts_lock);
	spin_lock_init(&port->link_lock);
	INIT_WORK(&port->fault_work, npa_fault_work);
	INIT_DELAYED_WORK(&port->service_work, npa_service_work);
	u64_stats_init(&port->stats.rx_syncp);
	u64_stats_init(&port->stats.tx_syncp);
	pci_set_drvdata(pdev, port);

	err = npa_map_bars(port);
	if (err)
		goto err_free_port;

	nvec = pci_msix_vec_count(pdev);
	if (nvec < 1) {
		dev_err(&pdev->dev, "no MSI-X capability\n");
		err = -ENODEV;
		goto err_unmap_bars;
	}
	nvec = npa_alloc_vectors(pdev, nvec);
	if (nvec < 0) {
		dev_err(&pdev->dev, "cannot allocate MSI-X vectors: %d\n", nvec);
		err = nvec;
		goto err_unmap_bars;
	}
	port->nvecs = nvec;

	/* the id now; the port itself once it is whole (below) */
	err = xa_alloc_cyclic(&npa_ports, &port->id, NULL, xa_limit_31b,
			      &npa_next_id, GFP_KERNEL);
	if (err < 0)
		goto err_free_vectors;

	err = npa_irqs_request(port);
	if (err)
		goto err_erase_id;

	rtnl_lock();
	/* a VF gets its interface, or joins one, once a plugin reads its MAC */
	if (port->role == NPA_ROLE_PV)
		err = npa_dev_create(port);
	/* plugin loads (under RTNL) find the port from here on */
	if (!err)
		err = xa_err(xa_store(&npa_ports, port->id, port, GFP_KERNEL));
	if (err)
		npa_dev_leave(port);
	rtnl_unlock();
	if (err)
		goto err_free_irqs;

	npa_debugfs_port_add(port);
	dev_info(&pdev->dev, "port %u: %s, %d MSI-X vectors\n", port->id,
		 npa_role_name(port->role), port->nvecs);
	return 0;

err_free_irqs:
	npa_irqs_free(port);
err_erase_id:
	xa_erase(&npa_ports, port->id);
err_free_vectors:
	pci_free_irq_vectors(pdev);
err_unmap_bars:
	npa_unmap_bars(port);
err_free_port:
	kfree(port);
err_release_regions:
	pci_release_mem_regions(pdev);
err_disable_device:
	pci_disable_device(pdev);
	return err;
}

/* A VF's interface cannot outlive the PV whose device is its parent. */
static void npa_port_leave_all(struct npa_port *port)
{
	struct npa_port *vf;

	if (port->role == NPA_ROLE_PV && port->ndev) {
		vf = port->ndev->port[NPA_ROLE_VF];
		if (vf) {
			npa_plugin_detach(vf, NPA_PLUGIN_NONE);
			npa_dev_leave(vf);
		}
	}
	npa_plugin_detach(port, NPA_PLUGIN_NONE);
	npa_dev_leave(port);
}

static void npa_pci_remove(struct pci_dev *pdev)
{
	struct npa_port *port = pci_get_drvdata(pdev);

	npa_debugfs_port_del(port);
	rtnl_lock();
	npa_port_leave_all(port);
	xa_erase(&npa_ports, port->id);
	rtnl_unlock();
	/* Without a plugin nothing raises faults or re-arms the service. */
	cancel_work_sync(&port->fault_work);
	cancel_delayed_work_sync(&port->service_work);
	/* No plugin can reach the port any more: quiesce the rest. */
	npa_irqs_free(port);
	npa_rings_free(port);
	pci_free_irq_vectors(pdev);
	npa_unmap_bars(port);
	kfree(port);
	pci_clear_master(pdev);
	pci_release_mem_regions(pdev);
	pci_disable_device(pdev);
}

static const struct pci_device_id npa_pci_ids[] = {
	/* the paravirtual device a VF fails over to */
	{ PCI_DEVICE_DATA(VMWARE, VMXNET3, NPA_ROLE_PV) },
	{ PCI_DEVICE(PCI_VENDOR_ID_INTEL, 0x10ca) },	/* 82576 VF */
	{ }
};
MODULE_DEVICE_TABLE(pci, npa_pci_ids);

static ssize_t abi_version_show(struct device_driver *drv, char *buf)
{
	return sysfs_emit(buf, "%u\n", NPA_ABI_VERSION);
}
static DRIVER_ATTR_RO(abi_version);

static struct attribute *npa_driver_attrs[] = {
	&driver_attr_abi_version.attr,
	NULL
};
ATTRIBUTE_GROUPS(npa_driver);

static struct pci_driver npa_pci_driver = {
	.name		= NPA_DRV_NAME,
	.id_table	= npa_pci_ids,
	.probe		= npa_pci_probe,
	.remove		= npa_pci_remove,
	.dev_groups	= (const struct attribute_group *[]) {
		&npa_port_attr_group, NULL
	},
	.driver.groups	= npa_driver_groups,
};

static int __init npa_init(void)
{
	int err;

	err = npa_kfuncs_register();
	err = err ?: npa_struct_ops_register();
	if (err)
		return err;
	npa_debugfs_init();
	err = pci_register_driver(&npa_pci_driver);
	if (err)
		npa_debugfs_exit();
	return err;
}

static void __exit npa_exit(void)
{
	pci_unregister_driver(&npa_pci_driver);
	npa_debugfs_exit();
}

module_init(npa_init);
module_exit(npa_exit);

MODULE_DESCRIPTION("npa: PCI network functions driven by verified BPF plugins");
MODULE_AUTHOR("The npa authors");
MODULE_LICENSE("GPL");
