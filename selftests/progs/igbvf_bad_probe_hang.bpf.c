// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at load time: probe waits for a STATUS
 * value the device never shows, a million times 20 ms (five and a half
 * hours), within the verifier's bounds.
 * The shim must end the wait after its probe deadline, refuse the attach
 * with -ETIMEDOUT and leave the port usable.
 */
#define igbvf_probe_wait(port)						\
	do {								\
		int wait_;						\
		bpf_for(wait_, 0, 1000000) {				\
			if (npa_reg_read32(port, BAR_REGS, REG_STATUS) ==	\
			    0x5eadbeef)					\
				break;					\
			npa_sleep_us(port, NPA_SLEEP_MAX_US);		\
		}							\
	} while (0)
#include "../../bpf/igbvf.bpf.c"
