#!/usr/bin/env python3
"""Data for Benchmarks/likes.sh: USERS accounts (bearer tokens, one per line, into TOKENS) and POSTS posts of one small
PNG each by a few authors (ids, one per line, into POST_IDS), made through the real API.

    likes_setup.py BASE_URL USERS POSTS TOKENS POST_IDS
"""
import json
import struct
import sys
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor


def png(width=8, height=8):
    """A tiny valid PNG (a grey square), made without Pillow."""
    raw = b"".join(b"\x00" + b"\x80\x80\x80" * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def call(method, url, body=None, token=None, content_type="application/json"):
    request = urllib.request.Request(url, data=body, method=method)
    if body is not None:
        request.add_header("Content-Type", content_type)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def register(base, index):
    body = json.dumps({
        "handle": "liker_%d" % index, "email": "liker%d@example.com" % index,
        "password": "benchmark passphrase", "session": "token",
    }).encode()
    return call("POST", base + "/auth/register", body)["token"]


def publish(base, token, index, image):
    boundary = "likes-bench-boundary"
    body = (
        ("--%s\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\npost %d #bench\r\n" % (boundary, index)).encode()
        + ("--%s\r\nContent-Disposition: form-data; name=\"images\"; filename=\"p.png\"\r\n"
           "Content-Type: image/png\r\n\r\n" % boundary).encode()
        + image + ("\r\n--%s--\r\n" % boundary).encode()
    )
    return call("POST", base + "/posts", body, token, "multipart/form-data; boundary=" + boundary)["id"]


def main():
    base, users, posts, tokens_path, posts_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    with ThreadPoolExecutor(max_workers=16) as pool:
        tokens = list(pool.map(lambda i: register(base, i), range(users)))
    with open(tokens_path, "w") as out:
        out.write("\n".join(tokens) + "\n")
    image = png()
    authors = tokens[:10]
    with ThreadPoolExecutor(max_workers=4) as pool:
        ids = list(pool.map(lambda i: publish(base, authors[i % len(authors)], i, image), range(posts)))
    with open(posts_path, "w") as out:
        out.write("\n".join(ids) + "\n")


if __name__ == "__main__":
    main()
