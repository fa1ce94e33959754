"""The catalog schema: migrations, constraints, and SQLite settings (runs on SQLite and PostgreSQL)."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import SQLModel

from catalog.db import HEAD, current_revision, head_revision, open_catalog, session_scope
from catalog.models import Document


def test_open_applies_migrations_to_head(catalog_url):
    engine = open_catalog(catalog_url)
    assert current_revision(engine) == head_revision()


def test_migrations_match_the_models(catalog_url):
    engine = open_catalog(catalog_url)
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    # The search indexes live outside the models by design: SQLite's FTS5 virtual table (and its
    # shadow tables); PostgreSQL's generated tsvector column and its GIN index.
    diff = [d for d in diff if not _search_index(d)]
    assert diff == []


def _search_index(difference) -> bool:
    if not isinstance(difference, tuple):
        return False
    kind, item = difference[0], difference[-1]
    return ((kind == "remove_table" and item.name.startswith("search_fts"))
            or (kind == "remove_index" and item.name == "ix_search_text_folded_tsv")
            or (kind == "remove_column" and item.name == "folded_tsv"))


def test_open_twice_is_a_no_op(catalog_url):
    open_catalog(catalog_url)
    engine = open_catalog(catalog_url)
    assert current_revision(engine) == head_revision()


def test_sha256_is_unique_in_the_database(catalog_url):
    engine = open_catalog(catalog_url)
    with session_scope(engine) as session:
        session.add(Document(sha256="a" * 64, source_name="a.pdf", source_path="/x/a.pdf", input_kind="pdf"))
    with pytest.raises(IntegrityError):
        with session_scope(engine) as session:
            session.add(Document(sha256="a" * 64, source_name="b.pdf", source_path="/x/b.pdf", input_kind="pdf"))
    with session_scope(engine) as session:
        assert session.execute(text("SELECT count(*) FROM document")).scalar() == 1


def test_unreadable_inputs_may_share_a_null_hash(catalog_url):
    engine = open_catalog(catalog_url)
    with session_scope(engine) as session:
        for name in ("a.pdf", "b.pdf"):
            session.add(Document(sha256=None, source_name=name, source_path=f"/x/{name}", input_kind="unknown"))
    with session_scope(engine) as session:
        assert session.execute(text("SELECT count(*) FROM document")).scalar() == 2


def test_vietnamese_text_round_trips_in_nfc(catalog_url):
    engine = open_catalog(catalog_url)
    title = "Hỏi đáp pháp luật về đất đai – Điều 14"
    with session_scope(engine) as session:
        document = Document(sha256="b" * 64, source_name="x.pdf", source_path="/x", input_kind="pdf", title=title)
        session.add(document)
    with session_scope(engine) as session:
        assert session.get(Document, document.id).title == title


def test_sqlite_uses_wal_and_a_busy_timeout(tmp_path):
    engine = open_catalog(f"sqlite:///{tmp_path / 'c.sqlite'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_head_constant_is_the_newest_migration():
    assert HEAD == head_revision()
