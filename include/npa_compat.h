/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences for the shim, in one place: every feature
 * test for an older or newer kernel lives in this file.
 */
#ifndef _NPA_COMPAT_H
#define _NPA_COMPAT_H

#include <linux/bpf.h>

/*
 * struct_ops types defined in a module (register_bpf_struct_ops(), which
 * came with BPF_MODULE_OWNER in 6.9) and the bpf_link argument of
 * reg/unreg/update (6.10) are required.
 */
#ifndef BPF_MODULE_OWNER
#error "npa needs Linux 6.10 or later (struct_ops types in modules)"
#endif

#endif /* _NPA_COMPAT_H */
