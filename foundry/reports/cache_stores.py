"""Where foundry.reports.cache keeps its entries: Redis, which every app server shares, or
a dict in one process (tests)."""

from __future__ import annotations

import time

import redis


class LocalStore:
    """The store in one process (tests): what RedisStore does, in a dict."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get_many(self, keys: list[str]) -> list[str | None]:
        return [self.values.get(key) for key in keys]

    def set(self, key: str, value: str, seconds: int | None = None, only_new=False) -> None:
        if not (only_new and key in self.values):
            self.values[key] = value

    def increment(self, key: str) -> None:
        self.values[key] = str(int(self.values.get(key, time.time_ns())) + 1)

    def claim(self, key: str, seconds: int) -> bool:
        if key in self.values:
            return False
        self.values[key] = "1"
        return True

    def release(self, key: str) -> None:
        self.values.pop(key, None)


class RedisStore:
    """The store every app server shares. `prefix` starts every key it writes, so that
    several users of one Redis database (test runs side by side) keep apart."""

    def __init__(self, url: str, prefix: str = "") -> None:
        self.client = redis.Redis.from_url(url, socket_timeout=1, decode_responses=True)
        self.prefix = prefix

    def get_many(self, keys: list[str]) -> list[str | None]:
        return self.client.mget([self.prefix + key for key in keys])

    def set(self, key: str, value: str, seconds: int | None = None, only_new=False) -> None:
        self.client.set(self.prefix + key, value, ex=seconds, nx=only_new)

    def claim(self, key: str, seconds: int) -> bool:
        """True for the first to ask, until release() or `seconds` later."""
        return bool(self.client.set(self.prefix + key, "1", ex=seconds, nx=True))

    def release(self, key: str) -> None:
        self.client.delete(self.prefix + key)

    def increment(self, key: str) -> None:
        # From the time when the key is missing (emptied, evicted), never from 1: an entry
        # of an earlier generation 1 must not match again. One round trip.
        pipe = self.client.pipeline(transaction=False)
        pipe.set(self.prefix + key, str(time.time_ns()), nx=True)
        pipe.incr(self.prefix + key)
        pipe.execute()
