"""The DDL: idempotent, complete data dictionary, the unknown region, the helper queries."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.contracts import table
from warehouse.db import (OPERATIONAL_TABLES, SCHEMA_MARKER_TABLE, STAR_TABLES, VIEWS, connect, ensure_schema,
                          known_content_hashes, latest_version)


def test_schema_is_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    connect(path).close()
    con = connect(path)  # runs ensure_schema again on an existing file
    ensure_schema(con)
    tables = {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}
    assert tables == set(STAR_TABLES) | set(OPERATIONAL_TABLES) | {SCHEMA_MARKER_TABLE}
    views = {r[0] for r in con.execute("select view_name from duckdb_views() where not internal").fetchall()}
    assert views == set(VIEWS)
    assert con.execute("select count(*) from dim_region").fetchone()[0] == 1  # unknown member once


def test_every_table_and_column_has_a_comment() -> None:
    con = connect(":memory:")
    missing_tables = con.execute("select table_name from duckdb_tables() where comment is null").fetchall()
    assert missing_tables == []
    missing = con.execute(
        "select table_name, column_name from duckdb_columns() where schema_name = 'main' and comment is null "
        "and table_name in (select table_name from duckdb_tables() union all "
        "select view_name from duckdb_views() where not internal)").fetchall()
    assert missing == []


def test_fact_columns_of_the_contract_exist_with_types() -> None:
    con = connect(":memory:")
    types = dict(con.execute("select column_name, data_type from duckdb_columns() "
                             "where table_name = 'fact_indicator'").fetchall())
    assert types["value"] == "DECIMAL(38,6)"
    assert types["plan"] == "BOOLEAN"
    for column in ("fact_key", "report_key", "region_code", "indicator_key", "unit_key", "period_key",
                   "indicator_text", "raw_value", "unit", "measure", "qualifier", "period_text", "evidence",
                   "evidence_start", "evidence_end", "value_start", "value_end", "section_path",
                   "section_title", "run_id", "loaded_at"):
        assert column in types


def test_quarantine_has_every_fact_column() -> None:
    con = connect(":memory:")
    cols = lambda t: [r[0] for r in con.execute(  # noqa: E731
        "select column_name from duckdb_columns() where table_name = ? order by column_index", [t]).fetchall()]
    frame_columns = table("fact_indicator").frame_columns
    assert cols("quarantine_fact")[: len(frame_columns)] == frame_columns
    assert {"expectation", "reason"} <= set(cols("quarantine_fact"))


def test_unknown_region_member() -> None:
    con = connect(":memory:")
    assert con.execute("select street_name from dim_region where region_code = '000000000'").fetchone() == ("未知",)


def test_helpers_on_an_empty_warehouse() -> None:
    con = connect(":memory:")
    assert known_content_hashes(con) == set()
    assert latest_version(con, "nope") == 0


def test_read_only_connection_does_not_write(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    connect(path).close()
    ro = connect(path, read_only=True)
    with pytest.raises(duckdb.Error):
        ro.execute("insert into dim_unit values ('k', '元', 'currency')")
    ro.close()
