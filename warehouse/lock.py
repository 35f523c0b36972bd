"""One writer at a time: a lock file beside the warehouse (`<warehouse>.lock`).

The kernel lock (`flock`) on that file is what excludes a second run, so a lock left behind by a
process that died (kill -9, power cut) is free again by itself: the next run takes it over and
says whose it was. The file's content — owner pid, host, start time — is what a refused run
prints. The lock is re-entrant within one process (the CLI takes it, the flow may take it again).
"""
from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

_POLL_SECONDS = 0.2
# Locks this process holds: lock path → (file descriptor, depth of nested `warehouse_lock`s).
_HELD: dict[str, tuple[int, int]] = {}


@dataclass(frozen=True)
class LockOwner:
    pid: int
    host: str
    started_at: str  # ISO 8601, UTC
    command: str

    def describe(self) -> str:
        where = "" if self.host == socket.gethostname() else f" on {self.host}"
        return f"pid {self.pid}{where}, started {self.started_at}"


class WarehouseBusy(RuntimeError):
    """Another run holds the warehouse (after waiting, if asked to)."""

    def __init__(self, warehouse: Path, owner: LockOwner | None, waited: float) -> None:
        who = owner.describe() if owner else "owner unknown"
        after = f" after waiting {waited:g} s" if waited else ""
        super().__init__(f"another run ({who}) holds the warehouse {warehouse}{after}; "
                         f"try again later or pass --wait SECONDS")
        self.owner = owner


def lock_path(warehouse: Path | str) -> Path:
    """Where the lock of `warehouse` lives: beside it, same name plus `.lock`."""
    warehouse = Path(warehouse)
    return warehouse.with_name(warehouse.name + ".lock")


def read_owner(warehouse: Path | str) -> LockOwner | None:
    """Who the lock file names (the holder, or the last holder if it died); None if no file."""
    try:
        data = json.loads(lock_path(warehouse).read_text(encoding="utf-8"))
        return LockOwner(int(data["pid"]), str(data["host"]), str(data["started_at"]), str(data.get("command", "")))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def warehouse_lock(warehouse: Path | str, wait_seconds: float = 0.0,
                   on_takeover: Callable[[LockOwner], None] | None = None,
                   on_wait: Callable[[LockOwner | None], None] | None = None) -> Iterator[LockOwner]:
    """Hold the warehouse's lock for the `with` block.

    Waits up to `wait_seconds` for another holder to finish (calling `on_wait(holder)` once when
    it starts waiting), then raises WarehouseBusy naming the holder. `on_takeover(previous_owner)`
    is called when the lock file was left by a process that died.
    """
    path = lock_path(warehouse)
    key = str(path.resolve())
    if key in _HELD:  # this process holds it already: nested use by the flow inside the CLI
        fd, depth = _HELD[key]
        _HELD[key] = (fd, depth + 1)
        try:
            yield read_owner(warehouse) or _me()
        finally:
            fd, depth = _HELD[key]
            _HELD[key] = (fd, depth - 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + max(0.0, wait_seconds)
    start = time.monotonic()
    told = False
    while True:
        fd = _try_lock(path)
        if fd is not None:
            break
        if on_wait is not None and wait_seconds and not told:
            on_wait(read_owner(warehouse))
            told = True
        if time.monotonic() >= deadline:
            raise WarehouseBusy(Path(warehouse), read_owner(warehouse), round(time.monotonic() - start, 1)
                                if wait_seconds else 0)
        time.sleep(min(_POLL_SECONDS, max(0.0, deadline - time.monotonic())) or _POLL_SECONDS)
    previous = read_owner(warehouse)
    me = _me()
    _write_owner(fd, me)
    _HELD[key] = (fd, 1)
    if previous is not None and previous.pid != me.pid and on_takeover is not None:
        on_takeover(previous)
    try:
        yield me
    finally:
        del _HELD[key]
        # Unlink while still holding the lock, so nobody locks an inode that is about to vanish.
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        os.close(fd)


def _try_lock(path: Path) -> int | None:
    """An fd holding the exclusive lock on `path`, or None if another process holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
            return None
        raise
    # The previous holder may have unlinked the file between our open and our lock: then we
    # hold a lock on a dead inode, and must try again on the file that is there now.
    try:
        same = os.fstat(fd).st_ino == os.stat(path).st_ino
    except FileNotFoundError:
        same = False
    if not same:
        os.close(fd)
        return _try_lock(path)
    return fd


def _me() -> LockOwner:
    return LockOwner(os.getpid(), socket.gethostname(),
                     datetime.now(timezone.utc).isoformat(timespec="seconds"), " ".join(sys.argv)[:200])


def _write_owner(fd: int, owner: LockOwner) -> None:
    data = json.dumps(asdict(owner), ensure_ascii=False).encode("utf-8")
    os.ftruncate(fd, 0)
    os.pwrite(fd, data, 0)
    os.fsync(fd)
