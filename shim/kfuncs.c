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
#include <linux/rtnetlink.h>

#include "npa_shim.h"

static void __iomem *npa_reg_addr(struct npa_port *port, u32 bar, u32 off,
				  const char *what)
{
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

static struct npa_ring *npa_ring_get(struct npa_port *port, u32 ring)
{
	if (ring >= NPA_MAX_RINGS || !port->rings[ring].va) {
		npa_port_fault(port, "ring %u does not exist", ring);
		return NULL;
	}
	return &port->rings[ring];
}

__bpf_kfunc_start_defs();

/**
 * npa_reg_read32() - read a 32-bit device register
 * @port: the plugin's port, as its member received it
 * @bar: memory BAR index, 0 to 5
 * @off: byte offset in the BAR, 4-byte aligned
 *
 * Context: any plugin member.
 * Return: the register's value, or ~0 if @bar and @off name no register of
 * the port; that is a plugin fault (counted, logged, and fatal in probe).
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
 * A write outside the port's BARs is dropped and counted as a plugin fault.
 *
 * Context: any plugin member.
 */
__bpf_kfunc void npa_reg_write32(struct npa_port *port, u32 bar, u32 off,
				 u32 val)
{
	void __iomem *addr = npa_reg_addr(port, bar, off, "write");

	if (addr)
		writel(val, addr);
}

/**
 * npa_ring_create() - create a descriptor ring in device-visible memory
 * @port: the plugin's port
 * @ring: ring index, 0 to NPA_MAX_RINGS - 1, not yet used
 * @count: number of descriptors
 * @desc_size: bytes per descriptor, a multiple of 4 up to NPA_DESC_MAX_SIZE
 *
 * The ring is zeroed coherent DMA memory of at most NPA_RING_MAX_BYTES. Its
 * device address stays in the shim: npa_ring_write_base() hands it to the
 * device. It lives until the plugin detaches.
 *
 * Context: the probe member only (sleepable).
 * Return: 0, -EINVAL for bad arguments, -EEXIST if @ring exists, -ENOMEM.
 */
__bpf_kfunc int npa_ring_create(struct npa_port *port, u32 ring, u32 count,
				u32 desc_size)
{
	struct npa_ring *r;
	size_t size;

	if (!port->in_probe) {
		npa_port_fault(port, "ring %u created outside probe", ring);
		return -EPERM;
	}
	if (ring >= NPA_MAX_RINGS || !count || desc_size < 4 ||
	    desc_size > NPA_DESC_MAX_SIZE || !IS_ALIGNED(desc_size, 4) ||
	    (u64)count * desc_size > NPA_RING_MAX_BYTES) {
		npa_port_fault(port, "bad ring %u: %u descriptors of %u bytes",
			       ring, count, desc_size);
		return -EINVAL;
	}
	r = &port->rings[ring];
	if (r->va)
		return -EEXIST;
	size = (size_t)count * desc_size;
	r->va = dma_alloc_coherent(&port->pdev->dev, size, &r->dma, GFP_KERNEL);
	if (!r->va)
		return -ENOMEM;
	r->count = count;
	r->desc_size = desc_size;
	return 0;
}

/**
 * npa_ring_desc() - get one descriptor of a ring
 * @port: the plugin's port
 * @ring: ring index
 * @idx: descriptor index, below the ring's count
 * @rdwr_buf_size: bytes the program will access, a constant no larger
 *	than the ring's descriptor size
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
	if (idx >= r->count || rdwr_buf_size > r->desc_size) {
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
 * The plugin never learns the address: the shim writes it.
 *
 * Context: any plugin member.
 * Return: 0, or -EINVAL (a plugin fault) for a bad ring or register.
 */
__bpf_kfunc int npa_ring_write_base(struct npa_port *port, u32 ring, u32 bar,
				    u32 lo_off, u32 hi_off)
{
	struct npa_ring *r = npa_ring_get(port, ring);
	void __iomem *lo, *hi;

	if (!r)
		return -EINVAL;
	lo = npa_reg_addr(port, bar, lo_off, "ring base write");
	hi = npa_reg_addr(port, bar, hi_off, "ring base write");
	if (!lo || !hi)
		return -EINVAL;
	writel(lower_32_bits(r->dma), lo);
	writel(upper_32_bits(r->dma), hi);
	return 0;
}

/**
 * npa_port_set_mac() - set the port's permanent MAC address
 * @port: the plugin's port
 * @mac: the address read from the device, first octet in bits 47..40
 *
 * Context: the probe member only.
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
 * The interface's carrier follows.
 *
 * Context: any plugin member.
 */
__bpf_kfunc void npa_port_set_link(struct npa_port *port, u32 up,
				   u32 speed_mbps)
{
	WRITE_ONCE(port->link_speed, up ? speed_mbps : 0);
	if (up)
		netif_carrier_on(port->netdev);
	else
		netif_carrier_off(port->netdev);
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

	if (!key__str[0] || strnlen(key__str, NPA_FACT_KEY_LEN) == NPA_FACT_KEY_LEN)
		return -EINVAL;
	spin_lock_bh(&port->facts_lock);
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
	spin_unlock_bh(&port->facts_lock);
	return err;
}

/**
 * npa_sleep_us() - wait for the device
 * @port: the plugin's port
 * @usecs: microseconds, at most NPA_SLEEP_MAX_US (larger values are cut)
 *
 * Context: sleepable members (probe, remove).
 */
__bpf_kfunc void npa_sleep_us(struct npa_port *port, u32 usecs)
{
	fsleep(min(usecs, NPA_SLEEP_MAX_US));
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(npa_kfunc_ids)
BTF_ID_FLAGS(func, npa_reg_read32, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_reg_write32, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_ring_create, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_ID_FLAGS(func, npa_ring_desc, KF_TRUSTED_ARGS | KF_RET_NULL)
BTF_ID_FLAGS(func, npa_ring_write_base, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_set_mac, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_set_link, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_port_publish, KF_TRUSTED_ARGS)
BTF_ID_FLAGS(func, npa_sleep_us, KF_TRUSTED_ARGS | KF_SLEEPABLE)
BTF_KFUNCS_END(npa_kfunc_ids)

/* Kfuncs the verifier allows in the probe member only. */
BTF_SET_START(npa_probe_kfunc_ids)
BTF_ID(func, npa_ring_create)
BTF_ID(func, npa_port_set_mac)
BTF_SET_END(npa_probe_kfunc_ids)

static int npa_kfunc_filter(const struct bpf_prog *prog, u32 kfunc_id)
{
	if (!btf_id_set8_contains(&npa_kfunc_ids, kfunc_id))
		return 0;
	if (!npa_prog_is_plugin(prog))
		return -EACCES;
	if (btf_id_set_contains(&npa_probe_kfunc_ids, kfunc_id) &&
	    !npa_prog_is_probe(prog))
		return -EACCES;
	return 0;
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
		dma_free_coherent(&port->pdev->dev,
				  (size_t)r->count * r->desc_size, r->va, r->dma);
		memset(r, 0, sizeof(*r));
	}
}

/**
 * npa_facts_clear() - forget the values a plugin published
 * @port: the port
 */
void npa_facts_clear(struct npa_port *port)
{
	spin_lock_bh(&port->facts_lock);
	memset(port->facts, 0, sizeof(port->facts));
	spin_unlock_bh(&port->facts_lock);
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
