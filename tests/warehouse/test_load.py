"""load_run: one transaction per run, idempotent, versions, rollback, failure records."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from warehouse.db import known_content_hashes, latest_version
from warehouse.load import load_run, record_run_failure

from warehouse import keys

TABLES = ("fact_indicator", "dim_report", "dim_region", "dim_indicator", "dim_unit", "dim_period",
          "quarantine_fact", "dq_expectation_result", "etl_file", "etl_run")


def snapshot(con) -> dict[str, list[tuple]]:
    """Every row of every table, minus load-time columns (run_id/loaded_at differ by design)."""
    out = {}
    for table in TABLES:
        cols = [r[0] for r in con.execute("select column_name from duckdb_columns() where table_name = ? "
                                          "order by column_index", [table]).fetchall()
                if r[0] not in ("loaded_at", "finished_at")]
        out[table] = con.execute(f"select {', '.join(cols)} from {table} order by all").fetchall()
    return out


def test_first_load_counts(con, load, first_run) -> None:
    counts = load(first_run)
    assert counts["fact_indicator"] == 5
    assert counts["dim_report"] == 2
    assert counts["dim_region"] == 2
    assert counts["etl_run"] == 1 and counts["etl_file"] == 2
    run = con.execute("select status, files_seen, files_new, facts_loaded, facts_quarantined, inbox "
                      "from etl_run").fetchone()
    assert run == ("success", 2, 2, 5, 0, "/inbox")
    assert con.execute("select count(*) from dim_report where version = 1 and is_current").fetchone()[0] == 2
    assert con.execute("select distinct first_loaded_run_id from dim_report").fetchall() == [("r1",)]


def test_values_are_exact_decimals(con, load, first_run) -> None:
    load(first_run)
    value = con.execute("select value from fact_indicator where measure = 'yoy_pct'").fetchone()[0]
    assert value == Decimal("25.080000")


def test_loading_the_same_content_twice_gives_the_same_rows(con, load, first_run) -> None:
    load(first_run)
    before = snapshot(con)
    again = dict(first_run, run={"run_id": "r1", "started_at": datetime(2026, 11, 1, 2, 0), "inbox": "/inbox"})
    counts = load(again)
    assert counts["fact_indicator"] == 0 and counts["dim_report"] == 0 and counts["dim_region"] == 0
    after = snapshot(con)
    # The run record is replaced by the rerun's (it loaded 0 new facts); every data row is identical.
    assert {t: rows for t, rows in after.items() if t != "etl_run"} == \
        {t: rows for t, rows in before.items() if t != "etl_run"}
    assert len(after["etl_run"]) == 1


def test_second_run_with_same_content_adds_only_run_records(con, load, first_run) -> None:
    load(first_run)
    facts_before = con.execute("select * from fact_indicator order by fact_key").fetchall()
    counts = load(dict(first_run, run={"run_id": "r2"}))
    assert counts["fact_indicator"] == 0
    assert con.execute("select * from fact_indicator order by fact_key").fetchall() == facts_before
    assert con.execute("select count(*) from etl_run").fetchone()[0] == 2


def test_duplicate_keys_within_a_batch_are_deduplicated_first_wins(con, load, first_run) -> None:
    facts = first_run["facts"]
    doubled = pl.concat([facts, facts.head(1).with_columns(indicator_text=pl.lit("duplicate"))])
    counts = load(first_run, facts=doubled)
    assert counts["fact_indicator"] == 5
    assert con.execute("select count(*) from fact_indicator where indicator_text = 'duplicate'").fetchone()[0] == 0



def test_new_content_of_a_report_is_a_new_current_version(con, load, first_run) -> None:
    load(first_run)
    a = first_run["report_a"]
    v2 = dict(a, report_key=keys.report_key("sha a v2"), content_sha256="sha a v2")
    v2_fact = first_run["facts"].head(1).with_columns(report_key=pl.lit(v2["report_key"]))
    v2_fact = keys.with_fact_keys(v2_fact)
    counts = load_run(con, {"run_id": "r2"}, pl.DataFrame(), pl.DataFrame([v2]), v2_fact, pl.DataFrame(),
                      {}, pl.DataFrame())
    assert counts["dim_report"] == 1 and counts["dim_report_current_changed"] == 2
    rows = con.execute("select content_sha256, version, is_current from dim_report where report_id = ? "
                       "order by version", [a["report_id"]]).fetchall()
    assert rows == [(a["content_sha256"], 1, False), ("sha a v2", 2, True)]
    assert latest_version(con, a["report_id"]) == 2
    assert "sha a v2" in known_content_hashes(con)
    # the other report is untouched
    assert con.execute("select version, is_current from dim_report where report_id = ?",
                       [first_run["report_b"]["report_id"]]).fetchone() == (1, True)


def test_two_new_versions_in_one_batch_are_numbered_in_order(con, load, first_run) -> None:
    load(first_run)
    a = first_run["report_a"]
    v2 = dict(a, report_key=keys.report_key("v2"), content_sha256="v2", version=99)
    v3 = dict(a, report_key=keys.report_key("v3"), content_sha256="v3", version=None)
    load_run(con, {"run_id": "r2"}, None, pl.DataFrame([v2, v3]), None, None, {}, None)
    rows = con.execute("select content_sha256, version, is_current from dim_report where report_id = ? "
                       "order by version", [a["report_id"]]).fetchall()
    assert rows == [(a["content_sha256"], 1, False), ("v2", 2, False), ("v3", 3, True)]


def test_failure_mid_load_rolls_back_and_keeps_earlier_runs(con, load, first_run) -> None:
    load(first_run)
    before = snapshot(con)
    a = first_run["report_a"]
    new_report = dict(a, report_key=keys.report_key("v2"), content_sha256="v2")
    broken_facts = first_run["facts"].with_columns(  # NOT NULL report_key violated after dims/reports went in
        report_key=pl.lit(None, dtype=pl.Utf8), fact_key=pl.lit("new-key"))
    new_dims = {"dim_unit": pl.DataFrame({"unit_key": ["u-new"], "unit": ["吨"], "unit_kind": ["mass"]})}
    with pytest.raises(Exception):
        load_run(con, {"run_id": "r2"}, first_run["files"], pl.DataFrame([new_report]), broken_facts,
                 pl.DataFrame(), new_dims, pl.DataFrame())
    assert snapshot(con) == before
    assert con.execute("select count(*) from dim_unit where unit = '吨'").fetchone()[0] == 0
    # the connection is usable again after the rollback
    assert load(dict(first_run, run={"run_id": "r3"}))["etl_run"] == 1


def test_missing_key_column_is_an_error_and_rolls_back(con, load, first_run) -> None:
    with pytest.raises(ValueError, match="fact_key"):
        load(first_run, facts=first_run["facts"].drop("fact_key"))
    assert con.execute("select count(*) from dim_report").fetchone()[0] == 0


def test_quarantine_rows_are_loaded_with_expectation_and_status_partial(con, load, first_run) -> None:
    bad = first_run["facts"].head(1).with_columns(unit=pl.lit("万元"))
    quarantine = pl.concat([
        bad.with_columns(expectation=pl.lit("unit_is_canonical"), reason=pl.lit("unit 万元 not canonical")),
        bad.with_columns(expectation=pl.lit("unit_has_no_magnitude_prefix"), reason=pl.lit("万")),
        bad.with_columns(fact_key=pl.lit(None, dtype=pl.Utf8), expectation=pl.lit("fact_key_not_null"),
                         reason=pl.lit("null key")),
    ])
    counts = load(first_run, facts=first_run["facts"].slice(1), quarantine=quarantine)
    assert counts["quarantine_fact"] == 3 and counts["fact_indicator"] == 4
    status, quarantined = con.execute("select status, facts_quarantined from etl_run").fetchone()
    assert status == "partial" and quarantined == 2
    assert con.execute("select count(*) from quarantine_fact where fact_key like 'nokey-%'").fetchone()[0] == 1
    assert con.execute("select distinct run_id from quarantine_fact").fetchall() == [("r1",)]


def test_dq_results_get_keys_and_reload_idempotently(con, load, first_run) -> None:
    load(first_run)
    load(first_run)
    assert con.execute("select count(*) from dq_expectation_result").fetchone()[0] == 2


def test_region_bulk_load_of_all_official_streets(con, load, first_run) -> None:
    import time
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "transforms" / "data" / "admin_divisions"
    streets = pl.read_csv(root / "streets.csv", schema_overrides={c: pl.Utf8 for c in
                          ("code", "areaCode", "provinceCode", "cityCode")})
    areas = pl.read_csv(root / "areas.csv", schema_overrides={"code": pl.Utf8, "cityCode": pl.Utf8,
                                                              "provinceCode": pl.Utf8})
    cities = pl.read_csv(root / "cities.csv", schema_overrides={"code": pl.Utf8, "provinceCode": pl.Utf8})
    provinces = pl.read_csv(root / "provinces.csv", schema_overrides={"code": pl.Utf8})
    regions = (
        streets.rename({"code": "region_code", "name": "street_name", "areaCode": "district_code",
                        "cityCode": "city_code", "provinceCode": "province_code"})
        .join(areas.select(district_code="code", district_name="name"), on="district_code", how="left")
        .join(cities.select(city_code="code", city_name="name"), on="city_code", how="left")
        .join(provinces.select(province_code="code", province_name="name"), on="province_code", how="left")
    )
    started = time.perf_counter()
    counts = load(first_run, dims={"dim_region": regions})
    elapsed = time.perf_counter() - started
    assert counts["dim_region"] == regions.height  # the fixture's two streets are among them
    assert elapsed < 5
    again = load(dict(first_run, run={"run_id": "r2"}), dims={"region": regions})
    assert again["dim_region"] == 0
    assert con.execute("select count(*) from dim_region").fetchone()[0] == regions.height + 1


def test_unknown_dimension_name_is_rejected(con, load, first_run) -> None:
    with pytest.raises(ValueError, match="unknown dimension"):
        load(first_run, dims={"dim_colour": pl.DataFrame({"x": [1]})})


def test_record_run_failure(con, first_run) -> None:
    files = first_run["files"].drop("status")
    record_run_failure(con, {"run_id": "rf", "started_at": datetime(2026, 11, 2)}, files, error="boom")
    assert con.execute("select status, files_seen, files_failed from etl_run").fetchone() == ("failed", 2, 2)
    assert con.execute("select distinct status, error from etl_file").fetchall() == [("failed", "boom")]
    assert con.execute("select count(*) from fact_indicator").fetchone()[0] == 0


def test_failed_files_make_the_run_partial(con, load, first_run) -> None:
    files = pl.concat([first_run["files"], pl.DataFrame({
        "file_path": ["/inbox/zz.txt"], "file_name": ["zz.txt"], "status": ["failed"], "stage": ["decode"],
        "error": ["zz.txt: not decodable"]})], how="diagonal_relaxed")
    load(first_run, files=files)
    assert con.execute("select status, files_failed from etl_run").fetchone() == ("partial", 1)


def test_aware_start_time_is_stored_as_utc(con, load, first_run) -> None:
    from datetime import timedelta, timezone

    beijing = timezone(timedelta(hours=8))
    load(first_run, run={"run_id": "tz", "started_at": datetime(2026, 11, 1, 10, 0, tzinfo=beijing)})
    assert con.execute("select started_at from etl_run").fetchone()[0] == datetime(2026, 11, 1, 2, 0)
