"""The analyst layer on the five bundled samples, loaded by the real nightly flow."""
from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.prefect


@pytest.fixture(scope="module")
def con(sample_warehouse: Path):
    with duckdb.connect(str(sample_warehouse), read_only=True) as connection:
        yield connection


def test_mart_has_no_two_rows_with_the_same_grain(con) -> None:
    grains = con.execute(
        "select count(*), count(distinct (region_code, report_year, period_start, period_end, canonical_name, measure)) "
        "from mart_indicator").fetchone()
    assert grains[0] > 0 and grains[0] == grains[1]
    assert con.execute("select count(*) from audit_mart_indicator_unique_grain").fetchone()[0] == 0
    assert con.execute("select count(*) from audit_mart_indicator_one_unit").fetchone()[0] == 0


def test_job_fair_posts_are_not_new_jobs(con) -> None:
    rows = con.execute("select canonical_name, is_catalogued from v_facts where indicator_text = '推出就业岗位'").fetchall()
    assert rows and all(name != "新增就业岗位" and not catalogued for name, catalogued in rows)
    assert con.execute("select count(*) from mart_indicator where canonical_name = '新增就业岗位' "
                       "and value = 2600").fetchone()[0] == 0


def test_plans_under_a_later_year_heading_target_that_year(con) -> None:
    rows = con.execute("select report_year, section_titles, period_start, period_end from v_facts "
                       "where plan and section_titles is not null").fetchall()
    checked = 0
    for report_year, titles, start, end in rows:
        later = [int(y) for y in re.findall(r"(\d{4})年", titles) if int(y) > report_year]
        if later:
            assert start.year == end.year == later[-1], (titles, start, end)
            checked += 1
        elif "下半年" in titles:
            assert (start.month, end.month) == (7, 12), (titles, start, end)
            checked += 1
    assert checked > 0


def test_growth_rates_point_to_their_level(con) -> None:
    rows = con.execute(
        "select q.indicator_text, l.indicator_text, l.measure, l.report_key = q.report_key "
        "from v_facts q join v_facts l on l.fact_key = q.level_fact_key where q.measure = 'yoy_pct'").fetchall()
    assert rows and all(q == l and measure == "level" and same for q, l, measure, same in rows)
