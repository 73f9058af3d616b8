"""Many idle streams (server-sent events or WebSockets) on one image-app, then publish -> delivered latency.

    python3 realtime_load.py PORT PID REDIS_PORT REDIS_DB NAMESPACE [--kind sse|websocket] [--clients N]
        [--rate R] [--seconds S]

1. Reads the server's RSS (/proc/PID/status), opens N streams (GET /api/v1/test/stream/<i>, one user
   channel each, from the test-push plugin; with --kind websocket an upgrade, whose pings are answered),
   waits until Redis reports N subscribed channels and the RSS settles, and reads it again:
   (after - before) / N is the memory per idle stream. --kind http measures an idle keep-alive
   connection instead (one GET /healthz each, then nothing), and stops there.
2. Publishes R messages a second for S seconds straight to Redis (PUBLISH on the host's channel
   names, in its wire format), each to a random stream, carrying its send time; every stream reads
   continuously and records (receive time - send time). Messages lost or delivered twice are
   counted.

Prints one line: `clients=N rss_before_mb=.. rss_after_mb=.. kb_per_stream=.. sent=.. delivered=..
duplicates=.. lost=.. p50_ms=.. p99_ms=.. max_ms=..`.
"""
import argparse
import asyncio
import base64
import os
import random
import struct
import time


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise SystemExit("no VmRSS for pid %s" % pid)


def resp(*args):
    out = b"*%d\r\n" % len(args)
    for arg in args:
        if isinstance(arg, str):
            arg = arg.encode()
        out += b"$%d\r\n%s\r\n" % (len(arg), arg)
    return out


async def redis_command(reader, writer, *args):
    writer.write(resp(*args))
    await writer.drain()
    line = await reader.readline()
    if line.startswith(b"*"):
        items = []
        for _ in range(int(line[1:])):
            head = await reader.readline()
            if head.startswith(b"$"):
                items.append((await reader.readexactly(int(head[1:]) + 2))[:-2])
            else:
                items.append(head.strip())
        return items
    return line.strip()


class Stream:
    def __init__(self, index):
        self.index = index
        self.seen = set()
        self.latencies = []
        self.duplicates = 0

    def received(self, message):
        now = time.time()
        ident, sent = message.split()
        if ident in self.seen:
            self.duplicates += 1
        else:
            self.seen.add(ident)
            self.latencies.append((now - float(sent)) * 1000)

    async def run(self, port, kind, opened):
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 16)
        request = b"GET /api/v1/test/stream/%d HTTP/1.1\r\nHost: bench\r\n" % self.index
        if kind == "http":
            request = b"GET /healthz HTTP/1.1\r\nHost: bench\r\n"
        elif kind == "websocket":
            key = base64.b64encode(os.urandom(16))
            request += b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n" % key
        else:
            request += b"Accept: text/event-stream\r\n"
        writer.write(request + b"\r\n")
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        expected = b" 101 " if kind == "websocket" else b" 200 "
        if expected not in head.split(b"\r\n")[0]:
            raise SystemExit("stream %d: %r" % (self.index, head[:80]))
        self.writer = writer
        if kind == "http":
            length = next(int(line.split(b":")[1]) for line in head.lower().split(b"\r\n") if line.startswith(b"content-length:"))
            await reader.readexactly(length)
            opened.set_result(None)
            await reader.read()
            return
        opened.set_result(None) if not opened.done() else None
        if kind == "websocket":
            await self.read_frames(reader, writer)
            return
        # Chunked SSE: only `data: <id> <sent>` lines matter; chunk sizes and comments are skipped.
        while True:
            line = await reader.readline()
            if not line:
                return
            if line.startswith(b"data: "):
                self.received(line[6:])

    async def read_frames(self, reader, writer):
        """Server frames: text messages `<id> <sent>`, pings (answered with a masked pong), a close (the end)."""
        while True:
            try:
                first, second = await reader.readexactly(2)
            except asyncio.IncompleteReadError:
                return
            length = second & 0x7F
            if length == 126:
                length = struct.unpack("!H", await reader.readexactly(2))[0]
            elif length == 127:
                length = struct.unpack("!Q", await reader.readexactly(8))[0]
            payload = await reader.readexactly(length)
            opcode = first & 0x0F
            if opcode == 0x1:
                self.received(payload)
            elif opcode == 0x9:
                mask = os.urandom(4)
                masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
                writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)
            elif opcode == 0x8:
                return


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("port", type=int)
    parser.add_argument("pid", type=int)
    parser.add_argument("redis_port", type=int)
    parser.add_argument("redis_db", type=int)
    parser.add_argument("namespace")
    parser.add_argument("--kind", choices=["sse", "websocket", "http"], default="sse")
    parser.add_argument("--clients", type=int, default=10000)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()

    r_reader, r_writer = await asyncio.open_connection("127.0.0.1", args.redis_port)
    await redis_command(r_reader, r_writer, "SELECT", str(args.redis_db))
    prefix = f"{args.namespace}:rt:realtime.user:"

    before = rss_kb(args.pid)
    streams = [Stream(i) for i in range(args.clients)]
    tasks = []
    # Connect in batches, so the listen backlog never overflows.
    for start in range(0, args.clients, 200):
        batch = []
        for stream in streams[start:start + 200]:
            opened = asyncio.get_running_loop().create_future()
            tasks.append(asyncio.create_task(stream.run(args.port, args.kind, opened)))
            batch.append(opened)
        await asyncio.wait_for(asyncio.gather(*batch), 60)
    if args.kind == "http":
        await asyncio.sleep(5)
        after = rss_kb(args.pid)
        print(
            f"kind=http clients={args.clients} rss_before_mb={before / 1024:.1f} rss_after_mb={after / 1024:.1f} "
            f"kb_per_connection={(after - before) / args.clients:.1f}",
            flush=True,
        )
        for task in tasks:
            task.cancel()
        return
    # Subscriptions are asynchronous: wait until Redis has them all.
    deadline = time.time() + 60
    while time.time() < deadline:
        channels = await redis_command(r_reader, r_writer, "PUBSUB", "CHANNELS", prefix + "*")
        if len(channels) >= args.clients:
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(5)
    after = rss_kb(args.pid)

    # Publish: RATE a second, paced in 10 ms slices, pipelined; the replies are read and dropped.
    async def drain():
        while await r_reader.read(65536):
            pass

    drainer = asyncio.create_task(drain())
    sent = 0
    started = time.time()
    while time.time() - started < args.seconds:
        # Catch up to RATE x elapsed, so the event loop's sleep granularity does not lower the rate.
        due = int((time.time() - started) * args.rate)
        batch = b""
        while sent < due:
            target = random.randrange(args.clients)
            payload = b"m\n%d %.6f" % (sent, time.time())
            batch += resp("PUBLISH", prefix + str(target), payload)
            sent += 1
        if batch:
            r_writer.write(batch)
            await r_writer.drain()
        await asyncio.sleep(0.005)
    await asyncio.sleep(2)
    latencies = sorted(l for s in streams for l in s.latencies)
    delivered = len(latencies)
    duplicates = sum(s.duplicates for s in streams)

    def pct(p):
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else float("nan")

    print(
        f"kind={args.kind} clients={args.clients} rss_before_mb={before / 1024:.1f} rss_after_mb={after / 1024:.1f} "
        f"kb_per_stream={(after - before) / args.clients:.1f} sent={sent} delivered={delivered} "
        f"duplicates={duplicates} lost={sent - delivered} p50_ms={pct(0.50):.2f} p99_ms={pct(0.99):.2f} "
        f"max_ms={latencies[-1] if latencies else float('nan'):.2f}",
        flush=True,
    )
    for task in tasks + [drainer]:
        task.cancel()


asyncio.run(main())
