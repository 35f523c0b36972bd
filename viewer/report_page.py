"""The report viewer: one self-contained offline HTML page per report version.

The page shows the report's decoded text with every fact highlighted where it was found
(value_start/value_end strongly, evidence_start/evidence_end underlined), coloured by measure;
quarantined facts are outlined and name the expectation that failed; a side table of facts
scrolls the text to a fact when clicked. Everything (CSS, JS, data) is inline: no network.

Built from the warehouse only (dim_report, fact_indicator, quarantine_fact and the dimensions),
plus the report's text from `report_text`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import duckdb

from viewer.html import MEASURE_COLOURS, OTHER_MEASURE_COLOUR, esc, number_text


class ReportNotFound(LookupError):
    """No report matches the given key, file name or report id."""


def resolve_report(con: duckdb.DuckDBPyConnection, ref: str) -> str:
    """report_key of `ref`: a report_key, a file name (current version) or a report_id (current
    version). Raises ReportNotFound naming what was looked for."""
    ref = ref.strip()
    name = Path(ref).name
    row = con.execute(
        "SELECT report_key FROM dim_report WHERE report_key = ? "
        "UNION ALL SELECT report_key FROM dim_report WHERE is_current AND (file_name = ? OR report_id = ?) "
        "LIMIT 1", [ref, name, ref],
    ).fetchone()
    if row is None:
        raise ReportNotFound(f"no report with key, file name or report id {ref!r} in the warehouse")
    return row[0]


def report_text(con: duckdb.DuckDBPyConnection, report_key: str) -> str:
    """The decoded text the offsets of this report's facts refer to: the raw layer keeps it
    (raw_report.text), so the page needs no inbox file."""
    row = con.execute("SELECT text FROM raw_report WHERE report_key = ?", [report_key]).fetchall()
    if not row:
        raise ReportNotFound(f"no report with key {report_key!r} in the warehouse")
    return row[0][0]


@dataclass(frozen=True)
class PageFact:
    """One fact as the page shows it (loaded or quarantined)."""
    fact_key: str
    indicator: str | None
    canonical: str | None
    value: str
    unit: str | None
    measure: str | None
    period: str | None
    plan: bool | None
    evidence_start: int | None
    evidence_end: int | None
    value_start: int | None
    value_end: int | None
    quarantine: str | None  # 'expectation: reason; …' for quarantined facts


_FACTS_SQL = """
SELECT f.fact_key, f.indicator_text, i.canonical_name, f.value, f.unit, f.measure,
       coalesce(p.label, f.period_text) AS period, f.plan,
       f.evidence_start, f.evidence_end, f.value_start, f.value_end, NULL AS quarantine
FROM fact_indicator f
LEFT JOIN dim_indicator i USING (indicator_key)
LEFT JOIN dim_period p USING (period_key)
WHERE f.report_key = $key
UNION ALL
SELECT q.fact_key, any_value(q.indicator_text), any_value(i.canonical_name), any_value(q.value),
       any_value(q.unit), any_value(q.measure), any_value(coalesce(p.label, q.period_text)),
       any_value(q.plan), any_value(q.evidence_start), any_value(q.evidence_end),
       any_value(q.value_start), any_value(q.value_end),
       string_agg(q.expectation || ': ' || coalesce(q.reason, ''), '; ' ORDER BY q.expectation)
FROM quarantine_fact q
LEFT JOIN dim_indicator i USING (indicator_key)
LEFT JOIN dim_period p USING (period_key)
WHERE q.report_key = $key
  AND q.fact_key NOT IN (SELECT fact_key FROM fact_indicator WHERE report_key = $key)
GROUP BY q.fact_key
ORDER BY value_start NULLS LAST, evidence_start, fact_key
"""


def page_facts(con: duckdb.DuckDBPyConnection, report_key: str) -> list[PageFact]:
    """Loaded and quarantined facts of a report version, in text order."""
    rows = con.execute(_FACTS_SQL, {"key": report_key}).fetchall()
    return [PageFact(r[0], r[1], r[2], number_text(r[3]), r[4], r[5], r[6], r[7], r[8], r[9], r[10],
                     r[11], r[12]) for r in rows]


def _valid(start: int | None, end: int | None, length: int) -> bool:
    return start is not None and end is not None and 0 <= start < end <= length


def highlighted_text(text: str, facts: list[PageFact]) -> str:
    """The text as HTML: each stretch covered by facts' values is a <mark>, each stretch covered
    only by evidence an underlined <span>; both list the facts covering them in data-f (indexes
    into `facts`), so overlapping facts (a growth rate whose evidence holds the level) all show.
    One sweep over the offsets: linear in the text plus the facts covering each stretch."""
    n = len(text)
    starts: dict[int, list[tuple[str, int]]] = {}
    ends: dict[int, list[tuple[str, int]]] = {}
    for i, f in enumerate(facts):
        for kind, s, e in (("e", f.evidence_start, f.evidence_end), ("v", f.value_start, f.value_end)):
            if _valid(s, e, n):
                starts.setdefault(s, []).append((kind, i))
                ends.setdefault(e, []).append((kind, i))
    points = sorted({0, n, *starts, *ends})
    # sweep once over the boundaries, keeping the facts whose value / evidence covers the segment
    active: dict[str, set[int]] = {"v": set(), "e": set()}
    out: list[str] = []
    for a, b in zip(points, points[1:]):
        for kind, i in ends.get(a, ()):
            active[kind].discard(i)
        for kind, i in starts.get(a, ()):
            active[kind].add(i)
        values, evidence = sorted(active["v"]), sorted(active["e"])
        chunk = esc(text[a:b])
        if values:
            first = facts[values[0]]
            quarantined = any(facts[i].quarantine for i in values)
            classes = f"v m-{first.measure or 'other'}" + (" q" if quarantined else "")
            tip = " | ".join(_tip(facts[i]) for i in values)
            begins = " ".join(str(i) for i in values if facts[i].value_start == a)
            out.append(f'<mark class="{classes}" data-f="{" ".join(map(str, values))}" '
                       f'data-start="{begins}" title="{esc(tip)}">{chunk}</mark>')
        elif evidence:
            quarantined = any(facts[i].quarantine for i in evidence)
            out.append(f'<span class="e{" q" if quarantined else ""}" '
                       f'data-f="{" ".join(map(str, evidence))}">{chunk}</span>')
        else:
            out.append(chunk)
    return "".join(out)


def _tip(f: PageFact) -> str:
    tip = f"{f.indicator or '?'} = {f.value} {f.unit or ''} ({f.measure}{', plan' if f.plan else ''}"
    tip += f", {f.period})" if f.period else ")"
    return tip + (f" QUARANTINED {f.quarantine}" if f.quarantine else "")


_CSS = """
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,"Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#222}
header{padding:.6rem 1rem;border-bottom:1px solid #ddd;background:#fafafa}
header h1{font-size:1.15rem;margin:0 0 .3rem}
header .meta{font-size:.85rem;color:#555}
.legend span{display:inline-block;padding:0 .4rem;margin-right:.3rem;border-radius:3px}
main{display:flex;height:calc(100vh - 5.5rem)}
#text{flex:1 1 55%;overflow:auto;padding:1rem 1.2rem;white-space:pre-wrap;line-height:1.9;
font-size:1rem;border-right:1px solid #ddd}
#facts{flex:1 1 45%;overflow:auto;font-size:.82rem}
table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #eee;padding:.2rem .35rem;text-align:left;vertical-align:top}
th{position:sticky;top:0;background:#f3f3f3}
td.num{text-align:right;font-variant-numeric:tabular-nums}
tbody tr{cursor:pointer}tbody tr:hover{background:#f5f9ff}
tr.sel{background:#fff3bf !important}
tr.qrow td{color:#b00020}
mark.v{border-radius:2px;padding:0 1px;color:inherit}
span.e{text-decoration:underline;text-decoration-color:#9ab;text-underline-offset:3px}
.q{outline:2px dashed #b00020;outline-offset:1px}
.active{box-shadow:0 0 0 3px #f59f00;background:#fff3bf !important}
.nopos{color:#999}
"""

_JS = """
(function(){
  var rows=document.querySelectorAll('#facts tbody tr');
  function clear(){document.querySelectorAll('.active').forEach(function(e){e.classList.remove('active')});
    document.querySelectorAll('tr.sel').forEach(function(e){e.classList.remove('sel')});}
  function show(i){
    clear();
    var row=document.querySelector('#facts tr[data-i="'+i+'"]');if(row)row.classList.add('sel');
    var parts=document.querySelectorAll('#text [data-f~="'+i+'"]');
    parts.forEach(function(e){e.classList.add('active')});
    var target=document.querySelector('#text mark[data-start~="'+i+'"]')||parts[0];
    if(target){target.scrollIntoView({block:'center'});}
    return target;
  }
  rows.forEach(function(r){r.addEventListener('click',function(){show(r.dataset.i)})});
  document.querySelectorAll('#text mark').forEach(function(m){m.addEventListener('click',function(){
    var i=m.dataset.f.split(' ')[0];clear();m.classList.add('active');
    var row=document.querySelector('#facts tr[data-i="'+i+'"]');
    if(row){row.classList.add('sel');row.scrollIntoView({block:'center'});}
  })});
  window.baogaoShowFact=show;
})();
"""


def render_report_page(con: duckdb.DuckDBPyConnection, report_key: str, text: str | None = None) -> str:
    """The page's HTML for one report version (text from `report_text` unless given)."""
    report = con.execute(
        "SELECT r.file_name, r.title, r.report_year, r.period_type, r.version, r.is_current, "
        "r.region_source, r.region_reason, g.street_name, g.district_name, g.city_name, g.province_name "
        "FROM dim_report r LEFT JOIN dim_region g USING (region_code) WHERE r.report_key = ?",
        [report_key],
    ).fetchone()
    if report is None:
        raise ReportNotFound(f"no report with key {report_key!r} in the warehouse")
    (file_name, title, year, period_type, version, is_current, region_source, region_reason,
     street, district, city, province) = report
    if text is None:
        text = report_text(con, report_key)
    facts = page_facts(con, report_key)
    quarantined = sum(1 for f in facts if f.quarantine)
    place = " · ".join(p for p in (street, district, city, province) if p) or "region unknown"

    legend = "".join(f'<span style="background:{c}">{esc(m)}</span>' for m, c in MEASURE_COLOURS.items())
    legend += '<span class="q">quarantined</span>'
    rows = []
    for i, f in enumerate(facts):
        positioned = _valid(f.value_start, f.value_end, len(text))
        note = "" if positioned else ' <span class="nopos">(no position)</span>'
        q = f'<br><small>quarantined — {esc(f.quarantine)}</small>' if f.quarantine else ""
        rows.append(
            f'<tr data-i="{i}" data-fact-key="{esc(f.fact_key)}" class="{"qrow" if f.quarantine else ""}">'
            f'<td>{esc(f.indicator)}{note}{q}</td><td>{esc(f.canonical)}</td>'
            f'<td class="num">{esc(f.value)}</td><td>{esc(f.unit)}</td>'
            f'<td><span style="background:{MEASURE_COLOURS.get(f.measure or "", OTHER_MEASURE_COLOUR)}">'
            f'{esc(f.measure)}</span></td><td>{esc(f.period)}</td><td>{"plan" if f.plan else ""}</td></tr>'
        )
    measure_css = "".join(f"mark.m-{m}{{background:{c}}}" for m, c in MEASURE_COLOURS.items())
    measure_css += f"mark.m-other{{background:{OTHER_MEASURE_COLOUR}}}"
    data = json.dumps({"report_key": report_key, "file_name": file_name, "facts": len(facts),
                       "quarantined": quarantined}, ensure_ascii=False).replace("</", "<\\/")
    return "".join([
        "<!doctype html><html lang='zh'><head><meta charset='utf-8'>",
        # No network: nothing may be fetched, even by accident.
        "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; script-src 'unsafe-inline'\">",
        f"<title>{esc(file_name)} — Baogao</title><style>{_CSS}{measure_css}</style></head><body>",
        f"<header><h1>{esc(title or file_name)}</h1><div class='meta'>{esc(file_name)} · version {esc(version)}"
        f"{'' if is_current else ' (superseded)'} · {esc(year)} {esc(period_type)} · {esc(place)} "
        f"(region {esc(region_source)}: {esc(region_reason)}) · {len(facts)} facts, {quarantined} quarantined"
        f"</div><div class='meta legend'>{legend}</div></header>",
        f"<main><div id='text'>{highlighted_text(text, facts)}</div>",
        "<div id='facts'><table><thead><tr><th>indicator</th><th>canonical indicator</th><th>value</th>"
        "<th>unit</th><th>measure</th><th>period</th><th>plan</th></tr></thead><tbody>",
        "".join(rows),
        "</tbody></table></div></main>",
        f"<script type='application/json' id='baogao-report'>{data}</script>",
        f"<script>{_JS}</script></body></html>",
    ])


def page_file_name(con: duckdb.DuckDBPyConnection, report_key: str) -> str:
    """`<file stem>.v<version>.html`: readable, and distinct per report version."""
    row = con.execute("SELECT file_name, version FROM dim_report WHERE report_key = ?", [report_key]).fetchone()
    if row is None:
        raise ReportNotFound(f"no report with key {report_key!r} in the warehouse")
    return f"{Path(row[0]).stem}.v{row[1]}.html"


def write_report_page(con: duckdb.DuckDBPyConnection, report_key: str, folder: Path) -> Path:
    """Write the page of one report version into `folder`; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / page_file_name(con, report_key)
    path.write_text(render_report_page(con, report_key), encoding="utf-8")
    return path
