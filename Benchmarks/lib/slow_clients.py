"""Slow and stalled clients against one image-app, and the server's resident memory meanwhile.

    python3 slow_clients.py PORT PID SCENARIO [--clients N] [--settle SECONDS]

Scenarios:
  uploads    N clients announce an 8,000,000-byte avatar upload without credentials
             (PUT /api/v1/me/avatar), send what the server takes of it within a second, then stall.
  downloads  N clients ask for GET /media/bench-8m.bin (8 MiB) and never read.

Prints one line: `SCENARIO clients=N rss_before_mb=A rss_after_mb=B growth_mb=C`, RSS read from
/proc/PID/status before the clients connect and SETTLE seconds after.
"""
import argparse
import socket
import time


def rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise SystemExit("no VmRSS for pid %s" % pid)


def upload(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(
        b"PUT /api/v1/me/avatar HTTP/1.1\r\nHost: bench\r\n"
        b"Content-Type: multipart/form-data; boundary=bench\r\nContent-Length: 8000000\r\n\r\n"
    )
    # Push body bytes for up to a second, as far as the server reads them (it may answer first).
    sock.setblocking(False)
    chunk = b"x" * 65536
    deadline = time.time() + 1
    while time.time() < deadline:
        try:
            sock.send(chunk)
        except BlockingIOError:
            time.sleep(0.01)
        except OSError:
            break
    return sock


def download(port):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"GET /media/bench-8m.bin HTTP/1.1\r\nHost: bench\r\n\r\n")
    return sock


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("pid", type=int)
    parser.add_argument("scenario", choices=["uploads", "downloads"])
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--settle", type=float, default=3)
    args = parser.parse_args()
    before = rss_mb(args.pid)
    make = upload if args.scenario == "uploads" else download
    clients = [make(args.port) for _ in range(args.clients)]
    time.sleep(args.settle)
    after = rss_mb(args.pid)
    for sock in clients:
        sock.close()
    print(f"{args.scenario} clients={args.clients} rss_before_mb={before:.1f} rss_after_mb={after:.1f} growth_mb={after - before:.1f}")


if __name__ == "__main__":
    main()
