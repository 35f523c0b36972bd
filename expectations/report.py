"""The run's data-quality report: one self-contained HTML page, readable offline.

GX Data Docs (written beside it) render their index with JavaScript from CDNs, which shows an
empty page without network; this page needs nothing but the file and links to the GX pages.
"""
from __future__ import annotations

import html
from pathlib import Path

import polars as pl

from expectations.suites import SUITES

_CSS = """
body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f3f3f3}.ok{color:#176c2b}.fail{color:#b00020;font-weight:bold}
.num{text-align:right}code{background:#f6f6f6;padding:0 .2rem}
"""


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(rows_cell for rows_cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _td(value: object, cls: str = "") -> str:
    return f'<td class="{cls}">{_e(value)}</td>' if cls else f"<td>{_e(value)}</td>"


def render_quality_report(run: dict, files: pl.DataFrame, results: pl.DataFrame,
                          quarantined: pl.DataFrame, gx_docs_index: Path | None = None,
                          corrections: pl.DataFrame | None = None) -> str:
    """HTML for one run: files and their status, every expectation with its result, quarantine."""
    descriptions = {(s.name, e.name): e.description for s in SUITES for e in s.expectations}
    failed = results.filter(~pl.col("success")).height if results.height else 0
    parts = [
        f"<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>Baogao data quality — "
        f"{_e(run['run_id'])}</title><style>{_CSS}</style></head><body>",
        f"<h1>Data quality — run <code>{_e(run['run_id'])}</code></h1>",
        f"<p>Status: <b class='{'ok' if run.get('status') == 'success' else 'fail'}'>{_e(run.get('status'))}</b>"
        + (f" — {_e(run['error'])}" if run.get("error") else "") + "</p>",
        _table(["inbox", "files new", "unchanged", "duplicate", "failed", "reports rebuilt", "facts loaded",
                "facts quarantined", "expectations", "failed expectations"],
               [[_td(run.get("inbox")), _td(run.get("files_new"), "num"), _td(run.get("files_unchanged"), "num"),
                 _td(run.get("files_duplicate"), "num"), _td(run.get("files_failed"), "num"),
                 _td(f"{run.get('reports_rebuilt') or 0}" + (f" ({run['rebuild_reason']})" if run.get("rebuild_reason")
                                                             else ""), "num"),
                 _td(run.get("facts_loaded"), "num"),
                 _td(run.get("facts_quarantined"), "num"), _td(results.height, "num"),
                 _td(failed, "fail" if failed else "ok")]]),
    ]
    if gx_docs_index is not None:
        parts.append(f"<p>Great Expectations Data Docs for this run: <a href='{_e(gx_docs_index.name)}'>"
                     f"{_e(gx_docs_index.name)}</a> (per-suite pages under <code>validations/</code>).</p>")

    parts.append("<h2>Files</h2>")
    parts.append(_table(["file", "status", "step", "facts", "error"], [
        [_td(r["file_name"]), _td(r["status"], "fail" if r["status"] == "failed" else ""), _td(r["stage"]),
         _td(r["facts"], "num"), _td(r["error"])]
        for r in files.sort("file_name").iter_rows(named=True)
    ]))

    parts.append("<h2>Expectations</h2>")
    for suite in results.get_column("suite").unique(maintain_order=True).to_list() if results.height else []:
        rows = results.filter(pl.col("suite") == suite)
        parts.append(f"<h3>{_e(suite)}</h3>")
        parts.append(_table(
            ["expectation", "what it checks", "result", "rows checked", "unexpected", "quarantines facts"],
            [[_td(r["expectation"]), _td(descriptions.get((suite, r["expectation"]), r["expectation_type"])),
              _td("passed" if r["success"] else "FAILED", "ok" if r["success"] else "fail"),
              _td(r["element_count"], "num"), _td(r["unexpected_count"], "num"),
              _td("yes" if r["row_level"] else "no")]
             for r in rows.iter_rows(named=True)],
        ))

    parts.append("<h2>Analyst corrections</h2>")
    if corrections is not None and corrections.height:
        parts.append(_table(["correction", "action", "status", "facts matched", "what"], [
            [_td(r["correction_id"]), _td(r["action"]),
             _td(r["status"], "fail" if r["status"] == "unmatched" else "ok"), _td(r["facts_matched"], "num"),
             _td(r["detail"])]
            for r in corrections.iter_rows(named=True)
        ]))
    else:
        parts.append("<p>No corrections applied in this run (corrections.yaml beside the warehouse).</p>")

    parts.append("<h2>Quarantined facts</h2>")
    if quarantined.height:
        parts.append(_table(["expectation", "reason", "indicator", "raw value", "evidence"], [
            [_td(r["expectation"]), _td(r["reason"]), _td(r.get("indicator_text")),
             _td(r.get("raw_value")), _td(r.get("evidence"))]
            for r in quarantined.iter_rows(named=True)
        ]))
    else:
        parts.append("<p class='ok'>None: every fact passed every row-level expectation.</p>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_quality_report(folder: Path, run: dict, files: pl.DataFrame, results: pl.DataFrame,
                         quarantined: pl.DataFrame, gx_docs_index: Path | None = None,
                         corrections: pl.DataFrame | None = None) -> Path:
    """Write `folder/report.html` and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "report.html"
    path.write_text(render_quality_report(run, files, results, quarantined, gx_docs_index, corrections),
                    encoding="utf-8")
    return path
