"""Report identity and analyst corrections through the real nightly flow (issue 7)."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import yaml

from flows.nightly import nightly

pytestmark = pytest.mark.prefect

# An invented street report (not from any real report), as a writer would save it.
REPORT_LINES = [
    "青石街道2023年工作总结",
    "2023年,青石街道全年实现财政总收入3.62亿元,同比增长12.5%。",
    "新增市场主体418家,帮扶困难群众1260人次,改造老旧小区9个。",
]
OTHER_STREET_LINES = [
    "白沙街道2023年工作总结",
    "2023年,白沙街道新增就业岗位830个,完成固定资产投资5.4亿元。",
]


def _rows(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def test_same_report_in_three_encodings_and_formats_loads_once(prefect_harness, tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    text = "\n".join(REPORT_LINES) + "\n"
    (inbox / "a_report.txt").write_text(text, encoding="utf-8")
    (inbox / "b_report_gbk.txt").write_bytes(text.encode("gbk"))
    body = "".join(f"<p>{line}</p>\n" for line in REPORT_LINES)
    (inbox / "c_report.html").write_text(f"<html><body>\n{body}</body></html>", encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    summary = nightly(inbox=str(inbox), warehouse=str(warehouse))
    assert (summary["files_new"], summary["files_duplicate"]) == (1, 2)
    files = dict((r[0], r[1:]) for r in _rows(warehouse, "select file_name, status, report_key, duplicate_of "
                                                         "from etl_file"))
    key = files["a_report.txt"][1]
    assert files["b_report_gbk.txt"] == ("duplicate", None, key)
    assert files["c_report.html"] == ("duplicate", None, key)
    assert _rows(warehouse, "select count(*) from dim_report") == [(1,)]
    # and a rerun keeps them skipped, duplicates included
    again = nightly(inbox=str(inbox), warehouse=str(warehouse))
    assert (again["files_new"], again["files_unchanged"], again["facts_loaded"]) == (0, 3, 0)


def test_two_streets_reports_with_one_file_name_both_stay_current(prefect_harness, tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    for i, lines in enumerate((REPORT_LINES, OTHER_STREET_LINES)):
        inbox = tmp_path / f"inbox{i}"
        inbox.mkdir()
        (inbox / "2023年工作总结.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        nightly(inbox=str(inbox), warehouse=str(warehouse))
    rows = _rows(warehouse, "select file_name, version, is_current, report_natural_key from dim_report order by 4")
    assert [r[:3] for r in rows] == [("2023年工作总结.txt", 1, True)] * 2
    assert rows[0][3] != rows[1][3]
    assert _rows(warehouse, "select count(distinct report_key) from v_facts") == [(2,)]


@pytest.fixture()
def corrected(prefect_harness, tmp_path: Path, samples_dir: Path) -> dict:
    inbox = tmp_path / "inbox"
    shutil.copytree(samples_dir, inbox)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    nightly(inbox=str(inbox), warehouse=str(warehouse))
    # Two facts an analyst disagrees with, addressed as a person would: file, number, evidence.
    (reject, rename) = _rows(warehouse, """
        select r.file_name, f.raw_value, f.evidence, f.fact_key from fact_indicator f join dim_report r using (report_key)
        where (select count(*) from fact_indicator g where g.report_key = f.report_key and g.raw_value = f.raw_value) = 1
        order by f.fact_key limit 2""")
    corrections = [
        {"id": "drop-one", "report": reject[0], "raw_value": reject[1], "evidence": reject[2], "reject": True,
         "note": "not a fact of this street"},
        {"id": "rename-one", "report": rename[0], "raw_value": rename[1], "set": {"indicator": "分析员命名的指标"}},
        {"id": "stale", "report": rename[0], "raw_value": "999999个", "reject": True},
    ]
    (warehouse.parent / "corrections.yaml").write_text(yaml.safe_dump(corrections, allow_unicode=True),
                                                       encoding="utf-8")
    summary = nightly(inbox=None, warehouse=str(warehouse), rebuild=True)
    return {"warehouse": warehouse, "summary": summary, "reject": reject, "rename": rename}


def test_corrections_apply_on_rebuild_and_the_stale_one_is_reported(corrected) -> None:
    warehouse, summary = corrected["warehouse"], corrected["summary"]
    assert (summary["corrections_applied"], summary["corrections_unmatched"]) == (2, 1)
    assert _rows(warehouse, "select count(*) from fact_indicator where fact_key = ?", [corrected["reject"][3]]) == [(0,)]
    assert _rows(warehouse, "select expectation, reason from quarantine_fact where fact_key = ?",
                 [corrected["reject"][3]]) == [("analyst_correction", "rejected by correction drop-one: "
                                                                       "not a fact of this street")]
    renamed = _rows(warehouse, "select indicator_text, extracted_indicator_text, correction_id from fact_indicator "
                               "where fact_key = ?", [corrected["rename"][3]])
    assert renamed[0][0] == "分析员命名的指标" and renamed[0][1] != renamed[0][0] and renamed[0][2] == "rename-one"
    status = dict(_rows(warehouse, "select correction_id, status from dq_correction where run_id = ?",
                        [summary["run_id"]]))
    assert status == {"drop-one": "applied", "rename-one": "applied", "stale": "unmatched"}
    html = Path(summary["dq_report"]).read_text(encoding="utf-8")
    assert "stale" in html and "unmatched" in html
    # a rejection is the analyst's decision, not a data-quality failure
    assert summary["status"] == "success"
