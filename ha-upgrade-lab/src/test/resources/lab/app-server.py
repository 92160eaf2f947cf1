#!/usr/bin/python3
"""The lab node's versioned HTTP service.

Reads its node name, version and warm-up from /opt/app (NODE, VERSION, WARMUP) when it starts, so
an upgrade is: write the new VERSION, restart. It listens only after the warm-up, like a service
that loads before it serves. Every response names the node and the version in X-Node / X-Version.
A version containing "broken" serves / but fails /health: the lab's way to make a verify fail.
"""
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

APP = Path("/opt/app")
NODE = (APP / "NODE").read_text().strip()
VERSION = (APP / "VERSION").read_text().strip()
WARMUP = float((APP / "WARMUP").read_text().strip() or "0")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    # A connection whose client went away silently (its segments went to another node during a VIP move)
    # must not hold a thread forever.
    timeout = 2

    def do_GET(self):
        healthy = "broken" not in VERSION
        if self.path == "/health":
            status, body = (200, "ok\n") if healthy else (500, "unhealthy: version %s is broken\n" % VERSION)
        else:
            status, body = 200, "%s %s\n" % (NODE, VERSION)
        # One write for the whole response: the connection is over in as few packets as possible, which keeps
        # the window in which a VIP move can catch a request in flight small.
        self.wfile.write(("HTTP/1.0 %d %s\r\nX-Node: %s\r\nX-Version: %s\r\nContent-Type: text/plain\r\n"
                          "Content-Length: %d\r\nConnection: close\r\n\r\n%s"
                          % (status, "OK" if status == 200 else "Internal Server Error", NODE, VERSION,
                             len(body.encode()), body)).encode())

    def log_message(self, fmt, *args):
        pass


def main():
    time.sleep(WARMUP)
    # A thread per connection: one slow or dead connection does not hold up the others.
    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer.daemon_threads = True
    ThreadingHTTPServer.request_queue_size = 64
    server = ThreadingHTTPServer(("0.0.0.0", 8080), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("%s serving version %s" % (NODE, VERSION), flush=True)
    server.serve_forever(poll_interval=0.1)


if __name__ == "__main__":
    main()
