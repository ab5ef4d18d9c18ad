#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A TCP stream for the failover tests, paced so that it outlasts them.

  stream.py send IP PORT STOPFILE   send until STOPFILE exists, then close
  stream.py recv PORT               take one connection, read it to the end

Both print "BYTES SHA256" of what went through the socket: the two lines
match when nothing was lost, duplicated or reordered.
"""
import hashlib
import os
import random
import socket
import sys
import time

CHUNK = 16384
PACE = 0.01	# seconds between chunks: about 1.6 MB/s at most


def send(ip, port, stopfile):
    rnd = random.Random(port)
    digest, total = hashlib.sha256(), 0
    with socket.create_connection((ip, int(port)), timeout=60) as s:
        while not os.path.exists(stopfile):
            data = rnd.randbytes(CHUNK)
            s.sendall(data)
            digest.update(data)
            total += len(data)
            time.sleep(PACE)
    print(total, digest.hexdigest())


def recv(port):
    digest, total = hashlib.sha256(), 0
    with socket.create_server(("", int(port))) as srv:
        srv.settimeout(30)
        conn, _ = srv.accept()
        conn.settimeout(60)
        with conn:
            while data := conn.recv(65536):
                digest.update(data)
                total += len(data)
    print(total, digest.hexdigest())


if __name__ == "__main__":
    if sys.argv[1:2] == ["send"] and len(sys.argv) == 5:
        send(*sys.argv[2:])
    elif sys.argv[1:2] == ["recv"] and len(sys.argv) == 3:
        recv(sys.argv[2])
    else:
        sys.exit(__doc__)
