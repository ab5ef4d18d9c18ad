// SPDX-License-Identifier: GPL-2.0
/*
 * The igbvf plugin with a device that loses interrupts: irq_enable masks
 * the queue vector where it should unmask it, so after the first NAPI poll
 * only what irq_enable finds pending at once is polled. The shim's service
 * work must poll the port, count the polls that found work, and keep the
 * plugin attached.
 */
#define igbvf_irq_rearm_reg		REG_EIMC
#include "../../bpf/igbvf.bpf.c"
