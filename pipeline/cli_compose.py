"""Commands for the scanning room: split a stack into documents, merge documents into one."""
from __future__ import annotations

import click

from pipeline.cli_common import json_option, pass_workspace
from pipeline.errors import BadArgsError
from pipeline.output import print_json


@click.command()
@click.argument("doc_id", type=int)
@click.option("--at", "at", required=True, metavar="PAGES",
              help="The pages where a new document starts, e.g. 3 or 3,7.")
@click.option("--who", envvar="USER", default="unknown", show_default=True, help="Who split it.")
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
    from pipeline.compose_job import split as split_job

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
@click.option("--who", envvar="USER", default="unknown", show_default=True, help="Who merged them.")
@json_option
@pass_workspace
def merge(workspace, doc_ids, who, as_json):
    """Join documents, in the order given, into one (pages keep their OCR).

    The documents joined stay in the catalog as `merged` (never counted or exported) with their history.

    \b
    Example:
      tusach merge 14 15        (the front and the back of a leaflet)
    """
    from pipeline.compose_job import merge as merge_job

    new_id = merge_job(workspace, list(doc_ids), who)
    if as_json:
        print_json({"id": new_id})
    else:
        click.echo(f"Đã gộp {', '.join(f'#{i}' for i in doc_ids)} thành tài liệu #{new_id}.")
