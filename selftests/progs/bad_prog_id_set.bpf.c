// SPDX-License-Identifier: GPL-2.0
/*
 * prog_id[] is an output: the shim writes the members' program ids there.
 * A plugin that presets it is refused, and told why.
 * EXPECT: plugin 'progid' sets prog_id, which is the shim's to fill in
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
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "progid",
	.prog_id	= { [2] = 42 },
};
