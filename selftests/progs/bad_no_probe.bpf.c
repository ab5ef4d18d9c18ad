// SPDX-License-Identifier: GPL-2.0
/*
 * Without probe a plugin cannot bring its device up.
 * EXPECT: plugin 'noprobe' has no probe member
 * WHERE: dmesg
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/open")
int BPF_PROG(ok_open, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.open		= (void *)ok_open,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "noprobe",
};
