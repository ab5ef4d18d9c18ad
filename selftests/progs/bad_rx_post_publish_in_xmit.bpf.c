// SPDX-License-Identifier: GPL-2.0
/*
 * RX buffers are posted by rx_poll and open, which never run at once:
 * npa_rx_post_publish() from xmit (on any CPU, beside rx_poll) is refused.
 * EXPECT: calling kernel function npa_rx_post_publish is not allowed
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/xmit")
int BPF_PROG(bad_xmit, struct npa_port *port, struct npa_tx *tx)
{
	return npa_rx_post_publish(port, 0, 0, 8, 0);
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.xmit		= (void *)bad_xmit,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "rxpubxmit",
};
