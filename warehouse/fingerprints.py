"""Fingerprints of the code and tables that derive facts (SQLMesh's model fingerprint).

A report's facts were derived by one extractor (the extraction code with its rule and unit
tables) under one indicator catalogue and one corrections file. Each is hashed here; a run that
finds the warehouse's facts made under other fingerprints re-derives those reports from
raw_report. Fingerprints are content hashes of the files, so editing a rule table or an alias
changes them, and reformatting nothing changes nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRANSFORMS = ROOT / "transforms"

# What names facts (canonical indicators and categories): the catalogue side.
CATALOGUE_FILES: tuple[Path, ...] = (
    TRANSFORMS / "indicators.py",
    TRANSFORMS / "data" / "indicator_catalogue.csv",
    TRANSFORMS / "data" / "indicator_keywords.csv",
)
# Everything else in transforms/ (code, rule and unit tables, region tables) plus the shaping of
# facts into star rows is the extractor side.
EXTRACTOR_EXTRA_FILES: tuple[Path, ...] = (
    ROOT / "warehouse" / "star.py",
    ROOT / "warehouse" / "keys.py",
    ROOT / "warehouse" / "corrections.py",
)
_SUFFIXES = {".py", ".csv", ".yaml", ".yml", ".json", ".txt"}


@dataclass(frozen=True)
class Fingerprints:
    extractor: str
    catalogue: str
    corrections: str

    def changed(self, extractor: str | None, catalogue: str | None, corrections: str | None) -> list[str]:
        """Which of the three differ from the given ones, as words for the run summary."""
        out = []
        if extractor != self.extractor:
            out.append("extractor changed")
        if catalogue != self.catalogue:
            out.append("catalogue changed")
        if corrections != self.corrections:
            out.append("corrections changed")
        return out


def hash_files(paths: list[Path], root: Path = ROOT) -> str:
    """sha256 over (relative path, bytes) of each file, in path order; 16 hex characters."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.relative_to(root)).encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def extractor_fingerprint() -> str:
    catalogue = set(CATALOGUE_FILES)
    files = [p for p in TRANSFORMS.rglob("*")
             if p.is_file() and p.suffix in _SUFFIXES and p not in catalogue and "__pycache__" not in p.parts]
    return hash_files(files + [p for p in EXTRACTOR_EXTRA_FILES if p.exists()])


@lru_cache(maxsize=1)
def catalogue_fingerprint() -> str:
    return hash_files([p for p in CATALOGUE_FILES if p.exists()])


def corrections_fingerprint(corrections_file: Path | None) -> str:
    """Hash of the corrections file's bytes; 'none' when there is no file."""
    if corrections_file is None or not corrections_file.exists():
        return "none"
    return hashlib.sha256(corrections_file.read_bytes()).hexdigest()[:16]


def current(corrections_file: Path | None) -> Fingerprints:
    return Fingerprints(extractor_fingerprint(), catalogue_fingerprint(), corrections_fingerprint(corrections_file))
