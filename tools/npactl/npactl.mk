# SPDX-License-Identifier: GPL-2.0
#
# npactl, the userspace CLI of npa. Included from the top-level Makefile,
# which defines OUTPUT, Q, msg, USER_CFLAGS, USER_LDLIBS, LIBBPF_A, INCLUDES
# and the rule $(OUTPUT)/bpf/%.skel.h.
#
# It defines:
#   NPACTL          $(OUTPUT)/tools/npactl, the binary
#   NPACTL_MAN      its man page (section 8)
#   NPACTL_BASH     its bash completion
# npactl embeds the skeletons of the plugins in NPACTL_PLUGINS, so that
# "npactl plugin load NAME" needs no object file at run time.

NPACTL_VERSION := 0.1.0
NPACTL_DIR := tools/npactl
NPACTL := $(OUTPUT)/tools/npactl
NPACTL_MAN := $(NPACTL_DIR)/npactl.8
NPACTL_BASH := $(NPACTL_DIR)/npactl.bash
NPACTL_PLUGINS := vmxnet3 igbvf

NPACTL_SKELS := $(patsubst %,$(OUTPUT)/bpf/%.skel.h,$(NPACTL_PLUGINS))
NPACTL_SRCS := $(wildcard $(NPACTL_DIR)/*.c)
NPACTL_HDRS := $(wildcard $(NPACTL_DIR)/*.h)
# <linux/bpf.h> of the tree libbpf is built from (the system's may be older)
NPACTL_UAPI := -I$(LINUX_SOURCE_DIR)/tools/include/uapi
NPACTL_OBJDIR := $(OUTPUT)/tools/npactl.o.d
NPACTL_OBJS := $(patsubst $(NPACTL_DIR)/%.c,$(NPACTL_OBJDIR)/%.o,$(NPACTL_SRCS))

$(NPACTL_OBJDIR)/%.o: $(NPACTL_DIR)/%.c $(NPACTL_HDRS) $(NPACTL_SKELS) \
		$(INCLUDES) $(LIBBPF_A) $(NPACTL_DIR)/npactl.mk
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) -I$(NPACTL_DIR) $(NPACTL_UAPI) \
		-DNPACTL_VERSION='"$(NPACTL_VERSION)"' -c $< -o $@

$(NPACTL): $(NPACTL_OBJS) $(LIBBPF_A)
	$(call msg,LINK,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) $(NPACTL_OBJS) $(USER_LDLIBS) -o $@

# Keep the skeletons: they are only made for npactl, but worth reading.
.SECONDARY: $(NPACTL_SKELS)

# npactl's own tests, in the test guest (KTAP; T=name runs one)
.PHONY: npactl-check
npactl-check: all
	$(Q)selftests/vm/run.sh -q --ko $(NPA_KO) -- bash -c \
		"tools/npactl/test_npactl.sh $(T) > $(OUTPUT)/npactl-check.ktap 2>&1"; \
		rc=$$?; cat $(OUTPUT)/npactl-check.ktap; exit $$rc
