// SPDX-License-Identifier: GPL-2.0
/*
 * A buffer address must fit inside its descriptor: an offset that does
 * not (here past a 4-byte descriptor, as far as an unsigned subtraction
 * would have let it) is refused, and the probe that asked fails.
 * EXPECT: bad ring 0: 64 descriptors of 4 bytes, address at 0xfffffff8
 * WHERE: dmesg
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/probe")
int BPF_PROG(bad_probe, struct npa_port *port)
{
	return npa_ring_create(port, 0, 64, 4, 0xfffffff8);
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)bad_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "addrpastdesc",
};
