"""The unit dimension: which canonical unit is what kind of quantity.

The project's unit table (transforms/data/units.csv: written, unit, factor, kind) is the source
of canonical units; its kinds are mapped onto dim_unit's documented vocabulary (weight → mass,
age → duration, points → percentage_point, 人次 → person_times). GUIDELINES.md units are built in
too, so this works without the table.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path
from typing import Iterable

import polars as pl

from warehouse.keys import md5_expr

UNITS_CSV = Path(__file__).resolve().parent.parent / "transforms" / "data" / "units.csv"

# dim_unit.unit_kind vocabulary. power/energy are not in the original brief; the unit table has
# 千瓦/兆瓦/千瓦时 (solar and grid projects), which are canonical but none of the other kinds.
UNIT_KIND_VOCABULARY: frozenset[str] = frozenset({
    "currency", "people", "person_times", "area", "length", "mass", "volume", "percent",
    "percentage_point", "count", "duration", "rate", "power", "energy", "other",
})
_KIND_SYNONYMS = {"weight": "mass", "age": "duration", "points": "percentage_point"}

# GUIDELINES.md canonical units (always known, whatever the table says).
BUILTIN_UNIT_KINDS: dict[str, str] = {
    "元": "currency", "美元": "currency", "欧元": "currency", "港元": "currency", "日元": "currency",
    "英镑": "currency",
    "人": "people", "人次": "person_times",
    "平方米": "area", "米": "length", "毫米": "length", "吨": "mass", "立方米": "volume",
    "%": "percent", "百分点": "percentage_point",
    "天": "duration", "小时": "duration", "年": "duration", "月": "duration", "周": "duration",
    "分钟": "duration", "岁": "duration",
}
MAGNITUDE_PREFIXES = tuple("万亿千百十")


def _vocabulary_kind(unit: str, kind: str) -> str:
    if unit == "人次":
        return "person_times"
    kind = _KIND_SYNONYMS.get(kind, kind)
    return kind if kind in UNIT_KIND_VOCABULARY else "other"


@lru_cache(maxsize=1)
def known_unit_kinds() -> dict[str, str]:
    """Canonical unit → unit_kind, from the project's unit table plus the built-in GUIDELINES units."""
    kinds: dict[str, str] = {}
    if UNITS_CSV.exists():
        with UNITS_CSV.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                unit, kind = row.get("unit"), row.get("kind")
                if unit and kind and unit not in kinds:
                    kinds[unit] = _vocabulary_kind(unit, kind)
    kinds.update(BUILTIN_UNIT_KINDS)
    return kinds


def canonical_units() -> frozenset[str]:
    """Canonical units that are not measure words (unit_kind other than count)."""
    return frozenset(u for u, k in known_unit_kinds().items() if k not in ("count", "rate", "other"))


def unit_kind(unit: str | None) -> str:
    """The unit_kind of a canonical unit (see dim_unit.unit_kind).

    Unknown units: a magnitude prefix (万元, 万个) → 'other' (the expectations reject it); 'x/y' →
    'rate' (per-unit amount); 1–3 Chinese characters → 'count' (a measure word); else 'other'.
    """
    if not unit:
        return "other"
    known = known_unit_kinds()
    if unit in known:
        return known[unit]
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
