// SPDX-License-Identifier: GPL-2.0
/*
 * npactl plugin: load a plugin (a struct npa_ops struct_ops map) onto a
 * port, swap it for another atomically, unload it, list them.
 *
 * A loaded plugin is held by its BPF link, pinned at
 * /sys/fs/bpf/npa/port<ID>: the plugin outlives npactl, and the next
 * npactl finds it there.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "json.h"
#include "npactl.h"

#include "vmxnet3.skel.h"
#include "igbvf.skel.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC	0xcafe4a11
#endif

/*
 * A plugin while npactl works on it. @ops points into libbpf's copy of the
 * struct_ops map's value (the skeleton's struct_ops.<map>, or
 * bpf_map__initial_value()), laid out as npa.h says; npactl writes
 * port_id there before the load.
 */
struct plugin {
	char name[NPA_NAME_LEN];
	const char *source;		/* the PLUGIN argument */
	struct bpf_object *obj;
	struct bpf_map *map;
	struct npa_ops *ops;
	/* the load-time settings it is loaded with (.rodata, settings.c) */
	struct settings settings;
	__u32 type_id;			/* of struct npa_ops in the object's BTF */
	void *skel;
	int (*skel_load)(void *skel);
	void (*skel_destroy)(void *skel);
};

/* --- shipped plugins, embedded as skeletons --------------------------------- */

/* A skeleton's view of its struct_ops map must be npa.h's struct npa_ops. */
#define SKEL_OPS(skel, map) __typeof__(*((struct skel *)0)->struct_ops.map)
#define SKEL_OPS_MATCHES(skel, map)						\
	(sizeof(SKEL_OPS(skel, map)) == sizeof(struct npa_ops) &&		\
	 offsetof(SKEL_OPS(skel, map), port_id) == offsetof(struct npa_ops, port_id) && \
	 offsetof(SKEL_OPS(skel, map), vendor) == offsetof(struct npa_ops, vendor) && \
	 offsetof(SKEL_OPS(skel, map), device) == offsetof(struct npa_ops, device) && \
	 offsetof(SKEL_OPS(skel, map), abi_version) == offsetof(struct npa_ops, abi_version))

_Static_assert(SKEL_OPS_MATCHES(vmxnet3, vmxnet3_ops),
	       "vmxnet3.skel.h: struct npa_ops differs from npa.h");
_Static_assert(SKEL_OPS_MATCHES(igbvf, igbvf_ops),
	       "igbvf.skel.h: struct npa_ops differs from npa.h");

/*
 * NAME_open(): a shipped plugin through its skeleton, NAME.skel.h, whose
 * struct_ops map is NAME_ops.
 */
#define SKEL_PLUGIN(name)						\
static int name##_skel_load(void *skel)					\
{									\
	return name##__load(skel);					\
}									\
									\
static void name##_skel_destroy(void *skel)				\
{									\
	name##__destroy(skel);						\
}									\
									\
static int name##_open(struct plugin *pl)				\
{									\
	struct name *skel = name##__open();				\
									\
	if (!skel)							\
		return -errno;						\
	pl->skel = skel;						\
	pl->skel_load = name##_skel_load;				\
	pl->skel_destroy = name##_skel_destroy;				\
	pl->obj = skel->obj;						\
	pl->map = skel->maps.name##_ops;				\
	pl->ops = (struct npa_ops *)skel->struct_ops.name##_ops;	\
	return 0;							\
}

SKEL_PLUGIN(vmxnet3)
SKEL_PLUGIN(igbvf)

static const struct {
	const char *name;
	int (*open)(struct plugin *pl);
} shipped[] = {
	{ "vmxnet3",	vmxnet3_open },
	{ "igbvf",	igbvf_open },
};

#define NR_SHIPPED	ARRAY_SIZE(shipped)

/* --- plugins from object files ------------------------------------------------- */

static const char *btf_type_name(const struct btf *btf, __u32 id)
{
	const struct btf_type *t = btf__type_by_id(btf, id);

	return t ? btf__name_by_offset(btf, t->name_off) : NULL;
}

/* The struct_ops map of type npa_ops; -ENOENT if none, -E2BIG if several. */
static int find_ops_map(struct bpf_object *obj, struct bpf_map **found)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	int n = 0;

	*found = NULL;
	bpf_object__for_each_map(map, obj) {
		const char *tname;

		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS || !btf)
			continue;
		tname = btf_type_name(btf, bpf_map__btf_value_type_id(map));
		if (!tname || strcmp(tname, "npa_ops"))
			continue;
		if (!n++)
			*found = map;
	}
	return n == 1 ? 0 : n ? -E2BIG : -ENOENT;
}

static const struct btf_member *btf_find_member(const struct btf *btf,
						const struct btf_type *t,
						const char *name, __u32 *off)
{
	const struct btf_member *m = btf_members(t);
	int i;

	for (i = 0; i < btf_vlen(t); i++, m++) {
		if (strcmp(btf__name_by_offset(btf, m->name_off), name))
			continue;
		if (off)
			*off = btf_member_bit_offset(t, i) / 8;
		return m;
	}
	return NULL;
}

/*
 * An object file's struct npa_ops must be laid out as npa.h says before
 * npactl reads or writes its data members through struct npa_ops. The ABI
 * version is read first so that a plugin of another ABI is called that.
 */
static int file_layout_check(struct plugin *pl)
{
	static const struct {
		const char *name;
		size_t off;
		size_t size;
	} fields[] = {
		{ "port_id",	 offsetof(struct npa_ops, port_id),	4 },
		{ "vendor",	 offsetof(struct npa_ops, vendor),	2 },
		{ "device",	 offsetof(struct npa_ops, device),	2 },
		{ "abi_version", offsetof(struct npa_ops, abi_version),	4 },
		{ "name",	 offsetof(struct npa_ops, name),	NPA_NAME_LEN },
	};
	const struct btf *btf = bpf_object__btf(pl->obj);
	const struct btf_type *t = btf__type_by_id(btf, pl->type_id);
	const struct btf_member *m;
	size_t size = 0, i;
	__u32 off;
	void *val;

	val = bpf_map__initial_value(pl->map, &size);
	m = btf_find_member(btf, t, "abi_version", &off);
	if (val && m && btf__resolve_size(btf, m->type) == 4 && off + 4 <= size) {
		__u32 abi;

		memcpy(&abi, (char *)val + off, sizeof(abi));
		if (abi != NPA_ABI_VERSION) {
			p_err("plugin in '%s' built for npa ABI %u, this npactl and shim speak %d",
			      pl->source, abi, NPA_ABI_VERSION);
			return -EINVAL;
		}
	}
	if (!val || t->size != sizeof(struct npa_ops) || size != sizeof(struct npa_ops))
		goto mismatch;
	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		m = btf_find_member(btf, t, fields[i].name, &off);
		if (!m || off != fields[i].off ||
		    btf__resolve_size(btf, m->type) != (__s64)fields[i].size)
			goto mismatch;
	}
	pl->ops = val;
	return 0;

mismatch:
	p_err("struct npa_ops in '%s' is not laid out as npa ABI %d has it (built with another include/npa.h?)",
	      pl->source, NPA_ABI_VERSION);
	return -EINVAL;
}

static int file_open(struct plugin *pl, const char *path)
{
	int err;

	pl->obj = bpf_object__open_file(path, NULL);
	if (!pl->obj) {
		err = -errno;
		p_err("cannot open plugin object '%s': %s", path, strerror(-err));
		libbpf_log_dump();
		return err;
	}
	err = find_ops_map(pl->obj, &pl->map);
	if (err == -ENOENT) {
		p_err("'%s' holds no npa plugin (no struct_ops map of type struct npa_ops)",
		      path);
		return err;
	}
	if (err) {
		p_err("'%s' holds several npa plugins; npactl loads one per object", path);
		return err;
	}
	pl->type_id = bpf_map__btf_value_type_id(pl->map);
	return file_layout_check(pl);
}

static void plugin_close(struct plugin *pl)
{
	settings_free(&pl->settings);
	if (pl->skel)
		pl->skel_destroy(pl->skel);
	else
		bpf_object__close(pl->obj);
	memset(pl, 0, sizeof(*pl));
}

static bool is_path(const char *arg)
{
	size_t len = strlen(arg);

	return strchr(arg, '/') || (len > 2 && !strcmp(arg + len - 2, ".o"));
}

/* Opens PLUGIN (not loaded yet) and checks what can be checked offline. */
static int plugin_open(struct plugin *pl, const char *arg)
{
	size_t i;
	int err;

	memset(pl, 0, sizeof(*pl));
	pl->source = arg;
	libbpf_log_reset();
	for (i = 0; !is_path(arg) && i < NR_SHIPPED; i++) {
		if (strcmp(arg, shipped[i].name))
			continue;
		err = shipped[i].open(pl);
		if (err) {
			p_err("cannot open the shipped plugin '%s': %s", arg,
			      strerror(-err));
			libbpf_log_dump();
			return err;
		}
		pl->type_id = bpf_map__btf_value_type_id(pl->map);
		break;
	}
	if (!pl->obj) {
		if (!is_path(arg) && access(arg, F_OK)) {
			p_err("no plugin '%s': the shipped ones are vmxnet3 and igbvf; give the path of an object file for another",
			      arg);
			return -ENOENT;
		}
		err = file_open(pl, arg);
		if (err) {
			plugin_close(pl);
			return err;
		}
	}

	snprintf(pl->name, sizeof(pl->name), "%.*s", NPA_NAME_LEN - 1, pl->ops->name);
	err = -EINVAL;
	if (pl->ops->abi_version != NPA_ABI_VERSION)
		p_err("plugin '%s' built for npa ABI %u, this npactl and shim speak %d",
		      pl->name, pl->ops->abi_version, NPA_ABI_VERSION);
	else if (!pl->name[0])
		p_err("the plugin in '%s' has no name (npa_ops.name)", arg);
	else if (!(bpf_map__map_flags(pl->map) & BPF_F_LINK))
		p_err("plugin '%s' is not in SEC(\".struct_ops.link\"): the shim attaches plugins only through a BPF link",
		      pl->name);
	else
		err = 0;
	if (err)
		plugin_close(pl);
	return err;
}

/* "[port PORT] [set NAME=VALUE]..." of load and swap */
struct plugin_args {
	const char *port;
	struct setting_arg *sets;
	int nr_sets;
};

/*
 * Opens PLUGIN and writes the settings given into its .rodata: what can
 * be refused without the kernel is refused here.
 */
static int plugin_prepare(struct plugin *pl, const char *arg,
			  const struct plugin_args *pa)
{
	int err;

	err = plugin_open(pl, arg);
	if (err)
		return err;
	err = settings_apply(pl->obj, pl->name, pa->sets, pa->nr_sets);
	if (!err) {
		err = obj_settings(pl->obj, &pl->settings);
		if (err)
			p_err("cannot read the settings of plugin '%s': %s", pl->name,
			      strerror(-err));
	}
	if (err)
		plugin_close(pl);
	return err;
}

/* Loads the programs and creates the maps: the verifier runs here. */
static int plugin_load_obj(struct plugin *pl)
{
	bool verifier;
	int err;

	libbpf_log_reset();
	err = pl->skel ? pl->skel_load(pl->skel) : bpf_object__load(pl->obj);
	if (!err)
		return 0;
	if (err > 0)
		err = -err;
	verifier = libbpf_log_has_verifier_log();
	p_err("plugin '%s' failed to load%s: %s", pl->name,
	      verifier ? ", the verifier refused it" : "", strerror(-err));
	libbpf_log_dump();
	return err;
}

/* --- kernel BTF: the struct_ops map's value as the kernel lays it out -------- */

static struct btf *vmlinux_btf;
static struct btf *module_btf;
static __u32 module_btf_id;

static struct btf *kern_btf(__u32 btf_obj_id)
{
	if (!vmlinux_btf) {
		vmlinux_btf = btf__load_vmlinux_btf();
		if (!vmlinux_btf)
			return NULL;
	}
	if (!btf_obj_id)
		return vmlinux_btf;
	if (module_btf && module_btf_id == btf_obj_id)
		return module_btf;
	btf__free(module_btf);
	module_btf = btf__load_from_kernel_by_id_split(btf_obj_id, vmlinux_btf);
	module_btf_id = module_btf ? btf_obj_id : 0;
	return module_btf;
}

/*
 * The value of a struct_ops map is struct bpf_struct_ops_<type> { common;
 * data; }, where data is the struct as the kernel (here: the shim's BTF)
 * defines it. Finds data's offset and type.
 */
static int kern_ops_layout(const struct bpf_map_info *info, struct btf **btfp,
			   const struct btf_type **ops_type, __u32 *data_off)
{
	const struct btf_type *vt;
	const struct btf_member *m;
	struct btf *btf;

	btf = kern_btf(info->btf_vmlinux_id);
	if (!btf)
		return -errno ?: -ENOENT;
	vt = btf__type_by_id(btf, info->btf_vmlinux_value_type_id);
	if (!vt || !btf_is_struct(vt))
		return -ENOENT;
	m = btf_find_member(btf, vt, "data", data_off);
	if (!m)
		return -ENOENT;
	*ops_type = btf__type_by_id(btf, btf__resolve_type(btf, m->type));
	if (!*ops_type || !btf_is_struct(*ops_type))
		return -ENOENT;
	*btfp = btf;
	return 0;
}

/*
 * The value libbpf would write into the plugin's struct_ops map: data
 * members copied, function members replaced by their programs' fds.
 *
 * Why npactl builds it: libbpf's bpf_link__update_map() would do this and
 * then swap the link, but it takes the link for one that
 * bpf_map__attach_struct_ops() made (it container_of()s it into libbpf's
 * struct bpf_link_struct_ops and reads and writes map_fd there). A link
 * opened from its pin by bpf_link__open() is a smaller allocation, so
 * passing one reads and writes past its end. npactl fills the map itself
 * and calls bpf_link_update() on the pinned link's fd.
 */
static int plugin_kern_value(struct plugin *pl, void **valuep)
{
	const struct btf *obj_btf = bpf_object__btf(pl->obj);
	const struct btf_type *t = btf__type_by_id(obj_btf, pl->type_id);
	const struct btf_type *kt;
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), data_off;
	const struct btf_member *m;
	char *value, *kdata;
	const char *udata;
	struct btf *kbtf;
	int i, err;

	if (bpf_map_get_info_by_fd(bpf_map__fd(pl->map), &info, &len))
		return -errno;
	err = kern_ops_layout(&info, &kbtf, &kt, &data_off);
	if (err)
		return err;
	value = calloc(1, info.value_size);
	if (!value)
		return -ENOMEM;
	kdata = value + data_off;
	udata = bpf_map__initial_value(pl->map, NULL);

	for (i = 0, m = btf_members(t); i < btf_vlen(t); i++, m++) {
		const char *mname = btf__name_by_offset(obj_btf, m->name_off);
		__u32 moff = btf_member_bit_offset(t, i) / 8, koff;
		const struct btf_member *km;
		const struct btf_type *mt;
		__s64 msize;

		mt = btf__type_by_id(obj_btf, btf__resolve_type(obj_btf, m->type));
		msize = btf__resolve_size(obj_btf, m->type);
		km = btf_find_member(kbtf, kt, mname, &koff);
		err = -EINVAL;
		if (!mt || msize < 0 || !km || koff + msize > info.value_size - data_off)
			goto err_free;
		if (btf_is_ptr(mt)) {
			struct bpf_program *prog;

			memcpy(&prog, udata + moff, sizeof(prog));
			if (!prog)
				continue;
			if (bpf_program__fd(prog) < 0)
				goto err_free;
			*(unsigned long *)(kdata + koff) = bpf_program__fd(prog);
		} else {
			if (btf__resolve_size(kbtf, km->type) != msize)
				goto err_free;
			memcpy(kdata + koff, udata + moff, msize);
		}
	}
	*valuep = value;
	return 0;

err_free:
	free(value);
	return err;
}

/* --- pins ---------------------------------------------------------------- */

void pin_path(unsigned int port_id, char *buf, size_t len)
{
	snprintf(buf, len, NPA_PIN_DIR "/port%u", port_id);
}

/* The name a struct_ops map of npa_ops holds, as the kernel keeps it */
static void map_plugin_name(__u32 map_id, char *name)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), data_off, noff, zero = 0;
	const struct btf_type *kt;
	struct btf *kbtf;
	char *value = NULL;
	int fd;

	name[0] = '\0';
	fd = bpf_map_get_fd_by_id(map_id);
	if (fd < 0)
		return;
	if (bpf_map_get_info_by_fd(fd, &info, &len) ||
	    info.type != BPF_MAP_TYPE_STRUCT_OPS ||
	    kern_ops_layout(&info, &kbtf, &kt, &data_off) ||
	    !btf_find_member(kbtf, kt, "name", &noff))
		goto out;
	value = calloc(1, info.value_size);
	if (!value || bpf_map_lookup_elem(fd, &zero, value) ||
	    data_off + noff + NPA_NAME_LEN > info.value_size)
		goto out;
	snprintf(name, NPA_NAME_LEN, "%.*s", NPA_NAME_LEN - 1, value + data_off + noff);
out:
	free(value);
	close(fd);
}

int pin_read(unsigned int port_id, struct pin *pin)
{
	struct bpf_link_info info = {};
	__u32 len = sizeof(info);
	char path[PATH_MAX];
	int fd, err = 0;

	memset(pin, 0, sizeof(*pin));
	pin_path(port_id, path, sizeof(path));
	fd = bpf_obj_get(path);
	if (fd < 0)
		return errno == ENOENT ? 0 : -errno;
	pin->exists = true;
	if (bpf_link_get_info_by_fd(fd, &info, &len)) {
		err = -errno;
	} else {
		pin->link_id = info.id;
		if (info.type == BPF_LINK_TYPE_STRUCT_OPS && info.struct_ops.map_id)
			map_plugin_name(info.struct_ops.map_id, pin->name);
	}
	close(fd);
	return err;
}

bool pin_is_current(const struct port *p, const struct pin *pin)
{
	return pin->exists && p->link_id && pin->link_id == p->link_id;
}

/* bpffs at /sys/fs/bpf (mounted if it is not) and /sys/fs/bpf/npa */
static int pin_dir_prepare(void)
{
	struct statfs st;

	if (statfs(BPFFS_DIR, &st) || st.f_type != BPF_FS_MAGIC) {
		if (mount("bpf", BPFFS_DIR, "bpf", 0, "mode=0700")) {
			p_err("no bpffs at %s, and mounting one failed: %s", BPFFS_DIR,
			      strerror(errno));
			return -1;
		}
	}
	if (mkdir(NPA_PIN_DIR, 0700) && errno != EEXIST) {
		p_err("cannot create %s: %s", NPA_PIN_DIR, strerror(errno));
		return -1;
	}
	return 0;
}

/* One npactl at a time changes the pins (and the ports behind them). */
static int pin_dir_lock(void)
{
	int fd = open(NPA_PIN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* Detaches the link pinned at @path and removes the pin. */
static int pin_remove(const char *path)
{
	struct bpf_link *link;
	int err;

	libbpf_log_reset();
	link = bpf_link__open(path);
	if (!link)
		return -errno;
	err = bpf_link__detach(link);
	if (!err)
		err = bpf_link__unpin(link);
	bpf_link__destroy(link);
	return err;
}

/* --- output -------------------------------------------------------------- */

static const char *port_label(const struct port *p, char *buf, size_t len)
{
	if (p->ifname[0])
		snprintf(buf, len, "%s, %s", p->pci, p->ifname);
	else
		snprintf(buf, len, "%s", p->pci);
	return buf;
}

/* plugin autoload: a port that has a plugin already is no error */
static bool autoloading;

/* After an attach or a swap: where the plugin is, as sysfs now says */
static void print_attached(const char *verb, const struct plugin *pl,
			   const struct port *p, const char *old, bool chosen,
			   const char *pinned)
{
	char buf[256], ids[256];

	if (json_output) {
		jw_object_begin();
		jw_kv_string("plugin", pl->name);
		if (old)
			jw_kv_string_or_null("old_plugin", old);
		jw_kv_uint("port", p->id);
		jw_kv_string("pci", p->pci);
		jw_kv_string_or_null("ifname", p->ifname);
		if (!old)
			jw_kv_bool("chosen", chosen);
		if (autoloading)
			jw_kv_bool("already_attached", false);
		jw_kv_string("state", p->state);
		jw_kv_uint("link_id", p->link_id);
		port_prog_ids_json(p);
		jw_kv_string("pinned", pinned);
		settings_json("settings", &pl->settings);
		jw_object_end();
		jw_finish();
		return;
	}
	port_prog_ids_text(p, ids, sizeof(ids));
	if (old)
		printf("port %u (%s): plugin '%s' %s for '%s'\n", p->id,
		       port_label(p, buf, sizeof(buf)), old, verb, pl->name);
	else
		printf("plugin '%s' %s to port %u (%s)%s\n", pl->name, verb, p->id,
		       port_label(p, buf, sizeof(buf)),
		       chosen ? ", the first free port with its PCI id" : "");
	printf("link %u pinned at %s; programs %s\n", p->link_id, pinned, ids);
	if (pl->settings.n) {
		settings_text(&pl->settings, ids, sizeof(ids));
		printf("settings %s\n", ids);
	}
}

static int port_reread(struct port *p)
{
	struct port_table t;
	struct port *np;
	char pci[sizeof(p->pci)];

	copy_str(pci, sizeof(pci), p->pci);
	if (ports_read(&t))
		return -1;
	np = port_find(&t, pci);
	if (np)
		*p = *np;
	ports_free(&t);
	return np ? 0 : -1;
}

/* --- plugin load ----------------------------------------------------------- */

static bool plugin_drives(const struct plugin *pl, const struct port *p)
{
	return !pl->ops->vendor ||
	       (pl->ops->vendor == p->vendor && pl->ops->device == p->device);
}

/* The first port without a plugin that the plugin drives, as the shim picks */
static struct port *pick_port(struct port_table *t, const struct plugin *pl)
{
	int i, busy = 0;

	if (!pl->ops->vendor) {
		p_err("plugin '%s' drives any device: name its port (port PORT)", pl->name);
		return NULL;
	}
	for (i = 0; i < t->n; i++) {
		if (!plugin_drives(pl, &t->ports[i]))
			continue;
		if (!port_has_plugin(&t->ports[i]))
			return &t->ports[i];
		busy++;
	}
	if (busy)
		p_err("no free port for plugin '%s': each of the %d ports with PCI id %04x:%04x has a plugin",
		      pl->name, busy, pl->ops->vendor, pl->ops->device);
	else
		p_err("no port with PCI id %04x:%04x for plugin '%s'", pl->ops->vendor,
		      pl->ops->device, pl->name);
	return NULL;
}

static int check_port(const struct plugin *pl, const struct port *p)
{
	if (port_has_plugin(p)) {
		p_err("port %u already has plugin '%s' (npactl plugin unload port %u, or swap)",
		      p->id, p->plugin, p->id);
		return -EBUSY;
	}
	if (!plugin_drives(pl, p)) {
		p_err("plugin '%s' drives PCI %04x:%04x, port %u (%s) is %04x:%04x",
		      pl->name, pl->ops->vendor, pl->ops->device, p->id, p->pci,
		      p->vendor, p->device);
		return -ENODEV;
	}
	return 0;
}

/* A pin left by a plugin the shim has detached (fault, port gone) */
static int remove_stale_pin(const struct port *p)
{
	char path[PATH_MAX];
	struct pin pin;
	int err;

	if (pin_read(p->id, &pin) || !pin.exists)
		return 0;
	pin_path(p->id, path, sizeof(path));
	p_note("removing %s: its link %u no longer drives port %u (state %s)", path,
	       pin.link_id, p->id, p->state);
	err = pin_remove(path);
	if (err) {
		p_err("cannot remove %s: %s", path, strerror(-err));
		return err;
	}
	return 0;
}

/*
 * "[port PORT] [set NAME=VALUE]..." in any order (sets only if @pa->sets
 * has room: argc / 2 entries); PORT is NULL if not given.
 */
static int parse_plugin_args(const char *cmd, int argc, char **argv,
			     struct plugin_args *pa)
{
	int i, err;

	pa->port = NULL;
	pa->nr_sets = 0;
	while (argc > 0) {
		if (pa->sets && is_prefix(argv[0], "set")) {
			if (argc < 2)
				return usage_err("plugin", "plugin %s: 'set' needs NAME=VALUE", cmd);
			err = setting_arg_parse(cmd, argv[1], &pa->sets[pa->nr_sets]);
			if (err)
				return err;
			for (i = 0; i < pa->nr_sets; i++) {
				if (pa->sets[i].name_len != pa->sets[pa->nr_sets].name_len ||
				    strncmp(pa->sets[i].arg, argv[1], pa->sets[i].name_len))
					continue;
				return usage_err("plugin", "plugin %s: setting '%.*s' given twice",
						 cmd, (int)pa->sets[i].name_len, argv[1]);
			}
			pa->nr_sets++;
		} else if (is_prefix(argv[0], "port")) {
			if (argc < 2)
				return usage_err("plugin", "plugin %s: 'port' needs a PORT", cmd);
			if (pa->port)
				return usage_err("plugin", "plugin %s: port given twice", cmd);
			pa->port = argv[1];
		} else {
			return usage_err("plugin", "plugin %s: unexpected argument '%s'",
					 cmd, argv[0]);
		}
		argc -= 2;
		argv += 2;
	}
	return 0;
}

/* The settings given on the command line, at most one per two words */
static struct setting_arg *setting_args_alloc(int argc)
{
	struct setting_arg *sets = calloc(argc / 2 + 1, sizeof(*sets));

	if (!sets)
		p_err("out of memory");
	return sets;
}

/* plugin autoload on a port that has a plugin: nothing to do */
static void print_already(const struct port *p)
{
	char buf[256];

	if (json_output) {
		jw_object_begin();
		jw_kv_string("plugin", p->plugin);
		jw_kv_uint("port", p->id);
		jw_kv_string("pci", p->pci);
		jw_kv_string_or_null("ifname", p->ifname);
		jw_kv_bool("already_attached", true);
		jw_kv_string("state", p->state);
		jw_kv_uint("link_id", p->link_id);
		jw_object_end();
		jw_finish();
		return;
	}
	printf("port %u (%s) already has plugin '%s'; nothing to do\n", p->id,
	       port_label(p, buf, sizeof(buf)), p->plugin);
}

static int plugin_load(int argc, char **argv)
{
	char path[PATH_MAX], id[16];
	bool chosen = false;
	struct bpf_link *link = NULL;
	int err, kfd, lock = -1, ret = NPACTL_FAIL;
	struct plugin_args pa = {};
	struct port_table t = {};
	struct plugin pl;
	struct port *p;

	if (argc < 1)
		return usage_err("plugin", "plugin load needs a PLUGIN");
	pa.sets = setting_args_alloc(argc);
	if (!pa.sets)
		return NPACTL_FAIL;
	err = parse_plugin_args("load", argc - 1, argv + 1, &pa);
	if (err) {
		free(pa.sets);
		return err;
	}
	/* The plugin and its settings first: no kernel is needed to refuse them. */
	if (plugin_prepare(&pl, argv[0], &pa)) {
		free(pa.sets);
		return NPACTL_FAIL;
	}
	if (ports_read(&t))
		goto out_close;
	if (pin_dir_prepare())
		goto out_close;
	lock = pin_dir_lock();
	/* Under the lock, the ports as they are now */
	ports_free(&t);
	if (ports_read(&t))
		goto out_close;

	if (pa.port) {
		p = port_find(&t, pa.port);
		if (!p) {
			p_err("no port '%s' (npactl port list shows them)", pa.port);
			goto out_close;
		}
	} else if (pl.ops->port_id) {
		/* The object names its port itself. */
		snprintf(id, sizeof(id), "%u", pl.ops->port_id);
		p = port_find(&t, id);
		if (!p) {
			p_err("plugin '%s' names port %u, and there is no such port",
			      pl.name, pl.ops->port_id);
			goto out_close;
		}
	} else {
		p = pick_port(&t, &pl);
		if (!p)
			goto out_close;
		chosen = true;
	}
	if (autoloading && port_has_plugin(p)) {
		/* another npactl attached one since plugin_autoload() looked */
		print_already(p);
		ret = NPACTL_OK;
		goto out_close;
	}
	if (check_port(&pl, p) || remove_stale_pin(p))
		goto out_close;

	pl.ops->port_id = p->id;
	if (plugin_load_obj(&pl))
		goto out_close;

	libbpf_log_reset();
	kfd = kmsg_mark();
	link = bpf_map__attach_struct_ops(pl.map);
	if (!link) {
		err = -errno;
		p_err("cannot attach plugin '%s' to port %u: %s", pl.name, p->id,
		      strerror(-err));
		libbpf_log_dump();
		kmsg_report(kfd);
		goto out_close;
	}
	if (kfd >= 0)
		close(kfd);

	pin_path(p->id, path, sizeof(path));
	err = bpf_link__pin(link, path);
	if (err) {
		p_err("cannot pin the link of plugin '%s' at %s: %s; the plugin is detached again",
		      pl.name, path, strerror(-err));
		libbpf_log_dump();
		goto out_link;
	}
	port_reread(p);
	print_attached("attached", &pl, p, NULL, chosen, path);
	ret = NPACTL_OK;
out_link:
	/* Closes npactl's fd only: the pin holds the link. */
	bpf_link__destroy(link);
out_close:
	if (lock >= 0)
		close(lock);
	ports_free(&t);
	plugin_close(&pl);
	free(pa.sets);
	return ret;
}

/* --- plugin autoload ------------------------------------------------------- */

/*
 * The shipped plugin whose struct_ops map names @p's PCI vendor and device
 * (read from the skeleton, opened but not loaded); NULL if none does.
 */
static const char *shipped_for(const struct port *p)
{
	struct plugin pl;
	bool match;
	size_t i;
	int err;

	for (i = 0; i < NR_SHIPPED; i++) {
		memset(&pl, 0, sizeof(pl));
		pl.source = shipped[i].name;
		libbpf_log_reset();
		err = shipped[i].open(&pl);
		if (err) {
			p_note("cannot open the shipped plugin '%s': %s", shipped[i].name,
			       strerror(-err));
			continue;
		}
		match = pl.ops->vendor && pl.ops->vendor == p->vendor &&
			pl.ops->device == p->device;
		plugin_close(&pl);
		if (match)
			return shipped[i].name;
	}
	return NULL;
}

/*
 * npactl plugin autoload PORT: what udev runs when a PCI function is bound
 * to npa. Loads the shipped plugin for the port's PCI ids, pinned as
 * plugin load pins it; a port that has a plugin is left alone.
 */
static int plugin_autoload(int argc, char **argv)
{
	struct port_table t = {};
	char pci[sizeof(t.ports->pci)];
	const char *name;
	struct port *p;
	int ret = NPACTL_FAIL;

	if (argc < 1)
		return usage_err("plugin", "plugin autoload needs a PORT");
	if (argc > 1)
		return usage_err("plugin", "plugin autoload: unexpected argument '%s'",
				 argv[1]);
	if (ports_read(&t))
		return NPACTL_FAIL;
	p = port_find(&t, argv[0]);
	if (!p) {
		p_err("no port '%s' (npactl port list shows them)", argv[0]);
		goto out;
	}
	if (port_has_plugin(p)) {
		print_already(p);
		ret = NPACTL_OK;
		goto out;
	}
	name = shipped_for(p);
	if (!name) {
		p_err("no shipped plugin drives port %u (%s, PCI %04x:%04x): vmxnet3 drives 15ad:07b0, igbvf 8086:10ca",
		      p->id, p->pci, p->vendor, p->device);
		goto out;
	}
	/* by PCI address: the id or interface could be another port's by now */
	copy_str(pci, sizeof(pci), p->pci);
	autoloading = true;
	ret = plugin_load(3, (char *[]){ (char *)name, "port", pci, NULL });
	autoloading = false;
out:
	ports_free(&t);
	return ret;
}

/* --- plugin swap ----------------------------------------------------------- */

static int plugin_swap(int argc, char **argv)
{
	char path[PATH_MAX], old[NPA_NAME_LEN];
	struct bpf_link *link = NULL;
	int err, kfd, lock = -1, ret = NPACTL_FAIL;
	struct plugin_args pa = {};
	struct port_table t = {};
	void *value = NULL;
	struct plugin pl;
	struct pin pin;
	struct port *p;
	__u32 zero = 0;

	if (argc < 1)
		return usage_err("plugin", "plugin swap needs a PLUGIN and a port");
	pa.sets = setting_args_alloc(argc);
	if (!pa.sets)
		return NPACTL_FAIL;
	err = parse_plugin_args("swap", argc - 1, argv + 1, &pa);
	if (!err && !pa.port)
		err = usage_err("plugin", "plugin swap needs 'port PORT'");
	if (err) {
		free(pa.sets);
		return err;
	}
	if (plugin_prepare(&pl, argv[0], &pa)) {
		free(pa.sets);
		return NPACTL_FAIL;
	}
	if (ports_read(&t))
		goto out_close;
	if (pin_dir_prepare())
		goto out_close;
	lock = pin_dir_lock();
	ports_free(&t);
	if (ports_read(&t))
		goto out_close;

	p = port_find(&t, pa.port);
	if (!p) {
		p_err("no port '%s' (npactl port list shows them)", pa.port);
		goto out_close;
	}
	pin_path(p->id, path, sizeof(path));
	err = pin_read(p->id, &pin);
	if (err) {
		p_err("cannot read %s: %s", path, strerror(-err));
		goto out_close;
	}
	if (!pin.exists) {
		if (port_has_plugin(p))
			p_err("port %u has plugin '%s', but not pinned by npactl (no %s)",
			      p->id, p->plugin, path);
		else
			p_err("port %u has no plugin to swap (no %s): npactl plugin load",
			      p->id, path);
		goto out_close;
	}
	if (!pin_is_current(p, &pin)) {
		p_err("the link pinned at %s no longer drives port %u (state %s): npactl plugin load",
		      path, p->id, p->state);
		goto out_close;
	}
	copy_str(old, sizeof(old), p->plugin);

	if (!plugin_drives(&pl, p)) {
		p_err("plugin '%s' drives PCI %04x:%04x, port %u (%s) is %04x:%04x",
		      pl.name, pl.ops->vendor, pl.ops->device, p->id, p->pci,
		      p->vendor, p->device);
		goto out_close;
	}
	pl.ops->port_id = p->id;
	if (plugin_load_obj(&pl))
		goto out_close;

	err = plugin_kern_value(&pl, &value);
	if (err) {
		p_err("cannot lay out plugin '%s' as the shim's struct npa_ops: %s",
		      pl.name, strerror(-err));
		goto out_close;
	}
	libbpf_log_reset();
	link = bpf_link__open(path);
	if (!link) {
		err = -errno;
		p_err("cannot open the link pinned at %s: %s", path, strerror(-err));
		libbpf_log_dump();
		goto out_close;
	}
	kfd = kmsg_mark();
	err = bpf_map_update_elem(bpf_map__fd(pl.map), &zero, value, 0);
	if (err && errno != EBUSY) {
		err = -errno;
		p_err("plugin '%s' refused for port %u: %s", pl.name, p->id,
		      strerror(-err));
		kmsg_report(kfd);
		goto out_link;
	}
	err = bpf_link_update(bpf_link__fd(link), bpf_map__fd(pl.map), NULL);
	if (err) {
		err = -errno;
		p_err("cannot swap plugin '%s' on port %u for '%s': %s", old, p->id,
		      pl.name, strerror(-err));
		kmsg_report(kfd);
		goto out_link;
	}
	if (kfd >= 0)
		close(kfd);
	port_reread(p);
	print_attached("swapped", &pl, p, old, false, path);
	ret = NPACTL_OK;
out_link:
	bpf_link__destroy(link);
out_close:
	free(value);
	if (lock >= 0)
		close(lock);
	ports_free(&t);
	plugin_close(&pl);
	free(pa.sets);
	return ret;
}

/* --- plugin unload --------------------------------------------------------- */

static int plugin_unload(int argc, char **argv)
{
	char path[PATH_MAX], name[NPA_NAME_LEN];
	int err, lock = -1, ret = NPACTL_FAIL;
	struct plugin_args pa = {};
	const char *port_arg;
	struct port_table t;
	unsigned int id;
	struct pin pin;
	struct port *p;
	bool current;

	err = parse_plugin_args("unload", argc, argv, &pa);
	if (err)
		return err;
	port_arg = pa.port;
	if (!port_arg)
		return usage_err("plugin", "plugin unload needs 'port PORT'");
	if (ports_read(&t))
		return NPACTL_FAIL;
	lock = pin_dir_lock();
	ports_free(&t);
	if (ports_read(&t))
		goto out_unlock;

	/* A port that went away may have left its pin: unload by its id. */
	p = port_find(&t, port_arg);
	if (p) {
		id = p->id;
	} else if (!parse_uint(port_arg, &id)) {
		p_err("no port '%s' (npactl port list shows them)", port_arg);
		goto out_unlock;
	}
	pin_path(id, path, sizeof(path));
	err = pin_read(id, &pin);
	if (err) {
		p_err("cannot read %s: %s", path, strerror(-err));
		goto out_unlock;
	}
	if (!pin.exists) {
		if (p && port_has_plugin(p))
			p_err("port %u has plugin '%s', but npactl did not pin it (no %s): remove the link that holds it",
			      id, p->plugin, path);
		else if (p)
			p_err("port %u has no plugin pinned by npactl (no %s)", id, path);
		else
			p_err("no port %u, and nothing pinned for it (no %s)", id, path);
		goto out_unlock;
	}
	current = p && pin_is_current(p, &pin);
	copy_str(name, sizeof(name), current ? p->plugin : pin.name);

	err = pin_remove(path);
	if (err) {
		p_err("cannot detach the link pinned at %s: %s", path, strerror(-err));
		libbpf_log_dump();
		goto out_unlock;
	}
	if (json_output) {
		jw_object_begin();
		jw_kv_uint("port", id);
		jw_kv_string_or_null("plugin", name);
		jw_kv_bool("was_attached", current);
		jw_kv_uint("link_id", pin.link_id);
		jw_kv_string("unpinned", path);
		jw_object_end();
		jw_finish();
	} else if (current) {
		printf("plugin '%s' detached from port %u; link %u unpinned from %s\n",
		       name, id, pin.link_id, path);
	} else {
		printf("link %u (%s) no longer drove port %u; detached and unpinned from %s\n",
		       pin.link_id, name[0] ? name : "no plugin", id, path);
	}
	ret = NPACTL_OK;
out_unlock:
	if (lock >= 0)
		close(lock);
	ports_free(&t);
	return ret;
}

/* --- plugin list ------------------------------------------------------------ */

/* What the kernel says of one program of a plugin, as bpftool prog show */
struct prog_facts {
	bool known;		/* false: the program id only */
	char tag[BPF_TAG_SIZE * 2 + 1];
	__u32 verified_insns;
	__u64 load_time;	/* ns since boot */
	__u32 bytes_xlated;
	__u32 bytes_jited;	/* 0: not JITed */
};

struct plugin_row {
	unsigned int port;
	const struct port *p;	/* NULL: the port is gone, its pin is not */
	struct pin pin;
	char pinned[PATH_MAX + 16];
	/* what its plugin was loaded with; have_settings false if unknown */
	struct settings settings;
	bool have_settings;
	/* of p->progs[], in the same order */
	struct prog_facts facts[NPA_OPS_NR_FUNCS];
};

/* Needs CAP_SYS_ADMIN (BPF_PROG_GET_FD_BY_ID); -errno if it fails. */
static int prog_facts_read(__u32 id, struct prog_facts *f)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);
	int fd, err = 0, i;

	memset(f, 0, sizeof(*f));
	fd = bpf_prog_get_fd_by_id(id);
	if (fd < 0)
		return -errno;
	if (bpf_prog_get_info_by_fd(fd, &info, &len)) {
		err = -errno;
		goto out;
	}
	for (i = 0; i < BPF_TAG_SIZE; i++)
		snprintf(f->tag + 2 * i, 3, "%02x", info.tag[i]);
	f->verified_insns = info.verified_insns;
	f->load_time = info.load_time;
	f->bytes_xlated = info.xlated_prog_len;
	f->bytes_jited = info.jited_prog_len;
	f->known = true;
out:
	close(fd);
	return err;
}

/* The facts of each program of @r's port; says once if they need privilege. */
static void row_prog_facts(struct plugin_row *r, bool *noted)
{
	int i;

	for (i = 0; r->p && i < r->p->nr_progs; i++) {
		if (prog_facts_read(r->p->progs[i].id, &r->facts[i]) != -EPERM || *noted)
			continue;
		p_note("program ids only: reading their tag, verified instructions and load time needs CAP_SYS_ADMIN");
		*noted = true;
	}
}

/*
 * A load time (ns since boot) as seconds since the epoch, computed as
 * bpftool prog show does; 0 if the clocks cannot be read.
 */
static time_t load_time_wall(__u64 boot_ns)
{
	struct timespec real, boot;

	if (clock_gettime(CLOCK_REALTIME, &real) || clock_gettime(CLOCK_BOOTTIME, &boot))
		return 0;
	return real.tv_sec - boot.tv_sec +
	       ((long long)(real.tv_nsec - boot.tv_nsec) + (long long)boot_ns) / 1000000000;
}

/* 2026-11-26T10:00:01+0000, local time, as bpftool prints loaded_at */
static void load_time_text(__u64 boot_ns, char *buf, size_t len)
{
	time_t t = load_time_wall(boot_ns);
	struct tm tm;

	if (!t || !localtime_r(&t, &tm) || !strftime(buf, len, "%FT%T%z", &tm))
		snprintf(buf, len, "-");
}

static int row_cmp(const void *a, const void *b)
{
	const struct plugin_row *ra = a, *rb = b;

	return ra->port < rb->port ? -1 : ra->port > rb->port;
}

static const char *row_name(const struct plugin_row *r)
{
	if (r->p && port_has_plugin(r->p))
		return r->p->plugin;
	return r->pin.name[0] ? r->pin.name : NULL;
}

static int plugin_rows(struct port_table *t, struct plugin_row **rowsp, int *np)
{
	struct plugin_row *rows, *r;
	bool noted = false;
	struct dirent *de;
	int i, n = 0;
	DIR *dir;

	rows = calloc(t->n ? t->n : 1, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (i = 0; i < t->n; i++) {
		r = &rows[n];
		r->port = t->ports[i].id;
		r->p = &t->ports[i];
		pin_read(r->port, &r->pin);
		if (!port_has_plugin(r->p) && !r->pin.exists)
			continue;
		n++;
	}
	/* pins whose port is gone */
	dir = opendir(NPA_PIN_DIR);
	while (dir && (de = readdir(dir))) {
		unsigned int id;

		if (strncmp(de->d_name, "port", 4) || !parse_uint(de->d_name + 4, &id))
			continue;
		for (i = 0; i < t->n && t->ports[i].id != id; i++)
			;
		if (i < t->n)
			continue;
		r = realloc(rows, (n + 1) * sizeof(*rows));
		if (!r)
			break;
		rows = r;
		memset(&rows[n], 0, sizeof(rows[n]));
		rows[n].port = id;
		pin_read(id, &rows[n].pin);
		n++;
	}
	if (dir)
		closedir(dir);
	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (!r->pin.exists)
			continue;
		pin_path(r->port, r->pinned, sizeof(r->pinned));
	}
	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (r->p && port_has_plugin(r->p))
			r->have_settings = !port_settings(r->p, &r->settings);
		row_prog_facts(r, &noted);
	}
	qsort(rows, n, sizeof(*rows), row_cmp);
	*rowsp = rows;
	*np = n;
	return 0;
}

static void rows_free(struct plugin_row *rows, int n)
{
	int i;

	for (i = 0; i < n; i++)
		settings_free(&rows[i].settings);
	free(rows);
}

/* key: @v, or null if it is not known */
static void jw_kv_uint_known(const char *key, bool known, unsigned long long v)
{
	jw_key(key);
	if (known)
		jw_uint(v);
	else
		jw_null();
}

/* As bpftool prog show --json has them, plus load_time as the kernel has it */
static void prog_json(unsigned int id, const struct prog_facts *f)
{
	time_t wall = f->known ? load_time_wall(f->load_time) : 0;

	jw_object_begin();
	jw_kv_uint("id", id);
	jw_kv_string_or_null("tag", f->tag);
	jw_kv_uint_known("verified_insns", f->known, f->verified_insns);
	jw_kv_uint_known("load_time", f->known, f->load_time);
	jw_kv_uint_known("loaded_at", wall != 0, wall);
	jw_kv_uint_known("bytes_xlated", f->known, f->bytes_xlated);
	jw_kv_uint_known("bytes_jited", f->known, f->bytes_jited);
	jw_object_end();
}

/* "progs": {member: {id, tag, ...}, ...} */
static void row_progs_json(const struct plugin_row *r)
{
	int i;

	jw_key("progs");
	jw_object_begin();
	for (i = 0; r->p && i < r->p->nr_progs; i++) {
		jw_key(r->p->progs[i].member);
		prog_json(r->p->progs[i].id, &r->facts[i]);
	}
	jw_object_end();
}

static void plugin_list_json(const struct plugin_row *rows, int n)
{
	int i;

	jw_array_begin();
	for (i = 0; i < n; i++) {
		const struct plugin_row *r = &rows[i];

		jw_object_begin();
		jw_kv_uint("port", r->port);
		jw_kv_string_or_null("name", row_name(r));
		if (r->p) {
			jw_kv_string("pci", r->p->pci);
			port_prog_ids_json(r->p);
			jw_kv_uint("link_id", r->p->link_id);
			jw_kv_string("state", r->p->state);
		} else {
			jw_kv_string_or_null("pci", NULL);
			jw_key("prog_ids");
			jw_object_begin();
			jw_object_end();
			jw_kv_uint("link_id", 0);
			jw_kv_string("state", "gone");
		}
		jw_kv_string_or_null("pinned", r->pinned);
		if (r->pin.exists) {
			jw_kv_uint("pinned_link_id", r->pin.link_id);
			jw_kv_bool("pin_current", r->p && pin_is_current(r->p, &r->pin));
		}
		settings_json("settings", r->have_settings ? &r->settings : NULL);
		row_progs_json(r);
		jw_object_end();
	}
	jw_array_end();
	jw_finish();
}

/* One line per plugin */
static void plugin_table(const struct plugin_row *rows, int n)
{
	int w_name = 4, w_ids = 8, w_pin = 6, i;
	char ids[256], pinned[PATH_MAX + 32], settings[512];

	for (i = 0; i < n; i++) {
		const struct plugin_row *r = &rows[i];
		int len;

		len = row_name(r) ? strlen(row_name(r)) : 1;
		w_name = len > w_name ? len : w_name;
		if (r->p)
			port_prog_ids_text(r->p, ids, sizeof(ids));
		len = r->p ? strlen(ids) : 1;
		w_ids = len > w_ids ? len : w_ids;
		len = strlen(r->pinned) + (r->p && pin_is_current(r->p, &r->pin) ? 0 : 8);
		w_pin = len > w_pin ? len : w_pin;
	}
	if (n)
		printf("%-4s  %-*s  %-*s  %-7s  %-8s  %-*s  %s\n", "PORT", w_name, "NAME",
		       w_ids, "PROG_IDS", "LINK_ID", "STATE", w_pin, "PINNED", "SETTINGS");
	for (i = 0; i < n; i++) {
		const struct plugin_row *r = &rows[i];

		if (r->p)
			port_prog_ids_text(r->p, ids, sizeof(ids));
		else
			snprintf(ids, sizeof(ids), "-");
		if (!r->pin.exists)
			snprintf(pinned, sizeof(pinned), "-");
		else if (r->p && pin_is_current(r->p, &r->pin))
			copy_str(pinned, sizeof(pinned), r->pinned);
		else
			snprintf(pinned, sizeof(pinned), "%s (stale)", r->pinned);
		if (r->have_settings)
			settings_text(&r->settings, settings, sizeof(settings));
		else
			snprintf(settings, sizeof(settings), "-");
		printf("%-4u  %-*s  %-*s  %-7u  %-8s  %-*s  %s\n", r->port, w_name,
		       row_name(r) ? row_name(r) : "-", w_ids, ids,
		       r->p ? r->p->link_id : 0, r->p ? r->p->state : "gone", w_pin,
		       pinned, settings);
	}
}

#define PROG_COLS	8

/* Program @i of @r's port; "-" for what is not known */
static void prog_cells(const struct plugin_row *r, int i, char cells[PROG_COLS][CELL_LEN])
{
	const struct prog_facts *f = &r->facts[i];
	int c;

	snprintf(cells[0], CELL_LEN, "%u", r->port);
	copy_str(cells[1], CELL_LEN, r->p->progs[i].member);
	snprintf(cells[2], CELL_LEN, "%u", r->p->progs[i].id);
	for (c = 3; c < PROG_COLS; c++)
		snprintf(cells[c], CELL_LEN, "-");
	if (!f->known)
		return;
	copy_str(cells[3], CELL_LEN, f->tag);
	snprintf(cells[4], CELL_LEN, "%u", f->verified_insns);
	snprintf(cells[5], CELL_LEN, "%uB", f->bytes_xlated);
	if (f->bytes_jited)
		snprintf(cells[6], CELL_LEN, "%uB", f->bytes_jited);
	load_time_text(f->load_time, cells[7], CELL_LEN);
}

/* One line per program of the plugins, after a blank line; none if none */
static void prog_table(const struct plugin_row *rows, int n)
{
	char head[PROG_COLS][CELL_LEN] = { "PORT", "MEMBER", "PROG_ID", "TAG",
		"VERIFIED_INSNS", "XLATED", "JITED", "LOADED_AT" };
	char cells[PROG_COLS][CELL_LEN];
	int w[PROG_COLS] = {}, i, j, nr = 0;

	table_widen(w, PROG_COLS, head);
	for (i = 0; i < n; i++) {
		for (j = 0; rows[i].p && j < rows[i].p->nr_progs; j++, nr++) {
			prog_cells(&rows[i], j, cells);
			table_widen(w, PROG_COLS, cells);
		}
	}
	if (!nr)
		return;
	printf("\n");
	table_row(w, PROG_COLS, head);
	for (i = 0; i < n; i++) {
		for (j = 0; rows[i].p && j < rows[i].p->nr_progs; j++) {
			prog_cells(&rows[i], j, cells);
			table_row(w, PROG_COLS, cells);
		}
	}
}

static int plugin_list(int argc, char **argv)
{
	struct plugin_row *rows;
	struct port_table t;
	int n;

	(void)argv;
	if (argc)
		return usage_err("plugin", "plugin list takes no arguments");
	if (ports_read(&t))
		return NPACTL_FAIL;
	if (plugin_rows(&t, &rows, &n)) {
		p_err("out of memory");
		ports_free(&t);
		return NPACTL_FAIL;
	}
	if (json_output) {
		plugin_list_json(rows, n);
	} else {
		plugin_table(rows, n);
		prog_table(rows, n);
	}
	rows_free(rows, n);
	ports_free(&t);
	return NPACTL_OK;
}

/* --- plugin settings --------------------------------------------------------- */

static int plugin_settings(int argc, char **argv)
{
	struct plugin pl;

	if (argc < 1)
		return usage_err("plugin", "plugin settings needs a PLUGIN");
	if (argc > 1)
		return usage_err("plugin", "plugin settings: unexpected argument '%s'",
				 argv[1]);
	if (plugin_open(&pl, argv[0]))
		return NPACTL_FAIL;
	if (obj_settings(pl.obj, &pl.settings)) {
		p_err("cannot read the settings of plugin '%s'", pl.name);
		plugin_close(&pl);
		return NPACTL_FAIL;
	}
	settings_table(pl.name, &pl.settings);
	plugin_close(&pl);
	return NPACTL_OK;
}

/* --- dispatch ------------------------------------------------------------------ */

static int plugin_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("Usage: npactl [OPTIONS] plugin load PLUGIN [port PORT] [set NAME=VALUE]...\n"
	       "       npactl [OPTIONS] plugin autoload PORT\n"
	       "       npactl [OPTIONS] plugin swap PLUGIN port PORT [set NAME=VALUE]...\n"
	       "       npactl [OPTIONS] plugin unload port PORT\n"
	       "       npactl [OPTIONS] plugin list\n"
	       "       npactl [OPTIONS] plugin settings PLUGIN\n"
	       "       npactl plugin help\n"
	       "\n"
	       "       PLUGIN := { vmxnet3 | igbvf | path of a plugin object (.bpf.o) }\n"
	       "       PORT   := { ID | PCI address (0000:00:04.0, 00:04.0) | interface name }\n"
	       "\n"
	       "load:     load PLUGIN, attach it to PORT (default: the first free port with\n"
	       "          its PCI ids) and pin its link at " NPA_PIN_DIR "/port<ID>.\n"
	       "          set NAME=VALUE gives a load-time setting (a const volatile\n"
	       "          global of the plugin, e.g. igbvf's rx_ring_size) a value.\n"
	       "autoload: load the shipped plugin for PORT's PCI ids, as load does; nothing\n"
	       "          if PORT has a plugin (udev runs it when a function binds to npa).\n"
	       "swap:     replace the plugin pinned for PORT by PLUGIN, atomically.\n"
	       "unload:   detach the plugin pinned for PORT and remove the pin.\n"
	       "list:     ports with a plugin: PORT NAME PROG_IDS LINK_ID STATE PINNED\n"
	       "          SETTINGS (the settings it was loaded with); then their programs:\n"
	       "          PORT MEMBER PROG_ID TAG VERIFIED_INSNS XLATED JITED LOADED_AT.\n"
	       "settings: the load-time settings of PLUGIN, with their defaults.\n");
	return NPACTL_OK;
}

static const struct cmd plugin_cmds[] = {
	{ "load",	plugin_load },
	{ "autoload",	plugin_autoload },
	{ "swap",	plugin_swap },
	{ "unload",	plugin_unload },
	{ "list",	plugin_list },
	{ "settings",	plugin_settings },
	{ "help",	plugin_help },
};

int do_plugin(int argc, char **argv)
{
	return cmd_dispatch("plugin", plugin_cmds, ARRAY_SIZE(plugin_cmds), argc, argv);
}
