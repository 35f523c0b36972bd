"""Pin the extractor's exact output on the five bundled samples.

A refactor or a speed-up must not change a single fact. When a change of output is intended,
run this file as a script, check the diff of facts it prints against the previous commit's
output, and paste the new digest below (say so in the commit message).

    python -m tests.golden.test_output_hash            # prints the digest
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from transforms.extract import FACT_SCHEMA, extract_documents

SAMPLES = Path(__file__).resolve().parent.parent.parent / "data" / "samples"
# the Contract 1 columns, in a fixed order (new columns added later do not move the pin)
PINNED_COLUMNS = ["doc", "evidence", "evidence_start", "evidence_end", "value_start", "value_end",
                  "indicator", "raw_value", "unit_written", "value", "unit", "measure", "qualifier",
                  "period_text", "plan", "section_path", "section_title"]
SAMPLES_DIGEST = "448bd6853ea651a15489969a5c4555545b6f1f9a964be561c42fdf89a3c89e78"


def output_lines() -> list[str]:
    texts = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("*.txt"))]
    frame = extract_documents(texts).select(PINNED_COLUMNS)
    return [json.dumps(row, ensure_ascii=False, default=str) for row in frame.iter_rows(named=True)]


def digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def test_pinned_columns_are_the_contract() -> None:
    # every column but `rules` (which names the rules behind a fact, and changes with their ids)
    # and `section_titles` (every heading of the section path, added after the pin; section_path
    # and section_title, which it is made of, are pinned)
    assert set(PINNED_COLUMNS) == set(FACT_SCHEMA) - {"rules", "section_titles"}


def test_output_on_samples_is_pinned() -> None:
    lines = output_lines()
    assert len(lines) == 401
    assert digest(lines) == SAMPLES_DIGEST, "extractor output changed on the samples (see module docstring)"


if __name__ == "__main__":  # pragma: no cover
    print(digest(output_lines()))
