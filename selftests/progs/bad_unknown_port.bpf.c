// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin for a port that does not exist.
 * EXPECT: plugin 'noport': no port 999
 * WHERE: dmesg
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.port_id	= 999,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "noport",
};
