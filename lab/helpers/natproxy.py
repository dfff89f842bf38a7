#!/usr/bin/python3
"""A TCP relay on 127.0.0.1 that behaves like a NAT gateway with a short idle timeout.

Traffic is forwarded both ways. Once a connection has carried no bytes for
--idle-evict seconds its "translation entry" is evicted:

  blackhole mode (default; needs the lab's private network namespace and nft):
    nftables rules drop every packet of both legs (client<->relay and
    relay<->server). Nothing is closed and nobody is told, as with a real NAT
    table eviction: the client's kernel retransmits until its TCP user
    timeout / keepalive gives up with ETIMEDOUT, the server's keepalive does
    the same on its side.
  reset mode (fallback on hosts without a private namespace):
    the client side is closed with an RST and the server side is left open.
"""
import argparse
import signal
import socket
import subprocess
import sys
import threading
import time

lock = threading.Lock()
conns = []  # dicts: client, upstream, last, evicted


def log(msg):
    print(f"{time.strftime('%H:%M:%S')} natproxy: {msg}", flush=True)


def nft(script):
    r = subprocess.run(["nft", "-f", "-"], input=script, text=True, capture_output=True)
    if r.returncode != 0:
        log(f"nft failed: {r.stderr.strip()}")
    return r.returncode == 0


def pump(c, src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            with lock:
                if c["evicted"]:
                    break
                c["last"] = time.time()
            dst.sendall(data)
    except OSError:
        return
    if not c["evicted"]:
        try:
            dst.shutdown(socket.SHUT_WR)  # pass an orderly close on, like a real relay
        except OSError:
            pass


def evict(c, args):
    c["evicted"] = True
    cl, up = c["client"], c["upstream"]
    if args.mode == "blackhole":
        cport = cl.getpeername()[1]
        uport = up.getsockname()[1]
        rules = [
            f"tcp sport {cport} tcp dport {args.listen} drop",
            f"tcp sport {args.listen} tcp dport {cport} drop",
            f"tcp sport {uport} tcp dport {args.upstream} drop",
            f"tcp sport {args.upstream} tcp dport {uport} drop",
        ]
        nft("".join(f"add rule inet {args.table} input {r}\n" for r in rules))
        log(f"evicted idle flow client port {cport} / upstream port {uport}: packets now dropped")
    else:
        cl.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        cl.close()
        log("evicted idle flow: client side reset")


def janitor(args):
    while True:
        time.sleep(0.2)
        now = time.time()
        with lock:
            for c in conns:
                if not c["evicted"] and now - c["last"] > args.idle_evict:
                    evict(c, args)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--idle-evict", type=float, required=True)
    ap.add_argument("--mode", choices=["blackhole", "reset"], default="blackhole")
    ap.add_argument("--table", default="pgtriage_lab")
    args = ap.parse_args()
    if args.mode == "blackhole":
        if not nft(f"add table inet {args.table}\n"
                   f"add chain inet {args.table} input {{ type filter hook input priority 0; policy accept; }}\n"):
            sys.exit(1)
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", args.listen))
    srv.listen()
    threading.Thread(target=janitor, args=(args,), daemon=True).start()
    log(f"listening on {args.listen}, forwarding to {args.upstream}, idle eviction after {args.idle_evict}s")
    try:
        while True:
            cl, addr = srv.accept()
            up = socket.create_connection(("127.0.0.1", args.upstream))
            c = {"client": cl, "upstream": up, "last": time.time(), "evicted": False}
            with lock:
                conns.append(c)
            log(f"flow from port {addr[1]} via upstream port {up.getsockname()[1]}")
            threading.Thread(target=pump, args=(c, cl, up), daemon=True).start()
            threading.Thread(target=pump, args=(c, up, cl), daemon=True).start()
    finally:
        if args.mode == "blackhole":
            nft(f"delete table inet {args.table}\n")


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # run the nft clean-up in main()
    try:
        main()
    except KeyboardInterrupt:
        pass
