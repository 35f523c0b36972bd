"""Small hand-written frames for one run of two reports, built with the warehouse's own keys."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import polars as pl
import pytest

from warehouse import keys
from warehouse.contracts import table
from warehouse.db import connect
from warehouse.load import ChunkLoad, start_run

BAIYANG = "330114002"
OTHER_STREET = "110101001"


def region_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "region_code": [BAIYANG, OTHER_STREET],
        "region_level": ["township", "township"],
        "region_name": ["白杨街道", "东华门街道"],
        "short_name": [None, None],
        "parent_code": ["330114", "110101"],
        "street_name": ["白杨街道", "东华门街道"],
        "district_code": ["330114", "110101"],
        "district_name": ["钱塘区", "东城区"],
        "city_code": ["3301", "1101"],
        "city_name": ["杭州市", "市辖区"],
        "province_code": ["33", "11"],
        "province_name": ["浙江省", "北京市"],
    })


def report_row(file_name: str, content: str, region_code: str = BAIYANG, year: int = 2022,
               title: str | None = None, publish_date: date | None = None) -> dict[str, Any]:
    """A dim_report frame row (contract columns); the report's identity is region + year + title."""
    sha = keys.md5_key("sha", content)  # stands in for the sha256 of the bytes
    title = title or f"{file_name} 工作总结"
    natural = keys.report_natural_key(sha, None, region_code, year, "annual", title)
    return {
        "report_key": keys.report_key(sha), "file_name": file_name, "content_sha256": sha,
        "report_id": keys.report_id(natural), "report_natural_key": natural, "version": 0, "is_current": False,
        "valid_from": None, "valid_to": None, "title": title,
        "report_year": year, "period_type": "annual", "publish_date": publish_date or date(year, 12, 20),
        "region_code": region_code, "region_source": "manifest", "region_reason": "manifest entry",
        "char_count": 1000,
    }


def reports_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=table("dim_report").polars_schema())


def raw_frame(reports: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame([{
        "content_sha256": r["content_sha256"], "report_key": r["report_key"], "text": f"text of {r['file_name']}",
        "text_sha256": keys.md5_key("text", r["content_sha256"]), "encoding": "utf-8", "file_format": "txt",
        "file_name": r["file_name"], "file_names": [r["file_name"]], "size_bytes": 100, "char_count": 1000,
        "doc_meta": None, "manifest_entry": None, "first_run_id": None} for r in reports],
        schema=table("raw_report").polars_schema())


def builds_frame(reports: list[dict[str, Any]], status: str = "built") -> pl.DataFrame:
    return pl.DataFrame([{
        "report_key": r["report_key"], "content_sha256": r["content_sha256"], "status": status,
        "stage": None, "error": None, "extractor_fingerprint": "e1", "catalogue_fingerprint": "c1",
        "corrections_fingerprint": "none", "facts_loaded": 0, "facts_quarantined": 0} for r in reports],
        schema=table("report_build").polars_schema())


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
    """fact_indicator frame rows: keys computed, extracted_* equal to the values (no corrections)."""
    frame = keys.with_fact_keys(pl.DataFrame(rows, schema_overrides={"value": pl.Decimal(38, 6)}))
    frame = frame.with_columns(
        section_topic=pl.lit("财政"), section_titles=pl.col("section_title"), level_fact_key=pl.lit(None, dtype=pl.Utf8),
        rules=pl.lit(["mention.test"], dtype=pl.List(pl.Utf8)), extracted_indicator_text=pl.col("indicator_text"),
        extracted_value=pl.col("value"), extracted_unit=pl.col("unit"), extracted_period_text=pl.col("period_text"),
        extracted_plan=pl.col("plan"), correction_id=pl.lit(None, dtype=pl.Utf8),
        extractor_fingerprint=pl.lit("e1"), catalogue_fingerprint=pl.lit("c1"))
    return frame.select(table("fact_indicator").frame_columns)


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


def files_frame(run_id: str, reports: list[dict[str, Any]], status: str = "new") -> pl.DataFrame:
    return pl.DataFrame([{
        "run_id": run_id, "file_path": f"/inbox/{r['report_key'][:6]}/{r['file_name']}", "file_name": r["file_name"],
        "content_sha256": r["content_sha256"], "status": status, "stage": "load", "error": None,
        "report_key": r["report_key"], "duplicate_of": None, "facts": 1} for r in reports],
        schema=table("etl_file").polars_schema())


def dq_frame() -> pl.DataFrame:
    return pl.DataFrame({
        "suite": ["fact_indicator"] * 2, "table_name": ["fact_indicator"] * 2,
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


def chunk_for(run_id: str, report_rows: list[dict[str, Any]], facts: pl.DataFrame, chunk: int = 1,
              **override: Any) -> ChunkLoad:
    """A chunk that lands these reports (raw, versions, builds, files) with these facts."""
    args: dict[str, Any] = dict(
        run_id=run_id, chunk=chunk, raw=raw_frame(report_rows), reports=reports_frame(report_rows), facts=facts,
        dims=dims_for(facts), dq_results=dq_frame(), builds=builds_frame(report_rows),
        files=files_frame(run_id, report_rows))
    args.update(override)
    return ChunkLoad(**args)


def start(con, run_id: str, started_at: datetime = datetime(2026, 11, 1, 2, 0)) -> None:
    start_run(con, {"run_id": run_id, "started_at": started_at, "inbox": "/inbox"})


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
    return {"chunk": chunk_for("r1", [a, b], facts), "facts": facts, "report_a": a, "report_b": b}


@pytest.fixture()
def load(con) -> Callable[..., dict[str, int]]:
    """Load a bundle's chunk (or a ChunkLoad), recording its run first if it is new."""
    from warehouse.load import load_chunk

    def _load(bundle: dict[str, Any] | ChunkLoad) -> dict[str, int]:
        chunk = bundle["chunk"] if isinstance(bundle, dict) else bundle
        if not con.execute("select count(*) from etl_run where run_id = ?", [chunk.run_id]).fetchall()[0][0]:
            start(con, chunk.run_id)
        return load_chunk(con, chunk)
    return _load
