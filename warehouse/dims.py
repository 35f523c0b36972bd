"""The unit dimension: which canonical unit is what kind of quantity.

The project's unit table (transforms/data/units.csv: written, unit, factor, kind) is the one
source of canonical units and their kinds; its `kind` column uses dim_unit.unit_kind's vocabulary.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import polars as pl

from transforms.units import load_units
from warehouse.keys import md5_expr

# dim_unit.unit_kind vocabulary (see the column comment in schema.sql).
UNIT_KIND_VOCABULARY: frozenset[str] = frozenset({
    "currency", "people", "person_times", "area", "length", "mass", "volume", "percent",
    "percentage_point", "count", "duration", "rate", "power", "energy", "other",
})
MAGNITUDE_PREFIXES = tuple("万亿千百十")


@lru_cache(maxsize=1)
def known_unit_kinds() -> dict[str, str]:
    """Canonical unit → unit_kind, from the unit table (a kind outside the vocabulary is 'other')."""
    table = load_units().group_by("unit", maintain_order=True).agg(pl.col("kind").first())
    return {unit: kind if kind in UNIT_KIND_VOCABULARY else "other" for unit, kind in table.iter_rows()}


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
