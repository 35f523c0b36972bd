"""Stop a run cleanly on SIGTERM/SIGINT: unwind, release the lock, stop Prefect's temporary server.

Without this, SIGTERM kills the Python process at once: atexit handlers never run, so the
temporary Prefect server (a uvicorn child process) is left running as an orphan.
"""
from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class RunInterrupted(BaseException):
    """Raised in the main thread when the run receives SIGTERM or SIGINT.

    A BaseException, like KeyboardInterrupt: no `except Exception` retries or swallows it, so the
    run unwinds (transactions roll back, `finally` blocks run) and the process exits.
    """

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.signal_name = signal.Signals(signum).name
        super().__init__(f"interrupted by {self.signal_name}")

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 143 for SIGTERM, 130 for SIGINT


@contextmanager
def stop_on_signals(signals: tuple[int, ...] = (signal.SIGTERM, signal.SIGINT)) -> Iterator[None]:
    """Within the block, the first SIGTERM/SIGINT raises RunInterrupted; later ones are ignored
    while the run cleans up, and Prefect's temporary server is stopped on the way out (not
    left to exit time, which a hung thread could delay). Call from the main thread."""
    received: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if received:
            return  # already unwinding: let the clean-up finish
        received.append(signum)
        raise RunInterrupted(signum)

    previous = {s: signal.signal(s, handler) for s in signals}
    already_running = _running_servers()  # e.g. a test harness's server: not ours to stop
    try:
        yield
    finally:
        try:
            if received:  # a normal end leaves the server to Prefect's own exit hook
                _drain_prefect_logs()
                stop_temporary_prefect_servers(keep=already_running)
        finally:
            for s, h in previous.items():
                signal.signal(s, h)


def stop_temporary_prefect_servers(keep: frozenset[int] = frozenset()) -> int:
    """Stop the temporary Prefect servers this process started, except those whose id() is in
    `keep` (normally Prefect's atexit hook does it, which a signal would skip); returns how
    many were stopped."""
    servers = [s for s in _servers() if s.server_process is not None and id(s) not in keep]
    for server in servers:
        server.stop()
    return len(servers)


def _servers() -> list:
    module = sys.modules.get("prefect.server.api.server")
    if module is None:  # Prefect's server was never imported: nothing was started
        return []
    return list(module.SubprocessASGIServer._instances.values())


def _running_servers() -> frozenset[int]:
    return frozenset(id(s) for s in _servers() if s.server_process is not None)


def _drain_prefect_logs() -> None:
    """Send Prefect's queued log records to the server before it stops (else each one fails)."""
    module = sys.modules.get("prefect.logging.handlers")
    if module is None:
        return
    try:
        module.APILogWorker.drain_all(timeout=5)
    except Exception:  # noqa: BLE001 - best effort while stopping; the stop itself matters
        pass
