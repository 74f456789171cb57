#!/usr/bin/env python3
"""`camleak proxy` as a user runs it: a link file, the control API, shutdown on SIGTERM.

  proxy_cli_check.py CAMLEAK

Starts a TCP echo server (loopback, port 0), then `camleak proxy --config links.yaml --api
127.0.0.1:0` with one link carrying 150 ms of downstream latency. Checks: the link and the API
are announced; /version and /proxies answer in Toxiproxy's shapes, numbers printed as Toxiproxy
prints them ("toxicity":1, not 1E0); a 10 MB body is answered 413 with Toxiproxy's JSON error
(not a reset connection) and the API still serves after it; bytes echo through the link
no sooner than the latency; a second proxy on the same API port exits 2 naming the problem; a
malformed link file exits 2 with file:line:col; SIGTERM ends the proxy with exit 0 within 5 s
and its ports stop listening. Every wait has a deadline.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

camleak = sys.argv[1]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


def echo_server():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=lambda c=conn: [c.sendall(d) for d in iter(lambda: c.recv(65536), b"")],
                             daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return server


def wait_for_line(proc, pattern, deadline_s, lines):
    end = time.monotonic() + deadline_s
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if not line:
            if proc.poll() is not None:
                return None
            continue
        lines.append(line)
        m = re.search(pattern, line)
        if m:
            return m
    return None


def listening(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def get(url):
    with urllib.request.urlopen(url, timeout=5) as r:
        return r.status, r.read().decode()


def post(port, path, body, timeout=30):
    """Status and body text; http.client sends the whole body before it reads the answer, as most
    clients do, so a server that closes early shows up as a reset, not as an answer."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json"})
        r = conn.getresponse()
        return r.status, r.read().decode()
    finally:
        conn.close()


with tempfile.TemporaryDirectory() as tmp:
    echo = echo_server()
    links = os.path.join(tmp, "links.yaml")
    with open(links, "w") as f:
        f.write(f"""- name: echo
  upstream: 127.0.0.1:{echo.getsockname()[1]}
  toxics:
    - {{type: latency, stream: downstream, attributes: {{latency: 150ms}}}}
""")
    proc = subprocess.Popen([camleak, "proxy", "--config", links, "--api", "127.0.0.1:0"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    try:
        link = wait_for_line(proc, r"link echo: tcp 127\.0\.0\.1:(\d+) ->", 10, lines)
        api = wait_for_line(proc, r"control API on http://127\.0\.0\.1:(\d+)", 10, lines)
        check(link is not None and api is not None, "link and API announced: " + "".join(lines).strip())
        if link is None or api is None:
            raise SystemExit(1)
        link_port, api_port = int(link.group(1)), int(api.group(1))

        status, body = get(f"http://127.0.0.1:{api_port}/version")
        check(status == 200 and "camleak" in body, f"/version answers: {body.strip()}")
        status, body = get(f"http://127.0.0.1:{api_port}/proxies")
        proxies = json.loads(body)
        check(status == 200 and proxies.get("echo", {}).get("upstream", "").endswith(str(echo.getsockname()[1])),
              "/proxies lists the link with its upstream")
        check(any(t.get("type") == "latency" for t in proxies["echo"].get("toxics", [])), "/proxies shows the toxic")

        status, body = post(api_port, "/proxies", json.dumps({"name": "numbers", "upstream": "127.0.0.1:1"}))
        check(status == 201, f"second proxy created: {status} {body}")
        status, body = post(api_port, "/proxies/numbers/toxics",
                            json.dumps({"type": "latency", "attributes": {"latency": 5}}))
        check(status == 200 and '"toxicity":1,' in body and "E0" not in body,
              f"created toxic prints \"toxicity\":1 as Toxiproxy does: {body}")
        status, body = post(api_port, "/proxies/numbers/toxics",
                            json.dumps({"type": "bandwidth", "toxicity": 0, "attributes": {"rate": 100}}))
        check(status == 200 and '"toxicity":0,' in body and '"rate":100' in body, f"toxicity 0 prints as 0: {body}")

        try:
            status, body = post(api_port, "/proxies", b"x" * (10 * 1024 * 1024))
            error = json.loads(body)
            check(status == 413 and error.get("status") == 413 and "too large" in error.get("error", ""),
                  f"10 MB body: {status} {body}")
        except (OSError, http.client.HTTPException, ValueError) as e:
            check(False, f"10 MB body answered: {type(e).__name__}: {e}")
        status, body = get(f"http://127.0.0.1:{api_port}/version")
        check(status == 200, "API still serves after the oversized request")

        with socket.create_connection(("127.0.0.1", link_port), timeout=5) as c:
            start = time.monotonic()
            c.sendall(b"ping")
            got = b""
            while len(got) < 4:
                chunk = c.recv(4)
                if not chunk:
                    break
                got += chunk
            elapsed = time.monotonic() - start
        check(got == b"ping", "bytes echo through the link")
        check(elapsed >= 0.14, f"latency applied ({elapsed * 1000:.0f} ms >= 150 ms)")

        second = subprocess.run([camleak, "proxy", "--api", f"127.0.0.1:{api_port}"],
                                capture_output=True, text=True, timeout=10)
        check(second.returncode == 2 and str(api_port) in second.stderr,
              f"API port in use: exit {second.returncode}, {second.stderr.strip()}")

        bad = os.path.join(tmp, "bad.yaml")
        with open(bad, "w") as f:
            f.write("- name: x\n  upstream: 127.0.0.1:1\n  toxics:\n    - {type: latancy}\n")
        third = subprocess.run([camleak, "proxy", "--config", bad, "--api", ""],
                               capture_output=True, text=True, timeout=10)
        check(third.returncode == 2 and re.search(r"bad\.yaml:4:\d+", third.stderr) is not None,
              f"bad link file: exit {third.returncode}, {third.stderr.strip()}")

        proc.send_signal(signal.SIGTERM)
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        check(code == 0, f"SIGTERM: exit {code}")
        check(not listening(link_port) and not listening(api_port), "link and API ports closed after exit")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        echo.close()

if failures:
    print(f"{len(failures)} check(s) failed")
    sys.exit(1)
print("PASS")
