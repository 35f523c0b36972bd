"""Small hand-written frames for one run of two reports, built with the warehouse's own keys."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import polars as pl
import pytest

from warehouse import keys
from warehouse.db import connect

BAIYANG = "330114002"
OTHER_STREET = "110101001"


def region_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "region_code": [BAIYANG, OTHER_STREET],
        "street_name": ["白杨街道", "东华门街道"],
        "district_code": ["330114", "110101"],
        "district_name": ["钱塘区", "东城区"],
        "city_code": ["3301", "1101"],
        "city_name": ["杭州市", "市辖区"],
        "province_code": ["33", "11"],
        "province_name": ["浙江省", "北京市"],
    })


def report_row(file_name: str, content: str, region_code: str = BAIYANG, year: int = 2022) -> dict[str, Any]:
    sha = keys.md5_key("sha", content)  # stands in for the sha256 of the bytes
    return {
        "report_key": keys.report_key(sha), "file_name": file_name, "content_sha256": sha,
        "report_id": keys.report_id(file_name), "title": f"{file_name} 工作总结",
        "report_year": year, "period_type": "annual", "publish_date": date(year, 12, 20),
        "region_code": region_code, "region_source": "manifest", "region_reason": "manifest entry",
        "char_count": 1000,
    }


def fact_row(report: dict[str, Any], canonical: str, value: str, unit: str, measure: str = "level",
             start: int = 10, plan: bool = False, raw: str | None = None) -> dict[str, Any]:
    raw = raw or f"{value}{unit}"
    return {
        "report_key": report["report_key"], "region_code": report["region_code"],
        "indicator_key": keys.indicator_key(canonical), "unit_key": keys.unit_key(unit),
        "period_key": keys.md5_key(report["report_year"], "全年", "annual"),
        "indicator_text": canonical, "value": Decimal(value), "raw_value": raw, "unit_written": unit,
        "unit": unit, "measure": measure, "qualifier": "exact", "plan": plan, "period_text": "全年",
        "evidence": f"{canonical}{raw}", "evidence_start": start - 5, "evidence_end": start + 5,
        "value_start": start, "value_end": start + len(raw), "section_path": "一/(一)",
        "section_title": "经济发展",
    }


def facts_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema_overrides={"value": pl.Decimal(38, 6)})
    return keys.with_fact_keys(frame)


def dims_for(facts: pl.DataFrame, years: tuple[int, ...] = (2022,)) -> dict[str, pl.DataFrame]:
    names = sorted(set(facts.get_column("indicator_text").to_list()))
    units = sorted(set(facts.get_column("unit").to_list()))
    return {
        "dim_region": region_frame(),
        "dim_indicator": pl.DataFrame({
            "indicator_key": [keys.indicator_key(n) for n in names], "canonical_name": names,
            "category": ["economy"] * len(names), "is_catalogued": [True] * len(names)}),
        "dim_unit": pl.DataFrame({
            "unit_key": [keys.unit_key(u) for u in units], "unit": units,
            "unit_kind": ["currency" if u == "元" else "percent" if u == "%" else "count" for u in units]}),
        "dim_period": pl.DataFrame({
            "period_key": [keys.md5_key(y, "全年", "annual") for y in years],
            "report_year": list(years), "period_text": ["全年"] * len(years),
            "period_type": ["annual"] * len(years),
            "start_date": [date(y, 1, 1) for y in years], "end_date": [date(y, 12, 31) for y in years],
            "label": [f"{y}年全年" for y in years]}),
    }


def files_frame(reports: list[dict[str, Any]], status: str = "new") -> pl.DataFrame:
    return pl.DataFrame({
        "file_path": [f"/inbox/{r['file_name']}" for r in reports],
        "file_name": [r["file_name"] for r in reports],
        "content_sha256": [r["content_sha256"] for r in reports],
        "status": [status] * len(reports), "stage": ["load"] * len(reports),
        "report_key": [r["report_key"] for r in reports], "facts": [1] * len(reports),
    }) if reports else pl.DataFrame()


def dq_frame(run_id: str) -> pl.DataFrame:
    return pl.DataFrame({
        "run_id": [run_id, run_id], "suite": ["fact_indicator"] * 2, "table_name": ["fact_indicator"] * 2,
        "expectation": ["fact_key_not_null", "unit_is_canonical"],
        "expectation_type": ["expect_column_values_to_not_be_null", "expect_column_values_to_be_in_set"],
        "column_name": ["fact_key", "unit"], "kwargs": ['{"column": "fact_key"}', '{"column": "unit"}'],
        "success": [True, True], "row_level": [True, True], "element_count": [3, 3],
        "unexpected_count": [0, 0], "unexpected_percent": [0.0, 0.0], "observed": [None, None],
    })


@pytest.fixture()
def con(tmp_path: Path):
    connection = connect(tmp_path / "w.duckdb")
    yield connection
    connection.close()


@pytest.fixture()
def first_run() -> dict[str, Any]:
    """Run r1: two reports of 2022, one per street, five facts."""
    a = report_row("a.txt", "content a")
    b = report_row("b.txt", "content b", region_code=OTHER_STREET)
    facts = facts_frame([
        fact_row(a, "一般公共预算收入", "905000000", "元", start=10),
        fact_row(a, "一般公共预算收入", "25.08", "%", measure="yoy_pct", start=30),
        fact_row(a, "一般公共预算收入", "1000000000", "元", start=50, plan=True),
        fact_row(a, "新增就业岗位", "120", "个", start=70),
        fact_row(b, "地方税收收入", "863000000", "元", start=10),
    ])
    return {
        "run": {"run_id": "r1", "started_at": datetime(2026, 11, 1, 2, 0), "inbox": "/inbox"},
        "files": files_frame([a, b]), "reports": pl.DataFrame([a, b]), "facts": facts,
        "quarantine": pl.DataFrame(), "dims": dims_for(facts), "dq_results": dq_frame("r1"),
        "report_a": a, "report_b": b,
    }


@pytest.fixture()
def load(con) -> Callable[..., dict[str, int]]:
    from warehouse.load import load_run

    def _load(bundle: dict[str, Any], **override: Any) -> dict[str, int]:
        args = {k: bundle[k] for k in ("run", "files", "reports", "facts", "quarantine", "dims", "dq_results")}
        args.update(override)
        return load_run(con, **args)
    return _load
