"""Derivation of report versions: decode → report metadata → extraction, for a batch.

Plain functions (the Prefect tasks in `flows.nightly` only wrap them), testable without Prefect.
Two entries share one derivation: `process_files` for new inbox files (decode first) and
`rebuild_reports` for texts already in the raw layer (no inbox needed). A report that fails at
any step becomes a failure row naming the file, the step and the reason; the batch goes on.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from flows.inbox import InboxFile
from transforms.decode import DocumentMeta, read_report
from transforms.extract import extract_facts
from transforms.regions import RegionIndex
from transforms.report_meta import ReportMeta, infer_report_meta
from warehouse.keys import report_key, text_sha256


@dataclass
class BatchOutput:
    """reports: derived report versions (metadata, file and raw-text fields); facts: their facts
    frames (column `doc` = file_name); failures: reports that failed (with the raw text when it
    was decoded, so it still lands and can be rebuilt once the code is fixed)."""
    reports: list[dict] = field(default_factory=list)
    facts: list[pl.DataFrame] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class RawText:
    """A report version's raw layer: what derivation needs, whether from the inbox or raw_report."""
    content_sha256: str
    file_name: str
    path: str
    text: str
    encoding: str | None
    file_format: str | None
    size_bytes: int | None
    doc_meta: dict[str, Any] | None
    manifest_entry: dict[str, Any] | None

    def raw_row(self) -> dict[str, Any]:
        return {
            "content_sha256": self.content_sha256, "report_key": report_key(self.content_sha256),
            "text": self.text, "text_sha256": text_sha256(self.text), "encoding": self.encoding,
            "file_format": self.file_format, "file_name": self.file_name, "file_names": [self.file_name],
            "size_bytes": self.size_bytes, "char_count": len(self.text),
            "doc_meta": _json(self.doc_meta), "manifest_entry": _json(self.manifest_entry),
        }


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _failure(raw: RawText | None, f_name: str, path: str, sha: str, stage: str, exc: Exception) -> dict:
    reason = str(exc) if f_name in str(exc) else f"{f_name}: {exc}"
    return {"file_name": f_name, "path": path, "content_sha256": sha, "stage": stage,
            "error": f"{type(exc).__name__}: {reason}", "raw": raw}


def derive(raw: RawText, regions: RegionIndex, out: BatchOutput) -> None:
    """Metadata and facts of one raw text, appended to `out` (or a failure row)."""
    stage = "metadata"
    try:
        document = DocumentMeta(**raw.doc_meta) if raw.doc_meta else None
        meta = infer_report_meta(raw.file_name, raw.text, regions, raw.manifest_entry, document)
        stage = "extract"
        facts = extract_facts(raw.text, raw.file_name).with_columns(
            content_sha256=pl.lit(raw.content_sha256, dtype=pl.Utf8))
    except Exception as exc:  # noqa: BLE001 - any failure of one report is recorded, the run goes on
        out.failures.append(_failure(raw, raw.file_name, raw.path, raw.content_sha256, stage, exc))
        return
    out.reports.append({**_meta_row(meta), "file_name": raw.file_name, "path": raw.path,
                        "content_sha256": raw.content_sha256, "char_count": len(raw.text),
                        "facts": facts.height, "raw": raw,
                        "manifest_report_id": (raw.manifest_entry or {}).get("report_id")})
    out.facts.append(facts)


def process_files(files: list[InboxFile], manifest: dict[str, dict], regions: RegionIndex) -> BatchOutput:
    """Decode new inbox files and derive each."""
    out = BatchOutput()
    for f in files:
        try:
            decoded = read_report(Path(f.path))
        except Exception as exc:  # noqa: BLE001 - recorded per file
            out.failures.append(_failure(None, f.file_name, f.path, f.content_sha256, "decode", exc))
            continue
        raw = RawText(
            content_sha256=f.content_sha256, file_name=f.file_name, path=f.path, text=decoded.text,
            encoding=decoded.encoding, file_format=Path(f.file_name).suffix.lower().lstrip(".") or None,
            size_bytes=f.size_bytes, doc_meta=decoded.metadata.as_dict(),
            manifest_entry=manifest.get(f.file_name),
        )
        derive(raw, regions, out)
    return out


def rebuild_reports(raws: list[RawText], regions: RegionIndex) -> BatchOutput:
    """Re-derive report versions from their raw text (no inbox files needed)."""
    out = BatchOutput()
    for raw in raws:
        derive(raw, regions, out)
    return out


def _meta_row(meta: ReportMeta) -> dict:
    """The report's metadata as a flat row; `sources` says per field whether manifest or inferred."""
    row = asdict(meta)
    row["meta_sources"] = row.pop("sources")
    row["meta_reasons"] = row.pop("reasons")
    return row
