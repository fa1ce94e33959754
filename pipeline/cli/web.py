"""Commands for finding and reviewing: search, serve (the review pages), users (their accounts)."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from catalog.db import session_scope
from pipeline.cli.common import json_option, pass_new_workspace, pass_workspace, who_option
from pipeline.errors import BadArgsError
from pipeline.cli.output import print_json, print_table


@click.command("search")
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@json_option
@pass_workspace
def search_command(workspace, query, limit, as_json):
    """Search titles, metadata and full text; `dat dai` finds `đất đai`, exact matches first.

    \b
    Examples:
      tusach search dat dai
      tusach search "thủ tục hành chính" --json
    """
    from catalog.search import as_dicts, search

    with session_scope(workspace.engine) as session:
        hits = search(session, " ".join(query), limit)
    if as_json:
        print_json(as_dicts(hits))
        return
    if not hits:
        click.echo("Không tìm thấy.")
    for hit in hits:
        where = "thông tin" if hit.page == 0 else f"trang {hit.page}"
        click.echo(f"#{hit.id} {hit.title or hit.source_name} ({where})\n   {hit.snippet}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address or name to listen on (0.0.0.0: every address of this machine).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@click.option("--who", envvar="USER", default="web", show_default=True, help="Name recorded for edits and reviews.")
@click.option("--behind-https", is_flag=True,
              help="A reverse proxy serves the pages over HTTPS: cookies are Secure, origins https.")
@pass_new_workspace
def serve(workspace, host, port, who, behind_https):
    """The pages in the browser: add documents, progress, catalog, search, đối chiếu, approval,
    Phụ lục I and II, statistics, bundles, the user guide.

    While it serves, new documents (uploaded, or dropped in the scan folders of tusach.toml
    [watch]) are processed in the background, one run at a time, as `tusach run` would.

    On 127.0.0.1 (the default) the person at this machine reviews without logging in. Bound to
    any other address, every page needs an account (tusach users add) and its role. Only the
    names this machine is reached by are served (add others in tusach.toml [web] hosts).

    \b
    Examples:
      tusach serve --port 8000      (then open http://127.0.0.1:8000)
      tusach serve --host 0.0.0.0   (office network: accounts required)
    """
    import uvicorn
    from sqlmodel import select

    from catalog.models import User
    from catalog.web.app import create_app
    from pipeline.scanning.page_fixes import Fixer
    from pipeline.service.background import Background
    from pipeline.service.intake import Intake
    from catalog.web.security import allowed_hosts, is_loopback

    local = is_loopback(host) and not behind_https  # behind a proxy, loopback connections are anyone's
    if not local:
        with session_scope(workspace.engine) as session:
            if session.exec(select(User)).first() is None:
                raise BadArgsError("Phục vụ ngoài máy này cần tài khoản: tạo trước bằng `tusach users add`.")
    background = Background(workspace, who)
    intake = Intake(workspace, background)
    intake.clear_staging()
    app = create_app(workspace.engine, workspace.store.root, who, require_login=not local,
                     allowed_hosts=allowed_hosts(host, workspace.settings.web_hosts), behind_https=behind_https,
                     report_form=workspace.report_form(), page_fixer=Fixer(workspace), intake=intake)
    click.echo(f"Mở http://{host}:{port} trong trình duyệt. Ctrl-C để dừng.")
    for scan_folder in background.folders:
        click.echo(f"Thư mục quét: {scan_folder.folder}")
    background.start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=behind_https)
    finally:
        background.stop()


@click.command()
@click.argument("folders", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--no-run", is_flag=True, help="Only take documents in; leave processing to `tusach run`.")
@who_option("Who the documents are recorded as taken in and processed by.")
@pass_new_workspace
def watch(workspace, folders, no_run, who):
    """Take in what a scanner or a colleague drops in scan folders, and process it, until Ctrl-C.

    A file or folder is taken once it has not changed for a few seconds ([watch] settle_seconds),
    then moved to da-nhap/ (taken) or loi/ (not taken, with a .txt saying why). Folders on a
    network share work: they are looked at by polling. Without FOLDERS, those of tusach.toml
    [watch] folders. `tusach serve` does the same while it serves.

    \b
    Examples:
      tusach watch /srv/scan
      tusach watch                  (the folders of tusach.toml)
    """
    import threading

    from pipeline.service.background import Background

    background = Background(workspace, who, folders=list(folders) or None, runs=not no_run)
    if not background.folders:
        raise BadArgsError("Chưa có thư mục quét: ghi `tusach watch THƯ_MỤC` hoặc thêm [watch] folders trong "
                           f"{workspace.config_path}.")
    for scan_folder in background.folders:
        click.echo(f"Đang theo dõi {scan_folder.folder} (Ctrl-C để dừng)")
    background.start()
    try:
        threading.Event().wait()
    finally:
        background.stop()


@click.group()
def users():
    """Accounts for the review pages (needed when served beyond this machine)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["viewer", "editor", "approver"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@pass_new_workspace
def users_add(workspace, name, role, password_stdin):
    """Create an account, or change its role and password.

    \b
    Example:
      tusach users add lan --role approver
    """
    from catalog.users import add_user

    password = _password(password_stdin)
    with session_scope(workspace.engine) as session:
        try:
            add_user(session, name, role, password)
        except ValueError as error:
            raise BadArgsError(str(error)) from error
    click.echo(f"Đã lưu tài khoản {name} ({role}).")


@users.command("list")
@json_option
@pass_workspace
def users_list(workspace, as_json):
    """List the accounts and their roles."""
    from sqlmodel import select

    from catalog.models import User

    with session_scope(workspace.engine) as session:
        rows = [{"name": u.name, "role": u.role} for u in session.exec(select(User).order_by(User.name))]
    if as_json:
        print_json(rows)
    else:
        print_table(["Tên", "Vai trò"], [[r["name"], r["role"]] for r in rows])


def _password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Mật khẩu", hide_input=True, confirmation_prompt="Nhập lại mật khẩu")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
@pass_workspace
def users_passwd(workspace, name, password_stdin):
    """Change an account's password; its open sessions end.

    \b
    Example:
      tusach users passwd lan
    """
    from catalog.users import set_password

    password = _password(password_stdin)
    with session_scope(workspace.engine) as session:
        try:
            set_password(session, name, password)
        except ValueError as error:
            raise BadArgsError(str(error)) from error
    click.echo(f"Đã đổi mật khẩu của {name}; các phiên đang mở đã kết thúc.")


@users.command("remove")
@click.argument("name")
@pass_workspace
def users_remove(workspace, name):
    """Remove an account; its open sessions end (its past edits keep its name).

    \b
    Example:
      tusach users remove lan
    """
    from catalog.users import remove_user

    with session_scope(workspace.engine) as session:
        try:
            remove_user(session, name)
        except ValueError as error:
            raise BadArgsError(str(error)) from error
    click.echo(f"Đã xóa tài khoản {name}.")
