// SPDX-License-Identifier: GPL-2.0
/*
 * bench_seq.bpf.c: the counter behind `make bench`'s failover rows
 * (selftests/bench-failover.sh), attached at tcx ingress of the interface
 * under test (an npa pair, or a bond): what reaches that interface's stack.
 *
 * For each pktgen frame (UDP after a 20-byte IPv4 header, the pktgen magic
 * right after the UDP header, then the sequence number) it sets the
 * sequence number's bit in a bitmap, so frames lost = frames sent - bits
 * set, whatever arrives twice. It also tells the ports apart by the NAPI
 * context that delivered the frame (skb->napi_id: one per npa port, one per
 * bonded driver's queue): the first context it sees, and the first frame
 * from any other one, with its CLOCK_TAI time, its sequence number and the
 * last sequence number the first context had delivered. Every frame passes.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

char _license[] SEC("license") = "GPL";

#define ETH_P_IP_	0x0800
#define IPPROTO_UDP_	17
#define PKTGEN_MAGIC	0xbe9be955
#define SEQ_BITS	(1 << 19)	/* 26 s at 20 kpps */

struct bench_seq_stats {
	__u64 frames;		/* pktgen frames, duplicates included */
	__u64 distinct;		/* sequence numbers seen */
	__u64 out_of_range;	/* sequence numbers past the bitmap */
	__u64 from_first;	/* frames the first NAPI context delivered */
	__u64 from_other;	/* frames any other context delivered */
	__u64 switch_tai_ns;	/* the first of those: CLOCK_TAI at tcx ingress */
	__u32 switch_seq;	/* its sequence number */
	__u32 switch_prev_seq;	/* the first context's last one before it */
	__u32 last_first_seq;	/* the first context's last sequence number */
	__u32 first_napi;
	__u32 other_napi;
	__u32 have_first;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SEQ_BITS / 64);
	__type(key, __u32);
	__type(value, __u64);
} seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_seq_stats);
} stats SEC(".maps");

struct pktgen_frame {
	struct ethhdr eth;
	struct iphdr ip;
	struct udphdr udp;
	__be32 magic;
	__be32 seq;
} __attribute__((packed));

SEC("tcx/ingress")
int bench_seq(struct __sk_buff *skb)
{
	struct bench_seq_stats *s;
	struct pktgen_frame f;
	__u32 zero = 0, seq, napi, w;
	__u64 *word, bit;

	if (bpf_skb_load_bytes(skb, 0, &f, sizeof(f)))
		return TCX_PASS;
	if (f.eth.h_proto != bpf_htons(ETH_P_IP_) || f.ip.ihl != 5 ||
	    f.ip.protocol != IPPROTO_UDP_ || f.magic != bpf_htonl(PKTGEN_MAGIC))
		return TCX_PASS;
	s = bpf_map_lookup_elem(&stats, &zero);
	if (!s)
		return TCX_PASS;
	seq = bpf_ntohl(f.seq);
	napi = skb->napi_id;
	__sync_fetch_and_add(&s->frames, 1);
	/* one port carries the stream at the start: no race here */
	if (!s->have_first) {
		s->first_napi = napi;
		s->have_first = 1;
	}
	if (napi == s->first_napi) {
		__sync_fetch_and_add(&s->from_first, 1);
		s->last_first_seq = seq;
	} else if (__sync_fetch_and_add(&s->from_other, 1) == 0) {
		s->switch_tai_ns = bpf_ktime_get_tai_ns();
		s->switch_seq = seq;
		s->switch_prev_seq = s->last_first_seq;
		s->other_napi = napi;
	}
	if (seq >= SEQ_BITS) {
		__sync_fetch_and_add(&s->out_of_range, 1);
		return TCX_PASS;
	}
	w = seq / 64;
	word = bpf_map_lookup_elem(&seen, &w);
	if (!word)
		return TCX_PASS;
	bit = 1ULL << (seq % 64);
	if (!(__sync_fetch_and_or(word, bit) & bit))
		__sync_fetch_and_add(&s->distinct, 1);
	return TCX_PASS;
}
