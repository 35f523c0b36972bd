"""The loader: a run row first, one transaction per chunk, reports replaced whole, SCD2 versions,
contracts enforced, rollback, and run records read back from the data."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from tests.warehouse.conftest import (OTHER_STREET, chunk_for, fact_row, facts_frame, files_frame, report_row,
                                      start)
from warehouse.contracts import ContractError
from warehouse.db import known_content_hashes
from warehouse.load import finish_run, load_chunk, mark_interrupted, run_counts

TABLES = ("raw_report", "report_build", "fact_indicator", "dim_report", "dim_region", "dim_indicator",
          "dim_unit", "dim_period", "quarantine_fact", "dq_expectation_result", "etl_file")


def snapshot(con) -> dict[str, list[tuple]]:
    """Every row of every data table, minus load-time columns."""
    out = {}
    for table in TABLES:
        cols = [r[0] for r in con.execute("select column_name from duckdb_columns() where table_name = ? "
                                          "order by column_index", [table]).fetchall()
                if r[0] not in ("loaded_at", "landed_at", "built_at", "first_loaded_at", "valid_from", "valid_to")]
        out[table] = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
    return out


def one(con, sql: str, params: list | None = None) -> Any:
    return con.execute(sql, params or []).fetchall()[0]


def test_first_chunk_counts_and_run_record(con, load, first_run) -> None:
    counts = load(first_run)
    assert (counts["raw_report"], counts["dim_report"], counts["fact_indicator"], counts["etl_file"]) == (2, 2, 5, 2)
    assert one(con, "select status from etl_run") == ("running",)
    final = finish_run(con, "r1", {"dq_report_path": "/q/r1/report.html"})
    assert final["status"] == "success"
    assert one(con, "select status, files_seen, files_new, facts_loaded, facts_quarantined, inbox, dq_report_path "
                    "from etl_run") == ("success", 2, 2, 5, 0, "/inbox", "/q/r1/report.html")
    assert one(con, "select count(*) from dim_report where version = 1 and is_current and valid_to is null") == (2,)


def test_values_are_exact_decimals(con, load, first_run) -> None:
    load(first_run)
    assert one(con, "select value from fact_indicator where measure = 'yoy_pct'") == (Decimal("25.080000"),)


def test_a_retried_chunk_changes_nothing(con, load, first_run) -> None:
    load(first_run)
    before = snapshot(con)
    load(first_run)
    assert snapshot(con) == before


def test_rebuild_replaces_a_reports_facts_and_leaves_others(con, load, first_run) -> None:
    load(first_run)
    a, b = first_run["report_a"], first_run["report_b"]
    b_facts = con.execute("select * exclude (loaded_at) from fact_indicator where report_key = ?",
                          [b["report_key"]]).fetchall()
    rebuilt = facts_frame([fact_row(a, "一般公共预算收入", "905000000", "元", start=10)])
    load(chunk_for("r2", [a], rebuilt, raw=None, files=None))
    assert one(con, "select count(*) from fact_indicator where report_key = ?", [a["report_key"]]) == (1,)
    assert con.execute("select * exclude (loaded_at) from fact_indicator where report_key = ?",
                       [b["report_key"]]).fetchall() == b_facts
    assert run_counts(con, "r2")["reports_rebuilt"] == 1


def test_a_failed_build_keeps_the_reports_facts(con, load, first_run) -> None:
    from tests.warehouse.conftest import builds_frame

    load(first_run)
    a = first_run["report_a"]
    load(chunk_for("r2", [], first_run["facts"].clear(), raw=None, files=None, reports=None,
                   builds=builds_frame([a], status="failed").with_columns(stage=pl.lit("extract"),
                                                                          error=pl.lit("boom"))))
    assert one(con, "select count(*) from fact_indicator where report_key = ?", [a["report_key"]]) == (4,)
    assert one(con, "select status, error from report_build where report_key = ?", [a["report_key"]]) == \
        ("failed", "boom")
    assert finish_run(con, "r2", {})["status"] == "partial"


@pytest.mark.parametrize("publish_dates, expected_versions", [
    # later content published later: loaded order and publication order agree
    ((date(2022, 12, 20), date(2023, 1, 5)), (1, 2)),
    # a revision that arrives first but was published later is the later version
    ((date(2023, 1, 5), date(2022, 12, 20)), (2, 1)),
])
def test_versions_are_ordered_by_publish_date(con, load, first_run, publish_dates, expected_versions) -> None:
    a = report_row("a.txt", "v1", publish_date=publish_dates[0])
    a2 = report_row("a-revised.txt", "v2", publish_date=publish_dates[1], title=a["title"])
    assert a["report_id"] == a2["report_id"]  # same region, year, period and title: one report
    load(chunk_for("r1", [a], facts_frame([fact_row(a, "x", "1", "个")])))
    load(chunk_for("r2", [a2], facts_frame([fact_row(a2, "x", "2", "个")])))
    rows = dict((r[0], r[1:]) for r in con.execute(
        "select report_key, version, is_current, valid_to is null from dim_report").fetchall())
    v_a, v_a2 = rows[a["report_key"]], rows[a2["report_key"]]
    assert (v_a[0], v_a2[0]) == expected_versions
    assert v_a[1] == (expected_versions[0] == 2) and v_a2[1] == (expected_versions[1] == 2)
    assert one(con, "select status from etl_file where run_id = 'r2'") == ("new_version",)


def test_two_reports_with_one_file_name_are_both_current(con, load) -> None:
    a = report_row("2022年工作总结.txt", "town a", title="甲街道2022年工作总结")
    b = report_row("2022年工作总结.txt", "town b", region_code=OTHER_STREET, title="乙街道2022年工作总结")
    load(chunk_for("r1", [a, b], facts_frame([fact_row(a, "x", "1", "个"), fact_row(b, "x", "2", "个")])))
    assert one(con, "select count(*), count(distinct report_id) from dim_report where is_current") == (2, 2)


@pytest.mark.parametrize("change, message", [
    (lambda f: f.drop("evidence"), "missing ['evidence']"),
    (lambda f: f.with_columns(surprise=pl.lit(1)), "unexpected ['surprise']"),
])
def test_contract_refuses_drift_and_rolls_back(con, load, first_run, change, message) -> None:
    load(first_run)
    before = snapshot(con)
    a = first_run["report_a"]
    bad = change(facts_frame([fact_row(a, "x", "1", "个")]))
    with pytest.raises(ContractError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load(chunk_for("r2", [a], bad))
    assert snapshot(con) == before


def test_quarantine_makes_the_run_partial_but_a_correction_does_not(con, load, first_run) -> None:
    facts = first_run["facts"]
    failed = facts.head(1).with_columns(expectation=pl.lit("unit_is_canonical"), reason=pl.lit("bad unit"))
    rejected = facts.slice(1, 1).with_columns(expectation=pl.lit("analyst_correction"), reason=pl.lit("wrong"))
    chunk = first_run["chunk"]
    chunk.facts = facts.slice(2)
    chunk.quarantine = pl.concat([failed, rejected])
    load(chunk)
    assert run_counts(con, "r1")["facts_quarantined"] == 1
    assert finish_run(con, "r1", {})["status"] == "partial"
    chunk.quarantine = rejected
    con.execute("delete from quarantine_fact")
    assert finish_run(con, "r1", {})["status"] == "success"


def test_dq_results_are_keyed_per_chunk(con, load, first_run) -> None:
    load(first_run)
    second = chunk_for("r1", [], first_run["facts"].clear(), chunk=2, raw=None, reports=None, builds=None, files=None)
    load(second)
    assert one(con, "select count(*), count(distinct chunk) from dq_expectation_result") == (4, 2)


def test_known_contents_include_duplicates(con, load, first_run) -> None:
    load(first_run)
    dup = files_frame("r2", [report_row("copy.html", "other bytes")], status="duplicate")
    load(chunk_for("r2", [], first_run["facts"].clear(), raw=None, reports=None, builds=None, files=dup,
                   dq_results=None))
    assert known_content_hashes(con) == {first_run["report_a"]["content_sha256"],
                                         first_run["report_b"]["content_sha256"],
                                         dup.get_column("content_sha256")[0]}


def test_interrupted_runs_are_marked_by_the_next(con, load, first_run) -> None:
    load(first_run)  # r1 stays running: its process "died"
    assert mark_interrupted(con, "killed") == ["r1"]
    assert one(con, "select status, error from etl_run") == ("interrupted", "killed")
    assert mark_interrupted(con, "killed") == []


def test_failed_run_record(con, load, first_run) -> None:
    load(first_run)
    final = finish_run(con, "r1", {}, failed_error="load failed: IOException: disk full")
    assert final["status"] == "failed"
    assert one(con, "select status, error, facts_loaded from etl_run") == \
        ("failed", "load failed: IOException: disk full", 5)


def test_aware_start_time_is_stored_as_utc(con) -> None:
    from datetime import timedelta, timezone

    start(con, "r9", datetime(2026, 11, 1, 10, 0, tzinfo=timezone(timedelta(hours=8))))
    assert one(con, "select started_at from etl_run") == (datetime(2026, 11, 1, 2, 0),)


def test_region_bulk_load_of_all_official_streets(con, load, first_run) -> None:
    from transforms.regions import RegionIndex
    from warehouse.star import region_dimension

    chunk = first_run["chunk"]
    chunk.dims = {**chunk.dims, "dim_region": region_dimension(RegionIndex.load().frame())}
    load(chunk)
    n = one(con, "select count(*) from dim_region")[0]
    assert n == RegionIndex.load().frame().height + 1
    load(chunk)
    assert one(con, "select count(*) from dim_region")[0] == n


def test_new_file_names_of_known_content_are_remembered(con, load, first_run) -> None:
    load(first_run)
    a = first_run["report_a"]
    names = pl.DataFrame({"content_sha256": [a["content_sha256"]], "file_name": ["renamed.txt"]})
    load(chunk_for("r2", [], first_run["facts"].clear(), raw=None, reports=None, builds=None, files=None,
                   raw_names=names, dq_results=None))
    assert one(con, "select file_names from raw_report where content_sha256 = ?", [a["content_sha256"]]) == \
        (["a.txt", "renamed.txt"],)
