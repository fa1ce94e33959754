"""What the review pages ask of the pipeline: take an upload in, export and import bundles.

`tusach serve` hands an Intake to the web app (catalog.web.site.Intake is the protocol: the catalog
does not import the pipeline). Each call is one job (catalog.work.jobs) the "Đang xử lý" page shows, and
goes through exactly what the command line runs: `tusach ingest`, `tusach export`, `tusach import`.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from catalog.work import jobs as job_rows
from catalog.web.uploads import MB, UploadLimits
from pipeline.errors import TusachError, disk_full_message, is_disk_full
from pipeline.ingest.inputs import MANIFEST_NAMES, Origin
from pipeline.progress import Progress
from pipeline.workspace import Workspace

UPLOADS = "uploads"  # in the workspace: each upload's files while they are checked and registered
BUNDLES = "bundles"  # in the workspace: bundles exported from the browser


class Intake:
    def __init__(self, workspace: Workspace, background=None):
        self.workspace, self.background = workspace, background
        settings = workspace.settings
        self.limits = UploadLimits(settings.upload_max_files, settings.upload_max_file_mb * MB,
                                   settings.upload_max_total_mb * MB)
        self.uploads = workspace.home / UPLOADS
        self.bundles = workspace.home / BUNDLES

    def clear_staging(self) -> None:
        """Uploads a killed server was receiving: nothing of them is kept."""
        shutil.rmtree(self.uploads, ignore_errors=True)

    def staging(self) -> Path:
        self.uploads.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix="upload-", dir=self.uploads))

    def ingest_upload(self, job_id: int, folder: Path, who: str) -> dict:
        """Ingest what an upload brought (`folder/files/...`, a manifest in `folder/manifest/`), as `tusach
        ingest` would; the job ends with the same summary its --json prints."""
        engine = self.workspace.engine
        files = folder / "files"
        manifests = sorted((folder / "manifest").glob("*")) if (folder / "manifest").is_dir() else []
        manifest = None
        if manifests:  # beside the files, so that its `file` column names them as they were uploaded
            files.mkdir(exist_ok=True)
            manifest = files / (manifests[0].name if manifests[0].name.casefold() in MANIFEST_NAMES
                                else f".manifest{manifests[0].suffix.lower()}")
            shutil.move(str(manifests[0]), str(manifest))
        entries = sorted(p for p in files.iterdir() if p != manifest) if files.is_dir() else []
        try:
            from pipeline.ingest.job import ingest

            summary = ingest(self.workspace, entries, manifest_path=manifest, jobs=1,
                             progress=Progress(engine, job_id, show=False),
                             origin=Origin(files, f"tải lên #{job_id} ({who})"))
        except BaseException as error:
            job_rows.finish(engine, job_id, failed=True, message=_said(error))
            raise
        result = summary.as_dict()
        job_rows.finish(engine, job_id, summary=result)
        if summary.new and self.background is not None:
            self.background.wake()
        return result

    def export_bundle(self, job_id: int, year: int | None, since_last: bool) -> dict:
        from pipeline.bundles.export import export

        engine = self.workspace.engine
        job_rows.update(engine, job_id, stage="export")
        try:
            result = export(self.workspace, self.bundles, year=year, since_last=since_last, as_zip=True,
                            progress=Progress(engine, job_id, show=False))
        except BaseException as error:
            job_rows.finish(engine, job_id, failed=True, message=_said(error))
            raise
        summary = result.as_dict()
        job_rows.finish(engine, job_id, summary=summary)
        return summary

    def import_bundle(self, job_id: int, path: Path) -> dict:
        """A bundle an agency sent, verified first (a bundle that does not verify is refused with the reasons)."""
        from pipeline.bundles.importing import BundleRejected, import_bundle

        engine = self.workspace.engine
        job_rows.update(engine, job_id, stage="import")
        try:
            result = import_bundle(self.workspace, path)
        except BundleRejected as rejected:
            summary = {"ok": False, "problems": rejected.problems}
            job_rows.finish(engine, job_id, failed=True, summary=summary,
                            message="Gói bị từ chối: " + "; ".join(rejected.problems[:5]))
            return summary
        except BaseException as error:
            job_rows.finish(engine, job_id, failed=True, message=_said(error))
            raise
        summary = {"ok": True, **result.as_dict()}
        job_rows.finish(engine, job_id, summary=summary)
        return summary


def _said(error: BaseException) -> str:
    """What the job page says of an error: ours in Vietnamese, a full disk as such, else its name and text."""
    if is_disk_full(error):
        return disk_full_message(error)
    if isinstance(error, TusachError):
        return str(error)
    return f"{type(error).__name__}: {error}"
