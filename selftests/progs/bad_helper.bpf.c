// SPDX-License-Identifier: GPL-2.0
/*
 * Plugins get the base helpers only: bpf_probe_write_user() is refused.
 * EXPECT: program of this type cannot use helper bpf_probe_write_user#36
 * WHERE: verifier
 */
#include "bad_plugin.h"

SEC("struct_ops/open")
int BPF_PROG(bad_open, struct npa_port *port)
{
	__u32 v = 0;

	return bpf_probe_write_user((void *)0x1000, &v, sizeof(v));
}

SEC(".struct_ops.link")
struct npa_ops bad_ops = {
	BAD_OPS_VMXNET3("helper"),
	.open		= (void *)bad_open,
};
