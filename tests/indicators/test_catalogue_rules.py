"""Catalogue rules on invented phrases: whole phrases or declared patterns, units that fit."""
from __future__ import annotations

import polars as pl
import pytest

from transforms.indicators import canonicalise_indicators, load_catalogue, unit_fits


def _map(indicator: str, unit: str | None = None, measure: str | None = "level") -> tuple[str, bool]:
    frame = pl.DataFrame({"indicator": [indicator], "unit": [unit], "measure": [measure]})
    row = canonicalise_indicators(frame).row(0, named=True)
    return row["canonical_name"], row["is_catalogued"]


@pytest.mark.parametrize("indicator, unit, measure, expected", [
    ("新增就业岗位", "个", "level", ("新增就业岗位", True)),
    # job-fair vacancies contain the alias's words but are not new jobs
    ("推出就业岗位", "个", "level", ("推出就业岗位", False)),
    ("招聘会推出就业岗位", "个", "level", ("招聘会推出就业岗位", False)),
    # a declared variant: optional leading verb
    ("实现财政总收入", "元", "level", ("财政总收入", True)),
    ("完成规模以上工业总产值", "元", "level", ("规上工业总产值", True)),
    # the longer phrase is another indicator, not the shorter alias inside it
    ("非税财政总收入", "元", "level", ("非税财政总收入", False)),
    # growth of a catalogued indicator maps; a rate of a count indicator does not
    ("财政总收入", "%", "yoy_pct", ("财政总收入", True)),
    ("信访件办结率", "%", "rate", ("信访件办结率", False)),
    # the unit must fit: 信访 in 件 maps, in 次 or 人次 it is its own member, never summed with 件
    ("受理信访件", "件", "level", ("信访", True)),
    ("接访", "次", "level", ("接访（次）", False)),
    ("信访", "人次", "level", ("信访（人次）", False)),
    # money indicator stated in people never maps
    ("财政总收入", "人", "level", ("财政总收入（人）", False)),
    ("实际利用外资", "美元", "level", ("实际利用外资", True)),
    ("实际利用外资", "元", "level", ("实际利用外资（元）", False)),
])
def test_mapping(indicator: str, unit: str, measure: str, expected: tuple[str, bool]) -> None:
    assert _map(indicator, unit, measure) == expected


@pytest.mark.parametrize("unit, measure, kind, units, fits", [
    ("元", "level", "currency", "元", True),
    ("美元", "level", "currency", "元", False),
    ("%", "yoy_pct", "currency", "元", True),
    ("个", "yoy_pct", "count", "个", False),
    ("%", "rate", "count", "件", False),
    ("%", "rate", "percent", "", True),
    ("人", "level", "people", "", True),
    ("人次", "level", "people", "", False),
    (None, "level", "currency", "元", True),
])
def test_unit_fits(unit, measure, kind, units, fits) -> None:
    assert unit_fits(unit, measure, kind, units) is fits


def test_every_canonical_indicator_has_one_unit_rule_and_patterns_compile() -> None:
    cat = load_catalogue()
    assert cat.group_by("canonical_name").agg(pl.col("unit_kind").n_unique(), pl.col("units").n_unique()) \
        .filter((pl.col("unit_kind") > 1) | (pl.col("units") > 1)).height == 0
    assert set(cat["match"]) <= {"exact", "pattern"}
