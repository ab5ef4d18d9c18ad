#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""page_pools.py - list the kernel's page pools (netdev netlink family).

One line per pool: "id N ifindex N inflight N inflight_mem N detached 0|1".
A pool whose driver destroyed it but whose pages are still out is listed
with detached 1 until the last page comes back: after a driver let go of
its pools, none of its pools should stay listed. The same dump as the
kernel's ynl "netdev page-pool-get", with nothing but the standard library.
"""
import os
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NETDEV_CMD_PAGE_POOL_GET = 5
POOL_ATTRS = {1: "id", 2: "ifindex", 4: "inflight", 5: "inflight_mem", 6: "detach_time"}
NLM_F_REQUEST = 1
NLM_F_DUMP = 0x300
NLMSG_ERROR = 2
NLMSG_DONE = 3


def attrs(buf):
    """The (type, payload) pairs of a run of netlink attributes."""
    while len(buf) >= 4:
        alen, atype = struct.unpack_from("=HH", buf)
        if alen < 4:
            break
        yield atype & 0x3FFF, buf[4:alen]
        buf = buf[(alen + 3) & ~3:]


def request(sock, family, cmd, flags, payload=b""):
    """Send one generic netlink request; yield the payloads of the answers."""
    msg = struct.pack("=BBH", cmd, 1, 0) + payload
    sock.send(struct.pack("=IHHII", 16 + len(msg), family, NLM_F_REQUEST | flags, 1, 0) + msg)
    while True:
        data = sock.recv(1 << 16)
        while data:
            mlen, mtype = struct.unpack_from("=IH", data)
            body = data[16:mlen]
            data = data[(mlen + 3) & ~3:]
            if mtype == NLMSG_DONE:
                return
            if mtype == NLMSG_ERROR:
                err = -struct.unpack_from("=i", body)[0]
                if err:
                    raise OSError(err, os.strerror(err))
                return
            yield body[4:]
            if not flags & NLM_F_DUMP:
                return


def main():
    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    name = b"netdev\0"
    attr = struct.pack("=HH", 4 + len(name), CTRL_ATTR_FAMILY_NAME) + name
    family = None
    for body in request(sock, GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 0, attr + b"\0" * (-len(attr) % 4)):
        for atype, val in attrs(body):
            if atype == CTRL_ATTR_FAMILY_ID:
                family = struct.unpack("=H", val[:2])[0]
    if family is None:
        sys.exit("Error: no netdev netlink family")
    for body in request(sock, family, NETDEV_CMD_PAGE_POOL_GET, NLM_F_DUMP):
        pool = {"id": 0, "ifindex": 0, "inflight": 0, "inflight_mem": 0, "detach_time": None}
        for atype, val in attrs(body):
            if atype in POOL_ATTRS:
                fmt = "=I" if len(val) == 4 else "=Q"
                pool[POOL_ATTRS[atype]] = struct.unpack(fmt, val[:struct.calcsize(fmt)])[0]
        print("id %d ifindex %d inflight %d inflight_mem %d detached %d" %
              (pool["id"], pool["ifindex"], pool["inflight"], pool["inflight_mem"],
               pool["detach_time"] is not None))


if __name__ == "__main__":
    main()
