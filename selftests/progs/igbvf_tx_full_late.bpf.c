// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, slow to say its TX ring is full: the first few times,
 * before it does, it waits (a while at most) for a tx_clean on the other
 * CPU to reap every packet, then says so all the same. The shim stops the
 * queue with nothing left in flight, and the poll it schedules has nothing
 * to clean: that poll must still wake the queue. (The shim once woke it
 * only after a tx_clean: TX stalled until the watchdog took the plugin
 * off.)
 */
static unsigned int late_answers;

#define igbvf_tx_full()							\
	do {								\
		int _i;							\
									\
		if (late_answers >= 8)					\
			break;						\
		late_answers++;						\
		bpf_for(_i, 0, 1 << 22)					\
			if (*(volatile __u32 *)&tx_ntc == tx_ntu)	\
				break;					\
	} while (0)
#include "../../bpf/igbvf.bpf.c"
