"""The message broker: Redis for distributed mode, an in-process one for the embedded default."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

import dramatiq
from dramatiq.brokers.stub import StubBroker

from arsip.errors import BrokerUnavailable
from config.settings import Settings

log = logging.getLogger(__name__)

NAMESPACE = "arsip"


def check_redis(url: str) -> None:
    """Fail once, at start-up, with one clear message when Redis does not answer."""
    import redis  # here, as RedisBroker below: the embedded default never imports it (50 ms)

    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        client.ping()
    except (redis.RedisError, OSError, ValueError) as exc:
        raise BrokerUnavailable(f"Redis at {mask(url)} does not answer ({exc})") from exc


def mask(url: str) -> str:
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def wait_for_redis(url: str, wait_seconds: float) -> None:
    """Daemons outlive a Redis restart: wait for it (a while) instead of failing at once."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            check_redis(url)
            return
        except BrokerUnavailable as exc:
            if time.monotonic() >= deadline:
                raise
            log.warning("%s; waiting for it", exc.message)
            time.sleep(min(2.0, max(0.1, deadline - time.monotonic())))


def make_broker(settings: Settings, *, wait_seconds: float = 0.0) -> dramatiq.Broker:
    """Build the broker and make it dramatiq's global one."""
    broker: dramatiq.Broker
    if settings.broker_url:
        from dramatiq.brokers.redis import RedisBroker

        wait_for_redis(settings.broker_url, wait_seconds)
        broker = RedisBroker(url=settings.broker_url, namespace=NAMESPACE,
                             heartbeat_timeout=60_000, dead_message_ttl=7 * 86_400_000)
    else:
        broker = StubBroker()
        broker.emit_after("process_boot")
    dramatiq.set_broker(broker)
    return broker


def queue_depths(broker: dramatiq.Broker, names: Iterable[str]) -> dict[str, int]:
    """Messages waiting in each named queue (`documents`, `documents.DQ` for the delayed ones),
    in Redis or in-process; an in-process queue not declared yet is left out."""
    depths: dict[str, int] = {}
    if isinstance(broker, StubBroker):
        for name in names:
            if name in broker.queues:
                depths[name] = broker.queues[name].qsize()
        return depths
    from dramatiq.brokers.redis import RedisBroker  # a Redis worker has imported it already

    if isinstance(broker, RedisBroker):
        for name in names:
            depths[name] = int(broker.client.llen(f"{NAMESPACE}:{name}") or 0)
    return depths
