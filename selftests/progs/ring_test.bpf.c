// SPDX-License-Identifier: GPL-2.0
/*
 * A device-independent test plugin: it creates a descriptor ring, writes
 * and reads it back through npa_ring_desc() (descriptor by descriptor, then
 * the whole ring through one pointer), reports link up, and counts
 * the datapath members the shim calls, publishing each count. It sends
 * nothing: xmit refuses every packet, which the shim counts as dropped.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

#define RING		0
#define RING_COUNT	64
#define DESC_SIZE	16

static __u64 opens, stops, xmits;

SEC("struct_ops.s/probe")
int BPF_PROG(ring_probe, struct npa_port *port)
{
	__u64 sum = 0;
	__u32 *whole;
	__u32 i;
	int err;

	err = npa_ring_create(port, RING, RING_COUNT, DESC_SIZE, NPA_RING_NO_ADDR);
	if (err)
		return err;
	for (i = 0; i < RING_COUNT; i++) {
		__u32 *d = (__u32 *)npa_ring_desc(port, RING, i, DESC_SIZE);

		if (!d)
			return -22;
		d[0] = i;
		d[3] = i * 3;
	}
	for (i = 0; i < RING_COUNT; i++) {
		__u32 *d = (__u32 *)npa_ring_desc(port, RING, i, DESC_SIZE);

		if (!d)
			return -22;
		sum += d[0] + d[3];
	}
	/* 4 * (0 + 1 + ... + 63) = 8064 */
	npa_port_publish(port, "ring_sum", sum);
	/* the same words through one pointer to the whole ring */
	whole = (__u32 *)npa_ring_desc(port, RING, 0, RING_COUNT * DESC_SIZE);
	if (!whole)
		return -22;
	sum = 0;
	for (i = 0; i < RING_COUNT; i++)
		sum += whole[i * 4] + whole[i * 4 + 3];
	npa_port_publish(port, "ring_whole_sum", sum);
	npa_port_set_link(port, 1, 10000);
	return 0;
}

SEC("struct_ops/open")
int BPF_PROG(ring_open, struct npa_port *port)
{
	npa_port_publish(port, "opens", ++opens);
	return 0;
}

SEC("struct_ops/stop")
void BPF_PROG(ring_stop, struct npa_port *port)
{
	npa_port_publish(port, "stops", ++stops);
}

SEC("struct_ops/xmit")
int BPF_PROG(ring_xmit, struct npa_port *port, struct npa_tx *tx)
{
	npa_port_publish(port, "xmits", ++xmits);
	npa_port_publish(port, "last_tx_len", tx->len);
	return -95; /* -EOPNOTSUPP: not sent, the shim counts a drop */
}

SEC(".struct_ops.link")
struct npa_ops ring_test_ops = {
	.probe		= (void *)ring_probe,
	.open		= (void *)ring_open,
	.stop		= (void *)ring_stop,
	.xmit		= (void *)ring_xmit,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "ring_test",
};
