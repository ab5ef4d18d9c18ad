// SPDX-License-Identifier: GPL-2.0
/*
 * npactl port: the ports of the shim as sysfs shows them
 * (/sys/bus/pci/drivers/npa/<bdf>/npa/), with what the plugin published
 * in debugfs (/sys/kernel/debug/npa/<bdf>/info).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "json.h"
#include "npactl.h"

#ifndef DEBUGFS_MAGIC
#define DEBUGFS_MAGIC	0x64626720
#endif

static int read_npa_attr(const char *bdf, const char *attr, char *buf, size_t len)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), NPA_DRV_DIR "/%s/npa/%s", bdf, attr);
	return read_line(path, buf, len);
}

static int read_uint(const char *path, unsigned int *val, int base)
{
	char buf[64], *end;
	unsigned long v;
	int err;

	err = read_line(path, buf, sizeof(buf));
	if (err)
		return err;
	errno = 0;
	v = strtoul(buf, &end, base);
	if (errno || end == buf || *end || v > UINT_MAX)
		return -EINVAL;
	*val = v;
	return 0;
}

/* "probe=7 remove=9": the members that are set, with their program ids */
static void parse_prog_ids(struct port *p, char *s)
{
	char *tok, *save = NULL, *eq;

	p->nr_progs = 0;
	for (tok = strtok_r(s, " ", &save); tok && p->nr_progs < NPA_OPS_NR_FUNCS;
	     tok = strtok_r(NULL, " ", &save)) {
		struct port_prog *pp = &p->progs[p->nr_progs];

		eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = '\0';
		copy_str(pp->member, sizeof(pp->member), tok);
		pp->id = strtoul(eq + 1, NULL, 10);
		p->nr_progs++;
	}
}

static int port_read(const char *bdf, struct port *p)
{
	char path[PATH_MAX], buf[256];
	int err;

	memset(p, 0, sizeof(*p));
	copy_str(p->pci, sizeof(p->pci), bdf);

	err = read_npa_attr(bdf, "port_id", buf, sizeof(buf));
	if (err)
		return err;
	p->id = strtoul(buf, NULL, 10);
	if (!read_npa_attr(bdf, "ifname", buf, sizeof(buf)))
		copy_str(p->ifname, sizeof(p->ifname), buf);
	if (!read_npa_attr(bdf, "role", buf, sizeof(buf)))
		copy_str(p->role, sizeof(p->role), buf);
	p->active = -1;
	if (!read_npa_attr(bdf, "active", buf, sizeof(buf)))
		p->active = !strcmp(buf, "1");
	if (!read_npa_attr(bdf, "plugin", buf, sizeof(buf)))
		copy_str(p->plugin, sizeof(p->plugin), buf);
	if (!read_npa_attr(bdf, "state", buf, sizeof(buf)))
		copy_str(p->state, sizeof(p->state), buf);
	if (!read_npa_attr(bdf, "link_id", buf, sizeof(buf)))
		p->link_id = strtoul(buf, NULL, 10);
	if (!read_npa_attr(bdf, "faults", buf, sizeof(buf)))
		p->faults = strtol(buf, NULL, 10);
	if (!read_npa_attr(bdf, "prog_ids", buf, sizeof(buf)))
		parse_prog_ids(p, buf);

	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/vendor", bdf);
	read_uint(path, &p->vendor, 16);
	snprintf(path, sizeof(path), PCI_DEVICES_DIR "/%s/device", bdf);
	read_uint(path, &p->device, 16);
	return 0;
}

static int port_cmp(const void *a, const void *b)
{
	const struct port *pa = a, *pb = b;

	return pa->id < pb->id ? -1 : pa->id > pb->id;
}

static void shim_err(int err)
{
	if (err == ENOENT)
		p_err("the npa shim is not loaded (no %s): insmod npa.ko first",
		      NPA_DRV_DIR);
	else
		p_err("cannot read %s: %s", NPA_DRV_DIR, strerror(err));
}

int shim_check(void)
{
	if (!access(NPA_DRV_DIR, F_OK))
		return 0;
	shim_err(errno);
	return -1;
}

int ports_read(struct port_table *t)
{
	struct dirent *de;
	struct port *p;
	DIR *dir;

	t->ports = NULL;
	t->n = 0;
	dir = opendir(NPA_DRV_DIR);
	if (!dir) {
		shim_err(errno);
		return -1;
	}
	while ((de = readdir(dir))) {
		/* the bound functions, as links named by PCI address */
		if (!strchr(de->d_name, ':'))
			continue;
		p = realloc(t->ports, (t->n + 1) * sizeof(*p));
		if (!p) {
			closedir(dir);
			p_err("out of memory");
			return -1;
		}
		t->ports = p;
		/* A function being unbound right now vanishes: skip it. */
		if (port_read(de->d_name, &t->ports[t->n]))
			continue;
		t->n++;
	}
	closedir(dir);
	if (t->n)
		qsort(t->ports, t->n, sizeof(*t->ports), port_cmp);
	return 0;
}

void ports_free(struct port_table *t)
{
	free(t->ports);
	t->ports = NULL;
	t->n = 0;
}

/* 00:04.0 means 0000:00:04.0, as lspci writes it */
static bool pci_match(const char *pci, const char *arg)
{
	const char *c1 = strchr(arg, ':');

	if (c1 && !strchr(c1 + 1, ':'))
		return !strncmp(pci, "0000:", 5) && !strcasecmp(pci + 5, arg);
	return !strcasecmp(pci, arg);
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

struct port *port_by_id(struct port_table *t, unsigned int id)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (t->ports[i].id == id)
			return &t->ports[i];
	return NULL;
}

/* A pair's PV and VF ports share its interface: its name names the PV port. */
static struct port *port_by_ifname(struct port_table *t, const char *name)
{
	struct port *found = NULL;
	int i;

	for (i = 0; i < t->n; i++) {
		if (strcmp(t->ports[i].ifname, name))
			continue;
		if (!found || !strcmp(t->ports[i].role, "pv"))
			found = &t->ports[i];
	}
	return found;
}

struct port *port_find(struct port_table *t, const char *arg)
{
	unsigned int id;
	int i;

	if (!*arg)	/* would match the ports without an interface */
		return NULL;
	if (all_digits(arg))
		return parse_uint(arg, &id) ? port_by_id(t, id) : NULL;
	if (!strchr(arg, ':'))
		return port_by_ifname(t, arg);
	for (i = 0; i < t->n; i++)
		if (pci_match(t->ports[i].pci, arg))
			return &t->ports[i];
	return NULL;
}

bool port_has_plugin(const struct port *p)
{
	return p->plugin[0] != '\0';
}

void port_prog_ids_text(const struct port *p, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < p->nr_progs && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s=%u", i ? " " : "",
				p->progs[i].member, p->progs[i].id);
	if (!p->nr_progs)
		snprintf(buf, len, "-");
}

void port_prog_ids_json(const struct port *p)
{
	int i;

	jw_key("prog_ids");
	jw_object_begin();
	for (i = 0; i < p->nr_progs; i++)
		jw_kv_uint(p->progs[i].member, p->progs[i].id);
	jw_object_end();
}

static const char *port_active_text(const struct port *p)
{
	return p->active < 0 ? "-" : p->active ? "yes" : "no";
}

static void port_json(const struct port *p)
{
	char id[8];

	jw_kv_uint("id", p->id);
	jw_kv_string("pci", p->pci);
	snprintf(id, sizeof(id), "0x%04x", p->vendor);
	jw_kv_string("vendor", id);
	snprintf(id, sizeof(id), "0x%04x", p->device);
	jw_kv_string("device", id);
	jw_kv_string_or_null("ifname", p->ifname);
	jw_kv_string_or_null("role", p->role);
	jw_key("active");
	if (p->active < 0)
		jw_null();
	else
		jw_bool(p->active);
	jw_kv_string_or_null("plugin", p->plugin);
	jw_kv_string("state", p->state);
	jw_kv_uint("link_id", p->link_id);
	port_prog_ids_json(p);
	jw_kv_int("faults", p->faults);
}

/* --- port list ---------------------------------------------------------------- */

static int port_list(int argc, char **argv)
{
	int w_id = 2, w_pci = 3, w_if = 6, w_plugin = 6, i;
	struct port_table t;

	(void)argv;
	if (argc)
		return usage_err("port", "port list takes no arguments");
	if (ports_read(&t))
		return NPACTL_FAIL;

	if (json_output) {
		jw_array_begin();
		for (i = 0; i < t.n; i++) {
			jw_object_begin();
			port_json(&t.ports[i]);
			jw_object_end();
		}
		jw_array_end();
		jw_finish();
		ports_free(&t);
		return NPACTL_OK;
	}

	for (i = 0; i < t.n; i++) {
		const struct port *p = &t.ports[i];
		int n = snprintf(NULL, 0, "%u", p->id);

		w_id = n > w_id ? n : w_id;
		n = strlen(p->pci);
		w_pci = n > w_pci ? n : w_pci;
		n = strlen(or_dash(p->ifname));
		w_if = n > w_if ? n : w_if;
		n = strlen(p->plugin);
		w_plugin = n > w_plugin ? n : w_plugin;
	}
	if (t.n)
		printf("%-*s  %-*s  %-13s  %-*s  %-*s  %-8s  %-4s  %s\n", w_id, "ID",
		       w_pci, "PCI", "VENDOR:DEVICE", w_if, "IFNAME", w_plugin, "PLUGIN",
		       "STATE", "ROLE", "ACTIVE");
	for (i = 0; i < t.n; i++) {
		const struct port *p = &t.ports[i];

		printf("%-*u  %-*s  %04x:%04x      %-*s  %-*s  %-8s  %-4s  %s\n", w_id,
		       p->id, w_pci, p->pci, p->vendor, p->device, w_if, or_dash(p->ifname),
		       w_plugin, or_dash(p->plugin), p->state, or_dash(p->role),
		       port_active_text(p));
	}
	ports_free(&t);
	return NPACTL_OK;
}

/* --- port show ----------------------------------------------------------------- */

struct info_kv {
	char key[64];
	char val[192];
};

/* Keys of the debugfs file that sysfs shows already */
static bool info_key_dup(const char *key)
{
	static const char * const dups[] = {
		"port", "pci", "ifname", "role", "plugin", "state", "link_id", "faults",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(dups); i++)
		if (!strcmp(key, dups[i]))
			return true;
	return false;
}

/* Mounts debugfs if it is not; false (and a warning) if it cannot be read. */
static bool debugfs_ready(void)
{
	struct statfs st;

	if (!statfs(DEBUGFS_DIR, &st) && st.f_type == DEBUGFS_MAGIC)
		return true;
	if (!mount("debugfs", DEBUGFS_DIR, "debugfs", 0, NULL))
		return true;
	fprintf(stderr,
		"Warning: debugfs is not mounted at %s and mounting it failed (%s):\n"
		"         the plugin's facts and the device counters are not shown;\n"
		"         mount -t debugfs none %s shows them\n",
		DEBUGFS_DIR, strerror(errno), DEBUGFS_DIR);
	return false;
}

/* The "key: value" lines of /sys/kernel/debug/npa/<bdf>/info */
static int info_read(const char *bdf, struct info_kv **kvs, int *n)
{
	char path[PATH_MAX], line[512];
	struct info_kv *kv;
	FILE *f;

	*kvs = NULL;
	*n = 0;
	snprintf(path, sizeof(path), NPA_DEBUGFS_DIR "/%s/info", bdf);
	f = fopen(path, "re");
	if (!f) {
		fprintf(stderr, "Warning: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *sep = strstr(line, ": ");

		line[strcspn(line, "\n")] = '\0';
		if (!sep)
			continue;
		*sep = '\0';
		kv = realloc(*kvs, (*n + 1) * sizeof(*kv));
		if (!kv)
			break;
		*kvs = kv;
		copy_str(kv[*n].key, sizeof(kv[*n].key), line);
		copy_str(kv[*n].val, sizeof(kv[*n].val), sep + 2);
		(*n)++;
	}
	fclose(f);
	return 0;
}

static void info_value_json(const char *val)
{
	if (all_digits(val) && strlen(val) < 16)
		jw_uint(strtoull(val, NULL, 10));
	else
		jw_string(val);
}

static void port_show_json(const struct port *p, const char *pinned,
			   const struct settings *ss,
			   struct info_kv *kvs, int n, bool have_info)
{
	int i;

	jw_object_begin();
	port_json(p);
	jw_kv_string_or_null("pinned", pinned);
	settings_json("settings", ss);
	jw_key("info");
	if (have_info) {
		jw_object_begin();
		for (i = 0; i < n; i++)
			if (strncmp(kvs[i].key, "fact.", 5) && !info_key_dup(kvs[i].key)) {
				jw_key(kvs[i].key);
				info_value_json(kvs[i].val);
			}
		jw_object_end();
	} else {
		jw_null();
	}
	jw_key("facts");
	if (have_info) {
		jw_object_begin();
		for (i = 0; i < n; i++)
			if (!strncmp(kvs[i].key, "fact.", 5))
				jw_kv_string(kvs[i].key + 5, kvs[i].val);
		jw_object_end();
	} else {
		jw_null();
	}
	jw_object_end();
	jw_finish();
}

#define SHOW_KEY_WIDTH	16

static void show_line(const char *key, const char *val)
{
	printf("\t%-*s %s\n", SHOW_KEY_WIDTH, key, val);
}

static void port_show_text(const struct port *p, const char *pinned,
			   const struct settings *ss,
			   struct info_kv *kvs, int n, bool have_info)
{
	char buf[256];
	int i, facts = 0;

	printf("port %u\n", p->id);
	show_line("pci", p->pci);
	snprintf(buf, sizeof(buf), "%04x:%04x", p->vendor, p->device);
	show_line("vendor:device", buf);
	show_line("ifname", or_dash(p->ifname));
	show_line("role", or_dash(p->role));
	show_line("active", port_active_text(p));
	show_line("plugin", or_dash(p->plugin));
	show_line("state", p->state);
	snprintf(buf, sizeof(buf), "%u", p->link_id);
	show_line("link_id", buf);
	port_prog_ids_text(p, buf, sizeof(buf));
	show_line("prog_ids", buf);
	show_line("pinned", pinned ? pinned : "-");
	if (ss)
		settings_text(ss, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "-");
	show_line("settings", buf);
	snprintf(buf, sizeof(buf), "%d", p->faults);
	show_line("faults", buf);
	if (!have_info)
		return;
	for (i = 0; i < n; i++) {
		if (!strncmp(kvs[i].key, "fact.", 5))
			facts++;
		else if (!info_key_dup(kvs[i].key))
			show_line(kvs[i].key, kvs[i].val);
	}
	if (!facts)
		return;
	printf("\tfacts\n");
	for (i = 0; i < n; i++)
		if (!strncmp(kvs[i].key, "fact.", 5))
			printf("\t  %-*s %s\n", SHOW_KEY_WIDTH - 2, kvs[i].key + 5,
			       kvs[i].val);
}

static int port_show(int argc, char **argv)
{
	char pinned[PATH_MAX];
	struct info_kv *kvs = NULL;
	bool have_info = false, have_settings = false;
	struct settings ss = {};
	struct port_table t;
	struct pin pin;
	struct port *p;
	int n = 0;

	if (argc < 1)
		return usage_err("port", "port show needs a PORT");
	if (argc > 1)
		return usage_err("port", "unexpected argument '%s'", argv[1]);
	if (ports_read(&t))
		return NPACTL_FAIL;
	p = port_find(&t, argv[0]);
	if (!p) {
		p_err("no port '%s' (npactl port list shows them)", argv[0]);
		ports_free(&t);
		return NPACTL_FAIL;
	}
	pin_path(p->id, pinned, sizeof(pinned));
	if (pin_read(p->id, &pin) || !pin_is_current(p, &pin))
		pinned[0] = '\0';
	if (port_has_plugin(p))
		have_settings = !port_settings(p, &ss);
	if (debugfs_ready())
		have_info = !info_read(p->pci, &kvs, &n);

	if (json_output)
		port_show_json(p, pinned[0] ? pinned : NULL, have_settings ? &ss : NULL,
			       kvs, n, have_info);
	else
		port_show_text(p, pinned[0] ? pinned : NULL, have_settings ? &ss : NULL,
			       kvs, n, have_info);
	settings_free(&ss);
	free(kvs);
	ports_free(&t);
	return NPACTL_OK;
}

static int port_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: npactl [OPTIONS] port list\n"
	       "       npactl [OPTIONS] port show PORT\n"
	       "       npactl port help\n"
	       "\n"
	       "       PORT := { ID | PCI address (0000:00:04.0, 00:04.0) | interface name }\n"
	       "\n"
	       "list: every port of the shim: ID PCI VENDOR:DEVICE IFNAME PLUGIN STATE\n"
	       "      ROLE (pv or vf) ACTIVE (whether it carries its interface's traffic).\n"
	       "show: one port, with the facts its plugin published (from debugfs).\n");
	return NPACTL_OK;
}

static const struct cmd port_cmds[] = {
	{ "list",	port_list },
	{ "show",	port_show },
	{ "help",	port_help },
};

int do_port(int argc, char **argv)
{
	return cmd_dispatch("port", port_cmds, ARRAY_SIZE(port_cmds), argc, argv);
}
