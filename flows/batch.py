"""One batch of inbox files through decode → report metadata → extraction.

A plain function (the Prefect task in `flows.nightly` only wraps it), so it is testable
without Prefect. A file that fails at any step becomes a failure row naming the file, the
step and the reason; the other files of the batch go on.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import polars as pl

from flows.inbox import InboxFile
from transforms.decode import read_report
from transforms.extract import extract_facts
from transforms.regions import RegionIndex
from transforms.report_meta import ReportMeta, infer_report_meta


@dataclass
class BatchOutput:
    reports: list[dict] = field(default_factory=list)
    facts: list[pl.DataFrame] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)


def process_files(
    files: list[InboxFile], manifest: dict[str, dict], regions: RegionIndex
) -> BatchOutput:
    out = BatchOutput()
    for f in files:
        stage = "decode"
        try:
            decoded = read_report(Path(f.path))
            stage = "metadata"
            meta = infer_report_meta(f.file_name, decoded.text, regions, manifest.get(f.file_name),
                                     decoded.metadata)
            stage = "extract"
            facts = extract_facts(decoded.text, f.file_name)
        except Exception as exc:  # noqa: BLE001 - any failure of one file is recorded, the run goes on
            reason = str(exc) if f.file_name in str(exc) else f"{f.file_name}: {exc}"
            out.failures.append(
                {"file_name": f.file_name, "path": f.path, "content_sha256": f.content_sha256,
                 "stage": stage, "error": f"{type(exc).__name__}: {reason}"}
            )
            continue
        out.reports.append(
            {**_meta_row(meta), "file_name": f.file_name, "path": f.path,
             "content_sha256": f.content_sha256, "encoding": decoded.encoding,
             "document_meta": decoded.metadata.as_dict(),
             "char_count": len(decoded.text), "facts": facts.height}
        )
        out.facts.append(facts)
    return out


def _meta_row(meta: ReportMeta) -> dict:
    """The report's metadata as a flat row; `sources` says per field whether manifest or inferred."""
    row = asdict(meta)
    row["meta_sources"] = row.pop("sources")
    row["meta_reasons"] = row.pop("reasons")
    return row
