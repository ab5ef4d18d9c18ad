// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: every xmit of a frame over
 * 1000 bytes rings the TX doorbell 100000 times, a register storm that
 * would keep the CPU in MMIO writes for the better part of a second per
 * packet under QEMU. (Small frames go out as usual: the interface comes
 * up with its carrier before the test sends large ones.)
 * The shim must drop the accesses past its budget, detach the plugin and
 * keep the kernel whole.
 */
#define igbvf_tx_before_kick(port)					\
	do {								\
		int storm_;						\
		if (tx->len > 1000)					\
			bpf_for(storm_, 0, 100000)			\
				npa_ring_kick(port, TX_RING, BAR_REGS,	\
					      REG_TDT, tx_ntu);		\
	} while (0)
#include "../../bpf/igbvf.bpf.c"
