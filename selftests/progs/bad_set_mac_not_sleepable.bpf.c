// SPDX-License-Identifier: GPL-2.0
/*
 * npa_port_set_mac() tells the interface's listeners of the new address,
 * and they may sleep: a probe that is not sleepable may not call it.
 * EXPECT: program must be sleepable to call sleepable kfunc npa_port_set_mac
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/probe")
int BPF_PROG(bad_probe, struct npa_port *port)
{
	return npa_port_set_mac(port, 0x525400123456ULL);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)bad_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "setmacatomic",
};
