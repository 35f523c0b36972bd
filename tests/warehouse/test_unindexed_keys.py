"""Tables that grow every night carry no DuckDB key index (tables.yaml key_index: false): the
loader keeps their grain itself, a version-2 file loses its indexes on its next write with every
row kept, and a writing connection's buffer pool is capped."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import polars as pl
import pytest

from warehouse import db
from warehouse.contracts import table, tables
from warehouse import load
from warehouse.load import write_table

UNINDEXED = ("fact_indicator", "quarantine_fact", "dq_expectation_result", "etl_file")


def _file_row(status: str, error: str | None = None, path: str = "/inbox/a.txt", run_id: str = "r1") -> pl.DataFrame:
    return pl.DataFrame([{"run_id": run_id, "file_path": path, "file_name": Path(path).name, "content_sha256": "c" * 64,
                          "status": status, "stage": "load", "error": error, "report_key": None,
                          "duplicate_of": None, "facts": 0}], schema=table("etl_file").polars_schema())


def _dq_row(result_key: str, unexpected: int) -> pl.DataFrame:
    schema = table("dq_expectation_result").polars_schema()
    row = {c: None for c in schema} | {"result_key": result_key, "run_id": "r1", "chunk": 1, "suite": "s",
                                       "table_name": "fact_indicator", "expectation": "e", "success": True,
                                       "unexpected_count": unexpected}
    return pl.DataFrame([row], schema=schema)


def _keyed_constraints(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("select table_name from duckdb_constraints() "
                                      "where constraint_type = 'PRIMARY KEY'").fetchall()}


def test_the_declared_tables_have_no_key_index_and_the_others_keep_theirs() -> None:
    con = db.connect(":memory:")
    assert {t.name for t in tables().values() if not t.key_index} == set(UNINDEXED)
    keyed = _keyed_constraints(con)
    assert not keyed & set(UNINDEXED)
    assert {"raw_report", "dim_report", "report_build", "dim_region", "etl_run"} <= keyed
    # without the index the key columns are still required
    nullable = con.execute("select table_name, column_name from duckdb_columns() where is_nullable and "
                           "table_name in ('etl_file', 'quarantine_fact') and column_name in "
                           "('run_id', 'file_path', 'fact_key', 'expectation')").fetchall()
    assert nullable == []


@pytest.mark.parametrize("writes, expected", [
    # replace_rows: the latest row per key wins, one row per key
    ([("failed", "timeout"), ("new", None)], [("new", None)]),
    ([("new", None), ("new", None)], [("new", None)]),
])
def test_replace_rows_without_an_index_keeps_one_row_per_key(writes, expected) -> None:
    con = db.connect(":memory:")
    for status, error in writes:
        write_table(con, "etl_file", _file_row(status, error))
    write_table(con, "etl_file", _file_row("new", path="/inbox/b.txt"))
    assert con.execute("select status, error from etl_file where file_path = '/inbox/a.txt'").fetchall() == expected
    assert con.execute("select count(*) from etl_file").fetchall()[0][0] == 2


def test_append_without_an_index_keeps_the_first_row_of_a_key() -> None:
    con = db.connect(":memory:")
    assert write_table(con, "dq_expectation_result", _dq_row("k1", 3)) == 1
    assert write_table(con, "dq_expectation_result", pl.concat([_dq_row("k1", 9), _dq_row("k2", 0)])) == 1
    assert con.execute("select result_key, unexpected_count from dq_expectation_result order by 1").fetchall() == \
        [("k1", 3), ("k2", 0)]


def _version_2_file(path: Path) -> None:
    """A warehouse as version 2 made it: every table with its PRIMARY KEY."""
    con = duckdb.connect(str(path))
    for contract in tables().values():
        con.execute(replace(contract, key_index=True).ddl())
    con.execute(f"CREATE TABLE {db.SCHEMA_MARKER_TABLE} (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL, "
                "baogao_version VARCHAR NOT NULL)")
    con.execute(f"INSERT INTO {db.SCHEMA_MARKER_TABLE} VALUES (2, now(), 'old')")
    con.execute(db.VIEWS_SQL.read_text(encoding="utf-8"))
    for status, file_path in (("new", "/inbox/a.txt"), ("unchanged", "/inbox/b.txt")):
        row = _file_row(status, path=file_path).row(0, named=True)
        con.execute(f"INSERT INTO etl_file ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", list(row.values()))
    con.close()


def test_a_version_2_file_loses_the_indexes_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    _version_2_file(path)
    with duckdb.connect(str(path), read_only=True) as old:
        assert set(UNINDEXED) <= _keyed_constraints(old)
    con = db.connect(path)
    assert not _keyed_constraints(con) & set(UNINDEXED)
    assert con.execute("select file_path, status from etl_file order by 1").fetchall() == \
        [("/inbox/a.txt", "new"), ("/inbox/b.txt", "unchanged")]
    assert db.schema_version(con) == db.SCHEMA_VERSION == 3
    for view in db.VIEWS:  # the views still bind to the rebuilt tables
        con.execute(f"select count(*) from {view}").fetchall()
    assert con.execute("select comment from duckdb_tables() where table_name = 'etl_file'").fetchall()[0][0]
    write_table(con, "etl_file", _file_row("failed", "bad", path="/inbox/a.txt"))
    assert con.execute("select status from etl_file where file_path = '/inbox/a.txt'").fetchall() == [("failed",)]
    con.close()
    db.connect(path).close()  # upgrading again is a no-op


@pytest.mark.parametrize("env, expected_mib", [(None, 122), ("1GB", 954)])
def test_a_writing_connection_caps_duckdbs_buffer_pool(tmp_path: Path, monkeypatch, env, expected_mib) -> None:
    if env:
        monkeypatch.setenv(db.WRITER_MEMORY_LIMIT_ENV, env)
    else:
        monkeypatch.delenv(db.WRITER_MEMORY_LIMIT_ENV, raising=False)
    path = tmp_path / "w.duckdb"
    with db.connect(path) as con:
        assert round(db.memory_limit_bytes(con) / 2**20) == expected_mib
    with db.connect(path, read_only=True) as reader:  # readers (analysts) keep DuckDB's default
        assert db.memory_limit_bytes(reader) > 2**30


def test_delete_insert_without_an_index_never_duplicates_a_fact() -> None:
    from tests.warehouse.conftest import fact_row, facts_frame

    con = db.connect(":memory:")
    report = {"report_key": "r" * 32, "region_code": "330106001", "report_year": 2022}
    facts = facts_frame([fact_row(report, "财政总收入", "18.35", "亿元"), fact_row(report, "新增托位", "125", "个", start=40)])
    assert write_table(con, "fact_indicator", facts, {"run_id": "r1"}) == 2
    # the caller forgot to delete the report's facts first: the key already present is not written twice
    assert write_table(con, "fact_indicator", facts, {"run_id": "r2"}) == 0
    assert con.execute("select count(*), count(distinct fact_key), min(run_id) from fact_indicator").fetchall() == \
        [(2, 2, "r1")]


def test_a_chunk_that_outgrows_the_cap_is_written_again_under_a_larger_one(tmp_path: Path, monkeypatch,
                                                                           caplog) -> None:
    from transforms.regions import RegionIndex
    from warehouse.star import region_dimension

    monkeypatch.setenv(db.WRITER_MEMORY_LIMIT_ENV, "8MB")  # the 44,695 regions' key index needs more
    monkeypatch.setattr(db, "_raised_writer_limit", None)
    monkeypatch.setattr(db, "_raised_writer_bytes", None)
    regions = region_dimension(RegionIndex.load().frame())
    with db.connect(tmp_path / "w.duckdb") as con:
        assert db.memory_limit_bytes(con) < 8 * 2**20
        load.load_chunk(con, load.ChunkLoad(run_id="r", chunk=1, dims={"dim_region": regions}))
        assert con.execute("SELECT count(*) FROM dim_region").fetchone()[0] == regions.height
        raised = db.memory_limit_bytes(con)
    assert raised >= 15 * 2**20
    assert "ran out of the writer's DuckDB memory cap" in caplog.text
    with db.connect(tmp_path / "w.duckdb") as later:  # later chunks of the run start there
        assert db.memory_limit_bytes(later) == raised


def test_the_cap_is_not_raised_past_duckdbs_own_default(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(db, "_raised_writer_limit", None)
    monkeypatch.setattr(db, "_raised_writer_bytes", None)
    with db.connect(tmp_path / "w.duckdb") as con:
        con.execute("RESET memory_limit")  # DuckDB's default: 80 % of the machine's memory
        assert db.raise_writer_memory_limit(con) is None
    assert db._raised_writer_limit is None


def test_doubling_the_cap_reaches_the_ceiling_and_stops(tmp_path: Path, monkeypatch) -> None:
    # DuckDB shows a limit rounded ('18.7 GiB'): read back, it never reached the ceiling
    monkeypatch.setattr(db, "_raised_writer_limit", None)
    monkeypatch.setattr(db, "_raised_writer_bytes", None)
    with db.connect(tmp_path / "w.duckdb") as con:
        limits = []
        for _ in range(40):
            raised = db.raise_writer_memory_limit(con)
            if raised is None:
                break
            limits.append(raised)
        assert raised is None, f"still raising after {limits}"
        assert limits == sorted(set(limits)) and len(limits) >= 2
