// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin, its tx_clean completing one packet a call: the next
 * poll must find the ring where this one left it. (Slot by slot, a call
 * that stopped inside a packet left the next to read another packet's
 * last slot, and TX stalled.)
 */
#define igbvf_tx_clean_packets		1
#include "../../bpf/igbvf.bpf.c"
