"""What every command shares: the --json option, the workspace, looking up a document."""
from __future__ import annotations

import functools

import click

from catalog.models import Document
from pipeline.errors import NotFoundError
from pipeline.workspace import Workspace


def json_option(command):
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(command)


def pass_workspace(command):
    @click.pass_context
    @functools.wraps(command)
    def wrapper(ctx, *args, **kwargs):
        options = ctx.find_root().obj
        if "workspace" not in options:
            options["workspace"] = Workspace(options["home"], options["db"])
        return command(options["workspace"], *args, **kwargs)

    return wrapper


def get_document(session, doc_id: int) -> Document:
    document = session.get(Document, doc_id)
    if document is None:
        raise NotFoundError(f"Không có tài liệu #{doc_id} trong danh mục.")
    return document
