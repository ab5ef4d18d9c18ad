// SPDX-License-Identifier: GPL-2.0
/*
 * npactl: list the ports of the npa shim, load, swap and unload their BPF
 * plugins, pair a VF port with a PV port's interface, show the interfaces'
 * counters. Grammar as bpftool's: npactl [OPTIONS] OBJECT COMMAND [ARGS];
 * pair, unpair, switch and stats are objects that are commands
 * (npactl switch IFACE pv).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "json.h"
#include "npactl.h"

#ifndef NPACTL_VERSION
#define NPACTL_VERSION "0.0.0"
#endif

bool json_output;
bool pretty_output;
bool verbose;

static void vp_err(const char *fmt, va_list ap)
{
	char *msg = NULL;

	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	fprintf(stderr, "Error: %s\n", msg ? msg : fmt);
	if (json_output) {
		jw_object_begin();
		jw_kv_string("error", msg ? msg : fmt);
		jw_object_end();
		jw_finish();
	}
	free(msg);
}

void p_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vp_err(fmt, ap);
	va_end(ap);
}

int usage_err(const char *object, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vp_err(fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try 'npactl %s%shelp'.\n", object ? object : "",
		object ? " " : "");
	return NPACTL_USAGE;
}

void p_note(const char *fmt, ...)
{
	va_list ap;

	fputs("Note: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A word given on the command line may be any prefix of a command. */
bool is_prefix(const char *arg, const char *word)
{
	return *arg && !strncmp(arg, word, strlen(arg));
}

bool is_help(int argc, char **argv)
{
	return argc == 1 && is_prefix(argv[0], "help");
}

void copy_str(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

const char *or_dash(const char *s)
{
	return *s ? s : "-";
}

bool parse_uint(const char *s, unsigned int *val)
{
	char *end;
	unsigned long v;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > UINT_MAX)
		return false;
	*val = v;
	return true;
}

void table_widen(int *w, int ncols, char cells[][CELL_LEN])
{
	int c, len;

	for (c = 0; c < ncols; c++) {
		len = strlen(cells[c]);
		if (len > w[c])
			w[c] = len;
	}
}

void table_row(const int *w, int ncols, char cells[][CELL_LEN])
{
	int c;

	for (c = 0; c < ncols - 1; c++)
		printf("%-*s  ", w[c], cells[c]);
	printf("%s\n", cells[c]);
}

/* --- sysfs attributes ---------------------------------------------------------- */

int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f)) {
		err = ferror(f) ? -EIO : 0;
		buf[0] = '\0';
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

/* One write(), as sysfs wants it: its error is the attribute's answer. */
int write_line(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) && !err)
		err = -errno;
	return err;
}

/* --- libbpf's messages ------------------------------------------------------ */

static char *libbpf_log;
static size_t libbpf_log_len;
/* libbpf passed on a program's verifier log since the last reset */
static bool libbpf_verifier_log;

/*
 * libbpf explains a failure in warnings (the verifier's log among them)
 * before it returns an error code: keep them, and show them only if the
 * operation fails. With -v everything goes to stderr as it comes.
 */
static int libbpf_print(enum libbpf_print_level level, const char *fmt,
			va_list ap)
{
	char *msg, *p;
	int len;

	if (strstr(fmt, "PROG LOAD LOG"))
		libbpf_verifier_log = true;
	if (verbose)
		return vfprintf(stderr, fmt, ap);
	if (level != LIBBPF_WARN)
		return 0;
	len = vasprintf(&msg, fmt, ap);
	if (len < 0)
		return 0;
	p = realloc(libbpf_log, libbpf_log_len + len + 1);
	if (p) {
		memcpy(p + libbpf_log_len, msg, len + 1);
		libbpf_log = p;
		libbpf_log_len += len;
	}
	free(msg);
	return len;
}

void libbpf_log_reset(void)
{
	free(libbpf_log);
	libbpf_log = NULL;
	libbpf_log_len = 0;
	libbpf_verifier_log = false;
}

bool libbpf_log_has_verifier_log(void)
{
	return libbpf_verifier_log;
}

void libbpf_log_dump(void)
{
	if (!libbpf_log_len)
		return;
	fputs(libbpf_log, stderr);
	if (libbpf_log[libbpf_log_len - 1] != '\n')
		fputc('\n', stderr);
	free(libbpf_log);
	libbpf_log = NULL;
	libbpf_log_len = 0;
}

/* --- the kernel log ------------------------------------------------------------ */

/*
 * The shim says why it refused a plugin in the kernel log. Mark the end of
 * /dev/kmsg before an attach; on failure, show the shim's lines since.
 */
int kmsg_mark(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

#define KMSG_MAX_LINES	8

void kmsg_report(int fd)
{
	char lines[KMSG_MAX_LINES][512];
	int n = 0, first, i;
	char rec[2048];
	ssize_t len;

	if (fd < 0)
		return;
	for (;;) {
		char *msg, *end;

		len = read(fd, rec, sizeof(rec) - 1);
		if (len < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (len <= 0)
			break;
		rec[len] = '\0';
		/* "prio,seq,usec,flags;message\n" then " KEY=value" lines */
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = '\0';
		/* pr_warn("npa: ...") and dev_warn(): "npa 0000:00:04.0: ..." */
		if (strncmp(msg, "npa: ", 5) && strncmp(msg, "npa 0", 5))
			continue;
		snprintf(lines[n % KMSG_MAX_LINES], sizeof(lines[0]), "%s", msg);
		n++;
	}
	close(fd);
	first = n > KMSG_MAX_LINES ? n - KMSG_MAX_LINES : 0;
	for (i = first; i < n; i++)
		fprintf(stderr, "kernel: %s\n", lines[i % KMSG_MAX_LINES]);
}

/* --- usage ------------------------------------------------------------------- */

static void usage(void)
{
	printf("Usage: npactl [OPTIONS] OBJECT COMMAND [ARGS]\n"
	       "       npactl help | OBJECT help\n"
	       "       npactl --version\n"
	       "\n"
	       "       npactl port list\n"
	       "       npactl port show PORT\n"
	       "       npactl plugin load PLUGIN [port PORT] [set NAME=VALUE]...\n"
	       "       npactl plugin autoload PORT\n"
	       "       npactl plugin swap PLUGIN port PORT [set NAME=VALUE]...\n"
	       "       npactl plugin unload port PORT\n"
	       "       npactl plugin list\n"
	       "       npactl plugin settings PLUGIN\n"
	       "       npactl pair [list]\n"
	       "       npactl pair IFACE PORT\n"
	       "       npactl unpair IFACE\n"
	       "       npactl switch IFACE { pv | vf | auto }\n"
	       "       npactl stats [IFACE | PORT]\n"
	       "\n"
	       "       OBJECT  := { port | plugin | pair | unpair | switch | stats }\n"
	       "       PORT    := { ID | PCI address (0000:00:04.0, 00:04.0) | interface name }\n"
	       "       IFACE   := an interface of the shim (npa0)\n"
	       "       PLUGIN  := { vmxnet3 | igbvf | path of a plugin object (.bpf.o) }\n"
	       "       OPTIONS := { -j|--json | -p|--pretty | -v|--verbose | -h|--help |\n"
	       "                    -V|--version }\n"
	       "\n"
	       "Plugins are pinned at " NPA_PIN_DIR "/port<ID>. Exit status: 0 ok,\n"
	       "1 failure, 2 usage error. See npactl(8).\n");
}

static void version(void)
{
	if (json_output) {
		jw_object_begin();
		jw_kv_string("version", NPACTL_VERSION);
		jw_kv_uint("abi_version", NPA_ABI_VERSION);
		jw_key("libbpf_version");
		jw_string(libbpf_version_string());
		jw_object_end();
		jw_finish();
		return;
	}
	printf("npactl v%s\n", NPACTL_VERSION);
	printf("npa ABI version %d\n", NPA_ABI_VERSION);
	printf("using libbpf %s\n", libbpf_version_string());
}

/*
 * The entry of @cmds that @arg names, exactly or as an unambiguous prefix;
 * a usage error (negative) if none. @object is NULL for the objects.
 */
static int cmd_find(const char *object, const struct cmd *cmds, int n,
		    const char *arg)
{
	int i, found = -1;

	for (i = 0; i < n; i++) {
		if (!strcmp(arg, cmds[i].name))
			return i;
		if (!is_prefix(arg, cmds[i].name))
			continue;
		if (found >= 0) {
			usage_err(object, "'%s%s%s' is ambiguous: %s or %s?",
				  object ?: "", object ? " " : "", arg,
				  cmds[found].name, cmds[i].name);
			return -1;
		}
		found = i;
	}
	if (found < 0) {
		if (object)
			usage_err(object, "unknown command '%s %s'", object, arg);
		else
			usage_err(NULL, "unknown object '%s'", arg);
	}
	return found;
}

int cmd_dispatch(const char *object, const struct cmd *cmds, int n, int argc,
		 char **argv)
{
	int i;

	if (argc < 1)
		return usage_err(object, "%s needs a COMMAND", object);
	i = cmd_find(object, cmds, n, argv[0]);
	if (i < 0)
		return NPACTL_USAGE;
	return cmds[i].func(argc - 1, argv + 1);
}

static const struct cmd objects[] = {
	{ "port",	do_port },
	{ "plugin",	do_plugin },
	{ "pair",	do_pair },
	{ "unpair",	do_unpair },
	{ "switch",	do_switch },
	{ "stats",	do_stats },
};

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "json",	no_argument,	NULL, 'j' },
		{ "pretty",	no_argument,	NULL, 'p' },
		{ "verbose",	no_argument,	NULL, 'v' },
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ 0 }
	};
	bool help = false, show_version = false;
	char *help_argv[] = { "help", NULL };
	int opt, i;

	jw_init(stdout, false);	/* for errors while parsing options */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "jpvhV", options, NULL)) >= 0) {
		switch (opt) {
		case 'j':
			json_output = true;
			break;
		case 'p':
			json_output = true;
			pretty_output = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'h':
			help = true;
			break;
		case 'V':
			show_version = true;
			break;
		default:
			if (optopt)
				return usage_err(NULL, "unknown option '-%c'", optopt);
			return usage_err(NULL, "unknown option '%s'", argv[optind - 1]);
		}
	}
	jw_init(stdout, pretty_output);
	libbpf_set_print(libbpf_print);

	if (show_version) {
		version();
		return NPACTL_OK;
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || is_prefix(argv[0], "help")) {
		if (help || argc > 0) {
			usage();
			return NPACTL_OK;
		}
		return usage_err(NULL, "no OBJECT given");
	}

	i = cmd_find(NULL, objects, ARRAY_SIZE(objects), argv[0]);
	if (i < 0)
		return NPACTL_USAGE;
	/* npactl OBJECT ... --help: the object's usage */
	if (help)
		return objects[i].func(1, help_argv);
	return objects[i].func(argc - 1, argv + 1);
}
