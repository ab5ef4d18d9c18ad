// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, writing a forged buffer address into every RX and TX
 * descriptor after the shim filled it in, and ringing its doorbells (the
 * tail registers) with npa_reg_write32() instead of npa_ring_kick(). The
 * shim writes its own addresses back before every register write, so the
 * device only ever sees buffers the shim mapped: traffic must flow
 * unharmed.
 */
#define igbvf_forge(desc)	do { (desc)[0] = 0xdead0000; (desc)[1] = 0x1; } while (0)
#define igbvf_rx_posted(desc)	igbvf_forge(desc)
#define igbvf_tx_queued(desc)	igbvf_forge(desc)
#define igbvf_kick(port, ring, reg, val)				\
	({ npa_reg_write32(port, BAR_REGS, reg, val); 0; })
#include "../../bpf/igbvf.bpf.c"
