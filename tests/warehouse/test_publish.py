"""The published snapshot on real DuckDB files: readers and the writer never block each other."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from warehouse.publish import prepare_writer, publish, writer_path


def _write(path: Path, rows: int) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create table if not exists t (i integer)")
        con.execute(f"insert into t select range from range({rows})")


def _count(path: Path) -> int:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute("select count(*) from t").fetchone()[0]


def _count_elsewhere(path: Path) -> int:
    code = ("import duckdb, sys; con = duckdb.connect(sys.argv[1], read_only=True); "
            "print(con.execute('select count(*) from t').fetchone()[0])")
    return int(subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True,
                              check=True).stdout)


@pytest.mark.parametrize("published, writer", [
    ("data/warehouse.duckdb", "data/warehouse.writer.duckdb"),
    ("/srv/w.db", "/srv/w.writer.db"),
])
def test_writer_path(published: str, writer: str) -> None:
    assert writer_path(Path(published)) == Path(writer)


def test_publish_makes_a_read_only_copy(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    writer = prepare_writer(published)
    _write(writer, 3)
    result = publish(writer, published)
    assert result.path == published and result.bytes == published.stat().st_size > 0
    assert _count(published) == 3
    assert not published.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left


def test_a_reader_held_open_never_blocks_the_writer_and_keeps_its_complete_state(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    writer = prepare_writer(published)
    _write(writer, 3)
    publish(writer, published)
    with duckdb.connect(str(published), read_only=True) as analyst:  # DBeaver left open overnight
        _write(writer, 4)  # the next run writes its own file…
        publish(writer, published)  # …and publishes over the file the analyst holds
        assert analyst.execute("select count(*) from t").fetchone()[0] == 3  # the previous complete state
        # a new connection in another process (as analysts' are) sees the new state; in this
        # process DuckDB would hand back the database instance already open on that path
        assert _count_elsewhere(published) == 7
    assert _count(writer) == 7


def test_prepare_writer_starts_from_an_existing_published_warehouse(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    _write(published, 5)  # a warehouse from before snapshots existed
    os.chmod(published, stat.S_IRUSR)
    writer = prepare_writer(published)
    assert writer == tmp_path / "warehouse.writer.duckdb" and _count(writer) == 5
    assert writer.stat().st_mode & stat.S_IWUSR
    _write(writer, 1)
    assert prepare_writer(published) == writer and _count(writer) == 6  # never reseeded


def test_publish_folds_a_left_over_write_ahead_log(tmp_path: Path) -> None:
    published = tmp_path / "warehouse.duckdb"
    writer = prepare_writer(published)
    _write(writer, 2)
    wal = writer.with_name(writer.name + ".wal")
    # DuckDB replays a WAL on open; an empty one stands for "a log was left behind"
    wal.write_bytes(b"")
    publish(writer, published)
    assert _count(published) == 2
