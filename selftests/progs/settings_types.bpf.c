// SPDX-License-Identifier: GPL-2.0
/*
 * Load-time settings of every integer kind, for npactl's tests: what is a
 * setting (a global const volatile integer, enum or bool of .rodata) and
 * what is not (a plain const, a static, a non-integer). Its probe
 * publishes the values it sees.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "npa.h"

char _license[] SEC("license") = "GPL";

enum speed { SPEED_SLOW = 1, SPEED_FAST = 2 };

const volatile __s8 s8_val = -5;
const volatile __s16 s16_val = -300;
const volatile __u16 u16_val = 65535;
const volatile __s64 s64_val = -1;
const volatile __u64 u64_val = 1ULL << 40;
const volatile bool bool_val = true;
const volatile enum speed speed = SPEED_FAST;
/* not settings */
const __u32 plain_const = 7;
static const volatile __u32 static_val = 9;
const volatile __u8 bytes[4] = { 1, 2, 3, 4 };

SEC("struct_ops.s/probe")
int BPF_PROG(settings_probe, struct npa_port *port)
{
	npa_port_publish(port, "s8_val", s8_val);
	npa_port_publish(port, "s16_val", s16_val);
	npa_port_publish(port, "u16_val", u16_val);
	npa_port_publish(port, "s64_val", s64_val);
	npa_port_publish(port, "u64_val", u64_val);
	npa_port_publish(port, "bool_val", bool_val);
	npa_port_publish(port, "speed", speed);
	npa_port_publish(port, "others", plain_const + static_val + bytes[0]);
	return 0;
}

SEC(".struct_ops.link")
struct npa_ops settings_ops = {
	.probe		= (void *)settings_probe,
	.vendor		= 0x15ad,
	.device		= 0x07b0,
	.abi_version	= NPA_ABI_VERSION,
	.name		= "settings",
};
