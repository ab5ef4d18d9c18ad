// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: its xmit queues only the
 * linear part of a packet with page fragments, and says it sent it all.
 * The shim must count it, take the packet back, detach the plugin and keep
 * the kernel whole.
 */
#define igbvf_tx_nsegs(tx)		1
#include "../../bpf/igbvf.bpf.c"
