"""Where things live by default: the bundled samples, the warehouse file, the quality reports.

The project is installed editable (`pip install -e .`), so the project root is the parent of
this package; BAOGAO_HOME overrides it (e.g. the docker-compose volumes).
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The project's data folder (samples, default warehouse, quality reports)."""
    return Path(os.environ.get("BAOGAO_HOME", PROJECT_ROOT / "data"))


def default_inbox() -> Path:
    return Path(os.environ.get("BAOGAO_INBOX", PROJECT_ROOT / "data" / "samples"))


def default_warehouse() -> Path:
    return Path(os.environ.get("BAOGAO_WAREHOUSE", data_dir() / "warehouse.duckdb"))


def quality_dir_for(warehouse: Path) -> Path:
    """Data-quality reports are written beside the warehouse they describe."""
    return warehouse.parent / "quality"


def pages_dir_for(warehouse: Path) -> Path:
    """Report viewer pages are written beside the warehouse they are built from."""
    return warehouse.parent / "reports"
