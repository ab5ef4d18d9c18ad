// SPDX-License-Identifier: GPL-2.0
/*
 * Plugins get the base helpers only: bpf_probe_write_user() is refused.
 * EXPECT: program of this type cannot use helper bpf_probe_write_user#36
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	__u32 v = 0;

	return bpf_probe_write_user((void *)0x1000, &v, sizeof(v));
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.open		= (void *)bad_open,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "helper",
};
