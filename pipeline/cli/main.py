"""The `tusach` command line: parse, call, print. No logic lives here."""
from __future__ import annotations

import importlib
import logging
import sys
from pathlib import Path

import click

from pipeline import __version__
from pipeline.cli.common import json_option, pass_new_workspace, pass_workspace, who_option
from pipeline.errors import BadArgsError, ExitCode, TusachError, disk_full_message, is_disk_full
from pipeline.cli.output import print_json, print_table

log = logging.getLogger("tusach")


class LazyGroup(click.Group):
    """A group whose commands in other modules are imported when called: `tusach run` does not load the
    catalog's models for `tusach report` (click's documented pattern)."""

    def __init__(self, *args, lazy: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy  # command name: "module:attribute"

    def list_commands(self, ctx) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx, name):
        if name not in self.lazy:
            return super().get_command(ctx, name)
        module, attribute = self.lazy[name].split(":")
        return getattr(importlib.import_module(module), attribute)


ELSEWHERE = {
    "communes": "pipeline.cli.communes:communes",
    "docs": "pipeline.cli.docs:docs", "review": "pipeline.cli.docs:review",
    "export": "pipeline.cli.bundles:export", "exports": "pipeline.cli.bundles:exports",
    "import": "pipeline.cli.bundles:import_", "verify": "pipeline.cli.bundles:verify",
    "merge": "pipeline.cli.scanning:merge", "pages": "pipeline.cli.scanning:pages",
    "rescan": "pipeline.cli.scanning:rescan", "split": "pipeline.cli.scanning:split",
    "undo": "pipeline.cli.scanning:undo",
    "plan": "pipeline.cli.plan:plan", "report": "pipeline.cli.plan:report", "select": "pipeline.cli.plan:select",
    "search": "pipeline.cli.web:search_command", "serve": "pipeline.cli.web:serve", "users": "pipeline.cli.web:users",
    "watch": "pipeline.cli.web:watch",
}


@click.group(cls=LazyGroup, lazy=ELSEWHERE,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--home", type=click.Path(file_okay=False, path_type=Path), envvar="TUSACH_HOME",
              default=Path("tusach-data"), show_default=True, help="Workspace folder (env TUSACH_HOME).")
@click.option("--db", envvar="TUSACH_DB", default=None,
              help="Catalog URL (env TUSACH_DB), e.g. postgresql://user@host/db. Default: SQLite in the workspace.")
@click.option("-v", "--verbose", count=True, help="More logging (-vv for debug); tracebacks on errors.")
@click.version_option(__version__, prog_name="tusach")
@click.pass_context
def cli(ctx, home, db, verbose):
    """tusach: digitize legal-education materials for the national electronic legal bookcase.

    Scans go through ingest -> run (OCR, extraction) -> review -> report/export.
    """
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.obj = {"home": home, "db": db, "verbose": verbose}


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with columns file,title,agency,year,kind,field,notes (paths relative to the CSV).")
@click.option("--agency", help="Compiling agency for documents the manifest does not name one for.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, help="Worker processes (0 = one per core).")
@json_option
@pass_new_workspace
def ingest(workspace, paths, manifest, agency, jobs, as_json):
    """Register scans (PDF, TIFF, JPEG, PNG, folders of page images) in the catalog.

    Folders are searched recursively; a folder holding only numbered page images
    (001.jpg, 002.jpg, ...) becomes one document. The same bytes are never registered
    twice. A manifest.csv inside an ingested folder is read automatically.

    \b
    Examples:
      tusach ingest scans/
      tusach ingest scans/ --manifest scans/danh-muc.csv --agency "Sở Tư pháp tỉnh Đắk Lắk"
    """
    from pipeline.ingest.job import ingest as ingest_job

    summary = ingest_job(workspace, list(paths), manifest_path=manifest, agency=agency,
                         jobs=workspace.default_jobs() if jobs in (None, 0) else jobs)
    if as_json:
        print_json(summary.as_dict())
    else:
        click.echo(f"Mới: {len(summary.new)}  Trùng (đã có): {len(summary.duplicates)}  "
                   f"Lỗi: {len(summary.failed)}  Bỏ qua (không phải bản quét): {len(summary.skipped)}")
        if summary.skipped_by_kind:
            click.echo("  Bỏ qua: " + ", ".join(f"{count} {kind}" for kind, count in summary.skipped_by_kind.items()))
        for error in summary.errors:
            click.echo(f"  ✗ {error}")
        for failure in summary.failed:
            click.echo(f"  ✗ {failure['source_name']}: [{failure['reason']}] {failure['message']}")
        for warning in summary.warnings:
            click.echo(f"  ! {warning}")
    sys.exit(summary.exit_code)


STAGE_NAMES = ["ocr", "extract"]  # pipeline.runner.ORDER (kept literal: --help is built without importing the stages)
THRESHOLDING = ["auto", "otsu", "adaptive-otsu", "sauvola"]
OUTPUT_TYPES = ["pdfa-2", "pdfa-1", "pdfa-3", "pdf"]
ENGINES = ["tesserocr", "tesseract"]  # pipeline.ocr.options.ENGINES (literal, as the stage names)


@cli.command()
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None, help="Worker processes (0 = one per core).")
@click.option("--stage", "stages", multiple=True, type=click.Choice(STAGE_NAMES), help="Run only this stage.")
@click.option("--redo", multiple=True, type=click.Choice(STAGE_NAMES), help="Run this stage again even if done.")
@click.option("--retry-failed", is_flag=True, help="Also retry documents whose last run failed (a full disk is always retried).")
@click.option("--executor", "executor", default=None, metavar="local|tcp://HOST:PORT",
              help="Where the work runs: local processes, or an existing Dask cluster's scheduler.  [config: local]")
@click.option("--language", "-l", help="OCR language(s), e.g. vie or vie+eng.  [config: vie]")
@click.option("--rotate-pages/--no-rotate-pages", default=None, help="Turn upside-down or sideways pages upright.")
@click.option("--deskew/--no-deskew", default=None, help="Straighten skewed pages.")
@click.option("--clean/--no-clean", default=None, help="Clean pages with unpaper before OCR.")
@click.option("--thresholding", type=click.Choice(THRESHOLDING),
              help="Tesseract binarization method.  [config: otsu]")
@click.option("--output-type", type=click.Choice(OUTPUT_TYPES), help="Searchable PDF flavour.  [config: pdfa-2]")
@click.option("--optimize", type=click.IntRange(0, 3), help="PDF image optimization level.")
@click.option("--image-layer", type=click.Choice(["original", "bilevel"]),
              help="Page images kept as scanned, or text pages black-and-white (G4, ~7x smaller).")
@click.option("--tessdata", type=click.Path(exists=True, file_okay=False), help="Folder of *.traineddata files.")
@click.option("--timeout", type=click.FloatRange(min=1), help="Seconds Tesseract may spend on one page.")
@click.option("--engine", type=click.Choice(ENGINES),
              help="Tesseract in-process (tesserocr: faster, Tesseract 5.5) or as a program for each page.  "
                   "[config: tesserocr]")
@click.option("--auto-split", is_flag=True,
              help="Split stacks at separator sheets (tusach separator-sheet), leaving the sheets out.")
@who_option("Who ran it (and split, with --auto-split).")
@json_option
@pass_workspace
def run(workspace, jobs, stages, redo, retry_failed, executor, auto_split, who, as_json, **ocr_overrides):
    """Run the processing stages (ocr, then extract) on every document that needs them.

    A stage already done on the same bytes with the same options is skipped, so
    `tusach run` can be repeated or resumed at any time; changing an OCR option
    redoes OCR only. Defaults come from the [ocr] section of tusach.toml.

    \b
    After OCR it reports where a document seems to hold several (a separator sheet, two blank pages
    in a row, a new cover page): `tusach split ID --at PAGES` applies one; `--auto-split` applies
    the separator sheets.

    \b
    Examples:
      tusach run
      tusach run --auto-split
      tusach run --jobs 2 --retry-failed
      tusach run --language vie+eng
      tusach run --engine tesseract --thresholding sauvola   (the program, as before 2026-12)
      tusach run --executor tcp://192.168.1.10:8786   (a Dask cluster; the store shared at the same path)
    """
    from pipeline.pending import idle_run

    ocr_options = dict(workspace.settings.ocr)
    ocr_options.update({k: v for k, v in ocr_overrides.items() if v is not None})
    executor = executor or workspace.settings.executor
    if executor != "local" and not executor.startswith("tcp://"):
        raise BadArgsError("--executor là local hoặc tcp://MÁY:CỔNG (bộ lập lịch Dask).")
    options = {"ocr": ocr_options}
    # Nothing to do is found without loading the runner (a tenth of the time); the runner is the one to
    # wait for another run, to redo, and to split stacks read before.
    summary = None if redo or auto_split else idle_run(workspace, list(stages) or None, options, retry_failed)
    if summary is None:
        from pipeline.workers.heavy_imports import heavy_imports

        with heavy_imports():
            from pipeline.runner import run as run_job

        summary = run_job(workspace, stages=list(stages) or None, redo=tuple(redo), retry_failed=retry_failed,
                          jobs=workspace.default_jobs() if jobs in (None, 0) else jobs, options=options,
                          executor=None if executor == "local" else executor, who=who, on_wait=_waiting)
    suggested, applied = _splits(workspace, summary.ran.get("ocr", []), auto_split, who)
    if as_json:
        print_json({**summary.as_dict(),
                    "split_suggestions": [{"id": doc_id, "pages": [s.page for s in found],
                                           "reasons": [s.reason for s in found]} for doc_id, found in suggested.items()],
                    "auto_split": [{"id": doc_id, "ids": ids} for doc_id, ids in applied.items()]})
    else:
        for stage, count in summary.done.items():
            click.echo(f"{stage}: đã xử lý {count}, bỏ qua (đã xong) {summary.skipped.get(stage, 0)}")
        for failure in summary.failed:
            click.echo(f"  ✗ #{failure['id']} {failure['source_name']}: [{failure['reason']}] {failure['message']}")
        for doc_id, found in suggested.items():
            if doc_id in applied:
                click.echo(f"  ✂ #{doc_id}: đã tách tại trang tách thành {', '.join(f'#{i}' for i in applied[doc_id])}")
                continue
            pages = ",".join(str(s.page) for s in found)
            reasons = "; ".join(f"trang {s.page}: {SPLIT_REASONS[s.reason]}" for s in found)
            click.echo(f"  ? #{doc_id} có thể gồm nhiều tài liệu ({reasons}): tusach split {doc_id} --at {pages}")
    sys.exit(summary.exit_code)


def _splits(workspace, read: list[int], auto_split: bool, who: str) -> tuple[dict, dict]:
    """Where the documents just read (and, to auto-split, stacks read by an earlier run) seem to hold
    several; with `auto_split`, those split at their separator sheets."""
    if not read and not auto_split:
        return {}, {}  # nothing read: nothing to look at (and the page analysis is not even loaded)
    from pipeline.scanning.compose import split_at_separators, suggest_splits, with_separator_sheets

    looked_at = read + [i for i in (with_separator_sheets(workspace) if auto_split else []) if i not in read]
    suggested = suggest_splits(workspace, looked_at)
    applied = {doc_id: split_at_separators(workspace, doc_id, found, who) for doc_id, found in suggested.items()
               if auto_split and any(s.reason == "separator" for s in found)}
    return suggested, applied


def _waiting(held) -> None:
    job = f" (công việc #{held.job_id})" if held.job_id else ""
    click.echo(f"Một lượt xử lý khác đang chạy trên danh mục này{job}, do {held.holder}: chờ lượt đó xong rồi "
               "làm tiếp những gì còn lại…", err=True)


SPLIT_REASONS = {"separator": "sau trang tách", "blank": "sau hai trang trắng liền nhau",
                 "cover": "giống trang bìa"}


@cli.command()
@json_option
@pass_workspace
def status(workspace, as_json):
    """Show how many documents are at each status, and every failure with its reason."""
    from catalog import documents
    from catalog.db import session_scope
    from catalog.models import DocStatus, StageRun

    with session_scope(workspace.engine) as session:
        counts = documents.count_by_status(session)
        failed = [{"id": d.id, "source_name": d.source_name, "reason": d.error_code, "message": d.error_message}
                  for d in documents.failures(session)]
        running = session.exec(StageRun.__table__.select().where(StageRun.status == "running")).all()
    data = {"home": str(workspace.home), "catalog": _safe_url(workspace.db_url), "total": sum(counts.values()),
            "by_status": {s.value: counts.get(s.value, 0) for s in DocStatus}, "failed": failed,
            "interrupted_runs": len(running)}
    if as_json:
        print_json(data)
        return
    click.echo(f"Thư mục làm việc: {data['home']}\nCơ sở dữ liệu: {data['catalog']}\nTổng số tài liệu: {data['total']}")
    print_table(["Trạng thái", "Số tài liệu"], [[s, n] for s, n in data["by_status"].items()])
    if failed:
        click.echo("\nTài liệu lỗi:")
        print_table(["ID", "Tệp", "Mã lỗi", "Lý do"],
                    [[f["id"], f["source_name"], f["reason"], f["message"]] for f in failed], max_width=60)


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@cli.command("separator-sheet")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default="trang-tach.pdf",
              show_default=True, help="Where to write the PDF.")
def separator_sheet(output):
    """Print a separator sheet: put one before each new document of a stack fed through the scanner.

    `tusach run` recognises the sheet's QR code; `tusach run --auto-split` splits the stack there
    and leaves the sheets out.

    \b
    Example:
      tusach separator-sheet -o trang-tach.pdf
    """
    from pipeline.scanning.separators import write_sheet

    write_sheet(output)
    click.echo(f"Đã tạo trang tách: {output} (in ra, đặt trước mỗi tài liệu mới trong chồng giấy).")


@cli.command()
@click.option("--dry-run", is_flag=True, help="Only say what would be freed.")
@json_option
@pass_workspace
def gc(workspace, dry_run, as_json):
    """Free the store files of removed documents (and of folders no document owns).

    \b
    Example:
      tusach gc --dry-run
    """
    from pipeline.gc_job import collect

    result = collect(workspace, dry_run=dry_run)
    if as_json:
        print_json({**result.as_dict(), "dry_run": dry_run})
    else:
        verb = "Sẽ xóa" if dry_run else "Đã xóa"
        click.echo(f"{verb} {len(result.folders)} thư mục trong kho, {result.bytes / 1024 / 1024:.1f} MB.")


def main(argv: list[str] | None = None) -> int:
    """Entry point: turns exceptions into exit codes (one place, like OCRmyPDF's)."""
    verbose = any(a in ("-v", "-vv", "--verbose") for a in (argv if argv is not None else sys.argv[1:]))
    try:
        cli.main(args=argv, prog_name="tusach", standalone_mode=False)
        return ExitCode.ok
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.exceptions.Abort:
        click.echo("Đã hủy.", err=True)
        return ExitCode.ctrl_c
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.ClickException as error:
        error.show()
        return ExitCode.bad_args
    except TusachError as error:
        if verbose:
            log.exception("tusach error")
        click.echo(f"Lỗi: {error}", err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("Đã dừng (Ctrl-C).", err=True)
        return ExitCode.ctrl_c
    except Exception as error:  # the last line of defence: a clear message, traceback only with -v
        if verbose:
            log.exception("unexpected error")
        if is_disk_full(error):  # export, report -o, import: what was half written is gone already
            click.echo(f"Lỗi: {disk_full_message(error)}", err=True)
            return ExitCode.disk_full
        click.echo(f"Lỗi không mong đợi: {type(error).__name__}: {error} (chạy lại với -v để xem chi tiết)", err=True)
        return ExitCode.other_error


def console_main() -> None:
    import gc  # here: `gc` in this module is the `tusach gc` command

    from pipeline.workers.lifetime import die_with_starter, stop_on_sigterm

    die_with_starter()
    stop_on_sigterm()
    code = main()
    # The interpreter's last collection walks every object the OCR and PDF libraries created (0.25 s after
    # a run); the process is ending and its memory goes back whole. Exit handlers still run.
    gc.freeze()
    sys.exit(code)
