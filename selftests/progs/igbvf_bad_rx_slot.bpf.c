// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: it indicates every frame in a
 * slot past the end of its RX ring.
 * The shim must count it, detach the plugin and keep the kernel whole.
 */
#define igbvf_rx_slot(slot)		((slot) + rx_size)
#include "../../bpf/igbvf.bpf.c"
