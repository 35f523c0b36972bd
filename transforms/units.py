"""Unit table (data/units.csv) and the polars normalisation of raw mentions.

A written unit is an optional multiplier prefix (万, 亿, 千万 …) plus a base unit looked up in
the table; unknown base units are kept as written with factor 1, never dropped.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import polars as pl

UNITS_CSV = Path(__file__).parent / "data" / "units.csv"
VALUE_DTYPE = pl.Decimal(38, 6)
MULTIPLIERS = {"千": "1000", "万亿": "1000000000000", "千万": "10000000", "百万": "1000000", "十万": "100000", "万": "10000", "亿": "100000000"}
MULTIPLIER_PATTERN = "万亿|千万|百万|十万|万|亿"


@lru_cache(maxsize=1)
def load_units() -> pl.DataFrame:
    """written, unit, factor (Decimal), kind, after_chinese_numeral (bool)."""
    return pl.read_csv(UNITS_CSV, schema_overrides={"factor": pl.Utf8}).with_columns(
        pl.col("factor").str.to_decimal(scale=6).cast(VALUE_DTYPE),
        pl.col("after_chinese_numeral").cast(pl.Boolean),
    )


def _percent_units() -> frozenset[str]:
    return frozenset(load_units().filter(pl.col("kind") == "percent")["written"].to_list())


def written_units(after_chinese_numeral: bool = False) -> list[str]:
    """Written base units, longest first so a regex alternation prefers 人次 over 人."""
    table = load_units()
    if after_chinese_numeral:
        table = table.filter(pl.col("after_chinese_numeral"))
    return sorted(table["written"].to_list(), key=len, reverse=True)


def normalise_units(mentions: pl.DataFrame) -> pl.DataFrame:
    """Add `value` (Decimal) and `unit` from `numeral` (decimal string), `unit_written`, `sign`."""
    units = load_units().select("written", pl.col("unit").alias("_unit"), pl.col("factor").alias("_factor"))
    # 千 multiplies only where the scanner allows it (4千余人次); 千米/千克/千瓦 are units of their own
    prefix = (pl.when(pl.col("unit_written").is_in(load_units()["written"].implode()))
              .then(pl.lit(None, dtype=pl.Utf8))
              .otherwise(pl.col("unit_written").str.extract(f"^({MULTIPLIER_PATTERN}|千)", 1)))
    return (
        mentions.with_columns(
            _prefix=prefix,
            _base=pl.when(prefix.is_not_null() & (pl.col("unit_written").str.len_chars() > prefix.str.len_chars()))
            .then(pl.col("unit_written").str.slice(prefix.str.len_chars()))
            .otherwise(pl.col("unit_written")),
        )
        .with_columns(
            # a lone prefix-looking unit (e.g. written 万) has no base: treat it as the base
            _prefix=pl.when(pl.col("_base") == pl.col("unit_written")).then(None).otherwise(pl.col("_prefix"))
        )
        .join(units, left_on="_base", right_on="written", how="left", maintain_order="left")
        .with_columns(
            unit=pl.coalesce(pl.col("_unit"), pl.col("_base")),
            _mult=pl.col("_prefix").replace_strict(MULTIPLIERS, default="1", return_dtype=pl.Utf8)
            .str.to_decimal(scale=6).cast(VALUE_DTYPE),
            _factor=pl.col("_factor").fill_null(pl.lit(1).cast(VALUE_DTYPE)),
        )
        .with_columns(
            value=(pl.col("numeral").str.to_decimal(scale=6).cast(VALUE_DTYPE) * pl.col("_mult") * pl.col("_factor")
                   * pl.col("sign").cast(VALUE_DTYPE)).cast(VALUE_DTYPE)
        )
        .drop("_prefix", "_base", "_unit", "_factor", "_mult")
    )


# written units of kind percent (%, ％, ‰, 成): a number in one is a rate or a growth rate
PERCENT_UNITS: frozenset[str] = _percent_units()
