// SPDX-License-Identifier: GPL-2.0
/*
 * An example XDP program for any interface: drop UDP datagrams to one
 * port (9, "discard", unless the loader sets drop_port), pass the rest.
 *
 *	ip link set dev npa1 xdpdrv obj drop_udp_port.bpf.o sec xdp
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char _license[] SEC("license") = "GPL";

#define ETH_P_IP_	0x0800
#define IPPROTO_UDP_	17

const volatile __u16 drop_port = 9;

SEC("xdp")
int xdp_drop_udp_port(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct udphdr *udp;
	struct iphdr *ip;

	if ((void *)(eth + 1) > end || eth->h_proto != bpf_htons(ETH_P_IP_))
		return XDP_PASS;
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end || ip->protocol != IPPROTO_UDP_ ||
	    ip->ihl < 5)
		return XDP_PASS;
	udp = (void *)ip + ip->ihl * 4;
	if ((void *)(udp + 1) > end)
		return XDP_PASS;
	return udp->dest == bpf_htons(drop_port) ? XDP_DROP : XDP_PASS;
}
