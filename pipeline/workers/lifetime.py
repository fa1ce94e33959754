"""Processes that end with the process that started them, and a polite stop on SIGTERM.

A worker left behind by a killed `tusach run` would go on reading documents nobody will file and then
sit idle holding its memory. On Linux the kernel ends it when its parent dies (PR_SET_PDEATHSIG); on
other systems a thread of the worker looks at its parent once a second.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading

PR_SET_PDEATHSIG = 1
PARENT_ENV = "TUSACH_PARENT_PID"  # set by whoever starts a tusach command that must not outlive it


def die_with_parent(parent_pid: int) -> None:
    """End this process as soon as `parent_pid` (the process that asked for it) has ended. A pool worker whose
    parent is not `parent_pid` (a forkserver's worker is the server's child) watches it from a thread."""
    parent_is_another = os.getppid() != parent_pid and multiprocessing.parent_process() is not None
    if sys.platform.startswith("linux") and not parent_is_another:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent_pid:  # it died before we asked
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent_pid,), name="parent-watch", daemon=True).start()


def _watch_parent(parent_pid: int) -> None:
    parent = multiprocessing.parent_process()  # a pool worker: its parent's sentinel, on every system
    stop = threading.Event()
    while not stop.wait(1.0):
        gone = not parent.is_alive() if parent is not None else os.getppid() != parent_pid
        if gone:
            os._exit(1)


def die_with_starter() -> None:
    """For a command started by `tusach serve` (PARENT_ENV names it): end with it."""
    parent = os.environ.pop(PARENT_ENV, "")
    if parent.isdigit():
        die_with_parent(int(parent))


def stop_on_sigterm() -> None:
    """SIGTERM (a service manager, `tusach serve` stopping its run) ends a command as Ctrl-C does: its workers
    are stopped and what it holds is released."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, signal.default_int_handler)
