/* SPDX-License-Identifier: GPL-2.0 */
/*
 * npa shim internals: ports, rings and the glue between the PCI, netdev
 * and struct_ops halves of the module.
 */
#ifndef _NPA_SHIM_H
#define _NPA_SHIM_H

#include <linux/netdevice.h>
#include <linux/pci.h>
#include <linux/percpu.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/xdp.h>

#include "npa.h"
#include "npa_compat.h"

#define NPA_DRV_NAME		"npa"
#define NPA_MAX_VECS		8
/* Faults after which the shim detaches a plugin from its port. */
#define NPA_FAULT_LIMIT		16
/*
 * TX slots in flight this long with none completed, though the service
 * work polled the port meanwhile, means the plugin stopped completing.
 */
#define NPA_TX_TIMEOUT		(2 * HZ)
/*
 * The stack's TX watchdog, for a queue stopped with nothing in flight: it
 * gives the service work time for two looks and a poll first.
 */
#define NPA_NETDEV_TX_TIMEOUT	(8 * HZ)
/*
 * NAPI polls finding no work for this long, at least NPA_RX_STALL_POLLS of
 * them per look of the service work and three in four of all polls, while
 * not one frame arrives: the plugin stopped receiving.
 */
#define NPA_RX_STALL_TIMEOUT	(2 * HZ)
#define NPA_RX_STALL_POLLS	200
/* How long a plugin's probe may wait for its device, all sleeps included. */
#define NPA_PROBE_TIMEOUT	(5 * HZ)
/*
 * Link damping: the (NPA_LINK_FLAP_LIMIT + 1)th link change a plugin
 * reports within NPA_LINK_FLAP_WINDOW holds the port's link down until
 * the plugin reported no change for NPA_LINK_HOLD.
 */
#define NPA_LINK_FLAP_LIMIT	4
#define NPA_LINK_FLAP_WINDOW	(20 * HZ)
#define NPA_LINK_HOLD		(10 * HZ)

/*
 * Register accesses (npa_reg_read32(), npa_reg_write32(),
 * npa_ring_write_base(), npa_ring_kick()) one call of a plugin member may
 * make; past them the access is dropped and the plugin loses the port.
 * Measured (debugfs mmio_peak) over the ping, TCP, pktgen, multicast and
 * PF reset tests, the shipped plugins make at most 3 in a datapath member
 * call (a NAPI poll counts as one), 24 in open or a control member and 16
 * in probe; igbvf's mailbox waits poll up to 200 times, which would make
 * about 850 in set_rx_mode and 1000 in probe with a PF that answers late.
 */
#define NPA_MMIO_BUDGET_DATAPATH	256
#define NPA_MMIO_BUDGET_CONTROL		4096
#define NPA_MMIO_BUDGET_PROBE		16384

/* Headroom in front of every received frame (XDP needs 256). */
#define NPA_RX_HEADROOM		XDP_PACKET_HEADROOM
/* What a device may write into one RX buffer. */
#define NPA_RX_BUF_LEN		2048
/*
 * Frames up to this long go up in a small skb of their own, the buffer's
 * page back to the pool at once (ethtool --set-tunable rx-copybreak).
 */
#define NPA_RX_COPYBREAK	256
/* No interrupt interval asked (ethtool -C) or known (ethtool -c). */
#define NPA_RX_USECS_NONE	U32_MAX

enum npa_slot_state {
	NPA_SLOT_FREE,
	NPA_SLOT_RX,		/* a page_pool page posted for the device */
	NPA_SLOT_TX_TAKEN,	/* TX, being undone or completed right now */
	NPA_SLOT_TX_HEAD,	/* the linear part of an skb, dma_map_single */
	NPA_SLOT_TX_FRAG,	/* a page fragment of an skb, dma_map_page */
	NPA_SLOT_TX_XDP,	/* an XDP_TX frame in one of our pool's pages */
	NPA_SLOT_TX_XDPF,	/* a frame redirected to us, dma_map_single */
};

/**
 * struct npa_slot - what the shim put behind one descriptor
 * @page: RX: the posted page
 * @skb: TX: the skb, on the slot of its last segment only
 * @xdpf: TX: the XDP frame (NPA_SLOT_TX_XDP, NPA_SLOT_TX_XDPF)
 * @dma: the address given to the device
 * @len: bytes mapped (TX) or writable by the device (RX)
 * @state: enum npa_slot_state
 */
struct npa_slot {
	union {
		struct page *page;
		struct sk_buff *skb;
		struct xdp_frame *xdpf;
	};
	dma_addr_t dma;
	u32 len;
	u32 state;
};

/**
 * struct npa_ring - a descriptor ring in coherent DMA memory
 * @va: CPU address, NULL while the ring does not exist
 * @dma: device address; never shown to the plugin
 * @count: number of descriptors
 * @desc_size: bytes per descriptor
 * @addr_off: offset of the 64-bit buffer address in a descriptor, or
 *	NPA_RING_NO_ADDR for rings that carry no buffers
 * @slots: the buffer behind each descriptor
 * @dirty: slots given a buffer since the last kick or publish, @ndirty of
 *	them
 * @ndirty: see @dirty
 * @role: NPA_RING_RX or NPA_RING_TX, as the probe named it
 *	(npa_ring_set_queue()) or else once a buffer went through it; 0 before
 */
struct npa_ring {
	void *va;
	dma_addr_t dma;
	u32 count;
	u32 desc_size;
	u32 addr_off;
	struct npa_slot *slots;
	u32 *dirty;
	u32 ndirty;
	u8 role;
};

#define NPA_RING_RX	1
#define NPA_RING_TX	2

/* the most descriptors of @desc_size bytes one ring may have */
static inline u32 npa_ring_max_count(u32 desc_size)
{
	return min_t(u32, NPA_RING_MAX_BYTES / desc_size, U16_MAX);
}

static inline void npa_desc_write_addr(struct npa_ring *ring, u32 slot,
				       dma_addr_t addr)
{
	__le64 *field = ring->va + (size_t)slot * ring->desc_size + ring->addr_off;

	WRITE_ONCE(*field, cpu_to_le64(addr));
}

/**
 * npa_slot_rewrite() - rewrite the address of one slot's buffer
 * @ring: the ring, with buffer addresses
 * @slot: a slot holding a buffer
 *
 * Inline: a publish calls it for every RX descriptor it hands over.
 */
static inline void npa_slot_rewrite(struct npa_ring *ring, u32 slot)
{
	npa_desc_write_addr(ring, slot, ring->slots[slot].dma);
}

/* Give @slot a buffer: its address goes into the descriptor now, and again
 * at the next kick or publish, whatever the plugin writes there in between.
 */
static inline void npa_slot_fill(struct npa_ring *ring, u32 slot)
{
	npa_desc_write_addr(ring, slot, ring->slots[slot].dma);
	if (ring->ndirty < ring->count)
		ring->dirty[ring->ndirty++] = slot;
}

/**
 * struct npa_base_pin - a ring's device address kept in descriptor memory
 * @ring: the ring whose address it is
 * @dst_ring: the ring whose memory holds it
 * @dst_off: byte offset of the 64-bit field in @dst_ring's memory
 */
struct npa_base_pin {
	u32 ring;
	u32 dst_ring;
	u32 dst_off;
};

/**
 * struct npa_tx_ctx - the packet being handed to the plugin's xmit
 * @tx: what the plugin sees
 * @skb: the packet, or NULL for an XDP frame
 * @xdpf: the XDP frame, when @skb is NULL
 * @xdp_own: @xdpf lives in a page of the port's own pool (XDP_TX)
 * @mapped: segments mapped so far
 * @slots: where they went (ring << 16 | slot)
 */
struct npa_tx_ctx {
	struct npa_tx tx;
	struct sk_buff *skb;
	struct xdp_frame *xdpf;
	bool xdp_own;
	u32 mapped;
	u32 slots[MAX_SKB_FRAGS + 1];
};

/**
 * struct npa_stats - a port's datapath counters
 * @rx_packets: frames handed to the stack
 * @rx_bytes: their bytes
 * @rx_dropped: frames lost (no memory for an skb)
 * @rx_csum_ok: frames whose L4 checksum the device verified
 * @rx_copybreak: frames copied into a small skb (no longer than the
 *	interface's rx-copybreak)
 * @rx_inactive: frames that came in on the port of a pair not carrying the
 *	interface's traffic, and were dropped (as bonding's backup does)
 * @rx_drained: frames a port delivered after the interface moved off it,
 *	while it drained what had come in before the move
 * @xdp_pass: frames XDP passed to the stack
 * @xdp_drop: frames XDP dropped
 * @xdp_tx: frames XDP sent back out (XDP_TX)
 * @xdp_redirect: frames XDP redirected
 * @xdp_aborted: frames XDP aborted on, or with an unknown verdict
 * @xdp_tx_errors: XDP_TX frames the ring had no room for
 * @rx_alloc_failed: RX buffers the page_pool could not give (the slot
 *	stays empty until a later refill)
 * @tx_packets: packets queued to the device, counted as on the wire
 *	(a TSO packet counts its segments)
 * @tx_bytes: their bytes, headers of every segment included
 * @tx_dropped: packets dropped at xmit
 * @tx_busy: times the ring was full and the queue stopped
 * @tx_csum: packets whose L4 checksum the device fills in
 * @tx_tso: packets the device segments
 * @xdp_xmit: frames other devices redirected out of this one
 * @xdp_xmit_errors: of those, the ones the ring had no room for
 * @tx_map_failed: TX segments the DMA API could not map (the packet is
 *	dropped)
 * @tx_doorbells: TX doorbell writes: one a packet, or one for a batch
 *	(xmit_more, the XDP_TX frames of a NAPI poll, a redirect batch)
 * @rx_syncp: 64-bit RX counters on 32-bit machines (NAPI writes them)
 * @tx_syncp: the same for TX counters (xmit writes them)
 *
 * The counters up to @rx_alloc_failed are under @rx_syncp, the rest under
 * @tx_syncp; npa_port_stats_read() reads them all as an array.
 */
struct npa_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t rx_dropped;
	u64_stats_t rx_csum_ok;
	u64_stats_t rx_copybreak;
	u64_stats_t rx_inactive;
	u64_stats_t rx_drained;
	u64_stats_t xdp_pass;
	u64_stats_t xdp_drop;
	u64_stats_t xdp_tx;
	u64_stats_t xdp_redirect;
	u64_stats_t xdp_aborted;
	u64_stats_t xdp_tx_errors;
	u64_stats_t rx_alloc_failed;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_dropped;
	u64_stats_t tx_busy;
	u64_stats_t tx_csum;
	u64_stats_t tx_tso;
	u64_stats_t xdp_xmit;
	u64_stats_t xdp_xmit_errors;
	u64_stats_t tx_map_failed;
	u64_stats_t tx_doorbells;
	struct u64_stats_sync rx_syncp;
	struct u64_stats_sync tx_syncp;
};

/* Index of a counter of struct npa_stats in npa_port_stats_read()'s array */
#define NPA_STAT_IDX(field)	(offsetof(struct npa_stats, field) / sizeof(u64_stats_t))
#define NPA_NR_STATS		NPA_STAT_IDX(rx_syncp)
#define NPA_NR_RX_STATS		NPA_STAT_IDX(tx_packets)

/**
 * struct npa_vector - one MSI-X vector of a port
 * @port: the port it belongs to
 * @index: its index in the port's MSI-X table
 * @count: interrupts taken
 */
struct npa_vector {
	struct npa_port *port;
	u32 index;
	atomic64_t count;
};

/**
 * struct npa_fact - a value a plugin read from its device and published
 * @key: NUL-terminated name, empty for an unused slot
 * @val: the value
 */
struct npa_fact {
	char key[NPA_FACT_KEY_LEN];
	u64 val;
};

/**
 * struct npa_rx_mode - the receive filter the interface asks for
 * @flags: NPA_RXM_*
 * @count: addresses in @mc
 * @mc: multicast addresses
 */
struct npa_rx_mode {
	u32 flags;
	u32 count;
	u8 mc[NPA_MC_MAX][ETH_ALEN];
};

/* bits of npa_port.svc_flags */
enum {
	NPA_SVC_RX_MODE,	/* the receive filter changed */
	NPA_SVC_RX_REFILL,	/* an RX buffer could not be had: poll again */
};

/**
 * enum npa_role - what a port is to its interface
 * @NPA_ROLE_VF: a pass-through function that may go away (the default for
 *	a device the shim does not know as paravirtual)
 * @NPA_ROLE_PV: the paravirtual device, there for the VM's lifetime; its
 *	interface exists from PCI probe on and survives its VF
 * @NPA_NR_ROLES: number of roles
 */
enum npa_role {
	NPA_ROLE_VF,
	NPA_ROLE_PV,
	NPA_NR_ROLES,
};

/**
 * enum npa_mode - which port of a pair carries the traffic
 * @NPA_MODE_AUTO: the VF when it has a plugin and link, else the PV
 * @NPA_MODE_PV: the PV whenever it can (npactl switch IFACE pv)
 */
enum npa_mode {
	NPA_MODE_AUTO,
	NPA_MODE_PV,
};

/**
 * struct npa_tx_doorbell - a TX doorbell write held back
 * @port: the port whose register it is, NULL while none is held
 * @ring: the ring it hands to the device
 * @reg: the register
 * @val: the value to write there
 *
 * An xmit told that more packets follow (the stack's xmit_more, XDP_TX
 * within one NAPI poll, a redirect batch without XDP_XMIT_FLUSH) leaves
 * its npa_ring_kick() here; the last packet's writes it, once for all.
 */
struct npa_tx_doorbell {
	struct npa_port *port;
	struct npa_ring *ring;
	void __iomem *reg;
	u32 val;
};

/**
 * struct npa_dev - an npa interface: one port, or a PV and a VF port
 * @netdev: the interface
 * @port: its ports by role (RTNL)
 * @active: the port its packets go out of and come in on (RCU; written
 *	under RTNL by npa_dev_select())
 * @mode: enum npa_mode (RTNL)
 * @xdp_prog: the interface's XDP program (RCU), whatever the port
 * @rx_copybreak: frames up to this long are copied into a small skb
 *	(written under RTNL, read by NAPI)
 * @rx_mode: the receive filter last asked for (ndo_set_rx_mode)
 * @rx_mode_lock: protects @rx_mode
 * @gone: counters of ports that left the interface, so its own stay
 *	continuous
 * @select_work: runs npa_dev_select() for a link change reported from a
 *	context that cannot take RTNL
 * @tx_db: the TX doorbell held back, under TX queue 0's lock (one for
 *	both ports: the queue is the interface's)
 */
struct npa_dev {
	struct net_device *netdev;
	struct npa_port *port[NPA_NR_ROLES];
	struct npa_port __rcu *active;
	enum npa_mode mode;
	struct bpf_prog __rcu *xdp_prog;
	u32 rx_copybreak;
	struct npa_rx_mode rx_mode;
	spinlock_t rx_mode_lock;	/* protects rx_mode */
	u64 gone[NPA_NR_STATS];
	struct work_struct select_work;
	struct npa_tx_doorbell tx_db;
};

/**
 * enum npa_mmio_kind - which register budget a plugin member call gets
 * @NPA_MMIO_DATAPATH: xmit, tx_clean, rx_poll, irq, irq_enable (atomic
 *	context)
 * @NPA_MMIO_CONTROL: open, stop, remove, set_rx_mode, watchdog, set_mac,
 *	set_coalesce (process context, under RTNL)
 * @NPA_MMIO_PROBE: probe
 * @NPA_NR_MMIO_KINDS: number of kinds
 */
enum npa_mmio_kind {
	NPA_MMIO_DATAPATH,
	NPA_MMIO_CONTROL,
	NPA_MMIO_PROBE,
	NPA_NR_MMIO_KINDS,
};

/**
 * struct npa_mmio - the register budget of the member call running on a CPU
 * @left: accesses it may still make; below 0 once it ran out
 * @budget: what it started with
 * @xmit: the call is an xmit (which only a TX ring's buffers are for)
 * @more: the xmit's doorbell may wait: more packets follow
 */
struct npa_mmio {
	int left;
	int budget;
	bool xmit;
	bool more;
};

enum npa_plugin_state {
	NPA_PLUGIN_NONE,
	NPA_PLUGIN_ATTACHED,
	NPA_PLUGIN_FAULTED,
};

/**
 * struct npa_port - one PCI function driven by the shim
 * @id: port id, unique for the module's lifetime; plugins bind by it
 * @pdev: the PCI function
 * @role: enum npa_role
 * @ndev: the interface the port belongs to, NULL before a VF port's first
 *	plugin attach (RTNL; the datapath reads it only while @ops is set)
 * @netdev: @ndev's net_device, or NULL with it
 * @mac: the device's address as its plugin reported it (random until then)
 * @link_up: the plugin reports link
 * @bar: mapped memory BARs (NULL where absent)
 * @bar_len: their lengths in bytes
 * @nvecs: MSI-X vectors allocated
 * @napi: the port's NAPI context
 * @ops: the attached plugin as the datapath sees it (RCU)
 * @plugin: the attached plugin as control paths see it (under RTNL)
 * @link_speed: link speed in Mb/s the plugin reported
 * @link: the BPF link that attached @plugin (valid until its unreg)
 * @state: enum npa_plugin_state, under RTNL
 * @in_probe: true while @plugin's probe runs (probe-only kfuncs allowed)
 * @ring_req: the descriptors ethtool -G asked the RX and TX ring to have
 *	(indexed by NPA_QUEUE_*), or 0 for the plugin's own choice (under
 *	RTNL; a load or swap of a plugin clears it)
 * @rx_usecs_req: the interval ethtool -C asked between the port's queue
 *	interrupts, in us, or NPA_RX_USECS_NONE (under RTNL; a load or swap
 *	of a plugin forgets it)
 * @rx_usecs: the interval the plugin keeps, as ethtool -c shows it:
 *	what npa_port_rx_usecs() or a set_coalesce that succeeded last gave,
 *	NPA_RX_USECS_NONE before either
 * @ring_max: the most descriptors the plugin takes in each ring
 *	(npa_ring_set_queue(), indexed by NPA_QUEUE_*), or 0 if it did not
 *	say (set in probe, cleared when the plugin detaches)
 * @rings: descriptor rings created by the plugin
 * @pins: ring addresses the shim keeps in descriptor memory (written in
 *	probe only, read by the kfuncs that talk to the device)
 * @npins: entries used in @pins
 * @facts: values published by the plugin
 * @facts_lock: protects @facts; taken with interrupts off (the irq member
 *	may publish)
 * @faults: plugin faults since attach (bad offsets, bad ring ids, ...)
 * @fault_rs: how many of them the log gets: 10 in 5 s, counted afresh
 *	for each plugin attached, so its first faults always show
 * @fault_work: detaches the plugin once @faults reaches NPA_FAULT_LIMIT
 * @service_work: runs the plugin's control members that are not called
 *	from an ndo: set_rx_mode and the periodic watchdog
 * @svc_flags: what @service_work has to do besides the watchdog
 * @rx_mode: the receive filter set_rx_mode is programming (RTNL), a copy
 *	of the interface's
 * @vecs: MSI-X vectors
 * @pool: the page_pool RX buffers come from
 * @stats: datapath counters
 * @xdp_rxq: XDP's view of the RX queue
 * @xdp_redirected: a frame was redirected in the running NAPI poll
 * @xdp_tx_queued: a frame went out with XDP_TX in the running NAPI poll
 *	(its doorbell may be held)
 * @tx_posted: TX slots given a buffer so far (xmit, under the queue's lock)
 * @tx_completions: TX slots completed or taken back so far (NAPI writes it)
 * @tx_hang_mark: @tx_completions at the service work's last look
 * @tx_hang_since: since when @tx_completions stayed at @tx_hang_mark with
 *	slots in flight, 0 while none are
 * @tx_hang_polled: the service work polled the port since @tx_hang_since
 * @tx_reaped: @tx_completions as of the end of the last tx_clean (or
 *	reclaim), published after the plugin's own ring state
 * @tx_stop_mark: @tx_reaped before xmit last found the ring full: the queue
 *	wakes once it moved on
 * @rx_frames: frames the plugin indicated (NAPI writes it)
 * @rx_drain: frames the port may still deliver after its interface moved
 *	to the other port of the pair: those that came in before the move
 *	(npa_dev_select() sets it, NAPI counts it down and clears it once
 *	the RX ring ran empty)
 * @napi_polls: NAPI polls of the port (NAPI writes it)
 * @napi_idle: of those, the ones in which the plugin indicated no frame and
 *	completed no TX slot
 * @rx_stall_marks: @rx_frames, @napi_polls, @napi_idle and
 *	@stats.rx_alloc_failed at the service work's last look
 * @rx_stall_since: since when every look found the polls idle and no frame,
 *	0 while not
 * @svc_poll_mark: @napi_polls at the service work's last look
 * @svc_polled: the service work scheduled a NAPI poll that has not run yet
 * @rx_mode_failed: set_rx_mode calls that returned an error (each tried
 *	again at the next service run)
 * @rx_mode_retrying: the last set_rx_mode call failed (RTNL)
 * @irqs_missed: NAPI polls the service work started that found work, i.e.
 *	interrupts the device did not raise (or raised and lost)
 * @probe_deadline: when the running probe must be done (jiffies)
 * @probe_timed_out: the running probe went past @probe_deadline
 * @mmio_peak: register accesses of the busiest member call since attach,
 *	by enum npa_mmio_kind
 * @link_lock: protects the link damping state below and @link_up changes
 * @link_changes: link changes the plugin reported since attach
 * @link_damped: times the damping held the link down since attach
 * @link_window: when the current damping window began (jiffies)
 * @link_window_changes: changes reported in it
 * @link_hold_until: the link counts as down until then (jiffies), 0 while
 *	not held
 * @debugfs: the port's debugfs directory
 */
struct npa_port {
	u32 id;
	struct pci_dev *pdev;
	enum npa_role role;
	struct npa_dev *ndev;
	struct net_device *netdev;
	u8 mac[ETH_ALEN];
	bool link_up;
	void __iomem *bar[NPA_MAX_BARS];
	resource_size_t bar_len[NPA_MAX_BARS];
	int nvecs;
	struct napi_struct napi;
	struct npa_ops __rcu *ops;
	struct npa_ops *plugin;
	u32 link_speed;
	struct bpf_link *link;
	enum npa_plugin_state state;
	bool in_probe;
	u32 ring_req[NPA_QUEUE_TX + 1];
	u32 rx_usecs_req;
	u32 rx_usecs;
	u32 ring_max[NPA_QUEUE_TX + 1];
	struct npa_ring rings[NPA_MAX_RINGS];
	struct npa_base_pin pins[NPA_MAX_BASE_PINS];
	u32 npins;
	struct npa_fact facts[NPA_MAX_FACTS];
	spinlock_t facts_lock;	/* protects facts */
	atomic_t faults;
	struct ratelimit_state fault_rs;
	struct work_struct fault_work;
	struct delayed_work service_work;
	unsigned long svc_flags;
	struct npa_rx_mode rx_mode;
	struct npa_vector vecs[NPA_MAX_VECS];
	struct page_pool *pool;
	struct npa_stats stats;
	struct xdp_rxq_info xdp_rxq;
	bool xdp_redirected;
	bool xdp_tx_queued;
	u32 tx_posted;
	u32 tx_completions;
	u32 tx_reaped;
	u32 tx_stop_mark;
	u32 tx_hang_mark;
	unsigned long tx_hang_since;
	bool tx_hang_polled;
	u32 rx_frames;
	atomic_t rx_drain;
	u32 napi_polls;
	u32 napi_idle;
	u32 rx_stall_marks[4];
	unsigned long rx_stall_since;
	u32 svc_poll_mark;
	bool svc_polled;
	u32 irqs_missed;
	u32 rx_mode_failed;
	bool rx_mode_retrying;
	unsigned long probe_deadline;
	bool probe_timed_out;
	int mmio_peak[NPA_NR_MMIO_KINDS];
	spinlock_t link_lock;	/* protects the link damping state */
	u32 link_changes;
	u32 link_damped;
	unsigned long link_window;
	u32 link_window_changes;
	unsigned long link_hold_until;
	struct dentry *debugfs;
};

DECLARE_PER_CPU(struct npa_mmio, npa_mmio);

/**
 * npa_mmio_begin() - give the plugin member about to run its register budget
 * @kind: enum npa_mmio_kind of the member
 *
 * Nests: an interrupt's member call gets its own budget and gives the
 * interrupted one its budget back. A control member's call runs with
 * migration off, so the budget stays on its CPU while it sleeps.
 *
 * Return: the interrupted call's budget, for npa_mmio_end().
 */
static inline struct npa_mmio npa_mmio_begin(enum npa_mmio_kind kind)
{
	static const int budget[NPA_NR_MMIO_KINDS] = {
		[NPA_MMIO_DATAPATH]	= NPA_MMIO_BUDGET_DATAPATH,
		[NPA_MMIO_CONTROL]	= NPA_MMIO_BUDGET_CONTROL,
		[NPA_MMIO_PROBE]	= NPA_MMIO_BUDGET_PROBE,
	};
	struct npa_mmio *m, saved;

	if (kind != NPA_MMIO_DATAPATH)
		migrate_disable();
	m = this_cpu_ptr(&npa_mmio);
	saved = *m;
	m->left = budget[kind];
	m->budget = budget[kind];
	m->xmit = false;
	m->more = false;
	return saved;
}

/**
 * npa_mmio_begin_xmit() - npa_mmio_begin() for a call of the xmit member
 * @more: more packets follow: a TX doorbell the call rings is held back in
 *	the interface's &struct npa_tx_doorbell, for the caller to write
 *
 * Return: the interrupted call's budget, for npa_mmio_end().
 */
static inline struct npa_mmio npa_mmio_begin_xmit(bool more)
{
	struct npa_mmio saved = npa_mmio_begin(NPA_MMIO_DATAPATH);

	this_cpu_write(npa_mmio.xmit, true);
	this_cpu_write(npa_mmio.more, more);
	return saved;
}

/**
 * npa_mmio_end() - the plugin member call started by npa_mmio_begin() is done
 * @port: its port: the call's accesses count in its peaks
 * @kind: enum npa_mmio_kind, as given to npa_mmio_begin()
 * @saved: what npa_mmio_begin() returned
 */
static inline void npa_mmio_end(struct npa_port *port, enum npa_mmio_kind kind,
				struct npa_mmio saved)
{
	struct npa_mmio *m = this_cpu_ptr(&npa_mmio);
	int used = m->budget - max(m->left, -1);

	if (used > READ_ONCE(port->mmio_peak[kind]))
		WRITE_ONCE(port->mmio_peak[kind], used);
	*m = saved;
	if (kind != NPA_MMIO_DATAPATH)
		migrate_enable();
}

/**
 * npa_port_link_ok() - the plugin reports link, and the damping lets it count
 * @port: the port
 *
 * Return: true if the port's link is up for the interface.
 */
static inline bool npa_port_link_ok(struct npa_port *port)
{
	return READ_ONCE(port->link_up) && !READ_ONCE(port->link_hold_until);
}

struct bpf_link;
struct bpf_prog;

/* main.c */
int npa_alloc_vectors(struct pci_dev *pdev, int nvec);
struct npa_port *npa_port_find(u32 id);
struct npa_port *npa_port_find_free(const struct npa_ops *ops);
struct npa_dev *npa_dev_find_partner(const u8 *mac);
void npa_port_fault(struct npa_port *port, const char *fmt, ...) __printf(2, 3);
void npa_port_fail(struct npa_port *port, const char *fmt, ...) __printf(2, 3);
void npa_service_work(struct work_struct *work);

/*
 * The checks every kfunc naming a ring, a slot or a descriptor word makes
 * (a plugin fault otherwise). Inline: the RX kfuncs make them once a frame.
 */
/* A ring the port has. */
static inline struct npa_ring *npa_ring_get(struct npa_port *port, u32 ring)
{
	if (ring >= NPA_MAX_RINGS || !port->rings[ring].va) {
		npa_port_fault(port, "ring %u does not exist", ring);
		return NULL;
	}
	return &port->rings[ring];
}

/* A ring with buffer slots, and a slot index inside it. */
static inline struct npa_ring *npa_buf_ring(struct npa_port *port, u32 ring,
					    u32 slot)
{
	struct npa_ring *r = npa_ring_get(port, ring);

	if (!r)
		return NULL;
	if (!r->slots) {
		npa_port_fault(port, "ring %u carries no buffers", ring);
		return NULL;
	}
	if (slot >= r->count) {
		npa_port_fault(port, "ring %u: slot %u out of range", ring, slot);
		return NULL;
	}
	return r;
}

/*
 * Whether word @off of descriptor @idx may hand it to the device: inside
 * the descriptor, aligned, and clear of its buffer address (a fault
 * otherwise).
 */
static inline bool npa_publish_word_ok(struct npa_port *port,
				       struct npa_ring *r, u32 ring, u32 idx,
				       u32 off)
{
	if (idx < r->count && IS_ALIGNED(off, 4) && off <= r->desc_size - 4 &&
	    !(r->slots && off + 4 > r->addr_off && off < r->addr_off + 8))
		return true;
	npa_port_fault(port, "ring %u: descriptor %u word %#x cannot be published",
		       ring, idx, off);
	return false;
}

/* netdev.c */
struct npa_dev *npa_netdev_dev(struct net_device *dev);
struct net_device *npa_netdev_alloc(void);
int npa_port_open(struct npa_port *port);
void npa_port_close(struct npa_port *port);
int npa_port_change_mac(struct npa_port *port, u64 mac);
void npa_napi_schedule_task(struct npa_port *port, bool *mark);
int npa_napi_poll(struct napi_struct *napi, int budget);
int npa_irqs_request(struct npa_port *port);
void npa_irqs_free(struct npa_port *port);
void npa_port_stats_read(struct npa_port *port, u64 *vals);
void npa_dev_stats_read(struct npa_dev *ndev, u64 *vals);

/* pair.c */
int npa_dev_create(struct npa_port *port);
void npa_dev_leave(struct npa_port *port);
int npa_port_join(struct npa_port *port);
void npa_dev_set_features(struct npa_dev *ndev, u32 features);
void npa_dev_select(struct npa_dev *ndev);
void npa_dev_select_work(struct work_struct *work);
struct npa_port *npa_dev_active(struct npa_dev *ndev);
const char *npa_role_name(enum npa_role role);
extern const struct attribute_group npa_dev_attr_group;

/* struct_ops.c */
int npa_struct_ops_register(void);
bool npa_prog_is_plugin(const struct bpf_prog *prog);
bool npa_prog_is_member(const struct bpf_prog *prog, const char *member);
bool npa_plugin_drives(const struct npa_ops *ops, const struct npa_port *port);
const char *npa_plugin_member_name(int i);
int npa_plugin_open(struct npa_port *port);
void npa_plugin_stop(struct npa_port *port);
void npa_plugin_detach(struct npa_port *port, enum npa_plugin_state state);
void npa_plugin_reset(struct npa_port *port);
int npa_plugin_resize(struct npa_port *port, u32 rx, u32 tx);
int npa_plugin_reattach(struct npa_port *port, struct npa_ops *ops,
			struct bpf_link *link);
const char *npa_plugin_state_name(enum npa_plugin_state state);

/* kfuncs.c */
int npa_kfuncs_register(void);
void npa_rings_free(struct npa_port *port);
void npa_facts_clear(struct npa_port *port);

/* datapath.c */
int npa_pool_create(struct npa_port *port);
void npa_pool_destroy(struct npa_port *port);
int npa_slots_alloc(struct npa_ring *ring);
void npa_slots_free(struct npa_port *port, struct npa_ring *ring);
int npa_slot_dma_map_tx(struct device *dev, struct npa_slot *s,
			const struct npa_tx_ctx *ctx, u32 seg, u32 *state);
int npa_slot_map_tx(struct npa_port *port, struct npa_tx_ctx *ctx, u32 seg,
		    struct npa_ring *ring, u32 slot);
int npa_slot_complete_tx(struct npa_port *port, struct npa_ring *ring, u32 slot);
void npa_slots_refresh(struct npa_ring *ring);
void npa_tx_doorbell_flush(struct npa_dev *ndev);
void npa_port_tx_doorbell_flush(struct npa_port *port);
void npa_rings_reclaim(struct npa_port *port);
u32 npa_port_slots(const struct npa_port *port, u8 role);
bool npa_tx_unmap_ctx(struct npa_port *port, struct npa_tx_ctx *ctx);

/* xdp.c */
int npa_xdp_init(struct npa_port *port);
void npa_xdp_exit(struct npa_port *port);
int npa_ndo_bpf(struct net_device *dev, struct netdev_bpf *bpf);
int npa_ndo_xdp_xmit(struct net_device *dev, int n, struct xdp_frame **frames,
		     u32 flags);
int npa_xdp_tx(struct npa_port *port, struct xdp_frame *xdpf);
void npa_xdp_tx_flush(struct npa_port *port);

/* ethtool.c */
extern const struct ethtool_ops npa_ethtool_ops;

/* sysfs.c */
extern const struct attribute_group npa_port_attr_group;
void npa_debugfs_init(void);
void npa_debugfs_exit(void);
void npa_debugfs_port_add(struct npa_port *port);
void npa_debugfs_port_del(struct npa_port *port);

#endif /* _NPA_SHIM_H */
