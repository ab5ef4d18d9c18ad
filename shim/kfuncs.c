// SPDX-License-Identifier: GPL-2.0
/*
 * npa kfuncs: the shell API a plugin drives its device with. Every access
 * is checked against what the port owns: registers against the BAR,
 * descriptors against the ring, and the size of every pointer handed to
 * the program is known to the verifier.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/delay.h>
#include <linux/dma-mapping.h>
#include <linux/etherdevice.h>
#include <linux/io.h>
#include <linux/nospec.h>
#include <linux/rtnetlink.h>

#include "npa_shim.h"

DEFINE_PER_CPU(struct npa_mmio, npa_mmio);

/*
 * A probe past its deadline waits for nothing more: its sleeps return at
 * once and its register accesses fail (the attach is refused afterwards).
 */
static bool npa_probe_expired(struct npa_port *port)
{
	if (port->probe_timed_out)
		return true;
	if (time_before(jiffies, port->probe_deadline))
		return false;
	port->probe_timed_out = true;
	npa_port_fault(port, "probe still waiting for the device after %u s",
		       NPA_PROBE_TIMEOUT / HZ);
	return true;
}

/*
 * One register access of the running member call: false once the call
 * has used its budget (the first access past it costs the plugin its port).
 */
static bool npa_mmio_take(struct npa_port *port)
{
	int left;

	if (unlikely(port->in_probe) && npa_probe_expired(port))
		return false;
	left = this_cpu_dec_return(npa_mmio.left);
	if (likely(left >= 0))
		return true;
	if (left == -1)
		npa_port_fail(port, "register storm: over %d accesses in one call",
			      this_cpu_read(npa_mmio.budget));
	/* stay below 0 whatever the plugin's loops do */
	this_cpu_write(npa_mmio.left, -2);
	return false;
}

static void __iomem *npa_reg_addr(struct npa_port *port, u32 bar, u32 off,
				  const char *what)
{
	if (!npa_mmio_take(port))
		return NULL;
	if (bar >= NPA_MAX_BARS || !port->bar[bar]) {
		npa_port_fault(port, "%s of BAR%u: no such memory BAR", what, bar);
		return NULL;
	}
	if (!IS_ALIGNED(off, 4) || off > port->bar_len[bar] - 4) {
		npa_port_fault(port, "%s at BAR%u+%#x: outside the BAR (%llu bytes) or unaligned",
			       what, bar, off, (u64)port->bar_len[bar]);
		return NULL;
	}
	return port->bar[bar] + off;
}

/*
 * Each ring's buffers belong to one context: a TX ring's to xmit (under
 * the TX queue's lock), an RX ring's to rx_poll and open (NAPI, which is
 * off while open runs). A kick or publish of a ring from the other one
 * would walk its list of new buffers while its owner adds to it.
 */
static bool npa_ring_in_context(struct npa_port *port, struct npa_ring *r,
				u32 ring, const char *what)
{
	bool xmit = this_cpu_read(npa_mmio.xmit);
	bool tx = r->role == NPA_RING_TX;

	if (!r->role || xmit == tx)
		return true;
	npa_port_fault(port, "ring %u (%s buffers) %s %s xmit", ring,
		       tx ? "TX" : "RX", what,
		       xmit ? "from" : "outside");
	return false;
}

/*
 * Write every ring address placed with npa_ring_put_base() again, so that
 * what the device reads next is the shim's whatever the plugin wrote there.
 */
static void npa_pins_refresh(struct npa_port *port)
{
	u32 i;

	for (i = 0; i < port->npins; i++) {
		const struct npa_base_pin *pin = &port->pins[i];
		__le64 *field = port->rings[pin->dst_ring].va + pin->dst_off;

		WRITE_ONCE(*field, cpu_to_le64(port->rings[pin->ring].dma));
	}
}

/* Hand a ring's new descriptors to the device: what npa_ring_kick() does. */
static void npa_ring_doorbell(struct npa_port *port, struct npa_ring *r,
			      void __iomem *reg, u32 val)
{
	if (r->slots)
		npa_slots_refresh(r);
	npa_pins_refresh(port);
	writel(val, reg);
	if (r->role != NPA_RING_TX)
		return;
	/* (the TX counters' writers hold the queue's lock) */
	u64_stats_update_begin(&port->stats.tx_syncp);
	u64_stats_inc(&port->stats.tx_doorbells);
	u64_stats_update_end(&port->stats.tx_syncp);
}

/**
 * npa_tx_doorbell_flush() - write the TX doorbell held back, if any
 * @ndev: the interface
 *
 * Context: TX queue 0's lock held.
 */
void npa_tx_doorbell_flush(struct npa_dev *ndev)
{
	struct npa_tx_doorbell *db = &ndev->tx_db;

	if (!db->port)
		return;
	npa_ring_doorbell(db->port, db->ring, db->reg, db->val);
	/* (the service work looks without the lock) */
	WRITE_ONCE(db->port, NULL);
}

/**
 * npa_port_tx_doorbell_flush() - write a port's TX doorbell held back, if any
 * @port: the port, about to be stopped or drained
 *
 * Context: process; no xmit can reach the port any more.
 */
void npa_port_tx_doorbell_flush(struct npa_port *port)
{
	struct net_device *dev = port->netdev;

	if (!dev)
		return;
	netif_tx_lock_bh(dev);
	if (port->ndev->tx_db.port == port)
		npa_tx_doorbell_flush(port->ndev);
	netif_tx_unlock_bh(dev);
}

/*
 * An xmit with more packets behind it: keep its doorbell for the last one.
 * The doorbell gives the ring's new tail, so the last write says it all.
 */
static void npa_tx_doorbell_hold(struct npa_port *port, struct npa_ring *r,
				 void __iomem *reg, u32 val)
{
	struct npa_tx_doorbell *db = &port->ndev->tx_db;

	/* another register (the other port of a pair): the one held first */
	if (db->port && db->reg != reg)
		npa_tx_doorbell_flush(port->ndev);
	WRITE_ONCE(db->port, port);
	db->ring = r;
	db->reg = reg;
	db->val = val;
}

__bpf_kfunc_start_defs();

/**
 * npa_reg_read32() - read a 32-bit device register
 * @port: the plugin's port, as its member received it
 * @bar: memory BAR index, 0 to 5
 * @off: byte offset in the BAR, 4-byte aligned
 *
 * Each call of a plugin member may make a bounded number of register
 * accesses (this one, npa_reg_write32(), npa_ring_write_base() and
 * npa_ring_kick() count): NPA_MMIO_BUDGET_DATAPATH in xmit, tx_clean,
 * rx_poll, irq and irq_enable (one budget for a NAPI poll's tx_clean,
 * rx_poll and irq_enable), NPA_MMIO_BUDGET_CONTROL in the other members,
 * NPA_MMIO_BUDGET_PROBE in probe. The first access past the budget costs
 * the plugin its port ("register storm"); it and those after it are
 * dropped. In probe, past NPA_PROBE_TIMEOUT, accesses fail the same way
 * and the attach is refused (-ETIMEDOUT).
 *
 * Context: any plugin member.
 * Return: the register's value, or ~0 if @bar and @off name no register of
 * the port (a plugin fault: counted, logged, and fatal in probe) or the
 * access was dropped.
 */
__bpf_kfunc u32 npa_reg_read32(struct npa_port *port, u32 bar, u32 off)
{
	void __iomem *addr = npa_reg_addr(port, bar, off, "read");

	return addr ? readl(addr) : ~0U;
}

/**
 * npa_reg_write32() - write a 32-bit device register
 * @port: the plugin's port
 * @bar: memory BAR index, 0 to 5
 * @off: byte offset in the BAR, 4-byte aligned
 * @val: the value
 *
 * A write outside the port's BARs is dropped and counted as a plugin fault;
 * one past the member call's budget, or past the probe's deadline, is
 * dropped too (see npa_reg_read32()). Before the write, the shim puts
 * back every ring address placed with npa_ring_put_base(): a command that
 * makes the device read them finds the shim's values.
 *
 * Context: any plugin member.
 */
__bpf_kfunc void npa_reg_write32(struct npa_port *port, u32 bar, u32 off,
				 u32 val)
{
	void __iomem *addr = npa_reg_addr(port, bar, off, "write");

	if (!addr)
		return;
	npa_pins_refresh(port);
	writel(val, addr);
}

/**
 * npa_ring_create() - create a descriptor ring in device-visible memory
 * @port: the plugin's port
 * @ring: ring index, 0 to NPA_MAX_RINGS - 1, not yet used
 * @count: number of descriptors
 * @desc_size: bytes per descriptor, a multiple of 4 up to NPA_DESC_MAX_SIZE
 * @addr_off: byte offset of the 64-bit little-endian buffer address in a
 *	descriptor (8-byte aligned), or NPA_RING_NO_ADDR for a ring whose
 *	descriptors carry none (completion rings)
 *
 * The ring is zeroed coherent DMA memory of at most NPA_RING_MAX_BYTES. Its
 * device address stays in the shim: npa_ring_write_base() hands it to the
 * device. Buffer addresses are the shim's too: it writes them at
 * @addr_off when a slot gets a buffer and again at each kick. The ring
 * lives until the plugin detaches.
 *
 * Context: the probe member only (sleepable).
 * Return: 0, -EINVAL for bad arguments, -EEXIST if @ring exists, -ENOMEM.
 */
__bpf_kfunc int npa_ring_create(struct npa_port *port, u32 ring, u32 count,
				u32 desc_size, u32 addr_off)
{
	struct npa_ring *r;
	size_t size;
	int err;

	if (!port->in_probe) {
		npa_port_fault(port, "ring %u created outside probe", ring);
		return -EPERM;
	}
	if (ring >= NPA_MAX_RINGS || !count || desc_size < 4 ||
	    desc_size > NPA_DESC_MAX_SIZE || !IS_ALIGNED(desc_size, 4) ||
	    count > npa_ring_max_count(desc_size) ||
	    (addr_off != NPA_RING_NO_ADDR &&
	     (!IS_ALIGNED(addr_off, 8) || (u64)addr_off + 8 > desc_size))) {
		npa_port_fault(port, "bad ring %u: %u descriptors of %u bytes, address at %#x",
			       ring, count, desc_size, addr_off);
		return -EINVAL;
	}
	r = &port->rings[ring];
	if (r->va)
		return -EEXIST;
	size = (size_t)count * desc_size;
	r->count = count;
	r->desc_size = desc_size;
	r->addr_off = addr_off;
	if (addr_off != NPA_RING_NO_ADDR) {
		err = npa_slots_alloc(r);
		if (err)
			return err;
	}
	r->va = dma_alloc_coherent(&port->pdev->dev, size, &r->dma, GFP_KERNEL);
	if (!r->va) {
		npa_slots_free(port, r);
		return -ENOMEM;
	}
	return 0;
}

/**
 * npa_ring_desc() - get one descriptor of a ring, or the ring from it on
 * @port: the plugin's port
 * @ring: ring index
 * @idx: descriptor index, below the ring's count
 * @rdwr_buf_size: bytes the program will access, a constant: up to the
 *	descriptor's size, or to the ring's end (so that a poll may take a
 *	whole completion ring in one call: @idx 0, count * size bytes)
 *
 * The verifier bounds every access through the returned pointer to
 * @rdwr_buf_size bytes, and requires a NULL check.
 *
 * Context: any plugin member.
 * Return: the descriptor (as bytes: a ``void *`` would be a scalar to the
 * verifier), or NULL (a plugin fault) if @ring, @idx or @rdwr_buf_size are
 * out of range.
 */
__bpf_kfunc u8 *npa_ring_desc(struct npa_port *port, u32 ring, u32 idx,
			      const size_t rdwr_buf_size)
{
	struct npa_ring *r = npa_ring_get(port, ring);

	if (!r)
		return NULL;
	if (idx >= r->count ||
	    rdwr_buf_size > (size_t)(r->count - idx) * r->desc_size) {
		npa_port_fault(port, "ring %u: descriptor %u (%zu bytes) out of range",
			       ring, idx, rdwr_buf_size);
		return NULL;
	}
	return r->va + (size_t)idx * r->desc_size;
}

/**
 * npa_ring_write_base() - give a ring's device address to the device
 * @port: the plugin's port
 * @ring: ring index
 * @bar: BAR of the base address registers
 * @lo_off: offset of the register taking the low 32 bits
 * @hi_off: offset of the register taking the high 32 bits
 *
 * The plugin never learns the address: the shim writes it. The two writes
 * are two register accesses of the member call's budget (see
 * npa_reg_read32()).
 *
 * Context: any plugin member.
 * Return: 0, or -EINVAL (a plugin fault) for a bad ring or register or an
 * access past the budget.
 */
__bpf_kfunc int npa_ring_write_base(struct npa_port *port, u32 ring, u32 bar,
				    u32 lo_off, u32 hi_off)
{
	struct npa_ring *r = npa_ring_get(port, ring);
	void __iomem *lo, *hi;

	if (!r)
		return -EINVAL;
	lo = npa_reg_addr(port, bar, lo_off, "ring base write");
	hi = lo ? npa_reg_addr(port, bar, hi_off, "ring base write") : NULL;
	if (!lo || !hi)
		return -EINVAL;
	npa_pins_refresh(port);
	writel(lower_32_bits(r->dma), lo);
	writel(upper_32_bits(r->dma), hi);
	return 0;
}

/**
 * npa_ring_put_base() - put a ring's device address into descriptor memory
 * @port: the plugin's port
 * @ring: the ring whose address the device must learn
 * @dst_ring: a ring without buffer addresses (a shared area, a queue
 *	descriptor table) whose memory the device reads
 * @dst_idx: descriptor index in @dst_ring
 * @dst_off: byte offset of the 64-bit little-endian address field in that
 *	descriptor, 8-byte aligned
 *
 * For devices that learn their ring addresses from memory rather than from
 * registers. The plugin never learns the address: the shim writes it, and
 * writes it again before every npa_reg_write32(), npa_ring_write_base()
 * and npa_ring_kick() of the port, so whatever the plugin writes over it
 * in between never reaches the device through a command or doorbell.
 *
 * Context: the probe member only, at most NPA_MAX_BASE_PINS times.
 * Return: 0, -EPERM outside probe, -EINVAL (a plugin fault) for a bad
 * ring or field, -ENOSPC past NPA_MAX_BASE_PINS.
 */
__bpf_kfunc int npa_ring_put_base(struct npa_port *port, u32 ring, u32 dst_ring,
				  u32 dst_idx, u32 dst_off)
{
	struct npa_ring *r = npa_ring_get(port, ring);
	struct npa_ring *d = npa_ring_get(port, dst_ring);
	struct npa_base_pin *pin;

	if (!port->in_probe) {
		npa_port_fault(port, "ring %u address placed outside probe", ring);
		return -EPERM;
	}
	if (!r || !d)
		return -EINVAL;
	if (d->slots || dst_idx >= d->count || !IS_ALIGNED(dst_off, 8) ||
	    (u64)dst_off + 8 > d->desc_size) {
		npa_port_fault(port, "ring %u address into ring %u: bad field %u+%#x",
			       ring, dst_ring, dst_idx, dst_off);
		return -EINVAL;
	}
	if (port->npins == NPA_MAX_BASE_PINS)
		return -ENOSPC;
	pin = &port->pins[port->npins++];
	pin->ring = ring;
	pin->dst_ring = dst_ring;
	pin->dst_off = dst_idx * d->desc_size + dst_off;
	npa_pins_refresh(port);
	return 0;
}

/**
 * npa_port_set_mac() - set the port's permanent MAC address
 * @port: the plugin's port
 * @mac: the address read from the device, first octet in bits 47..40
 *
 * Context: the probe member only, sleepable (the interface's address
 * change notifies whoever listens, and they may sleep).
 * Return: 0, or -EINVAL for an address that is not a valid unicast one.
 */
__bpf_kfunc int npa_port_set_mac(struct npa_port *port, u64 mac)
{
	struct net_device *dev = port->netdev;
	u8 addr[ETH_ALEN];

	if (!port->in_probe) {
		npa_port_fault(port, "MAC set outside probe");
		return -EPERM;
	}
	u64_to_ether_addr(mac, addr);
	if (!is_valid_ether_addr(addr))
		return -EINVAL;
	ASSERT_RTNL();
	ether_addr_copy(port->mac, addr);
	/* a VF without an interface yet: npa_port_join() pairs by it */
	if (!dev)
		return 0;
	/* the interface of a pair has the PV's address */
	if (port->role == NPA_ROLE_VF && port->ndev->port[NPA_ROLE_PV]) {
		if (!ether_addr_equal(dev->dev_addr, addr))
			dev_warn(&port->pdev->dev, "port %u: device MAC %pM is not %s's %pM\n",
				 port->id, addr, netdev_name(dev), dev->dev_addr);
		return 0;
	}
	eth_hw_addr_set(dev, addr);
	ether_addr_copy(dev->perm_addr, addr);
	call_netdevice_notifiers(NETDEV_CHANGEADDR, dev);
	return 0;
}

/**
 * npa_port_set_link() - report the device's link state
 * @port: the plugin's port
 * @up: non-zero if the link is up
 * @speed_mbps: link speed in Mb/s, 0 if unknown
 *
 * The interface follows: its carrier, and which port of a pair carries
 * its traffic. A link that flaps is damped: the (NPA_LINK_FLAP_LIMIT + 1)th
 * change within NPA_LINK_FLAP_WINDOW holds the port's link down (logged
 * once) until the plugin has reported no change for NPA_LINK_HOLD, so the
 * carrier, or the port carrying a pair's traffic, changes a bounded number
 * of times whatever the plugin reports.
 *
 * Context: any plugin member.
 */
__bpf_kfunc void npa_port_set_link(struct npa_port *port, u32 up,
				   u32 speed_mbps)
{
	unsigned long flags, now = jiffies;
	bool held, damp = false;

	WRITE_ONCE(port->link_speed, up ? speed_mbps : 0);
	if (READ_ONCE(port->link_up) == !!up)
		return;
	spin_lock_irqsave(&port->link_lock, flags);
	if (port->link_up == !!up) {
		spin_unlock_irqrestore(&port->link_lock, flags);
		return;
	}
	WRITE_ONCE(port->link_up, !!up);
	port->link_changes++;
	if (!port->link_window_changes ||
	    time_after(now, port->link_window + NPA_LINK_FLAP_WINDOW)) {
		port->link_window = now;
		port->link_window_changes = 0;
	}
	held = port->link_hold_until;
	if (++port->link_window_changes > NPA_LINK_FLAP_LIMIT || held) {
		/* every change while held starts the hold again */
		WRITE_ONCE(port->link_hold_until, (now + NPA_LINK_HOLD) ?: 1);
		if (!held) {
			port->link_damped++;
			damp = true;
		}
	}
	spin_unlock_irqrestore(&port->link_lock, flags);
	if (damp)
		dev_warn_ratelimited(&port->pdev->dev,
				     "port %u: link flapping: more than %u changes in %u s, held down until stable for %u s\n",
				     port->id, NPA_LINK_FLAP_LIMIT,
				     NPA_LINK_FLAP_WINDOW / HZ, NPA_LINK_HOLD / HZ);
	/* (without an interface yet, the attach that follows probe selects) */
	if (port->ndev && !held)
		schedule_work(&port->ndev->select_work);
}

/**
 * npa_port_publish() - publish a value read from the device
 * @port: the plugin's port
 * @key__str: a constant name, shorter than NPA_FACT_KEY_LEN
 * @val: the value
 *
 * The value shows in debugfs and npactl until the plugin detaches; a key
 * published again is overwritten.
 *
 * Context: any plugin member.
 * Return: 0, -EINVAL for a bad key, -ENOSPC past NPA_MAX_FACTS keys.
 */
__bpf_kfunc int npa_port_publish(struct npa_port *port, const char *key__str,
				 u64 val)
{
	struct npa_fact *free = NULL;
	int i, err = -ENOSPC;
	unsigned long flags;

	if (!key__str[0] || strnlen(key__str, NPA_FACT_KEY_LEN) == NPA_FACT_KEY_LEN)
		return -EINVAL;
	spin_lock_irqsave(&port->facts_lock, flags);
	for (i = 0; i < NPA_MAX_FACTS; i++) {
		struct npa_fact *f = &port->facts[i];

		if (!f->key[0]) {
			free = free ?: f;
			continue;
		}
		if (!strcmp(f->key, key__str)) {
			free = f;
			break;
		}
	}
	if (free) {
		strscpy(free->key, key__str, sizeof(free->key));
		free->val = val;
		err = 0;
	}
	spin_unlock_irqrestore(&port->facts_lock, flags);
	return err;
}

/**
 * npa_sleep_us() - wait for the device
 * @port: the plugin's port
 * @usecs: microseconds, at most NPA_SLEEP_MAX_US (larger values are cut)
 *
 * In probe, the sleeps and register accesses of one probe may last
 * NPA_PROBE_TIMEOUT in all: past it, this returns at once, register
 * accesses fail, and the attach is refused with -ETIMEDOUT.
 *
 * Context: sleepable members (probe, remove, set_rx_mode, watchdog,
 * set_mac).
 */
__bpf_kfunc void npa_sleep_us(struct npa_port *port, u32 usecs)
{
	if (port->in_probe && npa_probe_expired(port))
		return;
	fsleep(min(usecs, NPA_SLEEP_MAX_US));
}

/**
 * npa_port_rx_buf_len() - how many bytes a device may write into one
 *	receive buffer
 * @port: the plugin's port
 *
 * The same for every buffer of the port: what npa_rx_post() returns.
 *
 * Context: any plugin member.
 * Return: the length in bytes.
 */
__bpf_kfunc u32 npa_port_rx_buf_len(struct npa_port *port)
{
	return NPA_RX_BUF_LEN;
}

/**
 * npa_port_ring_size() - how many descriptors the user asked a ring to have
 * @port: the plugin's port
 * @queue: NPA_QUEUE_RX or NPA_QUEUE_TX
 *
 * What ethtool -G asked for the port's receive or transmit ring: at least
 * 1, at most the maximum ethtool -g showed (npa_ring_set_queue()), which
 * on a pair is the active port's. The shim then takes the plugin through
 * stop and remove, and its probe sizes the ring with this instead of its
 * own setting, brought into what its device takes (or fails, and the
 * shim attaches it again with the sizes before). A load or swap of a
 * plugin forgets what was asked.
 *
 * Context: any plugin member.
 * Return: the number of descriptors, or 0 if none was asked for (or
 * @queue is neither direction).
 */
__bpf_kfunc u32 npa_port_ring_size(struct npa_port *port, u32 queue)
{
	if (queue >= ARRAY_SIZE(port->ring_req))
		return 0;
	return port->ring_req[array_index_nospec(queue, ARRAY_SIZE(port->ring_req))];
}

/**
 * npa_port_rx_usecs() - the interval the port's queue interrupts should keep
 * @port: the plugin's port
 * @dflt: the plugin's own interval, in microseconds
 *
 * What ethtool -C rx-usecs asked (and the plugin's set_coalesce took), or
 * @dflt if nothing was asked since the plugin was loaded or swapped in: a
 * plugin's open programs its device with it. What it returns is what
 * ethtool -c shows from then on.
 *
 * Context: any plugin member.
 * Return: the interval, in microseconds.
 */
__bpf_kfunc u32 npa_port_rx_usecs(struct npa_port *port, u32 dflt)
{
	u32 usecs = port->rx_usecs_req;

	if (usecs == NPA_RX_USECS_NONE)
		usecs = dflt;
	WRITE_ONCE(port->rx_usecs, usecs);
	return usecs;
}

/**
 * npa_ring_set_queue() - say which queue's buffers a ring carries, and how
 *	large the plugin may make it
 * @port: the plugin's port
 * @ring: a ring this probe created with a buffer address
 * @queue: NPA_QUEUE_RX or NPA_QUEUE_TX
 * @max: the most descriptors the plugin's probe sizes that ring with
 *
 * ethtool -g reports @ring's size for @queue and @max as its maximum, and
 * the ethtool core refuses a larger ethtool -G request before the plugin
 * sees it. Without the call a ring belongs to the queue of the first
 * buffer that goes through it, and the maximum is what one ring may hold
 * (NPA_RING_MAX_BYTES). A buffer of the other queue put in @ring later is
 * a plugin fault. The shim forgets both when the plugin detaches.
 *
 * Context: the probe member only.
 * Return: 0, or -EINVAL for a @ring without buffers or of the other queue,
 * a @queue that is neither, or a @max that no ring of @ring's descriptors
 * could have (a plugin fault).
 */
__bpf_kfunc int npa_ring_set_queue(struct npa_port *port, u32 ring, u32 queue,
				   u32 max)
{
	u8 role = queue == NPA_QUEUE_RX ? NPA_RING_RX : NPA_RING_TX;
	struct npa_ring *r;

	if (!port->in_probe) {
		npa_port_fault(port, "ring %u given a queue outside probe", ring);
		return -EPERM;
	}
	r = ring < NPA_MAX_RINGS ?
		&port->rings[array_index_nospec(ring, NPA_MAX_RINGS)] : NULL;
	if (!r || !r->va || r->addr_off == NPA_RING_NO_ADDR ||
	    queue > NPA_QUEUE_TX || (r->role && r->role != role) || !max ||
	    max > npa_ring_max_count(r->desc_size)) {
		npa_port_fault(port, "ring %u cannot carry queue %u of up to %u descriptors",
			       ring, queue, max);
		return -EINVAL;
	}
	r->role = role;
	port->ring_max[array_index_nospec(queue, ARRAY_SIZE(port->ring_max))] = max;
	return 0;
}

/**
 * npa_tx_map() - put one segment of the packet being sent into a slot
 * @port: the plugin's port
 * @tx: the packet, as xmit received it
 * @seg: segment number: 0 is the linear part, 1..nr_frags the fragments;
 *	in order
 * @ring: a ring created with a buffer address offset
 * @slot: a free slot
 *
 * The shim maps the segment for the device and writes its address into the
 * descriptor; the plugin writes the length and flags.
 *
 * Context: xmit.
 * Return: the segment's length, or a negative errno (-EINVAL/-EBUSY are
 * plugin faults).
 */
__bpf_kfunc int npa_tx_map(struct npa_port *port, struct npa_tx *tx, u32 seg,
			   u32 ring, u32 slot)
{
	struct npa_tx_ctx *ctx = container_of(tx, struct npa_tx_ctx, tx);
	struct npa_ring *r = npa_buf_ring(port, ring, slot);

	if (!r)
		return -EINVAL;
	if (r->role == NPA_RING_RX) {
		npa_port_fault(port, "TX map to ring %u, which carries RX buffers", ring);
		return -EINVAL;
	}
	return npa_slot_map_tx(port, ctx, seg, r, slot);
}

/**
 * npa_tx_complete() - the device has sent what a slot held
 * @port: the plugin's port
 * @ring: the ring
 * @slot: a slot holding a segment in flight
 *
 * The shim unmaps the segment and, on a packet's last one, frees the
 * packet and counts it.
 *
 * Context: tx_clean.
 * Return: 0, or -EINVAL (a plugin fault) for a slot with nothing in flight.
 */
__bpf_kfunc int npa_tx_complete(struct npa_port *port, u32 ring, u32 slot)
{
	struct npa_ring *r = npa_buf_ring(port, ring, slot);

	return r ? npa_slot_complete_tx(port, r, slot) : -EINVAL;
}

/**
 * npa_ring_kick() - tell the device about new descriptors
 * @port: the plugin's port
 * @ring: the ring the descriptors are in
 * @bar: BAR of the doorbell register
 * @off: offset of the doorbell (tail) register
 * @val: the value to write there
 *
 * First the shim writes the address of every buffer given to the ring
 * since the last kick or publish into its descriptor again, so a plugin
 * that put any other address there is overruled, and the ring addresses
 * placed with npa_ring_put_base(); then it writes @val to the register.
 * A kick is one register access of the member call's budget (see
 * npa_reg_read32()).
 *
 * The kick of a TX ring in an xmit that more packets follow (the stack's
 * xmit_more, XDP_TX within one NAPI poll, a batch of redirected frames)
 * is held back, and only the last of the batch reaches the register:
 * @val must be the ring's new tail (or producer index), not a count.
 *
 * Context: xmit for a ring that carries TX buffers, rx_poll and open for
 * the others (the verifier refuses it in other members).
 * Return: 0, or -EINVAL (a plugin fault) for a bad ring or register, a
 * ring of the other context, or an access past the budget.
 */
__bpf_kfunc int npa_ring_kick(struct npa_port *port, u32 ring, u32 bar,
			      u32 off, u32 val)
{
	struct npa_ring *r = npa_ring_get(port, ring);
	void __iomem *db;

	if (!r || !npa_ring_in_context(port, r, ring, "kicked"))
		return -EINVAL;
	db = npa_reg_addr(port, bar, off, "doorbell write");
	if (!db)
		return -EINVAL;
	if (r->role != NPA_RING_TX) {
		npa_ring_doorbell(port, r, db, val);
		return 0;
	}
	/* never an older tail after a newer one: it would hand back the ring */
	npa_tx_doorbell_hold(port, r, db, val);
	if (!this_cpu_read(npa_mmio.more))
		npa_tx_doorbell_flush(port->ndev);
	return 0;
}

/**
 * npa_port_rx_flags() - what the interface's receive filter asks for
 * @port: the plugin's port
 *
 * Context: the set_rx_mode member only.
 * Return: NPA_RXM_* flags.
 */
__bpf_kfunc u32 npa_port_rx_flags(struct npa_port *port)
{
	return port->rx_mode.flags;
}

/**
 * npa_port_mc_count() - how many multicast addresses the interface wants
 * @port: the plugin's port
 *
 * At most NPA_MC_MAX; with more, npa_port_rx_flags() says NPA_RXM_ALLMULTI.
 *
 * Context: the set_rx_mode member only.
 * Return: the number of addresses npa_port_mc_addr() gives.
 */
__bpf_kfunc u32 npa_port_mc_count(struct npa_port *port)
{
	return port->rx_mode.count;
}

/**
 * npa_port_mc_addr() - one multicast address the interface wants
 * @port: the plugin's port
 * @idx: 0 .. npa_port_mc_count() - 1
 *
 * Context: the set_rx_mode member only.
 * Return: the address, first octet in bits 47..40, or 0 past the end.
 */
__bpf_kfunc u64 npa_port_mc_addr(struct npa_port *port, u32 idx)
{
	if (idx >= port->rx_mode.count)
		return 0;
	return ether_addr_to_u64(port->rx_mode.mc[idx]);
}

/**
 * npa_port_service() - ask for the plugin's watchdog member to run soon
 * @port: the plugin's port
 *
 * For a device event that needs process context, such as a mailbox
 * message announced by an interrupt.
 *
 * Context: any plugin member.
 */
__bpf_kfunc void npa_port_service(struct npa_port *port)
{
	mod_delayed_work(system_wq, &port->service_work, 0);
}

/**
 * npa_port_mac() - the interface's MAC address
 * @port: the plugin's port
 *
 * For a device that got no address of its own: the interface starts with
 * a random one, which the plugin then gives the device.
 *
 * Context: any plugin member.
 * Return: the address, first octet in bits 47..40.
 */
__bpf_kfunc u64 npa_port_mac(struct npa_port *port)
{
	return ether_addr_to_u64(port->netdev ? port->netdev->dev_addr : port->mac);
}

/**
 * npa_ring_publish() - hand a descriptor to the device by writing it in memory
 * @port: the plugin's port
 * @ring: the ring
 * @idx: the descriptor
 * @off: byte offset of the 32-bit word that gives the descriptor to the
 *	device (its ownership or generation bit), 4-byte aligned, outside the
 *	buffer address
 * @val: the value of that word
 *
 * For devices that take descriptors as soon as an ownership bit in memory
 * says so, without waiting for a doorbell. On a ring with buffers, the shim
 * first writes the address of @idx's buffer and of every buffer given to
 * the ring since the last kick or publish into their descriptors again (as
 * npa_ring_kick() does), and refuses a descriptor without a buffer; then,
 * after a write barrier that orders the descriptor's other fields before
 * it, it writes @val.
 *
 * Context: as npa_ring_kick().
 * Return: 0, or -EINVAL (a plugin fault) for a bad ring, descriptor or
 * offset, a descriptor without a buffer, or a ring of the other context.
 */
__bpf_kfunc int npa_ring_publish(struct npa_port *port, u32 ring, u32 idx,
				 u32 off, u32 val)
{
	struct npa_ring *r = npa_ring_get(port, ring);

	if (!r)
		return -EINVAL;
	if (!npa_publish_word_ok(port, r, ring, idx, off))
		return -EINVAL;
	if (r->slots) {
		if (!npa_ring_in_context(port, r, ring, "published"))
			return -EINVAL;
		if (r->slots[idx].state == NPA_SLOT_FREE) {
			npa_port_fault(port, "ring %u: descriptor %u published without a buffer",
				       ring, idx);
			return -EINVAL;
		}
		npa_slots_refresh(r);
		npa_slot_rewrite(r, idx);
	}
	dma_wmb();
	WRITE_ONCE(*(u32 *)(r->va + (size_t)idx * r->desc_size + off), val);
	return 0;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(npa_kfunc_ids)
BTF_ID_FLAGS(func, npa_reg_read32, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_reg_write32, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_ring_create, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, npa_ring_desc, KF_TRUSTED_ARGS | KF_RET_NULL)
BTF_ID_FLAGS(func, npa_ring_write_base, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_ring_put_base, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_set_mac, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, npa_port_set_link, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_publish, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_sleep_us, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, npa_rx_post, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_rx_post_publish, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_rx_buf_len, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_ring_size, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_rx_usecs, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_ring_set_queue, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_rx_indicate, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_tx_map, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_tx_complete, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_ring_kick, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_rx_flags, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_mc_count, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_mc_addr, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_service, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_mac, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_ring_publish, KF_TRUSTED_ARGS)
BTF_KFUNCS_END(npa_kfunc_ids)

/*
 * Kfuncs the verifier allows in one member only: probe sets the device up,
 * and the datapath kfuncs need the context of their member (the packet of
 * xmit, the NAPI context of tx_clean and rx_poll).
 */
BTF_ID_LIST(npa_bound_kfunc_ids)
BTF_ID(func, npa_ring_create)
BTF_ID(func, npa_ring_put_base)
BTF_ID(func, npa_port_set_mac)
BTF_ID(func, npa_ring_set_queue)
BTF_ID(func, npa_tx_map)
BTF_ID(func, npa_tx_complete)
BTF_ID(func, npa_rx_indicate)
BTF_ID(func, npa_port_rx_flags)
BTF_ID(func, npa_port_mc_count)
BTF_ID(func, npa_port_mc_addr)
BTF_ID(func, npa_rx_post)
BTF_ID(func, npa_rx_post)
BTF_ID(func, npa_rx_post_publish)
BTF_ID(func, npa_rx_post_publish)
BTF_ID(func, npa_ring_kick)
BTF_ID(func, npa_ring_kick)
BTF_ID(func, npa_ring_kick)
BTF_ID(func, npa_ring_publish)
BTF_ID(func, npa_ring_publish)
BTF_ID(func, npa_ring_publish)

/* (a kfunc listed more than once is allowed in each member named) */
static const char * const npa_bound_kfunc_member[] = {
	"probe", "probe", "probe", "probe", "xmit", "tx_clean", "rx_poll",
	"set_rx_mode", "set_rx_mode", "set_rx_mode",
	"rx_poll", "open",
	"rx_poll", "open",
	"xmit", "rx_poll", "open",
	"xmit", "rx_poll", "open",
};

static int npa_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	bool bound = false;
	int i;

	if (!btf_id_set8_contains(&npa_kfunc_ids, kfunc_id))
		return 0;
	if (!npa_prog_is_plugin(prog))
		return -EACCES;
	for (i = 0; i < ARRAY_SIZE(npa_bound_kfunc_member); i++) {
		if (kfunc_id != npa_bound_kfunc_ids[i])
			continue;
		if (npa_prog_is_member(prog, npa_bound_kfunc_member[i]))
			return 0;
		bound = true;
	}
	return bound ? -EACCES : 0;
}

static const struct btf_kfunc_id_set npa_kfunc_set = {
	.owner	= THIS_MODULE,
	.set	= &npa_kfunc_ids,
	.filter	= npa_kfunc_filter,
};

/**
 * npa_rings_free() - free every ring a plugin created on a port
 * @port: the port, with bus mastering off or the device quiesced
 */
void npa_rings_free(struct npa_port *port)
{
	int i;

	for (i = 0; i < NPA_MAX_RINGS; i++) {
		struct npa_ring *r = &port->rings[i];

		if (!r->va)
			continue;
		npa_slots_free(port, r);
		dma_free_coherent(&port->pdev->dev,
				  (size_t)r->count * r->desc_size, r->va, r->dma);
		memset(r, 0, sizeof(*r));
	}
	port->npins = 0;
}

/**
 * npa_facts_clear() - forget the values a plugin published
 * @port: the port
 */
void npa_facts_clear(struct npa_port *port)
{
	unsigned long flags;

	spin_lock_irqsave(&port->facts_lock, flags);
	memset(port->facts, 0, sizeof(port->facts));
	spin_unlock_irqrestore(&port->facts_lock, flags);
}

/**
 * npa_kfuncs_register() - make the kfuncs callable from npa plugins
 *
 * Return: 0 or a negative errno.
 */
int npa_kfuncs_register(void)
{
	return register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS,
					 &npa_kfunc_set);
}
