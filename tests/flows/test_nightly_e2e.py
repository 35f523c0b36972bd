"""End to end: the nightly flow under a real (temporary) Prefect server, the five bundled
reports plus a file of undecodable bytes, into a temporary DuckDB warehouse, run twice."""
from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from flows.nightly import nightly

pytestmark = pytest.mark.prefect

# The star schema and the quarantine: a rerun over the same files must leave them unchanged.
# (etl_run, etl_file and dq_expectation_result gain rows per run by design.)
TABLES = ("fact_indicator", "dim_report", "dim_region", "dim_indicator", "dim_unit", "dim_period",
          "quarantine_fact")


def _counts(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in TABLES}


@pytest.fixture(scope="module")
def runs(prefect_harness, tmp_path_factory, samples_dir):
    root = tmp_path_factory.mktemp("nightly")
    inbox = root / "inbox"
    shutil.copytree(samples_dir, inbox)
    (inbox / "zz_broken.txt").write_bytes("工作总结".encode() + b"\xff\xfe\xfa" * 20)
    warehouse = root / "warehouse.duckdb"
    first = nightly(inbox=str(inbox), warehouse=str(warehouse))
    after_first = _counts(warehouse)
    second = nightly(inbox=str(inbox), warehouse=str(warehouse))
    after_second = _counts(warehouse)
    return {"first": first, "second": second, "after_first": after_first,
            "after_second": after_second, "warehouse": warehouse, "inbox": inbox}


def test_first_run_loads_the_five_reports(runs) -> None:
    first = runs["first"]
    assert first["files_new"] == 5
    assert first["files_failed"] == 1
    assert first["facts_loaded"] >= 300
    assert runs["after_first"]["fact_indicator"] == first["facts_loaded"]
    assert runs["after_first"]["dim_report"] == 5


def test_baiyang_general_budget_revenue_2022(runs) -> None:
    sql = """
        select f.measure, f.value, f.unit
        from fact_indicator f join dim_report r using (report_key)
        where r.region_code = '330114002' and r.report_year = 2022
          and f.indicator_text like '%一般公共预算收入%' and not f.plan
        order by f.measure
    """
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        rows = con.sql(sql).fetchall()
    assert ("level", 905000000, "元") in [(m, int(v), u) for m, v, u in rows]
    assert ("yoy_pct", 25.08) in [(m, float(v)) for m, v, _ in rows]


def test_undecodable_file_is_recorded_as_failed_with_its_reason(runs) -> None:
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        status, stage, error = con.execute(
            "select status, stage, error from etl_file where file_name = 'zz_broken.txt' "
            "and run_id = ?", [runs["first"]["run_id"]]).fetchone()
    assert (status, stage) == ("failed", "decode")
    assert "zz_broken.txt" in error and "not decodable as UTF-8 or GB18030" in error


def test_second_run_loads_nothing_and_counts_stay_equal(runs) -> None:
    second = runs["second"]
    assert (second["files_new"], second["files_unchanged"], second["facts_loaded"]) == (0, 5, 0)
    assert runs["after_second"] == runs["after_first"]


def test_every_run_is_recorded(runs) -> None:
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        rows = con.sql("select run_id, files_new, facts_loaded from etl_run order by started_at").fetchall()
    assert [r[0] for r in rows] == [runs["first"]["run_id"], runs["second"]["run_id"]]
    assert rows[1][1:] == (0, 0)
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        per_run = dict(con.execute("select run_id, count(*) from dq_expectation_result group by run_id").fetchall())
    # the rerun had nothing to validate: Great Expectations is not even imported for it
    assert per_run[runs["first"]["run_id"]] > 0 and runs["second"]["run_id"] not in per_run


def test_data_quality_report_is_html_listing_every_expectation(runs) -> None:
    report = Path(runs["first"]["dq_report"])
    assert report.name == "report.html" and report.exists()
    assert not (report.parent / "index.html").exists()  # no GX Data Docs: blank offline, slow
    with duckdb.connect(str(runs["warehouse"]), read_only=True) as con:
        results = con.execute(
            "select expectation, success from dq_expectation_result where run_id = ?",
            [runs["first"]["run_id"]]).fetchall()
    assert len(results) > 20
    html = report.read_text(encoding="utf-8")
    for name, success in results:
        assert f"<td>{name}</td>" in html
    assert "zz_broken.txt" in html and "not decodable" in html


def test_changed_content_is_a_new_version_of_the_report(prefect_harness, tmp_path, samples_dir) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    name = "001_06debf6909d17e14.txt"
    original = (samples_dir / name).read_text(encoding="utf-8")
    (inbox / name).write_text(original, encoding="utf-8")
    warehouse = tmp_path / "w.duckdb"
    nightly(inbox=str(inbox), warehouse=str(warehouse))
    (inbox / name).write_text(original + "\n另外,全年新增市场主体326家。\n", encoding="utf-8")
    second = nightly(inbox=str(inbox), warehouse=str(warehouse))
    with duckdb.connect(str(warehouse), read_only=True) as con:
        status = con.execute("select status from etl_file where run_id = ?", [second["run_id"]]).fetchone()[0]
        versions = con.execute("select version, is_current from dim_report order by version").fetchall()
        current = con.execute("select count(*) from v_facts where raw_value = '326家'").fetchone()[0]
    assert status == "new_version"
    assert versions == [(1, False), (2, True)]
    assert current == 1
