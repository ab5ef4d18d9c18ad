// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: rx_poll returns 0 without
 * looking at the ring, so nothing received is ever taken while the device
 * keeps interrupting (and irq_enable keeps saying frames are pending).
 * The shim must see the RX stall, detach the plugin and keep the kernel
 * whole.
 */
#define igbvf_rx_stuck			1
#include "../../bpf/igbvf.bpf.c"
