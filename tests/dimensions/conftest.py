"""Shared fixtures for the conformed-dimension tests (real data, no mocks)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.regions import RegionIndex

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "samples"


@pytest.fixture(scope="session")
def regions() -> RegionIndex:
    return RegionIndex.load()


@pytest.fixture(scope="session")
def truth() -> dict[str, dict]:
    lines = (SAMPLES / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
    return {e["file"]: e for e in map(json.loads, filter(str.strip, lines))}
