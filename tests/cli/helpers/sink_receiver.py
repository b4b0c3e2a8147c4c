#!/usr/bin/env python3
"""Loopback receivers for watch's alert sinks (tests t10020-t10022).

  sink_receiver.py webhook DIR [--secret S] [--fail N] [--retry-after S]
                                 [--gone] [--slow N]
  sink_receiver.py udp|tcp DIR
  sink_receiver.py unix DIR          (a datagram socket DIR/sock)

Each listens on 127.0.0.1 on a port the system picks, writes that port to
DIR/port once it listens (written whole: a rename), and appends one JSON
line per message received to DIR/log (a webhook request's with its time,
"at"). The webhook receiver checks every
request's Standard Webhooks signature with the secret (whsec_<base64>):
a bad one is logged with "valid": false and answered 401. It answers 410
to all when --gone, else 500 to the first N valid requests (with
Retry-After on the first when --retry-after), then 200; with --slow N it
first keeps N valid requests waiting 3 s (logged as "slow") before the rest. The TCP receiver
reads octet-counted frames (RFC 6587) and logs "bad_frame" on anything else.
"""
import base64
import hashlib
import hmac
import http.server
import json
import os
import socket
import sys
import time


def log(d, rec):
    with open(os.path.join(d, "log"), "a") as f:
        f.write(json.dumps(rec, sort_keys=True) + "\n")


def say_port(d, port):
    tmp = os.path.join(d, "port.tmp")
    with open(tmp, "w") as f:
        f.write(str(port))
    os.rename(tmp, os.path.join(d, "port"))


def webhook(d, args):
    secret = args.get("--secret", "")
    key = base64.b64decode(secret[6:] if secret.startswith("whsec_") else secret)
    fail = int(args.get("--fail", "0"))
    retry_after = args.get("--retry-after")
    gone = "--gone" in args
    slow = int(args.get("--slow", "0"))
    state = {"valid": 0, "slow": 0}

    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hid = self.headers.get("webhook-id", "")
            ts = self.headers.get("webhook-timestamp", "")
            sig = self.headers.get("webhook-signature", "")
            mac = hmac.new(key, f"{hid}.{ts}.".encode() + body, hashlib.sha256)
            want = "v1," + base64.b64encode(mac.digest()).decode()
            valid = any(hmac.compare_digest(want, s) for s in sig.split(" "))
            headers = {}
            if valid and state["slow"] < slow:
                state["slow"] += 1
                log(d, {"id": hid, "valid": valid, "status": "slow"})
                time.sleep(3)
                try:
                    self.send_response(200)
                    self.end_headers()
                except OSError:
                    pass
                return
            if not valid:
                status = 401
            elif gone:
                status = 410
            else:
                state["valid"] += 1
                status = 500 if state["valid"] <= fail else 200
                if state["valid"] == 1 and status == 500 and retry_after:
                    headers["Retry-After"] = retry_after
            log(d, {"path": self.path, "id": hid, "ts": ts, "sig": sig,
                    "at": time.time(),
                    "valid": valid, "status": status,
                    "content_type": self.headers.get("Content-Type"),
                    "body": body.decode("utf-8", "replace")})
            self.send_response(status)
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", "0")
            self.end_headers()

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), H)
    srv.daemon_threads = True
    say_port(d, srv.server_address[1])
    srv.serve_forever()


def udp(d):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    say_port(d, s.getsockname()[1])
    while True:
        data = s.recv(65536)
        log(d, {"msg": data.decode("utf-8", "replace")})


def unix(d):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    s.bind(os.path.join(d, "sock"))
    say_port(d, 0)
    while True:
        data = s.recv(65536)
        log(d, {"msg": data.decode("utf-8", "replace")})


def tcp(d):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    s.listen(8)
    say_port(d, s.getsockname()[1])
    while True:
        c, _ = s.accept()
        buf = b""
        while True:
            data = c.recv(65536)
            if not data:
                break
            buf += data
            while buf:
                sp = buf.find(b" ")
                if sp < 0:
                    break
                if not buf[:sp].isdigit() or buf[:1] == b"0":
                    log(d, {"bad_frame": buf.decode("utf-8", "replace")})
                    buf = b""
                    break
                n = int(buf[:sp])
                if len(buf) < sp + 1 + n:
                    break
                log(d, {"msg": buf[sp + 1:sp + 1 + n].decode("utf-8", "replace")})
                buf = buf[sp + 1 + n:]
        if buf:
            log(d, {"bad_frame": buf.decode("utf-8", "replace")})
        c.close()


def main():
    kind, d = sys.argv[1], sys.argv[2]
    rest = sys.argv[3:]
    args = {}
    i = 0
    while i < len(rest):
        if rest[i] == "--gone":
            args["--gone"] = True
            i += 1
        else:
            args[rest[i]] = rest[i + 1]
            i += 2
    {"webhook": lambda: webhook(d, args), "udp": lambda: udp(d),
     "tcp": lambda: tcp(d), "unix": lambda: unix(d)}[kind]()


if __name__ == "__main__":
    main()
