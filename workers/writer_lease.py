"""Exactly one index writer across machines: a lease in Redis, renewed while the writer lives.

A second `arsip worker --queues index` waits as a standby and takes over when the first one
stops renewing (killed, or its machine gone) — after at most LEASE_SECONDS.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import threading

import redis

from workers.broker import NAMESPACE

log = logging.getLogger(__name__)

KEY = f"{NAMESPACE}:index-writer"
LEASE_SECONDS = 20
RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class WriterLease:
    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        self.owner = f"{socket.gethostname()}:{os.getpid()}"

    def wait_for(self, stop: threading.Event) -> bool:
        """Block until this process holds the lease (or `stop` is set)."""
        told = False
        while not stop.is_set():
            try:
                if self.client.set(KEY, self.owner, nx=True, px=LEASE_SECONDS * 1000):
                    log.info("this process is the index writer (%s)", self.owner)
                    return True
                holder = self.client.get(KEY)
                if not told:
                    log.warning("another index writer holds the lease (%s); standing by",
                                holder.decode() if isinstance(holder, bytes) else holder)
                    told = True
            except redis.RedisError as exc:
                log.warning("cannot reach Redis for the index-writer lease: %s", exc)
            stop.wait(2.0)
        return False

    def renew(self) -> bool:
        try:
            return bool(self.client.eval(RENEW, 1, KEY, self.owner, LEASE_SECONDS * 1000))
        except redis.RedisError as exc:
            log.warning("cannot renew the index-writer lease: %s", exc)
            return True  # Redis is away: nobody else can take it either; keep going

    def release(self) -> None:
        with contextlib.suppress(redis.RedisError):
            self.client.eval(RELEASE, 1, KEY, self.owner)
