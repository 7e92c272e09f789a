"""The web worker freezes its long-lived objects out of the full garbage collections as it warms
(config.gc_freeze, connected by config.wsgi): collected first, frozen as the next request starts,
a few times, then no more."""

import gc
import importlib

import pytest
from django.core.signals import request_finished, request_started

from config.gc_freeze import freeze_as_the_worker_warms


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_frozen_as_the_request_after_the_given_ones_starts_then_no_more(db, client, unfrozen, monkeypatch):
    collected = []
    real_collect = gc.collect
    monkeypatch.setattr(gc, "collect", lambda *args: collected.append(gc.get_freeze_count()) or real_collect(*args))
    warming = freeze_as_the_worker_warms(after=(2, 4))
    try:
        client.get("/health/")
        client.get("/health/")
        assert gc.get_freeze_count() == 0  # two served: frozen when the next one starts
        client.get("/health/")
        assert collected == [0]  # collected before freezing
        assert gc.get_freeze_count() > 0
        gc.unfreeze()
        client.get("/health/")
        assert gc.get_freeze_count() == 0
        client.get("/health/")  # the fifth starts after four served: the last freeze
        assert gc.get_freeze_count() > 0 and len(collected) == 2
        gc.unfreeze()
        for _ in range(3):
            client.get("/health/")
        assert gc.get_freeze_count() == 0 and len(collected) == 2
    finally:
        warming.stop()
    # It stopped listening after its last freeze: nothing left to disconnect.
    assert not request_started.disconnect(warming.started)
    assert not request_finished.disconnect(warming.finished)


def test_the_wsgi_application_connects_it():
    import config.wsgi

    wsgi = importlib.reload(config.wsgi)
    try:
        assert request_started.disconnect(wsgi.warming.started)
        assert request_finished.disconnect(wsgi.warming.finished)
    finally:
        wsgi.warming.stop()
