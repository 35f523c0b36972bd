"""`baogao query` input/output forms, `export` of every table and view, the run summary, and
`serve`'s refusals: one clear line, no traceback."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from click.testing import CliRunner

from baogao.cli import main, summary_text


@pytest.fixture()
def warehouse(tmp_path: Path) -> Path:
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table fact_indicator (indicator_text varchar, value decimal(38,6), unit varchar, "
                    "period_end date)")
        con.execute("insert into fact_indicator values ('新增就业岗位', 120, '个', '2024-12-31'), "
                    "('增长', 12.5, '%', null)")
        con.execute("create view v_big as select * from fact_indicator where value > 100")
    return path


def _query(warehouse: Path, *args: str, stdin: str | None = None):
    return CliRunner().invoke(main, ["query", *args, "--warehouse", str(warehouse)], input=stdin)


SQL = "select indicator_text, value, period_end from fact_indicator order by value desc"
EXPECTED = [{"indicator_text": "新增就业岗位", "value": 120, "period_end": "2024-12-31"},
            {"indicator_text": "增长", "value": 12.5, "period_end": None}]


def test_json_is_one_array_with_numbers_as_numbers(warehouse: Path) -> None:
    result = _query(warehouse, SQL, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == EXPECTED


def test_jsonl_is_one_object_per_line(warehouse: Path) -> None:
    result = _query(warehouse, SQL, "--format", "jsonl")
    assert [json.loads(line) for line in result.output.splitlines()] == EXPECTED


@pytest.mark.parametrize("how", ["file", "stdin-dash", "file-dash"])
def test_sql_from_a_file_or_standard_input(warehouse: Path, tmp_path: Path, how: str) -> None:
    sql_file = tmp_path / "q.sql"
    sql_file.write_text(SQL + ";\n", encoding="utf-8")
    args = {"file": ["-f", str(sql_file)], "stdin-dash": ["-"], "file-dash": ["-f", "-"]}[how]
    result = _query(warehouse, *args, "--format", "jsonl", stdin=None if how == "file" else SQL)
    assert result.exit_code == 0, result.output
    assert [json.loads(line) for line in result.output.splitlines()] == EXPECTED


@pytest.mark.parametrize("args, stdin, message", [
    ([], None, "no SQL"),
    (["select 1", "-f", "x.sql"], None, "not both"),
    (["-"], "   \n", "the SQL is empty"),
    (["select 1", "--format", "xml"], None, "'xml' is not one of"),
])
def test_bad_query_input_is_one_clear_error(warehouse: Path, args: list[str], stdin: str | None, message: str) -> None:
    result = _query(warehouse, *args, stdin=stdin)
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


def test_export_writes_every_table_and_view(warehouse: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path / "out"), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert [Path(p).name for p in result.output.splitlines()] == ["fact_indicator.parquet", "v_big.parquet"]
    assert pl.read_parquet(tmp_path / "out" / "v_big.parquet")["indicator_text"].to_list() == ["新增就业岗位"]


def test_export_csv_on_request(warehouse: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", str(tmp_path / "out"), "--csv", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "v_big.csv").read_text(encoding="utf-8").splitlines()[0] == \
        "indicator_text,value,unit,period_end"


def test_export_needs_a_folder(warehouse: Path) -> None:
    result = CliRunner().invoke(main, ["export", "--warehouse", str(warehouse)])
    assert result.exit_code == 2 and "give the folder" in result.output


def test_summary_paths_are_never_wrapped() -> None:
    long_path = "/srv/baogao/" + "very-long-folder-name/" * 6 + "quality/20261101T020000Z-abcdef/report.html"
    summary = {"run_id": "r1", "status": "success", "files_new": 5, "files_unchanged": 0, "files_failed": 0,
               "facts_loaded": 401, "facts_quarantined": 0, "warehouse": "/srv/w.duckdb", "dq_report": long_path}
    lines = summary_text(summary).splitlines()
    assert lines[0] == "baogao run r1 — success"
    (line,) = [line for line in lines if long_path in line]
    assert line.startswith("  data-quality report:") and line.endswith(f" {long_path}")


@pytest.mark.parametrize("args, message", [
    (["--cron", "61 * * * *"], 'Invalid cron string: "61 * * * *"'),
    (["--timezone", "Mars/Base"], 'Invalid timezone: "Mars/Base"'),
])
def test_serve_rejects_bad_options_in_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["serve", "--inbox", str(tmp_path), *args])
    assert result.exit_code == 2 and message in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("api_url, message", [
    (None, "PREFECT_API_URL is not set"),
    ("http://127.0.0.1:9/api", "no Prefect server answers at http://127.0.0.1:9/api"),
])
def test_serve_refuses_to_start_without_a_prefect_server(tmp_path: Path, monkeypatch, api_url, message) -> None:
    if api_url is None:
        monkeypatch.delenv("PREFECT_API_URL", raising=False)
    else:
        monkeypatch.setenv("PREFECT_API_URL", api_url)
    result = CliRunner().invoke(main, ["serve", "--inbox", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output and "prefect server start" in result.output
    assert len(result.output.strip().splitlines()) == 1
