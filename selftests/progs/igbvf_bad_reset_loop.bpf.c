// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, misbehaving at run time: its watchdog asks for a reset
 * every time, so the device goes through stop, remove, probe and open
 * again and again, its link down and up each time.
 * The shim must damp the link: the carrier changes a bounded number of
 * times.
 */
#define igbvf_watchdog_ret		NPA_WATCHDOG_RESET
#include "../../bpf/igbvf.bpf.c"
