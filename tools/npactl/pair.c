// SPDX-License-Identifier: GPL-2.0
/*
 * npactl pair, unpair, switch: the interfaces of the shim
 * (/sys/class/net/<ifname>/npa/), each with a PV port and, paired with it,
 * a VF port. Which of the two carries the traffic is the kernel's choice,
 * by the interface's mode: auto (the VF port when its plugin is attached
 * and its link is up, else the PV port) or pv (the PV port).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"
#include "npactl.h"

/* /sys/class/net/<name>/npa, or a file of it if @attr */
static void iface_path(const char *name, const char *attr, char *buf, size_t len)
{
	snprintf(buf, len, NET_CLASS_DIR "/%s/npa%s%s", name, attr ? "/" : "",
		 attr ? attr : "");
}

/* As the kernel's dev_valid_name(): also keeps IFACE inside the path. */
static bool ifname_valid(const char *s)
{
	return *s && strlen(s) < IFNAMSIZ && strcmp(s, ".") && strcmp(s, "..") &&
	       !strpbrk(s, "/: \t\n");
}

/* A port id attribute: a number, or an empty line for none */
static int read_port_attr(const char *name, const char *attr, unsigned int *id)
{
	char path[PATH_MAX], buf[32];
	int err;

	iface_path(name, attr, path, sizeof(path));
	err = read_line(path, buf, sizeof(buf));
	if (err)
		return err;
	*id = 0;
	if (buf[0] && !parse_uint(buf, id))
		return -EINVAL;
	return 0;
}

static int iface_read(const char *name, struct iface *ifc)
{
	char path[PATH_MAX];
	int err;

	memset(ifc, 0, sizeof(*ifc));
	copy_str(ifc->name, sizeof(ifc->name), name);
	err = read_port_attr(name, "pv_port", &ifc->pv_port);
	if (!err)
		err = read_port_attr(name, "vf_port", &ifc->vf_port);
	if (!err)
		err = read_port_attr(name, "active_port", &ifc->active_port);
	if (err)
		return err;
	iface_path(name, "mode", path, sizeof(path));
	return read_line(path, ifc->mode, sizeof(ifc->mode));
}

/* iface_read(), with the error printed */
static int iface_load(const char *name, struct iface *ifc)
{
	char path[PATH_MAX];
	int err = iface_read(name, ifc);

	if (err) {
		iface_path(name, NULL, path, sizeof(path));
		p_err("cannot read %s: %s", path, strerror(-err));
	}
	return err;
}

int iface_check(const char *cmd, const char *name)
{
	char path[PATH_MAX];

	if (!ifname_valid(name))
		return usage_err(cmd, "%s: '%s' is not an interface name", cmd, name);
	snprintf(path, sizeof(path), NET_CLASS_DIR "/%s", name);
	if (access(path, F_OK)) {
		p_err("no interface '%s'", name);
		return NPACTL_FAIL;
	}
	iface_path(name, NULL, path, sizeof(path));
	if (access(path, F_OK)) {
		p_err("%s is not an npa interface (no %s)", name, path);
		return NPACTL_FAIL;
	}
	return NPACTL_OK;
}

/* IFACE as the user gives it: NPACTL_OK and @ifc filled, or the exit status */
static int iface_open(const char *cmd, const char *name, struct iface *ifc)
{
	int ret = iface_check(cmd, name);

	if (ret)
		return ret;
	return iface_load(name, ifc) ? NPACTL_FAIL : NPACTL_OK;
}

static int iface_write(const char *name, const char *attr, const char *val)
{
	char path[PATH_MAX];

	iface_path(name, attr, path, sizeof(path));
	return write_line(path, val);
}

/* A copy of port @id as sysfs shows it now; -ENODEV if there is none */
static int port_get(unsigned int id, struct port *p)
{
	struct port_table t;
	struct port *found;

	if (ports_read(&t))
		return -EIO;
	found = port_by_id(&t, id);
	if (found)
		*p = *found;
	ports_free(&t);
	return found ? 0 : -ENODEV;
}

/* --- output ------------------------------------------------------------------- */

/* "pv" or "vf": which of the interface's ports carries its traffic */
static const char *iface_active_role(const struct iface *ifc)
{
	if (!ifc->active_port)
		return NULL;
	if (ifc->active_port == ifc->pv_port)
		return "pv";
	if (ifc->active_port == ifc->vf_port)
		return "vf";
	return NULL;
}

static void jw_kv_port_id(const char *key, unsigned int id)
{
	jw_key(key);
	if (id)
		jw_uint(id);
	else
		jw_null();
}

static void iface_json_members(const struct iface *ifc)
{
	jw_kv_string("ifname", ifc->name);
	jw_kv_port_id("pv_port", ifc->pv_port);
	jw_kv_port_id("vf_port", ifc->vf_port);
	jw_kv_port_id("active_port", ifc->active_port);
	jw_kv_string_or_null("active", iface_active_role(ifc));
	jw_kv_string("mode", ifc->mode);
}

static void iface_json(const struct iface *ifc)
{
	jw_object_begin();
	iface_json_members(ifc);
	jw_object_end();
}

static const char *port_id_text(unsigned int id, char *buf, size_t len)
{
	if (id)
		snprintf(buf, len, "%u", id);
	else
		snprintf(buf, len, "-");
	return buf;
}

/* "3 (vf)": the active port and its role; "-" if none */
static const char *active_text(const struct iface *ifc, char *buf, size_t len)
{
	const char *role = iface_active_role(ifc);

	if (role)
		snprintf(buf, len, "%u (%s)", ifc->active_port, role);
	else
		port_id_text(ifc->active_port, buf, len);
	return buf;
}

/* npa0: active port 3 (vf); pv port 1, vf port 3, mode auto */
static void iface_status_text(const struct iface *ifc)
{
	char active[32], pv[16], vf[16];

	if (ifc->active_port)
		printf("%s: active port %s; ", ifc->name,
		       active_text(ifc, active, sizeof(active)));
	else
		printf("%s: no active port; ", ifc->name);
	printf("pv port %s, vf port %s, mode %s\n",
	       port_id_text(ifc->pv_port, pv, sizeof(pv)),
	       port_id_text(ifc->vf_port, vf, sizeof(vf)), ifc->mode);
}

static void iface_status(const struct iface *ifc)
{
	if (json_output) {
		iface_json(ifc);
		jw_finish();
	} else {
		iface_status_text(ifc);
	}
}

/* --- pair list -------------------------------------------------------------- */

static int iface_cmp(const void *a, const void *b)
{
	const struct iface *ia = a, *ib = b;

	return strverscmp(ia->name, ib->name);
}

int ifaces_read(struct iface **ifcs, int *n)
{
	char path[PATH_MAX];
	struct iface *v;
	struct dirent *de;
	DIR *dir;

	*ifcs = NULL;
	*n = 0;
	dir = opendir(NET_CLASS_DIR);
	if (!dir) {
		p_err("cannot read %s: %s", NET_CLASS_DIR, strerror(errno));
		return -1;
	}
	while ((de = readdir(dir))) {
		if (!ifname_valid(de->d_name))
			continue;
		iface_path(de->d_name, NULL, path, sizeof(path));
		if (access(path, F_OK))
			continue;
		v = realloc(*ifcs, (*n + 1) * sizeof(*v));
		if (!v)
			break;
		*ifcs = v;
		/* An interface going away right now: skip it. */
		if (!iface_read(de->d_name, &v[*n]))
			(*n)++;
	}
	closedir(dir);
	if (*n)
		qsort(*ifcs, *n, sizeof(**ifcs), iface_cmp);
	return 0;
}

#define PAIR_COLS	5

static void pair_row(const struct iface *ifc, char cells[PAIR_COLS][CELL_LEN])
{
	copy_str(cells[0], CELL_LEN, ifc->name);
	port_id_text(ifc->pv_port, cells[1], CELL_LEN);
	port_id_text(ifc->vf_port, cells[2], CELL_LEN);
	active_text(ifc, cells[3], CELL_LEN);
	copy_str(cells[4], CELL_LEN, ifc->mode);
}

static void pair_table(const struct iface *ifcs, int n)
{
	char head[PAIR_COLS][CELL_LEN] = { "IFNAME", "PV", "VF", "ACTIVE", "MODE" };
	char cells[PAIR_COLS][CELL_LEN];
	int w[PAIR_COLS] = {}, i;

	if (!n)
		return;
	table_widen(w, PAIR_COLS, head);
	for (i = 0; i < n; i++) {
		pair_row(&ifcs[i], cells);
		table_widen(w, PAIR_COLS, cells);
	}
	table_row(w, PAIR_COLS, head);
	for (i = 0; i < n; i++) {
		pair_row(&ifcs[i], cells);
		table_row(w, PAIR_COLS, cells);
	}
}

static int pair_list(void)
{
	struct iface *ifcs;
	int i, n;

	if (shim_check() || ifaces_read(&ifcs, &n))
		return NPACTL_FAIL;
	if (json_output) {
		jw_array_begin();
		for (i = 0; i < n; i++)
			iface_json(&ifcs[i]);
		jw_array_end();
		jw_finish();
	} else {
		pair_table(ifcs, n);
	}
	free(ifcs);
	return NPACTL_OK;
}

/* --- pair, unpair -------------------------------------------------------------- */

/* EINVAL: not a VF port, or an interface without a PV port */
static void einval_why(const struct iface *ifc, const struct port *p, char *why,
		       size_t len)
{
	if (strcmp(p->role, "vf"))
		snprintf(why, len, "port %u is not a VF port", p->id);
	else if (!ifc->pv_port)
		snprintf(why, len, "the interface has no PV port");
	else
		snprintf(why, len, "port %u is not a VF port, or the interface has no PV port",
			 p->id);
}

/* EBUSY: the interface has a VF port, or the VF port is in a pair */
static void ebusy_why(const struct iface *ifc, const struct port *p, char *why,
		      size_t len)
{
	if (ifc->vf_port)
		snprintf(why, len, "the interface has VF port %u already", ifc->vf_port);
	else if (p->ifname[0])
		snprintf(why, len, "port %u is paired with %s already", p->id, p->ifname);
	else
		snprintf(why, len, "port %u is in a pair already", p->id);
}

/* Why the kernel refused to pair @p with @ifc (its state before the write) */
static void pair_err(const struct iface *ifc, const struct port *p, int err)
{
	char why[128];

	switch (err) {
	case ENODEV:
		snprintf(why, sizeof(why), "no port %u", p->id);
		break;
	case EINVAL:
		einval_why(ifc, p, why, sizeof(why));
		break;
	case EBUSY:
		ebusy_why(ifc, p, why, sizeof(why));
		break;
	case EPERM:
		snprintf(why, sizeof(why), "the VF's device refused the MAC address");
		break;
	case EOPNOTSUPP:
		snprintf(why, sizeof(why), "the VF's plugin cannot change the MAC address");
		break;
	default:
		snprintf(why, sizeof(why), "cannot pair port %u", p->id);
	}
	p_err("%s: %s (%s)", ifc->name, why, strerror(err));
}

/* After pair or unpair: the interface, and where VF port @id is now */
static int pair_report(const char *name, unsigned int id, bool paired)
{
	struct port p = {};
	struct iface ifc;

	if (iface_load(name, &ifc))
		return NPACTL_FAIL;
	port_get(id, &p);
	if (json_output) {
		jw_object_begin();
		iface_json_members(&ifc);
		jw_kv_uint("port", id);
		jw_kv_string_or_null("port_ifname", p.ifname);
		jw_object_end();
		jw_finish();
		return NPACTL_OK;
	}
	if (paired)
		printf("port %u (%s) paired with %s\n", id, or_dash(p.pci), name);
	else if (p.ifname[0])
		printf("port %u (%s) left %s, its interface is %s\n", id,
		       or_dash(p.pci), name, p.ifname);
	else
		printf("port %u (%s) left %s, it has no interface yet\n", id,
		       or_dash(p.pci), name);
	iface_status_text(&ifc);
	return NPACTL_OK;
}

static int pair_add(const char *name, const char *port_arg)
{
	struct port_table t;
	struct iface ifc;
	struct port *p;
	char val[16];
	int ret, err;

	ret = iface_open("pair", name, &ifc);
	if (ret)
		return ret;
	if (ports_read(&t))
		return NPACTL_FAIL;
	p = port_find(&t, port_arg);
	if (!p) {
		p_err("no port '%s' (npactl port list shows them)", port_arg);
		ports_free(&t);
		return NPACTL_FAIL;
	}
	snprintf(val, sizeof(val), "%u\n", p->id);
	err = iface_write(name, "vf_port", val);
	if (err)
		pair_err(&ifc, p, -err);
	else
		ret = pair_report(name, p->id, true);
	ports_free(&t);
	return err ? NPACTL_FAIL : ret;
}

static int unpair_iface(const char *name)
{
	struct iface ifc;
	int ret, err;

	ret = iface_open("unpair", name, &ifc);
	if (ret)
		return ret;
	if (!ifc.vf_port) {
		p_err("%s has no VF port", name);
		return NPACTL_FAIL;
	}
	err = iface_write(name, "vf_port", "0\n");
	if (err) {
		p_err("%s: cannot unpair VF port %u (%s)", name, ifc.vf_port,
		      strerror(-err));
		return NPACTL_FAIL;
	}
	return pair_report(name, ifc.vf_port, false);
}

/* --- switch ------------------------------------------------------------------- */

/* switch vf left the traffic elsewhere: say why, and where it is */
static void vf_not_ready(const struct iface *ifc)
{
	char why[64], where[64];
	struct port p;

	if (!ifc->vf_port)
		snprintf(why, sizeof(why), "%s has no VF port", ifc->name);
	else if (!port_get(ifc->vf_port, &p) && !port_has_plugin(&p))
		snprintf(why, sizeof(why), "VF port %u has no plugin", ifc->vf_port);
	else
		snprintf(why, sizeof(why), "the link of VF port %u is down", ifc->vf_port);
	if (ifc->active_port && ifc->active_port == ifc->pv_port)
		snprintf(where, sizeof(where), "stays on its PV port %u", ifc->pv_port);
	else if (ifc->active_port)
		snprintf(where, sizeof(where), "stays on port %u", ifc->active_port);
	else
		snprintf(where, sizeof(where), "has no active port");
	p_err("%s: the VF port is not ready: %s; %s %s (mode %s)", ifc->name, why,
	      ifc->name, where, ifc->mode);
}

static int switch_to(const char *name, const char *to)
{
	bool vf = !strcmp(to, "vf");
	struct iface ifc;
	int ret, err;

	ret = iface_open("switch", name, &ifc);
	if (ret)
		return ret;
	err = iface_write(name, "mode", strcmp(to, "pv") ? "auto\n" : "pv\n");
	if (err) {
		p_err("%s: cannot set mode %s (%s)", name, strcmp(to, "pv") ? "auto" : "pv",
		      strerror(-err));
		return NPACTL_FAIL;
	}
	if (iface_load(name, &ifc))
		return NPACTL_FAIL;
	if (vf && (!ifc.vf_port || ifc.active_port != ifc.vf_port)) {
		vf_not_ready(&ifc);
		return NPACTL_FAIL;
	}
	iface_status(&ifc);
	return NPACTL_OK;
}

/* --- dispatch ------------------------------------------------------------------ */

static int pair_help(void)
{
	printf("Usage: npactl [OPTIONS] pair [list]\n"
	       "       npactl [OPTIONS] pair IFACE PORT\n"
	       "       npactl [OPTIONS] unpair IFACE\n"
	       "       npactl [OPTIONS] switch IFACE { pv | vf | auto }\n"
	       "       npactl { pair | unpair | switch } help\n"
	       "\n"
	       "       IFACE := an interface of the shim (npa0)\n"
	       "       PORT  := { ID | PCI address (0000:00:04.0, 00:04.0) | interface name }\n"
	       "\n"
	       "pair list: every npa interface: IFNAME PV VF ACTIVE MODE (its PV port, its\n"
	       "           VF port, the port that carries its traffic, pv or auto).\n"
	       "pair:      pair VF port PORT with IFACE: the VF's own interface goes away,\n"
	       "           the VF takes IFACE's MAC address.\n"
	       "unpair:    the VF port leaves IFACE and gets an interface of its own.\n"
	       "switch:    pv: the PV port carries IFACE's traffic. auto: the VF port does\n"
	       "           when its plugin is attached and its link is up, else the PV\n"
	       "           port. vf: auto, and an error if the VF port does not carry the\n"
	       "           traffic right after.\n");
	return NPACTL_OK;
}

int do_pair(int argc, char **argv)
{
	if (!argc || (argc == 1 && is_prefix(argv[0], "list")))
		return pair_list();
	if (is_help(argc, argv))
		return pair_help();
	if (!strcmp(argv[0], "list"))
		return usage_err("pair", "pair list takes no arguments");
	if (argc < 2)
		return usage_err("pair", "pair needs IFACE and PORT");
	if (argc > 2)
		return usage_err("pair", "unexpected argument '%s'", argv[2]);
	return pair_add(argv[0], argv[1]);
}

int do_unpair(int argc, char **argv)
{
	if (is_help(argc, argv))
		return pair_help();
	if (argc < 1)
		return usage_err("unpair", "unpair needs an IFACE");
	if (argc > 1)
		return usage_err("unpair", "unexpected argument '%s'", argv[1]);
	return unpair_iface(argv[0]);
}

int do_switch(int argc, char **argv)
{
	if (is_help(argc, argv))
		return pair_help();
	if (argc < 2)
		return usage_err("switch", "switch needs IFACE and pv, vf or auto");
	if (argc > 2)
		return usage_err("switch", "unexpected argument '%s'", argv[2]);
	if (strcmp(argv[1], "pv") && strcmp(argv[1], "vf") && strcmp(argv[1], "auto"))
		return usage_err("switch", "switch: '%s' is not pv, vf or auto", argv[1]);
	return switch_to(argv[0], argv[1]);
}
