/* SPDX-License-Identifier: GPL-2.0 */
/*
 * npactl internals: what the commands share (options, error reporting,
 * the port table read from sysfs, pins under bpffs, the kernel log).
 */
#ifndef _NPACTL_H
#define _NPACTL_H

#include <stdbool.h>
#include <net/if.h>
#include <stddef.h>
#include <linux/types.h>

/* npa.h declares the kfuncs for BPF programs; here they are never used. */
#ifndef __ksym
#define __ksym
#endif
#include "npa.h"

#define NPA_DRV_DIR		"/sys/bus/pci/drivers/npa"
#define PCI_DEVICES_DIR		"/sys/bus/pci/devices"
#define DEBUGFS_DIR		"/sys/kernel/debug"
#define NPA_DEBUGFS_DIR		DEBUGFS_DIR "/npa"
#define BPFFS_DIR		"/sys/fs/bpf"
#define NPA_PIN_DIR		BPFFS_DIR "/npa"
#define NET_CLASS_DIR		"/sys/class/net"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#ifndef __printf
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#endif

/* Exit status: success, failure, usage error. */
#define NPACTL_OK		0
#define NPACTL_FAIL		1
#define NPACTL_USAGE		2

extern bool json_output;
extern bool pretty_output;
extern bool verbose;

/* Error: ... on stderr (and {"error": ...} on stdout with --json) */
void p_err(const char *fmt, ...) __printf(1, 2);
/* A usage error: p_err() plus a hint to @object's help; returns NPACTL_USAGE */
int usage_err(const char *object, const char *fmt, ...) __printf(2, 3);
/* Note: ... on stderr, for what the user should know but is no error */
void p_note(const char *fmt, ...) __printf(1, 2);

/* libbpf's messages, kept until an operation fails (all shown with -v) */
void libbpf_log_reset(void);
void libbpf_log_dump(void);
bool libbpf_log_has_verifier_log(void);

/* New kernel log lines of the shim since kmsg_mark() */
int kmsg_mark(void);
void kmsg_report(int fd);

bool is_prefix(const char *arg, const char *word);
/* npactl OBJECT help (or a prefix of it), for the objects that are commands */
bool is_help(int argc, char **argv);
/* Copies @src into @dst of @size bytes, cut short if it must be. */
void copy_str(char *dst, size_t size, const char *src);
/* @s, or "-" if it is empty: an empty field of a table */
const char *or_dash(const char *s);
/* A decimal unsigned int, digits only; false if it is not one. */
bool parse_uint(const char *s, unsigned int *val);

/*
 * A table of text cells: each column as wide as its widest cell, two
 * spaces between columns, the last one not padded.
 */
#define CELL_LEN		32
void table_widen(int *w, int ncols, char cells[][CELL_LEN]);
void table_row(const int *w, int ncols, char cells[][CELL_LEN]);

/* Reads a one-line file into @buf without its new line; -errno on error. */
int read_line(const char *path, char *buf, size_t len);
/* Writes @s (a sysfs attribute's new value) to @path; -errno on error. */
int write_line(const char *path, const char *s);

struct cmd {
	const char *name;
	int (*func)(int argc, char **argv);
};

/* Runs the command argv[0] of @object (which may be abbreviated). */
int cmd_dispatch(const char *object, const struct cmd *cmds, int n, int argc,
		 char **argv);

/* Object commands: argv[0] is the command. */
int do_port(int argc, char **argv);
int do_plugin(int argc, char **argv);
/* Objects that are commands: the interfaces of PV and VF port pairs */
int do_pair(int argc, char **argv);
int do_unpair(int argc, char **argv);
int do_switch(int argc, char **argv);
/* The counters of the shim's interfaces (stats.c) */
int do_stats(int argc, char **argv);

/* An npa interface as sysfs shows it (pair.c); port id 0 is none. */
struct iface {
	char name[IFNAMSIZ];
	unsigned int pv_port;
	unsigned int vf_port;
	unsigned int active_port;
	char mode[16];
};

/*
 * IFACE as the user gives it: NPACTL_OK if it is an interface of the shim;
 * else the error is printed and the exit status returned (a usage error
 * for a name no interface can have).
 */
int iface_check(const char *cmd, const char *name);
/* Every interface that has an npa/ group, sorted by name (npa2 before npa10) */
int ifaces_read(struct iface **ifcs, int *n);

/* A port, as sysfs shows it */
struct port_prog {
	char member[16];
	unsigned int id;
};

struct port {
	unsigned int id;
	char pci[32];
	unsigned int vendor;
	unsigned int device;
	char ifname[32];	/* empty: no interface (yet) */
	char role[8];		/* "pv" or "vf"; empty if the shim does not say */
	int active;		/* carries its interface's traffic: 1, 0; -1 unknown */
	char plugin[NPA_NAME_LEN];
	char state[16];
	unsigned int link_id;
	int faults;
	int nr_progs;
	struct port_prog progs[NPA_OPS_NR_FUNCS];
};

struct port_table {
	struct port *ports;
	int n;
};

/* Is the shim loaded? Prints the error if not; -1 then. */
int shim_check(void);
/* Reads every port of the shim, sorted by id; prints an error on failure. */
int ports_read(struct port_table *t);
void ports_free(struct port_table *t);
/* PORT as the user gives it: id, PCI address or interface name */
struct port *port_find(struct port_table *t, const char *arg);
struct port *port_by_id(struct port_table *t, unsigned int id);
bool port_has_plugin(const struct port *p);
void port_prog_ids_text(const struct port *p, char *buf, size_t len);
void port_prog_ids_json(const struct port *p);

/* A link pinned by npactl, /sys/fs/bpf/npa/port<ID> */
struct pin {
	bool exists;
	unsigned int link_id;
	/* the plugin's name as its map holds it; empty if detached */
	char name[NPA_NAME_LEN];
};

void pin_path(unsigned int port_id, char *buf, size_t len);
/* Fills @pin; returns 0, or -errno if the pin exists but cannot be read. */
int pin_read(unsigned int port_id, struct pin *pin);
/* Is the pin of @p the link that attaches its plugin right now? */
bool pin_is_current(const struct port *p, const struct pin *pin);

/*
 * Load-time settings of a plugin: const volatile integer globals of its
 * .rodata, found through its BTF (settings.c).
 */
struct setting {
	char name[64];
	char type[32];		/* __u32, int, ... as the plugin declares it */
	__u32 off;		/* in .rodata */
	__u32 size;
	bool is_signed;
	bool is_bool;
	__u64 value;		/* sign-extended if signed */
};

struct settings {
	int n;
	struct setting *v;
};

/* "set NAME=VALUE" as given, its syntax checked */
struct setting_arg {
	const char *arg;
	size_t name_len;
	const char *value;
	__u64 val;
	bool neg;
	bool erange;		/* beyond 64 bits */
};

/* Checks NAME=VALUE; a usage error (NPACTL_USAGE) if malformed. */
int setting_arg_parse(const char *cmd, const char *arg, struct setting_arg *sa);
/* The settings of an opened object, with the values it will be loaded with */
struct bpf_object;
int obj_settings(struct bpf_object *obj, struct settings *ss);
/* Writes @args into @obj's .rodata; prints the error if one is wrong. */
int settings_apply(struct bpf_object *obj, const char *plugin,
		   const struct setting_arg *args, int n);
/* The settings a port's plugin was loaded with; -ENOENT if not known */
int port_settings(const struct port *p, struct settings *ss);
void settings_free(struct settings *ss);
/* "name=value name=value", or "-" if none */
void settings_text(const struct settings *ss, char *buf, size_t len);
void setting_value_text(const struct setting *s, char *buf, size_t len);
/* @key: {"name": value, ...}, or null if @ss is NULL */
void settings_json(const char *key, const struct settings *ss);
/* npactl plugin settings: the table (or JSON) of @ss */
void settings_table(const char *plugin, const struct settings *ss);

#endif /* _NPACTL_H */
