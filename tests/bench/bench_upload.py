"""Browser uploads: 200 files in one POST to a real `tusach serve`, the server's peak memory, and the time
against `cp` of the same files.

    python -m tests.bench.bench_upload [--files 200] [--repeat 3]

The files are phone photos of pages (the sample booklet's JPEG pages, each made distinct by one changed
pixel row, ~250 KB each). The upload streams them (httpx reads each file in chunks); the server writes each
part to disk as it arrives, checks and registers every file as `tusach ingest` does, and answers. Its peak
memory is the kernel's high-water mark of the server process (VmHWM), read right after the answer; the
processing run it starts afterwards is a process of its own and is not counted. Target: under 300 MB.
"""
from __future__ import annotations

import argparse
import io
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
from PIL import Image

from tests.bench.bench_ocr import table
from tests.conftest import SAMPLES
from tests.web.servers import tusach_serve

TARGET_MB = 300


def photos(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True)
    sources = sorted((SAMPLES / "so-tay-hoa-giai-co-so").glob("*.jpg"))
    pages = [Image.open(path).convert("L") for path in sources]
    made = []
    for number in range(count):
        page = pages[number % len(pages)].copy()
        page.paste(number % 256, (0, number // 256, page.width, number // 256 + 1))  # a distinct file each
        buffer = io.BytesIO()
        page.save(buffer, "JPEG", quality=85)
        path = folder / f"anh-{number + 1:04d}.jpg"
        path.write_bytes(buffer.getvalue())
        made.append(path)
    return made


def peak_rss_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    read = lambda key: int(re.search(rf"{key}:\s+(\d+) kB", status).group(1)) / 1024  # noqa: E731
    return read("VmRSS"), read("VmHWM")


def upload(url: str, files: list[Path], folder: str) -> float:
    client = httpx.Client(base_url=url, headers={"Origin": url}, timeout=600)
    token = re.search(r'name="csrf" value="([^"]+)"', client.get("/upload").text).group(1)
    handles = [open(path, "rb") for path in files]
    try:
        started = time.perf_counter()
        answer = client.post("/upload", data={"csrf": token},
                             files=[("files", (f"{folder}{path.name}", handle, "image/jpeg"))
                                    for path, handle in zip(files, handles)])
        elapsed = time.perf_counter() - started
    finally:
        for handle in handles:
            handle.close()
    assert answer.status_code in (200, 303), answer.text[:500]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tusach-bench-upload-"))
    try:
        files = photos(work / "photos", args.files)
        size_mb = sum(path.stat().st_size for path in files) / 1024 ** 2
        rows, peaks = [], []
        for label, folder in (("separate files", ""), ("one folder of pages", "anh/")):
            times, copies = [], []
            for attempt in range(1, args.repeat + 1):
                home = work / f"home-{len(rows)}"
                home.mkdir()
                (home / "tusach.toml").write_text("[upload]\nmax_files = 1000\n", "utf-8")
                with tusach_serve(home) as (url, process):
                    idle, _ = peak_rss_mb(process.pid)
                    elapsed = upload(url, files, folder)
                    now, peak = peak_rss_mb(process.pid)
                started = time.perf_counter()
                subprocess.run(["cp", "-r", str(work / "photos"), str(work / f"copy-{len(rows)}")], check=True)
                copied = time.perf_counter() - started
                times.append(elapsed)
                copies.append(copied)
                peaks.append(peak)
                rows.append([label, attempt, args.files, f"{size_mb:.0f}", f"{elapsed:.1f}", f"{copied:.2f}",
                             f"{elapsed / copied:.0f}x", f"{idle:.0f}", f"{peak:.0f}", f"{now:.0f}"])
            print(f"{label}: median upload+ingest {statistics.median(times):.1f} s for {args.files} files "
                  f"({size_mb:.0f} MB), {statistics.median(times) / statistics.median(copies):.0f}x cp")
        print(table(["upload", "run", "files", "MB", "upload+ingest s", "cp s", "ratio", "server idle MB",
                     "server peak MB", "after MB"], rows))
        print(f"\nserver peak: median {statistics.median(peaks):.0f} MB, largest {max(peaks):.0f} MB "
              f"(target < {TARGET_MB} MB)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
