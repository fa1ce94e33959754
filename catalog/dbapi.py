"""The catalog through its database driver alone, without SQLAlchemy (half a second to import): for the
questions a command must answer at once, such as `tusach run` finding nothing to do. Read-only."""
from __future__ import annotations

import sqlite3
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

# The newest migration. Opening a catalog that is already there needs no Alembic import and no
# scan of the migration scripts (a tenth of a second on every command); a test keeps it true.
HEAD = "0015"
SQLITE_PREFIX = "sqlite:///"
POSTGRESQL_PREFIXES = ("postgresql://", "postgresql+psycopg://")  # what catalog.db.make_engine drives with psycopg


def sqlite_url(path: Path) -> str:
    return f"{SQLITE_PREFIX}{path}"


@contextmanager
def reading(url: str) -> Iterator[object | None]:
    """A DB-API connection to an existing catalog at the newest schema, or None when this cannot be had
    cheaply (a new or older catalog, an URL form SQLAlchemy alone knows): ask through catalog.db then."""
    connection = _connect(url)
    if connection is None:
        yield None
        return
    with closing(connection):
        try:
            cursor = connection.cursor()
            cursor.execute("SELECT version_num FROM alembic_version")
            row = cursor.fetchone()
        except Exception:  # no such table yet: the driver's own error class, whichever driver
            connection.rollback()
            yield None
            return
        yield connection if row is not None and row[0] == HEAD else None


def _connect(url: str):
    if url.startswith(SQLITE_PREFIX) and "?" not in url:
        uri = Path(url.removeprefix(SQLITE_PREFIX)).resolve().as_uri()
        try:  # mode=ro: a catalog that is not there is not created here (that is catalog.db's work)
            return sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=30)
        except sqlite3.OperationalError:
            return None
    if url.startswith(POSTGRESQL_PREFIXES):
        import psycopg

        try:
            return psycopg.connect("postgresql://" + url.split("://", 1)[1], connect_timeout=10)
        except psycopg.Error:
            return None  # catalog.db connects again and says what is wrong
    return None

