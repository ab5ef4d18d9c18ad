// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: it reports the link down
 * and up again in turn at every NAPI poll and every watchdog, whatever
 * the device says.
 * The shim must damp it: the interface's carrier, or the port carrying a
 * pair's traffic, changes a bounded number of times.
 */
static unsigned int igbvf_flap = 1;
#define igbvf_link(status)		((status) && 0 ? 0 : (igbvf_flap ^= 1))
#define igbvf_rx_polled(port)		npa_port_set_link(port, igbvf_flap ^= 1, 1000)
#include "../../bpf/igbvf.bpf.c"
