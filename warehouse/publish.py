"""The published snapshot: readers never block the writer, and the writer never blocks readers.

DuckDB lets one process hold a database file for writing, and while it does no other process can
open the file, not even to read; and a reader holding the file open makes the writer fail. So the
nightly run never writes the file analysts open:

    data/warehouse.duckdb          the published snapshot: what `baogao query`, export, show, the
                                   docs, DBeaver and notebooks open (read-only)
    data/warehouse.writer.duckdb   the run's own file (never open it)

After each successful load the run copies its file beside the published one and renames the
copy over it (`os.replace`, atomic on POSIX): a reader that has the old file open keeps reading
the old, complete state (its open file is unlinked, not changed); the next connection sees the
new one. No reader ever sees a half-written file, and no reader can make the run fail.
Measured cost: benchmarks/publish_cost.py.
"""
from __future__ import annotations

import os
import shutil
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

WRITER_SUFFIX = ".writer"


def writer_path(published: Path) -> Path:
    """The writer's file for a published warehouse: warehouse.duckdb → warehouse.writer.duckdb."""
    published = Path(published)
    return published.with_name(f"{published.stem}{WRITER_SUFFIX}{published.suffix}")


def prepare_writer(published: Path) -> Path:
    """The writer's file, created from the published snapshot the first time (a warehouse made
    before snapshots existed becomes the writer's starting point: nothing loaded is lost)."""
    published = Path(published)
    writer = writer_path(published)
    if not writer.exists() and published.exists():
        tmp = writer.with_name(f".{writer.name}.seeding-{os.getpid()}")
        shutil.copyfile(published, tmp)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)
        os.replace(tmp, writer)
    return writer


@dataclass(frozen=True)
class Published:
    path: Path
    bytes: int
    seconds: float


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(writer: Path, published: Path) -> Published:
    """Atomically replace `published` with a read-only copy of `writer` (which no connection may
    hold open: call it after the load's connection is closed)."""
    writer, published = Path(writer), Path(published)
    started = time.perf_counter()
    if writer.with_name(writer.name + ".wal").exists():
        # a write-ahead log left by an unclean close: fold it into the file before copying
        with duckdb.connect(str(writer)) as con:
            con.execute("CHECKPOINT")
    tmp = published.with_name(f".{published.name}.publishing-{os.getpid()}")
    try:
        shutil.copyfile(writer, tmp)
        _fsync(tmp)
        os.chmod(tmp, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)  # a snapshot, not a place to write
        os.replace(tmp, published)
    finally:
        if tmp.exists():
            tmp.unlink()
    _fsync(published.parent)
    return Published(published, published.stat().st_size, time.perf_counter() - started)
