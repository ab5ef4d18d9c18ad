# SPDX-License-Identifier: GPL-2.0
#
# npa: every entry point. `make help` lists them.

KVER ?= 6.12.117+deb12-amd64
KDIR ?= /usr/src/linux-headers-$(KVER)
OUTPUT := .output
CLANG ?= clang-19

ifeq ($(V),1)
Q :=
msg =
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
MAKEFLAGS += --no-print-directory
endif

.DELETE_ON_ERROR:
.DEFAULT_GOAL := all

include tools/bpftool/bpftool.mk

TOP := $(abspath .)
INCLUDES := $(wildcard include/*.h)

# --- the shim ---------------------------------------------------------------
SHIM_SRCS := $(wildcard shim/*.c shim/*.h) shim/Kbuild
NPA_KO := $(OUTPUT)/shim/npa.ko

$(NPA_KO): $(SHIM_SRCS) $(INCLUDES)
	$(call msg,KMOD,$@)
	$(Q)mkdir -p $(OUTPUT)/shim
	$(Q)for f in $(SHIM_SRCS); do ln -sf $(TOP)/$$f $(OUTPUT)/shim/; done
	$(Q)$(MAKE) -C $(KDIR) M=$(TOP)/$(OUTPUT)/shim NPA_INCLUDE=$(TOP)/include \
		$(if $(filter 1,$(V)),V=1,-s) modules

# --- the debug kernel and the shim built for it (make check-debug) -----------
# selftests/vm/debug-kernel.sh builds the kernel once (cached, keyed by
# selftests/vm/debug.config and the source package); its key file changes
# only when it builds.
DEBUG_DIR := $(OUTPUT)/debug-kernel
DEBUG_KDIR := $(DEBUG_DIR)/build
# (outside DEBUG_DIR: worktrees may share one kernel through a symlink)
DEBUG_KO := $(OUTPUT)/debug-shim/npa.ko
# seconds per guest boot: KASAN, lockdep and kmemleak under TCG are slow
DEBUG_TIMEOUT ?= 14400
# pair_failover_cycles' VF remove/return cycles: 20 take 90 minutes there
# (make stress runs 100 on the stock kernel)
DEBUG_CYCLES ?= 4

$(DEBUG_KO): $(SHIM_SRCS) $(INCLUDES) $(DEBUG_KDIR)/.npa-key
	$(call msg,KMOD,$@)
	$(Q)mkdir -p $(@D)
	$(Q)for f in $(SHIM_SRCS); do ln -sf $(TOP)/$$f $(@D)/; done
	$(Q)$(MAKE) -C $(DEBUG_KDIR) M=$(TOP)/$(@D) NPA_INCLUDE=$(TOP)/include \
		$(if $(filter 1,$(V)),V=1,-s) modules

# --- BPF: vmlinux.h, plugins, test programs, skeletons ----------------------
VMLINUX_H := $(OUTPUT)/vmlinux.h
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_x86 -Wall -Werror \
	-I$(OUTPUT) -I$(LIBBPF_INCLUDE) -Iinclude -I/usr/include/x86_64-linux-gnu

PLUGINS := $(patsubst bpf/%.bpf.c,%,$(wildcard bpf/*.bpf.c))
PLUGIN_OBJS := $(patsubst %,$(OUTPUT)/bpf/%.bpf.o,$(PLUGINS))
# example XDP programs, for any interface
XDP_OBJS := $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$(wildcard bpf/xdp/*.bpf.c))
TEST_PROGS := $(patsubst selftests/progs/%.bpf.c,%,$(wildcard selftests/progs/*.bpf.c))
TEST_OBJS := $(patsubst %,$(OUTPUT)/selftests/progs/%.bpf.o,$(TEST_PROGS))

$(VMLINUX_H): $(BPFTOOL) | $(KDIR)/vmlinux
	$(call msg,GEN,$@)
	$(Q)$(BPFTOOL) btf dump file $(KDIR)/vmlinux format c > $@

$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) $(INCLUDES) $(LIBBPF_A)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# (test programs may include a plugin)
$(OUTPUT)/selftests/progs/%.bpf.o: selftests/progs/%.bpf.c $(VMLINUX_H) $(INCLUDES) $(LIBBPF_A) \
		$(wildcard bpf/*.bpf.c)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# (atomic fetch-and-or: BPF ISA v3)
$(OUTPUT)/selftests/progs/bench_seq.bpf.o: BPF_CFLAGS += -mcpu=v3

$(OUTPUT)/bpf/%.skel.h: $(OUTPUT)/bpf/%.bpf.o $(BPFTOOL)
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name $(subst -,_,$*) > $@

# --- userspace: npactl and test helpers --------------------------------------
USER_CFLAGS := -g -O2 -Wall -Wextra -Werror -I$(OUTPUT)/bpf -I$(LIBBPF_INCLUDE) -Iinclude
USER_LDLIBS := $(LIBBPF_A) -lelf -lz

include tools/npactl/npactl.mk

$(OUTPUT)/selftests/%: selftests/%.c $(LIBBPF_A) $(INCLUDES)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(USER_CFLAGS) $< $(USER_LDLIBS) -o $@

SELFTEST_BINS := $(patsubst selftests/%.c,$(OUTPUT)/selftests/%,$(wildcard selftests/*.c))

# The kernel's own driver tests (tools/testing/selftests/drivers/net: ping.py,
# stats.py, queues.py, hw/csum.py and its csum tool) with their Python
# library, YNL and the netlink specs, from linux-source-6.12 as the tree lays
# them out; the guest runs them against npa's interfaces
# (selftests/guest-tests.sh, test_*_kselftest).
LINUX_SOURCE_TAR ?= /usr/src/linux-source-6.12.tar.xz
KSFT_DIR := $(OUTPUT)/ksft
KSFT_SELF := $(KSFT_DIR)/tools/testing/selftests
KSFT_PATHS := tools/testing/selftests/drivers/net/*.py \
	tools/testing/selftests/drivers/net/lib/py/* \
	tools/testing/selftests/drivers/net/hw/csum.py \
	tools/testing/selftests/drivers/net/hw/lib/py/* \
	tools/testing/selftests/net/lib/py/* tools/testing/selftests/net/lib/csum.c \
	tools/testing/selftests/kselftest.h tools/net/ynl/lib/* \
	Documentation/netlink/specs/*
KSFT_CSUM := $(KSFT_SELF)/net/lib/csum

# (again when the list changes: it is in this Makefile)
$(KSFT_DIR)/.done: $(LINUX_SOURCE_TAR) Makefile
	$(call msg,TAR,$(KSFT_DIR))
	$(Q)rm -rf $(KSFT_DIR) && mkdir -p $(KSFT_DIR)
	$(Q)tar -xf $(LINUX_SOURCE_TAR) -C $(KSFT_DIR) --strip-components=1 --wildcards \
		--no-wildcards-match-slash $(addprefix 'linux-source-6.12/,$(addsuffix ',$(KSFT_PATHS)))
	$(Q)touch $@

$(KSFT_CSUM): $(KSFT_DIR)/.done
	$(call msg,CC,$@)
	$(Q)$(CC) -g -O2 -Wall -Werror -I$(KSFT_SELF) $@.c -o $@

# --- install ------------------------------------------------------------------
# make install [DESTDIR=...] [PREFIX=/usr/local]: npa.ko (kernel KVER), npactl,
# its man page and bash completion, the udev rule that loads a port's plugin
# when a function binds to npa, and the plugin objects. npactl embeds the
# plugins: the .bpf.o under $(PLUGINDIR) are for bpftool and for
# "npactl plugin load PATH". udevd (systemd 252) reads rules from
# /usr/local/lib/udev/rules.d as well as /usr/lib/udev/rules.d.
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
PLUGINDIR ?= $(PREFIX)/lib/npa
UDEVRULESDIR ?= $(PREFIX)/lib/udev/rules.d
MODDIR ?= /lib/modules/$(KVER)/extra
DKMS_VERSION := $(NPACTL_VERSION)
DKMS_SRCDIR ?= /usr/src/npa-$(DKMS_VERSION)
UDEV_RULES := udev/80-npa.rules.in

INSTALLED := $(MODDIR)/npa.ko $(SBINDIR)/npactl $(MANDIR)/man8/npactl.8 \
	$(BASHCOMPDIR)/npactl $(UDEVRULESDIR)/80-npa.rules \
	$(patsubst %,$(PLUGINDIR)/%.bpf.o,$(PLUGINS))

# depmod for the installed kernel tree, not for a staging directory
define depmod
	$(if $(DESTDIR),,$(call msg,DEPMOD,$(KVER)) depmod -a $(KVER))
endef

install: $(NPA_KO) $(NPACTL) $(PLUGIN_OBJS) $(UDEV_RULES)
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX) $(DESTDIR)$(MODDIR) $(DESTDIR)$(UDEVRULESDIR))
	$(Q)install -D -m 0644 $(NPA_KO) $(DESTDIR)$(MODDIR)/npa.ko
	$(Q)install -D -m 0755 $(NPACTL) $(DESTDIR)$(SBINDIR)/npactl
	$(Q)install -D -m 0644 $(NPACTL_MAN) $(DESTDIR)$(MANDIR)/man8/npactl.8
	$(Q)install -D -m 0644 $(NPACTL_BASH) $(DESTDIR)$(BASHCOMPDIR)/npactl
	$(Q)install -d $(DESTDIR)$(UDEVRULESDIR) $(DESTDIR)$(PLUGINDIR)
	$(Q)sed 's|@SBINDIR@|$(SBINDIR)|g' $(UDEV_RULES) > $(DESTDIR)$(UDEVRULESDIR)/80-npa.rules
	$(Q)chmod 0644 $(DESTDIR)$(UDEVRULESDIR)/80-npa.rules
	$(Q)install -m 0644 $(PLUGIN_OBJS) $(DESTDIR)$(PLUGINDIR)/
	$(Q)$(depmod)

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX) $(DESTDIR)$(MODDIR) $(DESTDIR)$(UDEVRULESDIR))
	$(Q)rm -f $(addprefix $(DESTDIR),$(INSTALLED))
	$(Q)rmdir $(DESTDIR)$(PLUGINDIR) 2>/dev/null || true
	$(Q)$(depmod)

# The source DKMS builds npa.ko from (dkms.conf): then dkms install npa/$(DKMS_VERSION)
dkms-source:
	$(call msg,INSTALL,$(DESTDIR)$(DKMS_SRCDIR))
	$(Q)install -D -m 0644 dkms.conf $(DESTDIR)$(DKMS_SRCDIR)/dkms.conf
	$(Q)install -D -m 0644 -t $(DESTDIR)$(DKMS_SRCDIR)/shim $(SHIM_SRCS)
	$(Q)install -D -m 0644 -t $(DESTDIR)$(DKMS_SRCDIR)/include $(INCLUDES)

# --- entry points -------------------------------------------------------------
.PHONY: all deps check check-debug debug-kernel demo bench stress vm vm-run checkpatch clean help \
	install uninstall dkms-source

all: $(NPA_KO) $(PLUGIN_OBJS) $(XDP_OBJS) $(NPACTL) $(TEST_OBJS) $(SELFTEST_BINS) \
	$(KSFT_DIR)/.done $(KSFT_CSUM)

deps:
	$(Q)KVER=$(KVER) scripts/deps.sh

VM_DEPS := all
include selftests/vm/vm.mk

# One test: make check T=name (a test's name as the KTAP lines print it).
check: deps
	$(Q)$(MAKE) all
	$(Q)KVER=$(KVER) selftests/check.sh "$(T)"

# The same tests on the debug kernel (KASAN, lockdep, kmemleak, DMA-API
# debugging; selftests/vm/debug.config), each guest boot ending with a
# kmemleak scan. The first run builds the kernel (long); T=name: one test.
# no5lvl: with -cpu max the guest pages in 5 levels. identify_cpu()
# clears the boot CPU's feature bits for a moment, LA57 with them, and
# KASAN then takes the direct map for memory without shadow: an interrupt
# in that window is reported as a wild access in its irq_desc lock (seen
# once in about 20 boots, at 2 s, before any npa code).
check-debug: deps
	$(Q)$(MAKE) all
	$(Q)$(MAKE) debug-kernel
	$(Q)KVER=$(KVER) NPA_CHECK_OUT=$(OUTPUT)/check-debug NPA_CHECK_KO=$(DEBUG_KO) \
		NPA_CHECK_TIMEOUT=$(DEBUG_TIMEOUT) NPA_CHECK_KMEMLEAK=1 NPA_CHECK_CYCLES=$(DEBUG_CYCLES) \
		NPA_VM_APPEND=no5lvl \
		NPA_VM_KERNEL=$(DEBUG_KDIR)/arch/x86/boot/bzImage \
		NPA_VM_MODULES=$(DEBUG_DIR)/modules/lib/modules/$$(cat $(DEBUG_KDIR)/include/config/kernel.release) \
		selftests/check.sh "$(T)"

# the debug kernel (cached) and the shim built against it
debug-kernel: deps
	$(Q)selftests/vm/debug-kernel.sh
	$(Q)$(MAKE) $(DEBUG_KO)

demo: deps
	$(Q)$(MAKE) all
	$(Q)KVER=$(KVER) selftests/vm/run.sh --ko $(NPA_KO) -- selftests/demo.sh

# npa + igbvf.bpf against in-tree igbvf on the same VF, npa + vmxnet3.bpf
# against in-tree vmxnet3 on the same vmxnet3, each plugin's load and
# attach time against the in-tree driver's probe, then the pair's failover
# against bonding's, one guest boot (about 25 min). BENCH="vf pv load
# failover" (any of them) runs those rows only; BENCH=gen the RX and
# XDP_DROP rows with the flood from outside the guest (selftests/trafgen.c,
# run.sh --gen), which the default set leaves out. ROUNDS=N: N rounds
# (default 3); GEN_PPS=N: the rate the generator offers (default 150000);
# GEN_PORTS=pv or vf: the gen rows of that function only.
bench: deps
	$(Q)$(MAKE) all
	$(Q)KVER=$(KVER) selftests/vm/run.sh -q -t 3600 --gen --ko $(NPA_KO) \
		$(if $(ROUNDS),-e NPA_BENCH_ROUNDS=$(ROUNDS)) \
		$(if $(GEN_PPS),-e NPA_GEN_PPS=$(GEN_PPS)) \
		$(if $(GEN_PORTS),-e "NPA_GEN_PORTS=$(GEN_PORTS)") -- \
		bash -c "selftests/bench.sh $(BENCH) > $(OUTPUT)/bench.txt"
	$(Q)selftests/bench-report.sh $(OUTPUT)/bench.txt igbvf

# Stress, in one guest boot (hours at the full counts): plugin swaps on
# the pair's VF under a ping (none lost), VF remove/return cycles under a
# TCP stream, rmmod/insmod cycles under a ping flood; see RELIABILITY.md.
SWAPS ?= 1000
FAILOVERS ?= 100
RMMODS ?= 50
stress: deps
	$(Q)$(MAKE) all
	$(Q)KVER=$(KVER) selftests/vm/run.sh -q -t 0 --ko $(NPA_KO) -e NPA_STRESS_SWAPS=$(SWAPS) \
		-e NPA_STRESS_FAILOVERS=$(FAILOVERS) -e NPA_STRESS_RMMODS=$(RMMODS) -- \
		bash -c "selftests/guest-tests.sh stress_swaps stress_failovers stress_rmmod \
			> $(OUTPUT)/stress.ktap 2>&1"; rc=$$?; cat $(OUTPUT)/stress.ktap; \
		[ $$rc = 0 ] && ! grep -q '^not ok' $(OUTPUT)/stress.ktap

checkpatch:
	$(Q)selftests/checkpatch.sh

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

help:
	@echo 'make            build npa.ko, the plugins, npactl and the test programs'
	@echo 'make deps       install what the build and tests need (Debian packages)'
	@echo 'make demo       boot the test guest, load the shim and a plugin per device'
	@echo 'make check      run the tests (make check T=name runs one)'
	@echo 'make check-debug  the same tests on a debug kernel (KASAN, lockdep, kmemleak,'
	@echo '                DMA-API debugging), built once under $(DEBUG_DIR) (T=name: one)'
	@echo 'make debug-kernel  only build that kernel and the shim for it'
	@echo 'make bench      npa against the in-tree driver and bonding; writes $(OUTPUT)/bench.json'
	@echo '                (BENCH="vf pv gen load failover": those rows only; ROUNDS=3,'
	@echo '                GEN_PPS=150000: what the gen rows offer, GEN_PORTS=pv|vf: one function)'
	@echo 'make stress     swaps, failovers and rmmod cycles under traffic (SWAPS=$(SWAPS)'
	@echo '                FAILOVERS=$(FAILOVERS) RMMODS=$(RMMODS))'
	@echo 'make vm         an interactive shell in the test guest'
	@echo "make vm-run CMD='...'  run a command in the test guest"
	@echo 'make install    npa.ko, npactl, man page, completion, udev rule, plugins'
	@echo '                (DESTDIR=, PREFIX=$(PREFIX); depmod unless DESTDIR is set)'
	@echo 'make uninstall  remove what make install installed'
	@echo 'make dkms-source  the DKMS source tree, $(DKMS_SRCDIR) (dkms.conf)'
	@echo 'make clean      remove $(OUTPUT)'
	@echo 'Variables: KVER=$(KVER) KDIR=$(KDIR) V=1 (verbose)'
