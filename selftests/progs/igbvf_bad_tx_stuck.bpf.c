// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: it never reaps a TX completion, so
 * its ring fills and the queue stalls.
 * The shim must count it, detach the plugin and keep the kernel whole.
 */
#define igbvf_tx_done(status)		0
#include "../../bpf/igbvf.bpf.c"
