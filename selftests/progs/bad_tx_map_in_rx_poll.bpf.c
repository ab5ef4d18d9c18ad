// SPDX-License-Identifier: GPL-2.0
/*
 * Only xmit has a packet to map: npa_tx_map() from rx_poll is refused.
 * EXPECT: calling kernel function npa_tx_map is not allowed
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/rx_poll")
int BPF_PROG(bad_rx_poll, struct npa_port *port, int budget)
{
	return npa_tx_map(port, NULL, 0, 0, 0);
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.rx_poll	= (void *)bad_rx_poll,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "txmaprx",
};
