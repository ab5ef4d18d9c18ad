// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin with a PF that does not answer its first three filter
 * updates: set_rx_mode returns -ETIMEDOUT three times, as when a mailbox
 * wait runs out, then programs the filter. The shim must try again at its
 * next service runs, say so once in the log, count the failures and not
 * take them for plugin faults.
 */
static int pf_busy_left = 3;
#define igbvf_pf_busy()		(pf_busy_left > 0 && pf_busy_left--)
#include "../../bpf/igbvf.bpf.c"
