from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from transforms.periods import normalise_period, normalise_periods, period_key

Y = 2022


@pytest.mark.parametrize(
    ("text", "rpt", "start", "end", "ptype"),
    [
        ("截至10月底", "annual", (1, 1), (10, 31), "ytd"),
        ("截至11月底", "annual", (1, 1), (11, 30), "ytd"),
        ("1-11月", "annual", (1, 1), (11, 30), "ytd"),
        ("1至11月", "annual", (1, 1), (11, 30), "ytd"),
        ("今年1-11月", "annual", (1, 1), (11, 30), "ytd"),
        ("今年1至11月", "annual", (1, 1), (11, 30), "ytd"),
        ("一至十一月", "annual", (1, 1), (11, 30), "ytd"),
        ("1至10月", "annual", (1, 1), (10, 31), "ytd"),
        ("上半年", "annual", (1, 1), (6, 30), "H1"),
        ("上半年度", "annual", (1, 1), (6, 30), "H1"),
        ("1-6月", "H1", (1, 1), (6, 30), "H1"),
        ("下半年", "annual", (7, 1), (12, 31), "H2"),
        ("全年", "annual", (1, 1), (12, 31), "annual"),
        ("今年", "annual", (1, 1), (12, 31), "annual"),
        ("年内", "annual", (1, 1), (12, 31), "annual"),
        ("一年来", "annual", (1, 1), (12, 31), "annual"),
        ("截止8月31日", "annual", (1, 1), (8, 31), "ytd"),
        ("截止11月15日", "annual", (1, 1), (11, 15), "ytd"),
        ("10月份", "annual", (10, 1), (10, 31), "month"),
        ("5月份以来", "annual", (5, 1), (12, 31), "since"),
        ("5月份以来", "H1", (5, 1), (6, 30), "since"),
        ("自4月26日起", "annual", (4, 26), (12, 31), "since"),
        ("5月13日疫情发生后", "annual", (5, 13), (12, 31), "since"),
        ("今年以来", "annual", (1, 1), (12, 31), "ytd"),
        ("今年以来", "H1", (1, 1), (6, 30), "ytd"),
        ("截至目前", "annual", (1, 1), (12, 31), "ytd"),
        ("截至目前为止", "annual", (1, 1), (12, 31), "ytd"),
        ("目前", "H1", (1, 1), (6, 30), "ytd"),
        ("前三季度", "annual", (1, 1), (9, 30), "ytd"),
        ("第一季度", "annual", (1, 1), (3, 31), "quarter"),
        ("3-5月", "annual", (3, 1), (5, 31), "range"),
        ("8月31日", "annual", (8, 31), (8, 31), "point"),
        (None, "annual", (1, 1), (12, 31), "report"),
        (None, "H1", (1, 1), (6, 30), "report"),
        (None, "M10", (1, 1), (10, 31), "report"),
        (None, "Q3", (1, 1), (9, 30), "report"),
    ],
)
def test_normalise_period(text, rpt, start, end, ptype) -> None:
    s = normalise_period(text, Y, rpt)
    assert (s.start_date, s.end_date, s.period_type) == (date(Y, *start), date(Y, *end), ptype)
    assert s.period_text == text and s.label


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("去年", date(2021, 1, 1), date(2021, 12, 31)),
     ("2021年", date(2021, 1, 1), date(2021, 12, 31)),
     ("2021年1-6月", date(2021, 1, 1), date(2021, 6, 30)),
     ("两年内", date(2021, 1, 1), date(2022, 12, 31)),
     ("近三年", date(2020, 1, 1), date(2022, 12, 31))],
)
def test_other_years(text, start, end) -> None:
    s = normalise_period(text, Y, "annual")
    assert (s.start_date, s.end_date) == (start, end)


def test_unreadable_phrase_is_unknown_not_guessed() -> None:
    s = normalise_period("十四五以来", Y, "annual")
    assert s.period_type == "unknown" and s.start_date is None and s.end_date is None


def test_period_key_stable_and_spelling_insensitive() -> None:
    k = period_key("1-11月", Y, "annual")
    assert len(k) == 32 and k == period_key("1至11月", Y, "annual") == period_key("1 — 11月", Y, "annual")
    assert k != period_key("1-11月", 2021, "annual")
    assert period_key(None, Y, "annual") != period_key(None, Y, "H1")


def test_normalise_periods_frame() -> None:
    df = pl.DataFrame({
        "period_text": ["截至10月底", None, "上半年", "截至10月底"],
        "report_year": [2022, 2022, 2023, 2022],
        "report_period_type": ["annual", "annual", "H1", "annual"],
        "v": [1, 2, 3, 4],
    })
    out = normalise_periods(df)
    assert out["v"].to_list() == [1, 2, 3, 4]
    assert out["period_end"].to_list() == [date(2022, 10, 31), date(2022, 12, 31), date(2023, 6, 30),
                                           date(2022, 10, 31)]
    assert out["period_type"].to_list() == ["ytd", "report", "H1", "ytd"]
    assert out["period_key"][0] == out["period_key"][3] == period_key("截至10月底", 2022, "annual")
