"""Views over hand-written rows, and the Parquet export."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import polars as pl

from warehouse import keys
from tests.warehouse.conftest import chunk_for, fact_row, facts_frame, report_row
from warehouse.export import export_parquet

BAIYANG = "330114002"


def test_v_facts_joins_every_dimension(con, load, first_run) -> None:
    load(first_run)
    row = con.execute(
        "select street_name, district_name, canonical_name, category, unit_kind, period_label, file_name, "
        "report_version from v_facts where indicator_text = '地方税收收入'").fetchall()
    assert row == [("东华门街道", "东城区", "地方税收收入", "economy", "currency", "2022年全年", "b.txt", 1)]
    assert con.execute("select count(*) from v_facts").fetchone()[0] == 5


def test_v_facts_shows_current_versions_only(con, load, first_run) -> None:
    load(first_run)
    a = first_run["report_a"]
    v2 = report_row("a-revised.txt", "v2", title=a["title"], publish_date=date(2023, 1, 5))
    load(chunk_for("r2", [v2], facts_frame([fact_row(v2, "一般公共预算收入", "906000000", "元", start=10)])))
    rows = con.execute("select report_version, value from v_facts where report_id = ?", [a["report_id"]]).fetchall()
    assert rows == [(2, Decimal("906000000"))]
    # history is kept in the fact table
    assert con.execute("select count(*) from fact_indicator").fetchone()[0] == 6


def test_v_indicator_by_street_period(con, load, first_run) -> None:
    load(first_run)
    rows = con.execute(
        'select region_code, street_name, report_year, period_label, "一般公共预算收入", "一般公共预算收入_yoy_pct", '
        '"新增就业岗位", "地方税收收入", "财政总收入" from v_indicator_by_street_period order by region_code').fetchall()
    assert rows == [
        ("110101001", "东华门街道", 2022, "2022年全年", None, None, None, Decimal("863000000"), None),
        # the plan (1e9) is left out; level and growth of the achievement are kept
        (BAIYANG, "白杨街道", 2022, "2022年全年", Decimal("905000000"), Decimal("25.08"), Decimal("120"), None, None),
    ]


def test_mart_keeps_periods_apart_and_takes_the_first_stated_value(con, load, first_run) -> None:
    """Two periods of one street and year are two rows; a repeated figure is one row that says so."""
    a = first_run["report_a"]
    h1_period = keys.md5_key(2022, "上半年", "H1")
    extra = keys.with_fact_keys(pl.concat([
        first_run["facts"].filter(pl.col("indicator_text") == "新增就业岗位")
        .with_columns(value=pl.lit(Decimal("50")).cast(pl.Decimal(38, 6)), value_start=pl.lit(200, dtype=pl.Int64),
                      period_key=pl.lit(h1_period)),
        first_run["facts"].filter(pl.col("indicator_text") == "新增就业岗位")
        .with_columns(value=pl.lit(Decimal("130")).cast(pl.Decimal(38, 6)), value_start=pl.lit(300, dtype=pl.Int64)),
    ]))
    dims = dict(first_run["chunk"].dims)
    dims["dim_period"] = pl.concat([dims["dim_period"], pl.DataFrame({
        "period_key": [h1_period], "report_year": [2022], "period_text": ["上半年"], "period_type": ["H1"],
        "start_date": [date(2022, 1, 1)], "end_date": [date(2022, 6, 30)], "label": ["2022年1-6月"]})])
    chunk = first_run["chunk"]
    chunk.facts, chunk.dims = pl.concat([first_run["facts"], extra]), dims
    load(chunk)
    rows = con.execute(
        "select period_label, value, facts, distinct_values from mart_indicator "
        "where region_code = ? and canonical_name = '新增就业岗位' order by period_end", [a["region_code"]]).fetchall()
    assert rows == [("2022年1-6月", Decimal("50"), 1, 1), ("2022年全年", Decimal("120"), 2, 2)]
    assert con.execute("select count(*) from audit_mart_indicator_unique_grain").fetchone()[0] == 0
    assert con.execute("select count(*) from audit_mart_indicator_one_unit").fetchone()[0] == 0


def test_v_indicator_by_street_period_has_a_column_per_main_indicator() -> None:
    from warehouse.db import connect

    con = connect(":memory:")
    columns = {r[0] for r in con.execute("select column_name from duckdb_columns() "
                                         "where table_name = 'v_indicator_by_street_period'").fetchall()}
    for name in ("财政总收入", "一般公共预算收入", "地方税收收入", "固定资产投资", "规上工业总产值",
                 "社会消费品零售总额", "新增就业岗位"):
        assert {name, f"{name}_yoy_pct"} <= columns


def test_views_from_sql_fixture_rows() -> None:
    """Datasette-style: rows typed in as SQL, no loader involved."""
    from warehouse.db import connect

    con = connect(":memory:")
    con.execute("""
        insert into dim_report (report_key, file_name, content_sha256, report_id, report_natural_key, version,
                                is_current, report_year, region_code)
        values ('r1', 'x.txt', 's1', 'id', 'nk', 1, false, 2021, '330114002'),
               ('r2', 'x.txt', 's2', 'id', 'nk', 2, true, 2021, '330114002');
        insert into dim_region (region_code, street_name) values ('330114002', '白杨街道');
        insert into dim_indicator values ('i1', '固定资产投资', 'investment', true);
        insert into fact_indicator (fact_key, report_key, region_code, indicator_key, value, unit, measure, plan)
        values ('f1', 'r1', '330114002', 'i1', 100, '元', 'level', false),
               ('f2', 'r2', '330114002', 'i1', 200, '元', 'level', false),
               ('f3', 'r2', '330114002', 'i1', -3.5, '%', 'yoy_pct', false);
    """)
    assert con.execute('select street_name, report_year, "固定资产投资", "固定资产投资_yoy_pct" '
                       'from v_indicator_by_street_period').fetchall() == [
        ("白杨街道", 2021, Decimal("200"), Decimal("-3.5"))]


def test_export_parquet_writes_every_star_table(con, load, first_run, tmp_path: Path) -> None:
    load(first_run)
    paths = export_parquet(con, tmp_path / "export")
    assert sorted(p.name for p in paths) == sorted(f"{t}.parquet" for t in (
        "fact_indicator", "dim_report", "dim_region", "dim_indicator", "dim_unit", "dim_period"))
    facts = pl.read_parquet(tmp_path / "export" / "fact_indicator.parquet")
    assert facts.height == 5 and facts.schema["value"] == pl.Decimal(38, 6)
    assert duckdb.sql(f"select count(*) from '{tmp_path / 'export' / 'dim_region.parquet'}'").fetchall()[0][0] == 3
    # exporting again overwrites
    assert export_parquet(con, tmp_path / "export") == paths


def test_export_from_a_read_only_connection(con, load, first_run, tmp_path: Path) -> None:
    from warehouse.db import connect
    from warehouse.load import export_parquet as reexported

    load(first_run)
    con.close()
    path = tmp_path / "w.duckdb"
    with connect(path, read_only=True) as ro:
        paths = reexported(ro, tmp_path / "ro-export")
    assert len(paths) == 6 and all(p.exists() for p in paths)
