// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, misbehaving at run time: once it has sent a packet,
 * it posts its receive buffers into its TX ring.
 * The shim must count it, detach the plugin and keep the kernel whole.
 */
#define vmxnet3_rx_post_ring		(tx_ntu ? TX_RING : RX_RING)
#include "../../bpf/vmxnet3.bpf.c"
