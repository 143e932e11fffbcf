#!/usr/bin/env python3
"""Latency of requests on one kept-alive connection, as a plain client sees it.

A server that leaves Nagle's algorithm on for its accepted connections and writes one response
in several small pieces (as a chunked, gzip-compressed body is written: the compressed data,
then the last bytes and the final chunk) holds the last piece until the client has
acknowledged the first; a client that delays that ACK (40 ms on Linux) then waits that long
for every such response on a kept-alive connection. Whether the client sets TCP_NODELAY itself
does not matter: Python's http.client sets it since 3.7 and still waits. This script measures
both, with and without `Accept-Encoding: gzip`, against a running server:

    cargo build --release
    target/release/jixiao --addr 127.0.0.1:18090 --db /tmp/x.db &
    scripts/keepalive-latency.py --port 18090

Standard library only.
"""

import argparse
import http.client
import socket
import statistics
import sys
import time


class NagleConnection(http.client.HTTPConnection):
    """http.client as it was before Python 3.7: TCP_NODELAY off on the client's socket."""

    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)


def measure(host, port, path, count, headers, nagle):
    """Times `count` GETs on one connection, after one untimed request that opens it."""
    kind = NagleConnection if nagle else http.client.HTTPConnection
    conn = kind(host, port, timeout=10)
    conn.connect()
    nodelay = conn.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    if bool(nodelay) == nagle:
        sys.exit(f"the client socket's TCP_NODELAY is {nodelay}, not what this case measures")
    timings = []
    for attempt in range(count + 1):
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        elapsed = time.perf_counter() - started
        if response.status != 200:
            sys.exit(f"GET {path}: {response.status} {body[:200]!r}")
        if response.will_close:
            sys.exit(f"GET {path}: the server closed the connection; no keep-alive to measure")
        if attempt > 0:
            timings.append(elapsed * 1000)
        encoding = response.getheader("Content-Encoding", "identity")
    conn.close()
    return timings, encoding, len(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--path", default="/api/v1/evaluations/1")
    parser.add_argument("--count", type=int, default=50, help="timed requests per case")
    args = parser.parse_args()

    print(f"GET {args.path} on one kept-alive connection, {args.count} timed requests each")
    print(
        f"{'client':<24} {'Accept-Encoding':<16} {'coding':<9} {'bytes':>7} "
        f"{'median ms':>10} {'p90 ms':>8} {'max ms':>8}"
    )
    for nagle in (True, False):
        client = "client TCP_NODELAY off" if nagle else "client TCP_NODELAY on"
        for accept in ("gzip", "identity"):
            headers = {"Accept-Encoding": accept}
            timings, encoding, size = measure(
                args.host, args.port, args.path, args.count, headers, nagle
            )
            timings.sort()
            p90 = timings[max(int(len(timings) * 0.9) - 1, 0)]
            print(
                f"{client:<24} {accept:<16} {encoding:<9} {size:>7} "
                f"{statistics.median(timings):>10.2f} {p90:>8.2f} {timings[-1]:>8.2f}"
            )


if __name__ == "__main__":
    main()
