// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: it completes every TX slot twice.
 * The shim must count it, detach the plugin and keep the kernel whole.
 */
#define igbvf_tx_reaped(port, slot)	npa_tx_complete(port, TX_RING, slot)
#include "../../bpf/igbvf.bpf.c"
