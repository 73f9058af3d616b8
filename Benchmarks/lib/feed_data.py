"""The data set of Benchmarks/feed.sh, and its fan-out measurement.

Registers an author and READERS readers through the API (each follows the author, likes one post and reads its home
feed, so that it is live), has the author publish 20 posts, then adds FOLLOWERS synthetic followers directly: rows in
`follows` (ids 1..FOLLOWERS, far below real ids) and live feeds in Redis (the built marker, as a read leaves it).
Then it publishes three posts and measures, for each, the time from the answer of POST /api/v1/posts (the commit) to
the post being in the last follower's feed (the fan-out walks followers in ascending id order). Standard library only.
"""

import argparse
import http.client
import json
import socket
import statistics
import subprocess
import time
import urllib.parse


class API:
    def __init__(self, base):
        url = urllib.parse.urlparse(base)
        self.prefix = url.path
        self.connection = http.client.HTTPConnection(url.hostname, url.port, timeout=60)

    def call(self, method, path, body=None, token=None, content_type="application/json"):
        headers = {}
        if token:
            headers["Authorization"] = "Bearer " + token
        if body is not None and content_type == "application/json":
            body = json.dumps(body).encode()
        if body is not None:
            headers["Content-Type"] = content_type
        self.connection.request(method, self.prefix + path, body=body, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        if response.status >= 300:
            raise SystemExit(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None

    def register(self, handle):
        answer = self.call("POST", "/auth/register", {"handle": handle, "email": f"{handle}@example.com",
                                                      "password": "benchmark passphrase", "session": "token"})
        return answer["token"], int(answer["user"]["id"])

    def upload(self, token, image):
        boundary = "feedbenchboundary"
        with open(image, "rb") as file:
            content = file.read()
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.jpg\"\r\n"
                f"Content-Type: image/jpeg\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", "/media", body, token, f"multipart/form-data; boundary={boundary}")["id"]


class Redis:
    """Just enough RESP for polling."""

    def __init__(self, port, db):
        self.socket = socket.create_connection(("127.0.0.1", port))
        self.file = self.socket.makefile("rb")
        self.command("SELECT", str(db))

    def command(self, *words):
        out = f"*{len(words)}\r\n".encode()
        for word in words:
            data = word.encode()
            out += f"${len(data)}\r\n".encode() + data + b"\r\n"
        self.socket.sendall(out)
        return self.reply()

    def reply(self):
        line = self.file.readline().rstrip(b"\r\n")
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return rest.decode()
        if kind == b"-":
            raise SystemExit(f"redis: {rest.decode()}")
        if kind == b"$":
            size = int(rest)
            if size < 0:
                return None
            data = self.file.read(size + 2)[:-2]
            return data.decode()
        if kind == b"*":
            return [self.reply() for _ in range(int(rest))]
        raise SystemExit(f"redis: unexpected reply {line!r}")


def main():
    parser = argparse.ArgumentParser()
    for name in ("base", "image", "tokens", "psql", "feed-prefix", "out"):
        parser.add_argument("--" + name, required=True)
    parser.add_argument("--followers", type=int, required=True)
    parser.add_argument("--readers", type=int, required=True)
    parser.add_argument("--redis-port", type=int, required=True)
    parser.add_argument("--redis-db", type=int, required=True)
    args = parser.parse_args()
    api = API(args.base)
    redis = Redis(args.redis_port, args.redis_db)

    author_token, author = api.register("bench_author")
    readers = [api.register(f"bench_r{index}") for index in range(args.readers)]
    for token, _ in readers:
        api.call("PUT", "/users/bench_author/follow", token=token)
        api.call("GET", "/feed/home", token=token)
    posts = []
    for index in range(20):
        media = api.upload(author_token, args.image)
        posts.append(api.call("POST", "/posts", {"caption": f"Post {index} #bench", "media_ids": [media]}, author_token)["id"])
    for index, (token, _) in enumerate(readers):
        api.call("PUT", f"/posts/{posts[index % len(posts)]}/like", token=token)
    last_reader = max(user for _, user in readers)
    wait_for(lambda: redis.command("ZCARD", f"{args.feed_prefix}:home:{last_reader}") == str(len(posts) + 1), "the readers' feeds")
    with open(args.tokens, "w") as file:
        file.write("".join(token + "\n" for token, _ in readers))

    # The synthetic followers: rows, the author's count, and live feeds.
    subprocess.run(["psql", args.psql, "-qAt", "-v", "ON_ERROR_STOP=1", "-c",
                    f"INSERT INTO follows (follower_id, followee_id) SELECT g, {author} FROM generate_series(1, {args.followers}) g;"
                    f"INSERT INTO follow_counts (user_id, followers) VALUES ({author}, {args.followers}) "
                    f"ON CONFLICT (user_id) DO UPDATE SET followers = follow_counts.followers + {args.followers}"],
                   check=True)
    commands = bytearray()
    for follower in range(1, args.followers + 1):
        key = f"{args.feed_prefix}:home:{follower}".encode()
        for words in ((b"ZADD", key, b"-1", b"0"), (b"EXPIRE", key, b"604800")):
            commands += f"*{len(words)}\r\n".encode()
            for word in words:
                commands += f"${len(word)}\r\n".encode() + word + b"\r\n"
    subprocess.run(["redis-cli", "-p", str(args.redis_port), "-n", str(args.redis_db), "--pipe"], input=bytes(commands),
                   check=True, stdout=subprocess.DEVNULL)

    last_key = f"{args.feed_prefix}:home:{last_reader}"
    media = [api.upload(author_token, args.image) for _ in range(3)]
    times = []
    for item in media:
        started = time.monotonic()
        post = api.call("POST", "/posts", {"caption": "Fan-out", "media_ids": [item]}, author_token)["id"]
        answered = time.monotonic()
        wait_for(lambda: redis.command("ZSCORE", last_key, post) is not None, "the fan-out", interval=0.0005)
        done = time.monotonic()
        first = redis.command("ZSCORE", f"{args.feed_prefix}:home:1", post) is not None
        times.append((done - answered) * 1000)
        print(f"fan-out to {args.followers + args.readers} feeds: {times[-1]:.0f} ms after the answer "
              f"(POST took {(answered - started) * 1000:.0f} ms; first follower has it: {first})")
        time.sleep(1)
    with open(args.out, "w") as file:
        file.write(f"fan-out to {args.followers + args.readers} live feeds, commit -> last feed updated: "
                   + ", ".join(f"{value:.0f} ms" for value in times) + "\n")
        file.write(f"BENCH name=feed.fanout followers={args.followers + args.readers} median_ms={statistics.median(times):.0f} "
                   f"max_ms={max(times):.0f} target_ms=2000 pass={'yes' if max(times) <= 2000 else 'no'}\n")


def wait_for(condition, what, timeout=120, interval=0.05):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(interval)


if __name__ == "__main__":
    main()
