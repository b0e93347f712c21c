"""An entry missed by several requests at once is computed once (foundry/reports/cache.py,
_claim): the others wait for it; if the request computing it never stores it, they compute
it themselves after a while; a failed computation gives the claim back. On the store of one
process and on Redis."""

from __future__ import annotations

import json

import pytest

from foundry.reports import cache

NAME, PARTS = "stampede-test", ["one"]


def _key() -> str:
    return cache._entry_key("figures", NAME, PARTS)


def _figures(compute):
    return cache.figures(NAME, PARTS, compute, lambda value: value, lambda value: value)


def test_a_request_that_finds_the_entry_being_computed_waits_for_it(app, db, store, monkeypatch):
    generation = cache._generation(store, cache.GENERATION_KEY, None)
    assert store.claim(_key() + cache.COMPUTING, 10)  # another server computes it

    def the_other_stores_it(_seconds):
        entry = json.dumps({"generation": generation, "value": 42})
        store.set(_key(), entry, cache.ENTRY_SECONDS)

    monkeypatch.setattr(cache.time, "sleep", the_other_stores_it)
    assert _figures(lambda: pytest.fail("computed twice")) == 42


def test_it_computes_the_entry_itself_when_the_other_never_stores_it(app, db, store, monkeypatch):
    assert store.claim(_key() + cache.COMPUTING, 10)
    monkeypatch.setattr(cache, "WAIT_SECONDS", 0.05)
    assert _figures(lambda: 7) == 7
    assert _figures(lambda: pytest.fail("computed twice")) == 7  # and stored it


def test_a_failed_computation_gives_the_claim_back(app, db, store):
    def failing():
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        _figures(failing)
    assert store.claim(_key() + cache.COMPUTING, 10)  # nobody holds it
