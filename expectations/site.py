"""The data-quality site: per run, its page (expectations/report.py) and the viewer pages of the
files it loaded; across runs, an index with trends drawn as inline SVG (no network, no script).

Layout, beside the warehouse:
    quality/index.html             every run, newest first, with trend charts
    quality/<run_id>/report.html   the run's page
    quality/<run_id>/run.json      the run's summary figures (the index is rebuilt from these)
    reports/<file>.v<version>.html the viewer page of each report version
"""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import duckdb
import polars as pl

from expectations.report import write_quality_report
from viewer.html import esc

RUN_SUMMARY = "run.json"
SUMMARY_FIELDS = ("run_id", "started_at", "status", "files_new", "files_unchanged", "files_failed",
                  "facts_loaded", "facts_quarantined")


def pages_dir(quality_dir: Path) -> Path:
    """Viewer pages live beside the quality folder (both beside the warehouse)."""
    return quality_dir.parent / "reports"


# A run writes the viewer pages of at most this many of its reports (each page reads its report's
# facts and text from the warehouse: 10,000 pages took longer than the run's loads); the
# others are one `baogao show FILE` away, and the run page says so.
VIEWER_PAGES_PER_RUN = 200


def write_viewer_pages(warehouse: Path, run_id: str, report_keys: list[str],
                       folder: Path) -> tuple[dict[str, Path], dict[str, int], list[str]]:
    """Viewer pages of the given report versions, from the warehouse (read-only); also the facts
    this run loaded per report. Returns (report_key → page, report_key → facts loaded, problems);
    a page that cannot be written is a problem named with its file, never an error of the run."""
    from viewer.report_page import write_report_page

    pages: dict[str, Path] = {}
    problems: list[str] = []
    if not warehouse.exists():
        return pages, {}, [f"{warehouse}: no warehouse, no viewer pages"]
    with duckdb.connect(str(warehouse), read_only=True) as con:
        loaded = dict(con.execute("SELECT report_key, count(*) FROM fact_indicator WHERE run_id = ? "
                                  "GROUP BY report_key", [run_id]).fetchall())
        present = {r[0] for r in con.execute("SELECT report_key FROM dim_report").fetchall()}
        wanted = [k for k in report_keys if k in present]
        if len(wanted) > VIEWER_PAGES_PER_RUN:
            problems.append(f"{len(wanted) - VIEWER_PAGES_PER_RUN} of this run's {len(wanted)} reports have no "
                            f"viewer page yet (a run writes at most {VIEWER_PAGES_PER_RUN}): "
                            "`baogao show FILE` writes any report's page")
        for key in wanted[:VIEWER_PAGES_PER_RUN]:
            try:
                pages[key] = write_report_page(con, key, folder)
            except (OSError, ValueError, LookupError) as exc:
                problems.append(str(exc))
    return pages, loaded, problems


def write_run_pages(quality_dir: Path, run: dict, files: pl.DataFrame, results: pl.DataFrame,
                    quarantined: pl.DataFrame, reports: list[dict], warehouse: Path,
                    corrections: pl.DataFrame | None = None, rebuilt_keys: list[str] | tuple = ()) -> Path:
    """Everything of one run: viewer pages of its new files, its page, its summary, and the
    index of all runs. Returns the run's page."""
    run_dir = quality_dir / run["run_id"]
    new_keys = [k for k in files.filter(pl.col("status").is_in(["new", "new_version"]))
                .get_column("report_key").drop_nulls().to_list()] + list(rebuilt_keys)
    pages, loaded, problems = (write_viewer_pages(warehouse, run["run_id"], new_keys, pages_dir(quality_dir))
                               if run.get("status") != "failed" else ({}, {}, []))
    page = write_quality_report(run_dir, run, files, results, quarantined, reports, loaded, pages, corrections)
    if problems:
        with page.open("a", encoding="utf-8") as out:
            out.write("<h2>Viewer pages not written</h2><ul>"
                      + "".join(f"<li>{esc(p)}</li>" for p in problems) + "</ul>")
    summary = {k: run.get(k) for k in SUMMARY_FIELDS}
    summary["started_at"] = _iso(summary["started_at"])
    (run_dir / RUN_SUMMARY).write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    write_index(quality_dir)
    return page


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else (None if value is None else str(value))


def read_run_summaries(quality_dir: Path) -> list[dict]:
    """Every run's summary found under quality_dir, oldest first (run ids sort by time)."""
    runs = []
    for path in sorted(quality_dir.glob(f"*/{RUN_SUMMARY}")):
        try:
            runs.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError):
            continue  # a half-written summary of a crashed run: left out of the trends
    return sorted(runs, key=lambda r: str(r.get("run_id")))


def quarantine_rate(run: dict) -> float:
    """Quarantined facts as percent of the facts validated (loaded + quarantined)."""
    loaded, quarantined = run.get("facts_loaded") or 0, run.get("facts_quarantined") or 0
    return 100.0 * quarantined / (loaded + quarantined) if loaded + quarantined else 0.0


def trend_svg(title: str, labels: list[str], values: list[float], unit: str = "",
              width: int = 640, height: int = 110, colour: str = "#4a7fd0") -> str:
    """A small bar chart as inline SVG: one bar per run, each with a tooltip."""
    highest = max(values, default=0)
    top = highest or 1
    n = max(len(values), 1)
    slot = min((width - 40) / n, 40)  # a few runs stay thin bars, many runs share the width
    bars = []
    for i, (label, value) in enumerate(zip(labels, values)):
        h = (height - 30) * value / top
        x, y = 30 + i * slot, height - 15 - h
        bars.append(f'<rect x="{x + slot * 0.1:.1f}" y="{y:.1f}" width="{max(slot * 0.8, 1):.1f}" '
                    f'height="{h:.1f}" fill="{colour}"><title>{esc(label)}: {value:g}{esc(unit)}</title></rect>')
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><title>{esc(title)}</title>'
            f'<text x="30" y="12" font-size="12">{esc(title)} (max {highest:g}{esc(unit)})</text>'
            f'<line x1="28" y1="{height - 15}" x2="{width - 8}" y2="{height - 15}" stroke="#999"/>'
            + "".join(bars) + "</svg>")


def render_index(runs: list[dict]) -> str:
    labels = [str(r.get("run_id")) for r in runs]
    charts = "".join(f"<div>{svg}</div>" for svg in (
        trend_svg("facts loaded per run", labels, [float(r.get("facts_loaded") or 0) for r in runs]),
        trend_svg("quarantine rate", labels, [round(quarantine_rate(r), 2) for r in runs], "%", colour="#d9822b"),
        trend_svg("failed files per run", labels, [float(r.get("files_failed") or 0) for r in runs],
                  colour="#b00020"),
    ))
    rows = "".join(
        f"<tr><td><a href='{esc(r.get('run_id'))}/report.html'>{esc(r.get('run_id'))}</a></td>"
        f"<td>{esc(r.get('started_at'))}</td><td class='{'ok' if r.get('status') == 'success' else 'fail'}'>"
        f"{esc(r.get('status'))}</td><td class='num'>{esc(r.get('files_new'))}</td>"
        f"<td class='num'>{esc(r.get('files_unchanged'))}</td><td class='num'>{esc(r.get('files_failed'))}</td>"
        f"<td class='num'>{esc(r.get('facts_loaded'))}</td><td class='num'>{esc(r.get('facts_quarantined'))}</td>"
        f"<td class='num'>{quarantine_rate(r):.2f} %</td></tr>"
        for r in reversed(runs))
    return (
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'><title>Baogao data quality — all runs</title>"
        "<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2rem;color:#222}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}"
        "th{background:#f3f3f3}.num{text-align:right}.ok{color:#176c2b}.fail{color:#b00020;font-weight:bold}"
        "</style></head><body><h1>Data quality — all runs</h1>"
        f"<p>{len(runs)} run(s). Each run's page lists its files (with links to their highlighted text), "
        "how region, year and period were decided, every expectation and every quarantined fact.</p>"
        f"<section id='trends'>{charts}</section>"
        "<h2>Runs</h2><table><tr><th>run</th><th>started (UTC)</th><th>status</th><th>files new</th>"
        "<th>unchanged</th><th>failed</th><th>facts loaded</th><th>quarantined</th><th>quarantine rate</th></tr>"
        f"{rows}</table></body></html>")


def write_index(quality_dir: Path) -> Path:
    """(Re)write quality_dir/index.html from every run's summary."""
    quality_dir.mkdir(parents=True, exist_ok=True)
    path = quality_dir / "index.html"
    path.write_text(render_index(read_run_summaries(quality_dir)), encoding="utf-8")
    return path
