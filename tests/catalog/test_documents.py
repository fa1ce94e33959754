"""Metadata provenance: a human value is never overwritten by a manifest or an automatic value."""
from __future__ import annotations

import pytest
from sqlmodel import select

from catalog import documents
from catalog.db import open_catalog, session_scope
from catalog.models import Document, Edit, Source


@pytest.fixture
def engine(catalog_url):
    return open_catalog(catalog_url)


@pytest.fixture
def document_id(engine) -> int:
    with session_scope(engine) as session:
        document = Document(sha256="c" * 64, source_name="x.pdf", source_path="/x.pdf", input_kind="pdf")
        session.add(document)
    return document.id


def _title(engine, document_id):
    with session_scope(engine) as session:
        return session.get(Document, document_id).title


def test_sources_rank_human_over_manifest_over_auto(engine, document_id):
    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        documents.set_field(session, document, "title", "Tự động", Source.auto)
    assert _title(engine, document_id) == "Tự động"
    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        documents.set_field(session, document, "title", "Theo danh mục", Source.manifest)
    assert _title(engine, document_id) == "Theo danh mục"
    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        documents.set_field(session, document, "title", "Do người sửa", Source.human, who="lan")
        documents.set_field(session, document, "title", "Tự động lần hai", Source.auto)
        documents.set_field(session, document, "title", "Danh mục lần hai", Source.manifest)
    assert _title(engine, document_id) == "Do người sửa"
    with session_scope(engine) as session:
        values = {(v.source, v.value) for v in documents.field_values(session, document_id)}
    assert ("auto", "Tự động lần hai") in values and ("manifest", "Danh mục lần hai") in values


def test_human_edits_are_kept_in_history(engine, document_id):
    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        documents.set_field(session, document, "published_year", 2017, Source.auto)
        documents.set_field(session, document, "published_year", 2018, Source.human, who="hoa")
        documents.set_field(session, document, "published_year", 2019, Source.human, who="minh")
    with session_scope(engine) as session:
        edits = session.exec(select(Edit).where(Edit.document_id == document_id).order_by(Edit.id)).all()
        assert session.get(Document, document_id).published_year == 2019
    assert [(e.old_value, e.new_value, e.who) for e in edits] == [("2017", "2018", "hoa"), ("2018", "2019", "minh")]


def test_document_dict_has_the_contract_keys(engine, document_id):
    with session_scope(engine) as session:
        data = documents.document_dict(session, session.get(Document, document_id), with_text=True)
    expected = {"id", "sha256", "source_name", "status", "title", "agency", "published_year", "kind", "field",
                "summary", "validity", "pages", "blank_pages", "selected_year", "ocr_confidence", "quality",
                "legal_refs", "text"}
    assert expected <= set(data)


def test_a_removed_document_leaves_lists_reports_and_search_and_gc_frees_its_files(tusach, workspace, tmp_path):
    import shutil

    from tests.conftest import SAMPLES

    inbox = tmp_path / "in"
    inbox.mkdir()
    for name in ("to-gap-luat-bao-hiem-y-te.pdf", "de-cuong-luat-bao-hiem-y-te.tif"):
        shutil.copy(SAMPLES / name, inbox)
    assert tusach("ingest", inbox).code == 0
    listed = {d["source_name"]: d for d in tusach("docs", "list", "--json").json()}  # ingest order may vary
    first, second = listed["to-gap-luat-bao-hiem-y-te.pdf"], listed["de-cuong-luat-bao-hiem-y-te.tif"]
    assert tusach("select", "--all", "--year", "2019").code == 0
    assert tusach("docs", "remove", first["id"], "--who", "lan").code == 0
    assert [d["id"] for d in tusach("docs", "list", "--json").json()] == [second["id"]]
    assert [d["id"] for d in tusach("docs", "list", "--status", "removed", "--json").json()] == [first["id"]]
    tally = tusach("report", "tally", "--by", "year", "--json").json()
    assert sum(row["documents"] for row in tally) == 1
    folder = workspace.store.folder(first["sha256"])
    assert folder.exists()
    dry = tusach("gc", "--dry-run", "--json").json()
    assert dry["folders"] == [first["sha256"]] and folder.exists()
    assert tusach("gc", "--json").json()["folders"] == [first["sha256"]]
    assert not folder.exists() and workspace.store.folder(second["sha256"]).exists()
    assert tusach("ingest", inbox / "to-gap-luat-bao-hiem-y-te.pdf").code == 0  # the same bytes bring it back
    back = tusach("docs", "show", first["id"], "--json").json()
    assert back["status"] == "ingested" and (folder / "original.pdf").exists()


def test_a_new_extraction_empties_the_auto_values_it_no_longer_finds_and_keeps_a_persons(engine, document_id):
    from pipeline.extract.metadata import Found, Metadata
    from pipeline.extract.results import apply_extract
    from pipeline.extract.worker import ExtractResult

    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        documents.set_field(session, document, "title", "Quyét định", Source.auto)  # the old rules' guess
        documents.set_field(session, document, "summary", "Tóm tắt", Source.auto)
        documents.set_field(session, document, "field", "đất đai", Source.human, who="reviewer")
        documents.set_field(session, document, "field", "giao thông", Source.auto)
    decree = Metadata(fields={"number": Found("05/2010/NĐ-CP", 0.9), "kind": Found("van_ban", 0.9)})
    with session_scope(engine) as session:
        apply_extract(session, session.get(Document, document_id), ExtractResult(metadata=decree))
    with session_scope(engine) as session:
        document = session.get(Document, document_id)
        assert (document.title, document.summary) == (None, None)
        assert (document.number, document.kind) == ("05/2010/NĐ-CP", "van_ban")
        assert document.field == "đất đai"  # a person's value stays
