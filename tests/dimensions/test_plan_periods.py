"""Plans carry the period they target: a later year or 下半年 named by a heading above them, or
their own forward-looking phrase (明年, 两年内). Achievements are read as before."""
from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from transforms.periods import normalise_period, normalise_periods, period_key, plan_context


@pytest.mark.parametrize("text, plan, titles, year, expected", [
    (None, True, "2023年工作思路 / 稳增长", 2022, "plan@2023"),
    (None, True, "二〇二五年工作打算", 2024, "plan@2025"),
    (None, True, "明年工作安排", 2021, "plan@2022"),
    (None, True, "下半年工作部署 / 聚焦民生", 2023, "plan@H2"),
    # the innermost heading naming a span wins
    (None, True, "下一步工作 / 2024年重点", 2023, "plan@2024"),
    # a heading naming the report's own year or an earlier one is no target
    (None, True, "2022年工作计划", 2022, None),
    ("两年内", True, "城区安全", 2021, "plan"),
    ("明年", True, None, 2021, "plan"),
    ("年内", True, "城区安全", 2021, None),
    # achievements keep their reading whatever the heading says
    (None, False, "2023年工作思路", 2022, None),
    ("两年内", False, None, 2021, None),
])
def test_plan_context(text, plan, titles, year, expected) -> None:
    assert plan_context(text, plan, titles, year) == expected


@pytest.mark.parametrize("text, rpt, context, start, end, label", [
    (None, "annual", "plan@2023", date(2023, 1, 1), date(2023, 12, 31), "2023年"),
    ("年内", "annual", "plan@2023", date(2023, 1, 1), date(2023, 12, 31), "2023年"),
    ("上半年", "annual", "plan@2023", date(2023, 1, 1), date(2023, 6, 30), "2023年1-6月"),
    # an explicit year in the phrase stays what it says
    ("2024年", "annual", "plan@2023", date(2024, 1, 1), date(2024, 12, 31), "2024年"),
    (None, "H1", "plan@H2", date(2023, 7, 1), date(2023, 12, 31), "2023年7-12月"),
    ("两年内", "annual", "plan", date(2024, 1, 1), date(2025, 12, 31), "2024-2025年"),
    ("三年内", "annual", "plan", date(2024, 1, 1), date(2026, 12, 31), "2024-2026年"),
    ("明年", "annual", "plan", date(2024, 1, 1), date(2024, 12, 31), "2024年"),
    # without a plan context, 两年内 is the two years ending with the report year
    ("两年内", "annual", None, date(2022, 1, 1), date(2023, 12, 31), "2022-2023年"),
])
def test_plan_periods(text, rpt, context, start, end, label) -> None:
    span = normalise_period(text, 2023, rpt, context)
    assert (span.start_date, span.end_date, span.label) == (start, end, label)


def test_plan_context_is_part_of_the_period_key() -> None:
    assert period_key(None, 2022, "annual", "plan@2023") != period_key(None, 2022, "annual")
    assert period_key("年内", 2022, "annual", None) == period_key("年内", 2022, "annual")


def test_frame_reads_plans_under_a_next_year_heading_in_that_year() -> None:
    df = pl.DataFrame({
        "period_text": [None, None, "两年内", None],
        "report_year": [2022, 2022, 2021, 2023],
        "report_period_type": ["annual", "annual", "annual", "H1"],
        "plan": [False, True, True, True],
        "section_titles": ["2022年工作成效", "2023年工作思路 / 守平安", "城区安全", "下半年工作部署"],
    })
    out = normalise_periods(df)
    assert out["period_label"].to_list() == ["2022年", "2023年", "2022-2023年", "2023年7-12月"]
    assert out.columns == df.columns + ["period_start", "period_end", "period_type", "period_label", "period_key"]
    assert out["period_key"].n_unique() == 4
