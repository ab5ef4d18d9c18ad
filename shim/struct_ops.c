// SPDX-License-Identifier: GPL-2.0
/*
 * npa struct_ops glue: the npa_ops type, its verifier rules, and attaching
 * a plugin to its port (reg), detaching it (unreg) and swapping it (update).
 */
#include <linux/bpf.h>
#include <linux/bpf_verifier.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/filter.h>
#include <linux/rtnetlink.h>

#include "npa_shim.h"

/* The function members, in declaration order, as prog_id[] counts them. */
static const struct {
	const char *name;
	size_t off;
	bool control;
} npa_members[NPA_OPS_NR_FUNCS] = {
	{ "probe",	offsetof(struct npa_ops, probe),	true },
	{ "remove",	offsetof(struct npa_ops, remove),	true },
	{ "open",	offsetof(struct npa_ops, open),		false },
	{ "stop",	offsetof(struct npa_ops, stop),		false },
	{ "xmit",	offsetof(struct npa_ops, xmit),		false },
	{ "tx_clean",	offsetof(struct npa_ops, tx_clean),	false },
	{ "rx_poll",	offsetof(struct npa_ops, rx_poll),	false },
	{ "irq",	offsetof(struct npa_ops, irq),		false },
	{ "irq_enable",	offsetof(struct npa_ops, irq_enable),	false },
	{ "set_rx_mode", offsetof(struct npa_ops, set_rx_mode),	true },
	{ "watchdog",	offsetof(struct npa_ops, watchdog),	true },
	{ "set_mac",	offsetof(struct npa_ops, set_mac),	true },
	{ "set_coalesce", offsetof(struct npa_ops, set_coalesce), true },
};

static const struct btf *npa_btf;
BTF_ID_LIST_SINGLE(npa_ops_btf_ids, struct, npa_ops)

/**
 * npa_prog_is_plugin() - tell whether a program implements a member of npa_ops
 * @prog: a struct_ops program being verified
 *
 * Return: true for npa plugin programs.
 */
bool npa_prog_is_plugin(const struct bpf_prog *prog)
{
	return npa_btf && prog->aux->attach_btf == npa_btf &&
	       prog->aux->attach_btf_id == npa_ops_btf_ids[0];
}

/**
 * npa_prog_is_member() - tell whether a plugin program implements a member
 * @prog: an npa plugin program being verified
 * @member: the member's name
 *
 * Return: true if @prog is @member.
 */
bool npa_prog_is_member(const struct bpf_prog *prog, const char *member)
{
	return prog->aux->attach_func_name &&
	       !strcmp(prog->aux->attach_func_name, member);
}

static int npa_ops_init(struct btf *btf)
{
	npa_btf = btf;
	return 0;
}

static int npa_ops_check_member(const struct btf_type *t,
				const struct btf_member *member,
				const struct bpf_prog *prog)
{
	u32 moff = __btf_member_bit_offset(t, member) / 8;
	int i;

	for (i = 0; i < ARRAY_SIZE(npa_members); i++) {
		if (npa_members[i].off != moff)
			continue;
		/* The datapath runs in softirq and hard IRQ context. */
		if (prog->sleepable && !npa_members[i].control)
			return -EINVAL;
		return 0;
	}
	return -EINVAL;
}

/*
 * By the time init_member reaches prog_id, the BPF core has replaced each
 * function member's program fd in @udata by the program's id (which is how
 * a lookup of the map reports them): copy them out.
 */
static void npa_ops_fill_prog_ids(struct npa_ops *ops, const void *udata)
{
	int i;

	for (i = 0; i < ARRAY_SIZE(npa_members); i++)
		ops->prog_id[i] = *(const unsigned long *)(udata + npa_members[i].off);
}

static int npa_ops_init_member(const struct btf_type *t,
			       const struct btf_member *member,
			       void *kdata, const void *udata)
{
	const struct npa_ops *uops = udata;
	struct npa_ops *ops = kdata;
	u32 moff = __btf_member_bit_offset(t, member) / 8;

	switch (moff) {
	case offsetof(struct npa_ops, port_id):
		ops->port_id = uops->port_id;
		return 1;
	case offsetof(struct npa_ops, vendor):
		ops->vendor = uops->vendor;
		return 1;
	case offsetof(struct npa_ops, device):
		ops->device = uops->device;
		return 1;
	case offsetof(struct npa_ops, features):
		if (uops->features & ~NPA_F_ALL) {
			pr_warn("npa: plugin asks for unknown features %#x\n",
				uops->features & ~NPA_F_ALL);
			return -EINVAL;
		}
		if ((uops->features & NPA_F_TSO) &&
		    (~uops->features & (NPA_F_TX_CSUM | NPA_F_SG))) {
			pr_warn("npa: NPA_F_TSO needs NPA_F_TX_CSUM and NPA_F_SG\n");
			return -EINVAL;
		}
		ops->features = uops->features;
		return 1;
	case offsetof(struct npa_ops, abi_version):
		if (uops->abi_version != NPA_ABI_VERSION) {
			pr_warn("npa: plugin built for ABI version %u, the shim speaks version %u\n",
				uops->abi_version, NPA_ABI_VERSION);
			return -EINVAL;
		}
		ops->abi_version = uops->abi_version;
		return 1;
	case offsetof(struct npa_ops, name):
		if (!uops->name[0] ||
		    strscpy(ops->name, uops->name, sizeof(ops->name)) < 0) {
			pr_warn("npa: plugin name must be 1 to %d characters\n",
				NPA_NAME_LEN - 1);
			return -EINVAL;
		}
		return 1;
	case offsetof(struct npa_ops, prog_id):
		if (memchr_inv(uops->prog_id, 0, sizeof(uops->prog_id))) {
			pr_warn("npa: plugin '%.*s' sets prog_id, which is the shim's to fill in\n",
				NPA_NAME_LEN, uops->name);
			return -EINVAL;
		}
		npa_ops_fill_prog_ids(ops, udata);
		return 1;
	case offsetof(struct npa_ops, irq_vectors):
		ops->irq_vectors = uops->irq_vectors;
		return 1;
	}
	return 0;
}

static int npa_ops_validate(void *kdata)
{
	struct npa_ops *ops = kdata;

	if (!ops->probe) {
		pr_warn("npa: plugin '%s' has no probe member\n", ops->name);
		return -EINVAL;
	}
	if (!ops->port_id && !ops->vendor) {
		pr_warn("npa: plugin '%s' names neither a port nor a PCI device\n",
			ops->name);
		return -EINVAL;
	}
	if (ops->irq_vectors && !ops->irq) {
		pr_warn("npa: plugin '%s' sets irq_vectors without an irq member\n",
			ops->name);
		return -EINVAL;
	}
	/* 0 is every vector: one test an interrupt, in npa_irq() */
	if (ops->irq && !ops->irq_vectors)
		ops->irq_vectors = U32_MAX;
	return 0;
}

/**
 * npa_plugin_open() - start the datapath of a port's plugin
 * @port: the port, its interface going up
 *
 * Context: RTNL held.
 * Return: 0 or the plugin's negative errno.
 */
int npa_plugin_open(struct npa_port *port)
{
	struct npa_ops *ops = port->plugin;
	struct npa_mmio mmio;
	int err;

	ASSERT_RTNL();
	if (!ops || !ops->open)
		return 0;
	mmio = npa_mmio_begin(NPA_MMIO_CONTROL);
	err = ops->open(port);
	npa_mmio_end(port, NPA_MMIO_CONTROL, mmio);
	if (err > 0) {
		npa_port_fault(port, "open returned %d", err);
		err = -EIO;
	}
	return err;
}

/**
 * npa_plugin_stop() - stop the datapath of a port's plugin
 * @port: the port, its interface going down
 *
 * Context: RTNL held.
 */
void npa_plugin_stop(struct npa_port *port)
{
	struct npa_ops *ops = port->plugin;
	struct npa_mmio mmio;

	ASSERT_RTNL();
	/* what the last xmit queued goes out before the rings stop */
	npa_port_tx_doorbell_flush(port);
	if (ops && ops->stop) {
		mmio = npa_mmio_begin(NPA_MMIO_CONTROL);
		ops->stop(port);
		npa_mmio_end(port, NPA_MMIO_CONTROL, mmio);
	}
}

/* The plugin's remove member, if it has one. */
static void npa_plugin_remove(struct npa_port *port, struct npa_ops *ops)
{
	struct npa_mmio mmio;

	if (!ops->remove)
		return;
	mmio = npa_mmio_begin(NPA_MMIO_CONTROL);
	ops->remove(port);
	npa_mmio_end(port, NPA_MMIO_CONTROL, mmio);
}

/*
 * The plugin's probe member, which may wait for its device (sleeps and
 * register polls) NPA_PROBE_TIMEOUT in all: past it those kfuncs fail at
 * once and the attach is refused.
 */
static int npa_plugin_probe(struct npa_port *port, struct npa_ops *ops)
{
	unsigned long start = jiffies;
	struct npa_mmio mmio;
	int err;

	port->probe_deadline = start + NPA_PROBE_TIMEOUT;
	port->probe_timed_out = false;
	port->in_probe = true;
	mmio = npa_mmio_begin(NPA_MMIO_PROBE);
	err = ops->probe(port);
	npa_mmio_end(port, NPA_MMIO_PROBE, mmio);
	port->in_probe = false;
	if (port->probe_timed_out) {
		dev_warn(&port->pdev->dev, "port %u: plugin '%s' probe did not finish within %u s (it returned after %u ms)\n",
			 port->id, ops->name, NPA_PROBE_TIMEOUT / HZ,
			 jiffies_to_msecs(jiffies - start));
		return -ETIMEDOUT;
	}
	if (!err && atomic_read(&port->faults)) {
		dev_warn(&port->pdev->dev, "port %u: plugin '%s' faulted in probe\n",
			 port->id, ops->name);
		err = -EINVAL;
	}
	return err > 0 ? -EIO : err;
}

/*
 * A plugin the user attaches starts with a link that is not damped, and
 * one the user has attached again (ethtool -G) with a new flapping window:
 * the changes of its own reattach never reach the limit. One the shim
 * attaches again by itself (a reset, a port moving to another interface)
 * keeps its damping: a plugin that has itself reset over and over flaps
 * the link too.
 */
static void __npa_port_link_window_clear(struct npa_port *port)
{
	lockdep_assert_held(&port->link_lock);
	port->link_window_changes = 0;
	WRITE_ONCE(port->link_hold_until, 0);
}

static void npa_port_link_window_clear(struct npa_port *port)
{
	spin_lock_irq(&port->link_lock);
	__npa_port_link_window_clear(port);
	spin_unlock_irq(&port->link_lock);
}

static void npa_port_link_damping_clear(struct npa_port *port)
{
	spin_lock_irq(&port->link_lock);
	__npa_port_link_window_clear(port);
	port->link_changes = 0;
	port->link_damped = 0;
	spin_unlock_irq(&port->link_lock);
}

/*
 * A plugin the user loads or swaps in starts afresh: its link undamped,
 * and none of what ethtool asked of the plugin before (-G, -C).
 */
static void npa_port_user_state_clear(struct npa_port *port)
{
	npa_port_link_damping_clear(port);
	memset(port->ring_req, 0, sizeof(port->ring_req));
	port->rx_usecs_req = NPA_RX_USECS_NONE;
}

static void npa_port_reset_plugin_state(struct npa_port *port)
{
	WRITE_ONCE(port->link_up, false);
	port->tx_hang_since = 0;
	port->rx_stall_since = 0;
	memset(port->mmio_peak, 0, sizeof(port->mmio_peak));
	memset(port->ring_max, 0, sizeof(port->ring_max));
	port->rx_usecs = NPA_RX_USECS_NONE;
	npa_rings_free(port);
	npa_facts_clear(port);
	port->link = NULL;
	port->plugin = NULL;
}

static int npa_plugin_attach(struct npa_port *port, struct npa_ops *ops,
			     struct bpf_link *link)
{
	int err;

	ASSERT_RTNL();
	atomic_set(&port->faults, 0);
	/* (nothing can fault on the port now: no plugin runs on it) */
	ratelimit_state_init(&port->fault_rs, DEFAULT_RATELIMIT_INTERVAL,
			     DEFAULT_RATELIMIT_BURST);
	port->plugin = ops;
	port->link = link;
	pci_set_master(port->pdev);

	err = npa_plugin_probe(port, ops);
	if (err) {
		dev_warn(&port->pdev->dev, "port %u: plugin '%s' probe failed: %d\n",
			 port->id, ops->name, err);
		goto err_reset;
	}
	/* a VF's interface, first time round, depends on the MAC probe read */
	err = npa_port_join(port);
	if (err)
		goto err_remove;

	rcu_assign_pointer(port->ops, ops);
	if (netif_running(port->netdev)) {
		/* as npa_port_open(): no poll while open fills the rings */
		napi_disable(&port->napi);
		err = npa_plugin_open(port);
		if (err)
			RCU_INIT_POINTER(port->ops, NULL);
		napi_enable(&port->napi);
		if (err)
			goto err_clear_ops;
		npa_napi_schedule_task(port, NULL);
	}
	port->state = NPA_PLUGIN_ATTACHED;
	npa_dev_select(port->ndev);
	/* program the receive filter, and start the watchdog */
	set_bit(NPA_SVC_RX_MODE, &port->svc_flags);
	mod_delayed_work(system_wq, &port->service_work, 0);
	dev_info(&port->pdev->dev, "port %u: plugin '%s' attached\n",
		 port->id, ops->name);
	return 0;

err_clear_ops:
	RCU_INIT_POINTER(port->ops, NULL);
	synchronize_net();
err_remove:
	npa_plugin_remove(port, ops);
err_reset:
	pci_clear_master(port->pdev);
	npa_port_reset_plugin_state(port);
	return err;
}

/* Long enough for a device to send what it holds, short for a dead one. */
#define NPA_DRAIN_MS	50

/*
 * Let the device send what the port queued before it stops: no packet is
 * reclaimed unsent when traffic merely moves (the other port of a pair
 * carries it already, or the interface has none).
 */
static void npa_port_drain_tx(struct npa_port *port)
{
	unsigned long end = jiffies + msecs_to_jiffies(NPA_DRAIN_MS);

	while (READ_ONCE(port->tx_posted) != READ_ONCE(port->tx_completions) &&
	       time_before(jiffies, end)) {
		npa_napi_schedule_task(port, NULL);
		usleep_range(200, 500);
	}
}

/**
 * npa_plugin_detach() - stop and detach the plugin of a port, if any
 * @port: the port
 * @state: the state the port is left in (none, or faulted)
 *
 * The device loses bus mastering before its rings are freed, so a device
 * the plugin failed to quiesce cannot write to freed memory. Its waits
 * for RCU readers are synchronize_net()'s, expedited under RTNL: the
 * interface's other port carries a flood meanwhile, and a normal grace
 * period can take seconds when both CPUs are in softirq.
 *
 * Context: RTNL held; sleeps.
 */
void npa_plugin_detach(struct npa_port *port, enum npa_plugin_state state)
{
	struct npa_ops *ops = port->plugin;
	bool running;

	ASSERT_RTNL();
	if (!ops)
		return;
	running = port->netdev && netif_running(port->netdev);
	/* The traffic moves to the other port of a pair first. */
	WRITE_ONCE(port->link_up, false);
	port->state = state;
	if (port->ndev)
		npa_dev_select(port->ndev);
	if (running) {
		/* no xmit reaches the port now, or after the grace period */
		synchronize_net();
		npa_port_tx_doorbell_flush(port);
		if (state != NPA_PLUGIN_FAULTED)
			npa_port_drain_tx(port);
		napi_disable(&port->napi);
		npa_plugin_stop(port);
	}
	RCU_INIT_POINTER(port->ops, NULL);
	/* Wait for xmit, NAPI and IRQ handlers still inside the plugin. */
	synchronize_net();
	npa_plugin_remove(port, ops);
	pci_clear_master(port->pdev);
	npa_port_reset_plugin_state(port);
	if (running)
		napi_enable(&port->napi);
	dev_info(&port->pdev->dev, "port %u: plugin '%s' detached\n",
		 port->id, ops->name);
}

/**
 * npa_plugin_reset() - take a port's device through reset with its plugin
 * @port: the port, with a plugin attached
 *
 * What a driver's reset task does: stop, remove, probe and open again, for
 * a device that lost its state (its PF reset it, say). A plugin whose probe
 * fails now is detached and the port left faulted.
 *
 * Context: RTNL held; sleeps.
 */
void npa_plugin_reset(struct npa_port *port)
{
	struct npa_ops *ops = port->plugin;
	struct bpf_link *link = port->link;

	ASSERT_RTNL();
	dev_info(&port->pdev->dev, "port %u: plugin '%s' resets the device\n",
		 port->id, ops->name);
	npa_plugin_detach(port, NPA_PLUGIN_NONE);
	npa_plugin_reattach(port, ops, link);
}

/**
 * npa_plugin_resize() - attach a port's plugin again with other ring sizes
 * @port: the port, with a plugin attached
 * @rx: descriptors its receive ring should have (npa_port_ring_size())
 * @tx: and its transmit ring
 *
 * What ethtool -G does: stop, remove, probe and open again, the probe
 * reading the sizes asked for. A plugin that refuses them is attached
 * again with the sizes asked before (if that fails too, the port is left
 * faulted). The link's flapping window starts anew: the user asked for
 * this link change.
 *
 * Context: RTNL held; sleeps.
 * Return: 0 or the negative errno of the attach with the new sizes.
 */
int npa_plugin_resize(struct npa_port *port, u32 rx, u32 tx)
{
	struct npa_ops *ops = port->plugin;
	struct bpf_link *link = port->link;
	u32 old[ARRAY_SIZE(port->ring_req)];
	int err;

	ASSERT_RTNL();
	memcpy(old, port->ring_req, sizeof(old));
	dev_info(&port->pdev->dev, "port %u: plugin '%s' resizes its rings: RX %u, TX %u\n",
		 port->id, ops->name, rx, tx);
	npa_port_link_window_clear(port);
	npa_plugin_detach(port, NPA_PLUGIN_NONE);
	port->ring_req[NPA_QUEUE_RX] = rx;
	port->ring_req[NPA_QUEUE_TX] = tx;
	err = npa_plugin_attach(port, ops, link);
	if (err) {
		memcpy(port->ring_req, old, sizeof(old));
		npa_plugin_reattach(port, ops, link);
	}
	return err;
}

/**
 * npa_plugin_reattach() - attach again a plugin the shim detached
 * @port: the port, without a plugin
 * @ops: the plugin it had
 * @link: the BPF link that attached @ops
 *
 * For a port moving to another interface: its plugin probes the device
 * again there. A plugin that fails leaves the port faulted.
 *
 * Context: RTNL held; sleeps.
 * Return: 0 or the attach's negative errno.
 */
int npa_plugin_reattach(struct npa_port *port, struct npa_ops *ops,
			struct bpf_link *link)
{
	int err = npa_plugin_attach(port, ops, link);

	if (err) {
		dev_err(&port->pdev->dev, "port %u: plugin '%s' did not come back: %d\n",
			port->id, ops->name, err);
		port->state = NPA_PLUGIN_FAULTED;
	}
	return err;
}

/**
 * npa_plugin_drives() - tell whether a plugin is made for a port's device
 * @ops: the plugin
 * @port: the port
 *
 * Return: true if the PCI ids match, or the plugin is device-independent.
 */
bool npa_plugin_drives(const struct npa_ops *ops, const struct npa_port *port)
{
	return !ops->vendor || (ops->vendor == port->pdev->vendor &&
				ops->device == port->pdev->device);
}

static int npa_ops_reg(void *kdata, struct bpf_link *link)
{
	struct npa_ops *ops = kdata;
	struct npa_port *port;
	int err;

	if (!link) {
		pr_warn("npa: plugin '%s' must attach through a BPF link (SEC(\".struct_ops.link\"))\n",
			ops->name);
		return -EOPNOTSUPP;
	}

	rtnl_lock();
	port = ops->port_id ? npa_port_find(ops->port_id) : npa_port_find_free(ops);
	if (!port) {
		if (ops->port_id)
			pr_warn("npa: plugin '%s': no port %u\n", ops->name,
				ops->port_id);
		else
			pr_warn("npa: plugin '%s': no free port with PCI id %04x:%04x\n",
				ops->name, ops->vendor, ops->device);
		err = -ENODEV;
	} else if (!npa_plugin_drives(ops, port)) {
		dev_warn(&port->pdev->dev, "port %u: plugin '%s' drives %04x:%04x, not this %04x:%04x\n",
			 port->id, ops->name, ops->vendor, ops->device,
			 port->pdev->vendor, port->pdev->device);
		err = -ENODEV;
	} else if (port->plugin) {
		dev_warn(&port->pdev->dev, "port %u: already driven by plugin '%s', refusing '%s'\n",
			 port->id, port->plugin->name, ops->name);
		err = -EBUSY;
	} else {
		/* From now on port_id names the port, also for unreg/update. */
		ops->port_id = port->id;
		npa_port_user_state_clear(port);
		err = npa_plugin_attach(port, ops, link);
	}
	rtnl_unlock();
	return err;
}

static void npa_ops_unreg(void *kdata, struct bpf_link *link)
{
	struct npa_ops *ops = kdata;
	struct npa_port *port;

	rtnl_lock();
	port = npa_port_find(ops->port_id);
	/* The shim may have detached it already (fault, port removal). */
	if (port && port->plugin == ops)
		npa_plugin_detach(port, NPA_PLUGIN_NONE);
	rtnl_unlock();
}

static int npa_ops_update(void *kdata, void *old_kdata, struct bpf_link *link)
{
	struct npa_ops *ops = kdata, *old = old_kdata;
	struct npa_port *port;
	int err;

	if (!ops->port_id)
		ops->port_id = old->port_id;
	if (ops->port_id != old->port_id) {
		pr_warn("npa: cannot swap plugin '%s' on port %u for '%s' on port %u\n",
			old->name, old->port_id, ops->name, ops->port_id);
		return -EINVAL;
	}

	rtnl_lock();
	port = npa_port_find(old->port_id);
	if (!port || !npa_plugin_drives(ops, port)) {
		err = -ENODEV;
		goto out_unlock;
	}
	if (port->plugin && port->plugin != old) {
		err = -EBUSY;
		goto out_unlock;
	}
	npa_plugin_detach(port, NPA_PLUGIN_NONE);
	npa_port_user_state_clear(port);
	err = npa_plugin_attach(port, ops, link);
	if (err && npa_plugin_attach(port, old, link))
		dev_warn(&port->pdev->dev, "port %u: swap failed and plugin '%s' did not come back\n",
			 port->id, old->name);
out_unlock:
	rtnl_unlock();
	return err;
}

/* CFI stubs: the shape of each member, never called. */
static int npa_stub_probe(struct npa_port *port)
{
	return 0;
}

static void npa_stub_remove(struct npa_port *port)
{
}

static int npa_stub_open(struct npa_port *port)
{
	return 0;
}

static void npa_stub_stop(struct npa_port *port)
{
}

static int npa_stub_xmit(struct npa_port *port, struct npa_tx *tx)
{
	return 0;
}

static int npa_stub_tx_clean(struct npa_port *port, int budget)
{
	return 0;
}

static int npa_stub_rx_poll(struct npa_port *port, int budget)
{
	return 0;
}

static void npa_stub_irq(struct npa_port *port, u32 vector)
{
}

static int npa_stub_irq_enable(struct npa_port *port)
{
	return 0;
}

static int npa_stub_set_rx_mode(struct npa_port *port)
{
	return 0;
}

static int npa_stub_watchdog(struct npa_port *port)
{
	return 0;
}

static int npa_stub_set_mac(struct npa_port *port, u64 mac)
{
	return 0;
}

static int npa_stub_set_coalesce(struct npa_port *port, u32 rx_usecs)
{
	return 0;
}

static struct npa_ops npa_cfi_stubs = {
	.probe		= npa_stub_probe,
	.remove		= npa_stub_remove,
	.open		= npa_stub_open,
	.stop		= npa_stub_stop,
	.xmit		= npa_stub_xmit,
	.tx_clean	= npa_stub_tx_clean,
	.rx_poll	= npa_stub_rx_poll,
	.irq		= npa_stub_irq,
	.irq_enable	= npa_stub_irq_enable,
	.set_rx_mode	= npa_stub_set_rx_mode,
	.watchdog	= npa_stub_watchdog,
	.set_mac	= npa_stub_set_mac,
	.set_coalesce	= npa_stub_set_coalesce,
};

static bool npa_ops_is_valid_access(int off, int size,
				    enum bpf_access_type type,
				    const struct bpf_prog *prog,
				    struct bpf_insn_access_aux *info)
{
	return bpf_tracing_btf_ctx_access(off, size, type, prog, info);
}

static const struct bpf_verifier_ops npa_verifier_ops = {
	.get_func_proto		= bpf_base_func_proto,
	.is_valid_access	= npa_ops_is_valid_access,
};

static struct bpf_struct_ops npa_bpf_ops = {
	.verifier_ops	= &npa_verifier_ops,
	.init		= npa_ops_init,
	.check_member	= npa_ops_check_member,
	.init_member	= npa_ops_init_member,
	.validate	= npa_ops_validate,
	.reg		= npa_ops_reg,
	.unreg		= npa_ops_unreg,
	.update		= npa_ops_update,
	.cfi_stubs	= &npa_cfi_stubs,
	.owner		= THIS_MODULE,
	.name		= "npa_ops",
};

/**
 * npa_plugin_member_name() - name of a function member of npa_ops
 * @i: index, as in npa_ops.prog_id
 *
 * Return: the member's name.
 */
const char *npa_plugin_member_name(int i)
{
	return npa_members[i].name;
}

/**
 * npa_plugin_state_name() - the user-visible name of a plugin state
 * @state: the state
 *
 * Return: a constant string.
 */
const char *npa_plugin_state_name(enum npa_plugin_state state)
{
	switch (state) {
	case NPA_PLUGIN_ATTACHED:
		return "attached";
	case NPA_PLUGIN_FAULTED:
		return "faulted";
	default:
		return "none";
	}
}

/**
 * npa_struct_ops_register() - register the npa_ops struct_ops type
 *
 * Return: 0 or a negative errno.
 */
int npa_struct_ops_register(void)
{
	/* npa_ops_fill_prog_ids() relies on prog_id following the functions. */
	BUILD_BUG_ON(offsetof(struct npa_ops, prog_id) <
		     offsetof(struct npa_ops, set_coalesce));
	return register_bpf_struct_ops(&npa_bpf_ops, npa_ops);
}
