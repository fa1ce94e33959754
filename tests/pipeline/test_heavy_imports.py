"""Modules loaded without the cyclic collector, and frozen out of later collections."""
from __future__ import annotations

import gc
import pytest

from pipeline.workers.heavy_imports import heavy_imports


@pytest.fixture()
def unfrozen():
    yield
    gc.unfreeze()
    gc.enable()


def test_no_collection_within_and_what_was_loaded_is_frozen_after(unfrozen):
    with heavy_imports():
        assert not gc.isenabled()
        loaded = [[index] for index in range(1000)]  # a module's worth of objects, alive after the block
    assert gc.isenabled()
    assert gc.get_freeze_count() >= len(loaded)


def test_a_collector_switched_off_before_stays_off(unfrozen):
    gc.disable()
    with heavy_imports():
        pass
    assert not gc.isenabled()

