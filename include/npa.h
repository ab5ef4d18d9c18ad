/* SPDX-License-Identifier: GPL-2.0 */
/*
 * npa plugin ABI: the one header shared by the shim (npa.ko), the BPF
 * plugins and the tools.
 *
 * A plugin is a BPF struct_ops map of type struct npa_ops bound to one
 * port (a PCI function driven by the shim) through its port_id data member.
 * Plugins reach the device only through the kfuncs declared at the end of
 * this file: registers through bounds-checked accessors, descriptor rings
 * through pointers of a verifier-known size.
 */
#ifndef _NPA_H
#define _NPA_H

/* BPF programs get the __u32 family from vmlinux.h. */
#ifndef __bpf__
#include <linux/types.h>
#endif

/* Bumped on every incompatible change of struct npa_ops or the kfuncs. */
#define NPA_ABI_VERSION		2

#define NPA_NAME_LEN		16
/* A BAR index as the kfuncs take it: 0..5 (PCI standard BARs). */
#define NPA_MAX_BARS		6
/* Descriptor rings a plugin may create per port. */
#define NPA_MAX_RINGS		16
#define NPA_RING_MAX_BYTES	(1024 * 1024)
#define NPA_DESC_MAX_SIZE	256
/* Key/value facts a plugin may publish about its device. */
#define NPA_MAX_FACTS		8
#define NPA_FACT_KEY_LEN	24
/* Longest wait npa_sleep_us() grants in one call. */
#define NPA_SLEEP_MAX_US	20000
/* Function members of struct npa_ops, as counted in prog_id[]. */
#define NPA_OPS_NR_FUNCS	13
/* Multicast addresses a plugin sees; past that, the filter is allmulti. */
#define NPA_MC_MAX		64
/* How often the shim calls a plugin's watchdog member, in ms. */
#define NPA_WATCHDOG_MS		2000
/* Ring addresses npa_ring_put_base() may place in descriptor memory. */
#define NPA_MAX_BASE_PINS	16
/* npa_ring_create(): a ring whose descriptors carry no buffer address */
#define NPA_RING_NO_ADDR	0xffffffff
/* npa_port_rx_flags(): what the interface wants to receive */
#define NPA_RXM_PROMISC		0x1	/* every frame */
#define NPA_RXM_ALLMULTI	0x2	/* every multicast frame (also past
					 * NPA_MC_MAX addresses)
					 */
/* watchdog return value: reset the device (stop, remove, probe, open) */
#define NPA_WATCHDOG_RESET	1
/* npa_rx_indicate() flags */
#define NPA_RX_CSUM_OK		0x1	/* the device verified the L4 checksum */
/* npa_port_ring_size(), npa_ring_set_queue(): which direction */
#define NPA_QUEUE_RX		0
#define NPA_QUEUE_TX		1

#ifndef __bpf__
struct npa_port;
#else
/*
 * A port is opaque to plugins: they pass it to kfuncs and never look
 * inside. (An empty struct, not a declaration, because libbpf matches
 * kfunc prototypes by BTF kind.)
 */
struct npa_port {
};
#endif

/* npa_ops.features: what the plugin's device does for the stack */
#define NPA_F_TX_CSUM		0x1	/* TCP/UDP checksums over IPv4/IPv6 */
#define NPA_F_SG		0x2	/* a packet in several segments */
/*
 * TCP segmentation over IPv4/IPv6 (needs NPA_F_TX_CSUM and NPA_F_SG).
 * The shim hands such a packet over with the IPv4 total length and header
 * checksum, or the IPv6 payload length, zeroed and the TCP checksum field
 * holding the pseudo-header sum without the length, as most NICs want.
 */
#define NPA_F_TSO		0x4
#define NPA_F_ALL		(NPA_F_TX_CSUM | NPA_F_SG | NPA_F_TSO)

/**
 * struct npa_tx - a packet handed to the plugin's xmit member
 * @len: total length in bytes
 * @nr_frags: number of page fragments after the linear part
 * @queue: TX queue index chosen by the stack
 * @csum_l4: the device must fill in the L4 checksum: IPPROTO_TCP or
 *	IPPROTO_UDP; 0 when the packet is complete (only with NPA_F_TX_CSUM)
 * @l3: 4 or 6 (IP version) when @csum_l4 is set
 * @l2_len: bytes before the IP header, when @csum_l4 is set
 * @l3_len: bytes of the IP header(s), when @csum_l4 is set
 * @mss: TCP payload bytes per segment when the device must segment the
 *	packet (NPA_F_TSO); 0 otherwise
 * @l4_len: bytes of the TCP header, when @mss is set
 */
struct npa_tx {
	__u32 len;
	__u16 nr_frags;
	__u16 queue;
	__u8 csum_l4;
	__u8 l3;
	__u16 l2_len;
	__u16 l3_len;
	__u16 mss;
	__u8 l4_len;
};

/**
 * struct npa_ops - a device plugin
 *
 * Control members run in process context and may be sleepable
 * (SEC("struct_ops.s/...")); datapath members run with the port's RCU read
 * lock held, often in softirq or hard IRQ context, and must not be
 * sleepable: the shim refuses to load a sleepable program for them.
 *
 * Each call of a member may make a bounded number of register accesses
 * (see npa_reg_read32()): 256 in a datapath member (@tx_clean, @rx_poll
 * and @irq_enable of one NAPI poll share them), 4096 in @open, @stop and
 * the other control members, 16384 in @probe. The first access past them
 * is dropped with every later one, and the plugin is detached. So is a
 * plugin whose NAPI polls keep finding no work while no frame comes in
 * for 2 s (it stopped receiving), or whose TX slots stay in flight for
 * 2 s. A link reported down and up more than 4 times in 20 s is held
 * down until it stays put for 10 s.
 *
 * @probe: control, sleepable. Called once when the plugin attaches to its
 *	port: reset the device, create descriptor rings (probe-only kfuncs)
 *	and publish what the device reports (MAC, link). Return 0 or a
 *	negative errno; on error the attach fails with that errno. A probe
 *	may wait for its device (npa_sleep_us(), register polls) 5 s in
 *	all: past that those kfuncs return at once and fail, and the attach
 *	fails with -ETIMEDOUT.
 * @remove: control, sleepable. Called when the plugin detaches (link
 *	destroyed, swapped out, port removed) after @stop: quiesce the device.
 * @open: datapath. Called from ndo_open with the netdev going up: enable
 *	the rings and interrupts. Return 0 or a negative errno.
 * @stop: datapath. Called from ndo_stop, and before @remove if the
 *	interface is up: disable the rings and interrupts.
 * @xmit: datapath, softirq. Queue one packet. Return 0 when queued,
 *	-ENOSPC when the ring has no room for it (the shim stops the queue
 *	and offers the packet again once a @tx_clean that ended after this
 *	call reaped a slot), another negative errno to drop it (counted as
 *	tx_dropped). While more packets follow (the stack's xmit_more,
 *	XDP_TX frames of one NAPI poll, a redirect batch) the shim holds
 *	back the npa_ring_kick() of the TX ring and writes only the last
 *	one: the value kicked must be the ring's new tail, not a count.
 * @tx_clean: datapath, softirq (NAPI). Reap up to @budget TX completions;
 *	return how many were reaped. Called in a NAPI poll only while TX
 *	slots are in flight (mapped by npa_tx_map(), not yet completed): a
 *	device must raise an interrupt for a TX completion. @xmit may run on
 *	another CPU meanwhile and add packets the device completes at once,
 *	so a call that stops early must leave its ring where the next one
 *	can go on (at a packet's boundary, or its place kept in a global).
 * @rx_poll: datapath, softirq (NAPI). Receive up to @budget frames; return
 *	how many were received. A call ends at @budget with frames still in
 *	the ring: the next one goes on from there (from a frame's first
 *	descriptor, or from a place kept in a global).
 * @irq: datapath, hard IRQ. Vector @vector of the port fired, and it is one
 *	of @irq_vectors: acknowledge or mask it at the device; the shim
 *	schedules NAPI afterwards.
 * @irq_enable: datapath, softirq (NAPI). NAPI is done: unmask the
 *	device's interrupts again. Return non-zero if work arrived while
 *	they were masked (the shim polls again), 0 otherwise; a device that
 *	raises at the unmask what came in while masked may always return 0.
 * @set_rx_mode: control, sleepable. The interface is up and its receive
 *	filter changed (multicast list, promiscuous or allmulti mode), or the
 *	plugin just attached: program the device from npa_port_rx_flags(),
 *	npa_port_mc_count() and npa_port_mc_addr(). Return 0 or a negative
 *	errno: the device refused or did not answer (a PF slow to take a
 *	mailbox message); the shim calls it again NPA_WATCHDOG_MS later.
 * @watchdog: control, sleepable. Called every NPA_WATCHDOG_MS while the
 *	plugin is attached, and soon after any member calls
 *	npa_port_service() (from @irq, say, on a mailbox interrupt): check
 *	the link and the device's health. Return 0, NPA_WATCHDOG_RESET to
 *	have the shim reset the port (@stop, @remove, @probe, then @open if
 *	the interface is up), or a negative errno to give up the port (the
 *	plugin is detached, state faulted).
 * @set_mac: control, sleepable. The user gives the interface a new MAC
 *	address @mac (first octet in bits 47..40): have the device receive
 *	on it. Return 0, or a negative errno and the interface keeps its
 *	address. Without this member the address cannot change.
 * @set_coalesce: control, sleepable. The user asks (ethtool -C rx-usecs)
 *	that the port's queue interrupts come at most every @rx_usecs
 *	microseconds, 0 for at once: have the device keep that interval now,
 *	whether the interface is up or not. Return 0, or a negative errno
 *	(-EINVAL for an interval the device cannot keep) and the port keeps
 *	its interval. @open programs the interval npa_port_rx_usecs() gives,
 *	so the one asked outlives a reset or ethtool -G. Without this member
 *	ethtool -c and -C are refused.
 * @port_id: data. The port this plugin binds to (npactl port list, or
 *	/sys/bus/pci/drivers/npa/<bdf>/npa/port_id); 0 binds the first port
 *	without a plugin whose PCI ids match @vendor and @device.
 * @vendor: data. PCI vendor id of the device the plugin drives; 0 for a
 *	plugin that drives any device (then @port_id must name the port).
 * @device: data. PCI device id of the device the plugin drives.
 * @features: data. NPA_F_* offloads the plugin's device does; the shim
 *	announces them on the interface while the plugin is attached.
 * @abi_version: data. Must equal NPA_ABI_VERSION, or the load is refused.
 * @name: data. The plugin's name, shown by npactl and sysfs.
 * @prog_id: output. Filled in by the shim at load time with the BPF
 *	program ids of @probe..@set_coalesce (0 where a member is unset); a
 *	plugin leaves it zero, or the load is refused.
 * @irq_vectors: data. The MSI-X vectors whose interrupts call @irq, bit n
 *	for vector n; 0 for every vector. An interrupt of any other vector
 *	only schedules NAPI, without a BPF call: a device that masks a queue
 *	vector as it fires it needs nothing in hard IRQ context for it. Set
 *	without @irq, the load is refused.
 */
struct npa_ops {
	int (*probe)(struct npa_port *port);
	void (*remove)(struct npa_port *port);
	int (*open)(struct npa_port *port);
	void (*stop)(struct npa_port *port);
	int (*xmit)(struct npa_port *port, struct npa_tx *tx);
	int (*tx_clean)(struct npa_port *port, int budget);
	int (*rx_poll)(struct npa_port *port, int budget);
	void (*irq)(struct npa_port *port, __u32 vector);
	int (*irq_enable)(struct npa_port *port);
	int (*set_rx_mode)(struct npa_port *port);
	int (*watchdog)(struct npa_port *port);
	int (*set_mac)(struct npa_port *port, __u64 mac);
	int (*set_coalesce)(struct npa_port *port, __u32 rx_usecs);
	__u32 port_id;
	__u16 vendor;
	__u16 device;
	__u32 features;
	__u32 abi_version;
	char name[NPA_NAME_LEN];
	__u32 prog_id[NPA_OPS_NR_FUNCS];
	__u32 irq_vectors;
};

#ifdef __bpf__
/*
 * The shell API, as seen from a plugin. Kernel-doc for each lives with its
 * definition in shim/kfuncs.c (the receive kfuncs in shim/rx.c).
 */
__u32 npa_reg_read32(struct npa_port *port, __u32 bar, __u32 off) __ksym;
void npa_reg_write32(struct npa_port *port, __u32 bar, __u32 off,
		     __u32 val) __ksym;
int npa_ring_create(struct npa_port *port, __u32 ring, __u32 count,
		    __u32 desc_size, __u32 addr_off) __ksym;
__u8 *npa_ring_desc(struct npa_port *port, __u32 ring, __u32 idx,
		    const __u64 rdwr_buf_size) __ksym;
int npa_ring_write_base(struct npa_port *port, __u32 ring, __u32 bar,
			__u32 lo_off, __u32 hi_off) __ksym;
int npa_ring_put_base(struct npa_port *port, __u32 ring, __u32 dst_ring,
		      __u32 dst_idx, __u32 dst_off) __ksym;
int npa_port_set_mac(struct npa_port *port, __u64 mac) __ksym;
void npa_port_set_link(struct npa_port *port, __u32 up,
		       __u32 speed_mbps) __ksym;
int npa_port_publish(struct npa_port *port, const char *key__str,
		     __u64 val) __ksym;
void npa_sleep_us(struct npa_port *port, __u32 usecs) __ksym;
int npa_rx_post(struct npa_port *port, __u32 ring, __u32 slot) __ksym;
int npa_rx_indicate(struct npa_port *port, __u32 ring, __u32 slot, __u32 len,
		    __u32 flags) __ksym;
int npa_tx_map(struct npa_port *port, struct npa_tx *tx, __u32 seg,
	       __u32 ring, __u32 slot) __ksym;
int npa_tx_complete(struct npa_port *port, __u32 ring, __u32 slot) __ksym;
int npa_ring_kick(struct npa_port *port, __u32 ring, __u32 bar, __u32 off,
		  __u32 val) __ksym;
__u32 npa_port_rx_flags(struct npa_port *port) __ksym;
__u32 npa_port_mc_count(struct npa_port *port) __ksym;
__u64 npa_port_mc_addr(struct npa_port *port, __u32 idx) __ksym;
void npa_port_service(struct npa_port *port) __ksym;
__u64 npa_port_mac(struct npa_port *port) __ksym;
int npa_ring_publish(struct npa_port *port, __u32 ring, __u32 idx, __u32 off,
		     __u32 val) __ksym;
int npa_rx_post_publish(struct npa_port *port, __u32 ring, __u32 slot,
			__u32 off, __u32 val) __ksym;
__u32 npa_port_rx_buf_len(struct npa_port *port) __ksym;
__u32 npa_port_ring_size(struct npa_port *port, __u32 queue) __ksym;
__u32 npa_port_rx_usecs(struct npa_port *port, __u32 dflt) __ksym;
int npa_ring_set_queue(struct npa_port *port, __u32 ring, __u32 queue,
		       __u32 max) __ksym;
#endif /* __bpf__ */

#endif /* _NPA_H */
