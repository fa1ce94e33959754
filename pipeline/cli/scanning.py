"""Commands for the scanning room: split a stack into documents, merge documents into one, fix pages,
put a new scan in place of a document's pages, undo."""
from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.common import json_option, pass_workspace, who_option
from pipeline.errors import BadArgsError, InputError, Reason
from pipeline.cli.output import print_json


@click.command()
@click.argument("doc_id", type=int)
@click.option("--at", "at", required=True, metavar="PAGES",
              help="The pages where a new document starts, e.g. 3 or 3,7.")
@who_option("Who split it.")
@json_option
@pass_workspace
def split(workspace, doc_id, at, who, as_json):
    """Cut a scanned stack into documents (no second OCR).

    Each part gets its pages, texts and a fresh metadata extraction; the stack stays in the catalog
    as `split` (never counted or exported) with its history.

    \b
    Examples:
      tusach split 12 --at 5          (pages 1-4 and 5-end)
      tusach split 12 --at 3,7 --json
    """
    from pipeline.scanning.compose import split as split_job

    try:
        starts = [int(p) for p in at.replace(" ", "").split(",") if p]
    except ValueError as error:
        raise BadArgsError(f"--at cần số trang, ví dụ 3 hoặc 3,7 (không phải '{at}').") from error
    ids = split_job(workspace, doc_id, starts, who)
    if as_json:
        print_json({"ids": ids})
    else:
        click.echo(f"Đã tách tài liệu #{doc_id} thành: {', '.join(f'#{i}' for i in ids)}.")


@click.command()
@click.argument("doc_ids", type=int, nargs=-1, required=True)
@who_option("Who merged them.")
@json_option
@pass_workspace
def merge(workspace, doc_ids, who, as_json):
    """Join documents, in the order given, into one (pages keep their OCR).

    The documents joined stay in the catalog as `merged` (never counted or exported) with their history.

    \b
    Example:
      tusach merge 14 15        (the front and the back of a leaflet)
    """
    from pipeline.scanning.compose import merge as merge_job

    new_id = merge_job(workspace, list(doc_ids), who)
    if as_json:
        print_json({"id": new_id})
    else:
        click.echo(f"Đã gộp {', '.join(f'#{i}' for i in doc_ids)} thành tài liệu #{new_id}.")


@click.group()
def pages():
    """Fix a document's pages by hand: turn, delete, move; correct a page's text.

    Each change is kept in the history and `tusach undo ID` puts the pages back as they were.
    """


@pages.command("rotate")
@click.argument("doc_id", type=int)
@click.argument("page", type=int)
@click.option("--by", "degrees", type=click.Choice(["90", "180", "270"]), default="90", show_default=True,
              help="Degrees clockwise.")
@who_option("Who turned it.")
@pass_workspace
def pages_rotate(workspace, doc_id, page, degrees, who):
    """Turn a page clockwise and read it again (only that page is OCR'd).

    \b
    Example:
      tusach pages rotate 12 3 --by 180      (page 3 was scanned upside down)
    """
    from pipeline.scanning.page_fixes import rotate
    from pipeline.ocr.options import OcrOptions

    rotate(workspace, doc_id, page, int(degrees), OcrOptions(**workspace.settings.ocr), who)
    click.echo(f"Đã xoay trang {page} của tài liệu #{doc_id} {degrees}° và đọc lại trang đó.")


@pages.command("delete")
@click.argument("doc_id", type=int)
@click.argument("page_list", metavar="PAGES")
@who_option("Who deleted them.")
@pass_workspace
def pages_delete(workspace, doc_id, page_list, who):
    """Delete pages (a page scanned twice, a separator sheet): e.g. 4 or 4,9-10.

    \b
    Example:
      tusach pages delete 12 4
    """
    from pipeline.cli.common import parse_id_list
    from pipeline.scanning.page_fixes import delete

    numbers = parse_id_list(page_list)
    delete(workspace, doc_id, numbers, who)
    click.echo(f"Đã xoá {len(numbers)} trang của tài liệu #{doc_id}.")


@pages.command("move")
@click.argument("doc_id", type=int)
@click.argument("page", type=int)
@click.option("--to", "to", type=int, required=True, help="The page's new position.")
@who_option("Who moved it.")
@pass_workspace
def pages_move(workspace, doc_id, page, to, who):
    """Move a page to another position (the pages between shift by one).

    \b
    Example:
      tusach pages move 12 5 --to 1
    """
    from pipeline.scanning.page_fixes import move

    move(workspace, doc_id, page, to, who)
    click.echo(f"Đã chuyển trang {page} của tài liệu #{doc_id} đến vị trí {to}.")


@pages.command("text")
@click.argument("doc_id", type=int)
@click.argument("page", type=int)
@click.option("--file", "source", type=click.File("r", encoding="utf-8"), default="-", show_default=True,
              help="The corrected text (UTF-8); - reads standard input.")
@who_option("Who corrected it.")
@pass_workspace
def pages_text(workspace, doc_id, page, source, who):
    """Correct a page's text (what OCR misread); the correction wins over OCR on every re-run.

    \b
    Example:
      tusach pages text 12 3 --file trang-3.txt
    """
    from catalog.db import session_scope
    from catalog.pages import PageError, correct_text

    try:
        with session_scope(workspace.engine) as session:
            correct_text(session, doc_id, page, source.read(), who)
    except PageError as error:
        raise BadArgsError(str(error)) from error
    click.echo(f"Đã lưu văn bản sửa của trang {page}, tài liệu #{doc_id}.")


@click.command()
@click.argument("doc_id", type=int)
@click.argument("scan", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@who_option("Who scanned it again.")
@click.option("--jobs", "-j", type=int, default=0, help="Parallel workers for the OCR (0: the workspace's).")
@pass_workspace
def rescan(workspace, doc_id, scan, who, jobs):
    """Put a new scan in place of a document's pages and OCR it.

    The document keeps its id, metadata, selection and history; the old scan stays in the store and
    `tusach undo ID` puts it back.

    \b
    Example:
      tusach rescan 12 so-tay-quet-lai.pdf
    """
    from pipeline.scanning.page_fixes import rescan as rescan_job
    from pipeline.runner import run

    rescan_job(workspace, doc_id, scan, who)
    summary = run(workspace, jobs=jobs or workspace.default_jobs(), options={"ocr": dict(workspace.settings.ocr)})
    failed = [f for f in summary.failed if f["id"] == doc_id]
    if failed:
        raise InputError(Reason(failed[0]["reason"]), failed[0]["message"])
    click.echo(f"Đã thay các trang của tài liệu #{doc_id} bằng bản quét {scan.name} và OCR xong.")


@click.command()
@click.argument("doc_id", type=int)
@who_option("Who undid it.")
@pass_workspace
def undo(workspace, doc_id, who):
    """Undo a document's latest page fix or rescan (then the one before, and so on).

    \b
    Example:
      tusach undo 12
    """
    from pipeline.scanning.page_fixes import Fixer

    try:
        detail = Fixer(workspace).undo(doc_id, who)
    except ValueError as error:
        raise BadArgsError(str(error)) from error
    click.echo(f"Đã hoàn tác ({detail}) cho tài liệu #{doc_id}.")
