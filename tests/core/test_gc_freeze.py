"""The web worker freezes its long-lived objects out of the full garbage collections as it warms
(config.gc_freeze, connected by config.wsgi), a few times, then stops listening."""

import gc

from django.core.signals import request_finished

from config.gc_freeze import freeze_as_the_worker_warms


def listening(receiver) -> bool:
    return any(key[0] == id(receiver) for key, *_rest in request_finished.receivers)


def test_frozen_after_the_given_requests_then_no_more(db, client):
    gc.unfreeze()
    warming = freeze_as_the_worker_warms(after=(2, 4))
    try:
        assert listening(warming)
        client.get("/health/")
        assert gc.get_freeze_count() == 0
        client.get("/health/")
        assert gc.get_freeze_count() > 0  # the objects alive after the 2nd request
        gc.unfreeze()
        client.get("/health/")
        assert gc.get_freeze_count() == 0
        client.get("/health/")
        assert gc.get_freeze_count() > 0
        assert not listening(warming)  # the last freeze done: the worker stops counting
        gc.unfreeze()
        client.get("/health/")
        assert gc.get_freeze_count() == 0
    finally:
        request_finished.disconnect(warming)
        gc.unfreeze()
