// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, misbehaving at run time: it hands its RX
 * descriptors over through word 4, the high half of the buffer address
 * the shim just wrote. The shim must refuse it (the word would replace
 * the address), count it, detach the plugin and keep the kernel whole.
 */
#define vmxnet3_rx_post_word		4
#include "../../bpf/vmxnet3.bpf.c"
