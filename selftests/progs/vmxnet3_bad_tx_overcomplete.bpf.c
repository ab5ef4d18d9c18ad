// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, misbehaving at run time: it completes every TX slot
 * twice.
 * The shim must count it, detach the plugin and keep the kernel whole.
 */
#define vmxnet3_tx_reaped(port, slot)	npa_tx_complete(port, TX_RING, slot)
#include "../../bpf/vmxnet3.bpf.c"
