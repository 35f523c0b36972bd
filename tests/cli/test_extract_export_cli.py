"""`baogao extract` (the JSONL contract) and `baogao export --parquet`."""
from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
from click.testing import CliRunner

from baogao.cli import main

CONTRACT = {"doc", "evidence", "indicator", "raw_value", "value", "unit", "measure", "qualifier",
            "period_text", "plan", "evidence_start", "evidence_end"}


def test_extract_prints_one_json_object_per_fact(tmp_path: Path) -> None:
    report = tmp_path / "某镇2023年工作总结.txt"
    text = "一、经济发展\n全年完成固定资产投资3.2亿元,同比增长12.5%;新增就业岗位180个。"
    report.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(report), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    facts = [json.loads(line) for line in result.output.splitlines()]
    assert [(f["value"], f["unit"], f["measure"]) for f in facts] == [
        (320000000, "元", "level"), (12.5, "%", "yoy_pct"), (180, "个", "level")]
    for fact in facts:
        assert CONTRACT <= fact.keys()
        assert fact["doc"] == report.name
        assert text[fact["evidence_start"]:fact["evidence_end"]] == fact["evidence"]


def test_extract_names_a_file_it_cannot_read_and_goes_on(tmp_path: Path) -> None:
    bad, good = tmp_path / "bad.txt", tmp_path / "good.txt"
    bad.write_bytes(b"\xff\xfe\xfa\xfb" * 10)
    good.write_text("共接待来访群众56人次。", encoding="utf-8")
    result = CliRunner().invoke(main, ["extract", str(bad), str(good)])
    assert result.exit_code == 1
    assert "bad.txt" in result.output and "56" in result.output


def test_export_writes_the_star_schema_as_parquet(tmp_path: Path) -> None:
    from warehouse.db import connect

    warehouse = tmp_path / "w.duckdb"
    with connect(warehouse) as con:
        con.execute("insert into dim_unit values ('k1', '个', 'count')")
    result = CliRunner().invoke(main, ["export", "--parquet", str(tmp_path / "out"), "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    written = {Path(line).name for line in result.output.splitlines()}
    assert {"fact_indicator.parquet", "dim_report.parquet", "dim_unit.parquet"} <= written
    assert pl.read_parquet(tmp_path / "out" / "dim_unit.parquet").to_dicts() == [
        {"unit_key": "k1", "unit": "个", "unit_kind": "count"}]
