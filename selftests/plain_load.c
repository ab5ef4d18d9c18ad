// SPDX-License-Identifier: GPL-2.0
/*
 * plain_load: attach an npa plugin with nothing but libbpf's generic object
 * API (no skeleton, no npactl), the way any libbpf application would.
 *
 *   plain_load OBJ [PORT] [--hold] [--time]
 *
 * PORT (a port id) is written into every struct_ops map's port_id before
 * load; without it the object's own value stays. With --hold the links are
 * kept until stdin closes; without, the program exits after attaching, its
 * links close, and the plugins detach again. With --time it prints, last,
 * how long the load (the verifier, the maps, the struct_ops values the
 * shim checks) and the attach (the links: the shim attaches, the
 * plugin's probe runs) took: "time load_us N attach_us N". libbpf's
 * warnings (the verifier's log among them) go to stderr.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "npa.h"

#define MAX_LINKS 8

static int print_warn(enum libbpf_print_level level, const char *fmt,
		      va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

int main(int argc, char **argv)
{
	struct bpf_link *links[MAX_LINKS];
	struct bpf_object *obj;
	struct bpf_map *map;
	int nlinks = 0, port = -1, hold = 0, timed = 0, i, err;
	long long t0, t1, t2;
	const char *path = NULL;
	char buf[16];

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--hold"))
			hold = 1;
		else if (!strcmp(argv[i], "--time"))
			timed = 1;
		else if (!path)
			path = argv[i];
		else
			port = atoi(argv[i]);
	}
	if (!path) {
		fprintf(stderr, "Usage: %s OBJ [PORT] [--hold] [--time]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(print_warn);

	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "Error: cannot open %s: %s\n", path, strerror(errno));
		return 1;
	}
	bpf_object__for_each_map(map, obj) {
		struct npa_ops *ops;
		size_t size;

		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS || port < 0)
			continue;
		ops = bpf_map__initial_value(map, &size);
		if (!ops || size < sizeof(*ops)) {
			fprintf(stderr, "Error: map %s is not an npa_ops\n",
				bpf_map__name(map));
			goto err_close;
		}
		ops->port_id = port;
	}
	t0 = now_us();
	err = bpf_object__load(obj);
	t1 = now_us();
	if (err) {
		fprintf(stderr, "Error: cannot load %s: %s\n", path, strerror(-err));
		goto err_close;
	}
	bpf_object__for_each_map(map, obj) {
		if (bpf_map__type(map) != BPF_MAP_TYPE_STRUCT_OPS)
			continue;
		if (nlinks == MAX_LINKS)
			break;
		links[nlinks] = bpf_map__attach_struct_ops(map);
		if (!links[nlinks]) {
			fprintf(stderr, "Error: cannot attach %s: %s\n",
				bpf_map__name(map), strerror(errno));
			goto err_destroy;
		}
		printf("attached %s\n", bpf_map__name(map));
		nlinks++;
	}
	t2 = now_us();
	if (timed)
		printf("time load_us %lld attach_us %lld\n", t1 - t0, t2 - t1);
	fflush(stdout);
	if (hold)
		while (read(0, buf, sizeof(buf)) > 0)
			;
	for (i = 0; i < nlinks; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	return 0;

err_destroy:
	while (nlinks--)
		bpf_link__destroy(links[nlinks]);
err_close:
	bpf_object__close(obj);
	return 1;
}
