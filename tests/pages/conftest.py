"""A tiny warehouse (real DuckDB, the project's schema) holding one report with a loaded and a
quarantined fact, and its text file on disk: enough to render a viewer page without a run."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.db import connect

# Invented sentences, not from the samples.
REPORT_TEXT = ("一、经济运行\n全镇完成固定资产投资4.2亿元,同比增长9.5%。\n"
               "二、民生保障\n全年发放救助金-30万元,新增托位120个。\n")


def offsets(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.fixture()
def tiny_warehouse(tmp_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    report = tmp_path / "inbox" / "某镇2024年工作总结.txt"
    report.parent.mkdir()
    report.write_text(REPORT_TEXT, encoding="utf-8")
    con = connect(tmp_path / "warehouse.duckdb")
    con.execute("INSERT INTO dim_report (report_key, file_name, content_sha256, report_id, report_natural_key, "
                "version, is_current, title, report_year, period_type, region_code, region_source, region_reason, "
                "char_count) VALUES ('rk1', ?, 'sha', 'rid1', 'content:sha', 1, true, '某镇2024年工作总结', 2024, "
                "'annual', '000000000', 'unknown', 'no place name found', ?)", [report.name, len(REPORT_TEXT)])
    con.execute("INSERT INTO raw_report (content_sha256, report_key, text, text_sha256, file_name, file_names) "
                "VALUES ('sha', 'rk1', ?, 'tsha', ?, [?])", [REPORT_TEXT, report.name, report.name])
    con.execute("INSERT INTO etl_file (run_id, file_path, file_name, content_sha256, status, stage, report_key, facts) "
                "VALUES ('r1', ?, ?, 'sha', 'new', 'load', 'rk1', 4)", [str(report), report.name])
    rows = [  # fact_key, indicator, raw, value, unit, measure, evidence needle, value needle
        ("f1", "固定资产投资", "4.2亿元", 420000000, "元", "level", "完成固定资产投资4.2亿元", "4.2亿元"),
        ("f2", "固定资产投资", "9.5%", 9.5, "%", "yoy_pct", "完成固定资产投资4.2亿元,同比增长9.5%", "9.5%"),
        ("f4", "托位", "120个", 120, "个", "level", "新增托位120个", "120个"),
    ]
    for key, ind, raw, value, unit, measure, ev, val in rows:
        es, ee = offsets(REPORT_TEXT, ev)
        vs, ve = offsets(REPORT_TEXT, val)
        con.execute("INSERT INTO fact_indicator (fact_key, report_key, indicator_text, value, raw_value, unit, "
                    "measure, plan, evidence, evidence_start, evidence_end, value_start, value_end) "
                    "VALUES (?, 'rk1', ?, ?, ?, ?, ?, false, ?, ?, ?, ?, ?)",
                    [key, ind, value, raw, unit, measure, ev, es, ee, vs, ve])
    es, ee = offsets(REPORT_TEXT, "发放救助金-30万元")
    vs, ve = offsets(REPORT_TEXT, "-30万元")
    for expectation in ("level_is_not_negative", "unit_is_canonical"):
        con.execute("INSERT INTO quarantine_fact (fact_key, report_key, indicator_text, value, raw_value, unit, "
                    "measure, plan, evidence, evidence_start, evidence_end, value_start, value_end, run_id, "
                    "expectation, reason) VALUES ('f3', 'rk1', '救助金', -300000, '-30万元', '元', 'level', false, "
                    "'发放救助金-30万元', ?, ?, ?, ?, 'r1', ?, 'a level cannot be negative')",
                    [es, ee, vs, ve, expectation])
    yield con, report
    con.close()
