// SPDX-License-Identifier: GPL-2.0
/*
 * The vmxnet3 plugin, its first open failing after it filled the RX ring
 * (as when the device refuses its configuration). The shim must undo
 * that open, so that the next one finds its slots free.
 */
#define vmxnet3_before_activate(port) \
	do { static int opens; if (!opens++) return -5; } while (0)
#include "../../bpf/vmxnet3.bpf.c"
