#!/usr/bin/env python3
"""Hostile neighbour for bench/hostile/*.sh: holds COUNT TCP connections to HOST:PORT, each sending a
little and then nothing (or a byte a second), and reopens each as soon as the server closes it.

usage: slow_clients.py HOST PORT COUNT SECONDS MODE
  MODE one-byte : send one byte (half a DNS length prefix) and hold
  MODE slow-http: send an HTTP request head one byte a second, never finishing it
Prints one line at the end: connections opened, closed by the server, peak held.
"""
import errno, selectors, socket, sys, time

host, port, count, seconds, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
HEAD = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4000
sel = selectors.DefaultSelector()
state = {}            # socket -> bytes of HEAD sent
opened = closed = peak = 0

def open_one():
    global opened
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass
    except OSError:
        s.close()
        return
    state[s] = 0
    sel.register(s, selectors.EVENT_WRITE)
    opened += 1

def drop(s):
    global closed
    sel.unregister(s)
    del state[s]
    s.close()
    closed += 1

end = time.monotonic() + seconds
next_drip = time.monotonic() + 1
while time.monotonic() < end:
    while len(state) < count:
        before = len(state)
        open_one()
        if len(state) == before:
            break
    peak = max(peak, len(state))
    for key, events in sel.select(timeout=0.05):
        s = key.fileobj
        if events & selectors.EVENT_WRITE:
            # Connected (or failed): send the first byte, then wait for the server to close.
            try:
                s.send(b"\x00" if mode == "one-byte" else HEAD[:1])
                state[s] = 1
                sel.modify(s, selectors.EVENT_READ)
            except OSError:
                drop(s)
        elif events & selectors.EVENT_READ:
            try:
                data = s.recv(4096)
            except OSError:
                data = b""
            if not data:
                drop(s)
    if mode == "slow-http" and time.monotonic() >= next_drip:
        next_drip += 1
        for s, sent in list(state.items()):
            if 0 < sent < len(HEAD):
                try:
                    s.send(HEAD[sent:sent + 1])
                    state[s] = sent + 1
                except OSError:
                    drop(s)
print(f"attacker: {opened} connections opened, {closed} closed by the server, {peak} held at peak", flush=True)
