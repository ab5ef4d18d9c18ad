// SPDX-License-Identifier: GPL-2.0
/*
 * npactl stats: the counters of the shim's interfaces, read as ethtool -S
 * reads them (SIOCETHTOOL: ETHTOOL_GSSET_INFO for their number,
 * ETHTOOL_GSTRINGS for their names, ETHTOOL_GSTATS for their values).
 * The names are the shim's: npactl shows what it is given.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "json.h"
#include "npactl.h"

/* The counters of one interface */
struct counters {
	char ifname[IFNAMSIZ];
	bool gone;			/* since it was listed */
	__u32 n;
	struct ethtool_gstrings *names;	/* n names of ETH_GSTRING_LEN bytes */
	struct ethtool_stats *values;	/* n values */
};

static void counters_free(struct counters *c)
{
	free(c->names);
	free(c->values);
	c->names = NULL;
	c->values = NULL;
	c->n = 0;
}

static int ethtool_ioctl(int sock, const char *ifname, void *cmd)
{
	struct ifreq ifr = {};

	copy_str(ifr.ifr_name, sizeof(ifr.ifr_name), ifname);
	ifr.ifr_data = cmd;
	return ioctl(sock, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* How many counters @ifname has; -EOPNOTSUPP if it has none to give */
static int counters_count(int sock, const char *ifname, __u32 *n)
{
	struct ethtool_sset_info *info;
	int err;

	info = calloc(1, sizeof(*info) + sizeof(info->data[0]));
	if (!info)
		return -ENOMEM;
	info->cmd = ETHTOOL_GSSET_INFO;
	info->sset_mask = 1ULL << ETH_SS_STATS;
	err = ethtool_ioctl(sock, ifname, info);
	if (!err && !(info->sset_mask & (1ULL << ETH_SS_STATS)))
		err = -EOPNOTSUPP;
	if (!err)
		*n = info->data[0];
	free(info);
	return err;
}

/*
 * Names and values, once. The kernel gives none (len 0) if their number
 * is no longer the one asked for, as when a VF port joins or leaves the
 * interface meanwhile: -EAGAIN then.
 */
static int counters_try(int sock, struct counters *c)
{
	int err;

	counters_free(c);
	err = counters_count(sock, c->ifname, &c->n);
	if (err || !c->n)	/* with len 0 the kernel would write them all */
		return err;
	c->names = calloc(1, sizeof(*c->names) + (size_t)c->n * ETH_GSTRING_LEN);
	c->values = calloc(1, sizeof(*c->values) + (size_t)c->n * sizeof(__u64));
	if (!c->names || !c->values)
		return -ENOMEM;
	c->names->cmd = ETHTOOL_GSTRINGS;
	c->names->string_set = ETH_SS_STATS;
	c->names->len = c->n;
	c->values->cmd = ETHTOOL_GSTATS;
	c->values->n_stats = c->n;
	err = ethtool_ioctl(sock, c->ifname, c->names);
	if (!err)
		err = ethtool_ioctl(sock, c->ifname, c->values);
	if (!err && (c->names->len != c->n || c->values->n_stats != c->n))
		err = -EAGAIN;
	return err;
}

#define COUNTERS_TRIES	3

/* The counters of @c->ifname; prints the error unless the interface is gone */
static int counters_read(int sock, struct counters *c)
{
	int i, err = -EAGAIN;

	for (i = 0; i < COUNTERS_TRIES && err == -EAGAIN; i++)
		err = counters_try(sock, c);
	if (err == -EAGAIN)
		p_err("the counters of %s kept changing while read", c->ifname);
	else if (err && err != -ENODEV)
		p_err("cannot read the counters of %s: %s", c->ifname, strerror(-err));
	return err;
}

/* Counter @i's name, NUL-terminated (the kernel's may fill all 32 bytes) */
static const char *counter_name(const struct counters *c, __u32 i, char *buf)
{
	snprintf(buf, ETH_GSTRING_LEN + 1, "%.*s", ETH_GSTRING_LEN,
		 (const char *)c->names->data + (size_t)i * ETH_GSTRING_LEN);
	return buf;
}

/* --- output ------------------------------------------------------------------- */

static void counters_json(const struct counters *c)
{
	char name[ETH_GSTRING_LEN + 1];
	__u32 i;

	jw_object_begin();
	jw_kv_string("ifname", c->ifname);
	jw_key("stats");
	jw_object_begin();
	for (i = 0; i < c->n; i++)
		jw_kv_uint(counter_name(c, i, name), c->values->data[i]);
	jw_object_end();
	jw_object_end();
}

/* npa0, then a line per counter: its name, its value */
static void counters_text(const struct counters *c)
{
	char name[ETH_GSTRING_LEN + 1];
	int w = 0, len;
	__u32 i;

	for (i = 0; i < c->n; i++) {
		len = strlen(counter_name(c, i, name));
		w = len > w ? len : w;
	}
	printf("%s\n", c->ifname);
	for (i = 0; i < c->n; i++)
		printf("\t%-*s  %llu\n", w, counter_name(c, i, name),
		       (unsigned long long)c->values->data[i]);
}

/* Every interface: a JSON array; the one asked for: an object */
static void counters_print(const struct counters *cs, int n, bool one)
{
	int i;

	if (!json_output) {
		for (i = 0; i < n; i++)
			if (!cs[i].gone)
				counters_text(&cs[i]);
		return;
	}
	if (!one)
		jw_array_begin();
	for (i = 0; i < n; i++)
		if (!cs[i].gone)
			counters_json(&cs[i]);
	if (!one)
		jw_array_end();
	jw_finish();
}

/* --- the interfaces -------------------------------------------------------------- */

/* A PORT given by its id or PCI address, not by an interface name */
static bool names_port(const char *arg)
{
	return strchr(arg, ':') || (*arg && strspn(arg, "0123456789") == strlen(arg));
}

/* IFACE or PORT: the interface whose counters to show, or the exit status */
static int stats_iface(const char *arg, char *ifname)
{
	struct port_table t;
	struct port *p;
	int ret = NPACTL_FAIL;

	if (!names_port(arg)) {
		ret = iface_check("stats", arg);
		if (!ret)
			copy_str(ifname, IFNAMSIZ, arg);
		return ret;
	}
	if (ports_read(&t))
		return NPACTL_FAIL;
	p = port_find(&t, arg);
	if (!p)
		p_err("no port '%s' (npactl port list shows them)", arg);
	else if (!p->ifname[0])
		p_err("port %u (%s) has no interface", p->id, p->pci);
	else
		ret = iface_check("stats", p->ifname);
	if (!ret)
		copy_str(ifname, IFNAMSIZ, p->ifname);
	ports_free(&t);
	return ret;
}

/* The interfaces to show: @arg's, or every one of the shim */
static int stats_ifaces(const char *arg, struct counters **csp, int *np)
{
	struct iface *ifcs = NULL;
	int ret = NPACTL_OK, n = 1, i;

	*np = 0;
	if (!arg && (shim_check() || ifaces_read(&ifcs, &n)))
		return NPACTL_FAIL;
	*csp = calloc(n ? n : 1, sizeof(**csp));
	if (!*csp) {
		free(ifcs);
		p_err("out of memory");
		return NPACTL_FAIL;
	}
	if (arg)
		ret = stats_iface(arg, (*csp)->ifname);
	for (i = 0; !arg && i < n; i++)
		copy_str((*csp)[i].ifname, IFNAMSIZ, ifcs[i].name);
	free(ifcs);
	if (!ret)
		*np = n;
	return ret;
}

/* Reads the counters of each of @cs; one gone since it was listed is skipped */
static int stats_read(struct counters *cs, int n, bool listed)
{
	int sock, i, err = 0;

	sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (sock < 0) {
		p_err("cannot open a socket for ethtool requests: %s", strerror(errno));
		return NPACTL_FAIL;
	}
	for (i = 0; i < n && !err; i++) {
		err = counters_read(sock, &cs[i]);
		if (err == -ENODEV && listed) {
			cs[i].gone = true;
			err = 0;
		} else if (err == -ENODEV) {
			p_err("no interface '%s'", cs[i].ifname);
		}
	}
	close(sock);
	return err ? NPACTL_FAIL : NPACTL_OK;
}

static int stats_show(const char *arg)
{
	struct counters *cs = NULL;
	int i, n, ret;

	ret = stats_ifaces(arg, &cs, &n);
	if (!ret)
		ret = stats_read(cs, n, !arg);
	if (!ret)
		counters_print(cs, n, arg != NULL);
	for (i = 0; i < n; i++)
		counters_free(&cs[i]);
	free(cs);
	return ret;
}

/* --- dispatch ------------------------------------------------------------------ */

static int stats_help(void)
{
	printf("Usage: npactl [OPTIONS] stats [IFACE | PORT]\n"
	       "       npactl stats help\n"
	       "\n"
	       "       IFACE := an interface of the shim (npa0)\n"
	       "       PORT  := { ID | PCI address (0000:00:04.0, 00:04.0) }\n"
	       "\n"
	       "stats: the counters of every interface of the shim, of IFACE, or of the\n"
	       "       interface of PORT, as ethtool -S reads them: the interface's, then\n"
	       "       each port's (prefixed pv_ and vf_ in a pair).\n");
	return NPACTL_OK;
}

int do_stats(int argc, char **argv)
{
	if (is_help(argc, argv))
		return stats_help();
	if (argc > 1)
		return usage_err("stats", "unexpected argument '%s'", argv[1]);
	return stats_show(argc ? argv[0] : NULL);
}
