// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, misbehaving at run time: it hands the device the RX
 * descriptor after the one it gave a buffer, a descriptor without one.
 * The shim must refuse it (the device would write wherever the stale
 * descriptor points), count it, detach the plugin and keep the kernel
 * whole.
 */
#define vmxnet3_rx_publish_slot(slot)	ring_next(slot, rx_size)
#include "../../bpf/vmxnet3.bpf.c"
