// SPDX-License-Identifier: GPL-2.0
/*
 * A probe that returns an error: the attach fails with it, nothing stays.
 * EXPECT: Operation not supported
 * WHERE: loader
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/probe")
int BPF_PROG(bad_probe, struct npa_port *port)
{
	return -95; /* -EOPNOTSUPP */
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)bad_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "probefail",
};
