"""Loading many modules at once without Python's cyclic garbage collector running through them.

Importing the catalog (SQLAlchemy, SQLModel) and the OCR and PDF libraries makes some 300,000 objects, and
the collector runs every 700 new ones, scanning the growing heap again and again: a fifth of the import time
(measured: 1.15-1.24 s against 0.91-1.04 s for the modules a run loads). Those objects live as long as the
process, so after loading they are frozen (gc.freeze) out of every later collection: a run's workers, forked
after it, do not scan them either (nor write to their pages, which they share with the coordinator).
Only where nothing else is being made meanwhile: a frozen object is never freed, garbage included. Used on a
worker's thread that imports while its pages are read, it froze their images: 524 MB at the peak for a
300-page document against 417 MB without.
"""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def heavy_imports() -> Iterator[None]:
    """No collection while the block loads modules; what is alive after it is frozen."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
