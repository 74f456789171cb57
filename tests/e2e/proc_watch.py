#!/usr/bin/env python3
"""Process and socket bookkeeping for the teardown end-to-end tests, from /proc only.

The process under test is started as a session leader (`setsid camleak ...`), so every process
it starts, directly or not, carries its session id, and "what it left behind" is well defined.

  proc_watch.py watch SID OUT      until process SID exits, record every process of session SID
                                   and every TCP socket they listen on and UDP socket they bind
                                   (sampled every 50 ms); writes JSON to OUT after each change
  proc_watch.py summary OUT        one line: what was recorded
  proc_watch.py leftovers SID OUT  after SID has exited: exit 1 and say why if any recorded
                                   process is still alive, any process of the session remains,
                                   any recorded socket still exists, or a recorded TCP port is
                                   listened on by anything but an unrelated process
"""
import json
import os
import sys
import time

TABLES = {"tcp": "tcp", "tcp6": "tcp", "udp": "udp", "udp6": "udp"}
TCP_LISTEN = "0A"


def read_stat(pid):
    """(state, ppid, session, starttime) of a process, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            text = f.read()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2:].split()
    # fields[0] is field 3 of proc(5): state, ppid, pgrp, session, ..., starttime (field 22)
    return fields[0], int(fields[1]), int(fields[3]), int(fields[19])


def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def all_pids():
    return [int(p) for p in os.listdir("/proc") if p.isdigit()]


def socket_inodes(pid):
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(int(target[8:-1]))
    except OSError:
        pass
    return inodes


def socket_table():
    """inode -> (proto, port, state) for every TCP listener and every UDP socket."""
    out = {}
    for name, proto in TABLES.items():
        try:
            with open(f"/proc/net/{name}") as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            port = int(cols[1].rsplit(":", 1)[1], 16)
            state, inode = cols[3], int(cols[9])
            if inode == 0 or (proto == "tcp" and state != TCP_LISTEN):
                continue
            out[inode] = (proto, port, state)
    return out


def session_members(sid):
    members = {}
    for pid in all_pids():
        st = read_stat(pid)
        if st and st[2] == sid and st[0] != "Z":
            members[pid] = st
    return members


def watch(sid, out_path):
    procs, sockets = {}, {}
    changed = True
    while True:
        alive = read_stat(sid)
        if alive is None or alive[0] == "Z":
            changed = True
        table = socket_table()
        for pid, st in session_members(sid).items():
            if pid not in procs:
                procs[pid] = {"pid": pid, "ppid": st[1], "start": st[3], "cmd": cmdline(pid)}
                changed = True
            for inode in socket_inodes(pid) & table.keys():
                if inode not in sockets:
                    proto, port, _ = table[inode]
                    sockets[inode] = {"inode": inode, "proto": proto, "port": port, "pid": pid}
                    changed = True
        if changed:
            tmp = out_path + ".tmp"
            with open(tmp, "w") as f:
                json.dump({"sid": sid, "processes": list(procs.values()),
                           "sockets": list(sockets.values())}, f)
            os.replace(tmp, out_path)
            changed = False
        if alive is None or alive[0] == "Z":
            return
        time.sleep(0.05)


def load(path):
    with open(path) as f:
        return json.load(f)


def summary(path):
    rec = load(path)
    tcp = sorted({s["port"] for s in rec["sockets"] if s["proto"] == "tcp"})
    udp = sorted({s["port"] for s in rec["sockets"] if s["proto"] == "udp"})
    print(f"recorded {len(rec['processes'])} process(es): "
          + "; ".join(f"{p['pid']} `{p['cmd'][:80]}`" for p in rec["processes"]))
    print(f"recorded {len(tcp)} listening TCP port(s) {tcp} and {len(udp)} UDP port(s) {udp}")


def owner_of(inode):
    for pid in all_pids():
        if inode in socket_inodes(pid):
            return pid
    return None


def leftovers(sid, path):
    rec = load(path)
    problems = []
    for p in rec["processes"]:
        st = read_stat(p["pid"])
        if st and st[3] == p["start"] and st[0] != "Z":
            problems.append(f"process {p['pid']} `{p['cmd']}` is still running")
    for pid, st in session_members(sid).items():
        if all(pid != p["pid"] for p in rec["processes"]):
            problems.append(f"process {pid} `{cmdline(pid)}` of the run's session is still running")
    table = socket_table()
    recorded = {s["inode"] for s in rec["sockets"]}
    for s in rec["sockets"]:
        if s["inode"] in table:
            owner = owner_of(s["inode"])
            problems.append(f"{s['proto']} socket on port {s['port']} (inode {s['inode']}) still open"
                            + (f", held by {owner} `{cmdline(owner)}`" if owner else ""))
    tcp_ports = {s["port"] for s in rec["sockets"] if s["proto"] == "tcp"}
    for inode, (proto, port, _) in table.items():
        if proto != "tcp" or port not in tcp_ports or inode in recorded:
            continue
        owner = owner_of(inode)
        st = read_stat(owner) if owner else None
        if owner is None or (st and st[2] == sid):
            problems.append(f"TCP port {port} is listened on again"
                            + (f" by {owner} `{cmdline(owner)}`" if owner else " (owner unknown)"))
        else:
            print(f"note: TCP port {port} was taken since by an unrelated process {owner} "
                  f"`{cmdline(owner)[:80]}`")
    for p in problems:
        print("LEFTOVER: " + p)
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "watch":
        watch(int(argv[2]), argv[3])
        return 0
    if len(argv) == 3 and argv[1] == "summary":
        summary(argv[2])
        return 0
    if len(argv) == 4 and argv[1] == "leftovers":
        return leftovers(int(argv[2]), argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
