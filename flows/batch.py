"""Derivation of report versions: decode → report metadata → extraction, for a batch.

Plain functions (the Prefect tasks in `flows.nightly` only wrap them), testable without Prefect.
Two entries share one derivation: `process_files` for new inbox files (decode first) and
`rebuild_reports` for texts already in the raw layer (no inbox needed). A report that fails at
any step becomes a failure row naming the file, the step and the reason; the batch goes on.

Per-file time budget (issue 12): a watchdog thread raises `TimeBudgetExceeded` in the thread
processing a file once the file has run longer than its budget (Python code such as a runaway
extraction loop stops at its next bytecode); if the file does not give up within a grace period
(stuck inside C code), the watchdog calls `hard_stop` — in a Dask worker that ends the worker
process, which its nanny restarts (see flows/parallel.py). In the plain single-process path
there is no hard stop: only the first, cooperative, stop applies.
"""
from __future__ import annotations

import ctypes
import json
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from flows.inbox import InboxFile
from transforms.decode import DocumentMeta, read_report
from transforms.regions import RegionIndex
from transforms.report_meta import ReportMeta, infer_report_meta
from warehouse.keys import report_key, text_sha256


# Default per-file budget: a 20 MB report extracts in about a minute here; a hung file is stopped.
DEFAULT_FILE_SECONDS = 300.0
# How long a file may ignore the cooperative stop (stuck in C code) before the process is ended.
HARD_STOP_GRACE_SECONDS = 10.0


class TimeBudgetExceeded(Exception):
    """Raised inside the thread processing a file that has run longer than its budget.

    The watchdog can only raise a class, not an instance: each watchdog raises its own subclass
    that knows the budget, so the message says it wherever the exception is caught.
    """
    seconds: float | None = None

    def __str__(self) -> str:
        return super().__str__() or f"still running after the per-file time budget of {self.seconds:g} s"


class FileWatchdog:
    """One watchdog thread per batch: stops the file being processed once past its budget."""

    def __init__(self, seconds: float | None, hard_stop: Callable[[str], None] | None = None,
                 grace: float = HARD_STOP_GRACE_SECONDS) -> None:
        self.seconds, self.hard_stop, self.grace = seconds, hard_stop, grace
        self._lock = threading.Lock()
        self._target = threading.get_ident()
        self._current: tuple[int, str, float] | None = None  # (file number, name, deadline)
        self._signalled: int | None = None
        self._closed = threading.Event()
        self._exception = type("TimeBudgetExceeded", (TimeBudgetExceeded,), {"seconds": seconds})
        if seconds:
            threading.Thread(target=self._watch, name="baogao-file-watchdog", daemon=True).start()

    def start(self, number: int, file_name: str) -> None:
        if self.seconds:
            with self._lock:
                self._current = (number, file_name, time.monotonic() + self.seconds)

    def stop(self) -> None:
        with self._lock:
            self._current = None

    def close(self) -> None:
        self._closed.set()

    def _watch(self) -> None:
        poll = min(0.2, max(0.01, self.seconds / 20))
        while not self._closed.wait(poll):
            with self._lock:
                if self._current is None:
                    continue
                number, name, deadline = self._current
                now = time.monotonic()
                if now >= deadline and self._signalled != number:
                    self._signalled = number  # one cooperative stop per file, never twice
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(
                        ctypes.c_ulong(self._target), ctypes.py_object(self._exception))
                elif now >= deadline + self.grace and self.hard_stop is not None:
                    self.hard_stop(name)
                    return


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

    def raw_row(self, text_hash: str | None = None) -> dict[str, Any]:
        """The raw_report row; `text_hash` when the caller has already computed text_sha256."""
        return {
            "content_sha256": self.content_sha256, "report_key": report_key(self.content_sha256),
            "text": self.text, "text_sha256": text_hash or text_sha256(self.text), "encoding": self.encoding,
            "file_format": self.file_format, "file_name": self.file_name, "file_names": [self.file_name],
            "size_bytes": self.size_bytes, "char_count": len(self.text),
            "doc_meta": _json(self.doc_meta), "manifest_entry": _json(self.manifest_entry),
        }


def _json(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _failure(raw: RawText | None, f_name: str, path: str, sha: str, stage: str, exc: BaseException) -> dict:
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
        from transforms.extract import extract_facts  # jieba's import costs ~1 s: not in a run with nothing new

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


def failure_row(f: InboxFile, stage: str, exc: BaseException) -> dict:
    """The failure record of an inbox file that failed before its text was kept."""
    return _failure(None, f.file_name, f.path, f.content_sha256, stage, exc)


def process_files(files: list[InboxFile], manifest: dict[str, dict], regions: RegionIndex,
                  file_seconds: float | None = None,
                  hard_stop: Callable[[str], None] | None = None) -> BatchOutput:
    """Decode new inbox files and derive each; file_seconds is the per-file time budget (None: none).

    A file past its budget is a failure at the step it was in; its decoded text (if it got that
    far) is kept with the failure, so it lands in the raw layer like any other failed report.
    """
    out = BatchOutput()
    watchdog = FileWatchdog(file_seconds, hard_stop)
    try:
        for number, f in enumerate(files):
            stage, raw = "decode", None
            try:
                try:
                    watchdog.start(number, f.file_name)
                    decoded = read_report(Path(f.path))
                    raw = RawText(
                        content_sha256=f.content_sha256, file_name=f.file_name, path=f.path, text=decoded.text,
                        encoding=decoded.encoding, file_format=Path(f.file_name).suffix.lower().lstrip(".") or None,
                        size_bytes=f.size_bytes, doc_meta=decoded.metadata.as_dict(),
                        manifest_entry=manifest.get(f.file_name),
                    )
                    stage = "metadata"
                    derived = BatchOutput()
                    derive(raw, regions, derived)
                finally:
                    watchdog.stop()
            except Exception as exc:  # noqa: BLE001 - recorded per file (TimeBudgetExceeded included)
                watchdog.stop()  # the stop may have been cut short by the watchdog's exception
                out.failures.append(_failure(raw, f.file_name, f.path, f.content_sha256, stage, exc))
                continue
            out.reports += derived.reports
            out.facts += derived.facts
            out.failures += derived.failures
    finally:
        watchdog.close()
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
