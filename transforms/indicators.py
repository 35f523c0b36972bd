"""Indicator dimension: map indicator phrases as written (实现财政总收入, 规模以上工业总产值 …) to
canonical names from a reviewable catalogue, with a category for every phrase.

Precise before broad. Data files (reviewed by people, not code):
- data/indicator_catalogue.csv: canonical_name, alias, category, match, unit_kind, units.
  match 'exact': the whole phrase (quotes and spaces aside) equals the alias; 'pattern': the
  alias is a regular expression the whole phrase must match (declared variants such as an
  optional leading 实现/完成). Never a substring: 推出就业岗位 (job-fair vacancies) is not
  新增就业岗位. unit_kind / units: the canonical indicator's unit kind and, for counts, the
  measure words it is counted in ('|'-separated; empty = any unit of the kind). A fact whose
  unit does not fit never maps: 信访 in 件 maps, 信访 in 次 stays its own member (信访（次）),
  so counts in different units are never added up. A growth rate (yoy_pct) of a catalogued
  indicator maps whatever its indicator's unit (it is a percent of it); a rate maps only to a
  percent-kind indicator.
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


MATCH_KINDS = ("exact", "pattern")
CATALOGUE_COLUMNS = ("canonical_name", "alias", "category", "match", "unit_kind", "units")
# measures that are a percent of their indicator, whatever the indicator's own unit
_GROWTH_MEASURES = ("yoy_pct",)
_PERCENT_KINDS = ("percent", "percentage_point")


@lru_cache(maxsize=1)
def load_catalogue() -> pl.DataFrame:
    """The catalogue, validated: match in MATCH_KINDS, patterns compile, an alias names one
    canonical indicator, one category and one unit rule per canonical name."""
    cat = pl.read_csv(CATALOGUE_CSV, schema_overrides={c: pl.Utf8 for c in CATALOGUE_COLUMNS})
    if tuple(cat.columns) != CATALOGUE_COLUMNS:
        raise ValueError(f"{CATALOGUE_CSV}: columns must be {CATALOGUE_COLUMNS}, not {tuple(cat.columns)}")
    cat = cat.with_columns(pl.col("units").fill_null(""))
    bad = cat.filter(~pl.col("match").is_in(MATCH_KINDS)
                     | pl.any_horizontal(pl.exclude("units").is_null()))
    if bad.height:
        raise ValueError(f"{CATALOGUE_CSV}: bad rows {bad.to_dicts()[:3]}")
    for alias in cat.filter(pl.col("match") == "pattern")["alias"]:
        try:
            re.compile(alias)
        except re.error as exc:
            raise ValueError(f"{CATALOGUE_CSV}: pattern {alias!r} does not compile: {exc}") from exc
    dup = cat.group_by("alias").agg(pl.col("canonical_name").n_unique().alias("n")).filter(pl.col("n") > 1)
    if dup.height:
        raise ValueError(f"{CATALOGUE_CSV}: aliases mapped to several canonical names: {dup['alias'].to_list()}")
    for column in ("category", "unit_kind", "units"):
        multi = cat.group_by("canonical_name").agg(pl.col(column).n_unique().alias("n")).filter(pl.col("n") > 1)
        if multi.height:
            raise ValueError(f"{CATALOGUE_CSV}: canonical names with several {column}: "
                             f"{multi['canonical_name'].to_list()}")
    return cat.with_columns(
        pl.when(pl.col("match") == "exact").then(pl.col("alias").map_elements(normalise_phrase, return_dtype=pl.Utf8))
        .otherwise(pl.col("alias")).alias("alias")
    ).unique(subset=["alias"], keep="first", maintain_order=True).with_row_index("_order")


@lru_cache(maxsize=1)
def unit_kinds() -> dict[str, str]:
    """Canonical unit → kind, from the unit table (a measure word it lacks counts as 'count')."""
    from transforms.units import load_units

    return dict(load_units().select("unit", "kind").unique(subset="unit", keep="first").iter_rows())


@lru_cache(maxsize=1)
def load_keywords() -> dict[str, tuple[str, int]]:
    """keyword → (category, weight)."""
    kw = pl.read_csv(KEYWORDS_CSV, schema_overrides={"keyword": pl.Utf8, "category": pl.Utf8,
                                                     "weight": pl.Int64})
    if kw["keyword"].is_duplicated().any():
        raise ValueError(f"{KEYWORDS_CSV}: duplicate keywords {kw.filter(pl.col('keyword').is_duplicated())['keyword'].to_list()}")
    return {k: (c, w) for k, c, w in kw.select("keyword", "category", "weight").iter_rows()}


class _OverlayFrequencies(dict):
    """Word frequencies: this dict's own entries over a shared base dictionary it never writes.

    A second jieba.Tokenizer loading the default dictionary costs 120 MB per process (measured:
    RSS after `_tokenizer()`), in the main process and in every Dask worker; over the default
    tokenizer's table, only our few thousand words are new. jieba reads the table with `in`,
    `[]` and `.get`; writes (add_word) land here. Words added to the default tokenizer later
    would show through (and its total would not follow): nothing may add words to jieba.dt.
    """

    __slots__ = ("base",)

    def __init__(self, base: dict[str, int]) -> None:
        super().__init__()
        self.base = base

    def __missing__(self, word: str) -> int:
        return self.base[word]

    def __contains__(self, word: object) -> bool:
        return dict.__contains__(self, word) or word in self.base

    def get(self, word: str, default: int | None = None) -> int | None:  # type: ignore[override]
        if dict.__contains__(self, word):
            return dict.__getitem__(self, word)
        return self.base.get(word, default)


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    # A private tokenizer: our keywords must not change how other modules segment text. It reads
    # the default tokenizer's dictionary through an overlay instead of loading its own copy.
    jieba.setLogLevel(logging.WARNING)
    jieba.dt.check_initialized()
    tok = jieba.Tokenizer()
    tok.FREQ, tok.total, tok.initialized = _OverlayFrequencies(jieba.dt.FREQ), jieba.dt.total, True
    for w in load_keywords():
        tok.add_word(w, freq=20000)
    cat = load_catalogue()
    for a in cat.filter(pl.col("match") == "exact")["alias"].to_list() + cat["canonical_name"].unique().to_list():
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


def _phrase_matches(phrases: pl.DataFrame, cat: pl.DataFrame) -> pl.DataFrame:
    """(_norm, canonical_name, category, unit_kind, units) for every phrase matching an alias
    whole; exact aliases first, then patterns in catalogue order; one match per phrase."""
    rule = ["canonical_name", "category", "unit_kind", "units", "_order"]
    exact = phrases.join(cat.filter(pl.col("match") == "exact").select(pl.col("alias").alias("_norm"), *rule),
                         on="_norm", how="inner").with_columns(_rank=pl.lit(0))
    patterned = [
        phrases.filter(pl.col("_norm").str.contains(f"^(?:{row['alias']})$"))
        .with_columns(*(pl.lit(row[c]).alias(c) for c in rule), _rank=pl.lit(1))
        for row in cat.filter(pl.col("match") == "pattern").iter_rows(named=True)
    ]
    found = pl.concat([exact, *patterned], how="vertical_relaxed") if patterned else exact
    return found.sort("_rank", "_order").unique(subset="_norm", keep="first", maintain_order=True) \
        .select("_norm", *rule[:-1])


def unit_fits(unit: str | None, measure: str | None, unit_kind: str, units: str) -> bool:
    """Whether a fact in `unit` with `measure` can be a value of a canonical indicator of
    `unit_kind` counted in `units` ('|'-separated; empty = any unit of the kind)."""
    if unit is None:
        return True  # nothing to check against (a phrase-only lookup)
    kind = unit_kinds().get(unit, "count")
    if measure in _GROWTH_MEASURES:
        return kind in _PERCENT_KINDS
    if measure == "rate" and unit_kind not in _PERCENT_KINDS:
        return False
    allowed = [u for u in units.split("|") if u]
    return unit in allowed if allowed else kind == unit_kind


def canonicalise_indicators(df: pl.DataFrame, column: str = "indicator", unit_col: str = "unit",
                            measure_col: str = "measure") -> pl.DataFrame:
    """Add canonical_name (catalogue name, else the phrase itself), is_catalogued and category.

    A phrase maps when it matches an alias whole and the fact's unit fits the canonical
    indicator (unit_col / measure_col, when the frame has them). A phrase that matches but whose
    unit does not fit keeps its own words plus the unit as canonical name (信访（次）), so it
    never shares a member with the catalogued indicator. Matching runs once per unique phrase
    (vectorised, one pass per pattern), then joins back to every row."""
    cat = load_catalogue()
    keys = [c for c in (column, unit_col, measure_col) if c in df.columns]
    combos = df.select([pl.col(c).cast(pl.Utf8) for c in keys]).unique().filter(pl.col(column).is_not_null())
    phrases = combos.select(column).unique().with_columns(
        pl.col(column).map_elements(normalise_phrase, return_dtype=pl.Utf8).alias("_norm"))
    matched = phrases.join(_phrase_matches(phrases.select("_norm").unique(), cat), on="_norm", how="left")
    rows = combos.join(matched, on=column, how="left")
    fits = [
        r["canonical_name"] is not None and unit_fits(r.get(unit_col), r.get(measure_col), r["unit_kind"], r["units"])
        for r in rows.iter_rows(named=True)
    ]
    rows = rows.with_columns(pl.Series("is_catalogued", fits, dtype=pl.Boolean))
    unfit_name = pl.format("{}（{}）", pl.col(column), pl.col(unit_col)) if unit_col in keys else pl.col(column)
    categories = {p: keyword_category(n) for p, n in
                  rows.filter(~pl.col("is_catalogued")).select(column, "_norm").unique().iter_rows()}
    mapping = rows.with_columns(
        canonical_name=pl.when(pl.col("is_catalogued")).then(pl.col("canonical_name"))
        .when(pl.col("canonical_name").is_not_null() & pl.col(unit_col if unit_col in keys else column).is_not_null())
        .then(unfit_name).otherwise(pl.col(column)),
        category=pl.when(pl.col("is_catalogued")).then(pl.col("category"))
        .otherwise(pl.col(column).replace_strict(categories, default=UNCATEGORISED, return_dtype=pl.Utf8)),
    ).select(*keys, "canonical_name", "category", "is_catalogued")
    out = df.drop([c for c in ("canonical_name", "category", "is_catalogued") if c in df.columns])
    out = out.with_columns([pl.col(c).cast(pl.Utf8).alias(f"_k_{c}") for c in keys])
    out = out.join(mapping.rename({c: f"_k_{c}" for c in keys}), on=[f"_k_{c}" for c in keys], how="left",
                   nulls_equal=True, maintain_order="left").drop([f"_k_{c}" for c in keys])
    return out.with_columns(pl.col("is_catalogued").fill_null(False))
