// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, misbehaving at run time: every xmit also rings the
 * RX ring's doorbell, whose buffers rx_poll owns (on another CPU, it may
 * be adding to them).
 * The shim must count it, detach the plugin and keep the kernel whole.
 */
#define vmxnet3_tx_queued(desc) \
	npa_ring_kick(port, RX_RING, BAR_REGS, REG_RXPROD, rx_ntu)
#include "../../bpf/vmxnet3.bpf.c"
