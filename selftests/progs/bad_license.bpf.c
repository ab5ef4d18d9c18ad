// SPDX-License-Identifier: GPL-2.0
/*
 * A plugin must be GPL.
 * EXPECT: struct ops programs must have a GPL compatible license
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "Proprietary";

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "license",
};
