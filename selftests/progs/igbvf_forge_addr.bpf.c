// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, writing a forged buffer address into every TX
 * descriptor after the shim filled it in. The shim writes its own address
 * back at the kick, so the device only ever sees buffers the shim mapped:
 * traffic must flow unharmed.
 */
#define igbvf_tx_queued(desc)	do { (desc)[0] = 0xdead0000; (desc)[1] = 0x1; } while (0)
#include "../../bpf/igbvf.bpf.c"
