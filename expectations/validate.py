"""Validate one run's frames with Great Expectations; split facts into passed and quarantined.

GX is imported inside validate_run only, and only when the run has something new to validate
(the import takes 4–5 s; an unchanged rerun must cost no more than an empty flow). GX validates
pandas, so polars frames are converted at this boundary, Decimal columns cast to Float64 (GX
compares floats; the frames handed back keep their exact decimals). Cross-column and cross-frame
checks GX lacks are boolean helper columns computed here in polars (see suites.py).

GX's Data Docs are not built: their index renders with JavaScript from CDNs (blank offline) and
building them cost seconds per run; the project's own data-quality report shows every result.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

import polars as pl

from expectations.suites import SUITES, ExpectationSpec, SuiteSpec, build_suite

log = logging.getLogger(__name__)

ROW_ID = "_row_id"
NOTHING_NEW = "nothing new in this run: not run through Great Expectations"
# Columns a facts frame must have for the suites to mean anything.
REQUIRED_FACT_COLUMNS: tuple[str, ...] = (
    "fact_key", "report_key", "indicator_key", "unit_key", "period_key", "value", "raw_value",
    "unit", "measure", "qualifier", "plan", "evidence",
)
RESULT_SCHEMA: dict[str, Any] = {
    "run_id": pl.Utf8, "suite": pl.Utf8, "table_name": pl.Utf8, "expectation": pl.Utf8,
    "expectation_type": pl.Utf8, "column_name": pl.Utf8, "kwargs": pl.Utf8, "success": pl.Boolean,
    "row_level": pl.Boolean, "element_count": pl.Int64, "unexpected_count": pl.Int64,
    "unexpected_percent": pl.Float64, "observed": pl.Utf8,
}


@dataclass
class ValidationOutcome:
    """What validate_run found.

    passed_facts: facts (input columns and dtypes) that failed no row-level expectation.
    quarantined: one row per (fact, failing row-level expectation): fact columns + expectation,
      reason, run_id. A fact failing two expectations appears twice; passed + distinct
      quarantined facts = input facts.
    results: one row per expectation per suite (dq_expectation_result columns).
    docs_index: always None (GX Data Docs are no longer built; kept for the report's signature).
    success: every expectation of every suite held (before quarantine).
    failed_expectations: 'suite.expectation' of every expectation that did not hold.
    errors: expectations GX could not evaluate (also counted as failed).
    """
    passed_facts: pl.DataFrame
    quarantined: pl.DataFrame
    results: pl.DataFrame
    docs_index: Path | None
    success: bool
    failed_expectations: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


class _Blank(dict):
    """format_map source: unknown fields print '?', decimals without trailing zeros."""

    def __missing__(self, key: str) -> str:
        return "?"

    def __getitem__(self, key: str) -> Any:
        value = super().__getitem__(key)
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value


def _dim(dims: Mapping[str, pl.DataFrame] | None, table: str) -> pl.DataFrame | None:
    if not dims:
        return None
    return dims.get(table, dims.get(table.removeprefix("dim_")))


def _members(column: str, frame: pl.DataFrame | None, key: str) -> pl.Expr:
    """Boolean helper: column's value is a key of frame (True for all if frame not given)."""
    if frame is None:
        return pl.lit(True)
    keys = frame.get_column(key).drop_nulls().unique()
    return pl.col(column).is_in(keys.implode()).fill_null(False)


def prepare_facts(facts: pl.DataFrame, dims: Mapping[str, pl.DataFrame] | None,
                  reports: pl.DataFrame | None) -> pl.DataFrame:
    """Facts plus _row_id, unit_kind (from dim_unit) and the boolean helper columns."""
    missing = [c for c in REQUIRED_FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise ValueError(f"facts frame lacks column(s) {missing}")
    prepared = facts.with_row_index(ROW_ID)
    units = _dim(dims, "dim_unit")
    if units is not None and "unit_kind" not in facts.columns:
        kinds = units.select("unit_key", "unit_kind").unique(subset=["unit_key"], keep="first")
        prepared = prepared.join(kinds, on="unit_key", how="left", maintain_order="left")
    elif "unit_kind" not in prepared.columns:
        prepared = prepared.with_columns(unit_kind=pl.lit(None, dtype=pl.Utf8))
    has_offsets = all(c in facts.columns for c in ("evidence_start", "evidence_end", "value_start", "value_end"))
    offsets_ok = (
        (pl.col("evidence_end") - pl.col("evidence_start") == pl.col("evidence").str.len_chars())
        & (pl.col("value_start") >= pl.col("evidence_start"))
        & (pl.col("value_end") <= pl.col("evidence_end"))
        & (pl.col("value_end") > pl.col("value_start"))
    ).fill_null(False) if has_offsets else pl.lit(False)
    region_codes = _dim(dims, "dim_region")
    return prepared.with_columns(
        fact_key_unique=pl.col("fact_key").is_first_distinct() | pl.col("fact_key").is_null(),
        raw_value_in_evidence=pl.col("evidence").str.contains(pl.col("raw_value"), literal=True)
        .fill_null(False),
        report_key_in_dim_report=_members("report_key", reports, "report_key"),
        indicator_key_in_dim_indicator=_members("indicator_key", _dim(dims, "dim_indicator"), "indicator_key"),
        unit_key_in_dim_unit=_members("unit_key", units, "unit_key"),
        period_key_in_dim_period=_members("period_key", _dim(dims, "dim_period"), "period_key"),
        region_code_in_dim_region=(
            _members("region_code", region_codes, "region_code")
            if "region_code" in facts.columns else pl.lit(region_codes is None)
        ),
        value_span_inside_evidence_span=offsets_ok,
    )


def _to_pandas(frame: pl.DataFrame) -> Any:
    """pandas copy for GX: decimals → Float64 (GX does float comparisons)."""
    casts = [pl.col(name).cast(pl.Float64) for name, dtype in frame.schema.items()
             if isinstance(dtype, pl.Decimal)]
    return (frame.with_columns(casts) if casts else frame).to_pandas()


def _suite_columns(spec: SuiteSpec, frame: pl.DataFrame, row_level_index: bool) -> list[str]:
    """The columns of `frame` the suite's expectations read (their column arguments and the
    names in their row conditions), plus the row index GX reports failing rows by. GX gets only
    these: converting every fact column (evidence, section titles …) to pandas objects and
    copying them through each row condition cost memory and time for columns no expectation reads.
    """
    wanted: set[str] = {ROW_ID, "fact_key"} if row_level_index else set()
    for expectation in spec.expectations:
        kwargs = expectation.kwargs
        named = [kwargs[k] for k in ("column", "column_A", "column_B") if k in kwargs]
        if not named or any(k.startswith("column_") and k not in ("column_A", "column_B") for k in kwargs):
            return frame.columns  # a table-level or multi-column expectation: GX gets every column
        wanted |= set(named) | set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", kwargs.get("row_condition") or ""))
    return [c for c in frame.columns if c in wanted]


def _context() -> Any:
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    # GX logs its ephemeral context's temporary folders at INFO: noise in every nightly log.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(
        globally=False, metric_calculations=False)
    return context


def _exception_message(info: Any) -> str | None:
    """The first raised exception in a GX exception_info (flat or keyed by metric)."""
    if not isinstance(info, dict):
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message"))
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message"))
    return None


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _run_suite(context: Any, spec: SuiteSpec, frame: pl.DataFrame, run_id: str,
               row_level_index: bool) -> list[tuple[ExpectationSpec, Any]]:
    """Validate one frame against one suite; returns (spec, GX result) per expectation."""
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier

    source = context.data_sources.add_pandas(f"pandas_{spec.name}")
    asset = source.add_dataframe_asset(spec.table)
    batch = asset.add_batch_definition_whole_dataframe(f"{spec.table}_run")
    suite = context.suites.add(build_suite(spec))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"validate_{spec.name}", data=batch, suite=suite))
    result_format: dict[str, Any] = {"result_format": "COMPLETE"}
    if row_level_index:
        result_format["unexpected_index_column_names"] = [ROW_ID, "fact_key"]
    else:
        result_format = {"result_format": "SUMMARY"}
    checkpoint = context.checkpoints.add(gx.Checkpoint(
        name=f"checkpoint_{spec.name}", validation_definitions=[definition],
        result_format=result_format))
    checked = frame.select(_suite_columns(spec, frame, row_level_index))
    outcome = checkpoint.run(batch_parameters={"dataframe": _to_pandas(checked)},
                             run_id=RunIdentifier(run_name=run_id))
    by_name = {e.name: e for e in spec.expectations}
    order = {e.name: i for i, e in enumerate(spec.expectations)}
    pairs = []
    for validation in outcome.run_results.values():
        for result in validation.results:
            pairs.append((by_name[result.expectation_config.meta["name"]], result))
    # GX returns results grouped by column; report them in the suite's declared order.
    return sorted(pairs, key=lambda pair: order[pair[0].name])


def _result_row(run_id: str, suite: SuiteSpec, spec: ExpectationSpec, result: Any) -> dict[str, Any]:
    details = result.result or {}
    error = _exception_message(result.exception_info)
    if error:
        observed: Any = f"error: {error}"
    elif details.get("observed_value") is not None:
        observed = details["observed_value"]
    else:
        observed = details.get("partial_unexpected_list", [])[:20] or None
    kwargs = {k: v for k, v in result.expectation_config.kwargs.items() if k != "batch_id"}
    return {
        "run_id": run_id, "suite": suite.name, "table_name": suite.table, "expectation": spec.name,
        "expectation_type": result.expectation_config.type, "column_name": spec.column,
        "kwargs": json.dumps(_jsonable(kwargs), ensure_ascii=False, sort_keys=True),
        "success": bool(result.success) and not error, "row_level": spec.row_level,
        "element_count": details.get("element_count"),
        "unexpected_count": details.get("unexpected_count"),
        "unexpected_percent": details.get("unexpected_percent"),
        "observed": None if observed is None else json.dumps(_jsonable(observed), ensure_ascii=False),
    }


def _quarantine_rows(spec: ExpectationSpec, result: Any, prepared: pl.DataFrame) -> list[dict[str, Any]]:
    """(row id, expectation, reason) for each fact the row-level expectation rejected."""
    indexed = (result.result or {}).get("unexpected_index_list") or []
    row_ids = sorted({int(item[ROW_ID]) for item in indexed if isinstance(item, dict)})
    if not row_ids:
        return []
    failing = prepared.filter(pl.col(ROW_ID).is_in(row_ids))
    rows = []
    for record in failing.iter_rows(named=True):
        try:
            reason = spec.reason.format_map(_Blank(record)) if spec.reason else spec.description
        except (ValueError, IndexError):  # a template that does not fit the row: keep the rule text
            reason = spec.description
        rows.append({ROW_ID: record[ROW_ID], "expectation": spec.name, "reason": reason})
    return rows


def _snake(class_name: str) -> str:
    """GX's expectation type from its class name: ExpectColumnToExist → expect_column_to_exist."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).lower()


def _nothing_new_results(run_id: str) -> list[dict[str, Any]]:
    """One row per expectation for a run that brought no report and no fact: zero rows checked.

    An expectation over an empty batch holds; `observed` says GX was not started.
    """
    return [
        {"run_id": run_id, "suite": suite.name, "table_name": suite.table, "expectation": spec.name,
         "expectation_type": _snake(spec.gx_class), "column_name": spec.column,
         "kwargs": json.dumps(_jsonable(spec.kwargs), ensure_ascii=False, sort_keys=True),
         "success": True, "row_level": spec.row_level, "element_count": 0, "unexpected_count": 0,
         "unexpected_percent": None, "observed": json.dumps(NOTHING_NEW, ensure_ascii=False)}
        for suite in SUITES for spec in suite.expectations
    ]


def validate_run(
    facts: pl.DataFrame,
    dims: dict[str, pl.DataFrame],
    reports: pl.DataFrame,
    run_id: str,
) -> ValidationOutcome:
    """Validate facts (fact_indicator columns, keys computed), dims and reports of one run.

    dims: 'dim_indicator', 'dim_unit', 'dim_period' (all members the facts refer to) and
      optionally 'dim_region' (then region codes are checked too); 'unit'/'indicator'/… also work.
    Facts failing a row-level expectation are returned in `quarantined` with the expectation's
    name and a readable reason. A run with no report and no fact does not start GX.
    """
    started = time.perf_counter()
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    prepared = prepare_facts(facts, dims, reports)
    if facts.height == 0 and (reports is None or reports.height == 0):
        return ValidationOutcome(
            passed_facts=facts, quarantined=_empty_quarantine(facts, run_id),
            results=pl.DataFrame(_nothing_new_results(run_id), schema=RESULT_SCHEMA), docs_index=None,
            success=True, seconds=time.perf_counter() - started,
        )

    context = _context()
    frames: dict[str, pl.DataFrame | None] = {
        "fact_indicator": prepared, "dim_report": reports,
        **{t: _dim(dims, t) for t in ("dim_indicator", "dim_unit", "dim_period", "dim_region")},
    }
    result_rows: list[dict[str, Any]] = []
    quarantine_rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for suite in SUITES:
        frame = frames.get(suite.table)
        if frame is None:
            log.info("suite %s skipped: no %s frame given", suite.name, suite.table)
            continue
        missing = [s.column for s in suite.expectations if s.column and s.column not in frame.columns]
        if missing and suite.table != "fact_indicator":
            # GX would report these as errors; say which columns instead.
            errors.extend(f"{suite.name}: column {c} missing" for c in sorted(set(missing)))
        is_facts = suite.table == "fact_indicator"
        for spec, result in _run_suite(context, suite, frame, run_id, row_level_index=is_facts):
            row = _result_row(run_id, suite, spec, result)
            result_rows.append(row)
            error = _exception_message(result.exception_info)
            if error:
                errors.append(f"{suite.name}.{spec.name}: {error}")
            elif is_facts and spec.row_level and not result.success:
                quarantine_rows.extend(_quarantine_rows(spec, result, prepared))

    results = pl.DataFrame(result_rows, schema=RESULT_SCHEMA)
    base = facts.with_row_index(ROW_ID)
    quarantine_schema = {ROW_ID: pl.UInt32, "expectation": pl.Utf8, "reason": pl.Utf8}
    failures = pl.DataFrame(quarantine_rows, schema=quarantine_schema)
    quarantined = (
        base.join(failures, on=ROW_ID, how="inner")
        .sort(ROW_ID, "expectation")
        .drop(ROW_ID)
        .with_columns(run_id=pl.lit(run_id))
    )
    passed = base.filter(~pl.col(ROW_ID).is_in(failures.get_column(ROW_ID).unique().implode())).drop(ROW_ID)
    failed = [f"{r['suite']}.{r['expectation']}" for r in result_rows if not r["success"]]
    return ValidationOutcome(
        passed_facts=passed, quarantined=quarantined, results=results, docs_index=None,
        success=not failed and not errors, failed_expectations=failed, errors=errors,
        seconds=time.perf_counter() - started,
    )


def _empty_quarantine(facts: pl.DataFrame, run_id: str) -> pl.DataFrame:
    """A quarantine frame with no row, in the columns and dtypes validate_run returns."""
    return facts.clear().with_columns(
        expectation=pl.lit(None, dtype=pl.Utf8), reason=pl.lit(None, dtype=pl.Utf8),
        run_id=pl.lit(run_id, dtype=pl.Utf8))


def merge_results(parts: list[pl.DataFrame], run_id: str) -> pl.DataFrame:
    """One result row per expectation per suite for a run validated chunk by chunk.

    It held if it held in every chunk; rows and unexpected rows are summed; `observed` is the
    first failing chunk's (else the last chunk's). Chunks that had nothing new count only if no
    chunk had anything. A single chunk's results pass through unchanged (but for run_id).
    """
    parts = [p for p in parts if p.height]
    if not parts:
        return pl.DataFrame(schema=RESULT_SCHEMA)
    evaluated = [p for p in parts if not _is_nothing_new(p)] or parts[-1:]
    if len(evaluated) == 1:
        return evaluated[0].with_columns(run_id=pl.lit(run_id)).select(list(RESULT_SCHEMA))
    keys = ["suite", "table_name", "expectation", "expectation_type", "column_name", "kwargs", "row_level"]
    return (
        pl.concat([p.select(list(RESULT_SCHEMA)) for p in evaluated])
        .group_by(keys, maintain_order=True)
        .agg(
            success=pl.col("success").all(),
            element_count=pl.col("element_count").sum(),
            unexpected_count=pl.col("unexpected_count").sum(),
            observed=pl.coalesce(pl.col("observed").filter(~pl.col("success")).first(),
                                 pl.col("observed").last()),
        )
        .with_columns(
            run_id=pl.lit(run_id),
            # of the rows checked (GX's own figure is of non-null rows, per chunk)
            unexpected_percent=pl.when(pl.col("element_count") > 0)
            .then(100.0 * pl.col("unexpected_count") / pl.col("element_count")).otherwise(None),
        )
        .select(list(RESULT_SCHEMA))
        .cast(RESULT_SCHEMA)
    )


def merge_outcomes(parts: list[ValidationOutcome], run_id: str) -> ValidationOutcome:
    """One run's outcome from its chunks' outcomes: results merged (merge_results), facts and
    quarantine frames concatenated."""
    if not parts:
        raise ValueError("merge_outcomes needs at least one chunk's outcome")
    merged = merge_results([p.results for p in parts], run_id)
    failed = [f"{r['suite']}.{r['expectation']}" for r in merged.iter_rows(named=True) if not r["success"]]
    errors = [e for p in parts for e in p.errors]
    return ValidationOutcome(
        passed_facts=pl.concat([p.passed_facts for p in parts], how="vertical_relaxed"),
        quarantined=pl.concat([p.quarantined for p in parts], how="vertical_relaxed"),
        results=merged, docs_index=None, success=not failed and not errors,
        failed_expectations=failed, errors=errors, seconds=sum(p.seconds for p in parts),
    )


def _is_nothing_new(results: pl.DataFrame) -> bool:
    marker = json.dumps(NOTHING_NEW, ensure_ascii=False)
    return results.height > 0 and bool(results.get_column("observed").eq_missing(marker).all())
