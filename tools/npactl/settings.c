// SPDX-License-Identifier: GPL-2.0
/*
 * npactl: a plugin's load-time settings. A setting is a global
 *
 *	const volatile __u32 rx_ring_size = 256;
 *
 * of integer type in the plugin object's .rodata: the object's BTF names
 * it (a variable of the .rodata DATASEC), libbpf's copy of .rodata holds
 * its value until the load, and the kernel keeps that value in the
 * plugin's .rodata map, where npactl reads it back for a loaded plugin.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "json.h"
#include "npactl.h"

#define RODATA_SEC	".rodata"

/*
 * @type_id as a setting: a volatile integer (or enum), whose type name
 * (the first typedef, else the integer's own) goes to @tname.
 */
static bool setting_type(const struct btf *btf, __u32 type_id,
			 struct setting *s)
{
	const struct btf_type *t = btf__type_by_id(btf, type_id);
	bool is_volatile = false;
	const char *tname = NULL;

	while (t && (btf_is_mod(t) || btf_is_typedef(t))) {
		if (btf_is_volatile(t))
			is_volatile = true;
		if (btf_is_typedef(t) && !tname)
			tname = btf__name_by_offset(btf, t->name_off);
		t = btf__type_by_id(btf, t->type);
	}
	if (!t || !is_volatile)
		return false;
	if (btf_is_int(t)) {
		__u8 enc = btf_int_encoding(t);

		if (btf_int_offset(t) || btf_int_bits(t) != t->size * 8)
			return false;
		s->is_signed = enc & BTF_INT_SIGNED;
		s->is_bool = enc & BTF_INT_BOOL;
	} else if (btf_is_any_enum(t)) {
		s->is_signed = btf_kflag(t);
		s->is_bool = false;
	} else {
		return false;
	}
	if (t->size != 1 && t->size != 2 && t->size != 4 && t->size != 8)
		return false;
	s->size = t->size;
	if (tname && *tname)
		copy_str(s->type, sizeof(s->type), tname);
	else if (btf_is_any_enum(t))
		snprintf(s->type, sizeof(s->type), "enum %s",
			 btf__name_by_offset(btf, t->name_off) ?: "");
	else
		copy_str(s->type, sizeof(s->type), btf__name_by_offset(btf, t->name_off) ?: "int");
	return true;
}

static void setting_range(const struct setting *s, __s64 *min, __u64 *max)
{
	unsigned int bits = s->size * 8;

	if (s->is_bool) {
		*min = 0;
		*max = 1;
	} else if (s->is_signed) {
		*min = bits == 64 ? INT64_MIN : -(1LL << (bits - 1));
		*max = bits == 64 ? INT64_MAX : (1ULL << (bits - 1)) - 1;
	} else {
		*min = 0;
		*max = bits == 64 ? UINT64_MAX : (1ULL << bits) - 1;
	}
}

/* The value at @data, sign-extended for a signed setting */
static __u64 setting_get(const struct setting *s, const void *data)
{
	const char *p = (const char *)data + s->off;
	__u8 v8;
	__u16 v16;
	__u32 v32;
	__u64 v64;

	switch (s->size) {
	case 1:
		memcpy(&v8, p, 1);
		return s->is_signed ? (__u64)(__s8)v8 : v8;
	case 2:
		memcpy(&v16, p, 2);
		return s->is_signed ? (__u64)(__s16)v16 : v16;
	case 4:
		memcpy(&v32, p, 4);
		return s->is_signed ? (__u64)(__s32)v32 : v32;
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}

static void setting_put(const struct setting *s, void *data, __u64 v)
{
	char *p = (char *)data + s->off;
	__u8 v8 = v;
	__u16 v16 = v;
	__u32 v32 = v;

	switch (s->size) {
	case 1:
		memcpy(p, &v8, 1);
		break;
	case 2:
		memcpy(p, &v16, 2);
		break;
	case 4:
		memcpy(p, &v32, 4);
		break;
	default:
		memcpy(p, &v, 8);
		break;
	}
}

/*
 * The settings of the DATASEC @sec_id in @btf, with their values in @data
 * (@size bytes: the section's contents).
 */
static int settings_collect(const struct btf *btf, __u32 sec_id,
			    const void *data, size_t size, struct settings *ss)
{
	const struct btf_type *sec = btf__type_by_id(btf, sec_id);
	const struct btf_var_secinfo *vsi;
	int i;

	memset(ss, 0, sizeof(*ss));
	if (!sec || !btf_is_datasec(sec))
		return -EINVAL;
	ss->v = calloc(btf_vlen(sec) ?: 1, sizeof(*ss->v));
	if (!ss->v)
		return -ENOMEM;
	for (i = 0, vsi = btf_var_secinfos(sec); i < btf_vlen(sec); i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(btf, vsi->type);
		struct setting *s = &ss->v[ss->n];

		if (!var || !btf_is_var(var) ||
		    btf_var(var)->linkage != BTF_VAR_GLOBAL_ALLOCATED)
			continue;
		memset(s, 0, sizeof(*s));
		if (!setting_type(btf, var->type, s) || vsi->size != s->size ||
		    vsi->offset + s->size > size)
			continue;
		copy_str(s->name, sizeof(s->name), btf__name_by_offset(btf, var->name_off));
		s->off = vsi->offset;
		s->value = setting_get(s, data);
		ss->n++;
	}
	return 0;
}

void settings_free(struct settings *ss)
{
	free(ss->v);
	memset(ss, 0, sizeof(*ss));
}

static struct setting *settings_find(struct settings *ss, const char *name,
				     size_t len)
{
	int i;

	for (i = 0; i < ss->n; i++)
		if (strlen(ss->v[i].name) == len && !strncmp(ss->v[i].name, name, len))
			return &ss->v[i];
	return NULL;
}

/* --- NAME=VALUE on the command line ----------------------------------------- */

/*
 * Checks the syntax of NAME=VALUE (a C identifier, an integer in C
 * notation); a usage error if it is wrong. Whether the plugin has NAME and
 * VALUE fits it is known once the plugin is open: settings_apply().
 */
int setting_arg_parse(const char *cmd, const char *arg, struct setting_arg *sa)
{
	const char *eq = strchr(arg, '='), *p;
	char *end;

	memset(sa, 0, sizeof(*sa));
	if (!eq || eq == arg || !eq[1])
		goto malformed;
	for (p = arg; p < eq; p++)
		if (!(*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (p > arg && *p >= '0' && *p <= '9')))
			goto malformed;
	sa->arg = arg;
	sa->name_len = eq - arg;
	sa->value = eq + 1;
	sa->neg = sa->value[0] == '-';
	/* strto*() would take leading blanks and a '+' */
	p = sa->value + sa->neg;
	if (*p < '0' || *p > '9')
		goto malformed;
	errno = 0;
	if (sa->neg)
		sa->val = strtoll(sa->value, &end, 0);
	else
		sa->val = strtoull(sa->value, &end, 0);
	if (*end)
		goto malformed;
	/* a number too large for 64 bits is out of range for any setting */
	sa->erange = errno == ERANGE;
	return 0;

malformed:
	return usage_err("plugin", "plugin %s: 'set %s' is not NAME=VALUE (a setting's name, an integer)",
			 cmd, arg);
}

/* --- settings of an object, before the load ------------------------------------ */

/* The .rodata of @obj: libbpf's copy of it, and its DATASEC */
static int obj_rodata(struct bpf_object *obj, void **data, size_t *size,
		      __u32 *sec_id)
{
	const struct btf *btf = bpf_object__btf(obj);
	struct bpf_map *map;
	int id;

	map = bpf_object__find_map_by_name(obj, RODATA_SEC);
	if (!map || !btf)
		return -ENOENT;
	id = btf__find_by_name_kind(btf, RODATA_SEC, BTF_KIND_DATASEC);
	if (id <= 0)
		return -ENOENT;
	*data = bpf_map__initial_value(map, size);
	if (!*data)
		return -ENOENT;
	*sec_id = id;
	return 0;
}

int obj_settings(struct bpf_object *obj, struct settings *ss)
{
	size_t size;
	__u32 sec_id;
	void *data;

	memset(ss, 0, sizeof(*ss));
	if (obj_rodata(obj, &data, &size, &sec_id))
		return 0;	/* no .rodata: no settings */
	return settings_collect(bpf_object__btf(obj), sec_id, data, size, ss);
}

static void settings_names(const struct settings *ss, char *buf, size_t len)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < ss->n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%s", i ? ", " : "",
				ss->v[i].name);
}

int settings_apply(struct bpf_object *obj, const char *plugin,
		   const struct setting_arg *args, int n)
{
	struct settings ss;
	char names[512];
	__s64 min;
	__u64 max;
	size_t size;
	__u32 sec_id;
	void *data;
	int i, err;

	if (!n)
		return 0;
	err = obj_settings(obj, &ss);
	if (err) {
		p_err("cannot read the settings of plugin '%s': %s", plugin, strerror(-err));
		return err;
	}
	for (i = 0; i < n; i++) {
		const struct setting_arg *sa = &args[i];
		struct setting *s = settings_find(&ss, sa->arg, sa->name_len);
		bool fits;

		if (!s) {
			settings_names(&ss, names, sizeof(names));
			if (ss.n)
				p_err("plugin '%s' has no setting '%.*s' (settings: %s)", plugin,
				      (int)sa->name_len, sa->arg, names);
			else
				p_err("plugin '%s' has no setting '%.*s' (it has no settings)",
				      plugin, (int)sa->name_len, sa->arg);
			err = -ENOENT;
			goto out;
		}
		setting_range(s, &min, &max);
		if (sa->erange)
			fits = false;
		else if (sa->neg)
			fits = (__s64)sa->val >= min;
		else
			fits = sa->val <= max;
		if (!fits) {
			p_err("setting '%s' of plugin '%s' (%s) cannot be %s: out of range %" PRId64 " to %" PRIu64,
			      s->name, plugin, s->type, sa->value, (int64_t)min, (uint64_t)max);
			err = -ERANGE;
			goto out;
		}
		s->value = sa->val;
	}
	/* all valid: write them */
	obj_rodata(obj, &data, &size, &sec_id);
	for (i = 0; i < ss.n; i++)
		setting_put(&ss.v[i], data, ss.v[i].value);
out:
	settings_free(&ss);
	return err;
}

/* --- settings of a loaded plugin --------------------------------------------- */

/* The settings in @map_id if it is a .rodata map with BTF; -ENOENT if not */
static int map_settings(__u32 map_id, struct settings *ss)
{
	struct bpf_map_info info = {};
	__u32 len = sizeof(info), zero = 0;
	const struct btf_type *t;
	struct btf *btf = NULL;
	void *value = NULL;
	int fd, err = -ENOENT;
	const char *name;

	fd = bpf_map_get_fd_by_id(map_id);
	if (fd < 0)
		return -errno;
	if (bpf_map_get_info_by_fd(fd, &info, &len) || info.type != BPF_MAP_TYPE_ARRAY ||
	    !info.btf_id || !info.btf_value_type_id)
		goto out;
	btf = btf__load_from_kernel_by_id(info.btf_id);
	if (!btf)
		goto out;
	t = btf__type_by_id(btf, info.btf_value_type_id);
	name = t ? btf__name_by_offset(btf, t->name_off) : NULL;
	if (!t || !btf_is_datasec(t) || !name || strcmp(name, RODATA_SEC))
		goto out;
	value = calloc(1, info.value_size);
	if (!value) {
		err = -ENOMEM;
		goto out;
	}
	if (bpf_map_lookup_elem(fd, &zero, value)) {
		err = -errno;
		goto out;
	}
	err = settings_collect(btf, info.btf_value_type_id, value, info.value_size, ss);
out:
	free(value);
	btf__free(btf);
	close(fd);
	return err;
}

/*
 * The settings in the .rodata map @p's programs use. If every program
 * could be read and none uses one, the plugin has no settings (none that
 * a program reads); -ENOENT if a program could not be read.
 */
int port_settings(const struct port *p, struct settings *ss)
{
	int i, j, fd, err, unread = 0;
	__u32 map_ids[64];

	memset(ss, 0, sizeof(*ss));
	for (i = 0; i < p->nr_progs; i++) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);

		fd = bpf_prog_get_fd_by_id(p->progs[i].id);
		if (fd < 0) {
			unread++;
			continue;
		}
		info.nr_map_ids = ARRAY_SIZE(map_ids);
		info.map_ids = (__u64)(unsigned long)map_ids;
		err = bpf_prog_get_info_by_fd(fd, &info, &len);
		close(fd);
		if (err || info.nr_map_ids > ARRAY_SIZE(map_ids)) {
			unread++;
			continue;
		}
		for (j = 0; j < (int)info.nr_map_ids; j++) {
			err = map_settings(map_ids[j], ss);
			if (err != -ENOENT)
				return err;
		}
	}
	return unread || !p->nr_progs ? -ENOENT : 0;
}

/* --- output ---------------------------------------------------------------------- */

void setting_value_text(const struct setting *s, char *buf, size_t len)
{
	if (s->is_signed)
		snprintf(buf, len, "%" PRId64, (int64_t)s->value);
	else
		snprintf(buf, len, "%" PRIu64, (uint64_t)s->value);
}

void settings_text(const struct settings *ss, char *buf, size_t len)
{
	char val[32];
	size_t off = 0;
	int i;

	snprintf(buf, len, "-");
	for (i = 0; i < ss->n && off < len; i++) {
		setting_value_text(&ss->v[i], val, sizeof(val));
		off += snprintf(buf + off, len - off, "%s%s=%s", i ? " " : "",
				ss->v[i].name, val);
	}
}

static void setting_value_json(const struct setting *s)
{
	if (s->is_signed)
		jw_int((__s64)s->value);
	else
		jw_uint(s->value);
}

/* "settings": {"name": value, ...}, or null if @ss is NULL (not known) */
void settings_json(const char *key, const struct settings *ss)
{
	int i;

	jw_key(key);
	if (!ss) {
		jw_null();
		return;
	}
	jw_object_begin();
	for (i = 0; i < ss->n; i++) {
		jw_key(ss->v[i].name);
		setting_value_json(&ss->v[i]);
	}
	jw_object_end();
}

/*
 * For npactl plugin settings: name, type, default (and with --json the
 * range of the type; the plugin's probe may accept less).
 */
void settings_table(const char *plugin, const struct settings *ss)
{
	int i, w_name = 4, w_type = 4, len;
	char val[32];
	__s64 min;
	__u64 max;

	if (json_output) {
		jw_object_begin();
		jw_kv_string("plugin", plugin);
		jw_key("settings");
		jw_array_begin();
		for (i = 0; i < ss->n; i++) {
			const struct setting *s = &ss->v[i];

			setting_range(s, &min, &max);
			jw_object_begin();
			jw_kv_string("name", s->name);
			jw_kv_string("type", s->type);
			jw_kv_uint("size", s->size);
			jw_kv_bool("signed", s->is_signed);
			jw_key("default");
			setting_value_json(s);
			jw_kv_int("min", min);
			jw_kv_uint("max", max);
			jw_object_end();
		}
		jw_array_end();
		jw_object_end();
		jw_finish();
		return;
	}
	if (!ss->n) {
		printf("plugin '%s' has no load-time settings\n", plugin);
		return;
	}
	for (i = 0; i < ss->n; i++) {
		len = strlen(ss->v[i].name);
		w_name = len > w_name ? len : w_name;
		len = strlen(ss->v[i].type);
		w_type = len > w_type ? len : w_type;
	}
	printf("%-*s  %-*s  %s\n", w_name, "NAME", w_type, "TYPE", "DEFAULT");
	for (i = 0; i < ss->n; i++) {
		setting_value_text(&ss->v[i], val, sizeof(val));
		printf("%-*s  %-*s  %s\n", w_name, ss->v[i].name, w_type, ss->v[i].type, val);
	}
}
