"""What every command shares: the --json option, the workspace, looking up a document."""
from __future__ import annotations

import functools

import click

from pipeline.errors import BadArgsError, NotFoundError
from pipeline.workspace import Workspace


def json_option(command):
    return click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")(command)


def who_option(help: str):
    """`--who NAME` (default: the login name of whoever runs the command): who the history records."""
    return click.option("--who", default=login_name, show_default="your login name", help=help)


def login_name() -> str:
    import getpass

    try:
        return getpass.getuser()  # LOGNAME, USER, USERNAME (Windows), else the account database
    except (OSError, KeyError):
        return "unknown"


def pass_workspace(command, create: bool = False):
    """Hand the command its workspace, which must exist (else exit 5); see `pass_new_workspace`."""
    @click.pass_context
    @functools.wraps(command)
    def wrapper(ctx, *args, **kwargs):
        options = ctx.find_root().obj
        if "workspace" not in options:
            options["workspace"] = Workspace(options["home"], options["db"], create=create)
        return command(options["workspace"], *args, **kwargs)

    return wrapper


def pass_new_workspace(command):
    """`pass_workspace` for the commands that may start a workspace (ingest, import, serve, watch, ...)."""
    return pass_workspace(command, create=True)


def get_document(session, doc_id: int):
    from catalog.models import Document

    document = session.get(Document, doc_id)
    if document is None:
        raise NotFoundError(f"Không có tài liệu #{doc_id} trong danh mục.")
    return document


def write_report(makers: dict, fmt: str, output, default_name: str) -> None:
    """A report in `fmt` (`makers` gives its content per format) to `output`, to stdout for text formats
    without one, and to DEFAULT_NAME.xlsx/.docx for the binary ones."""
    from pathlib import Path

    content = makers[fmt]()
    if output is None and fmt in ("xlsx", "docx"):
        output = Path(f"{default_name}.{fmt}")
    if output is None:
        click.echo(content, nl=False)
        return
    from pipeline.store import atomic_write

    atomic_write(output, content if isinstance(content, bytes) else content.encode("utf-8"))  # whole, or nothing
    click.echo(f"Đã ghi {output}", err=True)


def parse_assignments(assignments, allowed, parse) -> list[tuple[str, object]]:
    """`--set FIELD=VALUE` options as (field, value) pairs, in order. `parse(name, value)` gives the value
    to store or raises ValueError with the reason, in Vietnamese."""
    parsed = []
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        name = name.strip()
        if not sep or name not in allowed:
            raise BadArgsError(f"--set cần dạng FIELD=VALUE với FIELD là một trong: {', '.join(allowed)}")
        try:
            parsed.append((name, parse(name, value)))
        except ValueError as error:
            raise BadArgsError(f"{name}: {error}.") from error
    return parsed


def parse_id_list(text: str) -> list[int]:
    """`1-20,25` -> [1, ..., 20, 25] (in the order given, each once)."""
    ids: list[int] = []
    for part in text.replace(" ", "").split(","):
        first, sep, last = part.partition("-")
        if not first.isdigit() or (sep and not last.isdigit()):
            raise BadArgsError(f"Danh sách không hợp lệ: '{text}' (ví dụ 1-20,25).")
        span = range(int(first), int(last) + 1) if sep else [int(first)]
        if len(span) > 100_000:
            raise BadArgsError(f"Khoảng {part} quá lớn.")
        ids += [i for i in span if i not in ids]
    return ids
