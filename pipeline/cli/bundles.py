"""Commands for upload bundles: export, exports, verify, import."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlmodel import select

from catalog.db import session_scope
from catalog.models import DocStatus, Export
from pipeline.cli.common import json_option, pass_new_workspace, pass_workspace
from pipeline.errors import ExitCode
from pipeline.cli.output import print_json, print_table


@click.command()
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Folder for bundles.")
@click.option("--year", type=int, help="Only documents selected for this year (adds its Phụ lục II).")
@click.option("--agency", help="Only this compiling agency's documents.")
@click.option("--status", "statuses", multiple=True, type=click.Choice([s.value for s in DocStatus]),
              help="Export documents at this status (repeatable).  [default: approved]")
@click.option("--since-last/--all", default=False, help="Only what was approved or changed since the last export.")
@click.option("--zip", "as_zip", is_flag=True, help="Write one .zip per bag.")
@click.option("--max-size", help="Split into bags of at most this size (e.g. 2GB), numbered '1 of N'.")
@json_option
@pass_workspace
def export(workspace, out, year, agency, statuses, since_last, as_zip, max_size, as_json):
    """Write approved documents as a BagIt upload bundle for the national database.

    \b
    Examples:
      tusach export --out bundles/
      tusach export --out bundles/ --year 2019 --zip --max-size 2GB
    """
    from pipeline.bundles.export import export as export_job, parse_size

    result = export_job(workspace, out, year=year, agency=agency, status=tuple(statuses) or ("approved",),
                        since_last=since_last, as_zip=as_zip, max_size=parse_size(max_size) if max_size else None)
    if as_json:
        print_json(result.as_dict())
        return
    if not result.paths:
        click.echo("Không có tài liệu nào để xuất (mặc định chỉ xuất tài liệu đã phê duyệt).")
    for path in result.paths:
        click.echo(f"Đã tạo gói {path}")
    click.echo(f"{len(result.documents)} tài liệu.")
    for skipped in result.skipped:
        click.echo(f"  ! #{skipped['id']}: {skipped['reason']}")


@click.command()
@json_option
@pass_workspace
def exports(workspace, as_json):
    """List the bundles exported from this catalog."""
    with session_scope(workspace.engine) as session:
        rows = [{"bundle_id": e.bundle_id, "created_at": e.created_at.isoformat(), "documents": e.documents,
                 "year": e.year, "agency": e.agency, "path": e.out_path, "payload_oxum": e.payload_oxum}
                for e in session.exec(select(Export).order_by(Export.id))]
    if as_json:
        print_json(rows)
        return
    print_table(["Gói", "Thời điểm", "Số tài liệu", "Năm", "Đường dẫn"],
                [[r["bundle_id"], r["created_at"][:19], r["documents"], r["year"], r["path"]] for r in rows],
                max_width=70)


@click.command()
@click.argument("bundle_path", type=click.Path(exists=True, path_type=Path))
@json_option
def verify(bundle_path, as_json):
    """Check a bundle: checksums, Payload-Oxum, every PDF and metadata file. Names any tampered file.

    \b
    Example:
      tusach verify bundles/tusach-so-tu-phap-20191231-101500-a1b2c3
    """
    import tempfile

    from pipeline.bundles import bag as bundle

    with tempfile.TemporaryDirectory() as temp:
        try:
            bag_dir = bundle.safe_extract(bundle_path, Path(temp)) if bundle_path.is_file() else bundle_path
            result = bundle.verify(bag_dir)
        except (ValueError, OSError) as error:
            result = bundle.Verification([f"{bundle_path.name}: {error}"])
    if as_json:
        print_json({"ok": result.ok, "problems": result.problems})
    elif result.ok:
        click.echo(f"Gói hợp lệ: {bundle_path}")
    else:
        for problem in result.problems:
            click.echo(f"✗ {problem}")
    sys.exit(ExitCode.ok if result.ok else ExitCode.bundle_invalid)


@click.command("import")
@click.argument("bundle_path", type=click.Path(exists=True, path_type=Path))
@json_option
@pass_new_workspace
def import_(workspace, bundle_path, as_json):
    """Merge a bundle into this catalog (idempotent by SHA-256); a bundle that does not verify is refused.

    \b
    Example:
      tusach import bundles/tusach-so-y-te-20191231-101500-a1b2c3.zip
    """
    from pipeline.bundles.importing import BundleRejected, import_bundle

    try:
        result = import_bundle(workspace, bundle_path)
    except BundleRejected as rejected:
        if as_json:
            print_json({"ok": False, "problems": rejected.problems})
        else:
            click.echo("Gói bị từ chối:")
            for problem in rejected.problems:
                click.echo(f"✗ {problem}")
        sys.exit(ExitCode.bundle_invalid)
    if as_json:
        print_json(result.as_dict())
    else:
        click.echo(f"Gói {result.bundle_id}: mới {len(result.new)}, đã có {len(result.known)} "
                   f"(cập nhật {len(result.updated)}), kế hoạch {result.plans}.")
