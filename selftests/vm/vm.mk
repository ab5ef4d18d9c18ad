# SPDX-License-Identifier: GPL-2.0
#
# selftests/vm/vm.mk - the QEMU test guest's make targets, for the top-level
# Makefile to include:
#
#   make vm                       interactive shell in the guest
#   make vm-run CMD='ip -br link' run CMD (bash -c) in the guest; its exit
#                                 status is make's
#
# Variables the including Makefile may set (before the include for VM_DEPS,
# which is a prerequisite list):
#   VM_DEPS    what to build first (e.g. the module, plugins, tools)
#   NPA_KO     module the guest loads (default .output/shim/npa.ko)
#   KVER       guest kernel version (default: run.sh's)
#   Q          "@" for quiet recipes
# On the command line: VM_FLAGS (extra run.sh options, e.g. --timeout 60,
# --quiet, --iommu).

VM_DIR := $(patsubst %/,%,$(dir $(lastword $(MAKEFILE_LIST))))
VM_RUN := $(VM_DIR)/run.sh
NPA_KO ?= .output/shim/npa.ko
VM_FLAGS ?=
# the guest kernel: the top Makefile's KVER if it has one, else run.sh's default
VM_ENV = $(if $(KVER),KVER='$(KVER)')

.PHONY: vm vm-run

vm: $(VM_DEPS)
	$(Q)$(VM_ENV) $(VM_RUN) --interactive --ko $(NPA_KO) $(VM_FLAGS)

# CMD reaches the shell through the environment, untouched by make's and
# the shell's quoting.
vm-run: export NPA_VM_CMD = $(value CMD)
vm-run: $(VM_DEPS)
	$(if $(value CMD),,$(error usage: make vm-run CMD='command'))
	$(Q)$(VM_ENV) $(VM_RUN) --ko $(NPA_KO) $(VM_FLAGS) -- bash -c "$$NPA_VM_CMD"
