#!/usr/bin/env python3
"""Load generator for scripts/bench-writes.

  forms FILE N PREFIX        writes N forms (the seed with a distinct unit and budget code each)
                             as NDJSON to FILE
  creates PORT TOKEN FILE C  posts every line of FILE as a single create over C concurrent
                             keep-alive connections; prints "creates/s: R" and the statuses
"""
import asyncio
import json
import sys
import time


def forms(path, count, prefix):
    with open("data/examples/hengyang-2020-department.json", encoding="utf-8") as f:
        seed = json.load(f)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            seed["unit"] = {"name": f"压测单位{prefix}-{i}", "code": f"{prefix}{i:08d}"}
            out.write(json.dumps(seed, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")


async def client(port, token, queue, statuses):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    while True:
        try:
            body = queue.get_nowait()
        except asyncio.QueueEmpty:
            break
        head = (
            f"POST /api/v1/evaluations HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        writer.write(head + body)
        await writer.drain()
        status_line = await reader.readline()
        status = int(status_line.split()[1])
        length = 0
        while True:
            line = await reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode().partition(":")
            if name.lower() == "content-length":
                length = int(value)
        await reader.readexactly(length)
        statuses[status] = statuses.get(status, 0) + 1
    writer.close()


async def creates(port, token, path, concurrency):
    queue = asyncio.Queue()
    with open(path, "rb") as f:
        for line in f:
            queue.put_nowait(line.rstrip(b"\n"))
    total = queue.qsize()
    statuses = {}
    started = time.perf_counter()
    await asyncio.gather(*(client(port, token, queue, statuses) for _ in range(concurrency)))
    seconds = time.perf_counter() - started
    print(f"creates/s: {total / seconds:.0f}")
    print(f"statuses: {statuses}", file=sys.stderr)


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "forms":
        forms(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif command == "creates":
        asyncio.run(creates(int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])))
    else:
        sys.exit(__doc__)
