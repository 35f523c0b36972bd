"""The run's data-quality page: one self-contained HTML page per run, readable offline.

Per file: status, facts extracted / loaded / quarantined, and how its region, year and period
were decided (manifest or inferred, with the reason), linked to the file's report viewer page;
every expectation of every suite with its result; every quarantined fact with its file. GX stays
the validator; its Data Docs are not used (their index is drawn by JavaScript from CDNs).
The site around these pages (an index of all runs with trends) is expectations/site.py.
"""
from __future__ import annotations

import os
from pathlib import Path

import polars as pl

from expectations.suites import SUITES
from viewer.html import esc

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.ok{color:#176c2b}.fail{color:#b00020;font-weight:bold}
.num{text-align:right}code{background:#f6f6f6;padding:0 .2rem}small{color:#666}
"""

# The metadata fields whose decision is shown per file: (label, field in the report row).
DECIDED_FIELDS: tuple[tuple[str, str], ...] = (("region", "region_code"), ("year", "report_year"),
                                               ("period", "period_type"))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _td(value: object, cls: str = "") -> str:
    return f'<td class="{cls}">{esc(value)}</td>' if cls else f"<td>{esc(value)}</td>"


def decision(report: dict | None, field: str) -> tuple[object, str, str]:
    """(value, source, reason) of one metadata field of a report row from the batch
    (flows.batch: meta_sources / meta_reasons per field; the region has its own columns)."""
    if report is None:
        return None, "", ""
    sources = report.get("meta_sources") or {}
    reasons = report.get("meta_reasons") or {}
    if field == "region_code":
        place = " ".join(str(report[k]) for k in ("province", "city", "district", "street") if report.get(k))
        value = f"{report.get('region_code') or '未知'} {place}".strip()
        return value, report.get("region_source") or sources.get(field, ""), report.get("region_reason") or ""
    return report.get(field), sources.get(field, ""), reasons.get(field, "")


def _decision_cell(report: dict | None, field: str) -> str:
    value, source, reason = decision(report, field)
    if report is None:
        return "<td></td>"
    cls = "fail" if source == "unknown" else ""
    return (f'<td class="{cls}">{esc(value if value is not None else "unknown")}<br>'
            f"<small>{esc(source)}{': ' if reason and reason != source else ''}"
            f"{esc(reason if reason != source else '')}</small></td>")


def per_file_counts(files: pl.DataFrame, quarantined: pl.DataFrame,
                    loaded: dict[str, int]) -> dict[str, tuple[int, int, int]]:
    """file_name → (facts extracted, loaded, quarantined) for this run."""
    q_by_report: dict[str, int] = {}
    if quarantined.height and "report_key" in quarantined.columns:
        q_by_report = dict(quarantined.group_by("report_key").agg(pl.col("fact_key").n_unique())
                           .iter_rows())
    out = {}
    for r in files.iter_rows(named=True):
        key = r["report_key"]
        if r["status"] in ("new", "new_version"):
            out[r["file_name"]] = (r["facts"] or 0, loaded.get(key, 0), q_by_report.get(key, 0))
        else:
            out[r["file_name"]] = (r["facts"] or 0, 0, 0)
    return out


def render_quality_report(run: dict, files: pl.DataFrame, results: pl.DataFrame, quarantined: pl.DataFrame,
                          reports: list[dict] | None = None, loaded: dict[str, int] | None = None,
                          pages: dict[str, Path] | None = None, page_dir: Path | None = None,
                          corrections: pl.DataFrame | None = None) -> str:
    """HTML for one run. `reports`: the batch's report rows (metadata decisions); `loaded`:
    report_key → facts now in the warehouse from this run; `pages`: report_key → viewer page,
    linked relative to `page_dir` (the folder this page is written to)."""
    descriptions = {(s.name, e.name): e.description for s in SUITES for e in s.expectations}
    by_name = {r["file_name"]: r for r in reports or []}
    counts = per_file_counts(files, quarantined, loaded or {})
    pages = pages or {}
    failed = results.filter(~pl.col("success")).height if results.height else 0
    parts = [
        f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>Baogao data quality — "
        f"{esc(run['run_id'])}</title><style>{_CSS}</style></head><body>",
        "<p><a href='../index.html'>← all runs</a></p>",
        f"<h1>Data quality — run <code>{esc(run['run_id'])}</code> "
        f"<span class='{'ok' if run.get('status') == 'success' else 'fail'}'>{esc(run.get('status'))}</span></h1>",
        f"<p class='fail'>{esc(run['error'])}</p>" if run.get("error") else "",
        _table(["inbox", "files new", "unchanged", "duplicate", "failed", "reports rebuilt", "facts loaded",
                "facts quarantined", "expectations", "failed expectations"],
               [[_td(run.get("inbox")), _td(run.get("files_new"), "num"), _td(run.get("files_unchanged"), "num"),
                 _td(run.get("files_duplicate"), "num"), _td(run.get("files_failed"), "num"),
                 _td(f"{run.get('reports_rebuilt') or 0}"
                     + (f" ({run['rebuild_reason']})" if run.get("rebuild_reason") else ""), "num"),
                 _td(run.get("facts_loaded"), "num"),
                 _td(run.get("facts_quarantined"), "num"), _td(results.height, "num"),
                 _td(failed, "fail" if failed else "ok")]]),
    ]

    parts.append("<h2>Files</h2><p>Region, year and period of each new file, and how each was decided: "
                 "<em>manifest</em> (the inbox manifest says so) or <em>inferred</em> from the text, "
                 "with the wording it was inferred from.</p>")
    rows = []
    for r in files.sort("file_name").iter_rows(named=True):
        extracted, n_loaded, n_quarantined = counts.get(r["file_name"], (0, 0, 0))
        page = pages.get(r["report_key"] or "")
        name = esc(r["file_name"])
        if page is not None and page_dir is not None:
            name = f"<a href='{esc(Path(os.path.relpath(page, page_dir)).as_posix())}'>{name}</a>"
        report = by_name.get(r["file_name"]) if r["status"] in ("new", "new_version") else None
        rows.append([f"<td>{name}</td>", _td(r["status"], "fail" if r["status"] == "failed" else ""),
                     _td(r["stage"]), _td(extracted, "num"), _td(n_loaded, "num"),
                     _td(n_quarantined, "fail num" if n_quarantined else "num"),
                     *(_decision_cell(report, f) for _, f in DECIDED_FIELDS), _td(r["error"])])
    parts.append(_table(["file", "status", "step", "facts extracted", "loaded", "quarantined",
                         *(label for label, _ in DECIDED_FIELDS), "error / note"], rows))

    parts.append("<h2>Analyst corrections</h2>")
    if corrections is not None and corrections.height:
        parts.append(_table(["correction", "action", "status", "facts matched", "what"], [
            [_td(r["correction_id"]), _td(r["action"]),
             _td(r["status"], "fail" if r["status"] == "unmatched" else "ok"), _td(r["facts_matched"], "num"),
             _td(r["detail"])]
            for r in corrections.iter_rows(named=True)
        ]))
    else:
        parts.append("<p>No correction concerned this run (corrections.yaml beside the warehouse).</p>")

    parts.append("<h2>Quarantined facts</h2>")
    if quarantined.height:
        file_of = {r["report_key"]: r["file_name"] for r in files.iter_rows(named=True) if r["report_key"]}
        parts.append(_table(["file", "expectation", "reason", "indicator", "raw value", "evidence"], [
            [_td(file_of.get(r.get("report_key"), "")), _td(r["expectation"]), _td(r["reason"]),
             _td(r.get("indicator_text")), _td(r.get("raw_value")), _td(r.get("evidence"))]
            for r in quarantined.sort("report_key", "value_start", "expectation", nulls_last=True)
            .iter_rows(named=True)
        ]))
    else:
        parts.append("<p class='ok'>None: every fact passed every row-level expectation.</p>")

    parts.append("<h2>Expectations</h2>")
    for suite in results.get_column("suite").unique(maintain_order=True).to_list() if results.height else []:
        rows_ = results.filter(pl.col("suite") == suite)
        parts.append(f"<h3>{esc(suite)}</h3>")
        parts.append(_table(
            ["expectation", "what it checks", "result", "rows checked", "unexpected", "quarantines facts"],
            [[_td(r["expectation"]), _td(descriptions.get((suite, r["expectation"]), r["expectation_type"])),
              _td("passed" if r["success"] else "FAILED", "ok" if r["success"] else "fail"),
              _td(r["element_count"], "num"), _td(r["unexpected_count"], "num"),
              _td("yes" if r["row_level"] else "no")]
             for r in rows_.iter_rows(named=True)],
        ))
    parts.append("</body></html>")
    return "\n".join(parts)


def write_quality_report(folder: Path, run: dict, files: pl.DataFrame, results: pl.DataFrame,
                         quarantined: pl.DataFrame, reports: list[dict] | None = None,
                         loaded: dict[str, int] | None = None, pages: dict[str, Path] | None = None,
                         corrections: pl.DataFrame | None = None) -> Path:
    """Write `folder/report.html` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.html"
    path.write_text(render_quality_report(run, files, results, quarantined, reports, loaded, pages, folder,
                                          corrections), encoding="utf-8")
    return path
