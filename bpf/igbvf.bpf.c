// SPDX-License-Identifier: GPL-2.0
/*
 * npa plugin for the Intel 82576 SR-IOV Virtual Function (8086:10ca), as
 * QEMU's igb model exposes it: 16 KiB of registers in BAR0, 4-byte access.
 *
 * Bring-up so far: reset the VF, then the PF mailbox handshake that gives
 * the VF its MAC address and lets it send and receive; link from STATUS.
 * The advanced descriptor rings come with the VF datapath.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

#define IGBVF_VENDOR		0x8086
#define IGBVF_DEVICE		0x10ca

#define BAR_REGS		0
#define REG_CTRL		0x0000
#define REG_STATUS		0x0008
#define REG_V2PMAILBOX		0x0c40
#define REG_VMBMEM		0x0800

#define CTRL_RST		0x04000000
#define STATUS_LU		0x00000002

/* V2PMAILBOX bits; PFSTS, PFACK and RSTD clear when read. */
#define MBX_REQ			0x01
#define MBX_ACK			0x02
#define MBX_VFU			0x04
#define MBX_PFSTS		0x10
#define MBX_PFACK		0x20
#define MBX_RSTI		0x40
#define MBX_RSTD		0x80

/* Mailbox messages */
#define VF_RESET		0x01
#define MSG_ACK			0x80000000
#define MSG_NACK		0x40000000
#define MSG_CTS			0x20000000

/* Polls of the mailbox, 1 ms apart: the PF answers from its IRQ thread. */
#define MBX_POLLS		200

/* Bits of V2PMAILBOX seen so far: reading clears some of them. */
static __u32 mbx_seen;

static __always_inline __u32 mbx_read(struct npa_port *port)
{
	mbx_seen |= npa_reg_read32(port, BAR_REGS, REG_V2PMAILBOX);
	return mbx_seen;
}

/* Wait until one of @bits is seen, and consume it. */
static __always_inline int mbx_wait(struct npa_port *port, __u32 bits)
{
	int i;

	for (i = 0; i < MBX_POLLS; i++) {
		if (mbx_read(port) & bits) {
			mbx_seen &= ~bits;
			return 0;
		}
		npa_sleep_us(port, 1000);
	}
	return -110; /* -ETIMEDOUT */
}

static __always_inline int mbx_send_reset(struct npa_port *port)
{
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_VFU);
	if (!(mbx_read(port) & MBX_VFU))
		return -16; /* -EBUSY: the PF holds the mailbox */
	/* A stale message or ack would be taken for the answer. */
	mbx_seen &= ~(MBX_PFSTS | MBX_PFACK);
	npa_reg_write32(port, BAR_REGS, REG_VMBMEM, VF_RESET);
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_REQ);
	return mbx_wait(port, MBX_PFACK);
}

SEC("struct_ops.s/probe")
int BPF_PROG(igbvf_probe, struct npa_port *port)
{
	__u32 status, reply, w1, w2;
	__u64 mac;
	int i, err;

	mbx_seen = 0;
	npa_reg_write32(port, BAR_REGS, REG_CTRL, CTRL_RST);
	npa_sleep_us(port, 1000);
	/* The PF must finish its side of the reset first. */
	for (i = 0; i < MBX_POLLS; i++) {
		mbx_seen = 0;
		if (!(mbx_read(port) & (MBX_RSTI | MBX_RSTD)))
			break;
		npa_sleep_us(port, 1000);
	}
	if (i == MBX_POLLS)
		return -110; /* PF still in reset: is its interface up? */

	err = mbx_send_reset(port);
	if (err)
		return err;
	err = mbx_wait(port, MBX_PFSTS);
	if (err)
		return err;
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_VFU);
	reply = npa_reg_read32(port, BAR_REGS, REG_VMBMEM);
	w1 = npa_reg_read32(port, BAR_REGS, REG_VMBMEM + 4);
	w2 = npa_reg_read32(port, BAR_REGS, REG_VMBMEM + 8);
	npa_reg_write32(port, BAR_REGS, REG_V2PMAILBOX, MBX_ACK);
	npa_port_publish(port, "mbx_reply", reply);

	if ((reply & ~MSG_CTS) != (VF_RESET | MSG_ACK))
		return -99; /* -EADDRNOTAVAIL: the PF gave no MAC (NACK) */
	/* VMBMEM holds the MAC as bytes: octet 0 in bits 7..0 of word 1. */
	mac = (__u64)(w1 & 0xff) << 40 | (__u64)((w1 >> 8) & 0xff) << 32 |
	      (__u64)((w1 >> 16) & 0xff) << 24 | (__u64)(w1 >> 24) << 16 |
	      (__u64)(w2 & 0xff) << 8 | ((w2 >> 8) & 0xff);
	npa_port_publish(port, "perm_mac", mac);
	err = npa_port_set_mac(port, mac);
	if (err)
		return err;

	status = npa_reg_read32(port, BAR_REGS, REG_STATUS);
	npa_port_publish(port, "status", status);
	npa_port_set_link(port, status & STATUS_LU, 1000);
	return 0;
}

SEC("struct_ops.s/remove")
void BPF_PROG(igbvf_remove, struct npa_port *port)
{
	/* Reset stops both queues; the PF sees the reset through RSTI. */
	npa_reg_write32(port, BAR_REGS, REG_CTRL, CTRL_RST);
}

SEC(".struct_ops.link")
struct npa_ops igbvf_ops = {
	.probe		= (void *)igbvf_probe,
	.remove		= (void *)igbvf_remove,
	.vendor		= IGBVF_VENDOR,
	.device		= IGBVF_DEVICE,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "igbvf",
};
