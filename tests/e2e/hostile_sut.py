#!/usr/bin/env python3
"""A hostile system under test for camleak's external-SUT mode (stdlib only).

It provisions like a correct relay (the admin contract of DESIGN.md answers 200/204, GET /health
200) but misbehaves on its media ports, so that a harness which trusts "nothing bad was seen"
would pass it. Each --mode is one way a relay can be useless while never leaking a frame:

  black-hole    RTSP publish and play succeed (auth checked against what was provisioned:
                401 without rights, 404 for unknown cameras), the cameras' media is discarded
                and viewers get nothing; snapshots answer 404.
  silent        TCP on the RTSP and snapshot ports is accepted and never answered.
  garbage       every request on the RTSP and snapshot ports gets random bytes, then a close.
  header-flood  every request gets a status line and one 10 MB header line, then a close.
  probe-grant   RTSP as black-hole; every snapshot GET is granted (200, image/jpeg) with a body
                over 4 MiB (--probe-body huge) or a chunked body that never ends (endless).

    hostile_sut.py --mode MODE --rtsp PORT --http PORT --admin PORT [--pid-file F]

Ports are bound on --host (127.0.0.1). A port that cannot be bound ends it with status 3 and
"cannot listen" on stderr, so a checker can tell that apart and retry with other ports.
Every request and a summary at SIGTERM go to stderr.
"""
import argparse
import asyncio
import base64
import binascii
import collections
import json
import os
import random
import re
import secrets
import signal
import sys

MODES = ("black-hole", "silent", "garbage", "header-flood", "probe-grant")
FLOOD_BYTES = 10 * 1000 * 1000  # one header line, far over any sane header limit
HUGE_BODY_BYTES = 5 * 1024 * 1024 + 17  # over the hub's 4 MiB snapshot cap
WRITE_CHUNK = 64 * 1024
CAMERA_PATH = re.compile(r"/cameras/([^/?#]+)")
# A valid H.264 SDP (Baseline 3.1, packetization mode 1) with one track under streamid=0.
SDP_TEMPLATE = (
    "v=0\r\no=- 1 1 IN IP4 {host}\r\ns={camera}\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
    "a=control:*\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 packetization-mode=1;profile-level-id=42e01f\r\na=control:streamid=0\r\n"
)

counters = collections.Counter()
# A peer that went away mid-exchange, and input that cannot be framed: both end a connection.
PEER_GONE = (ConnectionError, asyncio.IncompleteReadError)
BAD_INPUT = (ValueError, asyncio.LimitOverrunError)


def log(message):
    print(f"hostile-sut: {message}", file=sys.stderr, flush=True)


class Provisioning:
    """What the harness provisioned over the admin API: the ground truth for refusals."""

    def __init__(self):
        self.tokens = {}  # account -> token
        self.cameras = {}  # camera -> (owner, secret)
        self.shares = set()  # (camera, account)

    def check_camera(self, camera, user, password):
        """RTSP status for a camera publishing itself."""
        if camera not in self.cameras:
            return 404
        return 200 if user == camera and password == self.cameras[camera][1] else 401

    def check_viewer(self, camera, user, password):
        """RTSP status for an account playing a camera."""
        if camera not in self.cameras:
            return 404
        if user not in self.tokens or self.tokens[user] != password:
            return 401
        visible = self.cameras[camera][0] == user or (camera, user) in self.shares
        return 200 if visible else 401


def basic_credentials(headers):
    value = headers.get("authorization", "")
    scheme, _, encoded = value.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        user, _, password = base64.b64decode(encoded.strip()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    return user, password


async def read_head(reader, prefix=b""):
    """One request head: (method, target, headers with lower-case names), or None at EOF.
    `prefix` is its start when the caller already consumed it."""
    try:
        raw = prefix + await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    lines = raw.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) < 2:
        raise ValueError(f"bad request line {lines[0][:80]!r}")
    headers = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return parts[0], parts[1], headers


async def read_body(reader, headers):
    length = int(headers.get("content-length", "0") or "0")
    return await reader.readexactly(length) if length else b""


async def write_all(writer, data):
    for start in range(0, len(data), WRITE_CHUNK):
        writer.write(data[start:start + WRITE_CHUNK])
        await writer.drain()


def close(writer):
    if not writer.is_closing():
        writer.close()


# ---------------------------------------------------------------- admin (the SUT contract)


async def serve_admin(provisioning, reader, writer):
    try:
        while True:
            head = await read_head(reader)
            if head is None:
                return
            method, target, headers = head
            body = await read_body(reader, headers)
            status = admin_request(provisioning, method, target.split("?")[0], body)
            counters[f"admin_{status}"] += 1
            log(f"admin {method} {target} -> {status}")
            payload = b"{}" if status == 200 else b""
            writer.write(f"HTTP/1.1 {status} {'OK' if status < 300 else 'Error'}\r\n"
                         f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
                         "\r\n".encode() + payload)
            await writer.drain()
            if headers.get("connection", "").lower() == "close":
                return
    except PEER_GONE + BAD_INPUT as e:
        log(f"admin connection ended: {e!r}")
    finally:
        close(writer)


def admin_request(provisioning, method, path, body):
    """Status for one admin request; provisioning calls update the ground truth."""
    if method == "GET" and path in ("/health", "/admin/health"):
        return 200
    parts = path.strip("/").split("/")
    try:
        document = json.loads(body) if body else {}
    except ValueError:
        return 400
    if method == "PUT" and len(parts) == 3 and parts[:2] == ["admin", "accounts"]:
        provisioning.tokens[parts[2]] = str(document.get("token", ""))
        return 200
    if method == "PUT" and len(parts) == 3 and parts[:2] == ["admin", "cameras"]:
        provisioning.cameras[parts[2]] = (str(document.get("owner", "")),
                                          str(document.get("secret", "")))
        return 200
    if len(parts) == 5 and parts[:2] == ["admin", "cameras"] and parts[3] == "shares":
        if method == "PUT":
            provisioning.shares.add((parts[2], parts[4]))
            return 200
        if method == "DELETE":
            provisioning.shares.discard((parts[2], parts[4]))
            return 204
    return 404


# ---------------------------------------------------------------- RTSP that works but delivers nothing


class BlackHoleRtsp:
    """Answers publish and play like a relay, then drops every RTP packet it is sent."""

    def __init__(self, provisioning, udp_ports):
        self.provisioning = provisioning
        self.udp_ports = udp_ports  # (rtp, rtcp) of the discard sockets, for RTP over UDP

    async def serve(self, reader, writer):
        peer = writer.get_extra_info("peername")
        try:
            while True:
                first = await reader.readexactly(1)
                if first == b"$":  # interleaved RTP/RTCP: the media this relay throws away
                    header = await reader.readexactly(3)
                    await reader.readexactly(int.from_bytes(header[1:3], "big"))
                    counters["rtp_discarded"] += 1
                    continue
                head = await read_head(reader, first)
                if head is None:
                    return
                body = await read_body(reader, head[2])
                if not await self.answer(writer, peer, *head, body):
                    return
        except PEER_GONE:
            return  # the client hung up: the normal end of a session here
        except BAD_INPUT as e:
            log(f"rtsp {peer}: unparsable input, closing: {e!r}")
        finally:
            close(writer)

    async def answer(self, writer, peer, method, uri, headers, body):
        """Writes the response; False when the connection should close."""
        camera_match = CAMERA_PATH.search(uri)
        camera = camera_match.group(1) if camera_match else None
        user, password = basic_credentials(headers)
        status, extra, payload = 200, [], b""
        publishing = method in ("ANNOUNCE", "RECORD") or (
            method == "SETUP" and "mode=record" in headers.get("transport", "").lower())
        if method == "OPTIONS":
            extra.append("Public: OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, RECORD, TEARDOWN, "
                         "GET_PARAMETER, SET_PARAMETER")
        elif method in ("ANNOUNCE", "DESCRIBE", "SETUP", "RECORD", "PLAY"):
            if camera is None:
                status = 404
            elif publishing:
                status = self.provisioning.check_camera(camera, user, password)
            else:
                status = self.provisioning.check_viewer(camera, user, password)
        elif method not in ("GET_PARAMETER", "SET_PARAMETER", "TEARDOWN"):
            status = 501
        if status == 200:
            extra, payload = self.success(method, uri, camera, headers, writer, extra)
        elif status == 401:
            extra.append('WWW-Authenticate: Basic realm="hostile-sut"')
        counters[f"rtsp_{method}_{status}"] += 1
        log(f"rtsp {peer[1]} {method} {camera or uri} as {user} -> {status}")
        lines = [f"RTSP/1.0 {status} {'OK' if status == 200 else 'Refused'}",
                 f"CSeq: {headers.get('cseq', '0')}", "Server: hostile-sut", *extra]
        if payload:
            lines.append(f"Content-Length: {len(payload)}")
        writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + payload)
        await writer.drain()
        return method != "TEARDOWN"

    def success(self, method, uri, camera, headers, writer, extra):
        """Headers and body of a 200 to `method`."""
        payload = b""
        session = headers.get("session", "").split(";")[0]
        if method == "DESCRIBE":
            host = writer.get_extra_info("sockname")[0]
            payload = SDP_TEMPLATE.format(host=host, camera=camera).encode()
            extra += ["Content-Type: application/sdp", f"Content-Base: {uri.rstrip('/')}/"]
        elif method == "SETUP":
            # A new session every time: resume hints in the request are not trusted.
            session = secrets.token_hex(8)
            extra.append(f"Transport: {self.transport_answer(headers.get('transport', ''))}")
        elif method == "PLAY":
            extra += ["Range: npt=0.000-", f"RTP-Info: url={uri};seq=0;rtptime=0"]
        if session:
            extra.append(f"Session: {session};timeout=60")
        return extra, payload

    def transport_answer(self, offer):
        """The client's first transport spec, echoed; over UDP with our discard ports."""
        spec = offer.split(",")[0].strip()
        if "/TCP" in spec.upper():
            return spec if "interleaved=" in spec else spec + ";interleaved=0-1"
        return f"{spec};server_port={self.udp_ports[0]}-{self.udp_ports[1]}"


class DiscardDatagrams(asyncio.DatagramProtocol):
    def datagram_received(self, data, addr):
        counters["udp_discarded"] += 1


# ---------------------------------------------------------------- ports that never work


async def serve_silent(kind, reader, writer):
    """Takes the connection and every byte sent on it, answers nothing."""
    counters[f"{kind}_silent_connections"] += 1
    try:
        while await reader.read(WRITE_CHUNK):
            pass
    except ConnectionError:
        counters[f"{kind}_silent_resets"] += 1  # the client gave up waiting: what silence provokes
    finally:
        close(writer)


async def serve_garbage(kind, rng, reader, writer):
    """One request, answered with random bytes (never '$' or 'R' first: not RTSP, not HTTP)."""
    try:
        if await read_head(reader) is None:
            return
        noise = bytearray(rng.randbytes(rng.randrange(256, 4096)))
        noise[0] = 0x00
        counters[f"{kind}_garbage_answers"] += 1
        await write_all(writer, bytes(noise))
    except PEER_GONE + BAD_INPUT as e:
        log(f"{kind} garbage connection ended early: {e!r}")
    finally:
        close(writer)


async def serve_flood(kind, reader, writer):
    """One request, answered with a 200 status line and a single 10 MB header line."""
    status_line = b"RTSP/1.0 200 OK\r\n" if kind == "rtsp" else b"HTTP/1.1 200 OK\r\n"
    try:
        if await read_head(reader) is None:
            return
        counters[f"{kind}_floods"] += 1
        await write_all(writer, status_line + b"X-Flood: " + b"a" * FLOOD_BYTES + b"\r\n\r\n")
        counters[f"{kind}_floods_complete"] += 1
    except PEER_GONE + BAD_INPUT as e:
        # The client giving up mid-flood is the expected outcome.
        log(f"{kind} flood cut by the client: {e!r}")
    finally:
        close(writer)


# ---------------------------------------------------------------- snapshots


async def serve_snapshot_404(reader, writer):
    try:
        while (head := await read_head(reader)) is not None:
            counters["snapshot_404"] += 1
            writer.write(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
            if head[2].get("connection", "").lower() == "close":
                return
    except PEER_GONE + BAD_INPUT as e:
        log(f"snapshot connection ended: {e!r}")
    finally:
        close(writer)


async def serve_snapshot_grant(body_kind, reader, writer):
    """Grants every snapshot GET, whoever asks, with a body no client can take in."""
    try:
        head = await read_head(reader)
        if head is None:
            return
        counters[f"snapshot_granted_{body_kind}"] += 1
        log(f"snapshot {head[1]} bearer={head[2].get('authorization', '-')[:20]} -> 200 "
            f"({body_kind} body)")
        jpeg_start = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"
        if body_kind == "huge":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n"
                         + f"Content-Length: {HUGE_BODY_BYTES}\r\n\r\n".encode())
            await write_all(writer, jpeg_start + bytes(HUGE_BODY_BYTES - len(jpeg_start)))
            counters["snapshot_huge_complete"] += 1
            return
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: image/jpeg\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = jpeg_start + bytes(1024 - len(jpeg_start))
        while True:  # a slow drip: the reader's deadline, not its size cap, has to end it
            writer.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            await writer.drain()
            chunk = bytes(1024)
            await asyncio.sleep(0.1)
    except PEER_GONE + BAD_INPUT as e:
        log(f"snapshot grant cut by the client: {e!r}")
    finally:
        close(writer)


# ---------------------------------------------------------------- wiring


def connection(handler):
    """A start_server callback around `handler`. Connections still open at shutdown are
    cancelled by asyncio.run; they end quietly here because Python 3.11's stream callback
    would report the cancellation as an unhandled exception, burying the summary."""
    async def run(reader, writer):
        try:
            await handler(reader, writer)
        except asyncio.CancelledError:
            close(writer)
    return run


async def main(args):
    provisioning = Provisioning()
    rng = random.Random(args.seed)
    loop = asyncio.get_running_loop()
    udp_ports = (0, 0)
    if args.mode in ("black-hole", "probe-grant"):
        ports = []
        for _ in range(2):
            transport, _ = await loop.create_datagram_endpoint(
                DiscardDatagrams, local_addr=(args.host, 0))
            ports.append(transport.get_extra_info("sockname")[1])
        udp_ports = tuple(ports)

    media = {
        "black-hole": (BlackHoleRtsp(provisioning, udp_ports).serve, serve_snapshot_404),
        "probe-grant": (BlackHoleRtsp(provisioning, udp_ports).serve,
                        lambda r, w: serve_snapshot_grant(args.probe_body, r, w)),
        "silent": (lambda r, w: serve_silent("rtsp", r, w),
                   lambda r, w: serve_silent("http", r, w)),
        "garbage": (lambda r, w: serve_garbage("rtsp", rng, r, w),
                    lambda r, w: serve_garbage("http", rng, r, w)),
        "header-flood": (lambda r, w: serve_flood("rtsp", r, w),
                         lambda r, w: serve_flood("http", r, w)),
    }[args.mode]
    handlers = [(args.admin, lambda r, w: serve_admin(provisioning, r, w)),
                (args.rtsp, media[0]), (args.http, media[1])]
    servers = []
    for port, handler in handlers:
        try:
            servers.append(await asyncio.start_server(connection(handler), args.host, port,
                                                      limit=1 << 20))
        except OSError as e:
            log(f"cannot listen on {args.host}:{port}: {e}")
            return 3
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write(f"{os.getpid()}\n")
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    log(f"ready: mode={args.mode} rtsp={args.rtsp} http={args.http} admin={args.admin}"
        + (f" probe-body={args.probe_body}" if args.mode == "probe-grant" else ""))
    await stop.wait()
    for server in servers:
        server.close()
    log("summary " + json.dumps(dict(sorted(counters.items()))))
    return 0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", required=True, choices=MODES)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--rtsp", type=int, required=True, help="RTSP port")
    parser.add_argument("--http", type=int, required=True, help="snapshot HTTP port")
    parser.add_argument("--admin", type=int, required=True, help="admin HTTP port")
    parser.add_argument("--probe-body", choices=("huge", "endless"), default="huge")
    parser.add_argument("--seed", type=int, default=1, help="seed of the garbage bytes")
    parser.add_argument("--pid-file")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args())))
