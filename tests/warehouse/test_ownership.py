"""Only our own warehouse: a file that is not a Baogao warehouse is refused in one line, untouched."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable

import duckdb
import pytest
from click.testing import CliRunner

from baogao.cli import main
from warehouse import db


def _md5(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()


def _other_programs_db(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute("create table dim_report (id integer, title varchar)")
        con.execute("insert into dim_report values (1, '别人的表')")


def _sqlite_like(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(200))


# (what the file is, how to make it, words the refusal names)
FOREIGN: list[tuple[str, Callable[[Path], None], str]] = [
    ("random bytes", lambda p: p.write_bytes(os.urandom(4096)), "not a DuckDB database (4096 bytes of unrecognised"),
    ("a CSV", lambda p: p.write_text("region,value\n东港,12\n", encoding="utf-8"), "text, CSV-like"),
    ("an empty 0-byte file", lambda p: p.write_bytes(b""), "empty (0-byte) file"),
    ("an SQLite file", _sqlite_like, "an SQLite database"),
    ("another program's DuckDB with dim_report", _other_programs_db, "another program's DuckDB database (tables: dim_report)"),
]


@pytest.mark.parametrize("kind,make,words", FOREIGN, ids=[f[0] for f in FOREIGN])
def test_foreign_file_is_refused_and_untouched(tmp_path: Path, kind: str, make: Callable[[Path], None],
                                               words: str) -> None:
    path = tmp_path / "warehouse.duckdb"
    make(path)
    before = _md5(path)
    with pytest.raises(db.NotAWarehouse) as info:
        db.connect(path)
    message = str(info.value)
    assert str(path) in message and words in message and "\n" not in message
    with pytest.raises(db.NotAWarehouse):
        db.connect(path, read_only=True)
    assert _md5(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]  # no WAL either


@pytest.mark.parametrize("kind,make,words", FOREIGN, ids=[f[0] for f in FOREIGN])
def test_run_prints_one_line_and_leaves_the_file(tmp_path: Path, kind: str, make: Callable[[Path], None],
                                                 words: str) -> None:
    path = tmp_path / "warehouse.duckdb"
    make(path)
    before = _md5(path)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    result = CliRunner().invoke(main, ["run", "--inbox", str(inbox), "--warehouse", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and words in lines[0], result.output
    assert _md5(path) == before


def test_folder_at_the_warehouse_path_is_refused(tmp_path: Path) -> None:
    with pytest.raises(db.NotAWarehouse, match="is a folder"):
        db.check_warehouse(tmp_path)


def test_new_file_gets_the_schema_marker(tmp_path: Path) -> None:
    path = tmp_path / "new.duckdb"
    assert db.check_warehouse(path) == "new"
    with db.connect(path) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION
    assert db.check_warehouse(path) == "baogao"
    with db.connect(path) as con:  # reconnecting records the version once
        assert con.execute("select count(*) from baogao_schema").fetchone() == (1,)


def test_duckdb_file_without_tables_is_new(tmp_path: Path) -> None:
    path = tmp_path / "blank.duckdb"
    duckdb.connect(str(path)).close()
    assert db.check_warehouse(path) == "new"
    with db.connect(path) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION


def test_warehouse_made_before_the_marker_is_adopted(tmp_path: Path) -> None:
    path = tmp_path / "old.duckdb"
    with db.connect(path) as con:
        con.execute("drop table baogao_schema")
    assert db.check_warehouse(path) == "baogao-unmarked"
    with db.connect(path) as con:
        assert db.schema_version(con) == db.SCHEMA_VERSION


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.duckdb"
    with db.connect(path) as con:
        con.execute("insert into baogao_schema values (?, now(), 'future')", [db.SCHEMA_VERSION + 1])
    before = _md5(path)
    with pytest.raises(db.NotAWarehouse, match=f"schema version {db.SCHEMA_VERSION + 1}"):
        db.connect(path)
    assert _md5(path) == before


def test_a_second_connection_of_the_same_process_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    with db.connect(path) as first, db.connect(path) as second:
        assert db.schema_version(first) == db.schema_version(second) == db.SCHEMA_VERSION
