/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the refused plugins of the corpus (bad_*.bpf.c) share: the headers,
 * the license, a probe that accepts the device, and the npa_ops fields of
 * a vmxnet3 plugin of this ABI. A file includes this, defines the members
 * it is refused for, and lists them in its npa_ops after
 * BAD_OPS_VMXNET3("name"). A file refused for its device or ABI spells
 * its npa_ops out; one refused for its license or probe does not include
 * this.
 */
#ifndef _BAD_PLUGIN_H
#define _BAD_PLUGIN_H

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

/* npa_ops fields of a vmxnet3 plugin @ops_name, probed by ok_probe */
#define BAD_OPS_VMXNET3(ops_name)			\
	.probe		= (void *)ok_probe,		\
	.vendor		= 0x15ad,			\
	.device		= 0x07b0,			\
	.abi_version	= NPA_ABI_VERSION,		\
	.name		= ops_name

#endif /* _BAD_PLUGIN_H */
