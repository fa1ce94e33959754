"""Exit codes, machine-readable failure reasons, and the errors that carry them.

Modelled on OCRmyPDF's exceptions module: every error class knows its exit code,
and one place (cli.main) turns exceptions into exit codes.
"""
from __future__ import annotations

from enum import IntEnum, StrEnum


class ExitCode(IntEnum):
    ok = 0
    bad_args = 1
    input_failed = 2  # some inputs failed; the rest completed, each failure recorded
    missing_dependency = 3
    catalog_error = 4
    workspace_error = 5
    not_found = 6
    bundle_invalid = 7  # verify found a problem, or import refused a bundle
    disk_full = 8  # the disk filled up while writing (what was half written is gone)
    other_error = 15
    ctrl_c = 130


class Reason(StrEnum):
    """Why a document (or an input) failed. Stored in the catalog; scripts match on it."""

    empty_file = "empty_file"
    unreadable = "unreadable"
    unsupported_type = "unsupported_type"
    type_mismatch = "type_mismatch"  # e.g. a .pdf that is really HTML
    corrupt_pdf = "corrupt_pdf"
    encrypted_pdf = "encrypted_pdf"
    corrupt_image = "corrupt_image"
    corrupt_office = "corrupt_office"  # a Word/OpenDocument file LibreOffice cannot open
    encrypted_office = "encrypted_office"  # a Word (or other Office) file with a password to open
    image_too_large = "image_too_large"  # decompression bomb
    no_pages = "no_pages"
    too_many_pages = "too_many_pages"
    disk_full = "disk_full"
    engine_crash = "engine_crash"
    engine_timeout = "engine_timeout"
    missing_original = "missing_original"
    missing_program = "missing_program"  # a decoder this one document needs is not installed
    bad_archive = "bad_archive"  # a zip that cannot be unpacked safely (damaged, a bomb, a password)
    internal_error = "internal_error"


class TusachError(Exception):
    exit_code = ExitCode.other_error


class BadArgsError(TusachError):
    exit_code = ExitCode.bad_args


class MissingDependencyError(TusachError):
    exit_code = ExitCode.missing_dependency


class CatalogError(TusachError):
    exit_code = ExitCode.catalog_error


class WorkspaceError(TusachError):
    exit_code = ExitCode.workspace_error


class NotFoundError(TusachError):
    exit_code = ExitCode.not_found


class InputError(TusachError):
    """A single input cannot be processed; carries the machine-readable reason."""

    exit_code = ExitCode.input_failed

    def __init__(self, reason: Reason, message: str):
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __reduce__(self):  # crosses process boundaries from workers to the coordinator
        return (self.__class__, (self.reason, self.message))


def is_disk_full(error: BaseException) -> bool:
    import errno

    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


def disk_full_message(error: OSError) -> str:
    where = f" khi ghi {error.filename}" if getattr(error, "filename", None) else ""
    return (f"Ổ đĩa đã đầy{where}: phần đang ghi dở đã được xóa, không có tệp hỏng nào được để lại. Hãy giải "
            "phóng chỗ trống rồi chạy lại.")
