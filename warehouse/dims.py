"""Small builders for dimension frames whose content is pure convention (units)."""
from __future__ import annotations

from typing import Iterable

import polars as pl

from warehouse.keys import md5_expr

# Canonical units (GUIDELINES.md) → unit_kind. Anything else is a measure word ('count') unless
# it looks like a per-unit amount (has '/': 'rate') or carries a magnitude prefix ('other',
# which the expectations reject).
UNIT_KINDS: dict[str, str] = {
    "元": "currency", "美元": "currency", "欧元": "currency", "港元": "currency", "日元": "currency",
    "英镑": "currency",
    "人": "people", "人次": "person_times",
    "平方米": "area", "米": "length", "毫米": "length", "吨": "mass", "立方米": "volume",
    "%": "percent", "百分点": "percentage_point",
    "天": "duration", "小时": "duration", "年": "duration", "月": "duration", "周": "duration",
    "分钟": "duration", "岁": "duration",
}
MAGNITUDE_PREFIXES = tuple("万亿千百十")


def unit_kind(unit: str | None) -> str:
    """The unit_kind of a canonical unit (see dim_unit.unit_kind)."""
    if not unit:
        return "other"
    if unit in UNIT_KINDS:
        return UNIT_KINDS[unit]
    if unit.startswith(MAGNITUDE_PREFIXES):
        return "other"
    if "/" in unit:
        return "rate"
    if all("\u4e00" <= ch <= "\u9fff" for ch in unit) and len(unit) <= 3:
        return "count"
    return "other"


def dim_unit_frame(units: Iterable[str | None]) -> pl.DataFrame:
    """dim_unit rows (unit_key, unit, unit_kind) for the distinct non-null units given."""
    distinct = sorted({u for u in units if u})
    return pl.DataFrame({"unit": distinct}, schema={"unit": pl.Utf8}).with_columns(
        unit_key=md5_expr("unit"),
        unit_kind=pl.Series([unit_kind(u) for u in distinct], dtype=pl.Utf8),
    ).select("unit_key", "unit", "unit_kind")
