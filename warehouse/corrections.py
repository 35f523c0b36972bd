"""Analyst corrections: a YAML file beside the warehouse that rejects or amends extracted facts.

Corrections are addressed by what a person can read in the report and that survives rebuilds:
the report (its file name, report_id, report_key or content sha256) plus the number as written
(raw_value), narrowed if needed by a piece of the evidence or the extracted indicator; or by a
fact_key. Every build applies them to the facts it derives (so they survive rebuilds), the
extracted values are kept beside the corrected ones, and each run records which corrections
applied and which matched nothing (dq_correction, and the data-quality report).

File format (`corrections.yaml` in the warehouse's folder), a list of entries:

    - id: job-fair-posts            # unique, required
      report: 2022年工作总结.txt      # file name, report_id, report_key or content sha256
      raw_value: 2600个              # the number as written in the report
      evidence: 推出就业岗位          # optional: text that the fact's evidence contains
      indicator: 推出就业岗位         # optional: the indicator as extracted
      reject: true                   # either reject the fact …
      note: job-fair vacancies, not new jobs
    - id: rename-revenue
      fact_key: 3f2a…                # … or address it by its key
      set: {indicator: 一般公共预算收入, value: 905000000, unit: 元, period_text: 1-11月, plan: false}

`set` takes any of indicator, value (a number in the canonical unit), unit (canonical), period_text,
plan. A correction must do exactly one of reject / set.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import polars as pl
import yaml

CORRECTIONS_FILE_NAME = "corrections.yaml"
SETTABLE = {"indicator": "indicator", "value": "value", "unit": "unit", "period_text": "period_text",
            "plan": "plan"}
# Columns whose extracted value is kept beside the corrected one.
EXTRACTED_COLUMNS = {"indicator": "extracted_indicator_text", "value": "extracted_value", "unit": "extracted_unit",
                     "period_text": "extracted_period_text", "plan": "extracted_plan"}
REJECT_EXPECTATION = "analyst_correction"
_ALLOWED_KEYS = {"id", "report", "raw_value", "evidence", "indicator", "fact_key", "reject", "set", "note"}


class CorrectionsError(ValueError):
    """The corrections file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Correction:
    id: str
    report: str | None = None
    raw_value: str | None = None
    evidence: str | None = None
    indicator: str | None = None
    fact_key: str | None = None
    reject: bool = False
    set: dict[str, Any] = field(default_factory=dict)
    note: str | None = None

    @property
    def action(self) -> str:
        return "reject" if self.reject else "set"

    def describe(self) -> str:
        where = (f"fact {self.fact_key}" if self.fact_key else
                 f"report {self.report}, raw_value {self.raw_value}"
                 + (f", evidence ~ {self.evidence}" if self.evidence else "")
                 + (f", indicator = {self.indicator}" if self.indicator else ""))
        what = "reject" if self.reject else "set " + ", ".join(f"{k}={v}" for k, v in self.set.items())
        return f"{where}: {what}" + (f" ({self.note})" if self.note else "")


def corrections_path(warehouse: Path) -> Path:
    return Path(warehouse).parent / CORRECTIONS_FILE_NAME


def load_corrections(path: Path) -> list[Correction]:
    """Parse and check the corrections file; [] when there is none."""
    if not path.exists():
        return []
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except yaml.YAMLError as exc:
        raise CorrectionsError(f"{path}: not valid YAML ({exc})") from exc
    if data is None:
        return []
    if not isinstance(data, list):
        raise CorrectionsError(f"{path}: expected a list of corrections")
    out: list[Correction] = []
    seen: set[str] = set()
    for i, entry in enumerate(data, 1):
        where = f"{path}: entry {i}"
        if not isinstance(entry, dict):
            raise CorrectionsError(f"{where}: expected a mapping")
        unknown = set(entry) - _ALLOWED_KEYS
        if unknown:
            raise CorrectionsError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(_ALLOWED_KEYS)}")
        cid = str(entry.get("id") or "").strip()
        if not cid or cid in seen:
            raise CorrectionsError(f"{where}: 'id' missing or repeated ({cid!r})")
        seen.add(cid)
        if not entry.get("fact_key") and not (entry.get("report") and entry.get("raw_value")):
            raise CorrectionsError(f"{where} ({cid}): address the fact by fact_key, or by report + raw_value")
        reject, sets = bool(entry.get("reject")), entry.get("set") or {}
        if reject == bool(sets):
            raise CorrectionsError(f"{where} ({cid}): give exactly one of reject: true or set: {{…}}")
        if not isinstance(sets, dict) or set(sets) - set(SETTABLE):
            raise CorrectionsError(f"{where} ({cid}): set takes {sorted(SETTABLE)}")
        if "value" in sets:
            try:
                sets = {**sets, "value": Decimal(str(sets["value"]))}
            except InvalidOperation:
                raise CorrectionsError(f"{where} ({cid}): value {sets['value']!r} is not a number") from None
        if "plan" in sets and not isinstance(sets["plan"], bool):
            raise CorrectionsError(f"{where} ({cid}): plan must be true or false")
        out.append(Correction(
            id=cid, report=_str(entry.get("report")), raw_value=_str(entry.get("raw_value")),
            evidence=_str(entry.get("evidence")), indicator=_str(entry.get("indicator")),
            fact_key=_str(entry.get("fact_key")), reject=reject, set=dict(sets), note=_str(entry.get("note")),
        ))
    return out


def _str(value: Any) -> str | None:
    return None if value is None else str(value)


@dataclass
class CorrectionOutcome:
    facts: pl.DataFrame          # facts with corrections applied (rejected ones removed)
    rejected: pl.DataFrame       # rejected facts + expectation, reason (quarantine rows)
    matches: dict[str, int]      # correction id → facts matched in this frame


def apply_corrections(facts: pl.DataFrame, corrections: list[Correction],
                      report_names: dict[str, set[str]]) -> CorrectionOutcome:
    """Apply corrections to facts (columns of Contract 1 plus report_key and fact_key).

    report_names: report_key → every name the report answers to (file names, report_id,
    content sha256, report_key). Adds extracted_* columns (the values before correction) and
    correction_id. A fact matched by several corrections takes the first in file order.
    """
    facts = facts.with_columns(
        **{target: pl.col(source) for source, target in
           (("indicator", "extracted_indicator_text"), ("value", "extracted_value"), ("unit", "extracted_unit"),
            ("period_text", "extracted_period_text"), ("plan", "extracted_plan"))},
        correction_id=pl.lit(None, dtype=pl.Utf8),
    )
    matches: dict[str, int] = {}
    rejected_parts: list[pl.DataFrame] = []
    for c in corrections:
        mask = _mask(c, report_names) & pl.col("correction_id").is_null()
        hit = facts.filter(mask)
        matches[c.id] = hit.height
        if hit.height == 0:
            continue
        if c.reject:
            rejected_parts.append(hit.with_columns(correction_id=pl.lit(c.id), expectation=pl.lit(REJECT_EXPECTATION),
                                                   reason=pl.lit(f"rejected by correction {c.id}"
                                                                 + (f": {c.note}" if c.note else ""))))
            facts = facts.filter(~mask.fill_null(False))
        else:
            updates = {SETTABLE[k]: pl.when(mask).then(pl.lit(v, dtype=facts.schema[SETTABLE[k]]))
                       .otherwise(pl.col(SETTABLE[k])) for k, v in c.set.items()}
            facts = facts.with_columns(**updates, correction_id=pl.when(mask).then(pl.lit(c.id))
                                       .otherwise(pl.col("correction_id")))
    rejected = pl.concat(rejected_parts, how="vertical") if rejected_parts else \
        facts.clear().with_columns(expectation=pl.lit(None, dtype=pl.Utf8), reason=pl.lit(None, dtype=pl.Utf8))
    return CorrectionOutcome(facts=facts, rejected=rejected, matches=matches)


def _mask(c: Correction, report_names: dict[str, set[str]]) -> pl.Expr:
    if c.fact_key:
        return pl.col("fact_key") == c.fact_key
    keys = [k for k, names in report_names.items() if c.report in names]
    mask = pl.col("report_key").is_in(keys) & (pl.col("raw_value") == c.raw_value)
    if c.evidence:
        mask &= pl.col("evidence").str.contains(c.evidence, literal=True)
    if c.indicator:
        mask &= pl.col("indicator") == c.indicator
    return mask.fill_null(False)


def correction_rows(run_id: str, corrections: list[Correction], matches: dict[str, int],
                    built_report_names: dict[str, set[str]], all_report_names: set[str],
                    loaded_fact_keys: set[str]) -> pl.DataFrame:
    """dq_correction rows for a run: applied, or unmatched when the fact it addresses is gone.

    A correction whose report was not built in this run says nothing about it (not listed),
    unless no report of the warehouse answers to its address at all, or no loaded fact has its
    fact_key (loaded_fact_keys: those of the corrections' fact_keys present in the warehouse).
    """
    rows = []
    built_names = set().union(*built_report_names.values()) if built_report_names else set()
    for c in corrections:
        n = matches.get(c.id, 0)
        if c.fact_key is not None:
            gone = c.fact_key not in loaded_fact_keys
        else:
            gone = c.report in built_names or c.report not in all_report_names
        if n:
            status = "applied"
        elif gone:
            status = "unmatched"
        else:
            continue
        rows.append({"run_id": run_id, "correction_id": c.id, "action": c.action, "status": status,
                     "facts_matched": n, "detail": c.describe()})
    schema = {"run_id": pl.Utf8, "correction_id": pl.Utf8, "action": pl.Utf8, "status": pl.Utf8,
              "facts_matched": pl.Int32, "detail": pl.Utf8}
    return pl.DataFrame(rows, schema=schema)
