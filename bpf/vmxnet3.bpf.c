// SPDX-License-Identifier: GPL-2.0
/*
 * npa plugin for VMware's paravirtual NIC, vmxnet3 (15ad:07b0), as QEMU
 * models it: revision 1, registers in BAR0 (doorbells) and BAR1 (control).
 *
 * Bring-up so far: select the device and UPT revisions, read the permanent
 * MAC and the link state through the command register, and publish them.
 * The generation-bit rings come with the PV datapath.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

#define VMXNET3_VENDOR		0x15ad
#define VMXNET3_DEVICE		0x07b0

/* BAR1: control registers */
#define BAR_CTRL		1
#define REG_VRRS		0x00	/* device revision report/select */
#define REG_UVRS		0x08	/* UPT revision report/select */
#define REG_CMD			0x20

#define CMD_QUIESCE_DEV		0xCAFE0001
#define CMD_RESET_DEV		0xCAFE0002
#define CMD_GET_LINK		0xF00D0002
#define CMD_GET_PERM_MAC_LO	0xF00D0003
#define CMD_GET_PERM_MAC_HI	0xF00D0004

#define REV_1			0x1

static __always_inline __u32 vmxnet3_cmd(struct npa_port *port, __u32 cmd)
{
	npa_reg_write32(port, BAR_CTRL, REG_CMD, cmd);
	return npa_reg_read32(port, BAR_CTRL, REG_CMD);
}

static __always_inline void vmxnet3_update_link(struct npa_port *port)
{
	__u32 link = vmxnet3_cmd(port, CMD_GET_LINK);

	/* bit 0: link up; bits 31..16: speed in Mb/s */
	npa_port_set_link(port, link & 1, link >> 16);
	npa_port_publish(port, "link", link);
}

SEC("struct_ops.s/probe")
int BPF_PROG(vmxnet3_probe, struct npa_port *port)
{
	__u32 vrrs, uvrs, lo, hi;
	__u64 mac;

	vrrs = npa_reg_read32(port, BAR_CTRL, REG_VRRS);
	if (!(vrrs & REV_1))
		return -95; /* -EOPNOTSUPP: no revision we speak */
	npa_reg_write32(port, BAR_CTRL, REG_VRRS, REV_1);
	uvrs = npa_reg_read32(port, BAR_CTRL, REG_UVRS);
	if (!(uvrs & REV_1))
		return -95;
	npa_reg_write32(port, BAR_CTRL, REG_UVRS, REV_1);
	npa_port_publish(port, "vrrs", vrrs);
	npa_port_publish(port, "uvrs", uvrs);

	vmxnet3_cmd(port, CMD_RESET_DEV);

	lo = vmxnet3_cmd(port, CMD_GET_PERM_MAC_LO);
	hi = vmxnet3_cmd(port, CMD_GET_PERM_MAC_HI);
	/* The device gives the MAC little-endian: octet 0 in bits 7..0 of lo. */
	mac = (__u64)(lo & 0xff) << 40 | (__u64)((lo >> 8) & 0xff) << 32 |
	      (__u64)((lo >> 16) & 0xff) << 24 | (__u64)(lo >> 24) << 16 |
	      (__u64)(hi & 0xff) << 8 | ((hi >> 8) & 0xff);
	npa_port_publish(port, "perm_mac", mac);
	if (npa_port_set_mac(port, mac))
		return -22; /* -EINVAL */

	vmxnet3_update_link(port);
	return 0;
}

SEC("struct_ops.s/remove")
void BPF_PROG(vmxnet3_remove, struct npa_port *port)
{
	vmxnet3_cmd(port, CMD_QUIESCE_DEV);
	vmxnet3_cmd(port, CMD_RESET_DEV);
}

SEC(".struct_ops.link")
struct npa_ops vmxnet3_ops = {
	.probe		= (void *)vmxnet3_probe,
	.remove		= (void *)vmxnet3_remove,
	.vendor		= VMXNET3_VENDOR,
	.device		= VMXNET3_DEVICE,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "vmxnet3",
};
