"""The review app served on a free loopback port in a thread, as `tusach serve` serves it; or `tusach serve`
itself in a process."""
from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import uvicorn


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(app, port: int | None = None) -> Iterator[str]:
    """Serve `app` until the block ends; yields its base URL."""
    port = port or free_port()
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:  # wait for the condition, bounded
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


@contextmanager
def tusach_serve(home, *args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`tusach serve` itself, in a process of its own (its background runs included); stopped with SIGINT
    (Ctrl-C) at the end. Yields its base URL and the process."""
    import httpx

    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "pipeline", "--home", str(home), "serve", "--port", str(port),
                                *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:  # wait for the condition (the server answers), bounded
        assert process.poll() is None, process.stdout.read()
        try:
            if httpx.get(url + "/jobs.json", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "tusach serve did not start"
        time.sleep(0.1)
    try:
        yield url, process
    finally:
        if process.poll() is None:
            process.send_signal(2)  # SIGINT: what Ctrl-C sends
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
