// SPDX-License-Identifier: GPL-2.0
/*
 * trafgen - a traffic source outside the test guest, on QEMU's hub 0.
 *
 *   trafgen PORTFILE
 *
 * Binds a UDP socket on 127.0.0.1, picks a free port for QEMU's, writes
 * "GEN_PORT QEMU_PORT" to PORTFILE and serves until killed. run.sh --gen
 * starts it before QEMU and gives QEMU
 *
 *   -netdev dgram,id=gen,local.type=inet,local.host=127.0.0.1,
 *           local.port=QEMU_PORT,remote.type=inet,remote.host=127.0.0.1,
 *           remote.port=GEN_PORT
 *   -netdev hubport,id=hgen,hubid=0,netdev=gen
 *
 * QEMU's dgram netdev takes each datagram that reaches its socket as one
 * Ethernet frame into the hub, and sends every frame of the hub to
 * GEN_PORT. A datagram that finds QEMU's socket buffer full is dropped by
 * the host kernel and counted in /proc/net/udp ("drops" of QEMU's socket):
 * the generator reads that count, so it knows how many of the frames it
 * sent entered the hub.
 *
 * The generator is a host on the hub, MAC GEN_MAC and IPv4 GEN_IP; it
 * answers ARP for that address and takes commands as UDP datagrams to
 * GEN_IP port CTL_PORT (the guest sends them from the peer namespace,
 * see gen-flood.sh):
 *
 *   start ID DST_MAC DST_IP MAX PPS
 *                  flood DST_MAC with 60-byte UDP frames (64 on the wire)
 *                  from GEN_IP port 9 to DST_IP port 9, PPS frames a
 *                  second (in bursts of up to BATCH), until "stop ID", MAX
 *                  frames or MAX_SECS
 *   stop ID        stop; answered (to the stop's sender) with
 *                  "done ID SENT USEC WHY DROPS BACK BACK_DROPS CPU": the
 *                  frames sent, the time taken, why it ended (stop, max,
 *                  time), how many of them QEMU's socket dropped, how many
 *                  came back to GEN_MAC meanwhile (a receiver that sent
 *                  the flood back, as XDP_TX with swap-macs does) and how
 *                  many the generator's own socket dropped (of those and
 *                  anything else on the hub), and where the host's
 *                  CPU time went meanwhile: CPU is "host=P" (the share of
 *                  one host CPU all of them used together, in percent),
 *                  then "NAME=P" for each thread of QEMU's process by its
 *                  name (blanks as '_'), when run.sh gave QEMU a pid file
 *                  (qemu.pid beside PORTFILE); "host=?" if unreadable
 *
 * Each flood is logged on stderr too.
 */
#define _GNU_SOURCE	/* sendmmsg */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define GEN_IP		"10.99.0.3"
#define CTL_PORT	9999
#define FLOOD_PORT	9
#define FRAME_LEN	60	/* without the FCS: 64 on the wire */
#define MAX_SECS	120	/* a flood nobody stops ends here */
#define BATCH		64	/* frames in one sendmmsg() */
#define IDLE_NS		100000	/* sleep when no frame is due */
#define MAX_THREADS	64	/* of QEMU's, accounted */

#define ETH_HLEN	14
#define IP_HLEN		20
#define UDP_HLEN	8
#define HDRS_LEN	(ETH_HLEN + IP_HLEN + UDP_HLEN)

static const uint8_t gen_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0xee };
static uint8_t gen_ip[4];

static int sock;
static struct sockaddr_in qemu_addr;
static unsigned int gen_port;	/* the generator's own UDP port */

/* CPU time in clock ticks: of the whole host, and of QEMU's threads */
struct cpu_times {
	unsigned long long host;
	int nthreads;
	struct {
		int tid;
		char name[32];
		unsigned long long ticks;
	} thread[MAX_THREADS];
};

struct flood {
	bool on;
	char id[32];
	uint8_t frame[FRAME_LEN];
	unsigned long max, sent, pps, drops0;
	unsigned long back, back_drops0;
	double t0;
	struct cpu_times cpu0;
};

static struct flood fl;
static char done_id[32], done_line[1024];
static char qemu_pidfile[4096];

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void put16(uint8_t *p, unsigned int v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static unsigned int get16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static unsigned int ip_csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i < len; i += 2)
		s += get16(p + i);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/* an Ethernet/IPv4/UDP frame from the generator (UDP checksum 0) into
 * buf; returns its length, at least pad_to */
static size_t udp_frame(uint8_t *buf, size_t size, const uint8_t *dst_mac,
			const uint8_t *dst_ip, unsigned int sport,
			unsigned int dport, const void *payload, size_t plen,
			size_t pad_to)
{
	size_t len = HDRS_LEN + plen;
	uint8_t *ip = buf + ETH_HLEN, *udp = ip + IP_HLEN;

	if (len > size)
		return 0;
	memset(buf, 0, size < pad_to ? size : (pad_to > len ? pad_to : len));
	memcpy(buf, dst_mac, 6);
	memcpy(buf + 6, gen_mac, 6);
	put16(buf + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, IP_HLEN + UDP_HLEN + plen);
	put16(ip + 6, 0x4000);		/* DF */
	ip[8] = 64;
	ip[9] = 17;			/* UDP */
	memcpy(ip + 12, gen_ip, 4);
	memcpy(ip + 16, dst_ip, 4);
	put16(ip + 10, ip_csum(ip, IP_HLEN));
	put16(udp, sport);
	put16(udp + 2, dport);
	put16(udp + 4, UDP_HLEN + plen);
	memcpy(udp + UDP_HLEN, payload, plen);
	return len < pad_to ? pad_to : len;
}

static bool send_frame(const void *buf, size_t len)
{
	return sendto(sock, buf, len, 0, (struct sockaddr *)&qemu_addr,
		      sizeof(qemu_addr)) == (ssize_t)len;
}

static bool parse_mac(const char *s, uint8_t *mac)
{
	return sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &mac[0], &mac[1],
		      &mac[2], &mac[3], &mac[4], &mac[5]) == 6;
}

/* drops so far of the UDP socket bound to 127.0.0.1:port (/proc/net/udp) */
static unsigned long udp_drops(unsigned int port)
{
	char line[512], want[32];
	unsigned long drops = 0;
	FILE *f = fopen("/proc/net/udp", "r");

	if (!f)
		return 0;
	snprintf(want, sizeof(want), "0100007F:%04X ", port);
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, want), *tok, *last = NULL;

		if (!p || p - line > 12)
			continue;
		/* the last field: drops */
		for (tok = strtok(line, " \n"); tok; tok = strtok(NULL, " \n"))
			last = tok;
		if (last)
			drops = strtoul(last, NULL, 10);
		break;
	}
	fclose(f);
	return drops;
}

/* busy ticks of all host CPUs so far (/proc/stat), 0 if unreadable */
static unsigned long long host_busy(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (!f)
		return 0;
	/* cpu user nice system idle iowait irq softirq steal */
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n != 8)
		return 0;
	return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
}

/* utime + stime of one thread from its stat file; false if gone */
static bool thread_ticks(const char *path, char *name, size_t size,
			 unsigned long long *ticks)
{
	char line[1024], *open, *close, *p;
	unsigned long long ut, st;
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(line, sizeof(line), f);
	fclose(f);
	/* pid (comm) state ...: the name may hold blanks and parentheses */
	open = ok ? strchr(line, '(') : NULL;
	close = ok ? strrchr(line, ')') : NULL;
	if (!open || !close || close < open)
		return false;
	*close = '\0';
	snprintf(name, size, "%s", open + 1);
	for (p = name; *p; p++)
		if (*p == ' ')
			*p = '_';
	/* after the name: state and 10 more fields, then utime and stime */
	if (sscanf(close + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
		   &ut, &st) != 2)
		return false;
	*ticks = ut + st;
	return true;
}

/* the host's busy time, and each thread of QEMU's process if known */
static void cpu_sample(struct cpu_times *c)
{
	char path[320];
	struct dirent *e;
	DIR *d = NULL;
	FILE *f;
	int pid;

	c->host = host_busy();
	c->nthreads = 0;
	f = qemu_pidfile[0] ? fopen(qemu_pidfile, "r") : NULL;
	if (f) {
		if (fscanf(f, "%d", &pid) == 1) {
			snprintf(path, sizeof(path), "/proc/%d/task", pid);
			d = opendir(path);
		}
		fclose(f);
	}
	while (d && (e = readdir(d)) && c->nthreads < MAX_THREADS) {
		typeof(c->thread[0]) *t = &c->thread[c->nthreads];

		if (e->d_name[0] == '.')
			continue;
		t->tid = atoi(e->d_name);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, t->tid);
		if (thread_ticks(path, t->name, sizeof(t->name), &t->ticks))
			c->nthreads++;
	}
	if (d)
		closedir(d);
}

/*
 * " host=P NAME=P...": what the host's CPUs and QEMU's threads did since
 * @c0, in percent of one CPU over @secs; threads of the same name added
 */
static void cpu_report(char *buf, size_t size, const struct cpu_times *c0,
		       double secs)
{
	static struct cpu_times c1;
	double hz = sysconf(_SC_CLK_TCK), per = hz * secs / 100;
	size_t len;
	int i, j, k;

	cpu_sample(&c1);
	if (!c0->host || !c1.host || per <= 0) {
		snprintf(buf, size, " host=?");
		return;
	}
	len = snprintf(buf, size, " host=%.0f", (c1.host - c0->host) / per);
	for (i = 0; i < c1.nthreads && len < size; i++) {
		unsigned long long sum = 0;

		/* first of its name: add up every thread of that name */
		for (k = 0; k < i && strcmp(c1.thread[k].name, c1.thread[i].name); k++)
			;
		if (k < i)
			continue;
		for (k = i; k < c1.nthreads; k++) {
			if (strcmp(c1.thread[k].name, c1.thread[i].name))
				continue;
			sum += c1.thread[k].ticks;
			/* less what it had used before the flood */
			for (j = 0; j < c0->nthreads; j++)
				if (c0->thread[j].tid == c1.thread[k].tid)
					sum -= c0->thread[j].ticks;
		}
		len += snprintf(buf + len, size - len, " %s=%.0f",
				c1.thread[i].name, sum / per);
	}
}

static void finish(const char *why)
{
	double secs = now() - fl.t0;
	unsigned long drops = udp_drops(ntohs(qemu_addr.sin_port)) - fl.drops0;
	unsigned long back_drops = udp_drops(gen_port) - fl.back_drops0;
	char cpu[768];

	cpu_report(cpu, sizeof(cpu), &fl.cpu0, secs);
	snprintf(done_id, sizeof(done_id), "%s", fl.id);
	snprintf(done_line, sizeof(done_line), "done %s %lu %.0f %s %lu %lu %lu%s\n",
		 fl.id, fl.sent, secs * 1e6, why, drops, fl.back, back_drops, cpu);
	fprintf(stderr, "trafgen: flood %s: %lu frames in %.2f s (%.0f pps), %lu dropped at QEMU's socket, %lu came back (%lu dropped at ours), ended by %s; CPU %%:%s\n",
		fl.id, fl.sent, secs, secs > 0 ? fl.sent / secs : 0.0, drops,
		fl.back, back_drops, why, cpu);
	fl.on = false;
}

/* an ARP request for gen_ip: answer it */
static void handle_arp(const uint8_t *f, size_t len)
{
	uint8_t r[FRAME_LEN] = { 0 };
	const uint8_t *a = f + ETH_HLEN;

	if (len < ETH_HLEN + 28 || get16(a) != 1 || get16(a + 2) != 0x0800 ||
	    a[4] != 6 || a[5] != 4 || get16(a + 6) != 1 ||
	    memcmp(a + 24, gen_ip, 4))
		return;
	memcpy(r, a + 8, 6);		/* to the asker's MAC */
	memcpy(r + 6, gen_mac, 6);
	put16(r + 12, 0x0806);
	memcpy(r + ETH_HLEN, a, 6);	/* same hardware and protocol */
	put16(r + ETH_HLEN + 6, 2);	/* reply */
	memcpy(r + ETH_HLEN + 8, gen_mac, 6);
	memcpy(r + ETH_HLEN + 14, gen_ip, 4);
	memcpy(r + ETH_HLEN + 18, a + 8, 10);	/* the asker's MAC and IP */
	send_frame(r, sizeof(r));
}

static void handle_cmd(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH_HLEN, *udp;
	char text[sizeof(done_line)], id[32], mac_s[32], ip_s[32];
	uint8_t mac[6], dst_ip[4], r[HDRS_LEN + sizeof(done_line)];
	unsigned long max, pps;
	size_t ihl, plen, n;

	if (len < HDRS_LEN || ip[9] != 17 || memcmp(ip + 16, gen_ip, 4))
		return;
	ihl = (ip[0] & 0x0f) * 4;
	udp = ip + ihl;
	if (ETH_HLEN + ihl + UDP_HLEN > len || get16(udp + 2) != CTL_PORT)
		return;
	plen = get16(udp + 4) - UDP_HLEN;
	if (plen > len - ETH_HLEN - ihl - UDP_HLEN)
		return;
	if (plen >= sizeof(text))
		plen = sizeof(text) - 1;
	memcpy(text, udp + UDP_HLEN, plen);
	text[plen] = '\0';

	if (sscanf(text, "start %31s %31s %31s %lu %lu", id, mac_s, ip_s, &max, &pps) == 5 &&
	    pps > 0 &&
	    parse_mac(mac_s, mac) && inet_pton(AF_INET, ip_s, dst_ip) == 1) {
		if (fl.on)
			finish("stop");
		snprintf(fl.id, sizeof(fl.id), "%s", id);
		udp_frame(fl.frame, sizeof(fl.frame), mac, dst_ip, FLOOD_PORT,
			  FLOOD_PORT, "npa-trafgen", 11, FRAME_LEN);
		fl.max = max;
		fl.pps = pps;
		fl.sent = 0;
		fl.drops0 = udp_drops(ntohs(qemu_addr.sin_port));
		fl.back = 0;
		fl.back_drops0 = udp_drops(gen_port);
		cpu_sample(&fl.cpu0);
		fl.t0 = now();
		fl.on = true;
		fprintf(stderr, "trafgen: flood %s: to %s %s, at most %lu frames, %lu a second\n",
			id, mac_s, ip_s, max, pps);
	} else if (sscanf(text, "stop %31s", id) == 1) {
		if (fl.on && !strcmp(fl.id, id))
			finish("stop");
		if (strcmp(done_id, id))
			snprintf(text, sizeof(text), "unknown %s\n", id);
		else
			snprintf(text, sizeof(text), "%s", done_line);
		/* back to the asker: its MAC, IP and port */
		n = udp_frame(r, sizeof(r), f + 6, ip + 12, CTL_PORT,
			      get16(udp), text, strlen(text), FRAME_LEN);
		if (n)
			send_frame(r, n);
	} else {
		fprintf(stderr, "trafgen: ignored command '%s'\n", text);
	}
}

/*
 * A frame of the running flood, sent back to the generator: to GEN_MAC,
 * still from GEN_IP and to FLOOD_PORT (only its MACs swapped).
 */
static bool flood_came_back(const uint8_t *f, size_t len)
{
	const uint8_t *ip = f + ETH_HLEN;
	size_t ihl;

	if (!fl.on || len < HDRS_LEN || memcmp(f, gen_mac, 6) ||
	    get16(f + 12) != 0x0800 || ip[9] != 17 || memcmp(ip + 12, gen_ip, 4))
		return false;
	ihl = (ip[0] & 0x0f) * 4;
	return ETH_HLEN + ihl + UDP_HLEN <= len &&
	       get16(ip + ihl + 2) == FLOOD_PORT;
}

static void handle(const uint8_t *f, size_t len)
{
	if (len < ETH_HLEN)
		return;
	if (flood_came_back(f, len))
		fl.back++;
	else if (get16(f + 12) == 0x0806)
		handle_arp(f, len);
	else if (get16(f + 12) == 0x0800)
		handle_cmd(f, len);
}

/* send the frames of the flood that are due, up to BATCH; sleep if none is */
static void flood_batch(void)
{
	static struct mmsghdr msgs[BATCH];
	static struct iovec iov;
	unsigned long due;
	double t = now();
	int i, n;

	due = (t - fl.t0) * fl.pps;
	if (due > fl.max)
		due = fl.max;
	n = due - fl.sent > BATCH ? BATCH : due - fl.sent;
	if (n <= 0) {
		struct timespec ts = { .tv_nsec = IDLE_NS };

		nanosleep(&ts, NULL);
	} else {
		iov.iov_base = fl.frame;
		iov.iov_len = sizeof(fl.frame);
		for (i = 0; i < n; i++) {
			msgs[i].msg_hdr.msg_iov = &iov;
			msgs[i].msg_hdr.msg_iovlen = 1;
			msgs[i].msg_hdr.msg_name = &qemu_addr;
			msgs[i].msg_hdr.msg_namelen = sizeof(qemu_addr);
		}
		/* (errors: QEMU not there; the frame counts as sent, and lost) */
		if (sendmmsg(sock, msgs, n, 0) < 0 && errno != ECONNREFUSED)
			fprintf(stderr, "trafgen: sendmmsg: %s\n", strerror(errno));
		fl.sent += n;
	}
	if (fl.sent >= fl.max)
		finish("max");
	else if (t - fl.t0 > MAX_SECS)
		finish("time");
}

/* a free UDP port on 127.0.0.1 (for QEMU's socket), or 0 */
static unsigned int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	unsigned int port = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && !bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
	    !getsockname(fd, (struct sockaddr *)&a, &len))
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

int main(int argc, char **argv)
{
	struct sockaddr_in me = { .sin_family = AF_INET };
	socklen_t len = sizeof(me);
	uint8_t buf[65536];
	unsigned int qport;
	const char *p;
	ssize_t n;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: trafgen PORTFILE\n");
		return 2;
	}
	inet_pton(AF_INET, GEN_IP, gen_ip);
	me.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sock = socket(AF_INET, SOCK_DGRAM, 0);
	if (sock < 0 || bind(sock, (struct sockaddr *)&me, sizeof(me)) ||
	    getsockname(sock, (struct sockaddr *)&me, &len)) {
		fprintf(stderr, "trafgen: socket: %s\n", strerror(errno));
		return 1;
	}
	qport = free_port();
	if (!qport) {
		fprintf(stderr, "trafgen: no free port for QEMU: %s\n", strerror(errno));
		return 1;
	}
	qemu_addr.sin_family = AF_INET;
	qemu_addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	qemu_addr.sin_port = htons(qport);
	gen_port = ntohs(me.sin_port);
	/* run.sh's QEMU writes its pid beside the port file */
	p = strrchr(argv[1], '/');
	snprintf(qemu_pidfile, sizeof(qemu_pidfile), "%.*sqemu.pid",
		 p ? (int)(p - argv[1] + 1) : 0, argv[1]);
	f = fopen(argv[1], "w");
	if (!f || fprintf(f, "%u %u\n", ntohs(me.sin_port), qport) < 0 || fclose(f)) {
		fprintf(stderr, "trafgen: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	for (;;) {
		if (!fl.on) {
			n = recv(sock, buf, sizeof(buf), 0);
			if (n < 0 && errno != EINTR && errno != ECONNREFUSED) {
				fprintf(stderr, "trafgen: recv: %s\n", strerror(errno));
				return 1;
			}
			if (n > 0)
				handle(buf, n);
			continue;
		}
		flood_batch();
		while ((n = recv(sock, buf, sizeof(buf), MSG_DONTWAIT)) > 0)
			handle(buf, n);
	}
}
