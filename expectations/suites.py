"""Expectation suites in code: one per warehouse table, as declarative lists.

Each ExpectationSpec names a Great Expectations class (built lazily: importing GX takes 4–5 s),
its kwargs, and whether it is *row-level*: a fact failing a row-level expectation is quarantined
(one quarantine row per failing expectation) instead of loaded. Non-row-level expectations are
only reported (dq_expectation_result, Data Docs) and make the run's validation unsuccessful.

GX has no cross-column or cross-frame checks we need (containment, dimension membership,
first-occurrence), so validate.py computes boolean *helper columns* before validation and the
suites expect them to be True; the helper's name says what it means.

Canonical units (GUIDELINES.md): a unit is canonical when
  - it is not a measure word/per-unit amount (dim_unit.unit_kind not in count, rate) and is in
    CANONICAL_UNITS; or
  - it is a measure word (unit_kind 'count', e.g. 个 户 家次) of 1–3 CJK characters; or
  - it is a per-unit amount (unit_kind 'rate', e.g. 元/月) whose numerator is canonical;
  and in every case it carries no magnitude prefix (万, 亿, 千, 百, 十) — 万元, 亿元, 万人 and
  万个 always fail, whatever unit_kind says.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from warehouse.dims import MAGNITUDE_PREFIXES, UNIT_KIND_VOCABULARY, canonical_units

# Canonical units other than measure words (unit_kind 'count') and per-unit amounts ('rate'):
# GUIDELINES.md (元 and other currencies, %, 人, 人次, 平方米, 米, 吨, 百分点, 立方米, durations, and
# 毫米 as the gold standard keeps rainfall) plus the non-count units of transforms/data/units.csv.
CANONICAL_UNITS: frozenset[str] = canonical_units()
UNIT_KINDS: frozenset[str] = UNIT_KIND_VOCABULARY
MEASURES: frozenset[str] = frozenset({"level", "yoy_pct", "rate", "change"})
QUALIFIERS: frozenset[str] = frozenset({"exact", "approx", "more_than", "less_than"})
PERIOD_TYPES: frozenset[str] = frozenset(
    {"annual", "H1", "Q1", "Q2", "Q3"} | {f"M{m}" for m in range(1, 12)}
)
REGION_SOURCES: frozenset[str] = frozenset({"manifest", "inferred", "unknown"})

# A magnitude prefix means an unconverted value (万元, 亿元, 万人, 万个) — except canonical units
# that happen to start with such a character (百分点, 千瓦, 千瓦时).
_PREFIXED_CANONICAL = sorted((u for u in CANONICAL_UNITS if u.startswith(MAGNITUDE_PREFIXES)), key=len, reverse=True)
MAGNITUDE_PREFIX_REGEX = (
    (r"^(?!(?:" + "|".join(_PREFIXED_CANONICAL) + r")$)" if _PREFIXED_CANONICAL else "^")
    + "[" + "".join(MAGNITUDE_PREFIXES) + "]"
)
# A measure word, optionally with its alternative in brackets (头（只）: livestock counted in head or each).
MEASURE_WORD_REGEX = r"^[\u4e00-\u9fff]{1,3}(?:（[\u4e00-\u9fff]{1,2}）)?$"
PER_UNIT_REGEX = r"^(?:" + "|".join(sorted(CANONICAL_UNITS - {"%"})) + r"|[\u4e00-\u9fff]{1,2})/.+$"

# Rates are usually 0–100 %, but 完成率 (plan fulfilment) legitimately exceeds 100 a little;
# 150 is the plausibility cap. Growth below -100 % is impossible; above 1000 % is implausible.
RATE_MAX_PERCENT = 150
YOY_MIN_PERCENT = -100
YOY_MAX_PERCENT = 1000


@dataclass(frozen=True)
class ExpectationSpec:
    """One expectation: short stable name, GX class name, kwargs, row-level flag, description.

    `reason` is a str.format template over the failing row (fact columns + helper columns) that
    becomes quarantine_fact.reason.
    """
    name: str
    gx_class: str
    kwargs: dict[str, Any]
    row_level: bool
    description: str
    reason: str = ""

    @property
    def column(self) -> str | None:
        return self.kwargs.get("column") or self.kwargs.get("column_A")

    def build(self) -> Any:
        """The GX expectation object (imports GX)."""
        import great_expectations as gx

        cls = getattr(gx.expectations, self.gx_class)
        return cls(**self.kwargs, meta={"name": self.name, "row_level": self.row_level},
                   description=f"[{self.name}] {self.description}")


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    table: str
    expectations: tuple[ExpectationSpec, ...] = field(default_factory=tuple)


def _where(condition: str) -> dict[str, str]:
    # pandas row conditions (DataFrame.query syntax) restrict an expectation to some rows.
    return {"row_condition": condition, "condition_parser": "pandas"}


def _not_null(column: str, row_level: bool, what: str) -> ExpectationSpec:
    return ExpectationSpec(
        f"{column}_not_null", "ExpectColumnValuesToNotBeNull", {"column": column}, row_level,
        f"{column} is present ({what}).", f"{column} is missing",
    )


def _unique(column: str, what: str) -> ExpectationSpec:
    return ExpectationSpec(f"{column}_unique", "ExpectColumnValuesToBeUnique", {"column": column},
                           False, f"{column} is unique ({what}).")


def _in_set(name: str, column: str, values: frozenset[str], row_level: bool, description: str,
            reason: str = "", **extra: Any) -> ExpectationSpec:
    return ExpectationSpec(name, "ExpectColumnValuesToBeInSet",
                           {"column": column, "value_set": sorted(values), **extra},
                           row_level, description, reason)


def _is_true(helper: str, description: str, reason: str) -> ExpectationSpec:
    """Row-level check of a boolean helper column computed in validate.py."""
    return ExpectationSpec(helper, "ExpectColumnValuesToBeInSet",
                           {"column": helper, "value_set": [True]}, True, description, reason)


FACT_SUITE = SuiteSpec("fact_indicator", "fact_indicator", (
    _not_null("fact_key", True, "md5 of report_key|value_start|value_end|measure|unit|indicator_text"),
    _is_true("fact_key_unique",
             "fact_key is unique: the second and later facts with the same key (same report, "
             "offsets, measure and unit) are duplicates.",
             "duplicate fact_key {fact_key}"),
    _not_null("report_key", True, "every fact belongs to a report version"),
    _not_null("value", True, "a fact is a number"),
    _not_null("raw_value", True, "the number as written"),
    _not_null("evidence", True, "the clause holding the number"),
    _not_null("unit", True, "canonical unit"),
    _not_null("plan", True, "plan or achievement"),
    _in_set("measure_in_set", "measure", MEASURES, True,
            "measure is one of level, yoy_pct, rate, change.", "measure {measure!r} is not allowed"),
    _in_set("qualifier_in_set", "qualifier", QUALIFIERS, True,
            "qualifier is one of exact, approx, more_than, less_than.",
            "qualifier {qualifier!r} is not allowed"),
    ExpectationSpec(
        "unit_has_no_magnitude_prefix", "ExpectColumnValuesToNotMatchRegex",
        {"column": "unit", "regex": MAGNITUDE_PREFIX_REGEX}, True,
        "unit carries no magnitude prefix: values are in canonical units (8.63亿元 → 863000000 元), "
        "so 万元, 亿元, 万人, 万个 are never stored.",
        "unit {unit!r} has a magnitude prefix (value {value} not converted to canonical units)"),
    _in_set("unit_is_canonical", "unit", CANONICAL_UNITS, True,
            "unit is a canonical unit (元, %, 人, 人次, 平方米, 米, 吨, 美元, 百分点, 立方米, durations, and "
            "the other non-count units of the unit table) "
            "unless it is a measure word (unit_kind count) or a per-unit amount (unit_kind rate).",
            "unit {unit!r} (unit_kind {unit_kind}) is not a canonical unit",
            **_where('unit_kind not in ["count", "rate"]')),
    ExpectationSpec(
        "measure_word_is_short", "ExpectColumnValuesToMatchRegex",
        {"column": "unit", "regex": MEASURE_WORD_REGEX, **_where('unit_kind == "count"')}, True,
        "a measure-word unit (unit_kind count: 个, 户, 家次) is 1–3 Chinese characters.",
        "measure word {unit!r} is not 1–3 Chinese characters"),
    ExpectationSpec(
        "per_unit_amount_is_canonical", "ExpectColumnValuesToMatchRegex",
        {"column": "unit", "regex": PER_UNIT_REGEX, **_where('unit_kind == "rate"')}, True,
        "a per-unit amount (unit_kind rate: 元/月, 元/人) has a canonical numerator.",
        "per-unit amount {unit!r} has no canonical numerator"),
    _in_set("percent_measures_use_percent", "unit", frozenset({"%", "‰"}), True,
            "yoy_pct and rate facts are in percent (unit %), or per mille (‰) as written.",
            "{measure} fact has unit {unit!r} instead of % or ‰",
            **_where('measure in ["yoy_pct", "rate"]')),
    ExpectationSpec(
        "rate_percent_plausible", "ExpectColumnValuesToBeBetween",
        {"column": "value", "min_value": 0, "max_value": RATE_MAX_PERCENT,
         **_where('unit == "%" and measure == "rate"')}, True,
        f"a percentage rate is between 0 and {RATE_MAX_PERCENT} (over 100 only for plan "
        "fulfilment such as 完成率).",
        "rate {value}% is outside 0–" + str(RATE_MAX_PERCENT)),
    ExpectationSpec(
        "yoy_pct_plausible", "ExpectColumnValuesToBeBetween",
        {"column": "value", "min_value": YOY_MIN_PERCENT, "max_value": YOY_MAX_PERCENT,
         **_where('measure == "yoy_pct"')}, True,
        f"year-on-year growth is between {YOY_MIN_PERCENT} % and {YOY_MAX_PERCENT} %.",
        "growth {value}% is outside " + f"{YOY_MIN_PERCENT}–{YOY_MAX_PERCENT}"),
    ExpectationSpec(
        "level_non_negative", "ExpectColumnValuesToBeBetween",
        {"column": "value", "min_value": 0, **_where('measure == "level"')}, True,
        "a level (amount or count) is not negative; decreases are measure change or yoy_pct.",
        "level value {value} is negative"),
    _is_true("raw_value_in_evidence",
             "raw_value occurs verbatim in evidence (helper column: evidence contains raw_value).",
             "raw_value {raw_value!r} is not in evidence {evidence!r}"),
    _is_true("report_key_in_dim_report",
             "report_key is a report of this run (helper column: membership in the reports frame).",
             "report_key {report_key} is not among the run's reports"),
    _is_true("indicator_key_in_dim_indicator",
             "indicator_key exists in dim_indicator (helper column: set membership).",
             "indicator_key {indicator_key} ({indicator_text!r}) is not in dim_indicator"),
    _is_true("unit_key_in_dim_unit",
             "unit_key exists in dim_unit (helper column: set membership).",
             "unit_key {unit_key} (unit {unit!r}) is not in dim_unit"),
    _is_true("period_key_in_dim_period",
             "period_key exists in dim_period (helper column: set membership).",
             "period_key {period_key} (period_text {period_text!r}) is not in dim_period"),
    _is_true("region_code_in_dim_region",
             "region_code is an official street or the unknown member 000000000 (helper column: "
             "membership in dim_region; checked only when the flow passes dim_region).",
             "region_code {region_code!r} is not in dim_region"),
    ExpectationSpec(
        "value_span_inside_evidence_span", "ExpectColumnValuesToBeInSet",
        {"column": "value_span_inside_evidence_span", "value_set": [True]}, False,
        "the raw_value offsets lie inside the evidence offsets and evidence_end - evidence_start "
        "equals the evidence length (helper column; reported, not quarantined).",
        "offsets of raw_value/evidence are inconsistent"),
))

DIM_REPORT_SUITE = SuiteSpec("dim_report", "dim_report", (
    _not_null("report_key", False, "md5 of content_sha256"),
    _unique("report_key", "one row per report version"),
    _not_null("content_sha256", False, "identifies the content"),
    _unique("content_sha256", "one version per content"),
    _not_null("report_id", False, "md5 of file_name"),
    _not_null("file_name", False, "where the content came from"),
    ExpectationSpec("report_region_code_is_official_code", "ExpectColumnValuesToMatchRegex",
                    {"column": "region_code", "regex": r"^(?:\d{2}|\d{4}|\d{6}|\d{9})$"}, False,
                    "region_code is an official code at the report's level: 2, 4, 6 or 9 digits "
                    "(000000000 when unknown)."),
    _in_set("region_source_in_set", "region_source", REGION_SOURCES, False,
            "region_source is manifest, inferred or unknown."),
    _in_set("report_period_type_in_set", "period_type", PERIOD_TYPES, False,
            "period_type is annual, H1, Q1–Q3 or M1–M11."),
    ExpectationSpec("report_year_plausible", "ExpectColumnValuesToBeBetween",
                    {"column": "report_year", "min_value": 2000, "max_value": 2100}, False,
                    "report_year is between 2000 and 2100."),
    ExpectationSpec("char_count_positive", "ExpectColumnValuesToBeBetween",
                    {"column": "char_count", "min_value": 1}, False,
                    "the decoded text is not empty."),
))

DIM_INDICATOR_SUITE = SuiteSpec("dim_indicator", "dim_indicator", (
    _not_null("indicator_key", False, "md5 of canonical_name"),
    _unique("indicator_key", "one row per indicator"),
    _not_null("canonical_name", False, "what is measured"),
    _unique("canonical_name", "the key is derived from it"),
    _not_null("is_catalogued", False, "catalogue membership"),
))

DIM_UNIT_SUITE = SuiteSpec("dim_unit", "dim_unit", (
    _not_null("unit_key", False, "md5 of unit"),
    _unique("unit_key", "one row per unit"),
    _not_null("unit", False, "canonical unit"),
    _unique("unit", "the key is derived from it"),
    _in_set("unit_kind_in_set", "unit_kind", UNIT_KINDS, False,
            "unit_kind is one of " + ", ".join(sorted(UNIT_KINDS)) + "."),
    ExpectationSpec("dim_unit_has_no_magnitude_prefix", "ExpectColumnValuesToNotMatchRegex",
                    {"column": "unit", "regex": MAGNITUDE_PREFIX_REGEX}, False,
                    "dimension units are canonical: no 万/亿/千/百/十 prefix."),
))

DIM_PERIOD_SUITE = SuiteSpec("dim_period", "dim_period", (
    _not_null("period_key", False, "md5 of report_year|period_text|period_type"),
    _unique("period_key", "one row per period"),
    ExpectationSpec("period_end_not_before_start", "ExpectColumnPairValuesAToBeGreaterThanB",
                    {"column_A": "end_date", "column_B": "start_date", "or_equal": True,
                     "ignore_row_if": "either_value_is_missing"}, False,
                    "end_date is on or after start_date."),
))

DIM_REGION_SUITE = SuiteSpec("dim_region", "dim_region", (
    _not_null("region_code", False, "official code"),
    _unique("region_code", "one row per division"),
    ExpectationSpec("region_code_is_official_code", "ExpectColumnValuesToMatchRegex",
                    {"column": "region_code", "regex": r"^(?:\d{2}|\d{4}|\d{6}|\d{9})$"}, False,
                    "region_code is an official code: 2 (province), 4 (prefecture), 6 (county) or "
                    "9 (township) digits."),
    _not_null("region_name", False, "official name"),
))

SUITES: tuple[SuiteSpec, ...] = (
    FACT_SUITE, DIM_REPORT_SUITE, DIM_INDICATOR_SUITE, DIM_UNIT_SUITE, DIM_PERIOD_SUITE,
    DIM_REGION_SUITE,
)


def suite_by_table(table: str) -> SuiteSpec:
    for suite in SUITES:
        if suite.table == table:
            return suite
    raise KeyError(table)


def build_suite(spec: SuiteSpec) -> Any:
    """A gx.ExpectationSuite holding the spec's expectations (imports GX)."""
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=spec.name)
    for expectation in spec.expectations:
        suite.add_expectation(expectation.build())
    return suite
