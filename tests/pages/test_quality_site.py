"""The data-quality site: a run's page (files, decisions, counts, quarantine, links) and the index
of all runs with its SVG trends, from hand-made run frames and a real tiny DuckDB warehouse."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest

from expectations.site import quarantine_rate, read_run_summaries, trend_svg, write_index, write_run_pages

FILES_SCHEMA = {"file_name": pl.Utf8, "file_path": pl.Utf8, "content_sha256": pl.Utf8, "status": pl.Utf8,
                "stage": pl.Utf8, "error": pl.Utf8, "report_key": pl.Utf8, "facts": pl.Int64}
RESULTS = pl.DataFrame({"suite": ["facts"], "expectation": ["level_is_not_negative"],
                        "expectation_type": ["expect_column_values_to_be_between"], "success": [False],
                        "element_count": [4], "unexpected_count": [1], "row_level": [True]})


def _files(report_file: Path) -> pl.DataFrame:
    return pl.DataFrame([
        {"file_name": report_file.name, "file_path": str(report_file), "content_sha256": "sha", "status": "new",
         "stage": "load", "error": None, "report_key": "rk1", "facts": 4},
        {"file_name": "坏文件.txt", "file_path": "/x/坏文件.txt", "content_sha256": None, "status": "failed",
         "stage": "decode", "error": "坏文件.txt: not decodable", "report_key": None, "facts": 0},
    ], schema=FILES_SCHEMA)


def _quarantined(con) -> pl.DataFrame:
    return con.sql("select * from quarantine_fact").pl()


REPORT_ROW = {"file_name": "某镇2024年工作总结.txt", "region_code": None, "region_source": "unknown",
              "region_reason": "no place name found", "report_year": 2024, "period_type": "annual",
              "meta_sources": {"report_year": "inferred", "period_type": "manifest"},
              "meta_reasons": {"report_year": "title '某镇2024年工作总结'", "period_type": "manifest"}}


def _run(run_id: str, **over) -> dict:
    run = {"run_id": run_id, "started_at": datetime(2026, 11, 1, tzinfo=timezone.utc), "status": "partial",
           "inbox": "/x", "files_new": 1, "files_unchanged": 0, "files_failed": 1, "facts_loaded": 3,
           "facts_quarantined": 1}
    run.update(over)
    return run


@pytest.fixture()
def run_page(tiny_warehouse, tmp_path: Path) -> str:
    con, report_file = tiny_warehouse
    con.execute("update fact_indicator set run_id = 'r1'")
    quarantined = _quarantined(con)
    con.close()
    page = write_run_pages(tmp_path / "quality", _run("r1"), _files(report_file), RESULTS, quarantined,
                           [REPORT_ROW], tmp_path / "warehouse.duckdb")
    assert page == tmp_path / "quality" / "r1" / "report.html"
    return page.read_text(encoding="utf-8")


def test_run_page_counts_facts_per_file(run_page: str) -> None:
    row = re.search(r"<tr><td><a[^>]*>某镇2024年工作总结.txt</a></td>(.*?)</tr>", run_page).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    # status, step, extracted, loaded (from the warehouse), quarantined (distinct facts)
    assert cells[:5] == ["new", "load", "4", "3", "1"]


def test_run_page_says_how_region_year_and_period_were_decided(run_page: str) -> None:
    assert "未知<br><small>unknown: no place name found</small>" in run_page
    assert "2024<br><small>inferred: title &#x27;某镇2024年工作总结&#x27;</small>" in run_page
    assert "annual<br><small>manifest</small>" in run_page


def test_run_page_links_each_loaded_file_to_its_viewer_page(run_page: str, tmp_path: Path) -> None:
    link = re.search(r"<a href='([^']+)'>某镇2024年工作总结.txt</a>", run_page).group(1)
    assert link == "../../reports/某镇2024年工作总结.v1.html"
    assert (tmp_path / "quality" / "r1" / link).resolve().exists()


def test_run_page_lists_quarantined_facts_with_their_file(run_page: str) -> None:
    section = run_page.split("<h2>Quarantined facts</h2>", 1)[1].split("<h2>", 1)[0]
    assert section.count("<td>某镇2024年工作总结.txt</td>") == 2  # one row per failing expectation
    assert "level_is_not_negative" in section and "unit_is_canonical" in section


def test_failed_file_shows_step_and_reason(run_page: str) -> None:
    assert "<td>坏文件.txt</td><td class=\"fail\">failed</td><td>decode</td>" in run_page


@pytest.mark.parametrize("loaded, quarantined, rate", [(0, 0, 0.0), (3, 1, 25.0), (99, 1, 1.0)])
def test_quarantine_rate(loaded: int, quarantined: int, rate: float) -> None:
    assert quarantine_rate({"facts_loaded": loaded, "facts_quarantined": quarantined}) == rate


def test_index_lists_every_run_newest_first_with_trends(tmp_path: Path) -> None:
    quality = tmp_path / "quality"
    for run_id, loaded, failed in (("20261101T000000Z-a", 100, 0), ("20261102T000000Z-b", 40, 2)):
        (quality / run_id).mkdir(parents=True)
        (quality / run_id / "run.json").write_text(json.dumps(
            {"run_id": run_id, "status": "success", "facts_loaded": loaded, "facts_quarantined": 10,
             "files_failed": failed}), encoding="utf-8")
    (quality / "broken").mkdir()
    (quality / "broken" / "run.json").write_text("{", encoding="utf-8")  # a crashed run's half summary
    assert [r["run_id"] for r in read_run_summaries(quality)] == ["20261101T000000Z-a", "20261102T000000Z-b"]
    page = write_index(quality).read_text(encoding="utf-8")
    assert page.index("20261102T000000Z-b/report.html") < page.index("20261101T000000Z-a/report.html")
    assert page.count("<svg") == 3 and "<script" not in page and "http://" not in page.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    assert "20261101T000000Z-a: 100</title>" in page and "20261102T000000Z-b: 20%</title>" in page


def test_trend_bars_scale_to_the_largest_value() -> None:
    svg = trend_svg("t", ["a", "b"], [50.0, 100.0], height=130)
    heights = [float(h) for h in re.findall(r'<rect [^>]*height="([\d.]+)"', svg)]
    assert heights == [50.0, 100.0]
