// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, misbehaving at run time: it gives the RX descriptor
 * before the one it means a fresh buffer, and that one still holds the
 * buffer it was given last time round. The shim must refuse the post
 * (the posted page would leak, and the device would own the descriptor
 * twice), count it, detach the plugin and keep the kernel whole.
 */
#define vmxnet3_rx_post_slot(slot)	((slot) ? (slot) - 1 : rx_size - 1)
#include "../../bpf/vmxnet3.bpf.c"
