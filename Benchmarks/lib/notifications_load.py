#!/usr/bin/env python3
"""Load for Benchmarks/notifications.sh: USERS likers and one author registered through instance A's API, one post of
the author's, the author's WebSocket (`GET /api/v1/stream`) open on instance B; then every liker likes the post once
through A, RATE likes a second, and each like's latency is the time from sending its PUT to the first `notification`
message on B that shows it (the worker, a third process, made the row and pushed it): one whose actors include the
liker, or whose `actor_count` has reached the like's rank (the `like_count` its PUT answered; every like is new and
nothing is read, so the group's count is the number of likes handled). Pushes are coalesced under load (a message
shows the group as it is when pushed, three actors and the count), so the count is what tells that a like shows. Prints
one `key=value` line and writes the author's token to TOKEN_FILE (for the list's req/s).

Before the likes it waits until the notifications' like handler has read its stream (the `like` family's,
`STREAM:family:like`) to the end, so that the figures are the steady state, not a start-up backlog. Since event families
that wait is short: the handler no longer reads the registrations' events.

    notifications_load.py BASE_A PORT_B USERS RATE TOKEN_FILE REDIS_PORT REDIS_DB STREAM
"""
import asyncio
import base64
import json
import os
import re
import struct
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from likes_setup import call, png, publish  # noqa: E402


def register(base, handle):
    body = json.dumps({
        "handle": handle, "email": handle + "@example.com", "password": "benchmark passphrase", "session": "token",
    }).encode()
    answer = call("POST", base + "/auth/register", body)
    return answer["token"], answer["user"]["id"]


def like(base, post, token):
    request = urllib.request.Request(base + "/posts/%s/like" % post, method="PUT")
    request.add_header("Authorization", "Bearer " + token)
    started = time.time()
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())["like_count"], (time.time() - started) * 1000


async def socket(port, token, on_message):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    key = base64.b64encode(os.urandom(16))
    writer.write(
        b"GET /api/v1/stream HTTP/1.1\r\nHost: bench\r\nAuthorization: Bearer %s\r\nUpgrade: websocket\r\n"
        b"Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (token.encode(), key)
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise SystemExit("stream: %r" % head[:80])

    async def frames():
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
                on_message(time.time(), json.loads(payload))
            elif opcode == 0x9:
                mask = os.urandom(4)
                writer.write(bytes([0x8A, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
            elif opcode == 0x8:
                return

    return asyncio.create_task(frames())


def caught_up(redis_port, redis_db, stream, group="notifications.likes"):
    """Whether `group` has read every entry of its family stream (Redis 7's XINFO GROUPS `lag` is 0)."""
    reply = subprocess.run(
        ["redis-cli", "-p", redis_port, "-n", redis_db, "--no-raw", "XINFO", "GROUPS", stream + ":family:like"],
        capture_output=True,
        text=True,
    ).stdout.split("\n")
    words = [re.sub(r"^(\s*\d+\))+\s*", "", line).strip().strip('"') for line in reply]
    if group not in words:
        return False
    fields = words[words.index(group):][:14]
    return "lag" in fields and fields[fields.index("lag") + 1] == "(integer) 0"


async def main():
    base, port_b, users, rate, token_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    redis_port, redis_db, stream = sys.argv[6], sys.argv[7], sys.argv[8]
    with ThreadPoolExecutor(max_workers=16) as pool:
        likers = list(pool.map(lambda i: register(base, "fan_%d" % i), range(users)))
    author, _ = register(base, "author")
    with open(token_file, "w") as out:
        out.write(author + "\n")
    post = publish(base, author, 0, png())

    sent = {}
    ranks = {}
    shown = []  # (time, actor ids, actor_count) of each notification message
    counts = {"notification": 0, "unread_count": 0, "post.counts": 0}

    def on_message(now, message):
        kind = message.get("type")
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "notification":
            data = message["data"]
            shown.append((now, {actor["id"] for actor in data.get("actors", [])}, data.get("actor_count", 0)))

    reading = await socket(port_b, author, on_message)
    await asyncio.sleep(1.5)  # the stream's Redis subscription
    waited = time.time()
    while not caught_up(redis_port, redis_db, stream) and time.time() - waited < 300:
        await asyncio.sleep(0.5)
    backlog_seconds = time.time() - waited
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=32)
    start = time.time()
    requests = []
    for index, (token, ident) in enumerate(likers):
        delay = start + index / rate - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        sent[ident] = time.time()
        requests.append((ident, loop.run_in_executor(pool, like, base, post, token)))
    answered = []
    for ident, request in requests:
        ranks[ident], took = await request
        answered.append(took)
    answered.sort()
    sending = time.time() - start
    deadline = time.time() + 10
    while (not shown or shown[-1][2] < len(sent)) and time.time() < deadline:
        await asyncio.sleep(0.1)
    await asyncio.sleep(1)
    reading.cancel()
    latencies = {}
    for ident, at in sent.items():
        for now, actors, actor_count in shown:
            if now >= at and (ident in actors or actor_count >= ranks[ident]):
                latencies[ident] = (now - at) * 1000
                break
    ordered = sorted(latencies.values())
    # In sending order: whether the delay is a backlog that grows, a start-up stall that drains, or steady.
    in_order = [latencies[ident] for _, ident in likers if ident in latencies]
    first = sorted(in_order[:100])
    last = sorted(in_order[-100:])

    def pct(p):
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")

    print(
        f"likes={len(sent)} rate={len(sent) / sending:.1f}/s delivered={len(ordered)} lost={len(sent) - len(ordered)} "
        f"notification_messages={counts['notification']} unread_count_messages={counts['unread_count']} "
        f"post_counts_messages={counts['post.counts']} p50_ms={pct(0.50):.2f} p99_ms={pct(0.99):.2f} "
        f"max_ms={ordered[-1] if ordered else float('nan'):.2f} first100_p50_ms={first[len(first) // 2] if first else float('nan'):.2f} "
        f"last100_p50_ms={last[len(last) // 2] if last else float('nan'):.2f} backlog_wait_s={backlog_seconds:.1f} "
        f"put_p50_ms={answered[len(answered) // 2]:.2f} put_p99_ms={answered[int(len(answered) * 0.99)]:.2f}",
        flush=True,
    )


asyncio.run(main())
