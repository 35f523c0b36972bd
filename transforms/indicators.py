"""Indicator dimension: map indicator phrases as written (实现财政总收入, 规模以上工业总产值 …) to
canonical names from a reviewable catalogue, with a category for every phrase.

Data files (reviewed by people, not code):
- data/indicator_catalogue.csv: canonical_name, alias, category, match ('exact' | 'contains').
  A phrase equal to an alias maps to its canonical name; otherwise the longest 'contains' alias
  found inside the phrase wins (实现财政总收入 → 财政总收入).
- data/indicator_keywords.csv: keyword, category, weight (2 topical, 1 generic such as 项目, 小区,
  企业). Phrases not in the catalogue keep their own words as canonical name and get the category
  of the best keyword among their jieba tokens.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba
import polars as pl

DATA_DIR = Path(__file__).parent / "data"
CATALOGUE_CSV = DATA_DIR / "indicator_catalogue.csv"
KEYWORDS_CSV = DATA_DIR / "indicator_keywords.csv"
UNCATEGORISED = "其他"

_QUOTES = re.compile(r"[\s“”\"'‘’「」『』《》〈〉]")


def normalise_phrase(phrase: str) -> str:
    """Phrase used for matching: no whitespace or quotation marks (“12345”热线 → 12345热线)."""
    return _QUOTES.sub("", phrase)


@lru_cache(maxsize=1)
def load_catalogue() -> pl.DataFrame:
    """The catalogue, validated: one row per alias, match in {'exact','contains'}."""
    cat = pl.read_csv(CATALOGUE_CSV, schema_overrides={c: pl.Utf8 for c in
                                                       ("canonical_name", "alias", "category", "match")})
    bad = cat.filter(~pl.col("match").is_in(["exact", "contains"]) | pl.any_horizontal(pl.all().is_null()))
    if bad.height:
        raise ValueError(f"{CATALOGUE_CSV}: bad rows {bad.to_dicts()[:3]}")
    dup = cat.group_by("alias").agg(pl.col("canonical_name").n_unique().alias("n")).filter(pl.col("n") > 1)
    if dup.height:
        raise ValueError(f"{CATALOGUE_CSV}: aliases mapped to several canonical names: {dup['alias'].to_list()}")
    # One category per canonical name, so the dimension is consistent.
    multi = cat.group_by("canonical_name").agg(pl.col("category").n_unique().alias("n")).filter(pl.col("n") > 1)
    if multi.height:
        raise ValueError(f"{CATALOGUE_CSV}: canonical names with several categories: {multi['canonical_name'].to_list()}")
    return cat.with_columns(pl.col("alias").map_elements(normalise_phrase, return_dtype=pl.Utf8)).unique(
        subset=["alias"], keep="first", maintain_order=True)


@lru_cache(maxsize=1)
def load_keywords() -> dict[str, tuple[str, int]]:
    """keyword → (category, weight)."""
    kw = pl.read_csv(KEYWORDS_CSV, schema_overrides={"keyword": pl.Utf8, "category": pl.Utf8,
                                                     "weight": pl.Int64})
    if kw["keyword"].is_duplicated().any():
        raise ValueError(f"{KEYWORDS_CSV}: duplicate keywords {kw.filter(pl.col('keyword').is_duplicated())['keyword'].to_list()}")
    return {k: (c, w) for k, c, w in kw.select("keyword", "category", "weight").iter_rows()}


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    # A private tokenizer: our keywords must not change how other modules segment text.
    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    for w in load_keywords():
        tok.add_word(w, freq=20000)
    for a in load_catalogue()["alias"].to_list():
        tok.add_word(a, freq=20000)
    return tok


def keyword_category(phrase: str) -> str:
    """Category of a phrase from its keywords among its jieba tokens: topical before generic
    keywords (封控小区 → 疫情防控, not 城建), then the longest (most specific), then the rightmost
    (Chinese noun phrases end in their head). If no token is a keyword, the same rule over
    keywords occurring as substrings; else 其他."""
    kws = load_keywords()
    tokens = _tokenizer().lcut(phrase)
    hits: list[tuple[int, int, int, str]] = []
    pos = 0
    for tok in tokens:
        if tok in kws:
            cat, w = kws[tok]
            hits.append((w, len(tok), pos, cat))
        pos += len(tok)
    if not hits:
        for kw, (cat, w) in kws.items():
            i = phrase.rfind(kw)
            if i >= 0:
                hits.append((w, len(kw), i, cat))
    if not hits:
        return UNCATEGORISED
    return max(hits)[3]


def canonicalise_indicators(df: pl.DataFrame, column: str = "indicator") -> pl.DataFrame:
    """Add canonical_name (catalogue name, else the phrase itself), is_catalogued and category.
    Matching runs once per unique phrase (polars joins), then joins back to every row."""
    cat = load_catalogue()
    phrases = (
        df.select(pl.col(column).cast(pl.Utf8)).unique().drop_nulls()
        .with_columns(pl.col(column).map_elements(normalise_phrase, return_dtype=pl.Utf8).alias("_norm"))
    )
    exact = (
        phrases.join(cat.select(pl.col("alias").alias("_norm"), "canonical_name", "category"),
                     on="_norm", how="inner")
    )
    rest = phrases.join(exact.select(column), on=column, how="anti")
    contains = (
        rest.join(cat.filter(pl.col("match") == "contains")
                  .select("alias", "canonical_name", "category"), how="cross")
        .filter(pl.col("_norm").str.contains(pl.col("alias"), literal=True))
        .sort([column, pl.col("alias").str.len_chars()], descending=[False, True])
        .unique(subset=[column], keep="first", maintain_order=True)
        .drop("alias")
    )
    matched = pl.concat([exact, contains], how="diagonal").select(column, "canonical_name", "category") \
        .with_columns(pl.lit(True).alias("is_catalogued"))
    unmatched = phrases.join(matched.select(column), on=column, how="anti")
    unmatched = unmatched.with_columns(
        pl.col(column).alias("canonical_name"),
        pl.col("_norm").map_elements(keyword_category, return_dtype=pl.Utf8).alias("category"),
        pl.lit(False).alias("is_catalogued"),
    ).select(column, "canonical_name", "category", "is_catalogued")
    mapping = pl.concat([matched, unmatched], how="vertical_relaxed")
    out = df.drop([c for c in ("canonical_name", "category", "is_catalogued") if c in df.columns])
    out = out.join(mapping, on=column, how="left", maintain_order="left")
    return out.with_columns(pl.col("is_catalogued").fill_null(False))

