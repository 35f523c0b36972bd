"""`baogao query`: read-only SQL against a warehouse file built here from SQL strings."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from baogao.cli import main


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table fact_indicator (indicator_text varchar, value decimal(38,6), unit varchar)")
        con.execute("insert into fact_indicator values ('新增就业岗位', 120, '个'), ('税收收入', 320000000, '元')")
    return path


def test_query_prints_a_table(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["query", "select indicator_text, value from fact_indicator order by value",
                                       "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert "新增就业岗位" in result.output and "320000000" in result.output


def test_query_csv_output(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["query", "select unit, count(*) as n from fact_indicator group by unit order by unit",
                                       "--warehouse", str(warehouse), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["unit,n", "个,1", "元,1"]


def test_query_is_read_only(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["query", "delete from fact_indicator", "--warehouse", str(warehouse)])
    assert result.exit_code != 0
    assert "read-only" in result.output.lower()
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from fact_indicator").fetchone()[0] == 2


def test_query_reports_sql_errors_clearly(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["query", "select * from no_such_table", "--warehouse", str(warehouse)])
    assert result.exit_code == 1
    assert "no_such_table" in result.output
