"""The shared cache (CACHE_URL, Django's own Redis backend) on a real Redis: Django's contract and the
sessions it holds."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache.backends.redis import RedisCache

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def shared_cache(redis_broker):
    cache = RedisCache(redis_broker.url(db=9), {"KEY_PREFIX": "test-shared-cache"})
    cache.clear()
    yield cache
    cache.clear()


def test_it_keeps_djangos_cache_contract(shared_cache):
    assert shared_cache.get("missing") is None
    shared_cache.set("catalog", [("ONE", "One")], 30)
    assert shared_cache.get("catalog") == [("ONE", "One")]
    assert shared_cache.add("catalog", "other") is False
    assert shared_cache.get_many(["catalog", "missing"]) == {"catalog": [("ONE", "One")]}
    shared_cache.delete("catalog")
    assert shared_cache.get("catalog") is None
    assert shared_cache.add("counter", 1) is True
    assert shared_cache.incr("counter") == 2


def test_a_session_survives_the_cache_losing_it(shared_cache, settings, monkeypatch):
    import django.contrib.sessions.backends.cached_db as cached_db

    monkeypatch.setattr(cached_db, "caches", {settings.SESSION_CACHE_ALIAS: shared_cache})
    session = SessionStore()
    session["draft"] = "ORD-1"
    session.save()
    assert SessionStore(session.session_key)["draft"] == "ORD-1"
    shared_cache.clear()  # a Redis restart: the session is read back from the database
    assert SessionStore(session.session_key)["draft"] == "ORD-1"
