"""Hash keys that are stable across processes, machines and library versions.

Polars' own `hash` changes between versions, so surrogate keys are md5 hex digests of the
natural key's parts joined by '|'. Computed once per distinct natural key, then joined back.
"""
from __future__ import annotations

import hashlib

import polars as pl

SEPARATOR = "|"


def md5_key(*parts: object) -> str:
    """md5 hex of the parts; None becomes the empty string so keys never fail on nulls."""
    joined = SEPARATOR.join("" if p is None else str(p) for p in parts)
    return hashlib.md5(joined.encode("utf-8")).hexdigest()


def with_md5_key(df: pl.DataFrame, name: str, columns: list[str]) -> pl.DataFrame:
    """Add column `name` = md5 of `columns`, hashing each distinct combination once."""
    if df.is_empty():
        return df.with_columns(pl.lit(None, dtype=pl.Utf8).alias(name))
    natural = pl.concat_str(
        [pl.col(c).cast(pl.Utf8).fill_null("") for c in columns], separator=SEPARATOR
    ).alias("_natural_key")
    distinct = df.select(natural).unique()
    digests = distinct.with_columns(
        pl.col("_natural_key")
        .map_elements(lambda s: hashlib.md5(s.encode("utf-8")).hexdigest(), return_dtype=pl.Utf8)
        .alias(name)
    )
    return df.with_columns(natural).join(digests, on="_natural_key", how="left").drop("_natural_key")
