// SPDX-License-Identifier: GPL-2.0
/*
 * A fact key must be a constant string: one built on the stack is refused.
 * EXPECT: arg#1 doesn't point to a const string
 * WHERE: verifier
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

SEC("struct_ops.s/watchdog")
int BPF_PROG(bad_watchdog, struct npa_port *port)
{
	char key[8] = "temp";

	return npa_port_publish(port, key, 0);
}

SEC("struct_ops.s/probe")
int BPF_PROG(ok_probe, struct npa_port *port)
{
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	.probe		= (void *)ok_probe,
	.watchdog	= (void *)bad_watchdog,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "keystack",
};
