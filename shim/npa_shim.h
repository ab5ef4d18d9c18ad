/* SPDX-License-Identifier: GPL-2.0 */
/*
 * npa shim internals: ports, rings and the glue between the PCI, netdev
 * and struct_ops halves of the module.
 */
#ifndef _NPA_SHIM_H
#define _NPA_SHIM_H

#include <linux/netdevice.h>
#include <linux/pci.h>
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
/* A TX queue stopped this long means the plugin stopped completing. */
#define NPA_TX_TIMEOUT		(2 * HZ)

/* Headroom in front of every received frame (XDP needs 256). */
#define NPA_RX_HEADROOM		XDP_PACKET_HEADROOM
/* What a device may write into one RX buffer. */
#define NPA_RX_BUF_LEN		2048

enum npa_slot_state {
	NPA_SLOT_FREE,
	NPA_SLOT_RX,		/* a page_pool page posted for the device */
	NPA_SLOT_TX_HEAD,	/* the linear part of an skb, dma_map_single */
	NPA_SLOT_TX_FRAG,	/* a page fragment of an skb, dma_map_page */
};

/**
 * struct npa_slot - what the shim put behind one descriptor
 * @page: RX: the posted page
 * @skb: TX: the skb, on the slot of its last segment only
 * @dma: the address given to the device
 * @len: bytes mapped (TX) or writable by the device (RX)
 * @state: enum npa_slot_state
 */
struct npa_slot {
	union {
		struct page *page;
		struct sk_buff *skb;
	};
	dma_addr_t dma;
	u32 len;
	u8 state;
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
 * @dirty: slots given a buffer since the last kick, @ndirty of them
 * @ndirty: see @dirty
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
};

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
 * @skb: the packet
 * @mapped: segments mapped so far
 * @slots: where they went (ring << 16 | slot)
 */
struct npa_tx_ctx {
	struct npa_tx tx;
	struct sk_buff *skb;
	u32 mapped;
	u32 slots[MAX_SKB_FRAGS + 1];
};

/**
 * struct npa_stats - a port's datapath counters
 * @rx_packets: frames handed to the stack
 * @rx_bytes: their bytes
 * @rx_dropped: frames lost (no memory for an skb)
 * @tx_packets: packets completed
 * @tx_bytes: their bytes
 * @tx_dropped: packets dropped at xmit
 * @rx_syncp: 64-bit RX counters on 32-bit machines (NAPI writes them)
 * @tx_syncp: the same for TX counters (xmit writes them)
 */
struct npa_stats {
	u64_stats_t rx_packets;
	u64_stats_t rx_bytes;
	u64_stats_t rx_dropped;
	u64_stats_t tx_packets;
	u64_stats_t tx_bytes;
	u64_stats_t tx_dropped;
	struct u64_stats_sync rx_syncp;
	struct u64_stats_sync tx_syncp;
};

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

enum npa_plugin_state {
	NPA_PLUGIN_NONE,
	NPA_PLUGIN_ATTACHED,
	NPA_PLUGIN_FAULTED,
};

/**
 * struct npa_port - one PCI function driven by the shim
 * @id: port id, unique for the module's lifetime; plugins bind by it
 * @pdev: the PCI function
 * @netdev: its network interface
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
 * @rings: descriptor rings created by the plugin
 * @pins: ring addresses the shim keeps in descriptor memory (written in
 *	probe only, read by the kfuncs that talk to the device)
 * @npins: entries used in @pins
 * @facts: values published by the plugin
 * @facts_lock: protects @facts
 * @faults: plugin faults since attach (bad offsets, bad ring ids, ...)
 * @fault_work: detaches the plugin once @faults reaches NPA_FAULT_LIMIT
 * @vecs: MSI-X vectors
 * @pool: the page_pool RX buffers come from
 * @stats: datapath counters
 * @tx_done_pkts: TX completions of the running NAPI poll, for BQL
 * @tx_done_bytes: their bytes
 * @debugfs: the port's debugfs directory
 */
struct npa_port {
	u32 id;
	struct pci_dev *pdev;
	struct net_device *netdev;
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
	struct npa_ring rings[NPA_MAX_RINGS];
	struct npa_base_pin pins[NPA_MAX_BASE_PINS];
	u32 npins;
	struct npa_fact facts[NPA_MAX_FACTS];
	spinlock_t facts_lock;	/* protects facts */
	atomic_t faults;
	struct work_struct fault_work;
	struct npa_vector vecs[NPA_MAX_VECS];
	struct page_pool *pool;
	struct npa_stats stats;
	unsigned int tx_done_pkts;
	unsigned int tx_done_bytes;
	struct dentry *debugfs;
};

struct bpf_link;
struct bpf_prog;

/* main.c */
struct npa_port *npa_port_find(u32 id);
struct npa_port *npa_port_find_free(const struct npa_ops *ops);
void npa_port_fault(struct npa_port *port, const char *fmt, ...) __printf(2, 3);

/* netdev.c */
int npa_netdev_create(struct npa_port *port);
void npa_netdev_destroy(struct npa_port *port);
int npa_irqs_request(struct npa_port *port);
void npa_irqs_free(struct npa_port *port);

/* struct_ops.c */
int npa_struct_ops_register(void);
bool npa_prog_is_plugin(const struct bpf_prog *prog);
bool npa_prog_is_member(const struct bpf_prog *prog, const char *member);
bool npa_plugin_drives(const struct npa_ops *ops, const struct npa_port *port);
const char *npa_plugin_member_name(int i);
int npa_plugin_open(struct npa_port *port);
void npa_plugin_stop(struct npa_port *port);
void npa_plugin_detach(struct npa_port *port, enum npa_plugin_state state);
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
int npa_slot_post_rx(struct npa_port *port, struct npa_ring *ring, u32 slot);
int npa_slot_receive(struct npa_port *port, struct npa_ring *ring, u32 slot,
		     u32 len, u32 flags);
int npa_slot_map_tx(struct npa_port *port, struct npa_tx_ctx *ctx, u32 seg,
		    struct npa_ring *ring, u32 slot);
int npa_slot_complete_tx(struct npa_port *port, struct npa_ring *ring, u32 slot);
void npa_slots_refresh(struct npa_ring *ring, bool forget);
void npa_slot_rewrite(struct npa_ring *ring, u32 slot);
void npa_rings_reclaim(struct npa_port *port);
void npa_tx_unmap_ctx(struct npa_port *port, struct npa_tx_ctx *ctx);

/* sysfs.c */
extern const struct attribute_group npa_port_attr_group;
void npa_debugfs_init(void);
void npa_debugfs_exit(void);
void npa_debugfs_port_add(struct npa_port *port);
void npa_debugfs_port_del(struct npa_port *port);

#endif /* _NPA_SHIM_H */
