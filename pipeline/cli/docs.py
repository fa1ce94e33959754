"""Commands on the documents of the catalog: docs list/show/edit/remove, and the review steps."""
from __future__ import annotations


import click

from catalog import documents
from catalog.language.labels import DOUBTS, STATUSES, label, signature_facts
from catalog.db import session_scope
from catalog.models import DocStatus, LegalRef, Signature, Source
from catalog.search import reindex
from pipeline.cli.common import get_document, json_option, parse_assignments, pass_workspace, parse_id_list, who_option
from pipeline.errors import BadArgsError
from pipeline.cli.output import print_json, print_table

EDITABLE_FIELDS = documents.EDITABLE_FIELDS


@click.group()
def docs():
    """List, show and edit documents in the catalog."""


@docs.command("list")
@click.option("--year", type=int, help="Published or selected in this year.")
@click.option("--agency", help="Compiling agency (exact).")
@click.option("--status", type=click.Choice([s.value for s in DocStatus]))
@click.option("--kind", help="Material kind, e.g. hoi_dap, to_gap.")
@click.option("--needs-info", is_flag=True,
              help="Only documents with a field to fill or check by hand (number, date, title, signer).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many documents.")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="Skip this many documents first.")
@json_option
@pass_workspace
def docs_list(workspace, year, agency, status, kind, needs_info, limit, offset, as_json):
    """List documents (filters combine).

    \b
    Examples:
      tusach docs list --status failed
      tusach docs list --year 2018 --json
      tusach docs list --needs-info
    """
    with session_scope(workspace.engine) as session:
        rows = documents.list_documents(session, year=year, agency=agency, status=status, kind=kind,
                                        needing_info=needs_info, limit=limit, offset=offset)
        ids = [d.id for d in rows]
        refs = documents.rows_by_document(session, LegalRef, ids, (LegalRef.document_id, LegalRef.id))
        signed = documents.rows_by_document(session, Signature, ids, (Signature.document_id, Signature.position))
        data = [documents.document_dict(session, d, with_text=False, refs=refs[d.id], signatures=signed[d.id])
                for d in rows]
    if as_json:
        print_json(data)
        return
    print_table(["ID", "Trạng thái", "Số trang", "Năm", "Tên tài liệu / tệp", "Mã lỗi"],
                [[d["id"], d["status"], d["pages"], d["published_year"], d["title"] or d["source_name"],
                  d["error_code"]] for d in data])


@docs.command("show")
@click.argument("doc_id", type=int)
@json_option
@pass_workspace
def docs_show(workspace, doc_id, as_json):
    """Show one document: metadata with sources, pages, and (with --json) its text and history."""
    with session_scope(workspace.engine) as session:
        document = get_document(session, doc_id)
        data = documents.document_dict(session, document, with_text=True)
        values = documents.field_values(session, doc_id)
        names = documents.source_names(session, doc_id)
        history = [{"name": e.name, "old_value": e.old_value, "new_value": e.new_value, "who": e.who,
                    "at": e.at.isoformat()} for e in documents.edits_of(session, doc_id)]
    if as_json:
        print_json({**data, "source_names": [name.path for name in names], "history": history})
        return
    for key in ("id", "status", "error_code", "error_message", "sha256", "source_name") + EDITABLE_FIELDS + (
            "selected_year", "ocr_confidence", "quality"):
        if data.get(key) is not None:
            click.echo(f"{key:15} {data[key]}")
    if data["legal_refs"]:
        click.echo("legal_refs      " + ", ".join(ref["number"] for ref in data["legal_refs"]))
    for form_field in data["form_fields"]:
        click.echo(f"biểu mẫu        {form_field['name']} = {form_field['value']}")
    for place in data["to_fill"]:
        reading = f"; OCR đọc: “{place['reading']}”" if place["reading"] else ""
        click.echo(f"cần bổ sung     {place['field']} (trang {place['page']}): {label(DOUBTS, place['doubt'])}{reading}")
    for signature in data["signatures"]:
        click.echo(f"chữ ký số       {signature['signer'] or '(không rõ người ký)'}, {signature['signed_at'] or '—'}: "
                   + "; ".join(signature_facts(signature)))
    if values:
        click.echo("\nGiá trị theo nguồn (auto / manifest / human):")
        print_table(["Trường", "Nguồn", "Giá trị", "Người đặt"], [[v.name, v.source, v.value, v.set_by] for v in values])
    click.echo("\nNguồn tệp:")
    for name in names:
        click.echo(f"  {name.path}")


@docs.command("edit")
@click.argument("doc_id", type=int)
@click.option("--set", "assignments", multiple=True, required=True, metavar="FIELD=VALUE",
              help=f"Field to set by hand; one of: {', '.join(EDITABLE_FIELDS)}. Empty VALUE clears it.")
@who_option("Who made the edit.")
@json_option
@pass_workspace
def docs_edit(workspace, doc_id, assignments, who, as_json):
    """Set metadata by hand; a human value is never overwritten by a re-run.

    \b
    Example:
      tusach docs edit 12 --set title="Hỏi đáp pháp luật về đất đai" --set published_year=2017
    """
    def parse(name: str, value: str) -> str | None:
        value = documents.as_typed(name, value.strip() or None)
        if (problem := documents.field_problem(name, value)) is not None:
            raise ValueError(problem)
        return value

    parsed = parse_assignments(assignments, EDITABLE_FIELDS, parse)
    with session_scope(workspace.engine) as session:
        document = get_document(session, doc_id)
        for name, value in parsed:
            documents.set_field(session, document, name, value, Source.human, who=who)
        session.flush()
        reindex(session, document)
        data = documents.document_dict(session, document, with_text=False)
    if as_json:
        print_json(data)
    else:
        click.echo(f"Đã cập nhật tài liệu #{doc_id}.")


@docs.command("remove")
@click.argument("doc_ids", type=int, nargs=-1, required=True)
@who_option("Who removed them.")
@json_option
@pass_workspace
def docs_remove(workspace, doc_ids, who, as_json):
    """Take documents out of the catalog (kept in the history; `tusach gc` frees their files).

    A removed document is not listed, counted, searched or processed; ingesting the same bytes
    again brings it back.

    \b
    Example:
      tusach docs remove 12 13 --who lan
    """
    with session_scope(workspace.engine) as session:
        for doc_id in doc_ids:
            document = get_document(session, doc_id)
            documents.remove(session, document, who)
            session.flush()
            reindex(session, document)
    if as_json:
        print_json({"removed": list(doc_ids)})
    else:
        click.echo(f"Đã gỡ khỏi danh mục: {', '.join(map(str, doc_ids))}. Chạy 'tusach gc' để giải phóng dung lượng.")


@click.command()
@click.argument("doc_ids")
@click.option("--verified", "to", flag_value="verified", help="Đối chiếu done: compared with the paper original.")
@click.option("--approved", "to", flag_value="approved", help="Phê duyệt: approved for upload.")
@who_option("Who reviewed.")
@json_option
@pass_workspace
def review(workspace, doc_ids, to, who, as_json):
    """Record a review step: --verified (đối chiếu), then --approved (phê duyệt).

    DOC_IDS is one id or a list of ids and ranges (`1-20,25`): each document that can take the step
    takes it, the others are listed with the reason. An edit to an approved document sends it back to
    verified.

    \b
    Examples:
      tusach review 12 --verified
      tusach review 12 --approved --who lan
      tusach review 1-20,25 --approved --who lan
    """
    from catalog.review import ReviewError, move

    if to is None:
        raise BadArgsError("Cần --verified hoặc --approved.")
    ids = parse_id_list(doc_ids)
    if len(ids) == 1 and doc_ids.strip().isdigit():
        with session_scope(workspace.engine) as session:
            document = get_document(session, ids[0])
            try:
                move(session, document, DocStatus(to), who)
            except ReviewError as error:
                raise BadArgsError(str(error)) from error
            data = documents.document_dict(session, document, with_text=False)
        if as_json:
            print_json(data)
        else:
            click.echo(f"Tài liệu #{ids[0]}: {label(STATUSES, data['status']).lower()}.")
        return
    from catalog.review import move_many

    with session_scope(workspace.engine) as session:
        summary = move_many(session, ids, DocStatus(to), who)
    if as_json:
        print_json(summary)
    else:
        click.echo(f"Đã chuyển {len(summary['moved'])} tài liệu, {len(summary['unchanged'])} đã ở bước này, "
                   f"{len(summary['refused'])} không chuyển được.")
        for item in summary["refused"]:
            click.echo(f"  #{item['id']}: {item['reason']}", err=True)
    if summary["refused"] and not summary["moved"] and not summary["unchanged"]:
        raise SystemExit(1)
